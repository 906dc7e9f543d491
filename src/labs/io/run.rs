//! The I/O lab ("timing"): requests in a closed or open loop against the simulated server, the
//! app's own static files or a URL; one run, or a sweep over the concurrency or the arrival rate.

use std::sync::Arc;

use leptos::prelude::*;

use lab_core::config::{IoSettings, IoSweep, Target};
use lab_core::labs::io::queueing::{self, predict_io};
use lab_core::meter::MainThreadSummary;
use lab_core::params::Params;
use lab_core::resource_timing::{self, Ceiling, Times};
use lab_core::schema::{self, Detail, IoBlock, LittleLaw, LoopKind, RunKind, RunRecord};
use lab_core::sim::arrival_schedule;
use lab_core::{format, stats, sweep};
use serde_json::Number;

use crate::experiments::io_run::{self, IoPlan, IoRun, Pattern, STATIC_FILE};
use crate::experiments::Progress;
use crate::runtime::meter::meter;
use crate::runtime::sim_server::{self, ServerReport};
use crate::runtime::{clock, pool};
use crate::state::{LabState, RunState, RunStatus, SimStatus};

/// Runs the configured single run or sweep.
pub async fn run(state: LabState) {
    let Some(io) = state.settings().with_untracked(|s| s.io().cloned()) else {
        return;
    };
    execute(state, &io, levels(&io)).await;
}

/// Whether a link's `autorun=1` may start the I/O lab. A link may not make this browser send
/// requests to an address it names: for `target=url` the page says what the link would send, and
/// where, and waits for Run. The simulated server and the app's own files may autorun.
pub fn may_autorun(state: LabState) -> bool {
    let Some(io) = state.settings().with_untracked(|s| s.io().cloned()) else {
        return true;
    };
    if io.target != Target::Url {
        return true;
    }
    let total: u32 = levels(&io).iter().map(|level| level.n).sum();
    let address = io.url.unwrap_or_default();
    state.wait_for_click(format!(
        "This link would send {total} requests to {address}. Nothing is sent until you press Run."
    ));
    false
}

/// One level of an experiment: a single run has one, a sweep several.
#[derive(Clone)]
struct Level {
    label: String,
    /// The swept value, for `params.level` (None for a single run).
    value: Option<Number>,
    n: u32,
    pattern: Pattern,
}

fn levels(io: &IoSettings) -> Vec<Level> {
    let open = |n: u32, rate: f64| Pattern::Open {
        schedule: arrival_schedule(n, rate, io.arrivals, io.seed),
    };
    match (io.sweep, io.rate) {
        (None, None) => vec![Level {
            label: format!("{} requests, {} in flight", io.n, io.c),
            value: None,
            n: io.n,
            pattern: Pattern::Closed { c: io.c },
        }],
        (None, Some(rate)) => vec![Level {
            label: format!("{} requests arriving at {rate}/s", io.n),
            value: None,
            n: io.n,
            pattern: open(io.n, rate),
        }],
        (Some(IoSweep::C), _) => sweep::concurrency_levels(io.c)
            .into_iter()
            .map(|c| Level {
                label: format!("C = {c}"),
                value: Some(Number::from(c)),
                n: sweep::requests_per_level(io.n, c),
                pattern: Pattern::Closed { c },
            })
            .collect(),
        (Some(IoSweep::Rate), rate) => sweep::rate_levels(rate.unwrap_or_default())
            .into_iter()
            .map(|rate| Level {
                label: format!("λ = {rate}/s"),
                value: Number::from_f64(rate),
                n: io.n,
                pattern: open(io.n, rate),
            })
            .collect(),
    }
}

/// The address requests go to; for the simulated server, one fresh server per `run`.
fn base_url(io: &IoSettings, run: &str) -> String {
    match io.target {
        Target::Static => STATIC_FILE.to_owned(),
        Target::Url => io.url.clone().unwrap_or_default(),
        Target::Sim => {
            let mut url = format!(
                "io/req?run={run}&latency_ms={}&dist={}&spread_ms={}&payload_kb={}&error_rate={}&seed={}",
                io.latency_ms,
                io.dist.name(),
                io.spread_ms,
                io.payload_kb,
                io.error_rate,
                io.seed
            );
            if let Some(capacity) = io.capacity {
                url.push_str(&format!("&capacity={capacity}"));
            }
            if io.error_rate > 0.0 {
                url.push_str(&format!("&fault={}", io.fault.name()));
            }
            url
        }
    }
}

