//! The results file the page exports: settings, environment and every run, as JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::meter::MainThreadSummary;
use crate::span::Span;
use crate::stats::Summary;

/// Version of the export format; bump it when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// How the page's WebAssembly was compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildKind {
    /// Optimised build.
    Release,
    /// Unoptimised build; CPU timings are not representative.
    Debug,
}

/// The browser and machine the runs happened on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// `navigator.userAgent`.
    pub user_agent: String,
    /// `navigator.hardwareConcurrency`.
    pub hardware_threads: u32,
    /// Whether the page is cross-origin isolated, which shared-memory threads require.
    pub cross_origin_isolated: bool,
    /// Threads in the rayon pool (0 when it could not start).
    pub pool_threads: u32,
    /// How the WebAssembly was compiled.
    pub build: BuildKind,
    /// The smallest step the page's clock was seen to take, in ms.
    pub timer_resolution_ms: Option<f64>,
    /// How long the thread pool took to start, in ms.
    pub pool_start_ms: Option<f64>,
}

/// What a run measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    /// Concurrent fetches.
    Io,
    /// CPU tasks.
    Cpu,
}

/// Proof that a CPU run did all its work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CpuBlock {
    /// The combined checksum of every task, as 16 lowercase hex digits.
    pub checksum: String,
    /// Threads the run was allowed to use.
    pub pool_threads: u32,
}

/// One run: what it was, its summary, the main thread's record and every span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// What the run measured.
    pub kind: RunKind,
    /// A short human-readable name, e.g. "parallel, 4 threads".
    pub label: String,
    /// The parameters the run used, by name.
    pub params: BTreeMap<String, serde_json::Value>,
    /// The run's statistics.
    pub summary: Summary,
    /// The main thread's responsiveness during the run.
    pub main_thread: MainThreadSummary,
    /// Every piece of work in the run.
    pub spans: Vec<Span>,
    /// The checksum of a CPU run; absent for I/O runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<CpuBlock>,
}

/// The whole results file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// Always [`SCHEMA_VERSION`] when written by this crate.
    pub schema: u32,
    /// The settings the runs used.
    pub config: Settings,
    /// The browser and machine.
    pub environment: Environment,
    /// The runs, in the order they happened.
    pub runs: Vec<RunRecord>,
}

impl Export {
    /// An export in the current schema version.
    pub fn new(config: Settings, environment: Environment, runs: Vec<RunRecord>) -> Export {
        Export {
            schema: SCHEMA_VERSION,
            config,
            environment,
            runs,
        }
    }

