//! The CPU lab ("teamwork"): a kernel split into tasks, run on the main thread, on one worker,
//! on T lanes or across the whole pool; sweeps over the thread count and the task count.

use std::cell::RefCell;
use std::collections::HashMap;

use futures::channel::mpsc::unbounded;
use lab_core::config::{CpuSettings, CpuSweep};
use lab_core::execute::Mode;
use lab_core::kernel::{Job, Kernel};
use lab_core::meter::MainThreadSummary;
use lab_core::models::{efficiency, estimate_amdahl, karp_flatt, speedup};
use lab_core::params::{int_level, Params};
use lab_core::schema::{CpuBlock, Detail, RunKind, RunRecord};
use lab_core::{format, kernel, stats, sweep};
use leptos::prelude::*;

use crate::experiments::cpu_job::{self, CpuError, CpuRun};
use crate::experiments::{Cancel, Progress};
use crate::runtime::meter::meter;
use crate::state::{Environment, LabState, RunState, RunStatus};

/// Repetitions per sweep level; the median one is reported.
const REPETITIONS: usize = 3;

thread_local! {
    /// Job latency at one thread, per job, measured in this page: the baseline of speedups.
    static BASELINES: RefCell<HashMap<(Kernel, u32, u32), f64>> = RefCell::new(HashMap::new());
}

fn key(job: &Job) -> (Kernel, u32, u32) {
    (job.kernel, job.size, job.tasks)
}

/// One configuration to measure.
#[derive(Clone, Copy, Debug)]
struct Level {
    job: Job,
    mode: Mode,
    threads: u32,
}

/// Runs the configured single run or sweep.
pub async fn run(state: LabState) {
    let Some(settings) = state.settings().with_untracked(|s| s.cpu().copied()) else {
        return;
    };
    let pool = state
        .environment()
        .with_untracked(Environment::pool_threads);
    let levels = match levels(&settings, pool) {
        Ok(levels) => levels,
        Err(message) => {
            state.refuse(message);
            return;
        }
    };
    execute(state, &settings, levels, pool).await;
}

fn levels(settings: &CpuSettings, pool: u32) -> Result<Vec<Level>, String> {
    if settings.mode != Mode::Main && pool == 0 {
        return Err("Parallel runs need the worker pool, which is not available here (see above); only mode=main can run.".into());
    }
    let threads = settings.threads.unwrap_or(pool).max(1);
    if settings.mode != Mode::Main && threads > pool {
        return Err(format!(
            "threads must be at most the pool size, {pool} on this machine; got {threads}."
        ));
    }
    let job = |tasks| Job::new(settings.kernel, settings.size, tasks).map_err(|e| e.to_string());
    let single_threads = match settings.mode {
        Mode::Main | Mode::Worker => 1,
        Mode::Lanes => threads,
        Mode::Rayon => pool,
    };
    Ok(match settings.sweep {
        None => vec![Level {
            job: job(settings.tasks)?,
            mode: settings.mode,
            threads: single_threads,
        }],
        Some(CpuSweep::Threads) => sweep::thread_levels(threads)
            .into_iter()
            .map(|t| {
                Ok(Level {
                    job: job(settings.tasks)?,
                    mode: Mode::Lanes,
                    threads: t,
                })
            })
            .collect::<Result<_, String>>()?,
        Some(CpuSweep::Tasks) => sweep::task_levels(settings.tasks)
            .into_iter()
            .map(|tasks| {
                Ok(Level {
                    job: job(tasks)?,
                    mode: settings.mode,
                    threads: single_threads,
                })
            })
            .collect::<Result<_, String>>()?,
    })
}

