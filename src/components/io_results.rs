//! What an I/O run or sweep measured: the numbers, the checks against the models, and the
//! charts.

use std::sync::Arc;

use lab_core::config::IoSweep;
use lab_core::format;
use lab_core::labs::io::queueing::{knee, predict_io, unbroken_growth, Prediction, KNEE_TOLERANCE};
use lab_core::schema::{Detail, ErrorKind, IoBlock, LittleReference, LoopKind, RunKind, RunRecord};
use leptos::prelude::*;

use super::glossary::term;
use super::histogram::Histogram;
use super::latency_throughput::{LatencyThroughput, Point};
use super::next_task::NextTask;
use super::overlay;
use super::summary::Summary;
use super::timeline::Timeline;
use crate::state::LabState;

/// Runs of more requests than this draw their timeline one task after their numbers: 256 lanes
/// of a flood took the page about 50 ms to draw, on top of the rest.
const TIMELINE_LATER_ABOVE: usize = 4096;

/// One run: numbers, Little's law, where the time went, the model, errors, charts.
#[component]
pub fn IoRunView(record: RunRecord, resolution_ms: f64) -> impl IntoView {
    // Shared with the record: a flood's block holds a hundred thousand requests.
    let io = match &record.detail {
        Some(Detail::Io(io)) => Some(Arc::clone(io)),
        _ => None,
    };
    let samples: Vec<f64> = record
        .spans
        .iter()
        .filter(|s| s.ok)
        .map(|s| s.duration_ms())
        .collect();
    let latency = record.summary.latency_ms;
    let flood = record.spans.len() > TIMELINE_LATER_ABOVE;
    view! {
        <div class="result" data-testid="result" data-kind="io">
            <p class="result-label" data-testid="result-detail">{record.label.clone()}</p>
            <Summary record=record.clone() resolution_ms=resolution_ms />
            {io.map(|io| view! { <IoChecks io=io record=record.clone() resolution_ms=resolution_ms /> })}
            <Histogram samples=samples latency=latency />
            <NextTask defer=flood note="Drawing the timeline…">
                <Timeline record=record />
            </NextTask>
        </div>
    }
}

