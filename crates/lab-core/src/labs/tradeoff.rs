//! The trade-off lab's settings: the kernel and its size, the slice and the sweep.
//!
//! The lab's part of the core: its fields with their ranges, its settings with their defaults and
//! their table (see [`crate::setting`]), how it writes itself into a query and how a query is
//! read, and its results block (`TradeoffBlock`).

use serde::{Deserialize, Serialize};

use crate::config::clamp_size;
use crate::field::FloatField;
use crate::kernel::Kernel;
use crate::setting::{self, Setting};

/// What a trade-off sweep varies from level to level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TradeoffSweep {
    /// Time between yields of the sliced main-thread work (see [`crate::sweep::slice_levels`]).
    SliceMs,
}

named_choices!(TradeoffSweep {
    SliceMs => "slice_ms",
});

/// Time the sliced main-thread work runs before it yields to the page.
pub const TRADEOFF_SLICE: FloatField = FloatField {
    name: "slice_ms",
    min: 1.0,
    max: 1000.0,
    default: 16.0,
    unit: "ms between yields",
};

/// The job.
pub const TRADEOFF_KERNEL: Setting = setting::kernel("the job", Kernel::Sha256);

/// The job's size.
pub const TRADEOFF_SIZE: Setting = Setting::kernel_size(
    "Size",
    "the job's size, in the kernel's unit",
    tradeoff_default_size,
    "about 0.6 s of work",
)
.hint("the kernel's unit; default: about 0.6 s of work");

/// What a trade-off sweep varies.
pub const TRADEOFF_SWEEP: Setting = Setting::optional_choice(
    setting::SWEEP,
    "Sweep",
    "`slice_ms`: k = 1, 2, 5, 10, 20, 50, 100, 200 ms",
    &TradeoffSweep::NAMES,
    "one run",
)
.hint("slice_ms: k = 1, 2, 5 … 200 ms");

/// The size of a trade-off run (see [`Spec::tradeoff_size`](crate::kernel::Spec::tradeoff_size)), clamped into the kernel's range.
pub fn tradeoff_default_size(kernel: Kernel) -> u32 {
    clamp_size(kernel, kernel.spec().tradeoff_size)
}

lab_settings! {
    /// Settings of the trade-off lab.
    #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
    pub struct TradeoffSettings (table TRADEOFF_SETTINGS, read as TradeoffFields) {
        /// The work to run.
        kernel: Kernel = TRADEOFF_KERNEL,
        /// The amount of work, in the kernel's unit (see [`tradeoff_default_size`]).
        size: u32 = TRADEOFF_SIZE,
        /// Time between yields of the sliced main-thread run, in ms (see [`TRADEOFF_SLICE`]).
        slice_ms: f64 = Setting::float(
            TRADEOFF_SLICE,
            "Yield every (k)",
            "the job runs on the main thread in slices of k ms, each a task of its own \
             (`scheduler.postTask()`, or a `MessageChannel` message; never `setTimeout`, which \
             clamps to 4 ms), so the event loop gets its turn between two slices",
        ),
        /// What a sweep varies; absent for a single run.
        sweep: Option<TradeoffSweep> = TRADEOFF_SWEEP,
    }
}

/// How responsive the page stayed during a trade-off lab run.
///
/// The probe is the meter's heartbeat: a message a worker posts every 10 ms; its lateness is how
/// long after it was sent it ran on the main thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TradeoffBlock {
    /// Time between yields of a sliced main-thread run; absent for a run on workers.
    pub slice_ms: Option<f64>,
    /// The work ran on worker threads rather than the main thread.
    pub on_workers: bool,
    /// Median probe lateness, in ms.
    pub probe_p50_ms: Option<f64>,
    /// 99th-percentile probe lateness, in ms.
    pub probe_p99_ms: Option<f64>,
    /// Largest probe lateness, in ms.
    pub probe_max_ms: Option<f64>,
    /// Probes that ran.
    pub probes: u32,
    /// 99th-percentile frame interval, in ms.
    pub frame_p99_ms: Option<f64>,
    /// Work items done per second.
    pub throughput_per_s: f64,
}