async fn execute(state: LabState, settings: &CpuSettings, levels: Vec<Level>, pool: u32) {
    let is_sweep = levels.len() > 1;
    let reps = if is_sweep { REPETITIONS } else { 1 };
    let total: u32 = levels.iter().map(|l| l.job.tasks * reps as u32).sum();
    let progress = Progress::default();
    let first = describe(&levels[0]);
    let Some(cancel) = state.begin(format!("Running: {first}"), total, &progress) else {
        return;
    };
    // One unmeasured job first, so the engine has compiled the kernel before anything counts.
    if settings.mode != Mode::Main {
        let warm = levels[0];
        let _ = cpu_job::run(
            warm.job,
            Mode::Rayon,
            pool,
            &Progress::default(),
            &Cancel::new(),
            None,
        )
        .await;
    }
    let count = levels.len();
    let mut measured: Vec<(Level, CpuRun, MainThreadSummary, Vec<f64>)> = Vec::new();
    // A sweep measures scaling, and drawing tiles as they arrive takes main-thread time that,
    // on a machine with few cores, comes out of the workers' share. So a sweep keeps the tiles
    // of its latest repetition and draws them once the timing is over.
    let mut kept_image = None;
    for (index, level) in levels.into_iter().enumerate() {
        if is_sweep {
            state.say(format!(
                "Sweep level {} of {count}: {}",
                index + 1,
                describe(&level)
            ));
        }
        let mut runs = Vec::new();
        for _ in 0..reps {
            let tiles = match level.job.image_size() {
                Some(size) if is_sweep => {
                    let (sender, receiver) = unbounded();
                    kept_image = Some((size, receiver));
                    Some(sender)
                }
                Some((width, height)) => state
                    .tile_canvas()
                    .and_then(|canvas| canvas.begin(width, height)),
                None => None,
            };
            let job = cpu_job::run(
                level.job,
                level.mode,
                level.threads,
                &progress,
                &cancel,
                tiles,
            );
            // A cancel abandons the level in flight; the levels measured before it are kept.
            match cancel
                .or_cancelled(job)
                .await
                .unwrap_or(Err(CpuError::Cancelled))
            {
                Ok(run) => {
                    let main_thread = meter().close_record(run.start_ms).await;
                    runs.push((run, main_thread));
                }
                Err(CpuError::Cancelled) => {
                    let records = records(settings, pool, measured, is_sweep);
                    let status =
                        RunStatus::cancelled(!records.is_empty(), progress.done(), total, "tasks");
                    state.finish(status, records);
                    return;
                }
                Err(error) => {
                    state.abandon(RunState::Error, error.to_string());
                    return;
                }
            }
        }
        let walls: Vec<f64> = runs.iter().map(|(run, _)| run.wall_ms).collect();
        let median = stats::median_index(&walls).unwrap_or(0);
        let (run, main_thread) = runs.swap_remove(median);
        if level.threads == 1 && level.mode != Mode::Main {
            BASELINES.with(|b| b.borrow_mut().insert(key(&level.job), run.wall_ms));
        }
        measured.push((level, run, main_thread, walls));
    }
    if let (Some(((width, height), tiles)), Some(canvas)) = (kept_image, state.tile_canvas()) {
        canvas.show(width, height, tiles);
    }
    let records = records(settings, pool, measured, is_sweep);
    let status = verdict(state, &records, is_sweep);
    state.finish(status, records);
}

fn describe(level: &Level) -> String {
    let where_ = match level.mode {
        Mode::Main => "on the main thread".to_owned(),
        Mode::Worker => "on one worker".to_owned(),
        Mode::Lanes => format!(
            "on {} lane{}",
            level.threads,
            if level.threads == 1 { "" } else { "s" }
        ),
        Mode::Rayon => format!("across the pool ({} workers)", level.threads),
    };
    format!(
        "{} {} tasks {where_}",
        level.job.kernel.name(),
        level.job.tasks
    )
}

