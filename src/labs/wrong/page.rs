//! The wrong tool, measured: pick a case; the page runs the tempting version and the right
//! one on the same work, and says what the numbers show.

use lab_core::config::WrongCase;
use lab_core::format;
use lab_core::labs::wrong::verdict;
use lab_core::schema::{Role, RunRecord};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::code_panel::{CodePanel, Snippet};
use crate::components::lab_controls::RunButton;
use crate::components::summary::Summary;
use crate::components::timeline::Timeline;
use crate::labs;
use crate::state::LabState;

const WRONG_CSHARP: &str = "// Wrong: async in name only; no await inside, so it runs
// synchronously on the caller's (UI) thread
async Task<int> ComputeAsync() => Compute();
await Task.WhenAll(items.Select(_ => ComputeAsync()));

// Right: CPU work to the pool, awaited
await Task.Run(() => Parallel.ForEach(items, Work));

// Wrong: blocking a pool thread on I/O
Parallel.ForEach(urls, u => http.GetAsync(u).Result);
// Right: await the I/O
await Task.WhenAll(urls.Select(u => http.GetAsync(u)));

// Wrong: one tiny task per element; right: a few large ranges
Parallel.For(0, values.Length, i => Tally(values[i]));
Parallel.ForEach(Partitioner.Create(0, values.Length, values.Length / 64), Tally);";

/// The wrong-tool lab.
#[component]
pub fn WrongLabPage() -> impl IntoView {
    let state = expect_context::<LabState>();
    let current = move || state.settings().with(|s| s.wrong().map(|w| w.case));
    let runs = state.runs_where(|r| r.wrong().is_some());
    let resolution = move || state.environment().with(|e| e.timer_resolution_ms);
    view! {
        <div class="lab-grid">
            <aside class="card controls">
                <h2>"The wrong tool"</h2>
                <p class="lesson">
                    "Async is timing: the cook steps aside while the oven works. Parallel is teamwork: "
                    "several cooks chop together. Each case below uses one where the other belongs, then "
                    "does it right, on the same work. The verdict comes from the two runs, against the "
                    "threshold it states."
                </p>
                <nav class="cases" aria-label="Cases">
                    {WrongCase::ALL
                        .iter()
                        .map(|&case| {
                            view! {
                                <a
                                    href=format!("?lab=wrong&case={}", case.name())
                                    class="case"
                                    class:active=move || current() == Some(case)
                                    data-testid=format!("case-{}", case.name())
                                >
                                    <strong>{case.title()}</strong>
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
                {move || current().map(|case| view! { <p class="lesson" data-testid="case-lesson">{case.lesson()}</p> })}
                <RunButton
                    test_id="run-wrong-lab"
                    label="Run both ways"
                    needs_pool=true
                    run=move || spawn_local(labs::wrong::run(state))
                />
            </aside>
            <section class="results" data-testid="wrong-results">
                {move || {
                    let runs = runs.get();
                    if runs.is_empty() {
                        view! { <p class="empty">"Not run yet. Run both ways to see the verdict."</p> }.into_any()
                    } else {
                        view! { <WrongView records=runs resolution_ms=resolution() /> }.into_any()
                    }
                }}
            </section>
        </div>
        {move || {
            let case = current().unwrap_or(WrongCase::CpuOnMain);
            let wrong = match case {
                WrongCase::CpuOnMain => Snippet { file: "src/labs/wrong/run.rs", name: "async-on-main" },
                WrongCase::AwaitInLoop => Snippet { file: "src/experiments/io_run.rs", name: "closed-loop" },
                WrongCase::BlockingIo => Snippet { file: "src/labs/wrong/run.rs", name: "blocking-workers" },
                WrongCase::TinyTasks => Snippet { file: "crates/lab-core/src/execute.rs", name: "rayon-all" },
            };
            view! {
                <CodePanel
                    title="The code of the wrong tool"
                    snippets=vec![wrong, Snippet { file: "src/runtime/pool.rs", name: "submit" }]
                    csharp=WRONG_CSHARP
                />
            }
        }}
    }
}

/// The verdict, then each side with its numbers and timeline.
#[component]
fn WrongView(records: Vec<RunRecord>, resolution_ms: f64) -> impl IntoView {
    let verdict = records.iter().find_map(|r| r.wrong()?.verdict.clone());
    // The paradox is about requests: shown for the two I/O cases.
    let io_case = |r: &RunRecord| {
        matches!(
            r.params.case,
            Some(WrongCase::AwaitInLoop | WrongCase::BlockingIo)
        )
    };
    let paradox = match &records[..] {
        [wrong, right] if io_case(wrong) => {
            match (wrong.summary.latency_ms, right.summary.latency_ms) {
                (Some(w), Some(r)) => {
                    verdict::p50_paradox(w.p50, r.p50, wrong.summary.wall_ms, right.summary.wall_ms)
                }
                _ => None,
            }
        }
        _ => None,
    };
    let domain = records
        .iter()
        .map(|r| r.summary.wall_ms)
        .fold(1.0, f64::max);
    let sides = records
        .into_iter()
        .map(|record| {
            let role = record.wrong().map_or(Role::Right, |w| w.role);
            // Blocking I/O's workers only wait on the main thread's fetches.
            let workers_wait =
                role == Role::Wrong && record.params.case == Some(WrongCase::BlockingIo);
            let side = match role {
                Role::Wrong => "The wrong way",
                Role::Right => "The right way",
            };
            view! {
                <div class="side" data-role=role.name()>
                    <h3>{format!("{side}: {} ({})", record.label, format::ms(record.summary.wall_ms, resolution_ms))}</h3>
                    <Summary record=record.clone() resolution_ms=resolution_ms />
                    <Timeline record=record domain_ms=domain workers_wait=workers_wait />
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="result" data-testid="result" data-kind="wrong">
            {verdict.map(|v| {
                view! {
                    <div class="verdict-box" class:bad=v.wrong_tool class:good=!v.wrong_tool data-testid="verdict" data-wrong-tool=v.wrong_tool.to_string() data-measured=v.measured.to_string() data-threshold=v.threshold.to_string()>
                        <strong>{if v.wrong_tool { "Verdict: the wrong tool. " } else { "Verdict: no harm measured this time. " }}</strong>
                        {v.text}
                        <p class="note">{format!("Rule: {}.", v.rule.trim_end_matches('.'))}</p>
                    </div>
                }
            })}
            {paradox.map(|text| view! { <p class="note worked-example" data-testid="p50-paradox">{text}</p> })}
            {sides}
        </div>
    }
}
