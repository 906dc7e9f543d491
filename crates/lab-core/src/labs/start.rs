//! The quick comparison: its settings (fetches and their simulated wait, CPU tasks and their
//! rounds) and the lesson its four runs prove, worded from what they measured.
//!
//! The lab's part of the core: its fields with their ranges, its settings with their defaults and
//! their table (see [`crate::setting`]), how it writes itself into a query and how a query is
//! read, and [`WaitLesson`] and [`ComputeLesson`], the sentences the page prints.

use serde::{Deserialize, Serialize};

use crate::config::Target;
use crate::field::{FloatField, IntField};
use crate::format;
use crate::meter::{Tone, LONG_TASK_MS};
use crate::schema::{RunKind, RunRecord};
use crate::setting::Setting;

/// Concurrent fetches per run of the start lab.
pub const FETCHES: IntField = IntField {
    name: "n",
    min: 1,
    max: 200,
    default: 20,
    unit: "requests",
};

/// The simulated server's wait for each fetch of the start lab.
pub const START_LATENCY: FloatField = FloatField {
    name: "latency_ms",
    min: 0.0,
    max: 500.0,
    default: 50.0,
    unit: "ms",
};

/// CPU tasks per parallel run.
pub const TASKS: IntField = IntField {
    name: "tasks",
    min: 1,
    max: 1024,
    default: 64,
    unit: "tasks",
};

/// Work per CPU task.
pub const SIZE: IntField = IntField {
    name: "size",
    min: 1,
    max: 1_000_000,
    default: 20_000,
    unit: "SHA-256 rounds per task",
};

lab_settings! {
    /// Settings of the start lab.
    #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
    pub struct StartSettings (table START_SETTINGS, read as StartFields) {
        /// Concurrent fetches per I/O run (see [`FETCHES`]).
        n: u32 = Setting::int(
            FETCHES,
            "Fetches",
            "fetches in the async batch: first one at a time, then all in flight at once",
        ),
        /// The simulated server's wait per fetch, in ms (see [`START_LATENCY`]).
        latency_ms: f64 = Setting::float(
            START_LATENCY,
            "Wait per fetch",
            "simulated server: how long each fetch waits for its answer",
        ),
        /// CPU tasks per parallel run (see [`TASKS`]).
        tasks: u32 = Setting::int(TASKS, "CPU tasks", "tasks in the parallel batch"),
        /// SHA-256 rounds per CPU task (see [`SIZE`]).
        size: u32 = Setting::int(SIZE, "Rounds per task", "SHA-256 rounds per task"),
    }
}

/// What overlapping the waits gained: the same fetches one at a time, then all at once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WaitLesson {
    /// Fetches in each run.
    pub fetches: u32,
    /// The simulated wait per fetch, or `None` when the fetches went to a real file.
    pub latency_ms: Option<f64>,
    /// Wall time of the fetches awaited one after another.
    pub one_at_a_time_ms: f64,
    /// Wall time of the fetches all in flight together.
    pub all_at_once_ms: f64,
}

/// Below this ratio a gain is too small to call one.
const CLEAR_GAIN: f64 = 1.5;

impl WaitLesson {
    /// How many times faster all at once was than one at a time.
    pub fn ratio(&self) -> f64 {
        self.one_at_a_time_ms / self.all_at_once_ms
    }

    /// The rule, with the numbers this browser measured.
    pub fn sentence(&self) -> String {
        let (a, b) = (
            format::ms(self.one_at_a_time_ms, 1.0),
            format::ms(self.all_at_once_ms, 1.0),
        );
        let n = self.fetches;
        let ratio = self.ratio();
        let wait = match self.latency_ms {
            Some(latency) => format!(" (each waits {latency} ms at the simulated server)"),
            None => String::new(),
        };
        if ratio >= CLEAR_GAIN {
            format!(
                "Waiting → async. {n} fetches{wait} took {a} one at a time and {b} all at once: \
                 {ratio:.1}× faster by overlapping the waits, on one thread."
            )
        } else {
            format!(
                "Waiting → async. {n} fetches{wait} took {a} one at a time and {b} all at once: \
                 only {ratio:.1}× here, because each wait was too short to be worth overlapping."
            )
        }
    }
}

