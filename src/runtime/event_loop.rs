//! Giving the event loop its turn, and measuring how long it waits for one.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::clock;

/// Runs `work` in a task of its own, posted to the event loop, and resolves with its result;
/// until that task starts, the browser is free to draw and to handle input. Work inside a task
/// is reported as a long task when it blocks the page; the same work resumed from a future is
/// not (see [`super::meter`]). `None` if the page cannot post tasks.
// snippet: next-task
pub async fn in_next_task<T: 'static>(work: impl FnOnce() -> T + 'static) -> Option<T> {
    let (sender, receiver) = oneshot::channel();
    let poster = Poster::new()?;
    let keep = poster.clone();
    let task = Closure::once_into_js(move || {
        // Until it runs, the task holds its poster: a channel nobody holds could be collected
        // with the message in it.
        drop(keep);
        let _ = sender.send(work());
    });
    poster.post(&task)?;
    receiver.await.ok()
}

/// How a task is posted: `scheduler.postTask()` where the browser has it, otherwise a
/// `MessageChannel` message, which unlike `setTimeout` is not clamped to 4 ms.
#[derive(Clone)]
enum Poster {
    Scheduler {
        scheduler: JsValue,
        post_task: js_sys::Function,
    },
    Channel(web_sys::MessageChannel),
}

impl Poster {
    fn new() -> Option<Poster> {
        let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into())
            .ok()
            .filter(|s| s.is_object());
        let post_task = scheduler
            .as_ref()
            .and_then(|s| js_sys::Reflect::get(s, &"postTask".into()).ok())
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match (scheduler, post_task) {
            (Some(scheduler), Some(post_task)) => Some(Poster::Scheduler {
                scheduler,
                post_task,
            }),
            _ => web_sys::MessageChannel::new().ok().map(Poster::Channel),
        }
    }

    fn post(&self, task: &JsValue) -> Option<()> {
        match self {
            Poster::Scheduler {
                scheduler,
                post_task,
            } => post_task.call1(scheduler, task).ok().map(drop),
            Poster::Channel(channel) => {
                channel.port1().set_onmessage(Some(task.unchecked_ref()));
                channel.port2().post_message(&JsValue::NULL).ok()
            }
        }
    }
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
