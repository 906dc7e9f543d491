//! Every run this browser kept on one chart (throughput across, latency up, coloured by kind),
//! and the history list they come from. Async work buys latency for many waits; parallel work
//! buys throughput for one job.

use lab_core::format;
use lab_core::history::{self as lab_history, Entry};
use lab_core::overview::OverviewPoint;
use lab_core::scale::LinearScale;
use lab_core::schema::RunKind;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::chart_scroll::ChartScroll;
use crate::runtime::history;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 380.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 46.0;

fn kind_class(kind: RunKind) -> &'static str {
    match kind {
        RunKind::Io => "io",
        RunKind::Cpu => "cpu",
        RunKind::Hybrid => "hybrid",
    }
}

/// Powers of ten covering `lo..hi` (both > 0), for a log axis.
fn decades(lo: f64, hi: f64) -> (f64, f64) {
    (
        lo.max(1e-3).log10().floor(),
        hi.max(1e-3)
            .log10()
            .ceil()
            .max(lo.max(1e-3).log10().floor() + 1.0),
    )
}

fn power_label(exp: f64) -> String {
    let value = 10f64.powf(exp);
    if value >= 1e6 {
        format!("{}M", value / 1e6)
    } else if value >= 1e3 {
        format!("{}k", value / 1e3)
    } else {
        format!("{value}")
    }
}

/// The overview: every kept run on one chart, and the history they come from.
#[component]
pub fn OverviewPage() -> impl IntoView {
    // None while the history is read; then the entries, newest first, or why there are none.
    let listed = RwSignal::new(None::<Result<Vec<Entry>, String>>);
    let reread = move || spawn_local(async move { listed.set(Some(history::entries().await)) });
    reread();
    let points = Memo::new(move |_| {
        listed.with(|l| match l {
            Some(Ok(entries)) => lab_history::points(entries),
            _ => Vec::new(),
        })
    });
    view! {
        <section class="card" data-testid="overview">
            <h2>"Every run this browser kept"</h2>
            <p class="lesson">
                "Each run is a point: how much it got done per second (across, logarithmic) against how "
                "long one piece took (up, logarithmic). Requests (teal) contribute requests per second and "
                "their median latency; CPU jobs (blue) the kernel's work items per second and the job's "
                "latency; pipelines (amber) items per second and the median item latency. Async work keeps "
                "latency near one wait while the count in flight grows; parallel work multiplies the "
                "throughput of one job."
            </p>
            {move || match listed.get() {
                None => view! { <p class="empty">"Reading this browser's history…"</p> }.into_any(),
                Some(_) if points.with(Vec::is_empty) => {
                    view! { <p class="empty">"No runs yet: run something in any lab, then come back."</p> }.into_any()
                }
                Some(_) => view! { <OverviewChart points=points.get() /> }.into_any(),
            }}
        </section>
        <HistoryList listed reread />
    }
}

