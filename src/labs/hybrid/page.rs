//! Timing and teamwork together: the hybrid pipeline, three ways, on one timeline each.

use lab_core::config::{Lab, Strategy};
use lab_core::format;
use lab_core::schema::{RunKind, RunRecord};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::code_panel::{CodePanel, Snippet};
use crate::components::lab_controls::RunButton;
use crate::components::settings_form::SettingsForm;
use crate::components::timeline::Timeline;
use crate::labs;
use crate::state::LabState;

const HYBRID_CSHARP: &str = "// Fetch asynchronously; hand each item to the pool as it arrives
var processing = new List<Task<Result>>();
await foreach (var body in FetchAllAsync(urls, maxInFlight: c))
    processing.Add(Task.Run(() => Process(body)));
var results = await Task.WhenAll(processing);";

/// The hybrid lab.
#[component]
pub fn HybridLabPage() -> impl IntoView {
    let state = expect_context::<LabState>();
    let runs = state.runs_where(|r| r.kind == RunKind::Hybrid);
    let resolution = move || state.environment().with(|e| e.timer_resolution_ms);
    view! {
        <div class="lab-grid">
            <aside class="card controls">
                <h2>"Together: fetch, then process"</h2>
                <p class="lesson">
                    "A web API fetches data asynchronously, then processes it in parallel before answering. "
                    "The fetches are timing (the cook steps aside while the oven works); the processing is "
                    "teamwork (several cooks chop). How the two are joined decides the total."
                </p>
                <ul class="lesson">
                    <li><strong>"sequential"</strong>": fetch one, process one. About n(L + P)."</li>
                    <li><strong>"phased"</strong>": fetch all, then process all. About ⌈n/c⌉L + nP/W."</li>
                    <li>
                        <strong>"pipelined"</strong>": each item goes to the pool as it arrives. About "
                        "max(⌈n/c⌉L + cP/W, L + nP/W)."
                    </li>
                </ul>
                <SettingsForm lab=Lab::Hybrid />
                <RunButton
                    test_id="run-hybrid-lab"
                    label="Run"
                    needs_pool=true
                    run=move || spawn_local(labs::hybrid::run(state))
                />
            </aside>
            <section class="results" data-testid="hybrid-results">
                {move || {
                    let runs = runs.get();
                    if runs.is_empty() {
                        view! {
                            <p class="empty">
                                "Not run yet. Run compares the three strategies on the same items: the "
                                "simulated server answers after L, each item then takes P on one worker."
                            </p>
                        }
                            .into_any()
                    } else {
                        view! { <HybridComparison records=runs resolution_ms=resolution() /> }.into_any()
                    }
                }}
            </section>
        </div>
        <CodePanel
            title="The code of the pipelined strategy"
            snippets=vec![
                Snippet { file: "src/experiments/hybrid.rs", name: "pipelined" },
                Snippet { file: "src/runtime/pool.rs", name: "submit" },
            ]
            csharp=HYBRID_CSHARP
        />
    }
}

/// The fastest strategy, and by how much it beat each other one, from the walls in the table.
fn headline(records: &[RunRecord], resolution_ms: f64) -> String {
    let ms = |v: f64| format::ms(v, resolution_ms);
    let mut sorted: Vec<&RunRecord> = records.iter().collect();
    sorted.sort_by(|a, b| a.summary.wall_ms.total_cmp(&b.summary.wall_ms));
    let Some((first, rest)) = sorted.split_first() else {
        return String::new();
    };
    let wall = first.summary.wall_ms;
    let beaten: Vec<String> = rest
        .iter()
        .map(|r| format!("{} sooner than {}", ms(r.summary.wall_ms - wall), r.label))
        .collect();
    let overlap = first.hybrid().map_or(0.0, |h| h.overlap_ms);
    let why = if overlap > 0.0 {
        format!(
            ": its fetches and its processing overlapped for {}",
            ms(overlap)
        )
    } else {
        String::new()
    };
    if beaten.is_empty() {
        format!("{} took {}{why}.", first.label, ms(wall))
    } else {
        format!(
            "{} finished first, in {}, {}{why}.",
            first.label,
            ms(wall),
            beaten.join(" and ")
        )
    }
}

