//! The CPU lab's workload: a kernel's tasks in one of four modes. Every task is timed on the
//! thread that ran it (the shared clock makes the lanes comparable); image tiles stream back
//! to the main thread as tasks finish.

use futures::channel::mpsc::UnboundedSender;
use lab_core::execute::{self, Mode};
use lab_core::kernel::{self, Job, JobResult, KernelError, TaskResult, Tile};
use lab_core::span::{lane_usage, Lane, LaneUsage, Span, Spans};
use lab_core::stats::{self, Summary};

use super::{Cancel, Progress};
use crate::runtime::event_loop::in_next_task;
use crate::runtime::meter::next_frame;
use crate::runtime::{clock, pool};

/// What one job measured.
#[derive(Clone, Debug)]
pub struct CpuRun {
    /// One span per task on its thread's lane, relative to `start_ms`.
    pub spans: Spans,
    /// The spans summarised (computed with them, off the main thread).
    pub summary: Summary,
    /// How busy each lane was.
    pub lanes: Vec<LaneUsage>,
    /// Submission time on the shared clock.
    pub start_ms: f64,
    /// Job latency: from submission to the result on the main thread.
    pub wall_ms: f64,
    /// The combined result (checksum, items, statistics).
    pub result: JobResult,
}

/// Why a job gave no result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CpuError {
    /// A worker died.
    PoolLost,
    /// A kernel refused its input.
    Kernel(String),
    /// Cancelled before every task ran.
    Cancelled,
    /// The page could not post a task to its own main thread.
    NoTask,
}

impl std::fmt::Display for CpuError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PoolLost => pool::PoolLost.fmt(f),
            Self::Kernel(message) => write!(f, "the kernel failed: {message}"),
            Self::Cancelled => f.write_str("cancelled"),
            Self::NoTask => f.write_str("the browser would not run a task on the main thread"),
        }
    }
}

/// Tasks timed on the thread that ran each: what every task returned, in task order.
#[derive(Clone, Debug)]
pub struct Timed<R> {
    /// One span per task on its thread's lane, relative to `start_ms`.
    pub spans: Vec<Span>,
    /// What each task returned, in the order of `spans`.
    pub results: Vec<R>,
    /// Submission time on the shared clock.
    pub start_ms: f64,
    /// Job latency: from submission to the result on the main thread.
    pub wall_ms: f64,
}

struct TaskDone<R> {
    task: u32,
    lane: Lane,
    began: f64,
    ended: f64,
    result: R,
}

/// How a job's tasks run.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Tasks `0..tasks`.
    pub tasks: u32,
    /// Where they run.
    pub mode: Mode,
    /// Lanes for [`Mode::Lanes`].
    pub threads: u32,
    /// About how long one thread would take for all of them: the pool's watchdog scales with it.
    pub expected_ms: f64,
}