fn run_id(level: usize) -> String {
    format!("{:.0}-{level}", clock::now_ms())
}

async fn execute(state: LabState, io: &IoSettings, levels: Vec<Level>) {
    let total: u32 = levels.iter().map(|l| l.n).sum();
    let progress = Progress::default();
    let is_sweep = levels.len() > 1;
    let first = levels.first().map(|l| l.label.clone()).unwrap_or_default();
    let Some(cancel) = state.begin(format!("Running: {first}"), total, &progress) else {
        return;
    };
    if io.target == Target::Sim && !sim_server::in_control() {
        let sim = match sim_server::ensure_control().await {
            Ok(()) => SimStatus::Ready,
            Err(message) => SimStatus::Failed(message),
        };
        state.set_sim(sim.clone());
        if let SimStatus::Failed(message) = sim {
            let text = format!(
                "The simulated server is not in control, so nothing was measured: {message}"
            );
            state.abandon(RunState::Error, text);
            return;
        }
    }
    warm_up(io).await;
    let ceiling = match io.target {
        Target::Sim => ceiling(io.payload_kb).await,
        _ => None,
    };
    let count = levels.len();
    let mut records = Vec::new();
    let mut network_errors = Vec::new();
    for (index, level) in levels.into_iter().enumerate() {
        if cancel.is_cancelled() {
            break;
        }
        if is_sweep {
            state.say(format!(
                "Sweep level {} of {count}: {}",
                index + 1,
                level.label
            ));
        }
        let run_id = run_id(index);
        let plan = IoPlan {
            target: io.target,
            url: base_url(io, &run_id),
            n: level.n,
            pattern: level.pattern.clone(),
            timeout_ms: io.timeout_ms,
        };
        let run = io_run::run(&plan, &progress, &cancel).await;
        if cancel.is_cancelled() && run.requests.is_empty() {
            break;
        }
        let main_thread = meter().close_record(run.start_ms).await;
        let server = match io.target {
            Target::Sim => sim_server::report(&run_id).await,
            _ => None,
        };
        for message in &run.network_errors {
            if !network_errors.contains(message) {
                network_errors.push(message.clone());
            }
        }
        let cut_short = cancel.is_cancelled();
        let measured = Measured {
            io: io.clone(),
            level,
            url: plan.url,
            run,
            main_thread,
            server,
            is_sweep,
        };
        // About 5 µs a request on one thread (summaries, the split, the spans' overview), for
        // the job's watchdog.
        let single_thread_ms = f64::from(measured.level.n) * 5e-3;
        let mut record = pool::or_here(single_thread_ms, measured, Measured::record).await;
        if cut_short {
            record.label.push_str(" · cancelled");
        }
        let throughput_per_s = record.summary.throughput_per_s;
        if let (Some(block), Some(limit)) = (record.io_mut(), ceiling) {
            block.ceiling = Some(Ceiling::against(limit, CEILING_C, throughput_per_s));
        }
        records.push(record);
    }
    if cancel.is_cancelled() {
        let done = records
            .iter()
            .map(|r| r.summary.completed + r.summary.errors)
            .sum();
        let status = RunStatus::cancelled(!records.is_empty(), done, total, "requests");
        state.finish(status, records);
        return;
    }
    let status = verdict(state, &records, &network_errors);
    state.finish(status, records);
}

