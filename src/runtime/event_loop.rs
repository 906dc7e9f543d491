//! Giving the event loop its turn, and measuring how long it waits for one.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::clock;

/// Lets the browser run what is waiting (input, rendering, messages), then resumes.
/// `scheduler.yield()` where the browser has it; otherwise a `MessageChannel` message, which
/// unlike `setTimeout` is not clamped to 4 ms.
// snippet: yield-now
pub async fn yield_now() {
    let global = js_sys::global();
    let scheduler = js_sys::Reflect::get(&global, &"scheduler".into()).ok();
    let yield_fn = scheduler
        .as_ref()
        .filter(|s| !s.is_undefined())
        .and_then(|s| js_sys::Reflect::get(s, &"yield".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let (Some(scheduler), Some(yield_fn)) = (scheduler, yield_fn) {
        if let Ok(promise) = yield_fn.call0(&scheduler) {
            let _ = JsFuture::from(js_sys::Promise::from(promise)).await;
            return;
        }
    }
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
    });
    let _ = channel.port2().post_message(&JsValue::NULL);
    let _ = JsFuture::from(promise).await;
}
// end snippet

/// How late each message from a worker ran, if it posts one every 10 ms.
const PROBE_SOURCE: &str =
    "setInterval(() => postMessage(performance.timeOrigin + performance.now()), 10);";

/// A probe: a small worker that posts a message every 10 ms; the main thread records how late
/// each one runs. A free main thread runs them at once; a busy one, only when it is done.
pub struct Probe {
    worker: web_sys::Worker,
    lateness: Rc<RefCell<Vec<f64>>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Probe {
    /// Starts the probe worker.
    pub fn start() -> Option<Probe> {
        let parts = js_sys::Array::of1(&PROBE_SOURCE.into());
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/javascript");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let worker = web_sys::Worker::new(&url).ok()?;
        let _ = web_sys::Url::revoke_object_url(&url);
        let lateness = Rc::new(RefCell::new(Vec::new()));
        let sink = lateness.clone();
        let on_message = Closure::new(move |event: web_sys::MessageEvent| {
            if let Some(sent) = event.data().as_f64() {
                sink.borrow_mut().push(clock::now_ms() - sent);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Probe {
            worker,
            lateness,
            _on_message: on_message,
        })
    }

    /// Forgets what was recorded so far (the warm-up).
    pub fn reset(&self) {
        self.lateness.borrow_mut().clear();
    }

    /// Stops the probe and returns every lateness (ms) it recorded.
    pub fn stop(self) -> Vec<f64> {
        self.worker.terminate();
        self.lateness.borrow().clone()
    }
}
