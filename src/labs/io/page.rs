//! The I/O lab ("timing"): settings and presets on one side, the measured result on the other.

use lab_core::config::Lab;
use lab_core::schema::RunKind;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::code_panel::{CodePanel, Snippet};
use crate::components::io_results::{IoRunView, IoSweepView};
use crate::components::lab_controls::{Presets, RunButton};
use crate::components::settings_form::SettingsForm;
use crate::labs;
use crate::state::LabState;

/// Links that set up the interesting cases.
const PRESETS: &[(&str, &str)] = &[
    ("One at a time", "lab=io&n=20&c=1&latency_ms=50"),
    ("10 in flight", "lab=io&n=100&c=10&latency_ms=50"),
    ("All at once", "lab=io&n=100&c=100&latency_ms=50"),
    (
        "Server capacity 4",
        "lab=io&n=100&c=16&latency_ms=50&capacity=4",
    ),
    (
        "Sweep C against capacity 4",
        "lab=io&n=40&c=16&latency_ms=50&capacity=4&sweep=c",
    ),
    (
        "Open loop, Poisson arrivals",
        "lab=io&n=200&rate=100&arrivals=poisson&dist=exp&latency_ms=30&capacity=4",
    ),
    (
        "Sweep the arrival rate",
        "lab=io&n=120&rate=120&arrivals=poisson&dist=exp&latency_ms=30&capacity=4&sweep=rate",
    ),
    ("The app's own files", "lab=io&target=static&n=60&c=20"),
];

const IO_CSHARP: &str = "// Closed loop: c workers, each awaiting in a loop (c = 1: one at a time)
await Task.WhenAll(Enumerable.Range(0, c).Select(async _ =>
{
    while (queue.TryDequeue(out var url))
        await http.GetAsync(url);
}));

// All at once (c = n)
await Task.WhenAll(urls.Select(u => http.GetAsync(u)));";

/// The I/O lab.
#[component]
pub fn IoLabPage() -> impl IntoView {
    let state = expect_context::<LabState>();
    let runs = state.runs_where(|r| r.kind == RunKind::Io);
    let resolution = move || state.environment().with(|e| e.timer_resolution_ms);
    view! {
        <div class="lab-grid">
            <aside class="card controls">
                <h2>"Timing: waiting, overlapped"</h2>
                <p class="lesson">
                    "Each request is issued from the main thread and awaited: "
                    <code>"JsFuture::from(fetch_body(..)).await"</code>
                    ". While the oven (the server) works, the cook (the thread) takes more orders, so "
                    "many requests wait at once. Throughput grows with the requests in flight until the "
                    "server is full; after that, only the queue grows."
                </p>
                <p class="lesson">
                    <strong>"Closed loop"</strong>" (no rate): c requests in flight; each slot sends the next "
                    "when its answer arrives, like c users clicking again. "<strong>"Open loop"</strong>
                    " (a rate): requests arrive on schedule however slow the server is, like the public. "
                    "Latency counts from the intended start, so a slow server cannot hide its queue."
                </p>
                <SettingsForm lab=Lab::Io />
                <RunButton
                    test_id="run-io-lab"
                    label="Run"
                    run=move || spawn_local(labs::io::run(state))
                />
                <Presets presets=PRESETS />
            </aside>
            <section class="results" data-testid="io-results">
                {move || {
                    let runs = runs.get();
                    match runs.len() {
                        0 => {
                            view! {
                                <p class="empty">
                                    "Not run yet. Pick a preset or set the load, then Run. The simulated server "
                                    "answers after the service time; with a capacity, extra requests queue."
                                </p>
                            }
                                .into_any()
                        }
                        1 => view! { <IoRunView record=runs[0].clone() resolution_ms=resolution() /> }.into_any(),
                        _ => view! { <IoSweepView records=runs resolution_ms=resolution() /> }.into_any(),
                    }
                }}
            </section>
        </div>
        <CodePanel
            title="The code that issued the requests"
            snippets=vec![
                Snippet { file: "src/experiments/io_run.rs", name: "closed-loop" },
                Snippet { file: "src/experiments/io_run.rs", name: "open-loop" },
                Snippet { file: "src/runtime/fetch.rs", name: "fetch" },
                Snippet { file: "src/runtime/fetch.rs", name: "fetch-js" },
            ]
            csharp=IO_CSHARP
        />
    }
}
