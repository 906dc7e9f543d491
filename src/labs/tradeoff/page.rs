//! The responsiveness trade-off: how often a main-thread job yields decides how smooth the page
//! stays and how fast the job runs; the workers escape the choice.

use lab_core::config::Lab;
use lab_core::format;
use lab_core::kernel::Kernel;
use lab_core::meter::describe_frames;
use lab_core::schema::{RunRecord, TradeoffBlock};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::code_panel::{CodePanel, Snippet};
use crate::components::lab_controls::RunButton;
use crate::components::latency_throughput::{LatencyThroughput, Point};
use crate::components::settings_form::SettingsForm;
use crate::labs;
use crate::state::LabState;

const TRADEOFF_CSHARP: &str = "var watch = Stopwatch.StartNew();
foreach (var task in tasks)
{
    Work(task);
    if (watch.ElapsedMilliseconds >= k)
    {
        await Task.Yield();   // let the UI thread take the orders
        watch.Restart();
    }
}
// Or escape the trade-off: await Task.Run(() => Work(tasks));";

/// The trade-off lab.
#[component]
pub fn TradeoffLabPage() -> impl IntoView {
    let state = expect_context::<LabState>();
    let runs = state.runs_where(|r| r.tradeoff().is_some());
    let resolution = move || state.environment().with(|e| e.timer_resolution_ms);
    view! {
        <div class="lab-grid">
            <aside class="card controls">
                <h2>"The responsiveness trade-off"</h2>
                <p class="lesson">
                    "One cook both takes the orders and chops. Chopping in long stretches gets the chopping "
                    "done sooner but leaves customers waiting; stopping every k ms to take orders keeps them "
                    "happy but slows the chopping. The job runs on the main thread in slices of k ms, each "
                    "one a task of its own ("<code>"scheduler.postTask()"</code>", or a MessageChannel "
                    "message where the browser lacks it; not "<code>"setTimeout"</code>", which is "
                    "clamped to 4 ms), so the event loop gets its turn between two slices."
                </p>
                <p class="lesson">
                    "A probe worker posts a message every 10 ms; how late the main thread runs it is the "
                    "latency a click would see. The last point runs the same job on the workers: a second "
                    "cook, so nobody waits."
                </p>
                <SettingsForm lab=Lab::Tradeoff />
                <RunButton
                    test_id="run-tradeoff-lab"
                    label="Run"
                    run=move || spawn_local(labs::tradeoff::run(state))
                />
            </aside>
            <section class="results" data-testid="tradeoff-results">
                {move || {
                    let runs = runs.get();
                    if runs.is_empty() {
                        view! {
                            <p class="empty">
                                "Not run yet. The sweep runs the job once per k, then on the workers (about ten "
                                "seconds; the page will stutter on purpose at large k)."
                            </p>
                        }
                            .into_any()
                    } else {
                        view! { <TradeoffView records=runs resolution_ms=resolution() /> }.into_any()
                    }
                }}
            </section>
        </div>
        <CodePanel
            title="The code of the time-sliced job"
            snippets=vec![
                Snippet { file: "src/experiments/tradeoff.rs", name: "sliced" },
                Snippet { file: "src/runtime/event_loop.rs", name: "next-task" },
            ]
            csharp=TRADEOFF_CSHARP
        />
    }
}

/// Main-thread latency against job throughput, one point per k and one for the workers.
/// A sliced run's slice, as its label says it: "16 ms" (read from the record, not the label).
fn slice_text(run: &TradeoffBlock) -> String {
    run.slice_ms.map_or_else(String::new, |k| format!("{k} ms"))
}

#[component]
fn TradeoffView(records: Vec<RunRecord>, resolution_ms: f64) -> impl IntoView {
    let ms = move |v: Option<f64>| v.map_or("—".to_owned(), |v| format::ms(v, resolution_ms));
    let unit = records
        .first()
        .and_then(|r| r.params.kernel)
        .map_or("items", Kernel::unit);
    let points: Vec<Point> = records
        .iter()
        .filter_map(|r| {
            let t = r.tradeoff()?;
            Some(Point {
                label: r.label.clone(),
                throughput: t.throughput_per_s,
                p50: t.frame_p99_ms?,
                p99: t.probe_p99_ms.unwrap_or(0.0),
                joined: !t.on_workers,
            })
        })
        .collect();
    let sliced: Vec<&RunRecord> = records
        .iter()
        .filter(|r| r.tradeoff().is_some_and(|t| !t.on_workers))
        .collect();
    let workers = records
        .iter()
        .find(|r| r.tradeoff().is_some_and(|t| t.on_workers));
    let caption = match (sliced.first(), sliced.last(), workers) {
        (Some(small), Some(large), Some(w)) if sliced.len() > 1 => {
            let (s, l, w) = (
                small.tradeoff().cloned().unwrap_or_else(empty),
                large.tradeoff().cloned().unwrap_or_else(empty),
                w.tradeoff().cloned().unwrap_or_else(empty),
            );
            format!(
                "Yielding every {}: {}, and the job runs at {}. Every {}: {}, and the job runs at {}. \
                 On the workers: {}, and the job runs at {}.",
                slice_text(&s),
                describe_frames(s.frame_p99_ms),
                format::rate_of(s.throughput_per_s, unit),
                slice_text(&l),
                describe_frames(l.frame_p99_ms),
                format::rate_of(l.throughput_per_s, unit),
                describe_frames(w.frame_p99_ms),
                format::rate_of(w.throughput_per_s, unit),
            )
        }
        _ => "Main-thread latency against job throughput.".to_owned(),
    };
    let rows = records
        .iter()
        .map(|r| {
            let t = r.tradeoff().cloned().unwrap_or_else(empty);
            view! {
                <tr>
                    <th scope="row">{r.label.clone()}</th>
                    <td>{ms(t.frame_p99_ms)}</td>
                    <td>{ms(t.probe_p50_ms)}</td>
                    <td>{ms(t.probe_p99_ms)}</td>
                    <td>{format::count(r.main_thread.blocks)}</td>
                    <td>{format::rate_of(t.throughput_per_s, unit)}</td>
                    <td>{format::ms(r.summary.wall_ms, resolution_ms)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="result" data-testid="result" data-kind="tradeoff">
            <LatencyThroughput
                points=points
                model=Vec::new()
                caption=caption
                y_label="main-thread latency (ms)"
                x_label="job throughput (per second)"
                legend=("frame interval p99", "probe lateness p99")
                test_id="tradeoff-curve"
            />
            <table class="levels" data-testid="tradeoff-table">
                <thead>
                    <tr>
                        <th scope="col">"run"</th>
                        <th scope="col">"frame p99"</th>
                        <th scope="col">"probe p50"</th>
                        <th scope="col">"probe p99"</th>
                        <th scope="col">"blocks"</th>
                        <th scope="col">"job throughput"</th>
                        <th scope="col">"job time"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn empty() -> lab_core::schema::TradeoffBlock {
    lab_core::schema::TradeoffBlock {
        slice_ms: None,
        on_workers: false,
        probe_p50_ms: None,
        probe_p99_ms: None,
        probe_max_ms: None,
        probes: 0,
        frame_p99_ms: None,
        throughput_per_s: 0.0,
    }
}
