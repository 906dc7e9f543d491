//! The workloads as the browser runs them. Each returns spans on the shared clock, relative to
//! the moment the run was submitted.

pub mod cpu_batch;
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
}

impl Default for Cancel {
    fn default() -> Self {
        Self::new()
    }
}
