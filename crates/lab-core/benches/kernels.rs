//! Native benchmark of the CPU lab's kernels, to set beside the same kernels in WebAssembly.
//!
//! For each kernel at the CPU lab's default size and task count (64 tasks), it times the job
//! run four ways: in order on the calling thread (`execute::sequential`), over T lanes and over
//! 1 lane (`execute::lanes`), and over the whole pool (`execute::rayon_all`), the last three
//! inside a dedicated rayon pool of T threads. Every run's tasks must combine to the same
//! checksum, or the benchmark stops with an error. After one unrecorded warm-up of each way,
//! each repetition runs every way once in turn, so a noisy moment hits them all alike; the
//! report gives the median, least and most milliseconds, the speedup (single-thread median over
//! T-lanes median) and the efficiency (speedup / T).
//!
//! It also times what the browser pays for parallelism, natively: the cost per task of a job of
//! many empty tasks through `execute::lanes`, and the round trip of an empty job spawned on the
//! pool from outside it and answered over a channel.
//!
//! SHA-256 is hashed in software: the crate's dev-dependencies turn on sha2's `force-soft`
//! feature, so, as in the WebAssembly build, no CPU SHA extensions are used.
//!
//! Run it from the workspace root with the stable toolchain:
//!
//! ```text
//! cargo +1.95.0 bench -p lab-core --bench kernels -- --json target/bench/native.json
//! ```
//!
//! Options: `--reps N` (default 5), `--threads T` (default: the machine's available
//! parallelism), `--kernels a,b` (a subset, by name), `--json PATH` (also write the report as
//! JSON; a relative path is taken from the workspace root, since cargo runs benchmarks in the
//! package's folder), `--quick` (1 repetition and a tenth of each size, as a smoke check).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Instant;

use lab_core::execute;
use lab_core::kernel::{combine, format_checksum, Job, Kernel, TaskResult};
use lab_core::labs::cpu::CPU_TASKS;
use rayon::ThreadPool;
use serde::Serialize;

/// Empty tasks in the job that measures the cost of a task.
const OVERHEAD_TASKS: u32 = 65_536;

/// Empty jobs sent to the pool to measure a round trip.
const ROUND_TRIPS: usize = 1000;

/// What the command line asked for.
struct Options {
    reps: usize,
    threads: u32,
    kernels: Vec<Kernel>,
    json: Option<PathBuf>,
    quick: bool,
}

/// One way of running a job's tasks.
#[derive(Clone, Copy)]
enum Way {
    /// In order on the calling thread.
    Single,
    /// Over this many lanes in the pool.
    Lanes(u32),
    /// Over the whole pool with rayon's parallel iterator.
    Rayon,
}

/// The median, least and most of some samples.
#[derive(Clone, Copy, Serialize)]
struct Summary {
    median: f64,
    min: f64,
    max: f64,
}

/// One kernel's line of the report.
#[derive(Serialize)]
struct KernelReport {
    kernel: &'static str,
    size: u32,
    tasks: u32,
    single_ms: Summary,
    lanes_ms: Summary,
    lanes_1_ms: Summary,
    rayon_ms: Summary,
    speedup: f64,
    efficiency: f64,
    checksum: String,
}

/// The machine the benchmark ran on.
#[derive(Serialize)]
struct Machine {
    threads: u32,
    os: &'static str,
    arch: &'static str,
}

