//! What a CPU run or sweep measured: job latency and throughput in the kernel's unit, the
//! checksum every mode must agree on, how busy each lane was, and the speedup charts.

use lab_core::config::CpuSweep;
use lab_core::format;
use lab_core::schema::{CpuBlock, RunKind, RunRecord};
use lab_core::stats::{Spread, BUSY_SPREAD};
use leptos::prelude::*;

use super::glossary::term;
use super::latency_throughput::{LatencyThroughput, Point};
use super::overlay;
use super::speedup_chart::{SpeedupChart, SpeedupPoint};
use super::summary::Summary;
use super::timeline::Timeline;
use crate::state::LabState;

/// One run: the numbers, the checksum, the lanes, the timeline.
#[component]
pub fn CpuRunView(record: RunRecord, resolution_ms: f64) -> impl IntoView {
    let cpu = record.cpu().cloned();
    view! {
        <div class="result" data-testid="result" data-kind="cpu">
            <p class="result-label" data-testid="result-detail">{record.label.clone()}</p>
            <Summary record=record.clone() resolution_ms=resolution_ms />
            {cpu.map(|cpu| view! { <CpuFacts cpu=cpu resolution_ms=resolution_ms /> })}
            <Timeline record=record />
        </div>
    }
}

/// Checksum, work, speedup, data statistics and lane usage of one run.
#[component]
fn CpuFacts(cpu: CpuBlock, resolution_ms: f64) -> impl IntoView {
    let ms = move |v: f64| format::ms(v, resolution_ms);
    let unit = cpu.unit.clone().unwrap_or_default();
    let work = cpu
        .items
        .map(|items| format!("{items} {unit} of work"))
        .unwrap_or_default();
    let speedup = match (cpu.speedup, cpu.efficiency) {
        (Some(s), Some(e)) => format!(
            "Speedup {s:.2}× against one thread measured in this page, efficiency {:.0}%.",
            e * 100.0
        ),
        _ => "No speedup yet: run the same job with mode=worker (one thread) or a threads sweep to measure the baseline.".to_owned(),
    };
    let stats = cpu.stats.map(|s| {
        view! {
            <p class="check" data-testid="data-stats">
                <strong>"The data: "</strong>
                {format!(
                    "{} values, mean {:.1}, standard deviation {:.1}, min {}, max {}.",
                    s.count, s.mean, s.std_dev, s.min, s.max
                )}
            </p>
        }
    });
    let lanes = cpu
        .lanes
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <th scope="row">{l.lane.to_string()}</th>
                    <td>{l.tasks}</td>
                    <td>{ms(l.busy_ms)}</td>
                    <td>{ms(l.idle_ms)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="checks">
            <p class="check">
                <strong>"Checksum "</strong>
                <code data-testid="checksum">{cpu.checksum.clone()}</code>
                {format!(" over {work}: every mode and thread count must give the same one.")}
            </p>
            <p class="check" data-testid="speedup">{speedup}</p>
            {stats}
            <table class="levels" data-testid="lane-usage">
                <thead>
                    <tr>
                        <th scope="col">"lane"</th>
                        <th scope="col">"tasks"</th>
                        <th scope="col">"busy"</th>
                        <th scope="col">"idle"</th>
                    </tr>
                </thead>
                <tbody>{lanes}</tbody>
            </table>
        </div>
    }
}

fn is_cpu(record: &RunRecord) -> bool {
    record.kind == RunKind::Cpu
}

/// A level's speedup with the range its own repetitions give (against the baseline's median).
fn speedup_point(record: &RunRecord) -> Option<SpeedupPoint> {
    let cpu = record.cpu()?;
    let speedup = cpu.speedup?;
    let range = Spread::of(&cpu.repetitions)
        .filter(|s| s.min > 0.0)
        .map(|s| (speedup * s.median / s.max, speedup * s.median / s.min));
    Some(SpeedupPoint {
        threads: cpu.threads?,
        speedup,
        range,
    })
}

/// A level on the job-latency chart: its median wall time, and its slowest repetition.
fn job_point(record: &RunRecord) -> Point {
    let slowest = record.cpu().map_or(record.summary.wall_ms, |c| {
        c.repetitions
            .iter()
            .copied()
            .fold(record.summary.wall_ms, f64::max)
    });
    Point {
        label: record.label.clone(),
        throughput: record.summary.throughput_per_s,
        p50: record.summary.wall_ms,
        p99: slowest,
        joined: true,
    }
}

