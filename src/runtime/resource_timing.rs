//! The browser's Resource Timing entries, taken as the browser adds them during a run and paired
//! with its requests in the core ([`lab_core::resource_timing::pair`]).
//!
//! A `PerformanceObserver` copies each batch's names and times out of their entry objects as they
//! come, and the objects are garbage at once. Reading them all once the run was over
//! (`getEntriesByType`) held a hundred thousand entry objects alive while Rust read them in
//! slices, long enough for V8's major collection to find them: after a 100,000-fetch flood it
//! paused the page 112 to 134 ms, much of it clearing their handles (49 ms at most since).

use lab_core::resource_timing::Entry;
use wasm_bindgen::prelude::*;

use super::clock;
use super::event_loop::Slices;

/// The longest stretch of reading entries in one task, in ms.
const SLICE_MS: f64 = 8.0;
/// Entries read between two looks at the clock.
const CHECK_EVERY: u32 = 256;

/// Entries the browser keeps before it drops new ones (its default is 250): room for a whole
/// run of the most requests a run may have, and the page's own files.
const BUFFER: u32 = lab_core::config::IO_N.max + 1000;

#[wasm_bindgen(inline_js = "
export function observe_resources() {
  const seen = { names: [], times: [] };
  const take = (entries) => {
    for (const e of entries) {
      seen.names.push(e.name);
      seen.times.push(e.startTime, e.responseStart, e.responseEnd);
    }
  };
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ type: 'resource' });
  seen.stop = () => {
    take(observer.takeRecords());
    observer.disconnect();
    seen.stop = () => {};
  };
  return seen;
}")]
extern "C" {
    /// Starts copying every new resource entry's name and times (start, response start,
    /// response end) into two arrays.
    fn observe_resources() -> Seen;

    type Seen;
    /// Takes what is still queued and stops observing; once only, later calls do nothing.
    #[wasm_bindgen(method)]
    fn stop(this: &Seen);
    #[wasm_bindgen(method, getter)]
    fn names(this: &Seen) -> js_sys::Array;
    #[wasm_bindgen(method, getter)]
    fn times(this: &Seen) -> js_sys::Array;
}

/// The resource entries the browser adds from now on.
pub struct Recording(Seen);

impl Recording {
    /// Empties the browser's buffer, makes room in it for a whole run (the specs and the
    /// benchmark read it too), and starts taking what the browser adds.
    pub fn start() -> Recording {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            performance.set_resource_timing_buffer_size(BUFFER);
            performance.clear_resource_timings();
        }
        Recording(observe_resources())
    }

    /// Every entry taken, on the shared clock. A flood's hundred thousand entries are tens of
    /// milliseconds of copying into Rust, so they are read one by one in slices of at most
    /// [`SLICE_MS`], each in a task of its own (copying all their times at once was one task).
    pub async fn entries(self) -> Vec<Entry> {
        self.0.stop();
        let (names, times) = (self.0.names(), self.0.times());
        let time = |index: u32| times.get(index).as_f64().unwrap_or_default();
        let origin = clock::origin_ms();
        let mut entries = Vec::with_capacity(names.length() as usize);
        let slices = Slices::new(SLICE_MS);
        for index in 0..names.length() {
            if index % CHECK_EVERY == 0 {
                slices.turn().await;
            }
            let response_start = time(3 * index + 1);
            entries.push(Entry {
                name: names.get(index).as_string().unwrap_or_default(),
                start_ms: origin + time(3 * index),
                // 0 means the browser may not say (a cross-origin answer without
                // Timing-Allow-Origin).
                response_start_ms: (response_start > 0.0).then_some(origin + response_start),
                end_ms: origin + time(3 * index + 2),
            });
        }
        entries
    }
}

/// A run dropped before its entries were read (its page or future gone) stops observing too.
impl Drop for Recording {
    fn drop(&mut self) {
        self.0.stop();
    }
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
