//! The quick comparison: one async batch and one parallel batch, each beside its baseline on one
//! time axis, and the rules they prove, worded from what this browser measured.

use lab_core::config::{self, Lab, Slogan};
use leptos::prelude::*;

use crate::components::batch_card::{Batch, BatchCard};
use crate::components::code_panel::{CodePanel, Snippet};
use crate::components::settings_form::SettingsForm;
use crate::components::slogan_chart::SloganChart;
use crate::labs;
use crate::runtime::first_visit;
use crate::state::{LabState, RunState, SimStatus};

const START_CSHARP: &str = "// Timing: many waits on one thread
var bodies = await Task.WhenAll(urls.Select(u => http.GetStringAsync(u)));

// Teamwork, off the UI thread, awaited
await Task.Run(() => Parallel.For(0, tasks, i => Work(i)));";

/// Starts one batch; its card shows how it ended.
fn run_batch(batch: impl std::future::Future<Output = RunState> + 'static) {
    leptos::task::spawn_local(async move {
        batch.await;
    });
}

/// The start page.
#[component]
pub fn StartPage() -> impl IntoView {
    let state = expect_context::<LabState>();
    let run_both = move |_| leptos::task::spawn_local(labs::start::run_all(state));
    view! {
        <GuidedStart />
        <section class="intro">
            <p>
                "Asynchronous work is about "<strong>"timing"</strong>": one cook starts the oven and "
                "takes the next order while it bakes. Parallel work is about "
                <strong>"teamwork"</strong>": several cooks chop at once. The main thread is the cook "
                "who takes the orders: if it stops to chop, the page freezes."
            </p>
            <div class="intro-actions">
                <SettingsForm lab=Lab::Start />
                <button
                    class="primary"
                    data-testid="run-both"
                    on:click=run_both
                    disabled=move || state.busy() || !state.settings_valid()
                >
                    "Run the comparison"
                </button>
            </div>
        </section>
        <MeasuredLesson />
        <p class="axis-note">
            "Every timeline below shares one time axis, so a longer bar is a longer time. "
            {move || {
                if state.environment().with(|e| e.sim == SimStatus::Ready) {
                    "Each fetch waits at the simulated server (a service worker in this page) for the time set above."
                } else {
                    "The simulated server does not control this page, so the fetches read one of the app's own files, with no simulated wait."
                }
            }}
        </p>
        <div class="batches">
            <BatchCard batch=Batch::Io run=move || run_batch(labs::start::run_io(state)) />
            <BatchCard batch=Batch::Cpu run=move || run_batch(labs::start::run_cpu(state)) />
        </div>
        <CodePanel
            title="The code behind the two batches"
            snippets=vec![
                Snippet { file: "src/runtime/fetch.rs", name: "fetch" },
                Snippet { file: "src/runtime/fetch.rs", name: "fetch-js" },
                Snippet { file: "src/runtime/pool.rs", name: "submit" },
            ]
            csharp=START_CSHARP
        />
    }
}

/// The rules the runs so far prove, each with the numbers this browser measured.
#[component]
fn MeasuredLesson() -> impl IntoView {
    let state = expect_context::<LabState>();
    let lessons = Memo::new(move |_| state.runs().with(|runs| config::lessons(runs)));
    let slogan = Memo::new(move |_| state.runs().with(|runs| Slogan::of(runs)));
    view! {
        <Show when=move || !lessons.with(Vec::is_empty)>
            <section class="card measured-lesson" data-testid="lesson">
                <h2>"What this browser just measured"</h2>
                <ul>
                    {move || lessons.get().into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                </ul>
                {move || slogan.get().map(|slogan| view! { <SloganChart slogan=slogan /> })}
            </section>
        </Show>
    }
}

/// A first visit's guided start: one click runs the comparison and says what to look at.
/// Autorun links skip it.
#[component]
fn GuidedStart() -> impl IntoView {
    let state = expect_context::<LabState>();
    let autorun = state.settings().with_untracked(|s| s.autorun);
    let show = RwSignal::new(first_visit::first_visit() && !autorun);
    let started = RwSignal::new(false);
    let go = move |_| {
        first_visit::remember();
        started.set(true);
        leptos::task::spawn_local(labs::start::run_all(state));
    };
    let dismiss = move |_| {
        first_visit::remember();
        show.set(false);
    };
    let done = move || state.runs().with(|runs| runs.len() >= 4);
    view! {
        <Show when=move || show.get()>
            <aside class="guide" data-testid="guided-start">
                {move || {
                    if done() {
                        view! {
                            <p>
                                <strong>"Look at the timelines below, all on one time axis. "</strong>
                                "On the left, the fetches one at a time, then all at once: the teal bars "
                                "overlap, the waits shared one thread (timing). On the right, the job on the "
                                "main thread, whose lane turns red while the page is frozen, then on every "
                                "worker lane at once (teamwork). "
                                {move || state.runs().with(|runs| config::lessons(runs).join(" "))}
                            </p>
                        }
                            .into_any()
                    } else {
                        view! {
                            <p>
                                <strong>"New here? "</strong>
                                "One click runs a five-second demonstration: 20 fetches one at a time and "
                                "then all together, then 64 SHA-256 tasks on the main thread (the page "
                                "freezes for about a second, on purpose) and then across the web workers."
                            </p>
                        }
                            .into_any()
                    }
                }}
                <button
                    class="primary"
                    data-testid="guided-go"
                    on:click=go
                    disabled=move || started.get() || state.busy() || !state.settings_valid()
                >
                    "Show me"
                </button>
                " "
                <button class="secondary" on:click=dismiss>"Close"</button>
            </aside>
        </Show>
    }
}
