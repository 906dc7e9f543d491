//! The page's state and the run contract: settings from the URL, the environment, the run in
//! progress (`idle`, `running`, `done`, `error`, `cancelled`) and the runs kept for export.
//! Signals are only ever touched here, on the main thread.

use std::collections::BTreeMap;

use lab_core::config::{self, FieldError, Settings};
use lab_core::schema::{self, CpuBlock, Export, RunKind, RunRecord};
use lab_core::{format, kernels, stats};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

use crate::experiments::{cpu_batch, io_batch, Cancel, Progress};
use crate::runtime::meter::{meter, next_frame};
use crate::runtime::{clock, environment, pool, url};

/// The states of the run contract, as `data-state` spells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    /// Nothing has run yet, or the page waits for its tools before an autorun.
    Idle,
    /// Work is in flight.
    Running,
    /// The last run finished; its results are on the page.
    Done,
    /// The last run failed; the status says why.
    Error,
    /// The last run was cancelled; nothing of it was kept.
    Cancelled,
}

impl RunState {
    /// The word in `data-state`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Running => "running",
            Self::Done => "done",
            Self::Error => "error",
            Self::Cancelled => "cancelled",
        }
    }
}

/// What the status line says.
#[derive(Clone, Debug, PartialEq)]
pub struct RunStatus {
    /// The state.
    pub state: RunState,
    /// The state in words.
    pub text: String,
    /// Finished and total requests or tasks while running.
    pub progress: Option<(u32, u32)>,
}

impl RunStatus {
    fn new(state: RunState, text: impl Into<String>) -> RunStatus {
        RunStatus {
            state,
            text: text.into(),
            progress: None,
        }
    }
}

/// Where the worker pool stands.
#[derive(Clone, Debug, PartialEq)]
pub enum PoolStatus {
    /// Not cross-origin isolated: no shared memory, so no pool is started.
    NotIsolated,
    /// Workers are being spawned.
    Starting,
    /// `threads` workers are ready; starting them took `start_ms`.
    Ready {
        /// Worker threads in the pool.
        threads: u32,
        /// How long the pool took to start.
        start_ms: f64,
    },
    /// The pool could not start; the browser's words.
    Failed(String),
}

/// What the browser offers this page.
#[derive(Clone, Debug, PartialEq)]
pub struct Environment {
    /// `crossOriginIsolated`.
    pub isolated: bool,
    /// `navigator.hardwareConcurrency`.
    pub hardware_threads: u32,
    /// The worker pool.
    pub pool: PoolStatus,
    /// The smallest step of `performance.now()`, measured.
    pub timer_resolution_ms: f64,
}

impl Environment {
    /// Worker threads ready to take jobs (0 when there is no pool).
    pub fn pool_threads(&self) -> u32 {
        match self.pool {
            PoolStatus::Ready { threads, .. } => threads,
            _ => 0,
        }
    }
}

/// Everything the components share.
#[derive(Clone, Copy)]
pub struct LabState {
    /// The settings in force (always valid).
    pub settings: RwSignal<Settings>,
    /// What is wrong with the settings the user gave; nothing runs while this is not empty.
    pub config_errors: RwSignal<Vec<FieldError>>,
    /// The environment strip.
    pub environment: RwSignal<Environment>,
    /// The run contract's status.
    pub status: RwSignal<RunStatus>,
    /// The latest run of each kind, in the order they finished.
    pub runs: RwSignal<Vec<RunRecord>>,
    cancel: StoredValue<Option<Cancel>, LocalStorage>,
}

impl LabState {
    /// Reads the settings from the URL and measures the environment.
    pub fn new() -> LabState {
        let (settings, errors) = match config::parse_query(&url::query()) {
            Ok(settings) => (settings, Vec::new()),
            Err(errors) => (Settings::default(), errors),
        };
        let isolated = environment::cross_origin_isolated();
        LabState {
            settings: RwSignal::new(settings),
            config_errors: RwSignal::new(errors),
            environment: RwSignal::new(Environment {
                isolated,
                hardware_threads: environment::hardware_threads(),
                pool: if isolated {
                    PoolStatus::Starting
                } else {
                    PoolStatus::NotIsolated
                },
                timer_resolution_ms: clock::resolution_ms(),
            }),
            status: RwSignal::new(RunStatus::new(
                RunState::Idle,
                "Ready: nothing has run yet.",
            )),
            runs: RwSignal::new(Vec::new()),
            cancel: StoredValue::new_local(None),
        }
    }

