//! A batch of the quick comparison: what it does in the kitchen picture, its Run button, and
//! once it ran, its summary and timeline.

use lab_core::schema::{RunKind, RunRecord};
use lab_core::span::{max_concurrent, Lane};
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

/// The time axis every timeline of the quick comparison shares: the longest of its runs.
fn shared_axis_ms(runs: &[RunRecord]) -> f64 {
    runs.iter()
        .flat_map(|r| r.spans.iter().map(|s| s.end_ms).chain([r.summary.wall_ms]))
        .fold(0.0, f64::max)
}

/// One batch: explanation, Run button (`run` starts the batch), and its runs: the baselines,
/// then the run the lesson is about.
#[component]
pub fn BatchCard(batch: Batch, run: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let state = expect_context::<LabState>();
    let records = Memo::new(move |_| {
        state.runs().with(|runs| {
            runs.iter()
                .filter(|r| r.kind == batch.kind())
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let axis_ms = Memo::new(move |_| state.runs().with(|runs| shared_axis_ms(runs)));
    let resolution = move || state.environment().with(|e| e.timer_resolution_ms);
    let unavailable = move || batch == Batch::Cpu && !state.parallel_ready();
    let (title, lesson, button) = match batch {
        Batch::Io => (
            "Timing: many fetches, one thread",
            view! {
                "First the fetches go one at a time, each awaited before the next starts. Then the "
                "main thread starts every request and awaits them together: "
                <code>"JsFuture::from(fetch_body(..)).await"</code>
                " (the browser's fetch and its body, in one promise). Like a cook who puts every dish in the oven and takes orders while they bake, "
                "the thread is free while the server works. The waits overlap in time."
            }
            .into_any(),
            "Run async batch",
        ),
        Batch::Cpu => (
            "Teamwork: one job, every core",
            view! {
                "First the job runs on the main thread, as a page that never heard of workers would: "
                "the page freezes until it ends. Then it runs on one worker, awaited: the page keeps "
                "answering, but the job is no faster. Then it goes to the worker pool with "
                <code>"rayon::spawn"</code>", its tasks spread by "
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
            {move || {
                let records = records.get();
                let axis_ms = axis_ms.get();
                match records.as_slice() {
                    [] => view! { <p class="empty">"Not run yet."</p> }.into_any(),
                    [baselines @ .., featured] => {
                        let baselines = baselines
                            .iter()
                            .map(|record| view! { <Baseline record=record.clone() axis_ms=axis_ms /> })
                            .collect_view();
                        view! {
                            {baselines}
                            <Result record=featured.clone() resolution_ms=resolution() axis_ms=axis_ms />
                        }
                        .into_any()
                    }
                }
            }}
        </article>
    }
}

/// The baseline a batch compares itself with: its time and its timeline, on the shared axis.
#[component]
fn Baseline(record: RunRecord, axis_ms: f64) -> impl IntoView {
    let kind = if record.cpu().is_some() { "cpu" } else { "io" };
    view! {
        <div class="baseline" data-testid="baseline" data-kind=kind>
            <h3>
                {format!("Baseline: {} · ", record.label)}
                <span data-testid="baseline-wall-ms" data-value=record.summary.wall_ms.to_string()>
                    {format!("{:.0} ms", record.summary.wall_ms)}
                </span>
            </h3>
            <Timeline record=record domain_ms=axis_ms />
        </div>
    }
}

/// A finished run: what it was, its numbers and its timeline.
#[component]
fn Result(record: RunRecord, resolution_ms: f64, axis_ms: f64) -> impl IntoView {
    let workers = record
        .spans
        .lanes()
        .iter()
        .filter(|l| matches!(l, Lane::Worker(_)))
        .count();
    let overlap = max_concurrent(&record.spans);
    let kind = if record.cpu().is_some() { "cpu" } else { "io" };
    let detail = match record.cpu() {
        Some(cpu) => format!(
            "{workers} worker lanes used, at most {overlap} tasks at once · checksum {}",
            cpu.checksum
        ),
        None => format!("at most {overlap} requests in flight at once"),
    };
    view! {
        <div class="result" data-testid="result" data-kind=kind>
            <h3>{format!("{} · {:.0} ms", record.label, record.summary.wall_ms)}</h3>
            <p class="result-label" data-testid="result-detail">{detail}</p>
            {record.cpu().map(|cpu| view! { <span hidden data-testid="checksum">{cpu.checksum.clone()}</span> })}
            <Summary record=record.clone() resolution_ms=resolution_ms />
            <Timeline record=record domain_ms=axis_ms />
        </div>
    }
}