/// What the workers gained: the same CPU job on the main thread, then on the worker pool.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ComputeLesson {
    /// Tasks in the job.
    pub tasks: u32,
    /// Workers in the pool.
    pub workers: u32,
    /// The job's time on the main thread.
    pub on_main_ms: f64,
    /// The longest block of the main thread while the job ran there.
    pub main_blocked_ms: f64,
    /// The job's time on the workers.
    pub on_workers_ms: f64,
    /// Whether every source the browser offered saw the main thread free while the job ran on
    /// the workers (its verdict is good).
    pub page_stayed_free: bool,
}

impl ComputeLesson {
    /// How many times faster the workers were than the main thread.
    pub fn speedup(&self) -> f64 {
        self.on_main_ms / self.on_workers_ms
    }

    /// The rule, with the numbers this browser measured.
    pub fn sentence(&self) -> String {
        let (a, b) = (
            format::ms(self.on_main_ms, 1.0),
            format::ms(self.on_workers_ms, 1.0),
        );
        let (tasks, workers, speedup) = (self.tasks, self.workers, self.speedup());
        let froze = if self.main_blocked_ms > 0.0 {
            format!(
                ", freezing the page for {}",
                format::ms(self.main_blocked_ms, 1.0)
            )
        } else {
            String::new()
        };
        let page = if self.page_stayed_free {
            "and the page never froze"
        } else {
            "though the page did not stay free then (see its verdict)"
        };
        let gain = if speedup >= 1.1 {
            format!("{speedup:.1}× faster")
        } else {
            format!("no faster here ({speedup:.1}×)")
        };
        let noun = if workers == 1 { "worker" } else { "workers" };
        format!(
            "Computing → workers. The job ({tasks} tasks) took {a} on the main thread{froze}, \
             and {b} on {workers} {noun}: {gain}, {page}."
        )
    }
}

/// The rules the quick comparison's runs prove, worded from their numbers: each batch's two
/// runs in the order they ran (baseline first), then the third rule once both batches ran.
pub fn lessons(runs: &[RunRecord]) -> Vec<String> {
    let of =
        |kind: RunKind| -> Vec<&RunRecord> { runs.iter().filter(|r| r.kind == kind).collect() };
    let wait = match of(RunKind::Io)[..] {
        [one, all] => Some(WaitLesson {
            fetches: all.params.n.unwrap_or(0),
            latency_ms: (all.params.target == Some(Target::Sim))
                .then_some(all.params.latency_ms)
                .flatten(),
            one_at_a_time_ms: one.summary.wall_ms,
            all_at_once_ms: all.summary.wall_ms,
        }),
        _ => None,
    };
    // Only a whole batch teaches: a cancelled one keeps its finished strategies, not the last.
    let compute = match of(RunKind::Cpu)[..] {
        [main, _, workers] => Some(ComputeLesson {
            tasks: workers.params.tasks.unwrap_or(0),
            workers: workers.params.threads.unwrap_or(0),
            on_main_ms: main.summary.wall_ms,
            main_blocked_ms: main.main_thread.longest_block_ms(),
            on_workers_ms: workers.summary.wall_ms,
            page_stayed_free: workers.main_thread.verdict().tone == Tone::Good,
        }),
        _ => None,
    };
    let both = (wait.is_some() && compute.is_some()).then(|| BOTH_RULE.to_owned());
    wait.map(|w| w.sentence())
        .into_iter()
        .chain(compute.map(|c| c.sentence()))
        .chain(both)
        .collect()
}

/// One way of running the CPU job, by the slogan's two measures.
#[derive(Clone, Debug, PartialEq)]
pub struct SloganRow {
    /// How it ran ("on the main thread").
    pub name: String,
    /// How long a click could have waited for the page: the main thread's longest stall (the
    /// heartbeat's worst lateness, or the longest block if longer), in ms.
    pub answer_ms: f64,
    /// Tasks done per second.
    pub per_s: f64,
}

/// "Async optimises latency, parallel optimises throughput", measured on one workload: the CPU
/// job on the main thread, awaited on one worker, and on every worker.
#[derive(Clone, Debug, PartialEq)]
pub struct Slogan {
    /// On the main thread, on one worker, on every worker.
    pub strategies: [SloganRow; 3],
    /// Workers in the last strategy.
    pub workers: u32,
}

