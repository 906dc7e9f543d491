//! Giving the event loop its turn: work in a task of its own.

use std::cell::Cell;

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
    // snippet: next-task-shape
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
    // end snippet
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

/// Long work on the main thread cut into slices of at most `slice_ms`, each in a task of its own,
/// so that the page draws and answers input in between. Shared by reference, so that concurrent
/// futures (a closed loop's slots) take their turns in the same slices.
pub struct Slices {
    slice_ms: f64,
    since: Cell<f64>,
}

impl Slices {
    pub fn new(slice_ms: f64) -> Slices {
        Slices {
            slice_ms,
            since: Cell::new(clock::now_ms()),
        }
    }

    /// Returns at once while this slice has time left; otherwise after a task boundary.
    pub async fn turn(&self) {
        if clock::now_ms() - self.since.get() < self.slice_ms {
            return;
        }
        in_next_task(|| ()).await;
        // The first to run in a new task starts a new slice.
        if clock::now_ms() - self.since.get() >= self.slice_ms {
            self.since.set(clock::now_ms());
        }
    }
}

/// Resolves after `ms` milliseconds (a `setTimeout`); at once for less than half a millisecond.
pub async fn sleep(ms: f64) {
    if ms >= 0.5 {
        deadline(ms).await;
    }
}

/// A `setTimeout` as a future that clears its timer when dropped: for a deadline that is
/// usually not reached (a watchdog), so that thousands of them leave no timer behind.
pub struct Deadline {
    handle: Option<i32>,
    timer: wasm_bindgen_futures::JsFuture,
}

/// Resolves after `ms` milliseconds, unless dropped first.
pub fn deadline(ms: f64) -> Deadline {
    let mut handle = None;
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        handle = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms.round() as i32)
                .ok()
        });
    });
    Deadline {
        handle,
        timer: wasm_bindgen_futures::JsFuture::from(timer),
    }
}

impl std::future::Future for Deadline {
    type Output = ();

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        let fired = std::pin::Pin::new(&mut self.timer).poll(cx).map(drop);
        if fired.is_ready() {
            self.handle = None;
        }
        fired
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let (Some(handle), Some(window)) = (self.handle, web_sys::window()) {
            window.clear_timeout_with_handle(handle);
        }
    }
}