    /// Starts the worker pool (when isolated), then performs the autorun if the URL asks for one.
    pub fn boot(self) {
        spawn_local(async move {
            let wants_autorun = self.settings.with_untracked(|s| s.autorun)
                && self.config_errors.with_untracked(Vec::is_empty);
            if wants_autorun {
                self.status.set(RunStatus::new(
                    RunState::Idle,
                    "Waiting for the worker pool before the autorun…",
                ));
            }
            if self.environment.with_untracked(|e| e.isolated) {
                let threads = self.environment.with_untracked(|e| e.hardware_threads);
                let pool = match pool::start(threads as usize).await {
                    Ok(start_ms) => match cpu_batch::warm_up(threads).await {
                        Ok(()) => PoolStatus::Ready { threads, start_ms },
                        Err(lost) => PoolStatus::Failed(lost.to_string()),
                    },
                    Err(message) => PoolStatus::Failed(message),
                };
                self.environment.update(|e| e.pool = pool);
            }
            if wants_autorun {
                self.run_all().await;
            }
        });
    }

    /// True while a run is in flight.
    pub fn busy(self) -> bool {
        self.status.with(|s| s.state == RunState::Running)
    }

    /// True when the parallel batch can run (the pool is ready).
    pub fn parallel_ready(self) -> bool {
        self.environment.with(|e| e.pool_threads() > 0)
    }

    /// True when the settings are valid.
    pub fn settings_valid(self) -> bool {
        self.config_errors.with(Vec::is_empty)
    }

    /// Applies settings typed into the form: valid ones go into force and into the URL.
    pub fn apply_query(self, query: &str) {
        match config::parse_query(query) {
            Ok(settings) => {
                url::replace_query(&settings.to_query());
                self.settings.set(settings);
                self.config_errors.set(Vec::new());
            }
            Err(errors) => self.config_errors.set(errors),
        }
    }

    /// Runs the async batch, then the parallel batch when the pool is there.
    pub async fn run_all(self) {
        let state = self.run_io().await;
        if state == RunState::Done && self.parallel_ready() {
            self.run_cpu().await;
        }
    }

    /// Cancels the run in flight.
    pub fn cancel(self) {
        self.cancel.with_value(|cancel| {
            if let Some(cancel) = cancel {
                cancel.cancel();
            }
        });
    }

    fn begin(self, text: String, total: u32, progress: &Progress) -> Option<Cancel> {
        if self.busy() || !self.settings_valid() {
            return None;
        }
        let cancel = Cancel::new();
        self.cancel.set_value(Some(cancel.clone()));
        self.status.set(RunStatus {
            state: RunState::Running,
            text: text.clone(),
            progress: Some((0, total)),
        });
        self.watch_progress(text, total, progress.clone());
        Some(cancel)
    }

    /// Publishes progress at most once a frame while the run is in flight.
    fn watch_progress(self, text: String, total: u32, progress: Progress) {
        spawn_local(async move {
            let mut shown = 0;
            while self.status.with_untracked(|s| s.state == RunState::Running) {
                let done = progress.done();
                if done != shown {
                    shown = done;
                    self.status.update(|s| {
                        if s.state == RunState::Running {
                            s.progress = Some((done, total));
                            s.text = text.clone();
                        }
                    });
                }
                next_frame().await;
            }
        });
    }

    fn finish(self, status: RunStatus, record: Option<RunRecord>) -> RunState {
        self.cancel.set_value(None);
        if let Some(record) = record {
            self.runs.update(|runs| {
                runs.retain(|r| r.kind != record.kind);
                runs.push(record);
            });
        }
        let state = status.state;
        self.status.set(status);
        state
    }

