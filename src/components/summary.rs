//! The headline numbers of a run, each with what it means. Every number carries its exact
//! value in `data-value`, so tests can compare the page with the export.

use lab_core::format;
use lab_core::schema::RunRecord;
use leptos::prelude::*;

/// One number: its label, the rounded text, the exact value and a one-line meaning.
struct Metric {
    key: &'static str,
    label: &'static str,
    text: String,
    value: f64,
    meaning: &'static str,
}

/// The run's summary and its main-thread record.
#[component]
pub fn Summary(record: RunRecord, resolution_ms: f64) -> impl IntoView {
    let s = &record.summary;
    let unit = record
        .cpu
        .as_ref()
        .and_then(|c| c.unit.clone())
        .unwrap_or_default();
    let ms = |v: f64| format::ms(v, resolution_ms);
    let mut metrics = vec![
        Metric {
            key: "wall_ms",
            label: "Wall time",
            text: ms(s.wall_ms),
            value: s.wall_ms,
            meaning: "from submitting the batch to its last result, on the main thread",
        },
        Metric {
            key: "completed",
            label: "Completed",
            text: format::count(s.completed),
            value: f64::from(s.completed),
            meaning: "requests or tasks that finished without error",
        },
        Metric {
            key: "errors",
            label: "Errors",
            text: format::count(s.errors),
            value: f64::from(s.errors),
            meaning: "requests or tasks that failed",
        },
        Metric {
            key: "throughput_per_s",
            label: "Throughput",
            text: format::rate_of(s.throughput_per_s, &unit),
            value: s.throughput_per_s,
            meaning: "work done per second of wall time (requests, or the kernel's unit)",
        },
    ];
    if let Some(latency) = s.latency_ms {
        let percentiles = [
            (
                "latency_p50",
                "p50",
                latency.p50,
                "half took at most this long",
            ),
            (
                "latency_p90",
                "p90",
                latency.p90,
                "nine in ten took at most this long",
            ),
            (
                "latency_p99",
                "p99",
                latency.p99,
                "99 in 100 took at most this long",
            ),
            ("latency_max", "max", latency.max, "the slowest one"),
            ("latency_mean", "mean", latency.mean, "the average duration"),
        ];
        metrics.extend(
            percentiles
                .into_iter()
                .map(|(key, label, value, meaning)| Metric {
                    key,
                    label,
                    text: ms(value),
                    value,
                    meaning,
                }),
        );
    }
    metrics.push(Metric {
        key: "mean_in_flight",
        label: "Mean in flight",
        text: format!("{:.2}", s.mean_in_flight),
        value: s.mean_in_flight,
        meaning: "how many were running at once, averaged over the wall time",
    });
    let main = &record.main_thread;
    metrics.push(Metric {
        key: "long_tasks",
        label: "Long tasks",
        text: format::count(main.long_tasks),
        value: f64::from(main.long_tasks),
        meaning: "times the main thread was blocked for more than 50 ms",
    });
    if let Some(p99) = main.frame_p99_ms {
        metrics.push(Metric {
            key: "frame_p99_ms",
            label: "Frame p99",
            text: ms(p99),
            value: p99,
            meaning: "99 in 100 frames were drawn at least this often (16.7 ms is smooth)",
        });
    }
    let verdict = if main.long_tasks == 0 {
        "The main thread stayed free: no long task while this ran.".to_owned()
    } else {
        format!(
            "The main thread was blocked {} times, {} in all.",
            main.long_tasks,
            ms(main.long_task_ms)
        )
    };
    let free = main.long_tasks == 0;
    view! {
        <dl class="summary">
            {metrics
                .into_iter()
                .map(|m| {
                    view! {
                        <div class="metric" data-metric=m.key data-value=m.value.to_string() title=m.meaning>
                            <dt>{m.label}</dt>
                            <dd>{m.text}</dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        <p class="verdict" class:good=free class:bad=!free data-testid="main-thread-verdict">
            {verdict}
        </p>
    }
}
