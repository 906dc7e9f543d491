//! Speedup against the thread count: the ideal line, Amdahl's law fitted to the measured
//! points (only from three or more thread counts), and the points themselves.

use lab_core::labels::{self, Rect};
use lab_core::models::{amdahl_speedup, AmdahlEstimate};
use lab_core::scale::LinearScale;
use leptos::prelude::*;

use super::axes::{x_axis, y_axis};
use super::chart_scroll::ChartScroll;
use super::glossary::term;
use super::overlay::{self, Overlay};

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 44.0;
/// The size of a point's label, in the chart's units (as `.point-label` in the stylesheet).
const POINT_FONT: f64 = 11.5;

/// One measured level: its thread count, its median speedup, and the range its repetitions give.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpeedupPoint {
    /// Threads.
    pub threads: u32,
    /// Speedup of the median repetition.
    pub speedup: f64,
    /// Speedups of the slowest and fastest repetitions, when there were several.
    pub range: Option<(f64, f64)>,
}

/// The chart, from the measured points and the Amdahl estimate over them.
#[component]
pub fn SpeedupChart(
    points: Vec<SpeedupPoint>,
    amdahl: Option<AmdahlEstimate>,
    /// Other exports' speedups, drawn behind this page's and named in the key.
    #[prop(default = Vec::new())]
    others: Vec<Overlay<SpeedupPoint>>,
) -> impl IntoView {
    // What the chart shows, for a reader who cannot see it.
    let description = format!(
        "Speedup against threads: {}",
        points
            .iter()
            .map(|p| format!("{:.2}× on {}", p.speedup, p.threads))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let theirs = || others.iter().flat_map(|o| o.points.iter());
    let max_t = points
        .iter()
        .chain(theirs())
        .map(|p| p.threads)
        .max()
        .unwrap_or(1)
        .max(2);
    let top_t = f64::from(max_t) + 0.5;
    let max_s = points
        .iter()
        .map(|p| p.range.map_or(p.speedup, |r| r.1))
        .chain(theirs().map(|p| p.speedup))
        .fold(f64::from(max_t), f64::max);
    let x = LinearScale::new((0.0, top_t), (LEFT, WIDTH - RIGHT)).nice(6);
    let y = LinearScale::new((0.0, max_s * 1.1), (HEIGHT - BOTTOM, TOP)).nice(5);
    let ideal = format!(
        "M{:.1},{:.1} L{:.1},{:.1}",
        x.map(1.0),
        y.map(1.0),
        x.map(top_t.min(max_s * 1.1)),
        y.map(top_t.min(max_s * 1.1))
    );
    let fitted = matches!(amdahl, Some(AmdahlEstimate::Fitted { .. }));
    let (caption, curve) = match &amdahl {
        Some(AmdahlEstimate::Fitted { serial_fraction, limit, .. }) => {
            let path: String = (0..=40)
                .map(|i| {
                    let t = 1.0 + (top_t - 1.0) * f64::from(i) / 40.0;
                    let s = amdahl_speedup(*serial_fraction, t);
                    format!("{}{:.1},{:.1}", if i == 0 { "M" } else { " L" }, x.map(t), y.map(s))
                })
                .collect();
            let limit = limit.map_or("no limit".to_owned(), |l| format!("at most {l:.1}× however many cores"));
            (
                format!(
                    "Amdahl's law fitted to {} thread counts: serial fraction {:.1}%, so {limit}.",
                    points.len(),
                    serial_fraction * 100.0
                ),
                Some(path),
            )
        }
        Some(AmdahlEstimate::Single { threads, speedup, serial_fraction }) => (
            format!(
                "Speedup {speedup:.2}× on {threads} threads: a serial fraction of about {:.1}%. Two thread counts \
                 give a single estimate; it cannot be extrapolated to more cores.",
                serial_fraction * 100.0
            ),
            None,
        ),
        _ => ("Measure at least two thread counts for a speedup.".to_owned(), None),
    };
    let has_ranges = points.iter().any(|p| p.range.is_some());
    // Each point's label beside it, where it collides with no other label and stays in the plot.
    let texts: Vec<String> = points
        .iter()
        .map(|p| {
            format!(
                "{:.2}× ({:.0}%)",
                p.speedup,
                p.speedup / f64::from(p.threads) * 100.0
            )
        })
        .collect();
    let anchors: Vec<(f64, f64, &str)> = points
        .iter()
        .zip(&texts)
        .map(|(p, text)| (x.map(f64::from(p.threads)), y.map(p.speedup), text.as_str()))
        .collect();
    let plot = Rect {
        left: LEFT,
        top: TOP,
        right: WIDTH - RIGHT,
        bottom: HEIGHT - BOTTOM,
    };
    let placed = labels::place(&anchors, POINT_FONT, plot, &[]);
    let dots = points
        .iter()
        .zip(texts)
        .zip(placed)
        .map(|((&SpeedupPoint { threads: t, speedup: s, range }, text), at)| {
            let efficiency = s / f64::from(t) * 100.0;
            let px = x.map(f64::from(t));
            let bar = range.map(|(lo, hi)| {
                view! {
                    <line class="error-bar" x1=px x2=px y1=y.map(lo) y2=y.map(hi) />
                    <line class="error-bar" x1=px - 5.0 x2=px + 5.0 y1=y.map(lo) y2=y.map(lo) />
                    <line class="error-bar" x1=px - 5.0 x2=px + 5.0 y1=y.map(hi) y2=y.map(hi) />
                }
            });
            let spread = range.map_or(String::new(), |(lo, hi)| {
                format!(", repetitions {lo:.2}× to {hi:.2}×")
            });
            view! {
                <g class="level">
                    {bar}
                    <circle class="p50" cx=px cy=y.map(s) r="4.5">
                        <title>{format!("T = {t}: speedup {s:.2}×, efficiency {efficiency:.0}%{spread}")}</title>
                    </circle>
                    {at.map(|at| view! {
                        <text class="point-label" x=at.x y=at.y text-anchor=at.anchor.svg()>{text}</text>
                    })}
                </g>
            }
        })
        .collect_view();
    let overlays = overlay::marks(
        &others,
        |p| (x.map(f64::from(p.threads)), y.map(p.speedup)),
        |p| format!("T = {}: speedup {:.2}×", p.threads, p.speedup),
    );
    view! {
        <figure class="chart" data-testid="speedup-chart">
            <figcaption class="chart-title">{caption}</figcaption>
            <ChartScroll width=WIDTH>
                <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=description>
                    {y_axis(y, LEFT, WIDTH - RIGHT, "speedup (×, against T = 1)")}
                    {x_axis(x, HEIGHT - BOTTOM, TOP, WIDTH, "threads (T)")}
                    <path class="ideal" d=ideal />
                    {curve.map(|d| view! { <path class="model" d=d /> })}
                    {overlays}
                    {dots}
                </svg>
            </ChartScroll>
            <div class="legend">
                <span class="key p50">"measured (median of 3)"</span>
                {has_ranges.then(|| view! { <span class="key error-bar">"fastest to slowest repetition"</span> })}
                <span class="key ideal">"ideal: T×"</span>
                {fitted.then(|| view! { <span class="key model">{term("amdahl", "Amdahl's law")}", fitted"</span> })}
                {overlay::keys(&others, "speedup")}
            </div>
        </figure>
    }
}
