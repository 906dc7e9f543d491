//! The CPU lab's workload: a kernel's tasks in one of four modes. Every task is timed on the
//! thread that ran it (the shared clock makes the lanes comparable); image tiles stream back
//! to the main thread as tasks finish.

use futures::channel::mpsc::UnboundedSender;
use lab_core::execute::{self, Mode};
use lab_core::kernel::{self, Job, JobResult, Tile};
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

/// Runs tasks `0..tasks` of `work` in `mode` (`threads` lanes for [`Mode::Lanes`]), timing each
/// on the thread that ran it. Every CPU workload of the page goes through here: the kernels'
/// jobs ([`run`]) and the quick comparison's hash chains. One thread would take about
/// `expected_ms` for all of them: the pool's watchdog scales with it.
pub async fn run_tasks<R: Send + 'static>(
    tasks: u32,
    mode: Mode,
    threads: u32,
    expected_ms: f64,
    progress: &Progress,
    cancel: &Cancel,
    work: impl Fn(u32) -> R + Send + Sync + 'static,
) -> Result<Timed<R>, CpuError> {
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
    let (spans, results) = off_the_main_thread(mode, tasks, move || in_order(done, start_ms))
        .await?
        .ok_or(CpuError::Cancelled)?;
    Ok(Timed {
        spans,
        results,
        start_ms,
        wall_ms,
    })
}

/// Runs `work` that follows a job of `tasks` tasks: on the pool, unless the job ran on the main
/// thread (where there may be no pool). Putting a million tasks in order is hundreds of
/// milliseconds, and the main thread is the page's.
pub async fn off_the_main_thread<T: Send + 'static>(
    mode: Mode,
    tasks: u32,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, CpuError> {
    match mode {
        Mode::Main => Ok(work()),
        // About a microsecond a task natively, for the watchdog.
        _ => pool::run(f64::from(tasks) * 1e-3, work)
            .await
            .map_err(|_| CpuError::PoolLost),
    }
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
    let expected_ms = job.single_thread_ms();
    let timed = run_tasks(
        job.tasks,
        mode,
        threads,
        expected_ms,
        progress,
        cancel,
        work,
    )
    .await?;
    let (spans, wall_ms) = (timed.spans, timed.wall_ms);
    let results = timed.results;
    let (result, spans, summary, lanes) = off_the_main_thread(mode, job.tasks, move || {
        let results = results
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CpuError::Kernel(e.to_string()))?;
        let result =
            kernel::combine(&job, &results).map_err(|e| CpuError::Kernel(e.to_string()))?;
        let summary = stats::summarize(&spans, wall_ms);
        let lanes = lane_usage(&spans, wall_ms);
        // Shared from here on: the page's views and its history hold these, never copies.
        Ok((result, Spans::from(spans), summary, lanes))
    })
    .await??;
    Ok(CpuRun {
        spans,
        summary,
        lanes,
        start_ms: timed.start_ms,
        wall_ms,
        result,
    })
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
