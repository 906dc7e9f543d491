//! A chart's drawing in a box of its own. On a screen narrower than the chart was drawn for (a
//! phone), the drawing keeps its size, so its text stays readable, and the box scrolls sideways
//! with a hint saying so; the page itself never does. On a wide screen the drawing fills the box.

use leptos::prelude::*;

/// Wraps one chart's `<svg>`, drawn `width` user units wide (its viewBox width).
#[component]
pub fn ChartScroll(width: f64, children: Children) -> impl IntoView {
    view! {
        // Focusable, so a keyboard can scroll it too.
        <div class="chart-scroll" style=format!("--chart-width: {width}px") tabindex="0">
            {children()}
        </div>
        <p class="scroll-hint">"Swipe the chart sideways to see all of it."</p>
    }
}
