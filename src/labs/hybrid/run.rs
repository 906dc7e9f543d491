//! The hybrid pipeline: fetch asynchronously, process in parallel, three ways.

use lab_core::config::{HybridSettings, Strategy, STRATEGIES};
use lab_core::kernel::Job;
use lab_core::labs::hybrid::{busy_ms, overlap_ms, predict_ms};
use lab_core::params::Params;
use lab_core::schema::{Detail, HybridBlock, RunKind, RunRecord};
use lab_core::span::Lane;
use lab_core::{format, kernel, stats};
use leptos::prelude::*;

use crate::experiments::hybrid::{self, HybridError, HybridPlan, HybridRun};
use crate::experiments::{cpu_job, Cancel, Progress};
use crate::runtime::meter::meter;
use crate::runtime::{clock, sim_server};
use crate::state::{Environment, LabState, RunState, RunStatus, SimStatus};

/// Runs the configured strategy, or all three side by side.
pub async fn run(state: LabState) {
    let Some(settings) = state.settings().with_untracked(|s| s.hybrid().copied()) else {
        return;
    };
    let workers = state
        .environment()
        .with_untracked(Environment::pool_threads);
    if workers == 0 {
        state.refuse(
            "The pipeline processes on the worker pool, which is not available here (see above)."
                .into(),
        );
        return;
    }
    let job = match Job::new(settings.kernel, settings.size, 1) {
        Ok(job) => job,
        Err(error) => {
            state.refuse(error.to_string());
            return;
        }
    };
    let strategies: Vec<Strategy> = match settings.strategy {
        Strategy::All => STRATEGIES.to_vec(),
        one => vec![one],
    };
    let progress = Progress::default();
    let total = settings.n * 2 * strategies.len() as u32;
    let Some(cancel) = state.begin("Pipeline: warming up".into(), total, &progress) else {
        return;
    };
    if !sim_server::in_control() {
        if let Err(message) = sim_server::ensure_control().await {
            state.set_sim(SimStatus::Failed(message.clone()));
            state.abandon(RunState::Error, message);
            return;
        }
    }
    // Unmeasured: the kernel compiled on every worker, the service worker awake.
    let _ = cpu_job::run(
        job,
        lab_core::execute::Mode::Rayon,
        workers,
        &Progress::default(),
        &Cancel::new(),
        None,
    )
    .await;
    let mut records = Vec::new();
    let mut failed = Vec::new();
    for strategy in strategies {
        state.say(format!(
            "Pipeline: {} — {} items",
            strategy.name(),
            settings.n
        ));
        let plan = HybridPlan {
            n: settings.n,
            c: settings.c,
            url: format!(
                "io/req?run=hybrid-{:.0}-{}&latency_ms={}&payload_kb=1",
                clock::now_ms(),
                strategy.name(),
                settings.latency_ms
            ),
            job,
            timeout_ms: 30_000,
        };
        // A cancel abandons the strategy in flight; the strategies run before it are kept.
        let run = hybrid::run(&plan, strategy, &progress, &cancel);
        match cancel
            .or_cancelled(run)
            .await
            .unwrap_or(Err(HybridError::Cancelled))
        {
            // Every fetch failed: nothing was processed, so there is nothing to compare.
            Ok(run) if run.failed == settings.n => {
                let text = format!("Every fetch failed: {}.", run.failures.join("; "));
                state.abandon(RunState::Error, text);
                return;
            }
            Ok(run) => {
                if run.failed > 0 {
                    failed.push(format!(
                        " {}: {} of {} fetches failed ({}); they are drawn as failed spans and \
                         were not processed.",
                        strategy.name(),
                        run.failed,
                        settings.n,
                        run.failures.join("; ")
                    ));
                }
                let main_thread = meter().close_record(run.start_ms).await;
                records.push(record(&settings, strategy, workers, run, main_thread));
            }
            Err(HybridError::Cancelled) => {
                let status = RunStatus::cancelled(
                    !records.is_empty(),
                    progress.done(),
                    total,
                    "fetch and process steps",
                );
                state.finish(status, records);
                return;
            }
            Err(error) => {
                state.abandon(RunState::Error, error.to_string());
                return;
            }
        }
    }
    let resolution = state
        .environment()
        .with_untracked(|e| e.timer_resolution_ms);
    let text = records
        .iter()
        .map(|r| format!("{} {}", r.label, format::ms(r.summary.wall_ms, resolution)))
        .collect::<Vec<_>>()
        .join(", ");
    state.finish(
        RunStatus::new(RunState::Done, format!("Done: {text}.{}", failed.concat())),
        records,
    );
}

/// The spans of the fetches (`io`) or of the processing that succeeded.
fn intervals(run: &HybridRun, io: bool) -> Vec<(f64, f64)> {
    run.spans
        .iter()
        .filter(|s| s.ok && matches!(s.lane, Lane::Io(_)) == io)
        .map(|s| (s.start_ms, s.end_ms))
        .collect()
}

fn mean(intervals: &[(f64, f64)]) -> f64 {
    intervals.iter().map(|(a, b)| b - a).sum::<f64>() / intervals.len().max(1) as f64
}

fn record(
    settings: &HybridSettings,
    strategy: Strategy,
    workers: u32,
    run: HybridRun,
    main_thread: lab_core::meter::MainThreadSummary,
) -> RunRecord {
    let fetches = intervals(&run, true);
    let computes = intervals(&run, false);
    let latency = mean(&fetches);
    let process = mean(&computes);
    let fetch_ms = busy_ms(&fetches);
    let compute_ms = busy_ms(&computes);
    let summary = stats::summarize(&run.items, run.wall_ms);
    let mut record = RunRecord::new(
        RunKind::Hybrid,
        strategy.name().to_owned(),
        summary,
        main_thread,
        run.spans,
    );
    record.params = Params {
        strategy: Some(strategy),
        n: Some(settings.n),
        c: Some(settings.c),
        latency_ms: Some(settings.latency_ms),
        kernel: Some(settings.kernel),
        size: Some(settings.size),
        workers: Some(workers),
        ..Params::default()
    };
    record.detail = Some(Detail::Hybrid(HybridBlock {
        strategy,
        model_ms: predict_ms(strategy, settings.n, settings.c, latency, process, workers),
        process_ms: process,
        latency_ms: latency,
        workers,
        fetch_ms,
        compute_ms,
        overlap_ms: overlap_ms(&fetches, &computes),
        saved_ms: (fetch_ms + compute_ms - run.wall_ms).max(0.0),
        checksum: kernel::format_checksum(run.checksum),
    }));
    record
}