impl Slogan {
    /// The slogan of the quick comparison's three CPU runs; `None` until all three ran, or where
    /// the browser gave no heartbeat to judge the page's answer by.
    pub fn of(runs: &[RunRecord]) -> Option<Slogan> {
        let cpu: Vec<&RunRecord> = runs.iter().filter(|r| r.kind == RunKind::Cpu).collect();
        let [main, one, all] = cpu[..] else {
            return None;
        };
        let strategy = |record: &RunRecord, name: String| -> Option<SloganRow> {
            let longest_block = record.main_thread.longest_block_ms();
            Some(SloganRow {
                name,
                answer_ms: record.main_thread.heartbeat_max_ms?.max(longest_block),
                per_s: record.summary.throughput_per_s,
            })
        };
        let workers = all.params.threads.unwrap_or(0);
        Some(Slogan {
            strategies: [
                strategy(main, "on the main thread".to_owned())?,
                strategy(one, "awaited on one worker".to_owned())?,
                strategy(all, format!("awaited on {workers} workers"))?,
            ],
            workers,
        })
    }

    /// The slogan, worded from what was measured: each half is claimed only where the numbers
    /// show it.
    pub fn sentence(&self) -> String {
        let [main, one, all] = &self.strategies;
        // Tenths below 10 ms, so two sub-millisecond waits do not both read "0 ms".
        let ms = |v: f64| format::ms(v, if v < 10.0 { 0.1 } else { 1.0 });
        let rate = |v: f64| format!("{v:.0} tasks/s");
        let async_half = if main.answer_ms < LONG_TASK_MS {
            format!(
                "The job was too short to hold up the page even on the main thread (a click \
                 could wait {} there, {} awaited on one worker)",
                ms(main.answer_ms),
                ms(one.answer_ms)
            )
        } else if one.answer_ms < main.answer_ms / 2.0 {
            format!(
                "Async kept the page answering: with the job on the main thread a click could \
                 wait {}; awaited on one worker, {}",
                ms(main.answer_ms),
                ms(one.answer_ms)
            )
        } else {
            format!(
                "Awaiting the job on one worker did not leave the page answering sooner here ({} \
                 against {} on the main thread)",
                ms(one.answer_ms),
                ms(main.answer_ms)
            )
        };
        let pace = one.per_s / main.per_s;
        let same = if (0.8..=1.25).contains(&pace) {
            format!(
                ", at about the same pace ({} and {})",
                rate(main.per_s),
                rate(one.per_s)
            )
        } else {
            format!(", at {pace:.1}× the pace")
        };
        let gain = all.per_s / one.per_s;
        let workers = self.workers;
        let parallel_half = if gain >= 1.1 {
            format!(
                "Parallel got more done: on {workers} workers, {}, {gain:.1}× one worker's.",
                rate(all.per_s)
            )
        } else {
            format!(
                "Parallel gained little here: {} on {workers} workers, {gain:.1}× one worker's.",
                rate(all.per_s)
            )
        };
        format!("{async_half}{same}. {parallel_half}")
    }
}

