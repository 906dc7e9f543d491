//! The CPU lab's settings: the kernel and its size, the tasks, the threads, the mode and the
//! sweep.
//!
//! The lab's part of the core: its fields with their ranges, its settings with their defaults and
//! their table (see [`crate::setting`]), how it writes itself into a query and how a query is
//! read, and its results block (`CpuBlock`).

use serde::{Deserialize, Serialize};

use crate::execute::Mode;
use crate::field::{FieldError, IntField};
use crate::kernel::DataStats;
use crate::kernel::Kernel;
use crate::models::AmdahlEstimate;
use crate::setting::{self, Setting};
use crate::span::LaneUsage;

/// What a CPU sweep varies from level to level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuSweep {
    /// Threads, from 1 up to `threads` (or the whole pool).
    Threads,
    /// Tasks the job is split into, 1, 4, 16, ... up to `tasks`.
    Tasks,
}

named_choices!(CpuSweep {
    Threads => "threads",
    Tasks => "tasks",
});

/// Tasks a CPU lab job is split into (the top level of a sweep over tasks).
pub const CPU_TASKS: IntField = IntField {
    name: "tasks",
    min: 1,
    max: crate::kernel::MAX_TASKS,
    default: 64,
    unit: "tasks",
};

/// Threads a CPU lab run may use; absent means the whole pool, and the default only prefills a form.
pub const CPU_THREADS: IntField = IntField {
    name: "threads",
    min: 1,
    max: 64,
    default: 2,
    unit: "threads",
};

/// The work to run.
pub const CPU_KERNEL: Setting = setting::kernel(
    "the work to run: Mandelbrot's rows are of unequal cost; blur and statistics run on generated \
     data; SHA-256 hashes chains of 256 rounds a block",
    Kernel::Mandelbrot,
)
.hint("the kind of work");

/// The amount of work.
pub const CPU_SIZE: Setting = Setting::kernel_size(
    "Size",
    "the kernel's size: image width in pixels (`mandelbrot`, height ⅔ of it; `blur`, square), \
     data values (`stats`), blocks (`sha256`)",
    |kernel| kernel.size_field().default,
    "the kernel's default",
)
.hint("mandelbrot, blur: pixels wide; stats: values; sha256: blocks");

/// Where the tasks run.
pub const CPU_MODE: Setting = Setting::choice(
    "mode",
    "Mode",
    "`main`: on the main thread (blocks the page); `worker`: one worker, awaited; `lanes`: at \
     most T workers, pulling tasks from a shared counter inside `rayon::scope`; `rayon`: \
     `par_iter` over the whole pool",
    &Mode::NAMES,
    Mode::Rayon.name(),
)
.hint("where the tasks run");

/// What a CPU sweep varies.
pub const CPU_SWEEP: Setting = Setting::optional_choice(
    setting::SWEEP,
    "Sweep",
    "`threads`: T = 1 … `threads` (in lanes); `tasks`: 1, 4, 16 … `tasks`",
    &CpuSweep::NAMES,
    "one run",
)
.rule("`threads` needs `mode=lanes` or `rayon`")
.hint("threads: T = 1 … threads; tasks: 1, 4, 16 … tasks");

lab_settings! {
    /// Settings of the CPU lab.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct CpuSettings (table CPU_SETTINGS, read as CpuFields, rules cpu_rules) {
        /// The work to run.
        kernel: Kernel = CPU_KERNEL,
        /// The amount of work, in the kernel's unit (see [`Kernel::size_field`]).
        size: u32 = CPU_SIZE,
        /// Tasks the work is split into (see [`CPU_TASKS`]).
        tasks: u32 = Setting::int(
            CPU_TASKS,
            "Tasks",
            "tasks the job is cut into (the top level with `sweep=tasks`)",
        )
        .rule("at most 65536 for `stats`"),
        /// Threads to use; absent for the whole pool (see [`CPU_THREADS`]).
        threads: Option<u32> = Setting::int(
            CPU_THREADS,
            "Threads (lanes)",
            "`lanes` mode: at most this many workers busy (the top level with `sweep=threads`)",
        )
        .optional("the whole pool")
        .rule("at most the pool size"),
        /// How the tasks are spread over threads.
        mode: Mode = CPU_MODE,
        /// What a sweep varies; absent for a single run.
        sweep: Option<CpuSweep> = CPU_SWEEP,
    }
}

