//! The responsiveness trade-off: one CPU job on the main thread, yielding every k ms, swept
//! over k; and the same job on the workers, the point that escapes the trade-off.

use lab_core::config::{TradeoffSettings, TradeoffSweep};
use lab_core::execute::Mode;
use lab_core::kernel::Job;
use lab_core::meter::MainThreadSummary;
use lab_core::params::{float_level, Params};
use lab_core::schema::{Detail, RunKind, RunRecord, TradeoffBlock};
use lab_core::span::Spans;
use lab_core::stats;
use lab_core::sweep::slice_levels;
use leptos::prelude::*;

use crate::experiments::cpu_job::{self, CpuError};
use crate::experiments::tradeoff::run_sliced;
use crate::experiments::{Cancel, Progress};
use crate::runtime::meter::meter;
use crate::state::{Environment, LabState, RunState, RunStatus};

/// The largest slice a sweep reaches, at least.
const SWEEP_TOP_MS: f64 = 200.0;

/// Runs the configured slice (or the sweep over slices), then the job on the workers.
pub async fn run(state: LabState) {
    let Some(settings) = state.settings().with_untracked(|s| s.tradeoff().copied()) else {
        return;
    };
    let job = match Job::new(settings.kernel, settings.size, 1) {
        Ok(job) => job.finest(),
        Err(error) => {
            state.refuse(error.to_string());
            return;
        }
    };
    let slices = match settings.sweep {
        Some(TradeoffSweep::SliceMs) => slice_levels(settings.slice_ms.max(SWEEP_TOP_MS)),
        None => vec![settings.slice_ms],
    };
    let workers = state
        .environment()
        .with_untracked(Environment::pool_threads);
    let runs = slices.len() as u32 + u32::from(workers > 0);
    let progress = Progress::default();
    let Some(cancel) = state.begin("Trade-off: starting".into(), job.tasks * runs, &progress)
    else {
        return;
    };
    let mut records = Vec::new();
    for slice_ms in slices {
        state.say(format!("Main thread, yielding every {slice_ms} ms"));
        match measure(&settings, job, Some(slice_ms), &progress, &cancel).await {
            Ok(record) => records.push(record),
            Err(status) => {
                let (status, kept) = end_early(status, records, &progress, job.tasks * runs);
                state.finish(status, kept);
                return;
            }
        }
    }
    if workers > 0 {
        state.say("The same job on the workers".into());
        match measure(&settings, job, None, &progress, &cancel).await {
            Ok(record) => records.push(record),
            Err(status) => {
                let (status, kept) = end_early(status, records, &progress, job.tasks * runs);
                state.finish(status, kept);
                return;
            }
        }
    }
    let text = format!("Done: {} runs of the same job.", records.len());
    state.finish(RunStatus::new(RunState::Done, text), records);
}

/// How a run that ended early ends: a failure keeps nothing; a cancel keeps the runs measured
/// before it.
fn end_early(
    status: RunStatus,
    records: Vec<RunRecord>,
    progress: &Progress,
    total: u32,
) -> (RunStatus, Vec<RunRecord>) {
    match status.state {
        RunState::Cancelled => {
            let status = RunStatus::cancelled(!records.is_empty(), progress.done(), total, "tasks");
            (status, records)
        }
        _ => (status, Vec::new()),
    }
}

/// One run, sliced on the main thread, or (`None`) on the pool.
async fn measure(
    settings: &TradeoffSettings,
    job: Job,
    slice_ms: Option<f64>,
    progress: &Progress,
    cancel: &Cancel,
) -> Result<RunRecord, RunStatus> {
    let outcome = match slice_ms {
        Some(slice) => run_sliced(job, slice, progress, cancel)
            .await
            .map(|run| (run.spans.into(), run.start_ms, run.wall_ms, run.result)),
        None => cancel
            .or_cancelled(cpu_job::run(job, Mode::Rayon, 0, progress, cancel, None))
            .await
            .unwrap_or(Err(CpuError::Cancelled))
            .map(|run| (run.spans, run.start_ms, run.wall_ms, run.result)),
    };
    let (spans, start_ms, wall_ms, result) = match outcome {
        Ok(done) => done,
        Err(CpuError::Cancelled) => {
            return Err(RunStatus::new(
                RunState::Cancelled,
                "Cancelled; nothing was kept.",
            ))
        }
        Err(error) => return Err(RunStatus::new(RunState::Error, error.to_string())),
    };
    let main_thread = meter().close_record(start_ms).await;
    Ok(record(
        settings,
        job,
        slice_ms,
        spans,
        wall_ms,
        result.items,
        main_thread,
    ))
}

fn record(
    settings: &TradeoffSettings,
    job: Job,
    slice_ms: Option<f64>,
    spans: Spans,
    wall_ms: f64,
    items: u64,
    main_thread: MainThreadSummary,
) -> RunRecord {
    let mut summary = stats::summarize(&spans, wall_ms);
    let throughput = if wall_ms > 0.0 {
        items as f64 / (wall_ms / 1000.0)
    } else {
        0.0
    };
    summary.throughput_per_s = throughput;
    let label = match slice_ms {
        Some(k) => format!("k = {k} ms"),
        None => "on workers".to_owned(),
    };
    let block = TradeoffBlock {
        slice_ms,
        on_workers: slice_ms.is_none(),
        probe_p50_ms: main_thread.heartbeat_p50_ms,
        probe_p99_ms: main_thread.heartbeat_p99_ms,
        probe_max_ms: main_thread.heartbeat_max_ms,
        probes: main_thread.heartbeats,
        frame_p99_ms: main_thread.frame_p99_ms,
        throughput_per_s: throughput,
    };
    let mut record = RunRecord::new(RunKind::Cpu, label, summary, main_thread, spans);
    let mode = match slice_ms {
        Some(_) => "main-sliced",
        None => Mode::Rayon.name(),
    };
    record.params = Params {
        kernel: Some(settings.kernel),
        size: Some(settings.size),
        tasks: Some(job.tasks),
        slice_ms: Some(slice_ms),
        mode: Some(mode.to_owned()),
        level: if settings.sweep.is_some() {
            float_level(slice_ms)
        } else {
            None
        },
        ..Params::default()
    };
    record.detail = Some(Detail::Tradeoff(block));
    record
}
