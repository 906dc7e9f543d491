//! The CPU lab's kernels: real work (images, statistics, hashing) split into independent tasks.
//!
//! Each kernel is a file of this folder and a row of [`KERNELS`]: its name in the settings, its
//! title, its unit, its size field, its default sizes for each lab, how finely it can be cut and
//! how it does a task's share of the work ([`Work`]). Forms, menus and validation read the table,
//! so a new kernel appears everywhere once its file and its row exist (and its name in
//! [`Kernel`]).
//!
//! A [`Job`] is one kernel at one size cut into `tasks` contiguous pieces. Each piece runs on its
//! own ([`Job::run_task`]) and [`combine`] checks that every piece came back, giving a checksum
//! that depends only on the kernel and the size: every mode, thread count and task count must
//! agree on it.

mod blur;
mod checksum;
mod mandelbrot;
mod sha256;
mod stats;

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use blur::BLUR_RADIUS;
pub use checksum::{combine_checksums, format_checksum, sha256_chain, task_checksum};
pub use mandelbrot::MANDEL_MAX_ITER;
pub use sha256::SHA_ROUNDS_PER_BLOCK;
pub use stats::{data_value, DataStats, StatsPartial, DATA_SEED, HISTOGRAM_BINS};

use crate::field::IntField;
use checksum::mix;

/// The most tasks a job may be split into: a million tiny tasks is a flood the page must survive.
pub const MAX_TASKS: u32 = 1_048_576;

/// The most tasks a stats job may be split into: each task keeps its own histogram (about half a
/// kilobyte) until the job is combined, so a million of them would not fit in the page's memory.
pub const MAX_STATS_TASKS: u32 = 65_536;

/// The golden-ratio increment of SplitMix64, also used to spread indices before mixing.
pub(crate) const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// Which kind of work the CPU lab runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kernel {
    /// Renders the Mandelbrot set; rows through the set cost far more than rows outside it.
    Mandelbrot,
    /// Box-blurs a generated grayscale image.
    Blur,
    /// Mean, spread, extremes and histogram of a generated data set.
    Stats,
    /// Independent chains of SHA-256 hashes.
    Sha256,
}

named_choices!(Kernel, read by hand {
    Mandelbrot => "mandelbrot",
    Blur => "blur",
    Stats => "stats",
    Sha256 => "sha256",
});

/// One kernel's row: everything the rest of the lab knows about it.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// The kernel this row describes.
    pub kernel: Kernel,
    /// A heading, e.g. "Image: Mandelbrot render".
    pub title: &'static str,
    /// What its work items are, for throughput: "pixels", "values" or "hashes".
    pub unit: &'static str,
    /// The `size` setting of the CPU lab: its range, unit and a default that takes one thread
    /// about 0.3 s (from the `calibrate_default_sizes` test, run natively in release).
    pub size: IntField,
    /// The per-item size of a hybrid run: about 30 ms on one WebAssembly worker, half the
    /// default latency, so fetching and processing weigh about the same.
    pub hybrid_size: u32,
    /// The size of a trade-off run: about 0.6 s on one WebAssembly worker, long enough to freeze
    /// the page visibly.
    pub tradeoff_size: u32,
    /// Units (rows, values or blocks) in the smallest natural piece, so a slice of the
    /// trade-off lab can end close to its deadline.
    pub finest_units: u32,
    /// How a task does its share.
    pub work: Work,
}

/// How a kernel does a task's share of the work.
#[derive(Clone, Copy, Debug)]
pub enum Work {
    /// An image, split by rows: its (width, height) for a size, and the RGBA of some of its rows
    /// (width, height, rows).
    Image {
        /// The image's (width, height) in pixels for a size.
        size: fn(u32) -> (u32, u32),
        /// The RGBA of rows `rows` of a `width` × `height` image.
        rows: fn(u32, u32, Range<u32>) -> Vec<u8>,
    },
    /// `size` units (values, blocks), each worth `items_per_unit` work items.
    Units {
        /// Work items per unit.
        items_per_unit: u64,
        /// The share of units `[start, end)`.
        run: fn(Range<u64>) -> Share,
    },
}

