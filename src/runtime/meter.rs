//! The responsiveness meter: every source the browser offers about the main thread, always
//! recording, so every run can take the record of its own time window.
//!
//! - **Frames:** `requestAnimationFrame` timestamps.
//! - **Heartbeat:** a message posted by a small worker every [`HEARTBEAT_MS`]; one that runs late
//!   shows a stall even when no frame was due. It works in every browser.
//! - **Long tasks** and **long animation frames:** `PerformanceObserver` entries, where the
//!   browser has them (Chromium; Firefox and Safari have neither).
//! - **Visibility:** when the page was hidden, since hidden pages get no frames and slow timers.
//!
//! Chromium reports long tasks only for tasks its own scheduler runs. In the threaded build, Rust
//! code resumed by the futures executor (woken through `Atomics.waitAsync`) runs outside them, so
//! the lab puts every deliberate block in a task of its own
//! ([`in_next_task`](super::event_loop::in_next_task)); the heartbeat sees the rest.
//!
//! An entry is delivered only after its task ends, so a run's record is closed two animation
//! frames after its work finished, and `takeRecords()` flushes what is still queued. The core
//! ([`Observations::summarize`]) judges the window.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use lab_core::meter::{MainThreadSummary, Observations, Source, Stall, HEARTBEAT_MS};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{PerformanceEntry, PerformanceObserver, PerformanceObserverEntryList};

use super::clock;

/// Frames kept for records and the live strip: about five minutes at 60 Hz.
const FRAMES_KEPT: usize = 20_000;
/// Heartbeats kept: five minutes at one per [`HEARTBEAT_MS`].
const BEATS_KEPT: usize = 30_000;
/// Intervals drawn by the live strip.
pub const LIVE_FRAMES: usize = 120;
/// The live strip is redrawn every this many frames: one cheap DOM update, never more than one a frame.
const LIVE_EVERY: u32 = 6;
/// How long closing a record waits for a frame before going on without one (a hidden page draws
/// none).
const FRAME_WAIT_MS: i32 = 250;

/// The page's meter; there is one, on the main thread.
#[derive(Clone)]
pub struct Meter {
    inner: Rc<Inner>,
    /// The last [`LIVE_FRAMES`] frame intervals (ms), for the live strip.
    pub live: RwSignal<Vec<f64>>,
}

#[derive(Default)]
struct Log {
    frames: VecDeque<f64>,
    beats: VecDeque<(f64, f64)>,
    long_tasks: Vec<Stall>,
    animation_frames: Vec<Stall>,
    hidden: Vec<(f64, f64)>,
}

struct Inner {
    log: Rc<RefCell<Log>>,
    sources: Vec<Source>,
    observers: Vec<Observer>,
}

/// A `PerformanceObserver` and what it does with each entry, so that entries flushed with
/// `takeRecords()` land in the log exactly as delivered ones do.
struct Observer {
    observer: PerformanceObserver,
    on_entry: Rc<dyn Fn(&PerformanceEntry)>,
}

impl Meter {
    /// Starts the frame loop, the heartbeat, the observers the browser has and the visibility
    /// log.
    pub fn start() -> Meter {
        let log = Rc::new(RefCell::new(Log::default()));
        let long_tasks = observe("longtask", {
            let log = log.clone();
            move |entry| {
                let stall = stall_of(entry, entry.duration());
                log.borrow_mut().long_tasks.push(stall);
            }
        });
        let animation_frames = observe("long-animation-frame", {
            let log = log.clone();
            move |entry| {
                // Only a frame in which some task ran over 50 ms blocked the page; its blocking
                // duration is what those tasks ran beyond 50 ms each. A frame that merely waited
                // for the compositor has none.
                let blocking = number(entry, "blockingDuration");
                if blocking > 0.0 {
                    let stall = stall_of(entry, entry.duration().min(blocking + 50.0));
                    log.borrow_mut().animation_frames.push(stall);
                }
            }
        });
        let mut sources = Vec::new();
        if long_tasks.is_some() {
            sources.push(Source::Longtask);
        }
        if animation_frames.is_some() {
            sources.push(Source::LongAnimationFrame);
        }
        sources.push(Source::Frames);
        let pacemaker = pacemaker();
        if pacemaker.is_some() {
            sources.push(Source::Heartbeat);
        }
        let meter = Meter {
            inner: Rc::new(Inner {
                log,
                sources,
                observers: long_tasks.into_iter().chain(animation_frames).collect(),
            }),
            live: RwSignal::new(Vec::new()),
        };
        meter.run_frame_loop();
        if let Some(worker) = pacemaker {
            meter.run_heartbeat(worker);
        }
        meter.watch_visibility();
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

    /// The heartbeat comes from a small worker that posts the time every [`HEARTBEAT_MS`]; the
    /// main thread records when each message ran. A main-thread timer would not do: Chromium
    /// defers timer tasks behind other work, so a `setTimeout` ran 50 to 56 ms late while the
    /// main thread ran only short tasks (measured in its trace); a posted message is not deferred.
    fn run_heartbeat(&self, worker: web_sys::Worker) {
        let meter = self.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let Some(sent) = event.data().as_f64() else {
                    return;
                };
                let mut log = meter.inner.log.borrow_mut();
                if log.beats.len() == BEATS_KEPT {
                    log.beats.pop_front();
                }
                log.beats.push_back((sent, clock::now_ms()));
            },
        );
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker and its listener live as long as the page.
        on_message.forget();
        std::mem::forget(worker);
    }

    fn watch_visibility(&self) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if document.hidden() {
            self.inner
                .log
                .borrow_mut()
                .hidden
                .push((clock::now_ms(), f64::INFINITY));
        }
        let meter = self.clone();
        let watched = document.clone();
        let on_change = Closure::<dyn FnMut()>::new(move || {
            let now = clock::now_ms();
            let mut log = meter.inner.log.borrow_mut();
            let open = log.hidden.last_mut().filter(|(_, to)| to.is_infinite());
            match (watched.hidden(), open) {
                (true, None) => log.hidden.push((now, f64::INFINITY)),
                (false, Some(interval)) => interval.1 = now,
                _ => {}
            }
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_change.as_ref().unchecked_ref(),
        );
        // The listener lives as long as the page.
        on_change.forget();
    }

    fn push_frame(&self, at_ms: f64) {
        let mut log = self.inner.log.borrow_mut();
        if log.frames.len() == FRAMES_KEPT {
            log.frames.pop_front();
        }
        log.frames.push_back(at_ms);
    }

    fn recent_intervals(&self) -> Vec<f64> {
        let log = self.inner.log.borrow();
        let skip = log.frames.len().saturating_sub(LIVE_FRAMES + 1);
        let recent: Vec<f64> = log.frames.iter().skip(skip).copied().collect();
        recent.windows(2).map(|w| w[1] - w[0]).collect()
    }

    fn flush_observers(&self) {
        for Observer { observer, on_entry } in &self.inner.observers {
            for entry in observer.take_records().iter() {
                on_entry(entry.unchecked_ref());
            }
        }
    }

    /// Closes the record of a run that started at `start_ms` (shared clock) and whose work just
    /// ended: waits two frames so late entries arrive, then summarises the window, with times
    /// relative to `start_ms`.
    pub async fn close_record(&self, start_ms: f64) -> MainThreadSummary {
        next_frame().await;
        next_frame().await;
        self.flush_observers();
        let end_ms = clock::now_ms();
        let log = self.inner.log.borrow();
        Observations {
            sources: self.inner.sources.clone(),
            frame_times_ms: log.frames.iter().copied().collect(),
            long_tasks: log.long_tasks.clone(),
            animation_frames: log.animation_frames.clone(),
            heartbeats: log.beats.iter().copied().collect(),
            hidden: log.hidden.clone(),
        }
        .summarize(start_ms, end_ms)
    }
}

