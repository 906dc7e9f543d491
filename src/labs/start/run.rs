//! The quick comparison: a small async batch and a small parallel batch.

use leptos::prelude::*;

use lab_core::config::StartSettings;
use lab_core::config::Target;
use lab_core::execute::Mode;
use lab_core::kernel::Kernel;
use lab_core::params::Params;
use lab_core::schema::{CpuBlock, Detail, RunKind, RunRecord};
use lab_core::{format, kernel, stats};

use crate::experiments::{cpu_batch, io_batch, Progress};
use crate::runtime::meter::{meter, next_frame};
use crate::state::{Environment, LabState, RunState, RunStatus};

fn settings(state: LabState) -> StartSettings {
    state
        .settings()
        .with_untracked(|s| s.start().copied().unwrap_or_default())
}

/// Runs the async batch, then the parallel batch when the pool is there.
pub async fn run_all(state: LabState) {
    let pool_ready = || state.environment().with_untracked(|e| e.pool_threads() > 0);
    if run_io(state).await == RunState::Done && pool_ready() {
        // Let the async batch's results reach the screen first: drawn while the workers take
        // every core, they would be slow, inside the parallel batch's record.
        next_frame().await;
        next_frame().await;
        run_cpu(state).await;
    }
}

/// The async batch: `n` fetches of a static file, all in flight at once.
pub async fn run_io(state: LabState) -> RunState {
    let n = settings(state).n;
    let progress = Progress::default();
    let text = format!("Async batch: {n} fetches in flight on one thread");
    let Some(cancel) = state.begin(text, n, &progress) else {
        return RunState::Idle;
    };
    // Unmeasured: the first requests after loading pay for code and connections starting up.
    io_batch::run(2, io_batch::STATIC_FILE, &Progress::default(), &cancel).await;
    let batch = io_batch::run(n, io_batch::STATIC_FILE, &progress, &cancel).await;
    let main_thread = meter().close_record(batch.start_ms).await;
    if cancel.is_cancelled() {
        let text = format!(
            "Cancelled: {} of {n} requests had finished.",
            progress.done()
        );
        return state.abandon(RunState::Cancelled, text);
    }
    let summary = stats::summarize(&batch.spans, batch.wall_ms);
    let resolution = state
        .environment()
        .with_untracked(|e| e.timer_resolution_ms);
    let (run_state, text) = if summary.errors == 0 {
        (
            RunState::Done,
            format!(
                "Done: {n} requests in {}, {:.1} at a time on average.",
                format::ms(summary.wall_ms, resolution),
                summary.mean_in_flight
            ),
        )
    } else {
        (
            RunState::Error,
            format!(
                "{} of {n} requests failed: {}.",
                summary.errors,
                batch.errors.join("; ")
            ),
        )
    };
    let params = Params {
        n: Some(n),
        concurrency: Some(n),
        target: Some(Target::Static),
        url: Some(io_batch::STATIC_FILE.to_owned()),
        ..Params::default()
    };
    let record = RunRecord {
        kind: RunKind::Io,
        label: format!("{n} concurrent fetches"),
        params,
        summary,
        main_thread,
        spans: batch.spans,
        detail: None,
    };
    state.finish(RunStatus::new(run_state, text), vec![record])
}

/// The parallel batch: `tasks` SHA-256 chains across the worker pool.
pub async fn run_cpu(state: LabState) -> RunState {
    let StartSettings { tasks, size, .. } = settings(state);
    let threads = state
        .environment()
        .with_untracked(Environment::pool_threads);
    if threads == 0 {
        return RunState::Idle;
    }
    let progress = Progress::default();
    let text = format!("Parallel batch: {tasks} tasks on {threads} workers");
    let Some(cancel) = state.begin(text, tasks, &progress) else {
        return RunState::Idle;
    };
    let batch = match cpu_batch::run(tasks, size, &progress, &cancel).await {
        Ok(batch) => batch,
        Err(lost) => {
            return state.abandon(RunState::Error, lost.to_string());
        }
    };
    let main_thread = meter().close_record(batch.start_ms).await;
    if cancel.is_cancelled() {
        let text = format!(
            "Cancelled: {} of {tasks} tasks had finished.",
            progress.done()
        );
        return state.abandon(RunState::Cancelled, text);
    }
    let summary = stats::summarize(&batch.spans, batch.wall_ms);
    let resolution = state
        .environment()
        .with_untracked(|e| e.timer_resolution_ms);
    let text = format!(
        "Done: {tasks} tasks in {} on {threads} workers.",
        format::ms(summary.wall_ms, resolution)
    );
    let params = Params {
        kernel: Some(Kernel::Sha256),
        size: Some(size),
        tasks: Some(tasks),
        mode: Some(Mode::Rayon.name().to_owned()),
        threads: Some(threads),
        ..Params::default()
    };
    let record = RunRecord {
        kind: RunKind::Cpu,
        label: format!("{tasks} SHA-256 tasks on {threads} workers"),
        params,
        summary,
        main_thread,
        spans: batch.spans,
        detail: Some(Detail::Cpu(CpuBlock::basic(
            kernel::format_checksum(batch.checksum),
            threads,
        ))),
    };
    state.finish(RunStatus::new(RunState::Done, text), vec![record])
}