fn records(
    settings: &CpuSettings,
    pool: u32,
    measured: Vec<(Level, CpuRun, MainThreadSummary, Vec<f64>)>,
    is_sweep: bool,
) -> Vec<RunRecord> {
    let by_threads = is_sweep && settings.sweep == Some(CpuSweep::Threads);
    let sweep_baseline = measured.first().map(|(_, run, _, _)| run.wall_ms);
    let baseline = |level: &Level| {
        if is_sweep {
            sweep_baseline
        } else {
            BASELINES.with(|b| b.borrow().get(&key(&level.job)).copied())
        }
    };
    let points: Vec<(u32, f64)> = measured
        .iter()
        .filter_map(|(level, run, _, _)| {
            Some((level.threads, speedup(baseline(level)?, run.wall_ms)?))
        })
        .collect();
    let amdahl = by_threads.then(|| estimate_amdahl(&points));
    measured
        .into_iter()
        .map(|(level, run, main_thread, walls)| {
            let mut summary = run.summary.clone();
            summary.throughput_per_s = if run.wall_ms > 0.0 {
                run.result.items as f64 / (run.wall_ms / 1000.0)
            } else {
                0.0
            };
            let speedup = baseline(&level).and_then(|b| speedup(b, run.wall_ms));
            let efficiency = speedup.and_then(|s| efficiency(s, level.threads));
            let kernel = level.job.kernel;
            let value = if by_threads {
                level.threads
            } else {
                level.job.tasks
            };
            let params = Params {
                kernel: Some(kernel),
                size: Some(level.job.size),
                tasks: Some(level.job.tasks),
                threads: Some(level.threads),
                mode: Some(level.mode.name().to_owned()),
                level: if is_sweep { int_level(value) } else { None },
                ..Params::default()
            };
            let label = if !is_sweep {
                format!(
                    "{} · {} tasks · {}",
                    kernel.title(),
                    level.job.tasks,
                    level.mode.name()
                )
            } else if by_threads {
                format!("T = {}", level.threads)
            } else {
                format!("{} tasks", level.job.tasks)
            };
            RunRecord {
                kind: RunKind::Cpu,
                label,
                params,
                main_thread,
                detail: Some(Detail::Cpu(CpuBlock {
                    kernel: Some(kernel),
                    size: Some(level.job.size),
                    unit: Some(kernel.unit().to_owned()),
                    items: Some(run.result.items),
                    mode: Some(level.mode),
                    threads: Some(level.threads),
                    speedup,
                    efficiency,
                    karp_flatt: speedup.and_then(|s| karp_flatt(s, level.threads)),
                    lanes: run.lanes,
                    repetitions: walls,
                    stats: run.result.stats.clone(),
                    amdahl: amdahl.clone(),
                    ..CpuBlock::basic(kernel::format_checksum(run.result.checksum), pool)
                })),
                summary,
                spans: run.spans,
            }
        })
        .collect()
}

fn verdict(state: LabState, records: &[RunRecord], is_sweep: bool) -> RunStatus {
    let resolution = state
        .environment()
        .with_untracked(|e| e.timer_resolution_ms);
    let Some(last) = records.last() else {
        return RunStatus::new(RunState::Error, "Nothing ran.");
    };
    let unit = last.cpu().and_then(|c| c.unit.clone()).unwrap_or_default();
    let checksums: Vec<&str> = records
        .iter()
        .filter_map(|r| Some(r.cpu()?.checksum.as_str()))
        .collect();
    let same = checksums.windows(2).all(|w| w[0] == w[1]);
    let speedup = |r: &RunRecord| r.cpu().and_then(|c| c.speedup);
    let text = if is_sweep {
        let best = records
            .iter()
            .filter_map(|r| Some((r, speedup(r)?)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((r, s)) => format!(
                "Done: {} levels; best speedup {s:.2}× at {}.",
                records.len(),
                r.label
            ),
            None => format!("Done: {} levels.", records.len()),
        }
    } else {
        let s = &last.summary;
        let speed = speedup(last).map_or(String::new(), |s| format!(", speedup {s:.2}×"));
        format!(
            "Done: {} in {}: {}{speed}.",
            last.label,
            format::ms(s.wall_ms, resolution),
            format::rate_of(s.throughput_per_s, &unit)
        )
    };
    if same {
        RunStatus::new(RunState::Done, text)
    } else {
        RunStatus::new(
            RunState::Error,
            format!("{text} The checksums differ between levels: a bug, please report it."),
        )
    }
}