/// Runs the tasks of `work` as `shape` says, timing each on the thread that ran it, then
/// `finish` on what they returned, in task order. Every CPU workload of the page goes through
/// here: the kernels' jobs ([`run`]) and the quick comparison's hash chains.
///
/// Putting a million tasks in order and summarising them is hundreds of milliseconds, and the
/// main thread is the page's: unless the tasks ran on the main thread (where there may be no
/// pool), both happen on the pool, in one job.
pub async fn run_tasks<R: Send + 'static, T: Send + 'static>(
    shape: Shape,
    progress: &Progress,
    cancel: &Cancel,
    work: impl Fn(u32) -> R + Send + Sync + 'static,
    finish: impl FnOnce(Timed<R>) -> T + Send + 'static,
) -> Result<T, CpuError> {
    let Shape {
        tasks,
        mode,
        threads,
        expected_ms,
    } = shape;
    let progress = progress.clone();
    let cancelled = cancel.flag();
    let task = move |task: u32| -> Option<TaskDone<R>> {
        if cancelled.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        let lane = match rayon::current_thread_index() {
            Some(index) => Lane::Worker(index as u32),
            None => Lane::Main,
        };
        let began = clock::now_ms();
        let result = work(task);
        let ended = clock::now_ms();
        progress.tick();
        Some(TaskDone {
            task,
            lane,
            began,
            ended,
            result,
        })
    };
    let (start_ms, done) = match mode {
        // snippet: main-mode
        Mode::Main => {
            // Let the browser paint "running" before the main thread stops answering.
            next_frame().await;
            let start_ms = clock::now_ms();
            let done = in_next_task(move || execute::sequential(tasks, task)).await;
            (start_ms, done.ok_or(CpuError::NoTask)?)
        }
        // end snippet
        // snippet: worker-mode
        Mode::Worker => {
            let start_ms = clock::now_ms();
            let done = pool::run(expected_ms, move || execute::sequential(tasks, task)).await;
            (start_ms, done.map_err(|_| CpuError::PoolLost)?)
        }
        // end snippet
        Mode::Lanes => {
            let start_ms = clock::now_ms();
            let done = pool::run(expected_ms, move || execute::lanes(tasks, threads, task)).await;
            (start_ms, done.map_err(|_| CpuError::PoolLost)?)
        }
        Mode::Rayon => {
            let start_ms = clock::now_ms();
            let done = pool::run(expected_ms, move || execute::rayon_all(tasks, task)).await;
            (start_ms, done.map_err(|_| CpuError::PoolLost)?)
        }
    };
    let wall_ms = clock::now_ms() - start_ms;
    let finished = move || {
        let (spans, results) = in_order(done, start_ms)?;
        Some(finish(Timed {
            spans,
            results,
            start_ms,
            wall_ms,
        }))
    };
    let finished = match mode {
        Mode::Main => finished(),
        // About a microsecond a task natively, for the watchdog.
        _ => pool::run(f64::from(tasks) * 1e-3, finished)
            .await
            .map_err(|_| CpuError::PoolLost)?,
    };
    finished.ok_or(CpuError::Cancelled)
}

/// The tasks in task order, as spans relative to `start_ms` and their results; `None` if a
/// task was skipped (cancelled).
fn in_order<R>(done: Vec<Option<TaskDone<R>>>, start_ms: f64) -> Option<(Vec<Span>, Vec<R>)> {
    let mut done = done.into_iter().collect::<Option<Vec<_>>>()?;
    done.sort_by_key(|t| t.task);
    let spans = done
        .iter()
        .map(|t| Span {
            id: t.task,
            lane: t.lane,
            start_ms: t.began - start_ms,
            end_ms: t.ended - start_ms,
            ok: true,
        })
        .collect();
    Some((spans, done.into_iter().map(|t| t.result).collect()))
}

/// Runs `job` in `mode` (`threads` lanes for [`Mode::Lanes`]). Tiles go to `tiles` as they finish.
pub async fn run(
    job: Job,
    mode: Mode,
    threads: u32,
    progress: &Progress,
    cancel: &Cancel,
    tiles: Option<UnboundedSender<Tile>>,
) -> Result<CpuRun, CpuError> {
    let work = move |task: u32| {
        let mut result = job.run_task(task);
        if let (Ok(done), Some(tiles)) = (&mut result, &tiles) {
            if let Some(tile) = done.tile.take() {
                // The page may have moved on; a tile nobody draws is fine.
                let _ = tiles.unbounded_send(tile);
            }
        }
        result
    };
    let combine = move |timed: Timed<Result<TaskResult, KernelError>>| {
        let results = timed
            .results
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CpuError::Kernel(e.to_string()))?;
        let result =
            kernel::combine(&job, &results).map_err(|e| CpuError::Kernel(e.to_string()))?;
        Ok(CpuRun {
            summary: stats::summarize(&timed.spans, timed.wall_ms),
            lanes: lane_usage(&timed.spans, timed.wall_ms),
            // Shared from here on: the page's views and its history hold these, never copies.
            spans: Spans::from(timed.spans),
            start_ms: timed.start_ms,
            wall_ms: timed.wall_ms,
            result,
        })
    };
    let shape = Shape {
        tasks: job.tasks,
        mode,
        threads,
        expected_ms: job.single_thread_ms(),
    };
    run_tasks(shape, progress, cancel, work, combine).await?
}

/// A short unmeasured job on every worker, so the first measured tasks do not pay for the
/// engine compiling the kernel.
pub async fn warm_up(threads: u32) -> Result<(), pool::PoolLost> {
    let expected_ms = kernel::chains_single_thread_ms(threads * 4, 500);
    pool::run(expected_ms, move || {
        execute::rayon_all(threads * 4, |task| kernel::task_checksum(task, 500));
    })
    .await
}
