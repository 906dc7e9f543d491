//! Every run since the page was opened on one chart: throughput across, latency up, coloured by
//! kind. Async work buys latency for many waits; parallel work buys throughput for one job.

use lab_core::format;
use lab_core::overview::OverviewPoint;
use lab_core::scale::LinearScale;
use lab_core::schema::RunKind;
use leptos::prelude::*;

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

/// The overview.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let points = RwSignal::new(history::load());
    let clear = move |_| {
        history::clear();
        points.set(Vec::new());
    };
    view! {
        <section class="card" data-testid="overview">
            <h2>"Every run since this page was opened"</h2>
            <p class="lesson">
                "Each run is a point: how much it got done per second (across, logarithmic) against how "
                "long one piece took (up, logarithmic). Requests (teal) contribute requests per second and "
                "their median latency; CPU jobs (blue) the kernel's work items per second and the job's "
                "latency; pipelines (amber) items per second and the median item latency. Async work keeps "
                "latency near one wait while the count in flight grows; parallel work multiplies the "
                "throughput of one job."
            </p>
            {move || {
                let all = points.get();
                if all.is_empty() {
                    view! { <p class="empty">"No runs yet: run something in any lab, then come back."</p> }.into_any()
                } else {
                    view! { <OverviewChart points=all /> }.into_any()
                }
            }}
            <button class="secondary" on:click=clear data-testid="clear-history">"Forget these runs"</button>
        </section>
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
