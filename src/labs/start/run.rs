//! The quick comparison: each batch runs its baseline first, on the same page, so the lesson
//! compares two measured runs rather than one run and a claim.
//! - The async batch: the same fetches one at a time, then all in flight at once.
//! - The parallel batch: the same SHA-256 job on the main thread (the page freezes, on purpose),
//!   then on one worker, awaited (the page answers, no faster), then across the worker pool.

use leptos::prelude::*;

use lab_core::config::{StartSettings, Target};
use lab_core::execute::Mode;
use lab_core::kernel::Kernel;
use lab_core::meter::MainThreadSummary;
use lab_core::params::Params;
use lab_core::schema::{CpuBlock, Detail, RunKind, RunRecord};
use lab_core::{kernel, stats};

use crate::experiments::cpu_job::{self, CpuError, Shape, Timed};
use crate::experiments::io_run::{self, IoPlan, IoRun, Pattern, STATIC_FILE};
use crate::experiments::{Cancel, Progress};
use crate::runtime::clock;
use crate::runtime::meter::{meter, next_frame};
use crate::state::{Environment, LabState, RunState, RunStatus, SimStatus};

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

/// Where the async batch's fetches go: the simulated server with the configured wait when it
/// controls the page, or else the app's own file (no simulated wait).
fn plan(start: &StartSettings, sim: bool, c: u32) -> IoPlan {
    let (target, url) = if sim {
        let run = format!("start-{:.0}-{c}", clock::now_ms());
        let url = format!("io/req?run={run}&latency_ms={}", start.latency_ms);
        (Target::Sim, url)
    } else {
        (Target::Static, STATIC_FILE.to_owned())
    };
    IoPlan {
        target,
        url,
        n: start.n,
        pattern: Pattern::Closed { c },
        timeout_ms: 10_000,
    }
}

/// One fetch run as a record: `c` requests in flight.
fn io_record(
    latency_ms: Option<f64>,
    run: IoRun,
    plan: &IoPlan,
    main_thread: MainThreadSummary,
) -> RunRecord {
    let Pattern::Closed { c } = plan.pattern else {
        unreachable!("the start lab runs closed loops only")
    };
    let n = plan.n;
    let label = if c == 1 {
        format!("{n} fetches, one at a time")
    } else {
        format!("{n} fetches, all at once")
    };
    let params = Params {
        n: Some(n),
        concurrency: Some(c),
        target: Some(plan.target),
        url: (plan.target == Target::Static).then(|| plan.url.clone()),
        latency_ms,
        ..Params::default()
    };
    RunRecord {
        kind: RunKind::Io,
        label,
        params,
        summary: stats::summarize(&run.spans, run.wall_ms),
        main_thread,
        spans: run.spans.into(),
        detail: None,
    }
}

/// Why an I/O run failed, in the browser's words or by the kind of each failure.
fn failures(run: &IoRun) -> Option<String> {
    let failed = run.requests.iter().filter(|r| r.error.is_some()).count();
    (failed > 0).then(|| {
        let mut kinds: Vec<String> = run
            .requests
            .iter()
            .filter_map(|r| r.error.map(|e| e.explain().to_owned()))
            .chain(run.network_errors.iter().cloned())
            .collect();
        kinds.sort();
        kinds.dedup();
        let noun = if failed == 1 { "request" } else { "requests" };
        format!("{failed} {noun} failed: {}", kinds.join("; "))
    })
}

/// Ends a cancelled batch, keeping its strategies that ran whole (`records`) and saying how
/// much had finished. The strategy the cancel cut short is not kept: a part of it would make
/// its ratio to the others meaningless.
fn cancelled(
    state: LabState,
    progress: &Progress,
    total: u32,
    what: &str,
    records: Vec<RunRecord>,
) -> RunState {
    let done = progress.done();
    let text = match records.len() {
        0 => format!("Cancelled: {done} of {total} {what} had finished, before any whole run; nothing was kept."),
        1 => format!("Cancelled: {done} of {total} {what} had finished; the one run that ended before the cancel is kept and drawn."),
        n => format!("Cancelled: {done} of {total} {what} had finished; the {n} runs that ended before the cancel are kept and drawn."),
    };
    state.finish(RunStatus::new(RunState::Cancelled, text), records)
}

/// The async batch: the fetches one at a time, then all in flight at once.
pub async fn run_io(state: LabState) -> RunState {
    let start = settings(state);
    let n = start.n;
    let sim = state
        .environment()
        .with_untracked(|e| e.sim == SimStatus::Ready);
    let progress = Progress::default();
    let text = format!("Async batch: {n} fetches one at a time, then all {n} at once");
    let Some(cancel) = state.begin(text, 2 * n, &progress) else {
        return RunState::Idle;
    };
    // Unmeasured: the first requests after loading pay for code and connections starting up.
    let warm = IoPlan {
        n: 2,
        ..plan(&start, sim, 2)
    };
    io_run::run(&warm, &Progress::default(), &Cancel::default()).await;
    let mut records = Vec::new();
    let mut failed = Vec::new();
    for c in [1, n] {
        let plan = plan(&start, sim, c);
        let run = io_run::run(&plan, &progress, &cancel).await;
        let main_thread = meter().close_record(run.start_ms).await;
        if cancel.is_cancelled() {
            return cancelled(state, &progress, 2 * n, "requests", records);
        }
        // A failed fetch is a failed span of its run (drawn red, counted in its errors); only a
        // run with nothing to compare, where every fetch failed, ends the batch.
        if let Some(text) = failures(&run) {
            if run.requests.iter().all(|r| r.error.is_some()) {
                return state.abandon(RunState::Error, text);
            }
            let how = if c == 1 {
                "one at a time"
            } else {
                "all at once"
            };
            failed.push(format!(" {how}, {text}."));
        }
        records.push(io_record(
            sim.then_some(start.latency_ms),
            run,
            &plan,
            main_thread,
        ));
    }
    let [one, all] = [&records[0], &records[1]].map(|r| r.summary.wall_ms);
    let mut text = format!(
        "Done: {n} fetches took {one:.0} ms one at a time and {all:.0} ms all at once ({:.1}×).",
        one / all
    );
    if !failed.is_empty() {
        text.push_str(" Failed,");
        text.push_str(&failed.concat());
    }
    state.finish(RunStatus::new(RunState::Done, text), records)
}

