//! Axes for the SVG charts: nice ticks from the core's scales, labels with units; and the path
//! of a line through points.

use lab_core::labels;
use lab_core::scale::{ends_at_tick, tick_label, tick_step, LinearScale};
use leptos::prelude::*;

/// The size of a tick label, in the chart's units (as `.chart svg` in the stylesheet).
const TICK_FONT: f64 = 11.5;
/// The least room between two tick labels on a horizontal axis.
const TICK_GAP: f64 = 6.0;

/// A horizontal axis at `y` with grid lines up to `top` and a centred `label`, in a chart
/// `width` wide: a tick label that would cross the chart's right edge ends at its tick instead,
/// and where labels would collide the axis takes fewer, rounder ticks.
pub fn x_axis(x: LinearScale, y: f64, top: f64, width: f64, label: &'static str) -> impl IntoView {
    let ticks = x.spaced_ticks(6, TICK_FONT, TICK_GAP, width);
    let step = tick_step(&ticks);
    let (left, right) = x.range();
    view! {
        <g class="axis x">
            {ticks
                .into_iter()
                .map(|t| {
                    let px = x.map(t);
                    let text = tick_label(t, step);
                    let anchor = if ends_at_tick(px, labels::text_width(&text, TICK_FONT), width) {
                        "end"
                    } else {
                        "middle"
                    };
                    view! {
                        <line class="grid" x1=px x2=px y1=top y2=y />
                        <text x=px y=y + 17.0 text-anchor=anchor>{text}</text>
                    }
                })
                .collect_view()}
            <text class="axis-label" x=(left + right) / 2.0 y=y + 33.0 text-anchor="middle">{label}</text>
        </g>
    }
}

/// A vertical axis at `x` with grid lines across to `right` and a rotated `label`.
pub fn y_axis(y: LinearScale, x: f64, right: f64, label: &'static str) -> impl IntoView {
    let ticks = y.ticks(5);
    let step = tick_step(&ticks);
    let (bottom, top) = y.range();
    let middle = (bottom + top) / 2.0;
    view! {
        <g class="axis y">
            {ticks
                .into_iter()
                .map(|t| {
                    let py = y.map(t);
                    view! {
                        <line class="grid" x1=x x2=right y1=py y2=py />
                        <text x=x - 6.0 y=py + 3.5 text-anchor="end">{tick_label(t, step)}</text>
                    }
                })
                .collect_view()}
            <text
                class="axis-label"
                x=x - 44.0
                y=middle
                text-anchor="middle"
                transform=format!("rotate(-90 {:.1} {middle:.1})", x - 44.0)
            >
                {label}
            </text>
        </g>
    }
}

/// An SVG path through `points` (chart units), in order.
pub fn line_path(points: impl Iterator<Item = (f64, f64)>) -> String {
    points
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" }))
        .collect()
}
