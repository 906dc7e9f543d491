//! One clock for every lane: `performance.timeOrigin + performance.now()`.
//!
//! Each worker's `performance.now()` counts from its own `timeOrigin`, so adding the origin
//! puts the main thread and every worker on the same axis (milliseconds since the epoch).

use wasm_bindgen::JsCast;
use web_sys::Performance;

thread_local! {
    static PERFORMANCE: Performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .expect("every window and worker has `performance`")
        .unchecked_into();
}

/// Now, in milliseconds since the epoch, on the clock shared by the page and its workers.
pub fn now_ms() -> f64 {
    PERFORMANCE.with(|p| p.time_origin() + p.now())
}

/// This thread's `performance.timeOrigin`: a `DOMHighResTimeStamp` plus this is on the shared
/// clock, for code that converts many at once.
pub fn origin_ms() -> f64 {
    PERFORMANCE.with(|p| p.time_origin())
}

/// Converts a `DOMHighResTimeStamp` of this thread (rAF, performance entries) to the shared clock.
pub fn from_high_res(timestamp: f64) -> f64 {
    PERFORMANCE.with(|p| p.time_origin() + timestamp)
}

/// The smallest step `performance.now()` takes here: 5 µs when cross-origin isolated,
/// 100 µs (and jittered) otherwise.
pub fn resolution_ms() -> f64 {
    PERFORMANCE.with(|p| {
        let mut smallest = f64::INFINITY;
        for _ in 0..20 {
            let start = p.now();
            let mut next = p.now();
            while next == start {
                next = p.now();
            }
            smallest = smallest.min(next - start);
        }
        smallest
    })
}