/// The CPU lab's rules between fields: a sweep over threads needs threads to vary, and a stats
/// job has fewer tasks than the others ([`Kernel::max_tasks`]).
fn cpu_rules<'a>(
    fields: &mut CpuFields,
    _: &impl Fn(&str) -> Option<&'a str>,
    errors: &mut Vec<FieldError>,
) {
    if let (Some(kernel), Some(tasks)) = (fields.kernel, fields.tasks) {
        let most = kernel.max_tasks();
        if tasks > most {
            errors.push(FieldError::new(
                CPU_TASKS.name,
                format!(
                    "tasks must be at most {most} for kernel={} (each task keeps its own \
                     histogram until the job is combined); got {tasks}",
                    kernel.name()
                ),
            ));
        }
    }
    if let (Some(Some(CpuSweep::Threads)), Some(Mode::Main | Mode::Worker)) =
        (fields.sweep, fields.mode)
    {
        errors.push(FieldError::new(
            CPU_SWEEP.name,
            "sweep=threads needs mode lanes or rayon".to_owned(),
        ));
    }
}

/// Everything a CPU run recorded beyond its spans: proof it did all its work, and how it scaled.
///
/// Optional fields are written as `null` rather than left out, so every export has the same keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CpuBlock {
    /// The combined checksum of every task, as 16 lowercase hex digits.
    pub checksum: String,
    /// Threads in the pool the run used.
    pub pool_threads: u32,
    /// The kernel of a CPU lab run.
    #[serde(default)]
    pub kernel: Option<Kernel>,
    /// The kernel's size setting.
    #[serde(default)]
    pub size: Option<u32>,
    /// What the work items are ("pixels", "values", "hashes").
    #[serde(default)]
    pub unit: Option<String>,
    /// Work items done.
    #[serde(default)]
    pub items: Option<u64>,
    /// How the tasks were spread over threads.
    #[serde(default)]
    pub mode: Option<Mode>,
    /// Threads the run was allowed to use.
    #[serde(default)]
    pub threads: Option<u32>,
    /// Wall time of the one-thread baseline over this run's.
    #[serde(default)]
    pub speedup: Option<f64>,
    /// Speedup per thread.
    #[serde(default)]
    pub efficiency: Option<f64>,
    /// The serial fraction the speedup implies (see [`crate::models::karp_flatt`]).
    #[serde(default)]
    pub karp_flatt: Option<f64>,
    /// Busy and idle time of each lane.
    #[serde(default)]
    pub lanes: Vec<LaneUsage>,
    /// Wall time of each repetition, in ms; the run reported is the median one.
    #[serde(default)]
    pub repetitions: Vec<f64>,
    /// The data set's statistics, for the stats kernel.
    #[serde(default)]
    pub stats: Option<DataStats>,
    /// The serial fraction fitted over a sweep's thread counts.
    #[serde(default)]
    pub amdahl: Option<AmdahlEstimate>,
}

impl CpuBlock {
    /// A block with only the checksum and the pool size, as the start lab records.
    pub fn basic(checksum: String, pool_threads: u32) -> CpuBlock {
        CpuBlock {
            checksum,
            pool_threads,
            kernel: None,
            size: None,
            unit: None,
            items: None,
            mode: None,
            threads: None,
            speedup: None,
            efficiency: None,
            karp_flatt: None,
            lanes: Vec::new(),
            repetitions: Vec::new(),
            stats: None,
            amdahl: None,
        }
    }
}