/// Little's law, the latency split, the model's prediction and the errors of one run.
#[component]
fn IoChecks(io: Arc<IoBlock>, record: RunRecord, resolution_ms: f64) -> impl IntoView {
    let ms = move |v: f64| format::ms(v, resolution_ms);
    let little = io.little.map(|l| {
        let reference = match l.reference_kind {
            LittleReference::ConfiguredConcurrency => "the configured concurrency",
            LittleReference::ServerOccupancy => "the server's own time-averaged occupancy",
        };
        view! {
            <p class="check" data-testid="little-check" data-predicted=l.predicted_in_flight.to_string() data-reference=l.reference.to_string()>
                <strong>{term("littles-law", "Little's law")}": "</strong>
                {format!(
                    "throughput × mean latency = {:.2}/s × {} = {:.2} in flight; {reference} is {:.2} ({:.0}% apart).",
                    l.throughput_per_s,
                    ms(l.mean_latency_ms),
                    l.predicted_in_flight,
                    l.reference,
                    l.relative_error * 100.0
                )}
            </p>
        }
    });
    let split = io.split_ms.map(|s| {
        let total = (s.queue_ms + s.service_ms + s.overhead_ms).max(f64::MIN_POSITIVE);
        let pct = |v: f64| format!("{:.1}%", v / total * 100.0);
        view! {
            <div class="split" data-testid="latency-split" data-queue=s.queue_ms.to_string() data-service=s.service_ms.to_string() data-overhead=s.overhead_ms.to_string()>
                <p class="split-title">"Where a request's time went (means)"</p>
                <div class="split-bar" role="img" aria-label="Latency split">
                    <span class="queue" style=format!("width:{}", pct(s.queue_ms))></span>
                    <span class="service" style=format!("width:{}", pct(s.service_ms))></span>
                    <span class="overhead" style=format!("width:{}", pct(s.overhead_ms))></span>
                </div>
                <p class="legend">
                    <span class="key queue">{format!("waiting in the server's queue {}", ms(s.queue_ms))}</span>
                    <span class="key service">{format!("in service {}", ms(s.service_ms))}</span>
                    <span class="key overhead">{format!("browser and worker overhead {}", ms(s.overhead_ms))}</span>
                </p>
            </div>
        }
    });
    let model = io.model.map(|m| {
        let loop_name = match io.loop_kind {
            LoopKind::Closed => view! {
                {term("mva", "Mean value analysis")}" of the "{term("closed-loop", "closed loop")}
            }
            .into_any(),
            LoopKind::Open => view! {
                "The "{term("mmk", "M/M/K queue")}" of the "{term("open-loop", "open loop")}
            }
            .into_any(),
        };
        view! {
            <p class="check" data-testid="model-prediction" data-throughput=m.throughput_per_s.to_string() data-latency=m.latency_ms.to_string()>
                <strong>"Model: "</strong>
                {loop_name}
                {format!(
                    " predicts {} at a mean latency of {}; measured {} and {}.",
                    format::rate(m.throughput_per_s),
                    ms(m.latency_ms),
                    format::rate(record.summary.throughput_per_s),
                    record.summary.latency_ms.map_or("—".to_owned(), |l| ms(l.mean))
                )}
            </p>
        }
    });
    let resume = io.resume_delay.clone().map(|d| {
        let text = match (d.p50_ms, d.p99_ms, d.resumed_p50_ms, d.resumed_p99_ms) {
            (Some(p50), Some(p99), Some(r50), Some(r99)) => format!(
                "after the browser had a response's last byte (Resource Timing's responseEnd), its \
                 body reached the page's code {} later (p50; p99 {}), and the Rust code awaiting it \
                 resumed {} later (p50; p99 {}): the event loop's delay, the page's other work \
                 queued before it. {} of {} requests had a browser entry.",
                ms(p50),
                ms(p99),
                ms(r50),
                ms(r99),
                d.matched,
                d.matched + d.unmatched
            ),
            _ => "this browser gave no Resource Timing entry for these requests, so the event \
                  loop's delay could not be measured."
                .to_owned(),
        };
        view! {
            <p class="check" data-testid="resume-delay" data-p50=d.p50_ms.map(|v| v.to_string()) data-resumed-p50=d.resumed_p50_ms.map(|v| v.to_string())>
                <strong>"Event loop: "</strong>
                {text}
            </p>
        }
    });
    let ceiling = io.ceiling.map(|c| {
        let share = record.summary.throughput_per_s / c.throughput_per_s * 100.0;
        let text = if c.near {
            format!(
                "this run reached {share:.0}% of the most this browser's request path answered with \
                 0 ms of service ({}, {} in flight): near that ceiling, it measured the browser's \
                 service-worker path, not the queueing model.",
                format::rate(c.throughput_per_s),
                c.concurrency
            )
        } else {
            format!(
                "this run reached {share:.0}% of the most this browser's request path answered with \
                 0 ms of service ({}, {} in flight), so the server's own model set its pace.",
                format::rate(c.throughput_per_s),
                c.concurrency
            )
        };
        view! {
            <p class="check" class:warn=c.near data-testid="ceiling" data-ceiling=c.throughput_per_s.to_string() data-near=c.near.to_string()>
                <strong>"Ceiling: "</strong>
                {text}
            </p>
        }
    });
    let mut kinds: Vec<(ErrorKind, usize)> = Vec::new();
    for error in io.requests.iter().filter_map(|r| r.error) {
        match kinds.iter_mut().find(|(k, _)| *k == error) {
            Some((_, n)) => *n += 1,
            None => kinds.push((error, 1)),
        }
    }
    let (failed, completed) = (record.summary.errors, record.summary.completed);
    let errors = (!kinds.is_empty()).then(|| {
        view! {
            <p class="check warn" data-testid="errors-caveat">
                {format!(
                    "{failed} of {} requests failed. The throughput, the latencies, Little's law \
                     and the model above count only the {completed} that succeeded; the failed \
                     ones held a slot too, so those figures leave part of the run out.",
                    failed + completed
                )}
            </p>
            <ul class="error-kinds" data-testid="error-kinds">
                {kinds
                    .into_iter()
                    .map(|(kind, n)| view! { <li data-kind=format!("{kind:?}")>{format!("{n} × {}", kind.explain())}</li> })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <div class="checks">{little} {model} {resume} {ceiling} {split} {errors}</div>
    }
}

/// A sweep: the latency-throughput curve with the model behind it, a table, and the timeline
/// of the last level.
#[component]
pub fn IoSweepView(records: Vec<RunRecord>, resolution_ms: f64) -> impl IntoView {
    let state = expect_context::<LabState>();
    let io = state.ran_with().io().cloned();
    let points: Vec<Point> = records.iter().filter_map(Point::of).collect();
    let overheads: Vec<f64> = records
        .iter()
        .filter_map(|r| r.io()?.split_ms.map(|s| s.overhead_ms))
        .collect();
    let overhead = overheads.iter().sum::<f64>() / overheads.len().max(1) as f64;
    let is_sim = records
        .iter()
        .any(|r| r.io().is_some_and(|io| io.model.is_some()));
    let model: Vec<Prediction> = match (&io, is_sim) {
        (Some(io), true) => match io.sweep {
            Some(IoSweep::C) => (1..=io.c)
                .filter_map(|c| predict_io(io, Some(c), None, overhead))
                .collect(),
            Some(IoSweep::Rate) => {
                let top = io.rate.unwrap_or_default();
                (1..=40)
                    .filter_map(|i| predict_io(io, None, Some(top * f64::from(i) / 40.0), overhead))
                    .collect()
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    let knee_at = knee(&points.iter().map(|p| p.throughput).collect::<Vec<_>>());
    let limit = records
        .iter()
        .find_map(|r| Some(r.io()?.ceiling?.throughput_per_s));
    let capacity = io.as_ref().and_then(|io| io.capacity);
    let within = format!(
        "no later level is more than {:.0}% above it",
        KNEE_TOLERANCE * 100.0
    );
    let caption = match (knee_at.and_then(|i| points.get(i)), capacity) {
        (Some(p), Some(k)) => format!(
            "Throughput stops growing at {} ({}; {within}): the server serves {k} at once; past that, requests only queue.",
            p.label, format::rate(p.throughput)
        ),
        (Some(p), None) => format!("Throughput stops growing at {} ({}; {within}); past it, latency only grows.", p.label, format::rate(p.throughput)),
        (None, _) => match (points.first(), points.last()) {
            (Some(first), Some(last)) => unbroken_growth(
                (first.throughput, first.p50),
                (last.throughput, last.p50),
                resolution_ms,
            ),
            _ => String::new(),
        },
    };
    let ms = move |v: f64| format::ms(v, resolution_ms);
    let rows = records
        .iter()
        .map(|r| {
            let latency = r.summary.latency_ms;
            let model = r.io().and_then(|io| io.model);
            view! {
                <tr>
                    <th scope="row">{r.label.clone()}</th>
                    <td>{format::rate(r.summary.throughput_per_s)}</td>
                    <td>{latency.map_or("—".to_owned(), |l| ms(l.p50))}</td>
                    <td>{latency.map_or("—".to_owned(), |l| ms(l.p99))}</td>
                    <td>{model.map_or("—".to_owned(), |m| format!("{} · {}", format::rate(m.throughput_per_s), ms(m.latency_ms)))}</td>
                    <td>{format::count(r.summary.errors)}</td>
                </tr>
            }
        })
        .collect_view();
    let last = records.last().cloned();
    view! {
        <div class="result" data-testid="result" data-kind="io-sweep">
            {move || view! {
                <LatencyThroughput
                    points=points.clone()
                    model=model.clone()
                    caption=caption.clone()
                    limit=limit
                    others=overlay::overlays(state, |r| r.kind == RunKind::Io, Point::of)
                />
            }}
            <table class="levels" data-testid="sweep-table">
                <thead>
                    <tr>
                        <th scope="col">"level"</th>
                        <th scope="col">"throughput"</th>
                        <th scope="col">"request p50"</th>
                        <th scope="col">"request p99"</th>
                        <th scope="col">"model (throughput · mean)"</th>
                        <th scope="col">"errors"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="note">
                "Each level issues at least max(n, 10 × C) requests; its throughput and percentiles cover the "
                "steady window, without the first and last C completions."
            </p>
            {last.map(|record| view! {
                <h3>{format!("Timeline of the last level ({})", record.label)}</h3>
                <Timeline record=record />
            })}
        </div>
    }
}
