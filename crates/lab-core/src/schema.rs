//! The results file the page exports: settings, environment and every run, as JSON.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use crate::labs::cpu::CpuBlock;
pub use crate::labs::hybrid::HybridBlock;
pub use crate::labs::io::{
    split, ErrorKind, IoBlock, LatencySplit, LittleLaw, LittleReference, LoopKind, RequestRecord,
    ServerStats,
};
pub use crate::labs::tradeoff::TradeoffBlock;
pub use crate::labs::wrong::{Role, WrongBlock};

use crate::config::Settings;
use crate::meter::MainThreadSummary;
use crate::params::Params;
use crate::span::Spans;
use crate::stats::Summary;

/// Version of the export format; bump it when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 2;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKind {
    /// Concurrent fetches.
    Io,
    /// CPU tasks.
    Cpu,
    /// I/O and CPU work together.
    Hybrid,
}

named_choices!(RunKind {
    Io => "io",
    Cpu => "cpu",
    Hybrid => "hybrid",
});

impl RunKind {
    /// The piece whose latency its percentiles describe: "request", "task" or "item".
    pub fn piece(self) -> &'static str {
        match self {
            RunKind::Io => "request",
            RunKind::Cpu => "task",
            RunKind::Hybrid => "item",
        }
    }
}

/// One run: what it was, its summary, the main thread's record and every span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// What the run measured.
    pub kind: RunKind,
    /// A short human-readable name, e.g. "parallel, 4 threads".
    pub label: String,
    /// The settings the run ran with.
    pub params: Params,
    /// The run's statistics.
    pub summary: Summary,
    /// The main thread's responsiveness during the run.
    pub main_thread: MainThreadSummary,
    /// Every piece of work in the run.
    pub spans: Spans,
    /// What only this kind of run records, under its own key (`cpu`, `io`, `hybrid`, `wrong`
    /// or `tradeoff`); none for the quick comparison's I/O batch.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Detail>,
}

/// The one block of detail a run carries beside its summary, by kind of run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// A CPU run's checksum, threads and speedup.
    Cpu(CpuBlock),
    /// An I/O lab run's requests, shared as its spans are (a run can hold a hundred thousand).
    Io(Arc<IoBlock>),
    /// A hybrid lab run's pipeline.
    Hybrid(HybridBlock),
    /// A wrong-tool lab run's case and verdict.
    Wrong(WrongBlock),
    /// A trade-off lab run's responsiveness.
    Tradeoff(TradeoffBlock),
}

impl RunRecord {
    /// A run with no parameters and no detail, for filling in afterwards.
    pub fn new(
        kind: RunKind,
        label: String,
        summary: Summary,
        main_thread: MainThreadSummary,
        spans: impl Into<Spans>,
    ) -> RunRecord {
        RunRecord {
            kind,
            label,
            params: Params::default(),
            summary,
            main_thread,
            spans: spans.into(),
            detail: None,
        }
    }

    /// The CPU block, for a CPU run.
    pub fn cpu(&self) -> Option<&CpuBlock> {
        match &self.detail {
            Some(Detail::Cpu(block)) => Some(block),
            _ => None,
        }
    }

    /// The I/O block, for an I/O lab run.
    pub fn io(&self) -> Option<&IoBlock> {
        match &self.detail {
            Some(Detail::Io(block)) => Some(block),
            _ => None,
        }
    }

    /// The I/O block, to fill in.
    pub fn io_mut(&mut self) -> Option<&mut IoBlock> {
        match &mut self.detail {
            Some(Detail::Io(block)) => Some(Arc::make_mut(block)),
            _ => None,
        }
    }

    /// The hybrid block, for a hybrid lab run.
    pub fn hybrid(&self) -> Option<&HybridBlock> {
        match &self.detail {
            Some(Detail::Hybrid(block)) => Some(block),
            _ => None,
        }
    }

    /// The wrong-tool block, for a wrong-tool lab run.
    pub fn wrong(&self) -> Option<&WrongBlock> {
        match &self.detail {
            Some(Detail::Wrong(block)) => Some(block),
            _ => None,
        }
    }

    /// The wrong-tool block, to fill in.
    pub fn wrong_mut(&mut self) -> Option<&mut WrongBlock> {
        match &mut self.detail {
            Some(Detail::Wrong(block)) => Some(block),
            _ => None,
        }
    }

    /// The trade-off block, for a trade-off lab run.
    pub fn tradeoff(&self) -> Option<&TradeoffBlock> {
        match &self.detail {
            Some(Detail::Tradeoff(block)) => Some(block),
            _ => None,
        }
    }
}