/// What a task of a [`Work::Units`] kernel computed.
#[derive(Clone, Debug, PartialEq)]
pub struct Share {
    /// Work items done.
    pub items: u64,
    /// The share's checksum.
    pub checksum: u64,
    /// The share's statistics, for the stats kernel (boxed: the other kernels' results stay small).
    pub partial: Option<Box<StatsPartial>>,
}

/// Every kernel, one row each.
pub const KERNELS: [Spec; 4] = [
    Spec {
        kernel: Kernel::Mandelbrot,
        title: "Image: Mandelbrot render",
        unit: "pixels",
        size: size_field(16, 4000, 2000, "pixels wide"),
        hybrid_size: 260,
        tradeoff_size: 2400,
        finest_units: 1,
        work: Work::Image {
            size: mandelbrot::image_size,
            rows: mandelbrot::rows,
        },
    },
    Spec {
        kernel: Kernel::Blur,
        title: "Image: box blur",
        unit: "pixels",
        // Blur and stats run faster than 0.2 s natively even at their largest size.
        size: size_field(16, 3000, 3000, "pixels wide"),
        hybrid_size: 240,
        tradeoff_size: 2000,
        finest_units: 1,
        work: Work::Image {
            size: blur::image_size,
            rows: blur::rows,
        },
    },
    Spec {
        kernel: Kernel::Stats,
        title: "Data: statistics and histogram",
        unit: "values",
        size: size_field(1, 500_000_000, 200_000_000, "values"),
        hybrid_size: 17_000_000,
        tradeoff_size: 350_000_000,
        finest_units: 20_000,
        work: Work::Units {
            items_per_unit: 1,
            run: stats::run,
        },
    },
    Spec {
        kernel: Kernel::Sha256,
        title: "Encryption: SHA-256 hash chains",
        unit: "hashes",
        size: size_field(1, 200_000, 6000, "blocks"),
        hybrid_size: 420,
        tradeoff_size: 9000,
        finest_units: 1,
        work: Work::Units {
            items_per_unit: SHA_ROUNDS_PER_BLOCK as u64,
            run: sha256::run,
        },
    },
];

const fn size_field(min: u32, max: u32, default: u32, unit: &'static str) -> IntField {
    IntField {
        name: "size",
        min,
        max,
        default,
        unit,
    }
}

impl Kernel {
    /// The most tasks a job of this kernel may be split into.
    pub fn max_tasks(self) -> u32 {
        match self {
            Kernel::Stats => MAX_STATS_TASKS,
            _ => MAX_TASKS,
        }
    }

    /// The kernel's row of [`KERNELS`].
    pub fn spec(self) -> &'static Spec {
        // Every kernel has its row (a test checks); the first row stands in otherwise.
        KERNELS
            .iter()
            .find(|spec| spec.kernel == self)
            .unwrap_or(&KERNELS[0])
    }

    /// A heading for the kernel, e.g. "Image: Mandelbrot render".
    pub fn title(self) -> &'static str {
        self.spec().title
    }

    /// What the kernel's work items are, for throughput: "pixels", "values" or "hashes".
    pub fn unit(self) -> &'static str {
        self.spec().unit
    }

    /// The `size` setting: its range, unit and a default that takes one thread about 0.3 s.
    pub fn size_field(self) -> IntField {
        self.spec().size
    }

    /// Whether its tasks draw an image.
    pub fn draws_image(self) -> bool {
        matches!(self.spec().work, Work::Image { .. })
    }
}

/// About how long one thread takes for a kernel's default size, natively (the row's `size`
/// default is calibrated to it; blur and stats take less even at their largest size).
pub const DEFAULT_SIZE_MS: f64 = 300.0;

