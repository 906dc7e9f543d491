//! The browser's Resource Timing entries, read once a run is over and paired with its requests
//! in the core ([`lab_core::resource_timing::pair`]).

use lab_core::resource_timing::Entry;
use wasm_bindgen::JsCast;
use web_sys::PerformanceResourceTiming;

use super::clock;
use super::event_loop::Slices;

/// The longest stretch of reading entries in one task, in ms.
const SLICE_MS: f64 = 8.0;
/// Entries read between two looks at the clock.
const CHECK_EVERY: u32 = 256;

/// Entries the browser keeps before it drops new ones (its default is 250): room for a whole
/// run of the most requests a run may have, and the page's own files.
const BUFFER: u32 = lab_core::config::IO_N.max + 1000;

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// Empties the buffer and makes room for a whole run.
pub fn reset() {
    if let Some(performance) = performance() {
        performance.set_resource_timing_buffer_size(BUFFER);
        performance.clear_resource_timings();
    }
}

/// Every resource entry in the buffer, on the shared clock. A flood's hundred thousand entries
/// are hundreds of milliseconds of calls into the browser, so they are read in slices of at most
/// [`SLICE_MS`], each in a task of its own.
pub async fn entries() -> Vec<Entry> {
    let Some(performance) = performance() else {
        return Vec::new();
    };
    let list = performance.get_entries_by_type("resource");
    let origin = clock::origin_ms();
    let mut entries = Vec::with_capacity(list.length() as usize);
    let slices = Slices::new(SLICE_MS);
    for index in 0..list.length() {
        if index % CHECK_EVERY == 0 {
            slices.turn().await;
        }
        let Ok(entry) = list.get(index).dyn_into::<PerformanceResourceTiming>() else {
            continue;
        };
        entries.push(Entry {
            name: entry.name(),
            start_ms: origin + entry.start_time(),
            // 0 means the browser may not say (a cross-origin answer without Timing-Allow-Origin).
            response_start_ms: Some(entry.response_start())
                .filter(|t| *t > 0.0)
                .map(|t| origin + t),
            end_ms: origin + entry.response_end(),
        });
    }
    entries
}

/// `url` made absolute against the page, as the browser names its entry.
pub fn absolute(url: &str) -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    web_sys::Url::new_with_base(url, &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| url.to_owned())
}
