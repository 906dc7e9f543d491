//! The timeline: one lane per request in flight or per worker, the main thread's frames on
//! top, all on the run's one clock. Idle is empty space.

use lab_core::labels;
use lab_core::scale::{format_tick, LinearScale};
use lab_core::schema::RunRecord;
use lab_core::span::{coalesce, lanes, Lane};
use leptos::prelude::*;

use super::chart_scroll::ChartScroll;

// Sized so that a timeline drawn in half of a 1280 px page still shows its text at 11 px or more.
const WIDTH: f64 = 600.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 8.0;
const MAIN_ROW: f64 = 18.0;
const ROW: f64 = 13.0;
const GAP: f64 = 2.0;
const AXIS: f64 = 38.0;
/// The size of a tick label, in the timeline's units (as `.timeline svg` in the stylesheet).
const TICK_FONT: f64 = 12.0;
/// Above this many spans, spans closer than a pixel are drawn as one bar.
const MAX_BARS: usize = 400;

/// A run drawn as spans on lanes; `domain_ms` puts several runs on one time axis. With
/// `workers_wait`, the workers' spans are time spent blocked waiting, not computing, and are
/// drawn as such (hollow, dashed).
#[component]
pub fn Timeline(
    record: RunRecord,
    #[prop(optional)] domain_ms: Option<f64>,
    #[prop(optional)] workers_wait: bool,
) -> impl IntoView {
    let main = &record.main_thread;
    let lanes = lanes(&record.spans);
    // The legend lists only what is drawn.
    let has_io = lanes.iter().any(|lane| matches!(lane, Lane::Io(_)));
    let has_workers = lanes.iter().any(|lane| matches!(lane, Lane::Worker(_)));
    let has_main_tasks = lanes.contains(&Lane::Main);
    let has_failed = record.spans.iter().any(|s| !s.ok);
    let end = record.spans.iter().map(|s| s.end_ms).fold(
        record.summary.wall_ms.max(domain_ms.unwrap_or(0.0)),
        f64::max,
    );
    let x = LinearScale::new((0.0, end.max(1.0)), (LEFT, WIDTH - RIGHT)).nice(6);
    let (_, domain_end) = x.domain();
    // What the timeline shows, for a reader who cannot see it.
    let description = format!(
        "Timeline of {}: {} spans on {} lanes over {:.0} ms. {}",
        record.label,
        record.spans.len(),
        lanes.len(),
        record.summary.wall_ms,
        main.verdict().text
    );
    let lane_top = |index: usize| TOP + MAIN_ROW + GAP * 2.0 + index as f64 * (ROW + GAP);
    let height = lane_top(lanes.len()) + AXIS;
    let axis_y = lane_top(lanes.len()) + 2.0;

    let frames = main
        .frame_times_ms
        .iter()
        .filter(|&&t| t <= domain_end)
        .map(|&t| {
            let px = format!("{:.1}", x.map(t));
            view! { <line class="frame-tick" x1=px.clone() x2=px y1=TOP + 3.0 y2=TOP + MAIN_ROW - 3.0 /> }
        })
        .collect_view();
    let mark = |class: &'static str, from: f64, to: f64, tip: String| {
        let (x0, x1) = (x.map(from.max(0.0)), x.map(to.min(domain_end)));
        view! {
            <rect class=class x=format!("{x0:.1}") y=TOP width=format!("{:.1}", (x1 - x0).max(1.0)) height=MAIN_ROW>
                <title>{tip}</title>
            </rect>
        }
    };
    let blocks = main
        .block_spans
        .iter()
        .map(|block| {
            let seen_by: Vec<&str> = block.seen_by.iter().map(|s| s.describe()).collect();
            let tip = format!(
                "main thread blocked {:.0} ms (seen by {})",
                block.duration_ms,
                seen_by.join(", ")
            );
            mark(
                "long-task",
                block.start_ms,
                block.start_ms + block.duration_ms,
                tip,
            )
        })
        .collect_view();
    let stalls = main
        .frame_stall_spans
        .iter()
        .map(|stall| {
            let tip = format!(
                "no frame for {:.0} ms, while the main thread was free",
                stall.duration_ms
            );
            mark("frame-stall", stall.start_ms, stall.end_ms(), tip)
        })
        .collect_view();
    let has_blocks = !main.block_spans.is_empty();
    let has_stalls = !main.frame_stall_spans.is_empty();
    let lane_labels = lanes
        .iter()
        .enumerate()
        .map(|(i, lane)| {
            view! {
                <text class="lane-label" x=LEFT - 6.0 y=lane_top(i) + ROW - 2.0 text-anchor="end">
                    // The top row is the main thread's frames; its tasks get a lane of their own.
                    {if *lane == Lane::Main { "on main".to_owned() } else { lane.to_string() }}
                </text>
            }
        })
        .collect_view();
    // Thousands of tiny tasks would be thousands of elements: merge what is closer than a pixel.
    let pixel_ms = domain_end / (WIDTH - LEFT - RIGHT);
    let spans = if record.spans.len() > MAX_BARS {
        coalesce(&record.spans, pixel_ms)
    } else {
        record.spans.clone()
    };
    let bars = spans
        .iter()
        .map(|span| {
            let row = lanes.iter().position(|l| *l == span.lane).unwrap_or(0);
            let (x0, x1) = (x.map(span.start_ms), x.map(span.end_ms));
            let class = match span.lane {
                Lane::Main => "span main",
                Lane::Io(_) => "span io",
                Lane::Worker(_) if workers_wait => "span worker waiting",
                Lane::Worker(_) => "span worker",
            };
            let shade = match span.lane {
                Lane::Worker(i) => format!("--shade:{}", i % 8),
                _ => String::new(),
            };
            let tip = format!(
                "{} #{}: {:.2} → {:.2} ms ({:.2} ms){}",
                span.lane,
                span.id,
                span.start_ms,
                span.end_ms,
                span.duration_ms(),
                if span.ok { "" } else { ", failed" }
            );
            view! {
                <rect
                    class=class
                    class:failed=!span.ok
                    style=shade
                    data-lane=span.lane.to_string()
                    x=format!("{x0:.2}")
                    y=format!("{:.1}", lane_top(row))
                    width=format!("{:.2}", (x1 - x0).max(0.75))
                    height=ROW
                >
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();
    let step = {
        let ticks = x.ticks(6);
        if ticks.len() > 1 {
            ticks[1] - ticks[0]
        } else {
            1.0
        }
    };
    let ticks = x
        .ticks(6)
        .into_iter()
        .map(|t| {
            let px = x.map(t);
            let text = format_tick(t, step);
            // The last tick sits at the right edge: its label ends there rather than spilling over.
            let anchor = if px + labels::text_width(&text, TICK_FONT) / 2.0 > WIDTH {
                "end"
            } else {
                "middle"
            };
            view! {
                <g class="tick">
                    <line x1=px x2=px y1=TOP y2=axis_y />
                    <text x=px y=axis_y + 15.0 text-anchor=anchor>{text}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="timeline" data-testid="timeline">
            <ChartScroll width=WIDTH>
                <svg viewBox=format!("0 0 {WIDTH} {height:.0}") role="img" aria-label=description>
                    <g class="grid">{ticks}</g>
                    <text class="lane-label" x=LEFT - 6.0 y=TOP + MAIN_ROW - 5.0 text-anchor="end">"main"</text>
                    <rect class="main-lane" x=LEFT y=TOP width=WIDTH - LEFT - RIGHT height=MAIN_ROW />
                    {frames}
                    {blocks}
                    {stalls}
                    {lane_labels}
                    {bars}
                    <text class="axis-label" x=(LEFT + WIDTH - RIGHT) / 2.0 y=height - 4.0 text-anchor="middle">
                        "time since the run was submitted (ms)"
                    </text>
                </svg>
            </ChartScroll>
            <figcaption class="legend">
                <span class="key main">"main thread: a tick per frame drawn"</span>
                {has_blocks.then(|| view! { <span class="key blocked">"main thread blocked over 50 ms"</span> })}
                {has_stalls.then(|| view! { <span class="key frame-stall">"no frame drawn, main thread free"</span> })}
                {has_io.then(|| view! { <span class="key io">"request in flight"</span> })}
                {(has_workers && !workers_wait).then(|| view! { <span class="key worker">"task on a worker"</span> })}
                {(has_workers && workers_wait).then(|| view! { <span class="key waiting">"worker blocked, waiting (computing nothing)"</span> })}
                {has_main_tasks.then(|| view! { <span class="key main-task">"task on the main thread"</span> })}
                {has_failed.then(|| view! { <span class="key failed" data-testid="key-failed">"failed (no answer, or an error)"</span> })}
            </figcaption>
        </figure>
    }
}
