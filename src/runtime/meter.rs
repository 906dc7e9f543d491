//! The responsiveness meter: requestAnimationFrame intervals and `longtask` entries,
//! always running, so every run can take the record of its own time window.
//!
//! A long-task entry is delivered only after the task ends, so a run's record is closed two
//! animation frames after its work finished, and `takeRecords()` flushes what is still queued.
//!
//! Chromium reports long tasks only for tasks its own scheduler runs. In the threaded build, Rust
//! code resumed by the futures executor (woken through `Atomics.waitAsync`) runs outside them, so
//! the lab puts every deliberate block in a task of its own
//! ([`in_next_task`](super::event_loop::in_next_task)); anything else that holds the main thread
//! still shows in the frame intervals.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use lab_core::meter::{summarize_main_thread, LongTask, MainThreadSummary};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{PerformanceEntry, PerformanceObserver, PerformanceObserverEntryList};

use super::clock;

/// Frames kept for records and the live strip: about two minutes at 60 Hz.
const FRAMES_KEPT: usize = 8_000;
/// Intervals drawn by the live strip.
pub const LIVE_FRAMES: usize = 120;
/// The live strip is redrawn every this many frames: one cheap DOM update, never more than one a frame.
const LIVE_EVERY: u32 = 6;

/// The page's meter; there is one, on the main thread.
#[derive(Clone)]
pub struct Meter {
    inner: Rc<Inner>,
    /// The last [`LIVE_FRAMES`] frame intervals (ms), for the live strip.
    pub live: RwSignal<Vec<f64>>,
    /// Whether the browser reports long tasks at all.
    pub long_tasks_supported: bool,
}

struct Inner {
    frames: RefCell<VecDeque<f64>>,
    long_tasks: LongTaskLog,
    observer: Option<PerformanceObserver>,
}

impl Meter {
    /// Starts the frame loop and the long-task observer.
    pub fn start() -> Meter {
        let long_tasks = LongTaskLog::default();
        let observer = observe_long_tasks(long_tasks.clone());
        let inner = Rc::new(Inner {
            frames: RefCell::new(VecDeque::with_capacity(FRAMES_KEPT)),
            long_tasks,
            observer,
        });
        let meter = Meter {
            long_tasks_supported: inner.observer.is_some(),
            inner,
            live: RwSignal::new(Vec::new()),
        };
        meter.run_frame_loop();
        meter
    }

    fn run_frame_loop(&self) {
        type Loop = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;
        let callback: Loop = Rc::new(RefCell::new(None));
        let again = callback.clone();
        let meter = self.clone();
        let mut count = 0_u32;
        *callback.borrow_mut() = Some(Closure::new(move |timestamp: f64| {
            meter.push_frame(clock::from_high_res(timestamp));
            count = count.wrapping_add(1);
            if count.is_multiple_of(LIVE_EVERY) {
                meter.live.set(meter.recent_intervals());
            }
            if let Some(callback) = again.borrow().as_ref() {
                request_frame(callback.as_ref().unchecked_ref());
            }
        }));
        let first = callback.borrow();
        if let Some(callback) = first.as_ref() {
            request_frame(callback.as_ref().unchecked_ref());
        }
    }

    fn push_frame(&self, at_ms: f64) {
        let mut frames = self.inner.frames.borrow_mut();
        if frames.len() == FRAMES_KEPT {
            frames.pop_front();
        }
        frames.push_back(at_ms);
    }

    fn recent_intervals(&self) -> Vec<f64> {
        let frames = self.inner.frames.borrow();
        let skip = frames.len().saturating_sub(LIVE_FRAMES + 1);
        let recent: Vec<f64> = frames.iter().skip(skip).copied().collect();
        recent.windows(2).map(|w| w[1] - w[0]).collect()
    }

    fn flush_long_tasks(&self) {
        if let Some(observer) = &self.inner.observer {
            let pending = observer.take_records();
            push_entries(&self.inner.long_tasks, pending.iter());
        }
    }

    /// Closes the record of a run that started at `start_ms` (shared clock) and whose work just
    /// ended: waits two frames so late long-task entries arrive, then summarises the window,
    /// with times relative to `start_ms`.
    pub async fn close_record(&self, start_ms: f64) -> MainThreadSummary {
        next_frame().await;
        next_frame().await;
        self.flush_long_tasks();
        let frames: Vec<f64> = self
            .inner
            .frames
            .borrow()
            .iter()
            .filter(|&&t| t >= start_ms)
            .map(|t| t - start_ms)
            .collect();
        let long_tasks: Vec<LongTask> = self
            .inner
            .long_tasks
            .borrow()
            .iter()
            // A block belongs to the run when most of it lies inside the run's window: the run's
            // own first block starts with the click that started it, a moment before `start_ms`;
            // a block left over from loading the page mostly lies before it.
            .filter(|task| task.start_ms + task.duration_ms / 2.0 >= start_ms)
            .map(|task| LongTask {
                start_ms: task.start_ms - start_ms,
                duration_ms: task.duration_ms,
            })
            .collect();
        summarize_main_thread(&frames, &long_tasks)
    }
}

/// Long tasks as the browser reports them, on the shared clock.
type LongTaskLog = Rc<RefCell<Vec<LongTask>>>;

fn observe_long_tasks(log: LongTaskLog) -> Option<PerformanceObserver> {
    let supported = js_sys::Reflect::get(&js_sys::global(), &"PerformanceObserver".into())
        .and_then(|class| js_sys::Reflect::get(&class, &"supportedEntryTypes".into()))
        .is_ok_and(|types| js_sys::Array::from(&types).includes(&"longtask".into(), 0));
    if !supported {
        return None;
    }
    let sink = log.clone();
    let callback = Closure::<dyn FnMut(PerformanceObserverEntryList)>::new(
        move |list: PerformanceObserverEntryList| push_entries(&sink, list.get_entries().iter()),
    );
    let observer = PerformanceObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    // `buffered` works only with the single `type` form, which web-sys does not model.
    let options: web_sys::PerformanceObserverInit = js_sys::Object::new().unchecked_into();
    js_sys::Reflect::set(&options, &"type".into(), &"longtask".into()).ok()?;
    options.set_buffered(true);
    observer.observe(&options);
    // The observer lives as long as the page.
    callback.forget();
    Some(observer)
}

fn push_entries(log: &LongTaskLog, entries: impl Iterator<Item = JsValue>) {
    log.borrow_mut().extend(entries.map(|entry| {
        let entry: &PerformanceEntry = entry.unchecked_ref();
        LongTask {
            start_ms: clock::from_high_res(entry.start_time()),
            duration_ms: entry.duration(),
        }
    }));
}

fn request_frame(callback: &js_sys::Function) {
    if let Some(window) = web_sys::window() {
        // A page without frames (a hidden tab) just records nothing.
        let _ = window.request_animation_frame(callback);
    }
}

/// Resolves at the next animation frame.
pub async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| request_frame(&resolve));
    // The promise never rejects.
    let _ = JsFuture::from(promise).await;
}

thread_local! {
    static METER: Meter = Meter::start();
}

/// The page's meter, started on first use. Main thread only.
pub fn meter() -> Meter {
    METER.with(Clone::clone)
}
