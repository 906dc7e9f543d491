//! Latency against throughput: the measured levels as points (p50 solid, p99 dashed), the
//! queueing model as a line behind them, the knee marked, and other exports' medians behind.

use lab_core::labels::{self, Rect};
use lab_core::labs::io::queueing::{knee, Prediction};
use lab_core::scale::LinearScale;
use lab_core::schema::RunRecord;
use leptos::prelude::*;

use super::axes::{line_path as path, x_axis, y_axis};
use super::chart_scroll::ChartScroll;
use super::overlay::{self, Overlay};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 62.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;
/// The size of a level's label, in the chart's units (as `.point-label` in the stylesheet).
const POINT_FONT: f64 = 11.5;

/// One measured level.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Its label (`C = 4`).
    pub label: String,
    /// Completed per second.
    pub throughput: f64,
    /// Median latency.
    pub p50: f64,
    /// 99th percentile latency.
    pub p99: f64,
    /// Whether it belongs to the swept series, joined to its neighbours by the lines; a point
    /// of another kind (the trade-off lab's run on the workers) stands alone.
    pub joined: bool,
}

impl Point {
    /// The point of a run, if it completed anything.
    pub fn of(record: &RunRecord) -> Option<Point> {
        let latency = record.summary.latency_ms?;
        Some(Point {
            label: record.label.clone(),
            throughput: record.summary.throughput_per_s,
            p50: latency.p50,
            p99: latency.p99,
            joined: true,
        })
    }
}