/// One batch of hash chains as a record, on the main thread or across `threads` workers.
fn cpu_record(
    batch: Timed<u64>,
    start: &StartSettings,
    mode: Mode,
    threads: u32,
    main_thread: MainThreadSummary,
) -> RunRecord {
    let tasks = start.tasks;
    let label = match mode {
        Mode::Main => format!("{tasks} SHA-256 tasks on the main thread"),
        Mode::Worker => format!("{tasks} SHA-256 tasks on one worker"),
        _ => format!("{tasks} SHA-256 tasks on {threads} workers"),
    };
    let params = Params {
        kernel: Some(Kernel::Sha256),
        size: Some(start.size),
        tasks: Some(tasks),
        mode: Some(mode.name().to_owned()),
        threads: Some(threads),
        ..Params::default()
    };
    let checksum = kernel::combine_checksums(batch.spans.iter().map(|s| s.id).zip(batch.results));
    RunRecord {
        kind: RunKind::Cpu,
        label,
        params,
        summary: stats::summarize(&batch.spans, batch.wall_ms),
        main_thread,
        spans: batch.spans.into(),
        detail: Some(Detail::Cpu(CpuBlock::basic(
            kernel::format_checksum(checksum),
            threads,
        ))),
    }
}

/// The parallel batch: the same SHA-256 chains on the main thread, then on one worker, then
/// across the worker pool.
///
/// The chains are not a row of the kernel table, though they run through the same pipeline
/// ([`cpu_job::run_tasks`]) and hash with the same `sha256_chain` as the SHA-256 kernel. The
/// reason is what `size` means, not speed: here it is the rounds of each task's own chain
/// (`size=20000` in shared links), so every task does the work the lesson names, where a kernel's
/// size is split across its tasks and its checksum must not depend on the split. Running a
/// SHA-256 kernel job instead would change what those links run and the checksum the end-to-end
/// tests check against an independent Node implementation of these chains. Timed on one page
/// (five loads, the first run after each), the same 1.28 million hashes cost the same either
/// way: 64 chains of 20,000 rounds took 431 ms on one worker and 241 ms on two (medians), the
/// kernel's 5,000 blocks in 64 tasks 412 and 272 ms.
pub async fn run_cpu(state: LabState) -> RunState {
    let start = settings(state);
    let tasks = start.tasks;
    let threads = state
        .environment()
        .with_untracked(Environment::pool_threads);
    if threads == 0 {
        return RunState::Idle;
    }
    let progress = Progress::default();
    let text = format!(
        "Parallel batch: {tasks} tasks on the main thread (the page freezes until they end)"
    );
    let Some(cancel) = state.begin(text, 3 * tasks, &progress) else {
        return RunState::Idle;
    };
    // A frame, so the status says why the page is about to freeze before it does (the run
    // itself waits for one more).
    next_frame().await;
    let rounds = start.size;
    let mut records = Vec::with_capacity(3);
    for (mode, lanes) in [(Mode::Main, 1), (Mode::Worker, 1), (Mode::Rayon, threads)] {
        if mode != Mode::Main {
            let noun = if lanes == 1 { "worker" } else { "workers" };
            state.say(format!("Parallel batch: {tasks} tasks on {lanes} {noun}"));
        }
        let chains = move |task| kernel::task_checksum(task, rounds);
        let expected_ms = kernel::chains_single_thread_ms(tasks, rounds);
        let shape = Shape {
            tasks,
            mode,
            threads: lanes,
            expected_ms,
        };
        let batch = cpu_job::run_tasks(shape, &progress, &cancel, chains, |batch| batch);
        let batch = match cancel.or_cancelled(batch).await {
            Some(Ok(batch)) => batch,
            Some(Err(CpuError::Cancelled)) | None => {
                return cancelled(state, &progress, 3 * tasks, "tasks", records)
            }
            Some(Err(error)) => return state.abandon(RunState::Error, error.to_string()),
        };
        let main_thread = meter().close_record(batch.start_ms).await;
        if cancel.is_cancelled() {
            return cancelled(state, &progress, 3 * tasks, "tasks", records);
        }
        records.push(cpu_record(batch, &start, mode, lanes, main_thread));
    }
    let wall = |i: usize| records[i].summary.wall_ms;
    let text = format!(
        "Done: {tasks} tasks took {:.0} ms on the main thread, {:.0} ms on one worker and {:.0} ms on {threads} workers.",
        wall(0),
        wall(1),
        wall(2)
    );
    state.finish(RunStatus::new(RunState::Done, text), records)
}
