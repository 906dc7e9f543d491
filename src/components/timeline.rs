//! The timeline: one lane per request in flight or per worker, the main thread's frames on
//! top, all on the run's one clock. Idle is empty space. Dragging across it zooms into that
//! stretch of time; spans closer than a pixel at the current zoom are drawn as one bar, so a run
//! of a hundred thousand spans stays a few hundred rectangles at any zoom.

use lab_core::labels;
use lab_core::scale::{ends_at_tick, format_tick, tick_step, LinearScale, Rows};
use lab_core::schema::RunRecord;
use lab_core::span::{coalesce, tick_bands, window, Bar, Lane};
use leptos::prelude::*;
use leptos::svg::Svg;
use wasm_bindgen::JsCast;

use super::chart_scroll::ChartScroll;

// Sized so that a timeline drawn in half of a 1280 px page still shows its text at 11 px or more.
const WIDTH: f64 = 600.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 8.0;
const MAIN_ROW: f64 = 18.0;
const ROW: f64 = 13.0;
const GAP: f64 = 2.0;
/// Lanes beyond what fits in this height (32 at full size) get thinner, to a pitch of
/// `MIN_PITCH`: 256 requests in flight make a chart, not a scroll of 4,000 px.
const LANES_HEIGHT: f64 = 480.0;
const MIN_PITCH: f64 = 2.0;
/// Lane labels are this tall; on thin lanes, only every second, fourth… lane has one.
const LABEL_HEIGHT: f64 = 12.0;
const AXIS: f64 = 38.0;
/// The size of a tick label, in the timeline's units (as `.timeline svg` in the stylesheet).
const TICK_FONT: f64 = 12.0;
/// Frame ticks closer than this (in the timeline's units, on average) are drawn as bands.
const TICK_SPACING: f64 = 3.0;
/// Above this many spans, spans closer than a pixel are drawn as one bar.
const MAX_BARS: usize = 400;
/// A drag narrower than this (in the timeline's units) is a click, not a zoom.
const MIN_DRAG: f64 = 4.0;
/// The narrowest window a zoom opens, in ms: a microsecond.
const MIN_WINDOW_MS: f64 = 0.001;