/// About how long one thread takes, natively, for `tasks` chains of `rounds` SHA-256 hashes
/// (the quick comparison's tasks): in proportion to the SHA-256 kernel's default size.
pub fn chains_single_thread_ms(tasks: u32, rounds: u32) -> f64 {
    let hashes = f64::from(tasks) * f64::from(rounds);
    let default = Job {
        kernel: Kernel::Sha256,
        size: Kernel::Sha256.size_field().default,
        tasks: 1,
    };
    DEFAULT_SIZE_MS * hashes / default.items() as f64
}

/// A kernel's work that could not be done: bad settings, a missing task, or a task out of range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KernelError(pub String);

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KernelError {}

/// One kernel at one size, split into `tasks` contiguous pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The work to do.
    pub kernel: Kernel,
    /// The amount of work, in the unit of [`Kernel::size_field`].
    pub size: u32,
    /// How many pieces the work is split into.
    pub tasks: u32,
}

/// What one task computed.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskResult {
    /// The task number within the job.
    pub task: u32,
    /// Work items the task did (pixels, values or hashes).
    pub items: u64,
    /// Wrapping sum of the hashes of the task's rows or blocks (for stats, a hash of its partial).
    pub checksum: u64,
    /// The rows an image task rendered; `None` for other kernels and for tasks with no rows.
    pub tile: Option<Tile>,
    /// The statistics of a stats task's values; `None` for other kernels (boxed, so that a
    /// million results of the other kernels take little memory).
    pub partial: Option<Box<StatsPartial>>,
}

