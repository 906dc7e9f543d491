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
        pairs.push(("kernel", self.kernel.name().to_owned()));
        pairs.push(("size", self.size.to_string()));
        pairs.push((CPU_TASKS.name, self.tasks.to_string()));
        if let Some(threads) = self.threads {
            pairs.push((CPU_THREADS.name, threads.to_string()));
        }
        pairs.push(("mode", self.mode.name().to_owned()));
        if let Some(sweep) = self.sweep {
            pairs.push(("sweep", sweep.name().to_owned()));
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
        raw("mode"),
        defaults.mode,
        |v| choice("mode", &Mode::ALL, Mode::name, v),
        errors,
    );
    let sweep = read_optional(
        raw("sweep"),
        |v| choice("sweep", &CpuSweep::ALL, CpuSweep::name, v),
        errors,
    );

    if let (Some(Some(CpuSweep::Threads)), Some(Mode::Main | Mode::Worker)) = (sweep, mode) {
        errors.push(FieldError::new(
            "sweep",
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
