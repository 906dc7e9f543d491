//! A batch of the quick comparison: what it does in the kitchen picture, its Run button, and
//! once it ran, its summary and timeline.

use lab_core::schema::{RunKind, RunRecord};
use lab_core::span::{lanes, max_concurrent, Lane};
use leptos::prelude::*;

use super::summary::Summary;
use super::timeline::Timeline;
use crate::state::LabState;

/// Which batch a card shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Batch {
    /// Many fetches in flight on the main thread's event loop.
    Io,
    /// Many SHA-256 tasks across the worker pool.
    Cpu,
}

impl Batch {
    fn kind(self) -> RunKind {
        match self {
            Self::Io => RunKind::Io,
            Self::Cpu => RunKind::Cpu,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Self::Io => "io",
            Self::Cpu => "cpu",
        }
    }
}

/// One batch: explanation, Run button (`run` starts the batch), results.
#[component]
pub fn BatchCard(batch: Batch, run: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let state = expect_context::<LabState>();
    let record = Memo::new(move |_| {
        state
            .runs()
            .with(|runs| runs.iter().find(|r| r.kind == batch.kind()).cloned())
    });
    let resolution = move || state.environment().with(|e| e.timer_resolution_ms);
    let unavailable = move || batch == Batch::Cpu && !state.parallel_ready();
    let (title, lesson, button) = match batch {
        Batch::Io => (
            "Timing: many fetches, one thread",
            view! {
                "The main thread starts every request, then awaits them together: "
                <code>"JsFuture::from(fetch_body(..)).await"</code>
                " (the browser's fetch and its body, in one promise). Like a cook who puts every dish in the oven and takes orders while they bake, "
                "the thread is free while the network works. The requests overlap in time."
            }
            .into_any(),
            "Run async batch",
        ),
        Batch::Cpu => (
            "Teamwork: one job, every core",
            view! {
                "The job goes to the worker pool with "<code>"rayon::spawn"</code>", its tasks spread by "
                <code>"par_iter"</code>" with work stealing, and the result comes back through a oneshot "
                "the main thread awaits. Several cooks chop at once; the one taking orders keeps taking them."
            }
            .into_any(),
            "Run parallel batch",
        ),
    };
    view! {
        <article class=format!("card batch {}", batch.id()) data-testid=format!("batch-{}", batch.id())>
            <header>
                <h2>{title}</h2>
                <button
                    data-testid=format!("run-{}", batch.id())
                    on:click=move |_| run()
                    disabled=move || state.busy() || !state.settings_valid() || unavailable()
                >
                    {button}
                </button>
            </header>
            <p class="lesson">{lesson}</p>
            <Show when=unavailable>
                <p class="unavailable" data-testid="parallel-disabled">
                    "Parallel runs need the worker pool, which is not available here (see above)."
                </p>
            </Show>
            {move || match record.get() {
                None => view! { <p class="empty">"Not run yet."</p> }.into_any(),
                Some(record) => view! { <Result record=record resolution_ms=resolution() /> }.into_any(),
            }}
        </article>
    }
}

/// A finished run: what it was, its numbers and its timeline.
#[component]
fn Result(record: RunRecord, resolution_ms: f64) -> impl IntoView {
    let workers = lanes(&record.spans)
        .into_iter()
        .filter(|l| matches!(l, Lane::Worker(_)))
        .count();
    let overlap = max_concurrent(&record.spans);
    let kind = if record.cpu().is_some() { "cpu" } else { "io" };
    let detail = match record.cpu() {
        Some(cpu) => format!(
            "{} · {workers} worker lanes used, at most {overlap} tasks at once · checksum {}",
            record.label, cpu.checksum
        ),
        None => format!(
            "{} · at most {overlap} requests in flight at once",
            record.label
        ),
    };
    view! {
        <div class="result" data-testid="result" data-kind=kind>
            <p class="result-label" data-testid="result-detail">{detail}</p>
            {record.cpu().map(|cpu| view! { <span hidden data-testid="checksum">{cpu.checksum.clone()}</span> })}
            <Summary record=record.clone() resolution_ms=resolution_ms />
            <Timeline record=record />
        </div>
    }
}