/// A few unmeasured requests, so the first measured ones do not pay for starting things up
/// (the service worker waking, the first connection). Never against a stranger's URL.
async fn warm_up(io: &IoSettings) {
    let (url, n) = match io.target {
        Target::Sim => (
            format!(
                "io/req?run=warm-up-{:.0}&latency_ms=0&payload_kb={}",
                clock::now_ms(),
                io.payload_kb
            ),
            4,
        ),
        Target::Static => (STATIC_FILE.to_owned(), 2),
        Target::Url => return,
    };
    let plan = IoPlan {
        target: io.target,
        url: url.clone(),
        n,
        pattern: Pattern::Closed { c: n },
        timeout_ms: io.timeout_ms,
    };
    io_run::run(&plan, &Progress::default(), &Default::default()).await;
    if io.target == Target::Sim {
        if let Some(run) = url
            .split("run=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
        {
            sim_server::report(run).await;
        }
    }
}

/// Requests in flight while the ceiling is measured.
const CEILING_C: u32 = 64;

thread_local! {
    /// Ceilings measured on this page, by body size (KiB): a body costs the request path more
    /// than an empty answer does.
    static CEILINGS: std::cell::RefCell<Vec<(u32, f64)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The most requests per second this page's request path answers with 0 ms of service
/// ([`CEILING_C`] in flight) and bodies of `payload_kb`: measured on the first run against the
/// simulated server with that body size, then kept for the page's life. About half a second,
/// once.
async fn ceiling(payload_kb: u32) -> Option<f64> {
    let cached = CEILINGS.with_borrow(|known| {
        known
            .iter()
            .find(|(kb, _)| *kb == payload_kb)
            .map(|&(_, per_s)| per_s)
    });
    if cached.is_some() {
        return cached;
    }
    let run = format!("ceiling-{:.0}", clock::now_ms());
    let plan = IoPlan {
        target: Target::Sim,
        url: format!("io/req?run={run}&latency_ms=0&payload_kb={payload_kb}"),
        n: 5 * CEILING_C,
        pattern: Pattern::Closed { c: CEILING_C },
        timeout_ms: 10_000,
    };
    let measured = io_run::run(&plan, &Progress::default(), &Default::default()).await;
    sim_server::report(&run).await;
    let ok = measured
        .requests
        .iter()
        .filter(|r| r.error.is_none())
        .count();
    let per_s = ok as f64 / (measured.wall_ms / 1000.0);
    let known = (ok > 0 && per_s.is_finite()).then_some(per_s)?;
    CEILINGS.with_borrow_mut(|ceilings| ceilings.push((payload_kb, known)));
    Some(known)
}

/// One level's run and what was measured around it, to be made a record: on the pool where the
/// page has one, since a flood's summaries and spans are a long task's worth of work.
#[derive(Clone)]
struct Measured {
    io: IoSettings,
    level: Level,
    /// The address requests went to.
    url: String,
    run: IoRun,
    main_thread: MainThreadSummary,
    server: Option<ServerReport>,
    is_sweep: bool,
}

impl Measured {
    fn record(self) -> RunRecord {
        let Measured {
            io,
            level,
            url,
            run,
            main_thread,
            server,
            is_sweep,
        } = self;
        record(&io, &level, url, run, main_thread, server, is_sweep)
    }
}

fn record(
    io: &IoSettings,
    level: &Level,
    url: String,
    run: IoRun,
    main_thread: MainThreadSummary,
    server: Option<ServerReport>,
    is_sweep: bool,
) -> RunRecord {
    let (loop_kind, concurrency, rate) = match &level.pattern {
        Pattern::Closed { c } => (LoopKind::Closed, Some(*c), None),
        Pattern::Open { .. } => (LoopKind::Open, None, io.rate.map(|_| level_rate(level, io))),
    };
    let summary = if is_sweep {
        let window =
            concurrency.unwrap_or_else(|| expected_in_flight(io, rate.unwrap_or_default()));
        sweep::steady_summary(&run.spans, window)
    } else {
        stats::summarize(&run.spans, run.wall_ms)
    };
    let split = schema::split(&run.requests);
    let resume_delay = resource_timing::resume_delay(
        &run.requests
            .iter()
            .map(|r| Times {
                start_ms: r.start_ms,
                end_ms: r.end_ms,
                resumed_ms: r.resumed_ms,
                browser: r.browser,
            })
            .collect::<Vec<_>>(),
    );
    let little = match (loop_kind, concurrency) {
        (LoopKind::Closed, Some(c)) => LittleLaw::closed_loop(&summary, c),
        _ => server.and_then(|s| {
            let inside: Vec<f64> = run
                .requests
                .iter()
                .filter_map(|r| Some(r.queue_ms? + r.service_ms?))
                .collect();
            let mean = inside.iter().sum::<f64>() / inside.len().max(1) as f64;
            LittleLaw::server(summary.throughput_per_s, mean, s.mean_occupancy)
        }),
    };
    let overhead = split.map_or(0.0, |s| s.overhead_ms);
    let model = match io.target {
        Target::Sim => predict_io(io, concurrency, rate, overhead),
        _ => None,
    };
    let open = rate.is_some();
    let sim = io.target == Target::Sim;
    let params = Params {
        target: Some(io.target),
        n: Some(level.n),
        timeout_ms: Some(io.timeout_ms),
        level: level.value.clone().map(Some),
        c: concurrency,
        rate: if concurrency.is_none() { rate } else { None },
        arrivals: open.then_some(io.arrivals),
        seed: open.then_some(io.seed),
        latency_ms: sim.then_some(io.latency_ms),
        dist: sim.then_some(io.dist),
        spread_ms: sim.then_some(io.spread_ms),
        capacity: sim.then_some(io.capacity),
        payload_kb: sim.then_some(io.payload_kb),
        error_rate: sim.then_some(io.error_rate),
        fault: (sim && io.error_rate > 0.0).then_some(io.fault),
        ..Params::default()
    };
    RunRecord {
        kind: RunKind::Io,
        label: level.label.clone(),
        params,
        summary,
        main_thread,
        spans: run.spans.into(),
        detail: Some(Detail::Io(Arc::new(IoBlock {
            target: io.target,
            url,
            loop_kind,
            concurrency,
            rate_per_s: rate,
            requests: run.requests,
            little,
            split_ms: split,
            model,
            server: server.map(|s| schema::ServerStats {
                mean_occupancy: s.mean_occupancy,
                window_ms: s.window_ms,
                served: s.served,
            }),
            resume_delay: Some(resume_delay),
            ceiling: None,
        }))),
    }
}

fn level_rate(level: &Level, io: &IoSettings) -> f64 {
    level
        .value
        .as_ref()
        .and_then(Number::as_f64)
        .or(io.rate)
        .unwrap_or_default()
}

/// Requests the simulated server holds on average at `rate` (at least one).
fn expected_in_flight(io: &IoSettings, rate: f64) -> u32 {
    ((rate * io.latency_ms / 1000.0).ceil() as u32).max(1)
}

fn verdict(state: LabState, records: &[RunRecord], network_errors: &[String]) -> RunStatus {
    let resolution = state
        .environment()
        .with_untracked(|e| e.timer_resolution_ms);
    let completed: u32 = records.iter().map(|r| r.summary.completed).sum();
    let errors: u32 = records.iter().map(|r| r.summary.errors).sum();
    if completed == 0 {
        let kind = records
            .iter()
            .flat_map(|r| r.io().into_iter().flat_map(|io| io.requests.iter()))
            .find_map(|r| r.error);
        let mut text = format!(
            "Every request failed: {}.",
            kind.map_or("no request was issued", |k| k.explain())
        );
        if let Some(message) = network_errors.first() {
            text.push_str(&format!(" The browser said: {message}"));
        }
        return RunStatus::new(RunState::Error, text);
    }
    let errors = match errors {
        0 => String::new(),
        1 => " 1 request failed.".to_owned(),
        e => format!(" {e} requests failed."),
    };
    if let [record] = records {
        let s = &record.summary;
        let latency = s.latency_ms.map_or(String::new(), |l| {
            format!(
                ", p50 {}, p99 {}",
                format::ms(l.p50, resolution),
                format::ms(l.p99, resolution)
            )
        });
        RunStatus::new(
            RunState::Done,
            format!(
                "Done: {} requests in {}: {}{latency}.{errors}",
                s.completed,
                format::ms(s.wall_ms, resolution),
                format::rate(s.throughput_per_s)
            ),
        )
    } else {
        let throughputs: Vec<f64> = records.iter().map(|r| r.summary.throughput_per_s).collect();
        let knee = queueing::knee(&throughputs)
            .and_then(|i| records.get(i))
            .map_or(String::new(), |r| {
                format!(" Throughput stops growing at {}.", r.label)
            });
        RunStatus::new(
            RunState::Done,
            format!(
                "Done: {} sweep levels, {completed} requests.{knee}{errors}",
                records.len()
            ),
        )
    }
}
