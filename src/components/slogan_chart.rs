//! The slogan on one chart: one workload (the quick comparison's CPU job), three ways to run
//! it, two measures side by side. Left: how long a click could have waited for the page
//! (latency, which async fixes). Right: tasks done per second (throughput, which parallel
//! raises).

use lab_core::config::Slogan;
use lab_core::scale::LinearScale;
use leptos::prelude::*;

use super::axes::x_axis;
use super::chart_scroll::ChartScroll;

const WIDTH: f64 = 640.0;
const LABELS: f64 = 150.0;
const GAP: f64 = 36.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 10.0;
const ROW: f64 = 26.0;
const BAR: f64 = 16.0;
const AXIS: f64 = 46.0;

/// The chart, with the slogan worded from its numbers above it.
#[component]
pub fn SloganChart(slogan: Slogan) -> impl IntoView {
    let panel = (WIDTH - LABELS - GAP - RIGHT) / 2.0;
    let base = TOP + ROW * slogan.strategies.len() as f64;
    let height = base + AXIS;
    let left = (LABELS, LABELS + panel);
    let right = (LABELS + panel + GAP, WIDTH - RIGHT);
    let most = |f: fn(&lab_core::config::SloganRow) -> f64| {
        slogan.strategies.iter().map(f).fold(1.0, f64::max)
    };
    let answer = LinearScale::new((0.0, most(|s| s.answer_ms) * 1.05), left).nice(4);
    let rate = LinearScale::new((0.0, most(|s| s.per_s) * 1.05), right).nice(4);
    let description = format!(
        "Two measures of the same job run three ways. {}",
        slogan
            .strategies
            .iter()
            .map(|s| format!(
                "{}: a click could wait {:.0} ms, {:.0} tasks per second",
                s.name, s.answer_ms, s.per_s
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let rows = slogan
        .strategies
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let y = TOP + ROW * i as f64 + (ROW - BAR) / 2.0;
            let bar = |scale: &LinearScale, value: f64, class: &'static str| {
                let (x0, x1) = (scale.map(0.0), scale.map(value));
                view! { <rect class=class x=x0 y=y width=(x1 - x0).max(1.0) height=BAR /> }
            };
            view! {
                <text class="row-label" x=LABELS - 8.0 y=y + BAR - 4.0 text-anchor="end">{s.name.clone()}</text>
                {bar(&answer, s.answer_ms, "bar answer")}
                {bar(&rate, s.per_s, "bar rate")}
            }
        })
        .collect_view();
    view! {
        <figure class="chart slogan" data-testid="slogan-chart">
            <figcaption class="chart-title">{slogan.sentence()}</figcaption>
            <ChartScroll width=WIDTH>
                <svg viewBox=format!("0 0 {WIDTH} {height:.0}") role="img" aria-label=description>
                    {x_axis(answer, base, TOP, WIDTH, "a click could wait (ms): latency")}
                    {x_axis(rate, base, TOP, WIDTH, "tasks per second: throughput")}
                    {rows}
                </svg>
            </ChartScroll>
            <figcaption class="legend">
                <span class="key answer">"lower is better: how long the page could not answer"</span>
                <span class="key rate">"higher is better: work done per second"</span>
            </figcaption>
        </figure>
    }
}