    /// The async batch: `n` fetches of a static file, all in flight at once.
    pub async fn run_io(self) -> RunState {
        let n = self.settings.with_untracked(|s| s.n);
        let progress = Progress::default();
        let text = format!("Async batch: {n} fetches in flight on one thread");
        let Some(cancel) = self.begin(text, n, &progress) else {
            return RunState::Idle;
        };
        let batch = io_batch::run(n, io_batch::STATIC_FILE, &progress, &cancel).await;
        let main_thread = meter().close_record(batch.start_ms).await;
        if cancel.is_cancelled() {
            let text = format!(
                "Cancelled: {} of {n} requests had finished.",
                progress.done()
            );
            return self.finish(RunStatus::new(RunState::Cancelled, text), None);
        }
        let summary = stats::summarize(&batch.spans, batch.wall_ms);
        let resolution = self.environment.with_untracked(|e| e.timer_resolution_ms);
        let (state, text) = if summary.errors == 0 {
            (
                RunState::Done,
                format!(
                    "Done: {n} requests in {}, {:.1} at a time on average.",
                    format::ms(summary.wall_ms, resolution),
                    summary.mean_in_flight
                ),
            )
        } else {
            (
                RunState::Error,
                format!(
                    "{} of {n} requests failed: {}.",
                    summary.errors,
                    batch.errors.join("; ")
                ),
            )
        };
        let params = BTreeMap::from([
            ("n".to_owned(), json!(n)),
            ("concurrency".to_owned(), json!(n)),
            ("target".to_owned(), json!("static")),
            ("url".to_owned(), json!(io_batch::STATIC_FILE)),
        ]);
        let record = RunRecord {
            kind: RunKind::Io,
            label: format!("{n} concurrent fetches"),
            params,
            summary,
            main_thread,
            spans: batch.spans,
            cpu: None,
        };
        self.finish(RunStatus::new(state, text), Some(record))
    }

    /// The parallel batch: `tasks` SHA-256 chains across the worker pool.
    pub async fn run_cpu(self) -> RunState {
        let (tasks, rounds) = self.settings.with_untracked(|s| (s.tasks, s.size));
        let threads = self.environment.with_untracked(Environment::pool_threads);
        if threads == 0 {
            return RunState::Idle;
        }
        let progress = Progress::default();
        let text = format!("Parallel batch: {tasks} tasks on {threads} workers");
        let Some(cancel) = self.begin(text, tasks, &progress) else {
            return RunState::Idle;
        };
        let batch = match cpu_batch::run(tasks, rounds, &progress, &cancel).await {
            Ok(batch) => batch,
            Err(lost) => {
                return self.finish(RunStatus::new(RunState::Error, lost.to_string()), None);
            }
        };
        let main_thread = meter().close_record(batch.start_ms).await;
        if cancel.is_cancelled() {
            let text = format!(
                "Cancelled: {} of {tasks} tasks had finished.",
                progress.done()
            );
            return self.finish(RunStatus::new(RunState::Cancelled, text), None);
        }
        let summary = stats::summarize(&batch.spans, batch.wall_ms);
        let resolution = self.environment.with_untracked(|e| e.timer_resolution_ms);
        let text = format!(
            "Done: {tasks} tasks in {} on {threads} workers.",
            format::ms(summary.wall_ms, resolution)
        );
        let params = BTreeMap::from([
            ("kernel".to_owned(), json!("sha256")),
            ("size".to_owned(), json!(rounds)),
            ("tasks".to_owned(), json!(tasks)),
            ("mode".to_owned(), json!("rayon")),
            ("threads".to_owned(), json!(threads)),
        ]);
        let record = RunRecord {
            kind: RunKind::Cpu,
            label: format!("{tasks} SHA-256 tasks on {threads} workers"),
            params,
            summary,
            main_thread,
            spans: batch.spans,
            cpu: Some(CpuBlock {
                checksum: kernels::format_checksum(batch.checksum),
                pool_threads: threads,
            }),
        };
        self.finish(RunStatus::new(RunState::Done, text), Some(record))
    }

    /// The current experiment's results, as the export button downloads them.
    pub fn export(self) -> Export {
        let env = self.environment.get_untracked();
        Export::new(
            self.settings.get_untracked(),
            schema::Environment {
                user_agent: environment::user_agent(),
                hardware_threads: env.hardware_threads,
                cross_origin_isolated: env.isolated,
                pool_threads: env.pool_threads(),
                build: environment::BUILD,
                timer_resolution_ms: Some(env.timer_resolution_ms),
                pool_start_ms: match env.pool {
                    PoolStatus::Ready { start_ms, .. } => Some(start_ms),
                    _ => None,
                },
            },
            self.runs.get_untracked(),
        )
    }
}

impl Default for LabState {
    fn default() -> Self {
        Self::new()
    }
}
