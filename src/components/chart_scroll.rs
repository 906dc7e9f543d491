//! A chart's drawing in a box of its own. On a screen narrower than the chart was drawn for (a
//! phone), the drawing keeps its size, so its text stays readable, and the box scrolls sideways
//! with a hint saying so; the page itself never does. On a wide screen the drawing fills the box.
//! Under it, the chart can be downloaded as SVG or PNG.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::runtime::{chart_image, download};

/// Wraps one chart's `<svg>`, drawn `width` user units wide (its viewBox width).
#[component]
pub fn ChartScroll(width: f64, children: Children) -> impl IntoView {
    let scroll = NodeRef::<Div>::new();
    // The chart in the box, and a file name from the figure it belongs to.
    let chart = move || {
        let scroll = scroll.get_untracked()?;
        let svg: web_sys::SvgsvgElement = scroll.query_selector("svg").ok()??.dyn_into().ok()?;
        let name = scroll
            .closest("[data-testid]")
            .ok()
            .flatten()
            .and_then(|figure| figure.get_attribute("data-testid"))
            .unwrap_or_else(|| "chart".to_owned());
        Some((svg, format!("async-vs-parallel-lab-{name}")))
    };
    let save_svg = move |_| {
        if let Some((svg, name)) = chart() {
            download::save(
                &format!("{name}.svg"),
                &chart_image::svg_text(&svg),
                "image/svg+xml",
            );
        }
    };
    let save_png = move |_| {
        if let Some((svg, name)) = chart() {
            spawn_local(async move {
                if let Ok(blob) = chart_image::png(&svg).await {
                    download::save_blob(&format!("{name}.png"), &blob);
                }
            });
        }
    };
    view! {
        // Focusable, so a keyboard can scroll it too.
        <div class="chart-scroll" node_ref=scroll style=format!("--chart-width: {width}px") tabindex="0">
            {children()}
        </div>
        <p class="scroll-hint">"Swipe the chart sideways to see all of it."</p>
        <p class="chart-tools">
            "Download: "
            <button class="link" data-testid="chart-svg" on:click=save_svg title="This chart as SVG, as drawn">
                "SVG"
            </button>
            " · "
            <button class="link" data-testid="chart-png" on:click=save_png title="This chart as PNG, at twice its size">
                "PNG"
            </button>
        </p>
    }
}
