//! Requests' time limits, one timer per due time rather than one per request.
//!
//! `AbortSignal.timeout` and `AbortSignal.any` for each request made two signals, a timer and
//! their listeners per fetch: at 20,000 requests that was about a third of the garbage V8 cleared
//! in one pause after the run. Requests whose limits fall due within the same hundredth of the
//! limit share one signal here, so a run makes a few signals a second, however many requests it
//! sends. A request is given at least its limit and at most a hundredth more.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::clock;

#[wasm_bindgen(inline_js = "
export function due_signal(ms, cancel) {
  const timer = new AbortController();
  const id = setTimeout(
    () => timer.abort(new DOMException('The request took longer than its time limit.', 'TimeoutError')),
    ms,
  );
  return { signal: AbortSignal.any([cancel, timer.signal]), id };
}")]
extern "C" {
    /// A signal that aborts with a `TimeoutError` after `ms`, or as `cancel` does, and its timer.
    fn due_signal(ms: f64, cancel: &AbortSignal) -> DueSignal;

    type DueSignal;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &DueSignal) -> AbortSignal;
    #[wasm_bindgen(method, getter)]
    fn id(this: &DueSignal) -> i32;
}

/// The time limits of one run's requests, all cancelled with the run.
pub struct TimeLimits {
    limit_ms: f64,
    /// Due times are rounded up to a multiple of this.
    grain_ms: f64,
    cancel: AbortSignal,
    /// The latest due time handed out and its signal.
    latest: RefCell<Option<(f64, AbortSignal)>>,
    /// Every timer set, cleared when the run is over.
    timers: RefCell<Vec<i32>>,
}

impl TimeLimits {
    /// Limits of `limit_ms` each, for requests that `cancel` also aborts.
    pub fn new(limit_ms: u32, cancel: AbortSignal) -> Self {
        let limit_ms = f64::from(limit_ms);
        Self {
            limit_ms,
            grain_ms: (limit_ms / 100.0).max(1.0),
            cancel,
            latest: RefCell::default(),
            timers: RefCell::default(),
        }
    }

    /// The signal for a request sent now: a `TimeoutError` once its limit has passed (within a
    /// hundredth of the limit after it), or an `AbortError` on a cancel.
    pub fn signal(&self) -> AbortSignal {
        let now = clock::now_ms();
        let due = ((now + self.limit_ms) / self.grain_ms).ceil() * self.grain_ms;
        let mut latest = self.latest.borrow_mut();
        if let Some((at, signal)) = latest.as_ref() {
            if *at == due {
                return signal.clone();
            }
        }
        let made = due_signal(due - now, &self.cancel);
        self.timers.borrow_mut().push(made.id());
        let signal = made.signal();
        *latest = Some((due, signal.clone()));
        signal
    }
}

impl Drop for TimeLimits {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            for id in self.timers.get_mut().drain(..) {
                window.clear_timeout_with_handle(id);
            }
        }
    }
}
