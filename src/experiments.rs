//! The workloads as the browser runs them. Each returns spans on the shared clock, relative to
//! the moment the run was submitted.

pub mod cpu_job;
pub mod hybrid;
pub mod io_run;
pub mod tradeoff;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

/// How many of a run's requests or tasks have finished; written by any thread, read each frame.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    done: Arc<AtomicU32>,
}

impl Progress {
    /// One more finished.
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// How many have finished so far.
    pub fn done(&self) -> u32 {
        self.done.load(Ordering::Relaxed)
    }
}

/// Asks a run to stop: aborts its requests and makes its tasks skip their work.
#[derive(Clone, Debug)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    abort: web_sys::AbortController,
}

impl Cancel {
    /// A fresh, untriggered cancel.
    pub fn new() -> Cancel {
        Cancel {
            flag: Arc::default(),
            abort: web_sys::AbortController::new()
                .expect("AbortController exists in every browser the lab runs in"),
        }
    }

    /// Triggers it.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
        self.abort.abort();
    }

    /// Whether it was triggered.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
    }

    /// A flag workers can read (the AbortController itself stays on the main thread).
    pub fn flag(&self) -> Arc<AtomicBool> {
        self.flag.clone()
    }

    /// The signal to hand to `fetch`.
    pub fn signal(&self) -> web_sys::AbortSignal {
        self.abort.signal()
    }

    /// Resolves once the cancel is triggered (at once if it already was), on the main thread.
    pub async fn cancelled(&self) {
        let signal = self.abort.signal();
        if signal.aborted() {
            return;
        }
        let aborted = js_sys::Promise::new(&mut |resolve, _| {
            let options = web_sys::AddEventListenerOptions::new();
            options.set_once(true);
            // Refused only for a callback that is not a function, which this never passes.
            let _ = signal.add_event_listener_with_callback_and_add_event_listener_options(
                "abort", &resolve, &options,
            );
        });
        // The promise never rejects.
        let _ = wasm_bindgen_futures::JsFuture::from(aborted).await;
    }

    /// `work`'s result, or `None` as soon as the cancel is triggered: the work is dropped then,
    /// and whatever it had in flight abandoned (a worker finishes its current task, starts no
    /// other, and its result goes nowhere).
    pub async fn or_cancelled<T>(&self, work: impl std::future::Future<Output = T>) -> Option<T> {
        use futures::future::{select, Either};
        let work = std::pin::pin!(work);
        let cancelled = std::pin::pin!(self.cancelled());
        match select(work, cancelled).await {
            Either::Left((value, _)) => Some(value),
            Either::Right(((), _)) => None,
        }
    }
}

impl Default for Cancel {
    fn default() -> Self {
        Self::new()
    }
}