/// The third rule, which the hybrid lab measures.
pub const BOTH_RULE: &str =
    "Both → a pipeline: fetch with async, compute on the workers, and let the \
                        two overlap (the hybrid lab measures it).";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meter::{MainThreadSummary, Source};
    use crate::params::Params;
    use crate::stats::summarize;

    #[test]
    fn the_wait_lesson_gives_the_measured_ratio() {
        let lesson = WaitLesson {
            fetches: 20,
            latency_ms: Some(50.0),
            one_at_a_time_ms: 1_090.0,
            all_at_once_ms: 62.0,
        };
        assert_eq!(
            lesson.sentence(),
            "Waiting → async. 20 fetches (each waits 50 ms at the simulated server) took 1.09 s \
             one at a time and 62 ms all at once: 17.6× faster by overlapping the waits, on one \
             thread."
        );
        let short = WaitLesson {
            latency_ms: None,
            one_at_a_time_ms: 30.0,
            all_at_once_ms: 25.0,
            ..lesson
        };
        assert!(
            short.sentence().contains("only 1.2× here"),
            "{}",
            short.sentence()
        );
    }

    #[test]
    fn the_compute_lesson_says_what_the_page_saw() {
        let lesson = ComputeLesson {
            tasks: 64,
            workers: 2,
            on_main_ms: 900.0,
            main_blocked_ms: 880.0,
            on_workers_ms: 480.0,
            page_stayed_free: true,
        };
        assert_eq!(
            lesson.sentence(),
            "Computing → workers. The job (64 tasks) took 900 ms on the main thread, freezing the \
             page for 880 ms, and 480 ms on 2 workers: 1.9× faster, and the page never froze."
        );
        let one = ComputeLesson {
            workers: 1,
            on_workers_ms: 890.0,
            page_stayed_free: false,
            ..lesson
        };
        let text = one.sentence();
        assert!(
            text.contains("on 1 worker: no faster here (1.0×)"),
            "{text}"
        );
        assert!(text.contains("did not stay free"), "{text}");
    }

    #[test]
    fn lessons_come_from_the_runs_in_the_order_they_ran() {
        let run = |kind: RunKind, wall_ms: f64, params: Params| {
            let mut summary = summarize(&[], wall_ms);
            summary.wall_ms = wall_ms;
            RunRecord {
                kind,
                label: String::new(),
                params,
                summary,
                main_thread: MainThreadSummary {
                    sources: vec![Source::Heartbeat],
                    ..MainThreadSummary::default()
                },
                spans: crate::span::Spans::default(),
                detail: None,
            }
        };
        let io = |c: u32, wall_ms: f64| {
            let params = Params {
                n: Some(20),
                concurrency: Some(c),
                target: Some(Target::Sim),
                latency_ms: Some(50.0),
                ..Params::default()
            };
            run(RunKind::Io, wall_ms, params)
        };
        let cpu = |threads: u32, wall_ms: f64| {
            let params = Params {
                tasks: Some(64),
                threads: Some(threads),
                ..Params::default()
            };
            run(RunKind::Cpu, wall_ms, params)
        };
        assert!(lessons(&[]).is_empty());
        let only_io = lessons(&[io(1, 1_000.0), io(20, 100.0)]);
        assert_eq!(only_io.len(), 1);
        assert!(only_io[0].contains("10.0× faster"), "{}", only_io[0]);
        let all = lessons(&[
            io(1, 1_000.0),
            io(20, 100.0),
            cpu(1, 900.0),
            cpu(1, 880.0),
            cpu(2, 450.0),
        ]);
        assert_eq!(all.len(), 3);
        assert!(
            all[1].contains("450 ms on 2 workers: 2.0× faster, and the page never froze"),
            "{}",
            all[1]
        );
        assert_eq!(all[2], BOTH_RULE);
        // A batch cancelled before its last strategy teaches nothing about computing.
        let cut_short = lessons(&[io(1, 1_000.0), io(20, 100.0), cpu(1, 900.0), cpu(1, 880.0)]);
        assert_eq!(cut_short.len(), 1);
    }

    #[test]
    fn the_slogan_is_worded_from_the_three_cpu_runs() {
        let slogan = Slogan {
            strategies: [
                SloganRow {
                    name: "on the main thread".into(),
                    answer_ms: 560.0,
                    per_s: 110.0,
                },
                SloganRow {
                    name: "awaited on one worker".into(),
                    answer_ms: 9.0,
                    per_s: 105.0,
                },
                SloganRow {
                    name: "awaited on 2 workers".into(),
                    answer_ms: 11.0,
                    per_s: 200.0,
                },
            ],
            workers: 2,
        };
        assert_eq!(
            slogan.sentence(),
            "Async kept the page answering: with the job on the main thread a click could wait \
             560 ms; awaited on one worker, 9.0 ms, at about the same pace (110 tasks/s and 105 \
             tasks/s). Parallel got more done: on 2 workers, 200 tasks/s, 1.9× one worker's."
        );
        let mut flat = slogan.clone();
        flat.strategies[1].answer_ms = 400.0;
        flat.strategies[2].per_s = 106.0;
        let text = flat.sentence();
        assert!(
            text.starts_with("Awaiting the job on one worker did not"),
            "{text}"
        );
        assert!(text.contains("Parallel gained little here"), "{text}");
        let mut tiny = slogan.clone();
        tiny.strategies[0].answer_ms = 0.1;
        tiny.strategies[1].answer_ms = 0.09;
        let text = tiny.sentence();
        assert!(
            text.starts_with(
                "The job was too short to hold up the page even on the main thread (a click \
                 could wait 0.1 ms there, 0.1 ms awaited on one worker)"
            ),
            "{text}"
        );
    }

    #[test]
    fn the_latency_is_read_and_checked() {
        let mut errors = Vec::new();
        let query = |key: &str| (key == "latency_ms").then_some("20");
        let start = StartSettings::parse(&query, &mut errors);
        assert_eq!(start.map(|s| s.latency_ms), Some(20.0));
        let query = |key: &str| (key == "latency_ms").then_some("900");
        assert_eq!(StartSettings::parse(&query, &mut errors), None);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].to_string().contains("latency_ms"),
            "{}",
            errors[0]
        );
    }
}