/// A run drawn as spans on lanes; `domain_ms` puts several runs on one time axis. With
/// `workers_wait`, the workers' spans are time spent blocked waiting, not computing, and are
/// drawn as such (hollow, dashed).
#[component]
pub fn Timeline(
    record: RunRecord,
    #[prop(optional)] domain_ms: Option<f64>,
    #[prop(optional)] workers_wait: bool,
) -> impl IntoView {
    let lanes = record.spans.lanes().to_vec();
    // The legend lists only what is drawn.
    let has_io = lanes.iter().any(|lane| matches!(lane, Lane::Io(_)));
    let has_workers = lanes.iter().any(|lane| matches!(lane, Lane::Worker(_)));
    let has_main_tasks = lanes.contains(&Lane::Main);
    let has_blocks = !record.main_thread.block_spans.is_empty();
    let has_stalls = !record.main_thread.frame_stall_spans.is_empty();
    // Found when the spans were made: no pass here over what may be a million of them.
    let has_failed = record.spans.any_failed();
    let end = record
        .spans
        .end_ms()
        .max(record.summary.wall_ms)
        .max(domain_ms.unwrap_or(0.0));
    let whole = LinearScale::new((0.0, end.max(1.0)), (LEFT, WIDTH - RIGHT)).nice(6);
    let (_, whole_end) = whole.domain();
    let rows = Rows::fit(lanes.len(), ROW, GAP, LANES_HEIGHT, MIN_PITCH, LABEL_HEIGHT);
    let lanes_bottom = lane_top(rows, lanes.len());
    let height = lanes_bottom + AXIS;

    // The stretch of time shown: the whole run, or the window a drag (or a button) zoomed into.
    let zoom = RwSignal::new(None::<(f64, f64)>);
    let scale = move || match zoom.get() {
        Some(window) => LinearScale::new(window, (LEFT, WIDTH - RIGHT)),
        None => whole,
    };
    let zoom_to = move |from: f64, to: f64| {
        let (from, to) = (from.max(0.0), to.min(whole_end));
        let to = to.max(from + MIN_WINDOW_MS);
        zoom.set((to - from < whole_end).then_some((from, to)));
    };
    let zoom_in = move |_| {
        let (from, to) = scale().domain();
        let quarter = (to - from) / 4.0;
        zoom_to(from + quarter, to - quarter);
    };

    // A drag across the drawing, in the timeline's units: where it began and where it is now.
    let svg = NodeRef::<Svg>::new();
    let drag = RwSignal::new(None::<(f64, f64)>);
    let at = move |event: &web_sys::PointerEvent| {
        let rect = svg.get_untracked()?.get_bounding_client_rect();
        let x = (f64::from(event.client_x()) - rect.left()) * WIDTH / rect.width();
        (rect.width() > 0.0).then(|| x.clamp(LEFT, WIDTH - RIGHT))
    };
    let on_down = move |event: web_sys::PointerEvent| {
        if event.button() == 0 {
            if let (Some(x), Some(svg)) = (at(&event), svg.get_untracked()) {
                // A drag zooms; it does not select the labels' text.
                event.prevent_default();
                let _ = svg.set_pointer_capture(event.pointer_id());
                drag.set(Some((x, x)));
            }
        }
    };
    let on_move = move |event: web_sys::PointerEvent| {
        if let (Some((from, _)), Some(x)) = (drag.get_untracked(), at(&event)) {
            drag.set(Some((from, x)));
        }
    };
    let on_up = move |event: web_sys::PointerEvent| {
        let Some((from, _)) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        let to = at(&event).unwrap_or(from);
        let (a, b) = (from.min(to), from.max(to));
        if b - a >= MIN_DRAG {
            let x = scale();
            zoom_to(x.invert(a), x.invert(b));
        }
    };
    let selection = move || {
        drag.get().map(|(from, to)| {
            view! {
                <rect class="zoom-selection" x=format!("{:.1}", from.min(to)) y=TOP
                    width=format!("{:.1}", (to - from).abs()) height=lanes_bottom - TOP />
            }
        })
    };

    let label = record.label.clone();
    let spans_count = record.spans.len();
    let lanes_count = lanes.len();
    let wall_ms = record.summary.wall_ms;
    let verdict = record.main_thread.verdict().text;
    let record = StoredValue::new(record);
    let lanes = StoredValue::new(lanes);
    // The bars drawn now, and the one pointed at: its description is the readout under the
    // drawing.
    let drawn = StoredValue::new(Vec::<Bar>::new());
    let pointed = RwSignal::new(None::<String>);
    let drawing = move || {
        let x = scale();
        let whole_run = zoom.with(Option::is_none);
        let (view, bars) = record.with_value(|record| {
            lanes.with_value(|lanes| draw(record, lanes, rows, x, whole_run, workers_wait))
        });
        drawn.set_value(bars);
        pointed.set(None);
        view
    };
    let on_over = move |event: web_sys::PointerEvent| {
        let bar = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.get_attribute("data-bar"))
            .and_then(|index| index.parse::<usize>().ok())
            .and_then(|index| drawn.with_value(|bars| bars.get(index).map(Bar::describe)));
        pointed.set(bar);
    };
    // What the timeline shows, for a reader who cannot see it.
    let description = move || {
        let (from, to) = scale().domain();
        let shown = match zoom.get() {
            Some(_) => format!(" Zoomed into {from:.1} to {to:.1} ms."),
            None => String::new(),
        };
        format!(
            "Timeline of {label}: {spans_count} spans on {lanes_count} lanes over {wall_ms:.0} ms.{shown} {verdict}"
        )
    };
    let readout = move || {
        let (from, to) = scale().domain();
        match zoom.get() {
            Some(_) => format!(
                "Showing {} to {} ms of {:.0} ms.",
                short_ms(from),
                short_ms(to),
                whole_end
            ),
            None => "Drag across the lanes to zoom into a stretch of time.".to_owned(),
        }
    };
    let pointed_text = move || {
        pointed
            .get()
            .unwrap_or_else(|| "Point at a bar for its times.".to_owned())
    };
    view! {
        <figure
            class="timeline"
            data-testid="timeline"
            data-from-ms=move || format!("{}", scale().domain().0)
            data-to-ms=move || format!("{}", scale().domain().1)
        >
            <ChartScroll width=WIDTH>
                <svg
                    node_ref=svg
                    viewBox=format!("0 0 {WIDTH} {height:.0}")
                    role="img"
                    aria-label=description
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=move |_| drag.set(None)
                    on:pointerover=on_over
                    on:pointerleave=move |_| pointed.set(None)
                >
                    {drawing}
                    {selection}
                    <text class="axis-label" x=(LEFT + WIDTH - RIGHT) / 2.0 y=height - 4.0 text-anchor="middle">
                        "time since the run was submitted (ms)"
                    </text>
                </svg>
            </ChartScroll>
            <p class="timeline-zoom">
                <span data-testid="timeline-window">{readout}</span>
                " "
                <button class="link" data-testid="timeline-zoom-in" on:click=zoom_in>"Zoom in"</button>
                <Show when=move || zoom.get().is_some()>
                    " · "
                    <button class="link" data-testid="timeline-zoom-out" on:click=move |_| zoom.set(None)>
                        "Show the whole run"
                    </button>
                </Show>
            </p>
            <p class="timeline-pointed" data-testid="timeline-pointed">{pointed_text}</p>
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

/// The main thread's row: a tick per frame drawn in `x`'s window. Where ticks would be closer
/// than [`TICK_SPACING`] pixels on average (a run of minutes is tens of thousands of frames),
/// those closer than that merge into bands, and a stall shows as the gap between two. Either way
/// they are one path, not an element a mark: `data-marks` says how many it draws.
fn frames(frame_times_ms: &[f64], x: LinearScale) -> impl IntoView {
    use std::fmt::Write;

    let (from, to) = x.domain();
    let first = frame_times_ms.partition_point(|&t| t < from);
    let last = frame_times_ms.partition_point(|&t| t <= to);
    let shown = &frame_times_ms[first..last.max(first)];
    let plot_px = WIDTH - LEFT - RIGHT;
    let (top, height) = (TOP + 3.0, MAIN_ROW - 6.0);
    let mut path = String::new();
    if (shown.len() as f64) * TICK_SPACING <= plot_px {
        for &t in shown {
            let _ = write!(path, "M{:.1} {top}v{height}", x.map(t));
        }
        return view! { <path class="frame-ticks" data-marks=shown.len() d=path /> }.into_any();
    }
    let gap_ms = TICK_SPACING * (to - from) / plot_px;
    let bands = tick_bands(shown, gap_ms);
    for &(start, end) in &bands {
        let (x0, x1) = (x.map(start), x.map(end));
        let width = (x1 - x0).max(0.8);
        let _ = write!(path, "M{x0:.1} {top}h{width:.1}v{height}h-{width:.1}z");
    }
    view! { <path class="frame-bands" data-marks=bands.len() d=path /> }.into_any()
}

/// The top of lane `index` of `rows`, under the main thread's row.
fn lane_top(rows: Rows, index: usize) -> f64 {
    TOP + MAIN_ROW + GAP * 2.0 + rows.top(index)
}

/// A time for the zoom readout: as many decimals as a narrow window needs.
fn short_ms(ms: f64) -> String {
    match ms.abs() {
        m if m >= 100.0 => format!("{ms:.0}"),
        m if m >= 1.0 => format!("{ms:.1}"),
        _ => format!("{ms:.3}"),
    }
}

/// Everything inside the drawing that depends on the window shown (`whole_run`, or a zoom):
/// grid, frames, blocks, lanes and the spans that fall in `x`'s domain; and the bars drawn, in
/// the order of their `data-bar`.
fn draw(
    record: &RunRecord,
    lanes: &[Lane],
    rows: Rows,
    x: LinearScale,
    whole_run: bool,
    workers_wait: bool,
) -> (AnyView, Vec<Bar>) {
    let main = &record.main_thread;
    let (from, to) = x.domain();
    let axis_y = lane_top(rows, lanes.len()) + 2.0;
    let frames = frames(&main.frame_times_ms, x);
    let mark = |class: &'static str, start: f64, end: f64, tip: String| {
        (end >= from && start <= to).then(|| {
            let (x0, x1) = (x.map(start.max(from)), x.map(end.min(to)));
            view! {
                <rect class=class x=format!("{x0:.1}") y=TOP width=format!("{:.1}", (x1 - x0).max(1.0)) height=MAIN_ROW>
                    <title>{tip}</title>
                </rect>
            }
        })
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
    let lane_labels = lanes
        .iter()
        .enumerate()
        .filter(|(i, _)| rows.labelled(*i))
        .map(|(i, lane)| {
            // Centred on its lane, whatever the lane's height.
            let y = lane_top(rows, i) + rows.height / 2.0 + 4.5;
            view! {
                <text class="lane-label" x=LEFT - 6.0 y=format!("{y:.1}") text-anchor="end">
                    // The top row is the main thread's frames; its tasks get a lane of their own.
                    {if *lane == Lane::Main { "on main".to_owned() } else { lane.to_string() }}
                </text>
            }
        })
        .collect_view();
    // Thousands of tiny tasks would be thousands of elements: merge what is closer than a pixel.
    // The whole run needs no clipping, and merges from the overview made with its spans.
    let pixel_ms = (to - from) / (WIDTH - LEFT - RIGHT);
    let bars: Vec<Bar> = if whole_run {
        if record.spans.len() > MAX_BARS {
            record.spans.bars(pixel_ms)
        } else {
            record.spans.iter().map(Bar::from).collect()
        }
    } else {
        let shown = window(&record.spans, from, to);
        if shown.len() > MAX_BARS {
            coalesce(&shown, lanes, pixel_ms)
        } else {
            shown.iter().map(Bar::from).collect()
        }
    };
    // Each bar says what it is when pointed at (`data-bar` is its place in `bars`), through one
    // readout under the drawing rather than a `<title>` element each: a run of 256 lanes lays out
    // half as many elements.
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(index, bar)| {
            let row = lanes.binary_search(&bar.lane).unwrap_or(0);
            let (x0, x1) = (x.map(bar.start_ms), x.map(bar.end_ms));
            let class = match bar.lane {
                Lane::Main => "span main",
                Lane::Io(_) => "span io",
                Lane::Worker(_) if workers_wait => "span worker waiting",
                Lane::Worker(_) => "span worker",
            };
            let shade = match bar.lane {
                Lane::Worker(i) => Some(format!("--shade:{}", i % 8)),
                _ => None,
            };
            view! {
                <rect
                    class=class
                    class:failed=!bar.ok()
                    style=shade
                    data-lane=bar.lane.to_string()
                    data-bar=index
                    x=format!("{x0:.2}")
                    y=format!("{:.2}", lane_top(rows, row))
                    width=format!("{:.2}", (x1 - x0).max(0.75))
                    height=format!("{:.2}", rows.height)
                />
            }
        })
        .collect_view();
    let ticks = x.ticks(6);
    let step = tick_step(&ticks);
    let ticks = ticks
        .into_iter()
        .map(|t| {
            let px = x.map(t);
            let text = format_tick(t, step);
            // The last tick sits at the right edge: its label ends there rather than spilling over.
            let anchor = if ends_at_tick(px, labels::text_width(&text, TICK_FONT), WIDTH) {
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
    let drawing = view! {
        <g class="grid">{ticks}</g>
        <text class="lane-label" x=LEFT - 6.0 y=TOP + MAIN_ROW - 5.0 text-anchor="end">"main"</text>
        <rect class="main-lane" x=LEFT y=TOP width=WIDTH - LEFT - RIGHT height=MAIN_ROW />
        {frames}
        {blocks}
        {stalls}
        {lane_labels}
        {drawn}
    }
    .into_any();
    (drawing, bars)
}