/// The chart; `model` is the prediction over the swept range, in sweep order. `y_label` names
/// the latency measured (a request's, or a whole job's).
#[component]
pub fn LatencyThroughput(
    points: Vec<Point>,
    model: Vec<Prediction>,
    caption: String,
    #[prop(default = "request latency (ms)")] y_label: &'static str,
    #[prop(default = "throughput (requests per second)")] x_label: &'static str,
    #[prop(default = ("p50 (measured)", "p99 (measured)"))] legend: (&'static str, &'static str),
    #[prop(default = "io-curve")] test_id: &'static str,
    /// A throughput no run can pass here (the request path's ceiling), drawn as a limit.
    #[prop(default = None)]
    limit: Option<f64>,
    /// Other exports' points (their medians), drawn behind this page's and named in the key.
    #[prop(default = Vec::new())]
    others: Vec<Overlay<Point>>,
) -> impl IntoView {
    // What the chart shows, for a reader who cannot see it.
    let description = format!("{y_label} against {x_label}: {caption}");
    let has_model = !model.is_empty();
    let max_x = points
        .iter()
        .map(|p| p.throughput)
        .chain(model.iter().map(|m| m.throughput_per_s))
        .chain(limit)
        .chain(
            others
                .iter()
                .flat_map(|o| o.points.iter().map(|p| p.throughput)),
        )
        .fold(1.0, f64::max);
    let max_y = points
        .iter()
        .map(|p| p.p99)
        .chain(others.iter().flat_map(|o| o.points.iter().map(|p| p.p50)))
        .fold(1.0, f64::max);
    let model: Vec<Prediction> = model
        .into_iter()
        .filter(|m| m.latency_ms <= max_y * 1.5)
        .collect();
    let max_y = model.iter().map(|m| m.latency_ms).fold(max_y, f64::max);
    let x = LinearScale::new((0.0, max_x * 1.05), (LEFT, WIDTH - RIGHT)).nice(6);
    let y = LinearScale::new((0.0, max_y * 1.1), (HEIGHT - BOTTOM, TOP)).nice(5);
    let knee_at = knee(&points.iter().map(|p| p.throughput).collect::<Vec<_>>());
    let model_path = path(
        model
            .iter()
            .map(|m| (x.map(m.throughput_per_s), y.map(m.latency_ms))),
    );
    // Lines join only the swept series: points from different series are never joined.
    let series = || points.iter().filter(|p| p.joined);
    let p50_path = path(series().map(|p| (x.map(p.throughput), y.map(p.p50))));
    let p99_path = path(series().map(|p| (x.map(p.throughput), y.map(p.p99))));
    // The knee's label left of its line, or right of it where it would reach the y axis's
    // labels: its text, where it starts and ends, and its anchor.
    let knee_label_at = |p: &Point| {
        let text = format!("knee: {}", p.label);
        let px = x.map(p.throughput);
        let width = labels::text_width(&text, 10.0);
        let (x, anchor, left) = if px - 4.0 - width < LEFT {
            (px + 4.0, "start", px + 4.0)
        } else {
            (px - 4.0, "end", px - 4.0 - width)
        };
        let rect = Rect {
            left,
            top: TOP,
            right: left + width,
            bottom: TOP + 13.0,
        };
        (text, x, anchor, rect)
    };
    let knee_mark = knee_at.and_then(|i| points.get(i)).map(|p| {
        let px = x.map(p.throughput);
        let (text, at, anchor, _) = knee_label_at(p);
        view! {
            <line class="knee" x1=px x2=px y1=TOP y2=HEIGHT - BOTTOM />
            <text class="knee-label" x=at y=TOP + 10.0 text-anchor=anchor>{text}</text>
        }
    });
    // Each level's label beside its median, where it collides with no other label and stays
    // inside the plot; the knee's and the ceiling's labels are in the way too.
    let plot = Rect {
        left: LEFT,
        top: TOP,
        right: WIDTH - RIGHT,
        bottom: HEIGHT - BOTTOM,
    };
    let mut obstacles = Vec::new();
    if let Some(p) = knee_at.and_then(|i| points.get(i)) {
        obstacles.push(knee_label_at(p).3);
    }
    if let Some(limit) = limit {
        let right = x.map(limit) - 4.0;
        obstacles.push(Rect {
            left: right - labels::text_width("ceiling", 11.0),
            top: TOP + 14.0,
            right,
            bottom: TOP + 28.0,
        });
    }
    let anchors: Vec<(f64, f64, &str)> = points
        .iter()
        .map(|p| (x.map(p.throughput), y.map(p.p50), p.label.as_str()))
        .collect();
    let placed = labels::place(&anchors, POINT_FONT, plot, &obstacles);
    let dots = points
        .iter()
        .zip(placed)
        .map(|(p, at)| {
            let (px, y50, y99) = (x.map(p.throughput), y.map(p.p50), y.map(p.p99));
            let label = at.map(|at| view! {
                <text class="point-label" x=at.x y=at.y text-anchor=at.anchor.svg()>{p.label.clone()}</text>
            });
            view! {
                <g class="level" data-label=p.label.clone()>
                    <circle class="p50" cx=px cy=y50 r="4">
                        <title>{format!("{}: {:.1}/s, p50 {:.1} ms", p.label, p.throughput, p.p50)}</title>
                    </circle>
                    <circle class="p99" cx=px cy=y99 r="3.5">
                        <title>{format!("{}: {:.1}/s, p99 {:.1} ms", p.label, p.throughput, p.p99)}</title>
                    </circle>
                    {label}
                </g>
            }
        })
        .collect_view();
    let overlays = overlay::marks(
        &others,
        |p| (x.map(p.throughput), y.map(p.p50)),
        |p| format!("{}: {:.1}/s, p50 {:.1} ms", p.label, p.throughput, p.p50),
    );
    let overlay_keys = overlay::keys(&others, "p50");
    let knee_label = knee_at.and_then(|i| points.get(i)).map(|p| p.label.clone());
    view! {
        <figure class="chart" data-testid=test_id data-knee=knee_label>
            <figcaption class="chart-title">{caption}</figcaption>
            <ChartScroll width=WIDTH>
                <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=description>
                    {y_axis(y, LEFT, WIDTH - RIGHT, y_label)}
                    {x_axis(x, HEIGHT - BOTTOM, TOP, WIDTH, x_label)}
                    <path class="model" d=model_path />
                    {overlays}
                    <path class="p99-line" d=p99_path />
                    <path class="p50-line" d=p50_path />
                    {knee_mark}
                    {limit.map(|limit| {
                        let px = x.map(limit);
                        view! {
                            <line class="limit" x1=px x2=px y1=TOP y2=HEIGHT - BOTTOM />
                            <text class="limit-label" x=px - 4.0 y=TOP + 24.0 text-anchor="end">"ceiling"</text>
                        }
                    })}
                    {dots}
                </svg>
            </ChartScroll>
            <div class="legend">
                <span class="key p50">{legend.0}</span>
                <span class="key p99">{legend.1}</span>
                {has_model.then(|| view! { <span class="key model">"model: mean latency"</span> })}
                {overlay_keys}
                {limit.map(|limit| view! {
                    <span class="key limit">
                        {format!("ceiling: {} with 0 ms of service, this browser's request path", lab_core::format::rate(limit))}
                    </span>
                })}
            </div>
        </figure>
    }
}