/// The whole report, as `--json` writes it (fields in this order).
#[derive(Serialize)]
struct Report {
    machine: Machine,
    /// Always "software": sha2's `force-soft` feature is on for benchmarks.
    sha256: &'static str,
    reps: usize,
    quick: bool,
    kernels: Vec<KernelReport>,
    empty_job_round_trip_us: Summary,
    per_task_overhead_us: Summary,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kernels benchmark: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let options = parse_options(std::env::args().skip(1))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads as usize)
        .build()
        .map_err(|error| {
            format!(
                "cannot start a pool of {} threads: {error}",
                options.threads
            )
        })?;

    println!(
        "{} threads, {} repetition(s), SHA-256 in software{}",
        options.threads,
        options.reps,
        if options.quick { ", quick sizes" } else { "" }
    );
    println!(
        "{:<10} {:>8} {:>5}  {:<24} {:<24} {:<24} {:<24} {:>7} {:>10}",
        "kernel",
        "size",
        "tasks",
        "single ms [min–max]",
        format!("{}-lanes ms", options.threads),
        "1-lane ms",
        "rayon ms",
        "speedup",
        "efficiency"
    );
    let mut kernels = Vec::new();
    for &kernel in &options.kernels {
        let report = bench_kernel(kernel, &options, &pool)?;
        println!(
            "{:<10} {:>8} {:>5}  {:<24} {:<24} {:<24} {:<24} {:>7.2} {:>10.2}",
            report.kernel,
            report.size,
            report.tasks,
            cell(report.single_ms),
            cell(report.lanes_ms),
            cell(report.lanes_1_ms),
            cell(report.rayon_ms),
            report.speedup,
            report.efficiency
        );
        kernels.push(report);
    }

    let per_task = per_task_overhead_us(&pool, options.threads, options.reps);
    let round_trip = round_trip_us(&pool)?;
    println!(
        "per-task overhead ({OVERHEAD_TASKS} empty tasks, {} lanes): {} µs",
        options.threads,
        cell_us(per_task)
    );
    println!(
        "empty job round trip ({ROUND_TRIPS} trips): {} µs",
        cell_us(round_trip)
    );

    if let Some(path) = &options.json {
        let report = Report {
            machine: Machine {
                threads: options.threads,
                os: std::env::consts::OS,
                arch: std::env::consts::ARCH,
            },
            sha256: "software",
            reps: options.reps,
            quick: options.quick,
            kernels,
            empty_job_round_trip_us: round_trip,
            per_task_overhead_us: per_task,
        };
        write_json(path, &report)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Times one kernel every way, checking that every run gives the same checksum.
fn bench_kernel(
    kernel: Kernel,
    options: &Options,
    pool: &ThreadPool,
) -> Result<KernelReport, String> {
    let field = kernel.size_field();
    let size = if options.quick {
        (field.default / 10).max(field.min)
    } else {
        field.default
    };
    let job = Job::new(kernel, size, CPU_TASKS.default).map_err(|error| error.to_string())?;
    let ways = [
        Way::Single,
        Way::Lanes(options.threads),
        Way::Lanes(1),
        Way::Rayon,
    ];

    // The warm-up: fills caches and wakes the pool, and gives the checksum every run must match.
    let (_, checksum) = run_job(&job, pool, Way::Single)?;
    for way in ways {
        check(kernel, checksum, run_job(&job, pool, way)?.1)?;
    }

    // One list of samples per way, filled a repetition at a time.
    let mut samples = ways.map(|_| Vec::with_capacity(options.reps));
    for _ in 0..options.reps {
        for (way, times) in ways.into_iter().zip(&mut samples) {
            let (ms, sum) = run_job(&job, pool, way)?;
            check(kernel, checksum, sum)?;
            times.push(ms);
        }
    }
    let [single_ms, lanes_ms, lanes_1_ms, rayon_ms] =
        samples.map(|mut times| summarize(&mut times));
    let speedup = single_ms.median / lanes_ms.median;
    Ok(KernelReport {
        kernel: kernel.name(),
        size,
        tasks: job.tasks,
        single_ms,
        lanes_ms,
        lanes_1_ms,
        rayon_ms,
        speedup,
        efficiency: speedup / f64::from(options.threads),
        checksum: format_checksum(checksum),
    })
}

/// Runs the job one way: its time in milliseconds and its combined checksum.
fn run_job(job: &Job, pool: &ThreadPool, way: Way) -> Result<(f64, u64), String> {
    let task = |t: u32| job.run_task(t);
    let start = Instant::now();
    let results = match way {
        Way::Single => execute::sequential(job.tasks, task),
        Way::Lanes(lanes) => pool.install(|| execute::lanes(job.tasks, lanes, task)),
        Way::Rayon => pool.install(|| execute::rayon_all(job.tasks, task)),
    };
    let ms = start.elapsed().as_secs_f64() * 1e3;
    // Combining the results (and dropping the images) is left out of the time.
    let results: Vec<TaskResult> = results
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(|error| error.to_string())?;
    let combined = combine(job, &results).map_err(|error| error.to_string())?;
    Ok((ms, combined.checksum))
}

/// An error unless a run's checksum is the warm-up's.
fn check(kernel: Kernel, expected: u64, got: u64) -> Result<(), String> {
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "{}: checksum {} differs from the single-thread run's {}",
            kernel.name(),
            format_checksum(got),
            format_checksum(expected)
        ))
    }
}

