//! The headline numbers of a run, each with what it means. Every number carries its exact
//! value in `data-value`, so tests can compare the page with the export.

use lab_core::format;
use lab_core::meter::Tone;
use lab_core::schema::{RunKind, RunRecord};
use leptos::prelude::*;

use super::glossary::term;

/// One number: its label, the rounded text, the exact value and a one-line meaning.
struct Metric {
    key: &'static str,
    label: &'static str,
    /// The glossary entry the label links to, if it is a term.
    term: Option<&'static str>,
    text: String,
    value: Option<f64>,
    meaning: &'static str,
}

/// The run's summary and its main-thread record.
#[component]
pub fn Summary(record: RunRecord, resolution_ms: f64) -> impl IntoView {
    let s = &record.summary;
    let unit = record
        .cpu()
        .and_then(|c| c.unit.clone())
        .unwrap_or_default();
    let ms = |v: f64| format::ms(v, resolution_ms);
    let mut metrics = vec![
        Metric {
            key: "wall_ms",
            label: "Wall time",
            term: Some("latency"),
            text: ms(s.wall_ms),
            value: Some(s.wall_ms),
            meaning: "from submitting the batch to its last result, on the main thread",
        },
        Metric {
            key: "completed",
            label: "Completed",
            term: None,
            text: format::count(s.completed),
            value: Some(f64::from(s.completed)),
            meaning: "requests or tasks that finished without error",
        },
        Metric {
            key: "errors",
            label: "Errors",
            term: None,
            text: format::count(s.errors),
            value: Some(f64::from(s.errors)),
            meaning: "requests or tasks that failed",
        },
        Metric {
            key: "throughput_per_s",
            label: "Throughput",
            term: Some("throughput"),
            text: format::rate_of(s.throughput_per_s, &unit),
            value: Some(s.throughput_per_s),
            meaning: "work done per second of wall time (requests, or the kernel's unit)",
        },
    ];
    if let Some(latency) = s.latency_ms {
        // Which latency the percentiles are of: a request's, a task's or an item's.
        let [p50, p90, p99, max, mean] = match record.kind {
            RunKind::Io => [
                "request p50",
                "request p90",
                "request p99",
                "request max",
                "request mean",
            ],
            RunKind::Cpu => ["task p50", "task p90", "task p99", "task max", "task mean"],
            RunKind::Hybrid => ["item p50", "item p90", "item p99", "item max", "item mean"],
        };
        let percentiles = [
            (
                "latency_p50",
                p50,
                latency.p50,
                "half took at most this long",
            ),
            (
                "latency_p90",
                p90,
                latency.p90,
                "nine in ten took at most this long",
            ),
            (
                "latency_p99",
                p99,
                latency.p99,
                "99 in 100 took at most this long",
            ),
            ("latency_max", max, latency.max, "the slowest one"),
            ("latency_mean", mean, latency.mean, "the average duration"),
        ];
        metrics.extend(
            percentiles
                .into_iter()
                .map(|(key, label, value, meaning)| Metric {
                    key,
                    label,
                    term: (key != "latency_max" && key != "latency_mean").then_some("percentile"),
                    text: ms(value),
                    value: Some(value),
                    meaning,
                }),
        );
    }
    metrics.push(Metric {
        key: "mean_in_flight",
        label: "Mean in flight",
        term: Some("in-flight"),
        text: format!("{:.2}", s.mean_in_flight),
        value: Some(s.mean_in_flight),
        meaning: "how many were running at once, averaged over the wall time",
    });
    let main = &record.main_thread;
    metrics.push(Metric {
        key: "blocks",
        label: "Blocks",
        term: Some("main-thread"),
        text: format::count(main.blocks),
        value: Some(f64::from(main.blocks)),
        meaning: "times the main thread was held over 50 ms, by any of its sources",
    });
    metrics.push(match main.long_tasks {
        Some(count) => Metric {
            key: "long_tasks",
            label: "Long tasks",
            term: Some("long-task"),
            text: format::count(count),
            value: Some(f64::from(count)),
            meaning: "tasks over 50 ms that the browser itself reported",
        },
        None => Metric {
            key: "long_tasks",
            label: "Long tasks",
            term: Some("long-task"),
            text: "not reported".to_owned(),
            value: None,
            meaning: "this browser does not report long tasks; blocks come from the heartbeat and \
                      the frames",
        },
    });
    if let Some(p99) = main.frame_p99_ms {
        metrics.push(Metric {
            key: "frame_p99_ms",
            label: "Frame p99",
            term: Some("frame"),
            text: ms(p99),
            value: Some(p99),
            meaning: "99 in 100 frames were drawn at least this often (16.7 ms is smooth)",
        });
    }
    let verdict = main.verdict();
    let tone = match verdict.tone {
        Tone::Good => "good",
        Tone::Warn => "warn",
        Tone::Bad => "bad",
    };
    view! {
        <dl class="summary">
            {metrics
                .into_iter()
                .map(|m| {
                    view! {
                        <div class="metric" data-metric=m.key data-value=m.value.map(|v| v.to_string()) title=m.meaning>
                            <dt>
                                {match m.term {
                                    Some(id) => term(id, m.label).into_any(),
                                    None => m.label.into_any(),
                                }}
                            </dt>
                            <dd>{m.text}</dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        <p class=format!("verdict {tone}") data-testid="main-thread-verdict" data-tone=tone>
            {verdict.text}
        </p>
    }
}
