//! The CPU lab's workload: a kernel's tasks in one of four modes. Every task is timed on the
//! thread that ran it (the shared clock makes the lanes comparable); image tiles stream back
//! to the main thread as tasks finish.

use futures::channel::mpsc::UnboundedSender;
use lab_core::execute::{self, Mode};
use lab_core::kernel::{self, Job, JobResult, KernelError, Tile};
use lab_core::span::{Lane, Span};

use super::{Cancel, Progress};
use crate::runtime::event_loop::in_next_task;
use crate::runtime::meter::next_frame;
use crate::runtime::{clock, pool};

/// What one job measured.
#[derive(Clone, Debug)]
pub struct CpuRun {
    /// One span per task on its thread's lane, relative to `start_ms`.
    pub spans: Vec<Span>,
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

struct TaskDone {
    lane: Lane,
    began: f64,
    ended: f64,
    result: Result<kernel::TaskResult, KernelError>,
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
    let progress = progress.clone();
    let cancelled = cancel.flag();
    let task = move |task: u32| -> Option<TaskDone> {
        if cancelled.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        let lane = match rayon::current_thread_index() {
            Some(index) => Lane::Worker(index as u32),
            None => Lane::Main,
        };
        let began = clock::now_ms();
        let mut result = job.run_task(task);
        let ended = clock::now_ms();
        if let (Ok(done), Some(tiles)) = (&mut result, &tiles) {
            if let Some(tile) = done.tile.take() {
                // The page may have moved on; a tile nobody draws is fine.
                let _ = tiles.unbounded_send(tile);
            }
        }
        progress.tick();
        Some(TaskDone {
            lane,
            began,
            ended,
            result,
        })
    };
    let tasks = job.tasks;
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
            let done = pool::run(move || execute::sequential(tasks, task)).await;
            (start_ms, done.map_err(|_| CpuError::PoolLost)?)
        }
        // end snippet
        Mode::Lanes => {
            let start_ms = clock::now_ms();
            let done = pool::run(move || execute::lanes(tasks, threads, task)).await;
            (start_ms, done.map_err(|_| CpuError::PoolLost)?)
        }
        Mode::Rayon => {
            let start_ms = clock::now_ms();
            let done = pool::run(move || execute::rayon_all(tasks, task)).await;
            (start_ms, done.map_err(|_| CpuError::PoolLost)?)
        }
    };
    let wall_ms = clock::now_ms() - start_ms;
    if done.iter().any(Option::is_none) {
        return Err(CpuError::Cancelled);
    }
    let mut spans = Vec::with_capacity(done.len());
    let mut results = Vec::with_capacity(done.len());
    for t in done.into_iter().flatten() {
        let result = t.result.map_err(|e| CpuError::Kernel(e.to_string()))?;
        spans.push(Span {
            id: result.task,
            lane: t.lane,
            start_ms: t.began - start_ms,
            end_ms: t.ended - start_ms,
            ok: true,
        });
        results.push(result);
    }
    spans.sort_by_key(|s| s.id);
    let result = kernel::combine(&job, &results).map_err(|e| CpuError::Kernel(e.to_string()))?;
    Ok(CpuRun {
        spans,
        start_ms,
        wall_ms,
        result,
    })
}