/// The kept runs, newest first: open, delete, or clear them all.
#[component]
fn HistoryList(
    listed: RwSignal<Option<Result<Vec<Entry>, String>>>,
    reread: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let failed = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let settle = move |result: Result<(), String>| {
        failed.set(result.err());
        confirming.set(false);
        reread();
    };
    let delete = move |key: u64| spawn_local(async move { settle(history::delete(key).await) });
    let clear = move |_| spawn_local(async move { settle(history::clear().await) });
    let rows = move || {
        listed.with(|l| match l {
            Some(Ok(entries)) => entries.clone(),
            _ => Vec::new(),
        })
    };
    view! {
        <section class="card" id="history" aria-labelledby="history-title" data-testid="history">
            <h2 id="history-title">"History"</h2>
            <p>
                "Every finished run is kept in this browser (IndexedDB) with its settings, environment, "
                "summary and spans, across reloads and restarts, up to "
                {format!(
                    "{} MB and {} runs",
                    lab_history::BUDGET_BYTES / 1_048_576,
                    lab_history::MAX_KEPT
                )}
                "; beyond either the oldest runs go first. Nothing leaves the browser. "
                "Open one to see it drawn as it was recorded."
            </p>
            {move || match listed.get() {
                Some(Err(message)) => Some(view! {
                    <p class="problem" data-testid="history-error">
                        {format!("This browser keeps no history for this page ({message}). Runs still show in their lab until the tab closes; export them to keep them.")}
                    </p>
                }.into_any()),
                Some(Ok(entries)) => Some(view! {
                    <p class="history-usage" data-testid="history-usage">{lab_history::usage(&entries)}</p>
                }.into_any()),
                None => None,
            }}
            {move || failed.get().map(|m| view! { <p class="problem" role="alert">{m}</p> })}
            <Show when=move || !rows().is_empty()>
                <div class="table-scroll" tabindex="0">
                    <table class="levels history-table" data-testid="history-table">
                        <caption>"Kept runs, newest first. A figure from a hidden tab is doubtful: browsers slow its timers."</caption>
                        <thead>
                            <tr>
                                <th scope="col">"kept (UTC)"</th>
                                <th scope="col">"lab"</th>
                                <th scope="col">"runs: wall time, median latency, throughput"</th>
                                <th scope="col">"browser"</th>
                                <th scope="col">"notes"</th>
                                <th scope="col">"size"</th>
                                <th scope="col">"open or delete"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=rows key=|e| e.key let:entry>
                                {entry_row(entry, delete)}
                            </For>
                        </tbody>
                    </table>
                </div>
                <div class="history-clear">
                    <Show
                        when=move || confirming.get()
                        fallback=move || view! {
                            <button class="secondary" data-testid="clear-history" on:click=move |_| confirming.set(true)>
                                "Clear the history…"
                            </button>
                        }
                    >
                        <span>{move || format!("Forget all {}? This cannot be undone. ", rows().len())}</span>
                        <button class="secondary" data-testid="clear-history-confirm" on:click=clear>"Yes, forget them"</button>
                        <button class="secondary" on:click=move |_| confirming.set(false)>"Keep them"</button>
                    </Show>
                </div>
            </Show>
        </section>
    }
}

fn entry_row(entry: Entry, delete: impl Fn(u64) + Copy + 'static) -> impl IntoView {
    let key = entry.key;
    let runs = entry
        .runs
        .iter()
        .map(|run| {
            let p50 = run.p50_ms.map_or_else(String::new, |p50| {
                format!(", {} p50 {}", run.kind.piece(), format::ms(p50, 0.1))
            });
            view! {
                <li>
                    {format!(
                        "{}: {}{p50}, {}",
                        run.label,
                        format::ms(run.wall_ms, 0.1),
                        format::rate(run.throughput_per_s),
                    )}
                </li>
            }
        })
        .collect_view();
    let mut notes = Vec::new();
    if entry.hidden() {
        notes.push(format!(
            "tab hidden for {}: timers throttled",
            format::ms(entry.hidden_ms, 1.0)
        ));
    }
    if entry.cancelled {
        notes.push("cancelled part way".to_owned());
    }
    view! {
        <tr data-testid="history-row" data-key=key.to_string() data-lab=entry.lab.clone() data-hidden=entry.hidden().to_string()>
            // Each cell names its column, for the narrow layout that hides the header row.
            <td data-label="kept">{entry.saved_minute()}</td>
            <td data-label="lab">{entry.lab.clone()}</td>
            <td data-label="runs"><ul class="history-runs">{runs}</ul></td>
            <td data-label="browser">{format!("{} · {} threads", entry.browser, entry.hardware_threads)}</td>
            <td data-label="notes" data-testid="history-notes">{notes.join("; ")}</td>
            <td data-label="size">{lab_history::megabytes(entry.bytes)}</td>
            <td class="history-actions">
                <a href=format!("?lab={}&reopen={key}", entry.lab) data-testid="history-open">"Open"</a>
                <button class="secondary" data-testid="history-delete" on:click=move |_| delete(key)>"Delete"</button>
            </td>
        </tr>
    }
}

