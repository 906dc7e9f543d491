//! A live strip of the main thread's frame times: short bars are a responsive page; a tall
//! red bar is a frame the page could not draw because the main thread was busy.

use lab_core::meter::LONG_TASK_MS;
use leptos::prelude::*;

use super::glossary::term;
use crate::runtime::meter::{meter, LIVE_FRAMES};

const WIDTH: f64 = 240.0;
const HEIGHT: f64 = 36.0;
/// Frame times above this are drawn at full height.
const CEILING_MS: f64 = 100.0;

/// The responsiveness meter, always running.
#[component]
pub fn LiveMeter() -> impl IntoView {
    let live = meter().live;
    let bar_width = WIDTH / LIVE_FRAMES as f64;
    // Two paths (frames within budget, frames over it) rather than a rect per frame: redrawing
    // the strip changes two attributes, not 120 elements, so it costs the page next to nothing.
    let bars = move |long: bool| {
        live.with(|intervals| {
            let mut d = String::new();
            for (i, &ms) in intervals.iter().enumerate() {
                if (ms > LONG_TASK_MS) != long {
                    continue;
                }
                let h = (ms.min(CEILING_MS) / CEILING_MS * HEIGHT).max(1.0);
                let x = i as f64 * bar_width;
                let w = (bar_width - 0.5).max(0.5);
                d.push_str(&format!("M{x:.1} {HEIGHT}v{:.1}h{w:.1}v{h:.1}z", -h));
            }
            d
        })
    };
    let latest = move || {
        live.with(|intervals| {
            let recent = &intervals[intervals.len().saturating_sub(30)..];
            recent.iter().copied().fold(0.0_f64, f64::max)
        })
    };
    view! {
        <figure class="live-meter" data-testid="live-meter">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                width=WIDTH
                height=HEIGHT
                role="img"
                aria-label="Main-thread frame times, last two seconds"
            >
                <line class="budget" x1="0" x2=WIDTH y1=HEIGHT - 16.7 / CEILING_MS * HEIGHT y2=HEIGHT - 16.7 / CEILING_MS * HEIGHT />
                <path class="frame" d=move || bars(false) />
                <path class="frame long" d=move || bars(true) />
            </svg>
            <figcaption>
                {term("main-thread", "Main thread")}": worst "{term("frame", "frame")}" of the last half second "
                <strong>{move || format!("{:.0} ms", latest())}</strong>
                " (16.7 ms is smooth; red = frozen > 50 ms)"
            </figcaption>
        </figure>
    }
}
