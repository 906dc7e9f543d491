//! A latency histogram with the p50 and p99 marked.

use lab_core::labels::{self, Rect};
use lab_core::scale::LinearScale;
use lab_core::stats::{histogram, LatencyMs};
use leptos::prelude::*;

use super::axes::{x_axis, y_axis};
use super::chart_scroll::ChartScroll;

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 42.0;
/// The size of a mark's label, in the chart's units (as `.mark-label` in the stylesheet).
const MARK_FONT: f64 = 11.5;

/// How the request latencies spread.
#[component]
pub fn Histogram(samples: Vec<f64>, latency: Option<LatencyMs>) -> impl IntoView {
    let bins = histogram(&samples, 30);
    let lo = bins.first().map_or(0.0, |b| b.lo);
    let hi = bins.last().map_or(1.0, |b| b.hi).max(lo + 1.0);
    let x = LinearScale::new(
        (lo.min(0.0).max(lo - (hi - lo) * 0.05), hi),
        (LEFT, WIDTH - RIGHT),
    )
    .nice(6);
    let most = bins.iter().map(|b| b.count).max().unwrap_or(1);
    // Counts are whole: an axis of at least 4 takes whole steps, never "0.5 requests".
    let y = LinearScale::new((0.0, f64::from(most.max(4))), (HEIGHT - BOTTOM, TOP)).nice(4);
    let base = HEIGHT - BOTTOM;
    // What the chart shows, for a reader who cannot see it.
    let description = format!(
        "Histogram of {} request latencies, from {lo:.0} to {hi:.0} ms; the tallest bar holds {most}{}",
        samples.len(),
        latency.map_or(String::new(), |l| format!(
            "; p50 {:.0} ms, p99 {:.0} ms",
            l.p50, l.p99
        ))
    );
    let bars = bins
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| {
            let (x0, x1) = (x.map(b.lo), x.map(b.hi));
            let top = y.map(f64::from(b.count));
            view! {
                <rect class="bar" x=x0 y=top width=(x1 - x0 - 1.0).max(1.0) height=base - top>
                    <title>{format!("{:.1}–{:.1} ms: {} requests", b.lo, b.hi, b.count)}</title>
                </rect>
            }
        })
        .collect_view();
    let marks = latency.map(|l| {
        // The p99's label first, then the p50's, each beside its line where it collides with
        // neither the other nor the chart's edge.
        let marks = [("p99", l.p99, "mark p99"), ("p50", l.p50, "mark p50")];
        let texts = marks.map(|(name, value, _)| format!("{name} {value:.1} ms"));
        let anchors: Vec<(f64, f64, &str)> = marks
            .iter()
            .zip(&texts)
            .map(|(&(_, value, _), text)| (x.map(value), TOP, text.as_str()))
            .collect();
        let plot = Rect { left: LEFT, top: 0.0, right: WIDTH - RIGHT, bottom: base };
        let placed = labels::place(&anchors, MARK_FONT, plot, &[]);
        marks
            .into_iter()
            .zip(texts)
            .zip(placed)
            .map(|(((_, value, class), text), at)| {
                let px = x.map(value);
                view! {
                    <line class=class x1=px x2=px y1=TOP y2=base />
                    {at.map(|at| view! {
                        <text class="mark-label" x=at.x y=at.y text-anchor=at.anchor.svg()>{text}</text>
                    })}
                }
            })
            .collect_view()
    });
    view! {
        <figure class="chart" data-testid="io-histogram">
            <figcaption class="chart-title">"How long requests took"</figcaption>
            <ChartScroll width=WIDTH>
                <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=description>
                    {y_axis(y, LEFT, WIDTH - RIGHT, "requests")}
                    {x_axis(x, base, TOP, WIDTH, "request latency (ms)")}
                    {bars}
                    {marks}
                </svg>
            </ChartScroll>
        </figure>
    }
}