    /// The export as indented JSON; on the (unexpected) failure, a JSON object naming the error.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|error| serde_json::json!({ "error": error.to_string() }).to_string())
    }

    /// A file name for the download, e.g. "async-vs-parallel-lab-start.json".
    pub fn file_name(&self) -> String {
        format!("async-vs-parallel-lab-{}.json", self.config.lab.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meter::{summarize_main_thread, LongTask};
    use crate::span::Lane;
    use crate::stats::summarize;
    use serde_json::{json, Value};

    fn sample_export() -> Export {
        let spans = vec![
            Span {
                id: 0,
                lane: Lane::Worker(1),
                start_ms: 0.0,
                end_ms: 40.0,
                ok: true,
            },
            Span {
                id: 1,
                lane: Lane::Worker(2),
                start_ms: 10.0,
                end_ms: 30.0,
                ok: true,
            },
        ];
        let long_task = LongTask {
            start_ms: 5.0,
            duration_ms: 60.0,
        };
        let run = RunRecord {
            kind: RunKind::Cpu,
            label: "parallel, 2 threads".to_owned(),
            params: BTreeMap::from([
                ("tasks".to_owned(), json!(2)),
                ("size".to_owned(), json!(2000)),
            ]),
            summary: summarize(&spans, 50.0),
            main_thread: summarize_main_thread(&[0.0, 16.0, 80.0], &[long_task]),
            spans,
            cpu: Some(CpuBlock {
                checksum: "00000000deadbeef".to_owned(),
                pool_threads: 2,
            }),
        };
        let environment = Environment {
            user_agent: "test-agent".to_owned(),
            hardware_threads: 8,
            cross_origin_isolated: true,
            pool_threads: 2,
            build: BuildKind::Release,
            timer_resolution_ms: Some(0.1),
            pool_start_ms: None,
        };
        Export::new(Settings::default(), environment, vec![run])
    }

    /// Sorted, so the test holds whether or not serde_json preserves insertion order.
    fn keys(value: &Value) -> Vec<&str> {
        let mut keys: Vec<&str> = value
            .as_object()
            .map(|object| object.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn json_has_the_contract_keys() {
        let json: Value = serde_json::from_str(&sample_export().to_json_pretty()).unwrap();
        assert_eq!(keys(&json), ["config", "environment", "runs", "schema"]);
        assert_eq!(json["schema"], 1);
        assert_eq!(
            json["config"],
            json!({ "lab": "start", "n": 20, "tasks": 64, "size": 20000, "autorun": false })
        );

        let environment = &json["environment"];
        assert_eq!(environment["user_agent"], "test-agent");
        assert_eq!(environment["hardware_threads"], 8);
        assert_eq!(environment["cross_origin_isolated"], true);
        assert_eq!(environment["pool_threads"], 2);
        assert_eq!(environment["build"], "release");
        assert_eq!(environment["timer_resolution_ms"], 0.1);
        assert_eq!(environment["pool_start_ms"], Value::Null);

        let run = &json["runs"][0];
        assert_eq!(
            keys(run),
            [
                "cpu",
                "kind",
                "label",
                "main_thread",
                "params",
                "spans",
                "summary"
            ]
        );
        assert_eq!(run["kind"], "cpu");
        assert_eq!(run["label"], "parallel, 2 threads");
        assert_eq!(run["params"], json!({ "size": 2000, "tasks": 2 }));
        assert_eq!(
            run["cpu"],
            json!({ "checksum": "00000000deadbeef", "pool_threads": 2 })
        );

        let summary = &run["summary"];
        assert_eq!(
            keys(summary),
            [
                "completed",
                "errors",
                "latency_ms",
                "mean_in_flight",
                "throughput_per_s",
                "wall_ms"
            ]
        );
        assert_eq!(summary["wall_ms"], 50.0);
        assert_eq!(summary["completed"], 2);
        assert_eq!(summary["errors"], 0);
        assert_eq!(summary["throughput_per_s"], 40.0);
        assert_eq!(summary["mean_in_flight"], 1.2);
        assert_eq!(
            summary["latency_ms"],
            json!({ "p50": 20.0, "p90": 40.0, "p99": 40.0, "max": 40.0, "mean": 30.0 })
        );

        let main_thread = &run["main_thread"];
        assert_eq!(main_thread["long_tasks"], 1);
        assert_eq!(main_thread["long_task_ms"], 60.0);
        assert_eq!(main_thread["frames"], 2);
        assert_eq!(main_thread["frame_p99_ms"], 64.0);
        assert_eq!(main_thread["frame_times_ms"], json!([0.0, 16.0, 80.0]));
        assert_eq!(
            main_thread["long_task_spans"],
            json!([{ "start_ms": 5.0, "duration_ms": 60.0 }])
        );

        assert_eq!(
            run["spans"][0],
            json!({ "id": 0, "lane": "worker-1", "start_ms": 0.0, "end_ms": 40.0, "ok": true })
        );
    }

    #[test]
    fn io_runs_leave_out_the_cpu_block() {
        let mut export = sample_export();
        export.runs[0].kind = RunKind::Io;
        export.runs[0].cpu = None;
        export.environment.build = BuildKind::Debug;
        let json: Value = serde_json::from_str(&export.to_json_pretty()).unwrap();
        assert_eq!(json["runs"][0]["kind"], "io");
        assert!(json["runs"][0].get("cpu").is_none());
        assert_eq!(json["environment"]["build"], "debug");
        let back: Export = serde_json::from_value(json).unwrap();
        assert_eq!(back, export);
    }

    #[test]
    fn json_round_trips() {
        let export = sample_export();
        let back: Export = serde_json::from_str(&export.to_json_pretty()).unwrap();
        assert_eq!(back, export);
    }

    #[test]
    fn file_name_names_the_lab() {
        assert_eq!(
            sample_export().file_name(),
            "async-vs-parallel-lab-start.json"
        );
    }
}
