//! A CPU batch on the worker pool: `par_iter` over the tasks inside one job sent with
//! `rayon::spawn`, awaited through a oneshot. The main thread only waits on the event loop.
//! Its baselines: [`run_on_main`], the same tasks in order on the main thread, which blocks the
//! page on purpose, and [`Spread::OneWorker`], in order on one worker, awaited.
//!
//! Why the quick comparison keeps this batch rather than running a `Job` of the SHA-256 kernel
//! through [`super::cpu_job`]: not speed (both hash with the same `sha256_chain`; nothing was
//! measured to differ), but meaning. Its `size` is SHA-256 rounds per task in the links people
//! share (`size=20000`), where the kernel's unit is a block of 256 rounds split across the tasks;
//! a `Job` would change what such a link runs and the checksum the comparison exports, which
//! the end-to-end tests check against an independent Node implementation of these chains.

use lab_core::kernel;
use lab_core::span::{Lane, Span};
use rayon::prelude::*;

use super::{Cancel, Progress};
use crate::runtime::{clock, pool};

/// What a parallel batch measured.
#[derive(Clone, Debug)]
pub struct CpuBatch {
    /// One span per task on lane `worker-<rayon index>`, relative to `start_ms`.
    pub spans: Vec<Span>,
    /// Submission time on the shared clock.
    pub start_ms: f64,
    /// Job latency: from submission to the result on the main thread.
    pub wall_ms: f64,
    /// The combined checksum of every task's result.
    pub checksum: u64,
}

struct TaskDone {
    task: u32,
    worker: u32,
    began: f64,
    ended: f64,
    checksum: u64,
}

/// How many workers share a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// Every task in order on one worker: off the main thread, but no faster.
    OneWorker,
    /// The tasks spread over the whole pool by `par_iter`.
    AllWorkers,
}

/// Runs `tasks` SHA-256 chains of `rounds` rounds on the pool, spread as `spread` says.
pub async fn run(
    tasks: u32,
    rounds: u32,
    spread: Spread,
    progress: &Progress,
    cancel: &Cancel,
) -> Result<CpuBatch, pool::PoolLost> {
    let progress = progress.clone();
    let cancelled = cancel.flag();
    let start_ms = clock::now_ms();
    let done = pool::run(move || {
        let task = |task: u32| {
            if cancelled.load(std::sync::atomic::Ordering::Relaxed) {
                return None;
            }
            let began = clock::now_ms();
            let checksum = kernel::task_checksum(task, rounds);
            let ended = clock::now_ms();
            progress.tick();
            Some(TaskDone {
                task,
                worker: rayon::current_thread_index().map_or(0, |i| i as u32),
                began,
                ended,
                checksum,
            })
        };
        match spread {
            Spread::OneWorker => (0..tasks).filter_map(task).collect::<Vec<_>>(),
            Spread::AllWorkers => (0..tasks).into_par_iter().filter_map(task).collect(),
        }
    })
    .await?;
    let wall_ms = clock::now_ms() - start_ms;
    let checksum = kernel::combine_checksums(done.iter().map(|t| (t.task, t.checksum)));
    let spans = done
        .into_iter()
        .map(|t| Span {
            id: t.task,
            lane: Lane::Worker(t.worker),
            start_ms: t.began - start_ms,
            end_ms: t.ended - start_ms,
            ok: true,
        })
        .collect();
    Ok(CpuBatch {
        spans,
        start_ms,
        wall_ms,
        checksum,
    })
}

/// Runs the same `tasks` chains in order on the main thread: the page can neither draw nor
/// answer a click until they end. Spans go on lane `main`.
pub fn run_on_main(tasks: u32, rounds: u32, progress: &Progress) -> CpuBatch {
    let start_ms = clock::now_ms();
    let done: Vec<(Span, u64)> = (0..tasks)
        .map(|task| {
            let began = clock::now_ms();
            let checksum = kernel::task_checksum(task, rounds);
            let ended = clock::now_ms();
            progress.tick();
            let span = Span {
                id: task,
                lane: Lane::Main,
                start_ms: began - start_ms,
                end_ms: ended - start_ms,
                ok: true,
            };
            (span, checksum)
        })
        .collect();
    let wall_ms = clock::now_ms() - start_ms;
    let checksum = kernel::combine_checksums(done.iter().map(|(s, checksum)| (s.id, *checksum)));
    CpuBatch {
        spans: done.into_iter().map(|(span, _)| span).collect(),
        start_ms,
        wall_ms,
        checksum,
    }
}

/// A short unmeasured job on every worker, so the first measured tasks do not pay for the
/// engine compiling the kernel.
pub async fn warm_up(threads: u32) -> Result<(), pool::PoolLost> {
    pool::run(move || {
        (0..threads * 4)
            .into_par_iter()
            .map(|task| kernel::task_checksum(task, 500))
            .reduce(|| 0, u64::wrapping_add);
    })
    .await
}