/// A sweep: speedup (threads) and job latency against throughput, a table, the last timeline.
#[component]
pub fn CpuSweepView(records: Vec<RunRecord>, resolution_ms: f64) -> impl IntoView {
    let ms = move |v: f64| format::ms(v, resolution_ms);
    let state = expect_context::<LabState>();
    let by_threads = state.ran_with().cpu().and_then(|c| c.sweep) == Some(CpuSweep::Threads);
    let unit = records
        .first()
        .and_then(|r| r.cpu()?.unit.clone())
        .unwrap_or_else(|| "items".to_owned());
    // Each speedup with the range its own repetitions give (against the baseline's median).
    let speedups: Vec<SpeedupPoint> = records.iter().filter_map(speedup_point).collect();
    // Levels whose repetitions lay more than a quarter apart: the machine was busy.
    let busy: Vec<(String, f64)> = records
        .iter()
        .filter_map(|r| {
            let spread = Spread::of(&r.cpu()?.repetitions)?;
            spread.busy().then(|| (r.label.clone(), spread.relative()))
        })
        .collect();
    let noise = (!busy.is_empty()).then(|| {
        let worst = busy.iter().map(|(_, s)| *s).fold(0.0, f64::max);
        let levels: Vec<&str> = busy.iter().map(|(l, _)| l.as_str()).collect();
        view! {
            <p class="problem" data-testid="noise-warning">
                {format!(
                    "The machine was busy: the three repetitions of {} lay up to {:.0}% of their median \
                     apart (more than {:.0}%), so those figures are uncertain. Close other work and run \
                     the sweep again.",
                    levels.join(", "),
                    worst * 100.0,
                    BUSY_SPREAD * 100.0
                )}
            </p>
        }
    });
    let amdahl = records.last().and_then(|r| r.cpu()?.amdahl.clone());
    let points: Vec<Point> = records.iter().map(job_point).collect();
    let caption = if by_threads {
        "Job latency against throughput: more threads, more work per second, shorter jobs."
            .to_owned()
    } else {
        let best = records.iter().max_by(|a, b| {
            a.summary
                .throughput_per_s
                .total_cmp(&b.summary.throughput_per_s)
        });
        match (best, records.last()) {
            (Some(best), Some(last)) if best.label != last.label => format!(
                "Throughput peaks at {}; with {} each task is so small that per-task overhead wins.",
                best.label, last.label
            ),
            _ => "Throughput grows with the task count here: the tasks never got small enough for overhead to win.".to_owned(),
        }
    };
    let rows = records
        .iter()
        .map(|r| {
            let unit = unit.clone();
            let cpu = r.cpu().cloned();
            let speedup = cpu.as_ref().and_then(|c| c.speedup);
            let efficiency = cpu.as_ref().and_then(|c| c.efficiency);
            let karp = cpu.as_ref().and_then(|c| c.karp_flatt);
            let reps = cpu
                .as_ref()
                .map(|c| {
                    c.repetitions
                        .iter()
                        .map(|w| ms(*w))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            view! {
                <tr>
                    <th scope="row">{r.label.clone()}</th>
                    <td>{ms(r.summary.wall_ms)}</td>
                    <td class="reps">{reps}</td>
                    <td>{format::rate_of(r.summary.throughput_per_s, &unit)}</td>
                    <td>{speedup.map_or("—".to_owned(), |s| format!("{s:.2}×"))}</td>
                    <td>{efficiency.map_or("—".to_owned(), |e| format!("{:.0}%", e * 100.0))}</td>
                    <td>{karp.map_or("—".to_owned(), |k| format!("{k:.3}"))}</td>
                    <td><code>{cpu.map(|c| c.checksum).unwrap_or_default()}</code></td>
                </tr>
            }
        })
        .collect_view();
    let last = records.last().cloned();
    let x_label = if unit == "pixels" {
        "throughput (pixels per second)"
    } else if unit == "values" {
        "throughput (values per second)"
    } else {
        "throughput (hashes per second)"
    };
    view! {
        <div class="result" data-testid="result" data-kind="cpu-sweep">
            {noise}
            {move || by_threads.then(|| view! {
                <SpeedupChart
                    points=speedups.clone()
                    amdahl=amdahl.clone()
                    others=overlay::overlays(state, is_cpu, speedup_point)
                />
            })}
            {move || view! {
                <LatencyThroughput
                    points=points.clone()
                    model=Vec::new()
                    caption=caption.clone()
                    y_label="job latency (ms)"
                    x_label=x_label
                    legend=("median of 3 repetitions", "slowest repetition")
                    test_id="cpu-curve"
                    others=overlay::overlays(state, is_cpu, |r| Some(job_point(r)))
                />
            }}
            <table class="levels" data-testid="sweep-table">
                <thead>
                    <tr>
                        <th scope="col">"level"</th>
                        <th scope="col">"job latency (median)"</th>
                        <th scope="col">"repetitions"</th>
                        <th scope="col">"throughput"</th>
                        <th scope="col">{term("speedup", "speedup")}</th>
                        <th scope="col">{term("efficiency", "efficiency")}</th>
                        <th scope="col">{term("karp-flatt", "Karp-Flatt")}</th>
                        <th scope="col">"checksum"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="note">
                "After one warm-up job, each level runs three times; the median is reported, and the "
                "speedup chart's bars span the three. Speedup and "
                "efficiency are against the first level, measured in this page. Karp-Flatt is the serial "
                "fraction each level implies by "{term("amdahl", "Amdahl's law")}"; if it grows with T, "
                "overhead is growing, not the serial part."
            </p>
            {last.map(|record| view! {
                <h3>{format!("Timeline of the last level ({})", record.label)}</h3>
                <Timeline record=record />
            })}
        </div>
    }
}