/// The whole results file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// Always [`SCHEMA_VERSION`] when written by this crate.
    pub schema: u32,
    /// When the page wrote the file, in ISO 8601 UTC by the browser's clock; absent in files
    /// written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<String>,
    /// The version of the lab that wrote the file; absent in files written before it was
    /// recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
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
            exported_at: None,
            app_version: None,
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

    /// A file name for a download of the export ending in `suffix`: `".json"` gives
    /// "async-vs-parallel-lab-start.json", `"-spans.csv"` "async-vs-parallel-lab-start-spans.csv".
    pub fn file_name(&self, suffix: &str) -> String {
        format!("async-vs-parallel-lab-{}{suffix}", self.config.lab().name())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::{Strategy, Target, WrongCase};
    use crate::execute::Mode;
    use crate::kernel::Kernel;
    use crate::labs::io::queueing::Prediction;
    use crate::labs::io::results::sample_request;
    use crate::meter::{Observations, Source, Stall};
    use crate::span::{Lane, Span};
    use crate::stats::summarize;
    use serde_json::{json, Value};

    /// A CPU lab export of one run: two tasks on two workers, and one block of the main thread.
    pub(crate) fn sample_export() -> Export {
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
        let observed = Observations {
            sources: vec![Source::Longtask, Source::Frames],
            frame_times_ms: vec![0.0, 16.0, 80.0],
            long_tasks: vec![Stall::between(5.0, 65.0)],
            ..Observations::default()
        };
        let run = RunRecord {
            kind: RunKind::Cpu,
            label: "parallel, 2 threads".to_owned(),
            params: Params {
                tasks: Some(2),
                size: Some(2000),
                ..Params::default()
            },
            summary: summarize(&spans, 50.0),
            main_thread: observed.summarize(0.0, 100.0),
            spans: spans.into(),
            detail: Some(Detail::Cpu(CpuBlock::basic(
                "00000000deadbeef".to_owned(),
                2,
            ))),
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
    fn the_time_and_version_of_writing_are_kept_and_may_be_absent() {
        let mut export = sample_export();
        let older = export.to_json_pretty();
        assert!(!older.contains("exported_at"), "absent until set");
        export.exported_at = Some("2026-12-02T21:35:00.000Z".to_owned());
        export.app_version = Some("0.1.0".to_owned());
        let text = export.to_json_pretty();
        let at = |key: &str| text.find(&format!("\"{key}\"")).unwrap();
        assert!(at("schema") < at("exported_at") && at("exported_at") < at("app_version"));
        assert!(
            at("app_version") < at("config"),
            "written first, before the settings"
        );
        assert_eq!(serde_json::from_str::<Export>(&text).unwrap(), export);
        let back: Export = serde_json::from_str(&older).unwrap();
        assert_eq!((back.exported_at, back.app_version), (None, None));
    }

    #[test]
    fn json_has_the_contract_keys() {
        let json: Value = serde_json::from_str(&sample_export().to_json_pretty()).unwrap();
        assert_eq!(keys(&json), ["config", "environment", "runs", "schema"]);
        assert_eq!(json["schema"], 2);
        assert_eq!(
            json["config"],
            json!({ "lab": "start", "n": 20, "latency_ms": 50.0, "tasks": 64, "size": 20000, "autorun": false })
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
            json!({
                "checksum": "00000000deadbeef",
                "pool_threads": 2,
                "kernel": null,
                "size": null,
                "unit": null,
                "items": null,
                "mode": null,
                "threads": null,
                "speedup": null,
                "efficiency": null,
                "karp_flatt": null,
                "lanes": [],
                "repetitions": [],
                "stats": null,
                "amdahl": null
            })
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
        assert_eq!(main_thread["sources"], json!(["longtask", "frames"]));
        assert_eq!(main_thread["blocks"], 1);
        assert_eq!(main_thread["blocked_ms"], 60.0);
        assert_eq!(
            main_thread["block_spans"],
            json!([{ "start_ms": 5.0, "duration_ms": 60.0, "seen_by": ["longtask"] }])
        );
        assert_eq!(main_thread["frame_stalls"], 0);
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
        export.runs[0].detail = None;
        export.environment.build = BuildKind::Debug;
        let json: Value = serde_json::from_str(&export.to_json_pretty()).unwrap();
        assert_eq!(json["runs"][0]["kind"], "io");
        assert!(json["runs"][0].get("cpu").is_none());
        assert_eq!(json["environment"]["build"], "debug");
        let back: Export = serde_json::from_value(json).unwrap();
        assert_eq!(back, export);
    }

    fn io_export() -> Export {
        let mut export = sample_export();
        let run = &mut export.runs[0];
        run.kind = RunKind::Io;
        let requests = vec![
            sample_request(0, None),
            sample_request(1, Some(ErrorKind::NotSimulated)),
        ];
        run.detail = Some(Detail::Io(Arc::new(IoBlock {
            target: Target::Sim,
            url: "/sim?latency_ms=50".to_owned(),
            loop_kind: LoopKind::Closed,
            concurrency: Some(2),
            rate_per_s: None,
            little: LittleLaw::closed_loop(&run.summary, 2),
            split_ms: split(&requests),
            requests,
            model: Some(Prediction {
                throughput_per_s: 40.0,
                latency_ms: 50.0,
            }),
            server: Some(ServerStats {
                mean_occupancy: 1.5,
                window_ms: 100.0,
                served: 2,
            }),
            resume_delay: None,
            ceiling: None,
        })));
        export.config = crate::config::parse_query("lab=io").unwrap();
        export
    }

    #[test]
    fn io_runs_have_the_io_keys() {
        let export = io_export();
        let json: Value = serde_json::from_str(&export.to_json_pretty()).unwrap();
        assert_eq!(json["config"]["lab"], "io");
        assert_eq!(json["config"]["target"], "sim");
        assert_eq!(json["config"]["autorun"], false);
        let run = &json["runs"][0];
        assert!(run.get("cpu").is_none());
        let io = &run["io"];
        assert_eq!(
            keys(io),
            [
                "ceiling",
                "concurrency",
                "little",
                "loop_kind",
                "model",
                "rate_per_s",
                "requests",
                "resume_delay",
                "server",
                "split_ms",
                "target",
                "url"
            ]
        );
        assert_eq!(io["loop_kind"], "closed");
        assert_eq!(io["target"], "sim");
        assert_eq!(io["requests"][0]["intended_ms"], 0.0);
        assert_eq!(
            keys(&io["requests"][0]),
            [
                "browser",
                "end_ms",
                "error",
                "headers_ms",
                "id",
                "intended_ms",
                "queue_ms",
                "resumed_ms",
                "service_ms",
                "slot",
                "start_ms",
                "status"
            ]
        );
        assert_eq!(io["requests"][1]["error"], "not_simulated");
        assert_eq!(io["requests"][1]["status"], Value::Null);
        assert_eq!(io["little"]["reference_kind"], "configured_concurrency");
        assert_eq!(io["little"]["reference"], 2.0);
        assert_eq!(
            io["split_ms"],
            json!({ "queue_ms": 20.0, "service_ms": 35.0, "overhead_ms": 5.0 })
        );
        assert_eq!(
            io["server"],
            json!({ "mean_occupancy": 1.5, "window_ms": 100.0, "served": 2 })
        );
        assert_eq!(export.file_name(".json"), "async-vs-parallel-lab-io.json");
        let back: Export = serde_json::from_value(json).unwrap();
        assert_eq!(back, export);
    }

    fn cpu_export() -> Export {
        let mut export = sample_export();
        let run = &mut export.runs[0];
        let job = crate::kernel::Job::new(Kernel::Stats, 1000, 2).unwrap();
        let results: Vec<_> = (0..2).map(|t| job.run_task(t).unwrap()).collect();
        let combined = crate::kernel::combine(&job, &results).unwrap();
        let speedup = crate::models::speedup(80.0, 50.0);
        run.detail = Some(Detail::Cpu(CpuBlock {
            kernel: Some(job.kernel),
            size: Some(job.size),
            unit: Some(job.kernel.unit().to_owned()),
            items: Some(combined.items),
            mode: Some(Mode::Lanes),
            threads: Some(2),
            speedup,
            efficiency: speedup.and_then(|s| crate::models::efficiency(s, 2)),
            karp_flatt: speedup.and_then(|s| crate::models::karp_flatt(s, 2)),
            lanes: crate::span::lane_usage(&run.spans, run.summary.wall_ms),
            repetitions: vec![52.0, 50.0, 49.0],
            stats: combined.stats,
            amdahl: Some(crate::models::estimate_amdahl(&[(1, 1.0), (2, 1.6)])),
            ..CpuBlock::basic(crate::kernel::format_checksum(combined.checksum), 2)
        }));
        export.config = crate::config::parse_query(
            "lab=cpu&kernel=stats&size=1000&tasks=2&mode=lanes&threads=2",
        )
        .unwrap();
        export
    }

    #[test]
    fn cpu_runs_have_the_cpu_keys() {
        let export = cpu_export();
        let json: Value = serde_json::from_str(&export.to_json_pretty()).unwrap();
        assert_eq!(json["config"]["lab"], "cpu");
        assert_eq!(json["config"]["kernel"], "stats");
        let cpu = &json["runs"][0]["cpu"];
        assert_eq!(
            keys(cpu),
            [
                "amdahl",
                "checksum",
                "efficiency",
                "items",
                "karp_flatt",
                "kernel",
                "lanes",
                "mode",
                "pool_threads",
                "repetitions",
                "size",
                "speedup",
                "stats",
                "threads",
                "unit"
            ]
        );
        assert_eq!(cpu["speedup"], 1.6);
        assert_eq!(cpu["efficiency"], 0.8);
        assert_eq!(cpu["karp_flatt"], 0.25);
        assert_eq!(cpu["checksum"].as_str().map(str::len), Some(16));
        assert_eq!(cpu["kernel"], "stats");
        assert_eq!(cpu["mode"], "lanes");
        assert_eq!(cpu["unit"], "values");
        assert_eq!(cpu["items"], 1000);
        assert_eq!(cpu["lanes"][0]["lane"], "worker-1");
        assert_eq!(cpu["lanes"][0]["busy_ms"], 40.0);
        assert_eq!(cpu["lanes"][0]["idle_ms"], 10.0);
        assert_eq!(cpu["lanes"][1]["busy_ms"], 20.0);
        assert_eq!(cpu["repetitions"], json!([52.0, 50.0, 49.0]));
        assert_eq!(cpu["stats"]["count"], 1000);
        assert_eq!(cpu["stats"]["histogram"].as_array().map(Vec::len), Some(64));
        assert_eq!(cpu["amdahl"]["kind"], "single");
        assert_eq!(export.file_name(".json"), "async-vs-parallel-lab-cpu.json");
        let back: Export = serde_json::from_value(json).unwrap();
        assert_eq!(back, export);
    }

    #[test]
    fn cpu_block_reads_older_exports() {
        // An export written before the CPU lab has only the checksum and the pool size.
        let block: CpuBlock =
            serde_json::from_value(json!({ "checksum": "00000000deadbeef", "pool_threads": 4 }))
                .unwrap();
        assert_eq!(block, CpuBlock::basic("00000000deadbeef".to_owned(), 4));
        assert_eq!(serde_json::to_value(RunKind::Hybrid).unwrap(), "hybrid");
        assert_eq!(
            serde_json::from_value::<RunKind>(json!("hybrid")).unwrap(),
            RunKind::Hybrid
        );
    }

    #[test]
    fn new_run_record_has_no_blocks() {
        let sample = sample_export().runs[0].clone();
        let run = RunRecord::new(
            RunKind::Hybrid,
            "pipelined".to_owned(),
            sample.summary.clone(),
            sample.main_thread.clone(),
            sample.spans.clone(),
        );
        assert_eq!(run.kind, RunKind::Hybrid);
        assert_eq!(run.params, Params::default());
        assert_eq!(run.detail, None);
        let json = serde_json::to_value(&run).unwrap();
        assert_eq!(
            keys(&json),
            ["kind", "label", "main_thread", "params", "spans", "summary"]
        );
        // A run written before these blocks existed still reads.
        let mut older = serde_json::to_value(&sample).unwrap();
        older.as_object_mut().unwrap().remove("cpu");
        let back: RunRecord = serde_json::from_value(older).unwrap();
        assert_eq!(back.detail, None);
    }

    fn together_export() -> Export {
        let sample = sample_export().runs[0].clone();
        let run = |kind, label: &str| {
            RunRecord::new(
                kind,
                label.to_owned(),
                sample.summary.clone(),
                sample.main_thread.clone(),
                sample.spans.clone(),
            )
        };
        let io = [(0.0, 60.0), (60.0, 120.0)];
        let cpu = [(60.0, 90.0), (120.0, 150.0)];
        let (fetch_ms, compute_ms) = (
            crate::labs::hybrid::busy_ms(&io),
            crate::labs::hybrid::busy_ms(&cpu),
        );
        let hybrid = RunRecord {
            detail: Some(Detail::Hybrid(HybridBlock {
                strategy: Strategy::Pipelined,
                model_ms: crate::labs::hybrid::predict_ms(Strategy::Pipelined, 2, 1, 60.0, 30.0, 2),
                process_ms: 30.0,
                latency_ms: 60.0,
                workers: 2,
                fetch_ms,
                compute_ms,
                overlap_ms: crate::labs::hybrid::overlap_ms(&io, &cpu),
                saved_ms: crate::labs::hybrid::saved_ms(fetch_ms, compute_ms, 150.0),
                checksum: "00000000deadbeef".to_owned(),
            })),
            ..run(RunKind::Hybrid, "pipelined")
        };
        let wrong = RunRecord {
            detail: Some(Detail::Wrong(WrongBlock {
                case: WrongCase::CpuOnMain,
                role: Role::Wrong,
                verdict: Some(crate::labs::wrong::verdict::cpu_on_main(1.0, 2)),
            })),
            ..run(RunKind::Cpu, "async on the main thread")
        };
        let right = RunRecord {
            detail: Some(Detail::Wrong(WrongBlock {
                case: WrongCase::CpuOnMain,
                role: Role::Right,
                verdict: None,
            })),
            ..run(RunKind::Cpu, "on the worker pool")
        };
        let tradeoff = RunRecord {
            detail: Some(Detail::Tradeoff(TradeoffBlock {
                slice_ms: Some(16.0),
                on_workers: false,
                probe_p50_ms: Some(4.0),
                probe_p99_ms: Some(15.5),
                probe_max_ms: Some(17.0),
                probes: 60,
                frame_p99_ms: None,
                throughput_per_s: 5000.0,
            })),
            ..run(RunKind::Cpu, "sliced, 16 ms")
        };
        let mut export = sample_export();
        export.runs = vec![hybrid, wrong, right, tradeoff];
        export.config = crate::config::parse_query("lab=wrong").unwrap();
        export
    }

    #[test]
    fn together_runs_have_their_keys() {
        let export = together_export();
        let json: Value = serde_json::from_str(&export.to_json_pretty()).unwrap();
        assert_eq!(
            json["config"],
            json!({ "lab": "wrong", "case": "cpu-on-main", "autorun": false })
        );
        let runs = &json["runs"];

        let hybrid = &runs[0]["hybrid"];
        assert_eq!(
            keys(hybrid),
            [
                "checksum",
                "compute_ms",
                "fetch_ms",
                "latency_ms",
                "model_ms",
                "overlap_ms",
                "process_ms",
                "saved_ms",
                "strategy",
                "workers"
            ]
        );
        assert_eq!(hybrid["strategy"], "pipelined");
        // 2 fetches of 60 one after another, each processed for 30 while the next is fetched.
        assert_eq!(hybrid["fetch_ms"], 120.0);
        assert_eq!(hybrid["compute_ms"], 60.0);
        assert_eq!(hybrid["overlap_ms"], 30.0);
        assert_eq!(hybrid["saved_ms"], 30.0);
        // max(2 × 60 + 30 / 2, 60 + 2 × 30 / 2)
        assert_eq!(hybrid["model_ms"], 135.0);
        assert!(runs[0].get("wrong").is_none() && runs[0].get("tradeoff").is_none());

        let wrong = &runs[1]["wrong"];
        assert_eq!(keys(wrong), ["case", "role", "verdict"]);
        assert_eq!(wrong["case"], "cpu-on-main");
        assert_eq!(wrong["role"], "wrong");
        assert_eq!(
            keys(&wrong["verdict"]),
            ["measured", "rule", "text", "threshold", "wrong_tool"]
        );
        assert_eq!(wrong["verdict"]["wrong_tool"], true);
        assert_eq!(wrong["verdict"]["threshold"], 1.2);
        assert_eq!(runs[2]["wrong"]["role"], "right");
        assert_eq!(runs[2]["wrong"]["verdict"], Value::Null);
        assert!(runs[1].get("hybrid").is_none());

        let tradeoff = &runs[3]["tradeoff"];
        assert_eq!(
            keys(tradeoff),
            [
                "frame_p99_ms",
                "on_workers",
                "probe_max_ms",
                "probe_p50_ms",
                "probe_p99_ms",
                "probes",
                "slice_ms",
                "throughput_per_s"
            ]
        );
        assert_eq!(tradeoff["probe_p99_ms"], 15.5);
        assert_eq!(tradeoff["slice_ms"], 16.0);
        assert_eq!(tradeoff["on_workers"], false);
        assert_eq!(tradeoff["frame_p99_ms"], Value::Null);
        assert_eq!(
            export.file_name(".json"),
            "async-vs-parallel-lab-wrong.json"
        );

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
        let export = sample_export();
        assert_eq!(
            export.file_name(".json"),
            "async-vs-parallel-lab-start.json"
        );
        assert_eq!(
            export.file_name("-spans.csv"),
            "async-vs-parallel-lab-start-spans.csv"
        );
    }
}
