//! Polling a future from microtasks, as JavaScript's own `await` resumes.
//!
//! In the threaded build, `wasm-bindgen-futures` wakes a future through `Atomics.waitAsync`, so
//! every wake becomes a task of its own: the code after an `.await` runs in a later task than the
//! promise that woke it, after whatever else the event loop had queued. For one wake that is
//! harmless. For an I/O run, with a wake per response and hundreds of responses a second, the
//! extra tasks cost the main thread more than the requests themselves, and each response's
//! handling waits its turn behind them (measured against a plain JavaScript client with
//! `scripts/bench`). [`on_microtasks`] polls a future from a microtask instead, in the same
//! task as the promise that woke it, exactly where a JavaScript `await` would continue.
//!
//! Wakes on the main thread queue a microtask. A wake from another thread (a worker cannot queue
//! a microtask here) falls back to the executor that polls the returned future. The hybrid lab's
//! pool answers take that path; an earlier version kept the outer waker behind a `Mutex`, and
//! the main thread trapped ("Atomics.wait cannot be called in this context") when it found the
//! lock held by a waking worker, leaving the pipeline waiting forever.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use futures::task::AtomicWaker;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(callback: &js_sys::Function);
}

/// Runs `future`, polling it from a microtask each time something on the main thread wakes it.
/// Main thread only.
pub fn on_microtasks<F>(future: F) -> OnMicrotasks<F::Output>
where
    F: Future + 'static,
{
    let id = NEXT_ID.with(|next| {
        let id = next.get();
        next.set(id.wrapping_add(1));
        id
    });
    let wake = Arc::new(WakeHandle {
        id,
        queued: AtomicBool::new(false),
        outer: AtomicWaker::new(),
    });
    let task = Rc::new(Task {
        future: RefCell::new(Some(Box::pin(future))),
        output: RefCell::new(None),
        waker: Waker::from(wake.clone()),
        wake,
        poll: RefCell::new(None),
    });
    let weak = Rc::downgrade(&task);
    let poll = Closure::<dyn FnMut()>::new(move || {
        if let Some(task) = weak.upgrade() {
            task.poll_inner();
        }
    });
    *task.poll.borrow_mut() = Some(poll);
    REGISTRY.with(|registry| {
        let erased: Rc<dyn Schedule> = task.clone();
        registry.borrow_mut().push((id, Rc::downgrade(&erased)));
    });
    OnMicrotasks { task }
}

/// The future [`on_microtasks`] returns: ready when the inner future is.
pub struct OnMicrotasks<T> {
    task: Rc<Task<T>>,
}

impl<T> Future for OnMicrotasks<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let task = &self.task;
        if let Some(output) = task.output.borrow_mut().take() {
            return Poll::Ready(output);
        }
        task.wake.outer.register(cx.waker());
        // The first poll, or a wake from another thread: poll the inner future here.
        task.poll_inner();
        match task.output.borrow_mut().take() {
            Some(output) => Poll::Ready(output),
            None => Poll::Pending,
        }
    }
}

impl<T> Drop for OnMicrotasks<T> {
    fn drop(&mut self) {
        let id = self.task.wake.id;
        // Dropped unfinished (its caller gave up): stop polling it.
        self.task.future.borrow_mut().take();
        REGISTRY.with(|registry| registry.borrow_mut().retain(|(at, _)| *at != id));
    }
}

struct Task<T> {
    future: RefCell<Option<Pin<Box<dyn Future<Output = T>>>>>,
    output: RefCell<Option<T>>,
    waker: Waker,
    wake: Arc<WakeHandle>,
    /// The microtask that polls this task, made once.
    poll: RefCell<Option<Closure<dyn FnMut()>>>,
}

impl<T> Task<T> {
    fn poll_inner(&self) {
        self.wake.queued.store(false, Ordering::SeqCst);
        // Already polling (a wake during its own poll queued this microtask) or finished.
        let Ok(mut slot) = self.future.try_borrow_mut() else {
            return;
        };
        let Some(future) = slot.as_mut() else {
            return;
        };
        let mut cx = Context::from_waker(&self.waker);
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            slot.take();
            drop(slot);
            *self.output.borrow_mut() = Some(output);
            self.wake.outer.wake();
        }
    }
}

/// What a wake on the main thread reaches, whatever the task's output type.
trait Schedule {
    fn schedule(&self);
}

impl<T> Schedule for Task<T> {
    fn schedule(&self) {
        if let Some(poll) = self.poll.borrow().as_ref() {
            queue_microtask(poll.as_ref().unchecked_ref());
        }
    }
}

thread_local! {
    static NEXT_ID: Cell<u64> = const { Cell::new(0) };
    /// The main thread's live tasks, by id. Empty on every other thread.
    static REGISTRY: RefCell<Vec<(u64, std::rc::Weak<dyn Schedule>)>> =
        const { RefCell::new(Vec::new()) };
}

/// The waker's side: shareable across threads, as a `Waker` must be.
struct WakeHandle {
    id: u64,
    queued: AtomicBool,
    /// The executor that awaits [`OnMicrotasks`], for wakes from other threads. Lock-free: a
    /// worker's wake must never hold a lock the main thread could then wait on (the main thread
    /// cannot block: `Atomics.wait` throws there).
    outer: AtomicWaker,
}

impl Wake for WakeHandle {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.queued.swap(true, Ordering::SeqCst) {
            return;
        }
        let task = REGISTRY.with(|registry| {
            registry
                .borrow()
                .iter()
                .find(|(id, _)| *id == self.id)
                .and_then(|(_, task)| task.upgrade())
        });
        match task {
            Some(task) => task.schedule(),
            None => self.outer.wake(),
        }
    }
}