/// Microseconds per task of a job of empty tasks over `threads` lanes, one sample a repetition.
fn per_task_overhead_us(pool: &ThreadPool, threads: u32, reps: usize) -> Summary {
    let run = || {
        let start = Instant::now();
        let done = pool.install(|| execute::lanes(OVERHEAD_TASKS, threads, |t| t));
        let us = start.elapsed().as_secs_f64() * 1e6;
        std::hint::black_box(done);
        us / f64::from(OVERHEAD_TASKS)
    };
    run();
    let mut samples: Vec<f64> = (0..reps).map(|_| run()).collect();
    summarize(&mut samples)
}

/// Microseconds from spawning an empty job on the pool, from outside it, until its message
/// comes back over a channel; the first trip is a warm-up.
fn round_trip_us(pool: &ThreadPool) -> Result<Summary, String> {
    let (sender, receiver) = mpsc::channel();
    let mut samples = Vec::with_capacity(ROUND_TRIPS);
    for trip in 0..=ROUND_TRIPS {
        let sender = sender.clone();
        let start = Instant::now();
        pool.spawn(move || {
            // The receiver outlives every trip, so the send cannot fail.
            let _ = sender.send(());
        });
        receiver
            .recv()
            .map_err(|_| "an empty job on the pool never answered".to_owned())?;
        if trip > 0 {
            samples.push(start.elapsed().as_secs_f64() * 1e6);
        }
    }
    Ok(summarize(&mut samples))
}

/// The median, least and most of non-empty samples (sorts them).
fn summarize(samples: &mut [f64]) -> Summary {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    let median = if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    };
    Summary {
        median,
        min: samples[0],
        max: samples[n - 1],
    }
}

/// A table cell in milliseconds: "median [min–max]".
fn cell(ms: Summary) -> String {
    format!("{:.1} [{:.1}–{:.1}]", ms.median, ms.min, ms.max)
}

/// A line's figure in microseconds: "median [min–max]".
fn cell_us(us: Summary) -> String {
    format!("{:.3} [{:.3}–{:.3}]", us.median, us.min, us.max)
}

/// Reads the arguments after the program's name (cargo's own `--bench` is ignored).
fn parse_options(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut reps = None;
    let mut threads = None;
    let mut kernels = Kernel::ALL.to_vec();
    let mut json = None;
    let mut quick = false;
    let mut args = args;
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--bench" => {}
            "--quick" => quick = true,
            "--reps" => reps = Some(positive(&arg, &value()?)?),
            "--threads" => threads = Some(positive(&arg, &value()?)?),
            "--json" => json = Some(from_workspace(Path::new(&value()?))),
            "--kernels" => {
                kernels = value()?
                    .split(',')
                    .map(|name| {
                        Kernel::from_name(name.trim()).ok_or(format!(
                            "unknown kernel {name:?}; the kernels are {}",
                            Kernel::NAMES.join(", ")
                        ))
                    })
                    .collect::<Result<_, _>>()?;
            }
            _ => {
                return Err(format!(
                    "unknown argument {arg:?}; the options are --reps N, --threads T, \
                     --kernels a,b, --json PATH and --quick"
                ))
            }
        }
    }
    let threads = match threads {
        Some(threads) => threads,
        None => std::thread::available_parallelism()
            .map_or(1, |n| u32::try_from(n.get()).unwrap_or(u32::MAX)),
    };
    Ok(Options {
        reps: reps.map_or(if quick { 1 } else { 5 }, |reps| reps as usize),
        threads,
        kernels,
        json,
        quick,
    })
}

/// A whole number of at least 1 given to `option`.
fn positive(option: &str, value: &str) -> Result<u32, String> {
    value.parse().ok().filter(|&n| n >= 1).ok_or(format!(
        "{option} needs a whole number of at least 1; got {value:?}"
    ))
}

/// A path as given from the workspace root: cargo runs a benchmark in its package's folder.
fn from_workspace(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap_or(Path::new("."));
    root.join(path)
}

/// Writes the report as pretty JSON, creating the folders above it.
fn write_json(path: &Path, report: &Report) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(report).map_err(|error| error.to_string())?;
    std::fs::write(path, text + "\n")
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}