/// The heartbeat's worker: it posts the shared clock's time every [`HEARTBEAT_MS`].
fn pacemaker() -> Option<web_sys::Worker> {
    let source = format!(
        "setInterval(() => postMessage(performance.timeOrigin + performance.now()), {HEARTBEAT_MS});"
    );
    let parts = js_sys::Array::of1(&source.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let options = web_sys::WorkerOptions::new();
    options.set_name("heartbeat");
    let worker = web_sys::Worker::new_with_options(&url, &options).ok();
    let _ = web_sys::Url::revoke_object_url(&url);
    worker
}

/// Observes entries of `kind` (buffered), if the browser reports that kind at all.
fn observe(kind: &str, on_entry: impl Fn(&PerformanceEntry) + 'static) -> Option<Observer> {
    let supported = js_sys::Reflect::get(&js_sys::global(), &"PerformanceObserver".into())
        .and_then(|class| js_sys::Reflect::get(&class, &"supportedEntryTypes".into()))
        .is_ok_and(|types| js_sys::Array::from(&types).includes(&kind.into(), 0));
    if !supported {
        return None;
    }
    let on_entry: Rc<dyn Fn(&PerformanceEntry)> = Rc::new(on_entry);
    let handler = on_entry.clone();
    let callback = Closure::<dyn FnMut(PerformanceObserverEntryList)>::new(
        move |list: PerformanceObserverEntryList| {
            for entry in list.get_entries().iter() {
                handler(entry.unchecked_ref());
            }
        },
    );
    let observer = PerformanceObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    // `buffered` works only with the single `type` form, which web-sys does not model.
    let options: web_sys::PerformanceObserverInit = js_sys::Object::new().unchecked_into();
    js_sys::Reflect::set(&options, &"type".into(), &kind.into()).ok()?;
    options.set_buffered(true);
    observer.observe(&options);
    // The observer lives as long as the page.
    callback.forget();
    Some(Observer { observer, on_entry })
}

fn stall_of(entry: &PerformanceEntry, duration_ms: f64) -> Stall {
    Stall {
        start_ms: clock::from_high_res(entry.start_time()),
        duration_ms,
    }
}

fn number(entry: &PerformanceEntry, field: &str) -> f64 {
    js_sys::Reflect::get(entry, &field.into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or_default()
}

fn request_frame(callback: &js_sys::Function) {
    if let Some(window) = web_sys::window() {
        // A page without frames (a hidden tab) just records nothing.
        let _ = window.request_animation_frame(callback);
    }
}

/// Resolves at the next animation frame, or after [`FRAME_WAIT_MS`] when the page draws none
/// (a hidden tab).
pub async fn next_frame() {
    let window = web_sys::window();
    let mut fallback = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        request_frame(&resolve);
        fallback = window.as_ref().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, FRAME_WAIT_MS)
                .ok()
        });
    });
    // The promise never rejects.
    let _ = JsFuture::from(promise).await;
    // A frame came first: its fallback timer would only wake the page for nothing.
    if let (Some(window), Some(id)) = (window, fallback) {
        window.clear_timeout_with_handle(id);
    }
}

thread_local! {
    static METER: Meter = Meter::start();
}

/// The page's meter, started on first use. Main thread only.
pub fn meter() -> Meter {
    METER.with(Clone::clone)
}
