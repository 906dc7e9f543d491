//! The CPU lab's settings: the kernel and its size, the tasks, the threads, the mode and the
//! sweep.
//!
//! The lab's part of the settings (see [`crate::config`]): its fields with their ranges, its
//! settings with their defaults, how it writes itself into a query and how a query is read.

use serde::{Deserialize, Serialize};

use crate::config::{choice, read, read_kernel_and_size, read_optional};
use crate::execute::Mode;
use crate::field::{FieldError, IntField};
use crate::kernel::Kernel;
use crate::setting::{self, Setting};

/// What a CPU sweep varies from level to level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    max: 65_536,
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

/// Every setting of the CPU lab, in form order.
pub const CPU_SETTINGS: [Setting; 6] = [
    CPU_KERNEL,
    CPU_SIZE,
    Setting::int(
        CPU_TASKS,
        "Tasks",
        "tasks the job is cut into (the top level with `sweep=tasks`)",
    ),
    Setting::int(
        CPU_THREADS,
        "Threads (lanes)",
        "`lanes` mode: at most this many workers busy (the top level with `sweep=threads`)",
    )
    .optional("the whole pool")
    .rule("at most the pool size"),
    CPU_MODE,
    CPU_SWEEP,
];

/// Settings of the CPU lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpuSettings {
    /// The work to run.
    pub kernel: Kernel,
    /// The amount of work, in the kernel's unit (see [`Kernel::size_field`]).
    pub size: u32,
    /// Tasks the work is split into (see [`CPU_TASKS`]).
    pub tasks: u32,
    /// Threads to use; absent for the whole pool (see [`CPU_THREADS`]).
    pub threads: Option<u32>,
    /// How the tasks are spread over threads.
    pub mode: Mode,
    /// What a sweep varies; absent for a single run.
    pub sweep: Option<CpuSweep>,
}

impl Default for CpuSettings {
    fn default() -> Self {
        let kernel = Kernel::Mandelbrot;
        CpuSettings {
            kernel,
            size: kernel.size_field().default,
            tasks: CPU_TASKS.default,
            threads: None,
            mode: Mode::Rayon,
            sweep: None,
        }
    }
}

impl CpuSettings {
    pub(crate) fn push_pairs(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((CPU_KERNEL.name, self.kernel.name().to_owned()));
        pairs.push((CPU_SIZE.name, self.size.to_string()));
        pairs.push((CPU_TASKS.name, self.tasks.to_string()));
        if let Some(threads) = self.threads {
            pairs.push((CPU_THREADS.name, threads.to_string()));
        }
        pairs.push((CPU_MODE.name, self.mode.name().to_owned()));
        if let Some(sweep) = self.sweep {
            pairs.push((CPU_SWEEP.name, sweep.name().to_owned()));
        }
    }
}

/// Reads the CPU lab's settings; `None` when any field (or rule between fields) failed.
pub(crate) fn parse_cpu<'a>(
    raw: &impl Fn(&str) -> Option<&'a str>,
    errors: &mut Vec<FieldError>,
) -> Option<CpuSettings> {
    let before = errors.len();
    let defaults = CpuSettings::default();

    let (kernel, size) = read_kernel_and_size(
        raw,
        defaults.kernel,
        |kernel| kernel.size_field().default,
        errors,
    );
    let tasks = read(
        raw(CPU_TASKS.name),
        CPU_TASKS.default,
        |v| CPU_TASKS.parse(v),
        errors,
    );
    let threads = read_optional(raw(CPU_THREADS.name), |v| CPU_THREADS.parse(v), errors);
    let mode = read(
        raw(CPU_MODE.name),
        defaults.mode,
        |v| choice(CPU_MODE.name, &Mode::ALL, Mode::name, v),
        errors,
    );
    let sweep = read_optional(
        raw(CPU_SWEEP.name),
        |v| choice(CPU_SWEEP.name, &CpuSweep::ALL, CpuSweep::name, v),
        errors,
    );

    if let (Some(Some(CpuSweep::Threads)), Some(Mode::Main | Mode::Worker)) = (sweep, mode) {
        errors.push(FieldError::new(
            CPU_SWEEP.name,
            "sweep=threads needs mode lanes or rayon".to_owned(),
        ));
    }

    if errors.len() > before {
        return None;
    }
    Some(CpuSettings {
        kernel: kernel?,
        size: size?,
        tasks: tasks?,
        threads: threads?,
        mode: mode?,
        sweep: sweep?,
    })
}