/// The scatter on log axes, and a table of the same points.
#[component]
fn OverviewChart(points: Vec<OverviewPoint>) -> impl IntoView {
    let xs = points
        .iter()
        .map(|p| p.throughput_per_s)
        .filter(|v| *v > 0.0);
    let ys = points.iter().map(|p| p.latency_ms).filter(|v| *v > 0.0);
    let (x0, x1) = decades(
        xs.clone().fold(f64::INFINITY, f64::min),
        xs.fold(0.0, f64::max),
    );
    let (y0, y1) = decades(
        ys.clone().fold(f64::INFINITY, f64::min),
        ys.fold(0.0, f64::max),
    );
    let x = LinearScale::new((x0, x1), (LEFT, WIDTH - RIGHT));
    let y = LinearScale::new((y0, y1), (HEIGHT - BOTTOM, TOP));
    let grid_x = (x0 as i32..=x1 as i32)
        .map(|e| {
            let px = x.map(f64::from(e));
            view! {
                <line class="grid" x1=px x2=px y1=TOP y2=HEIGHT - BOTTOM />
                <text x=px y=HEIGHT - BOTTOM + 14.0 text-anchor="middle">{power_label(f64::from(e))}</text>
            }
        })
        .collect_view();
    let grid_y = (y0 as i32..=y1 as i32)
        .map(|e| {
            let py = y.map(f64::from(e));
            view! {
                <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=py y2=py />
                <text x=LEFT - 6.0 y=py + 3.5 text-anchor="end">{power_label(f64::from(e))}</text>
            }
        })
        .collect_view();
    let dots = points
        .iter()
        .filter(|p| p.throughput_per_s > 0.0 && p.latency_ms > 0.0)
        .map(|p| {
            view! {
                <circle class=format!("dot {}", kind_class(p.kind)) cx=x.map(p.throughput_per_s.log10()) cy=y.map(p.latency_ms.log10()) r="5">
                    <title>{format!("{} · {}: {} {}/s, {:.1} ms", p.lab, p.label, format::rate(p.throughput_per_s).trim_end_matches(" /s").trim_end_matches("/s"), p.unit, p.latency_ms)}</title>
                </circle>
            }
        })
        .collect_view();
    let rows = points
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{format!("{} · {}", p.lab, p.label)}</th>
                    <td>{kind_class(p.kind)}</td>
                    <td>{format::rate_of(p.throughput_per_s, &p.unit)}</td>
                    <td>{format!("{:.1} ms", p.latency_ms)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid="overview-chart" data-points=points.len().to_string()>
            <figcaption class="chart-title">"Latency against throughput, every run (log scales)"</figcaption>
            <ChartScroll width=WIDTH>
                <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label="Every run: latency against throughput">
                    <g class="axis">
                        {grid_x}
                        {grid_y}
                        <text class="axis-label" x=(LEFT + WIDTH - RIGHT) / 2.0 y=HEIGHT - 8.0 text-anchor="middle">
                            "throughput (per second: requests, or the kernel's work items)"
                        </text>
                        <text class="axis-label" x=16.0 y=(TOP + HEIGHT - BOTTOM) / 2.0 text-anchor="middle" transform=format!("rotate(-90 16 {:.1})", (TOP + HEIGHT - BOTTOM) / 2.0)>
                            "latency (ms), as in the key"
                        </text>
                    </g>
                    {dots}
                </svg>
            </ChartScroll>
            <div class="legend">
                <span class="key io">"I/O: requests/s, median request latency"</span>
                <span class="key worker">"CPU: work items/s, job latency"</span>
                <span class="key hybrid">"pipeline: items/s, median item latency"</span>
            </div>
        </figure>
        <table class="levels" data-testid="overview-table">
            <thead>
                <tr>
                    <th scope="col">"run"</th>
                    <th scope="col">"kind"</th>
                    <th scope="col">"throughput"</th>
                    <th scope="col">"latency"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