/// Rows of an image, RGBA with 4 bytes per pixel, ready for a canvas's `putImageData`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tile {
    /// Left edge within the whole image, in pixels.
    pub x: u32,
    /// Top edge within the whole image, in pixels.
    pub y: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The pixels, row by row, `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

/// A whole job's outcome, put together from all its tasks.
#[derive(Clone, Debug, PartialEq)]
pub struct JobResult {
    /// Depends only on the kernel and the size, never on the tasks or their order.
    pub checksum: u64,
    /// Work items done in all.
    pub items: u64,
    /// The data set's statistics, for the stats kernel.
    pub stats: Option<DataStats>,
}

impl Job {
    /// A job, if `size` is within the kernel's range and `tasks` within 1 to [`MAX_TASKS`]
    /// ([`MAX_STATS_TASKS`] for stats).
    ///
    /// More tasks than rows or items is fine: the extra tasks get nothing to do.
    pub fn new(kernel: Kernel, size: u32, tasks: u32) -> Result<Job, KernelError> {
        let field = kernel.size_field();
        if !(field.min..=field.max).contains(&size) {
            return Err(KernelError(format!(
                "size must be from {} to {} {} for {}; got {size}",
                field.min,
                field.max,
                field.unit,
                kernel.name()
            )));
        }
        let most = kernel.max_tasks();
        if !(1..=most).contains(&tasks) {
            let why = match kernel {
                Kernel::Stats => {
                    " for stats (each task keeps its own histogram until the job is combined)"
                }
                _ => "",
            };
            return Err(KernelError(format!(
                "tasks must be from 1 to {most}{why}; got {tasks}"
            )));
        }
        Ok(Job {
            kernel,
            size,
            tasks,
        })
    }

    /// The image's (width, height) in pixels for the image kernels; `None` for the others.
    pub fn image_size(&self) -> Option<(u32, u32)> {
        match self.kernel.spec().work {
            Work::Image { size, .. } => Some(size(self.size)),
            Work::Units { .. } => None,
        }
    }

    /// Total work items: pixels for images, values for stats, hashes for SHA-256.
    pub fn items(&self) -> u64 {
        match self.kernel.spec().work {
            Work::Image { size, .. } => {
                let (width, height) = size(self.size);
                u64::from(width) * u64::from(height)
            }
            Work::Units { items_per_unit, .. } => u64::from(self.size) * items_per_unit,
        }
    }

    /// The units the tasks split between them: rows for images, values, or blocks.
    fn units(&self) -> u64 {
        match self.image_size() {
            Some((_, height)) => u64::from(height),
            None => u64::from(self.size),
        }
    }

    /// About how long one thread takes for the whole job, natively: in proportion to the
    /// kernel's default size, which takes about [`DEFAULT_SIZE_MS`].
    pub fn single_thread_ms(&self) -> f64 {
        let default = Job {
            size: self.kernel.size_field().default,
            ..*self
        };
        DEFAULT_SIZE_MS * self.items() as f64 / default.items().max(1) as f64
    }

    /// The job cut into its smallest natural pieces (a row, a block, a chunk of values), at
    /// most [`Kernel::max_tasks`] of them.
    pub fn finest(&self) -> Job {
        let pieces = self.units() / u64::from(self.kernel.spec().finest_units.max(1));
        let most = self.kernel.max_tasks();
        let tasks = u32::try_from(pieces).unwrap_or(most).clamp(1, most);
        Job::new(self.kernel, self.size, tasks).unwrap_or(*self)
    }

    /// The units `[start, end)` of task `task`: `[t·U/T, (t+1)·U/T)`.
    fn share(&self, task: u32) -> (u64, u64) {
        let units = u128::from(self.units());
        let tasks = u128::from(self.tasks.max(1));
        let bound = |t: u32| u64::try_from(u128::from(t) * units / tasks).unwrap_or(u64::MAX);
        (bound(task), bound(task.saturating_add(1)))
    }

    /// Computes task `task` of the job; an error for a task out of range or an invalid job.
    pub fn run_task(&self, task: u32) -> Result<TaskResult, KernelError> {
        // The fields are public, so the job is checked again rather than trusted.
        let job = Job::new(self.kernel, self.size, self.tasks)?;
        if task >= job.tasks {
            return Err(KernelError(format!(
                "task {task} is out of range: the job has {} tasks",
                job.tasks
            )));
        }
        let (start, end) = job.share(task);
        Ok(match job.kernel.spec().work {
            Work::Image { size, rows } => {
                let (width, height) = size(job.size);
                let rows_of_task = to_u32(start)..to_u32(end);
                let rgba = rows(width, height, rows_of_task.clone());
                TaskResult {
                    task,
                    items: u64::from(width) * end.saturating_sub(start),
                    checksum: rows_checksum(&rgba, width, rows_of_task.start),
                    tile: (!rows_of_task.is_empty()).then(|| Tile {
                        x: 0,
                        y: rows_of_task.start,
                        width,
                        height: rows_of_task.end - rows_of_task.start,
                        rgba,
                    }),
                    partial: None,
                }
            }
            Work::Units { run, .. } => {
                let share = run(start..end);
                TaskResult {
                    task,
                    items: share.items,
                    checksum: share.checksum,
                    tile: None,
                    partial: share.partial,
                }
            }
        })
    }
}

/// Puts a job's task results together, in any order, checking that each task is there once.
///
/// The checksum is the wrapping sum of the task checksums, and each task's is the wrapping sum
/// of its rows' (or blocks') hashes, so any split adds up to the same total. For stats the
/// partials are merged and the checksum is the merged statistics' hash.
pub fn combine(job: &Job, results: &[TaskResult]) -> Result<JobResult, KernelError> {
    let job = Job::new(job.kernel, job.size, job.tasks)?;
    let mut seen = vec![false; job.tasks as usize];
    for result in results {
        match seen.get_mut(result.task as usize) {
            Some(done) if !*done => *done = true,
            Some(_) => {
                return Err(KernelError(format!(
                    "task {} came back more than once",
                    result.task
                )))
            }
            None => {
                return Err(KernelError(format!(
                    "task {} is out of range: the job has {} tasks",
                    result.task, job.tasks
                )))
            }
        }
    }
    let missing = seen.iter().filter(|&&done| !done).count();
    if let Some(first) = seen.iter().position(|&done| !done) {
        return Err(KernelError(format!(
            "{missing} of {} tasks did not come back (the first is task {first})",
            job.tasks
        )));
    }

    let items = results
        .iter()
        .fold(0u64, |sum, result| sum.saturating_add(result.items));
    if items != job.items() {
        return Err(KernelError(format!(
            "the tasks did {items} {} of work; the job has {}",
            job.kernel.unit(),
            job.items()
        )));
    }

    if job.kernel == Kernel::Stats {
        let mut merged = StatsPartial::empty();
        for result in results {
            let partial = result
                .partial
                .as_ref()
                .ok_or_else(|| KernelError(format!("task {} has no statistics", result.task)))?;
            merged.merge(partial);
        }
        return Ok(JobResult {
            checksum: merged.checksum(),
            items,
            stats: merged.finish(),
        });
    }
    Ok(JobResult {
        checksum: results
            .iter()
            .map(|result| result.checksum)
            .fold(0, u64::wrapping_add),
        items,
        stats: None,
    })
}

/// Mixes an item's index with a hash of its content, so items swapped between places differ.
fn item_hash(index: u64, content: u64) -> u64 {
    mix(index.wrapping_mul(GOLDEN) ^ content)
}

/// The FNV-1a hash, 64-bit.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xCBF2_9CE4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01B3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = Fnv::new();
    hash.write(bytes);
    hash.finish()
}

/// Wrapping sum of the hashes of RGBA rows `first_row, first_row + 1, …` of `width` pixels.
fn rows_checksum(rgba: &[u8], width: u32, first_row: u32) -> u64 {
    let row_bytes = (width as usize).saturating_mul(4).max(1);
    rgba.chunks(row_bytes)
        .zip(u64::from(first_row)..)
        .map(|(row, index)| item_hash(index, fnv1a(row)))
        .fold(0, u64::wrapping_add)
}

fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: [(Kernel, u32); 4] = [
        (Kernel::Mandelbrot, 48),
        (Kernel::Blur, 40),
        (Kernel::Stats, 5000),
        (Kernel::Sha256, 40),
    ];

    pub(super) fn job(kernel: Kernel, size: u32, tasks: u32) -> Job {
        Job::new(kernel, size, tasks).unwrap()
    }

    #[test]
    fn expected_times_scale_with_the_work() {
        for kernel in Kernel::ALL {
            let default = kernel.size_field().default;
            assert_eq!(job(kernel, default, 8).single_thread_ms(), DEFAULT_SIZE_MS);
        }
        let half = job(Kernel::Sha256, 3000, 1).single_thread_ms();
        assert!((half - DEFAULT_SIZE_MS / 2.0).abs() < 1e-9);
        // 64 chains of 24,000 rounds are the SHA-256 kernel's 6,000 blocks of 256.
        assert!((chains_single_thread_ms(64, 24_000) - DEFAULT_SIZE_MS).abs() < 1e-9);
    }

    pub(super) fn run_all(job: &Job) -> Vec<TaskResult> {
        (0..job.tasks).map(|t| job.run_task(t).unwrap()).collect()
    }

    /// A fixed shuffle: tasks ordered by a hash of their number.
    fn shuffled(mut results: Vec<TaskResult>) -> Vec<TaskResult> {
        results.sort_by_key(|result| mix(u64::from(result.task)));
        results
    }

    #[test]
    fn names_titles_and_units() {
        assert_eq!(
            Kernel::ALL.map(Kernel::name),
            ["mandelbrot", "blur", "stats", "sha256"]
        );
        assert_eq!(
            Kernel::ALL.map(Kernel::unit),
            ["pixels", "pixels", "values", "hashes"]
        );
        assert_eq!(Kernel::Blur.title(), "Image: box blur");
        assert_eq!(Kernel::from_name("sha256"), Some(Kernel::Sha256));
        assert_eq!(Kernel::from_name("SHA256"), None);
        for kernel in Kernel::ALL {
            assert_eq!(
                serde_json::to_value(kernel).unwrap(),
                serde_json::json!(kernel.name())
            );
            let field = kernel.size_field();
            assert_eq!(field.name, "size");
            assert!((field.min..=field.max).contains(&field.default));
        }
        let ranges = Kernel::ALL.map(|k| {
            let f = k.size_field();
            (f.min, f.max, f.unit)
        });
        assert_eq!(
            ranges,
            [
                (16, 4000, "pixels wide"),
                (16, 3000, "pixels wide"),
                (1, 500_000_000, "values"),
                (1, 200_000, "blocks")
            ]
        );
    }

    #[test]
    fn job_sizes_and_items() {
        assert_eq!(job(Kernel::Mandelbrot, 16, 1).image_size(), Some((16, 11)));
        assert_eq!(job(Kernel::Mandelbrot, 17, 1).image_size(), Some((17, 11)));
        assert_eq!(
            job(Kernel::Mandelbrot, 4000, 1).image_size(),
            Some((4000, 2667))
        );
        assert_eq!(job(Kernel::Mandelbrot, 300, 1).items(), 60_000);
        assert_eq!(job(Kernel::Blur, 100, 1).image_size(), Some((100, 100)));
        assert_eq!(job(Kernel::Blur, 100, 1).items(), 10_000);
        assert_eq!(job(Kernel::Stats, 7, 1).image_size(), None);
        assert_eq!(job(Kernel::Stats, 7, 1).items(), 7);
        assert_eq!(job(Kernel::Sha256, 3, 1).items(), 768);
        assert_eq!(
            job(Kernel::Sha256, 200_000, 1).items(),
            200_000 * u64::from(SHA_ROUNDS_PER_BLOCK)
        );
    }

    #[test]
    fn job_rejects_out_of_range_settings() {
        for kernel in Kernel::ALL {
            let field = kernel.size_field();
            for size in [field.min - 1, field.max + 1, u32::MAX] {
                assert!(Job::new(kernel, size, 1).is_err(), "{kernel:?} {size}");
            }
            for tasks in [0, kernel.max_tasks() + 1, u32::MAX] {
                assert!(Job::new(kernel, field.min, tasks).is_err(), "{tasks}");
            }
            // Built by hand past `new`, a bad job still gives errors and not panics.
            let bad = Job {
                kernel,
                size: u32::MAX,
                tasks: 0,
            };
            assert!(bad.run_task(0).is_err());
            assert!(combine(&bad, &[]).is_err());
        }
        assert_eq!(
            Job::new(Kernel::Mandelbrot, 5, 1).unwrap_err().to_string(),
            "size must be from 16 to 4000 pixels wide for mandelbrot; got 5"
        );
        assert_eq!(
            Job::new(Kernel::Stats, 5, 0).unwrap_err().0,
            "tasks must be from 1 to 65536 for stats (each task keeps its own histogram until \
             the job is combined); got 0"
        );
        assert_eq!(
            Job::new(Kernel::Sha256, 5, MAX_TASKS + 1).unwrap_err().0,
            "tasks must be from 1 to 1048576; got 1048577"
        );
        assert!(Job::new(Kernel::Sha256, 5, MAX_TASKS).is_ok());
        let small = job(Kernel::Stats, 10, 4);
        for task in [4, 5, u32::MAX] {
            assert_eq!(
                small.run_task(task).unwrap_err().0,
                format!("task {task} is out of range: the job has 4 tasks")
            );
        }
    }

    #[test]
    fn checksum_ignores_task_count_and_order() {
        for (kernel, size) in SMALL {
            let expected = combine(&job(kernel, size, 1), &run_all(&job(kernel, size, 1)))
                .unwrap()
                .checksum;
            for tasks in [2, 3, 7, 64, 1000] {
                let job = job(kernel, size, tasks);
                let results = run_all(&job);
                let forward = combine(&job, &results).unwrap();
                assert_eq!(forward.checksum, expected, "{kernel:?} {tasks}");
                assert_eq!(forward.items, job.items());
                let mut reversed = results.clone();
                reversed.reverse();
                assert_eq!(combine(&job, &reversed).unwrap(), forward);
                assert_eq!(combine(&job, &shuffled(results)).unwrap(), forward);
            }
        }
    }

    #[test]
    fn checksum_depends_on_kernel_and_size() {
        let mut seen: Vec<u64> = Vec::new();
        for (kernel, size) in SMALL {
            for size in [size, size + 1] {
                let job = job(kernel, size, 3);
                let checksum = combine(&job, &run_all(&job)).unwrap().checksum;
                assert!(!seen.contains(&checksum), "{kernel:?} {size}");
                seen.push(checksum);
            }
        }
    }

    #[test]
    fn accepted_inputs_never_fail() {
        for kernel in Kernel::ALL {
            let field = kernel.size_field();
            // Full runs at the bottom of the range, with more tasks than work.
            for tasks in [1, 2, 5, 17, 100] {
                let job = job(kernel, field.min, tasks);
                let results = run_all(&job);
                assert_eq!(combine(&job, &results).unwrap().items, job.items());
            }
            // At the top of the range only the last of many tasks: small, and quick.
            for size in [field.max, field.max - 1, field.default] {
                let most = kernel.max_tasks();
                for tasks in [most, most - 1, 40_000] {
                    let job = job(kernel, size, tasks);
                    let last = job.run_task(tasks - 1).unwrap();
                    assert_eq!(last.task, tasks - 1);
                    assert!(last.items <= job.items() / u64::from(tasks) + 4096);
                }
            }
        }
        // Many (size, tasks) pairs near the bottom of each range, every split against one task.
        for kernel in Kernel::ALL {
            let min = kernel.size_field().min;
            for size in [min, min + 1, min + 7, min + 47] {
                let one = job(kernel, size, 1);
                let expected = combine(&one, &run_all(&one)).unwrap();
                for tasks in [2, 3, 4, 63, 64, 65, 1000] {
                    let job = job(kernel, size, tasks);
                    let results = run_all(&job);
                    assert_eq!(combine(&job, &results), Ok(expected.clone()), "{job:?}");
                }
            }
        }
    }

    #[test]
    fn the_most_tasks_work_too() {
        for (kernel, size) in [
            (Kernel::Mandelbrot, 16),
            (Kernel::Blur, 16),
            (Kernel::Stats, 1000),
            (Kernel::Sha256, 10),
        ] {
            let one = job(kernel, size, 1);
            let expected = combine(&one, &run_all(&one)).unwrap();
            let most = job(kernel, size, kernel.max_tasks());
            let results = run_all(&most);
            assert_eq!(results.len(), kernel.max_tasks() as usize);
            assert_eq!(combine(&most, &shuffled(results)), Ok(expected));
        }
    }

    #[test]
    fn extra_tasks_get_empty_shares() {
        let job = job(Kernel::Mandelbrot, 16, 64);
        let results = run_all(&job);
        let empty: Vec<&TaskResult> = results.iter().filter(|r| r.items == 0).collect();
        assert_eq!(empty.len(), 64 - 11);
        assert!(empty.iter().all(|r| r.tile.is_none() && r.checksum == 0));
        let one = Job::new(Kernel::Mandelbrot, 16, 1).unwrap();
        assert_eq!(
            combine(&job, &results).unwrap().checksum,
            combine(&one, &run_all(&one)).unwrap().checksum
        );
    }

    #[test]
    fn tiles_cover_the_image_row_by_row() {
        for kernel in [Kernel::Mandelbrot, Kernel::Blur] {
            let whole = job(kernel, 60, 1).run_task(0).unwrap().tile.unwrap();
            let (width, height) = job(kernel, 60, 1).image_size().unwrap();
            assert_eq!(
                (whole.x, whole.y, whole.width, whole.height),
                (0, 0, width, height)
            );
            assert_eq!(whole.rgba.len(), (width * height * 4) as usize);

            let split = job(kernel, 60, 7);
            let mut stitched = Vec::new();
            let mut next_row = 0;
            for result in run_all(&split) {
                let tile = result.tile.unwrap();
                assert_eq!((tile.x, tile.y, tile.width), (0, next_row, width));
                assert_eq!(tile.rgba.len(), (width * tile.height * 4) as usize);
                assert_eq!(result.items, u64::from(width * tile.height));
                next_row += tile.height;
                stitched.extend_from_slice(&tile.rgba);
            }
            assert_eq!(next_row, height);
            assert_eq!(stitched, whole.rgba);
        }
    }

    #[test]
    fn rows_split_as_t_h_over_t() {
        let job = job(Kernel::Blur, 100, 3);
        let rows: Vec<(u32, u32)> = run_all(&job)
            .into_iter()
            .map(|r| r.tile.map(|t| (t.y, t.height)).unwrap())
            .collect();
        assert_eq!(rows, [(0, 33), (33, 33), (66, 34)]);
    }

    #[test]
    fn combine_reports_missing_and_repeated_tasks() {
        let job = job(Kernel::Sha256, 10, 4);
        let results = run_all(&job);
        assert_eq!(
            combine(&job, &results[..3]).unwrap_err().0,
            "1 of 4 tasks did not come back (the first is task 3)"
        );
        assert!(combine(&job, &[]).is_err());
        let mut twice = results.clone();
        twice.push(results[1].clone());
        assert_eq!(
            combine(&job, &twice).unwrap_err().0,
            "task 1 came back more than once"
        );
        let mut stranger = results.clone();
        stranger[0].task = 9;
        assert!(combine(&job, &stranger)
            .unwrap_err()
            .0
            .contains("out of range"));
        let mut short = results.clone();
        short[2].items -= 1;
        assert!(combine(&job, &short).unwrap_err().0.contains("of work"));

        let stats = Job::new(Kernel::Stats, 10, 2).unwrap();
        let mut results = run_all(&stats);
        results[1].partial = None;
        assert_eq!(
            combine(&stats, &results).unwrap_err().0,
            "task 1 has no statistics"
        );
    }

    #[test]
    fn every_kernel_has_its_row() {
        assert_eq!(KERNELS.len(), Kernel::ALL.len());
        for kernel in Kernel::ALL {
            assert_eq!(kernel.spec().kernel, kernel);
        }
    }

    #[test]
    fn the_finest_cut_is_a_row_a_block_or_twenty_thousand_values() {
        assert_eq!(job(Kernel::Sha256, 900, 1).finest().tasks, 900);
        assert_eq!(job(Kernel::Mandelbrot, 300, 1).finest().tasks, 200);
        assert_eq!(job(Kernel::Blur, 300, 1).finest().tasks, 300);
        assert_eq!(job(Kernel::Stats, 50_000_000, 1).finest().tasks, 2500);
        assert_eq!(job(Kernel::Stats, 100, 1).finest().tasks, 1);
        assert_eq!(job(Kernel::Sha256, 200_000, 1).finest().tasks, 200_000);
    }

    #[test]
    fn fnv1a_known_values() {
        assert_eq!(fnv1a(b""), 0xCBF2_9CE4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xAF63_DC4C_8601_EC8C);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_F739_67E8);
    }

    /// Prints each kernel's single-thread time at its default size; run it in release.
    #[test]
    #[ignore = "calibration: cargo test --release -- --ignored --nocapture"]
    fn calibrate_default_sizes() {
        for kernel in Kernel::ALL {
            let size = kernel.size_field().default;
            let job = job(kernel, size, 1);
            let mut times = Vec::new();
            for _ in 0..3 {
                let start = std::time::Instant::now();
                let result = job.run_task(0).unwrap();
                times.push(start.elapsed().as_secs_f64());
                assert_eq!(result.items, job.items());
            }
            times.sort_by(f64::total_cmp);
            let split = Job::new(kernel, size, 64).unwrap();
            let start = std::time::Instant::now();
            let results = run_all(&split);
            let split_s = start.elapsed().as_secs_f64();
            let checksum = combine(&split, &results).unwrap().checksum;
            println!(
                "{:<10} size {:>9} {:>6}: {} {}, median of 3 = {:.3} s (64 tasks in a row: {:.3} s), checksum {checksum:016x}",
                kernel.name(),
                size,
                kernel.size_field().unit,
                job.items(),
                kernel.unit(),
                times[1],
                split_s,
            );
        }
    }
}
