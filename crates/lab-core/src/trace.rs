//! A results file in Chrome's Trace Event format, which Perfetto (ui.perfetto.dev) and
//! `chrome://tracing` open: one process per run, one thread (track) per lane, and the main
//! thread's frames and blocks on a track of their own, first.
//!
//! Times are microseconds since the run started, the format's unit; each run starts at 0.

use serde_json::{json, Value};

use crate::schema::{Export, RunRecord};

/// The track of the main thread's frames and blocks, in every run's process.
pub const MAIN_TRACK: u32 = 0;

/// The whole export as a trace: `{"traceEvents": [...], "displayTimeUnit": "ms"}`.
pub fn chrome_trace(export: &Export) -> Value {
    let mut events = Vec::new();
    for (index, run) in export.runs.iter().enumerate() {
        let pid = u32::try_from(index).unwrap_or(u32::MAX).saturating_add(1);
        run_events(pid, run, &mut events);
    }
    json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": { "lab": export.config.lab().name(), "schema": export.schema },
    })
}

fn run_events(pid: u32, run: &RunRecord, events: &mut Vec<Value>) {
    let kind = run.kind.name();
    events.push(metadata(
        "process_name",
        pid,
        MAIN_TRACK,
        json!({ "name": format!("run {pid}: {}", run.label) }),
    ));
    events.push(metadata(
        "process_sort_index",
        pid,
        MAIN_TRACK,
        json!({ "sort_index": pid }),
    ));
    events.push(metadata(
        "thread_name",
        pid,
        MAIN_TRACK,
        json!({ "name": "main thread: frames and blocks" }),
    ));
    for &frame_ms in run.main_thread.frame_times_ms.iter().filter(|t| **t >= 0.0) {
        events.push(json!({
            "name": "frame", "cat": "frame", "ph": "i", "s": "t",
            "ts": micros(frame_ms), "pid": pid, "tid": MAIN_TRACK,
        }));
    }
    for block in &run.main_thread.block_spans {
        events.push(json!({
            "name": "main thread blocked", "cat": "block", "ph": "X",
            "ts": micros(block.start_ms), "dur": micros(block.duration_ms),
            "pid": pid, "tid": MAIN_TRACK, "args": { "seen_by": block.seen_by },
        }));
    }
    let lanes = run.spans.lanes();
    for (tid, lane) in (1..).zip(lanes) {
        events.push(metadata(
            "thread_name",
            pid,
            tid,
            json!({ "name": lane.to_string() }),
        ));
        events.push(metadata(
            "thread_sort_index",
            pid,
            tid,
            json!({ "sort_index": tid }),
        ));
    }
    for span in &run.spans {
        // `lanes` are sorted: the track of a span's lane is its place there, after the main track.
        let tid = lanes
            .binary_search(&span.lane)
            .map_or(MAIN_TRACK, |index| index as u32 + 1);
        events.push(json!({
            "name": format!("{kind} {}", span.id), "cat": kind, "ph": "X",
            "ts": micros(span.start_ms), "dur": micros(span.duration_ms()),
            "pid": pid, "tid": tid, "args": { "id": span.id, "ok": span.ok },
        }));
    }
}

fn metadata(name: &str, pid: u32, tid: u32, args: Value) -> Value {
    json!({ "name": name, "ph": "M", "pid": pid, "tid": tid, "args": args })
}

/// Microseconds from ms, to the nanosecond.
fn micros(ms: f64) -> f64 {
    (ms * 1_000_000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::tests::sample_export;

    #[test]
    fn every_span_is_a_complete_event_on_its_lanes_track() {
        let export = sample_export();
        let trace = chrome_trace(&export);
        let events = trace["traceEvents"].as_array().unwrap();
        let spans: Vec<&Value> = events.iter().filter(|e| e["cat"] == "cpu").collect();
        assert_eq!(spans.len(), export.runs[0].spans.len());
        for (event, span) in spans.iter().zip(&export.runs[0].spans) {
            assert_eq!(event["ph"], "X");
            assert_eq!(event["ts"], span.start_ms * 1000.0);
            assert_eq!(event["dur"], span.duration_ms() * 1000.0);
            assert_eq!(event["pid"], 1);
        }
        // One named track per lane, after the main thread's.
        let names: Vec<(&Value, &Value)> = events
            .iter()
            .filter(|e| e["name"] == "thread_name")
            .map(|e| (&e["tid"], &e["args"]["name"]))
            .collect();
        assert_eq!(
            names,
            [
                (&json!(0), &json!("main thread: frames and blocks")),
                (&json!(1), &json!("worker-1")),
                (&json!(2), &json!("worker-2")),
            ]
        );
        assert_eq!(spans[0]["tid"], 1);
        assert_eq!(spans[1]["tid"], 2);
        let blocks: Vec<&Value> = events.iter().filter(|e| e["cat"] == "block").collect();
        assert_eq!(blocks.len(), 1);
        assert_eq!(
            (&blocks[0]["tid"], &blocks[0]["dur"]),
            (&json!(0), &json!(60_000.0))
        );
        assert_eq!(trace["displayTimeUnit"], "ms");
    }

    #[test]
    fn micros_keeps_nanoseconds() {
        assert_eq!(micros(1.234_567_89), 1234.568);
        assert_eq!(micros(0.0), 0.0);
    }
}