/// The latency the simulated server was set to beside the one each item's fetch took: the
/// difference is the browser's own path (the service worker, the event loop).
fn configured_latency(records: &[RunRecord], resolution_ms: f64) -> Option<impl IntoView> {
    let ms = |v: f64| format::ms(v, resolution_ms);
    let set = records.first()?.params.latency_ms?;
    let measured: Vec<String> = records
        .iter()
        .filter_map(|r| Some(format!("{} {}", r.label, ms(r.hybrid()?.latency_ms))))
        .collect();
    let worst = records
        .iter()
        .filter_map(|r| r.hybrid().map(|h| h.latency_ms - set))
        .fold(0.0, f64::max);
    Some(view! {
        <p class="note" data-testid="configured-latency" data-configured=set.to_string()>
            {format!(
                "L = {} configured, measured {}: up to {} more, the time a request spends in the \
                 browser's own path (the service worker and the event loop) on top of the server's.",
                ms(set),
                measured.join(", "),
                ms(worst)
            )}
        </p>
    })
}

/// The strategies side by side: measured against the model, overlap, time saved, timelines
/// on one time axis.
#[component]
fn HybridComparison(records: Vec<RunRecord>, resolution_ms: f64) -> impl IntoView {
    let ms = move |v: f64| format::ms(v, resolution_ms);
    let domain = records
        .iter()
        .map(|r| r.summary.wall_ms)
        .fold(1.0, f64::max);
    // Every "sooner" is against one named run: the sequential one, or else the slowest.
    let baseline = records
        .iter()
        .find(|r| {
            r.hybrid()
                .is_some_and(|h| h.strategy == Strategy::Sequential)
        })
        .or_else(|| {
            records
                .iter()
                .max_by(|a, b| a.summary.wall_ms.total_cmp(&b.summary.wall_ms))
        })
        .map(|r| (r.label.clone(), r.summary.wall_ms));
    let headline = headline(&records, resolution_ms);
    let configured = configured_latency(&records, resolution_ms);
    let rows = records
        .iter()
        .map(|r| {
            let h = r.hybrid().cloned();
            let model = h.as_ref().and_then(|h| h.model_ms);
            let off = model.map(|m| (r.summary.wall_ms / m - 1.0) * 100.0);
            view! {
                <tr data-strategy=r.label.clone()>
                    <th scope="row">{r.label.clone()}</th>
                    <td data-testid="measured">{ms(r.summary.wall_ms)}</td>
                    <td>{model.map_or("—".to_owned(), ms)}</td>
                    <td>{off.map_or("—".to_owned(), |o| format!("{o:+.0}%"))}</td>
                    <td>{h.as_ref().map_or("—".to_owned(), |h| ms(h.overlap_ms))}</td>
                    <td data-testid="sooner" data-value=baseline.as_ref().map(|(_, wall)| (wall - r.summary.wall_ms).to_string())>{baseline.as_ref().map_or("—".to_owned(), |(_, wall)| ms(wall - r.summary.wall_ms))}</td>
                    <td>{h.as_ref().map_or("—".to_owned(), |h| format!("{} · {}", ms(h.latency_ms), ms(h.process_ms)))}</td>
                </tr>
            }
        })
        .collect_view();
    let timelines = records
        .into_iter()
        .map(|record| {
            view! {
                <h3>{format!("{}: {}", record.label, ms(record.summary.wall_ms))}</h3>
                <Timeline record=record domain_ms=domain />
            }
        })
        .collect_view();
    view! {
        <div class="result" data-testid="result" data-kind="hybrid">
            <p class="chart-title" data-testid="hybrid-headline">
                {headline}
            </p>
            <table class="levels" data-testid="hybrid-table">
                <thead>
                    <tr>
                        <th scope="col">"strategy"</th>
                        <th scope="col">"measured (whole run)"</th>
                        <th scope="col">"model"</th>
                        <th scope="col">"off by"</th>
                        <th scope="col" title="time during which fetches and processing both ran">"overlap"</th>
                        <th scope="col" title="how much sooner than that run this strategy finished">
                            {format!("sooner than {}", baseline.as_ref().map_or("—", |(label, _)| label.as_str()))}
                        </th>
                        <th scope="col" title="mean fetch latency and mean processing time per item, as measured">"L · P"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="note">
                "The model uses the L and P measured in the same run (mean fetch and processing time per "
                "item) and W workers. Teal bars are fetches in flight, blue bars items on a worker."
            </p>
            {configured}
            {timelines}
        </div>
    }
}
