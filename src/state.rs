//! The page's state and the run contract: settings from the URL, the environment, the run in
//! progress (`idle`, `running`, `done`, `error`, `cancelled`) and the runs kept for export.
//! Signals are only ever touched here, on the main thread.

use std::pin::pin;

use futures::future::{select, Either};
use lab_core::compare::browser_name;
use lab_core::config::{self, FieldError, Lab, Settings};
use lab_core::schema::{self, Export, RunRecord};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::experiments::{cpu_job, Cancel, Progress};
use crate::runtime::sim_server::Isolation;
use crate::runtime::tile_canvas::TileCanvas;
use crate::runtime::{clock, environment, event_loop, history, pool, sim_server, url};

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
    /// The last run was cancelled; what had finished is kept.
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

/// How long the worker pool may take to start, workers and warm-up included, in ms. It takes
/// about 0.2 s here; a limit fifty times that is no false alarm on a busy machine.
const POOL_START_LIMIT_MS: f64 = 10_000.0;

/// How often progress reaches the page, in ms. Each change of the count repaints the page's
/// layer (about 3 ms of main-thread paint here); four a second reads as live and costs little.
const PROGRESS_EVERY_MS: f64 = 250.0;

/// How far the run in flight has got.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunProgress {
    /// Requests or tasks finished.
    pub done: u32,
    /// Requests or tasks in the whole run.
    pub total: u32,
    /// Time since the run began, when `done` was counted.
    pub elapsed_ms: f64,
}

/// What the status line says.
#[derive(Clone, Debug, PartialEq)]
pub struct RunStatus {
    /// The state.
    pub state: RunState,
    /// The state in words.
    pub text: String,
}

impl RunStatus {
    /// A status in words.
    pub fn new(state: RunState, text: impl Into<String>) -> RunStatus {
        RunStatus {
            state,
            text: text.into(),
        }
    }

    /// The status of a cancelled run: `done` of its `total` requests or tasks (`unit`) had
    /// finished, and whether any runs were kept (drawn, and in the export).
    pub fn cancelled(kept: bool, done: u32, total: u32, unit: &str) -> RunStatus {
        let text = if kept {
            format!("Cancelled: {done} of {total} {unit} had finished; what finished is kept and drawn.")
        } else {
            format!("Cancelled: {done} of {total} {unit} had finished, too few to keep a run.")
        };
        RunStatus::new(RunState::Cancelled, text)
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

/// Where the simulated server (the service worker) stands.
#[derive(Clone, Debug, PartialEq)]
pub enum SimStatus {
    /// Registering, or waiting for it to take control.
    Starting,
    /// It controls the page and answers.
    Ready,
    /// It could not take control; the reason in words.
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
    /// The simulated server.
    pub sim: SimStatus,
    /// The smallest step of `performance.now()`, measured.
    pub timer_resolution_ms: f64,
    /// Whether the simulated server's worker isolated the page, once it is in control.
    pub isolation: Option<Isolation>,
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
    settings: RwSignal<Settings>,
    /// What is wrong with the settings the user gave; nothing runs while this is not empty.
    config_errors: RwSignal<Vec<FieldError>>,
    /// The environment strip.
    environment: RwSignal<Environment>,
    /// The run contract's status.
    status: RwSignal<RunStatus>,
    /// Finished and total requests or tasks of the run in flight. Apart from `status`, so that
    /// a progress tick (once a frame) touches the progress bar and nothing that reads the status.
    progress: RwSignal<Option<RunProgress>>,
    /// The latest run of each kind, in the order they finished.
    runs: RwSignal<Vec<RunRecord>>,
    /// Between a cancel and the end of the run it cancelled, which keeps what finished.
    stopping: RwSignal<bool>,
    cancel: StoredValue<Option<Cancel>, LocalStorage>,
    /// The canvas image kernels draw on, while the page shows one.
    tile_canvas: StoredValue<Option<TileCanvas>, LocalStorage>,
    /// The settings the run in flight started with.
    running_with: StoredValue<Option<Settings>>,
    /// The settings the latest kept runs ran with: the export's `config`, whatever the form
    /// says since.
    ran_with: StoredValue<Option<Settings>>,
    /// Whether the latest finished run went into the browser's history, under which key.
    kept: RwSignal<Option<Result<history::Kept, String>>>,
    /// Exports laid beside this page's runs (from files or the history), each with its name.
    compared: RwSignal<Vec<(String, Export)>>,
    /// Whether the runs shown were reopened from the history rather than run in this page.
    reopened: RwSignal<bool>,
}

impl LabState {
    /// Reads the settings from the URL and measures the environment.
    pub fn new() -> LabState {
        let query = url::query();
        let (settings, errors) = match config::parse_query(&query) {
            Ok(settings) => (settings, Vec::new()),
            Err(errors) => (Settings::defaults(lab_named_in(&query)), errors),
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
                sim: SimStatus::Starting,
                timer_resolution_ms: clock::resolution_ms(),
                isolation: None,
            }),
            status: RwSignal::new(RunStatus::new(
                RunState::Idle,
                "Ready: nothing has run yet.",
            )),
            progress: RwSignal::new(None),
            runs: RwSignal::new(Vec::new()),
            stopping: RwSignal::new(false),
            cancel: StoredValue::new_local(None),
            tile_canvas: StoredValue::new_local(None),
            running_with: StoredValue::new(None),
            ran_with: StoredValue::new(None),
            kept: RwSignal::new(None),
            compared: RwSignal::new(Vec::new()),
            reopened: RwSignal::new(false),
        }
    }

    /// Starts the worker pool (when isolated) and the simulated server side by side; resolves
    /// to whether the URL asks for an autorun (the app then starts it: state starts no lab).
    pub async fn boot(self) -> bool {
        let reopening = url::param("reopen");
        let wants_autorun = self.settings.with_untracked(|s| s.autorun)
            && self.config_errors.with_untracked(Vec::is_empty)
            && reopening.is_none();
        if let Some(key) = reopening {
            self.reopen(&key).await;
        }
        if wants_autorun {
            self.status.set(RunStatus::new(
                RunState::Idle,
                "Waiting for the worker pool and the simulated server before the autorun…",
            ));
        }
        futures::join!(self.start_pool(), self.start_sim_server());
        let reloading = self
            .environment
            .with_untracked(|e| e.isolation == Some(Isolation::Reloading));
        wants_autorun && !reloading
    }

    async fn start_pool(self) {
        if !self.environment.with_untracked(|e| e.isolated) {
            return;
        }
        let threads = self.environment.with_untracked(|e| e.hardware_threads);
        let on_lost = move |message: String| {
            self.environment.update(|e| {
                e.pool = PoolStatus::Failed(format!(
                    "the worker pool was lost ({message}): reload the page"
                ))
            });
        };
        let starting = async {
            match pool::start(threads as usize, on_lost).await {
                Ok(start_ms) => match cpu_job::warm_up(threads).await {
                    Ok(()) => PoolStatus::Ready { threads, start_ms },
                    Err(lost) => PoolStatus::Failed(lost.to_string()),
                },
                Err(message) => PoolStatus::Failed(message),
            }
        };
        // A worker that never answers would leave the pool starting, and an autorun waiting,
        // forever: past the limit the page gives up on the pool and goes on without it.
        let limit = event_loop::sleep(POOL_START_LIMIT_MS);
        let pool = match select(pin!(starting), pin!(limit)).await {
            Either::Left((pool, _)) => pool,
            Either::Right(_) => PoolStatus::Failed(format!(
                "the worker pool did not start within {:.0} s (a worker never answered); the async labs still work, and a reload tries again",
                POOL_START_LIMIT_MS / 1000.0
            )),
        };
        self.environment.update(|e| e.pool = pool);
    }

    /// Starts the simulated server; once it is in control and the host sent no isolation
    /// headers, it makes the page isolated with one reload (see [`sim_server::isolate_by_reload`]).
    async fn start_sim_server(self) {
        let sim = match sim_server::ensure_control().await {
            Ok(()) => SimStatus::Ready,
            Err(message) => SimStatus::Failed(message),
        };
        if sim == SimStatus::Ready {
            let isolation =
                sim_server::isolate_by_reload(self.environment.with_untracked(|e| e.isolated));
            if isolation == Isolation::Reloading {
                self.status.set(RunStatus::new(
                    RunState::Idle,
                    "Reloading once, so that the page's service worker can make it cross-origin isolated…",
                ));
            }
            self.environment.update(|e| e.isolation = Some(isolation));
        }
        self.set_sim(sim);
    }

    /// Draws the kept run `key` (the `reopen` parameter) as it was recorded: its settings,
    /// its runs and their charts, with the page's own environment beside them.
    async fn reopen(self, key: &str) {
        let lab = self.settings.with_untracked(Settings::lab);
        let reopened = match lab_core::history::parse_key(key) {
            Ok(key) => history::load(key).await,
            Err(message) => Err(message),
        };
        let status = match reopened {
            Ok(export) if export.config.lab() != lab => RunStatus::new(
                RunState::Error,
                format!(
                    "That kept run was recorded in the {} lab: open it from the history.",
                    export.config.lab().name()
                ),
            ),
            Ok(export) => {
                let recorded_at = export
                    .exported_at
                    .as_deref()
                    .map_or_else(|| "an unknown time".to_owned(), lab_core::history::minute);
                let browser = browser_name(&export.environment.user_agent);
                self.settings.set(export.config.clone());
                self.ran_with.set_value(Some(export.config));
                self.runs.set(export.runs);
                self.reopened.set(true);
                RunStatus::new(
                    RunState::Done,
                    format!(
                        "Reopened from this browser's history: the run of {recorded_at} in {browser}, as it was recorded. Run it again to measure anew."
                    ),
                )
            }
            Err(message) => RunStatus::new(
                RunState::Error,
                format!("Could not reopen that run: {message}."),
            ),
        };
        self.status.set(status);
    }

    /// The settings in force (always valid).
    pub fn settings(self) -> ReadSignal<Settings> {
        self.settings.read_only()
    }

    /// What is wrong with the settings the user gave.
    pub fn config_errors(self) -> ReadSignal<Vec<FieldError>> {
        self.config_errors.read_only()
    }

    /// The environment strip.
    pub fn environment(self) -> ReadSignal<Environment> {
        self.environment.read_only()
    }

    /// The run contract's status.
    pub fn status(self) -> ReadSignal<RunStatus> {
        self.status.read_only()
    }

    /// Finished and total requests or tasks of the run in flight.
    pub fn progress(self) -> ReadSignal<Option<RunProgress>> {
        self.progress.read_only()
    }

    /// The latest run of each kind, in the order they finished.
    pub fn runs(self) -> ReadSignal<Vec<RunRecord>> {
        self.runs.read_only()
    }

    /// Exports laid beside this page's runs, each with its name: the compare table lists them
    /// and the sweep charts draw them.
    pub fn compared(self) -> ReadSignal<Vec<(String, Export)>> {
        self.compared.read_only()
    }

    /// Lays more exports beside this page's runs.
    pub fn compare_with(self, exports: Vec<(String, Export)>) {
        if !exports.is_empty() {
            self.compared.update(|all| all.extend(exports));
        }
    }

    /// Takes every laid-beside export away.
    pub fn clear_compared(self) {
        self.compared.set(Vec::new());
    }

    /// Whether the runs shown were reopened from the history (their images, drawn live while
    /// a run computes them, are not kept).
    pub fn reopened(self) -> ReadSignal<bool> {
        self.reopened.read_only()
    }

    /// Whether the latest finished run went into the browser's history.
    pub fn kept(self) -> ReadSignal<Option<Result<history::Kept, String>>> {
        self.kept.read_only()
    }

    /// Records whether the simulated server is in control.
    pub fn set_sim(self, sim: SimStatus) {
        self.environment.update(|e| e.sim = sim);
    }

    /// True while a run is in flight.
    pub fn busy(self) -> bool {
        self.status.with(|s| s.state == RunState::Running) || self.stopping.get()
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

    /// Cancels the run in flight.
    ///
    /// The workload stops at once (requests aborted, arrivals dropped, no task started, a job in
    /// flight abandoned) and the status says so at once; the run then keeps what finished, and
    /// until it has, the page stays busy.
    pub fn cancel(self) {
        let Some(cancel) = self.cancel.get_value() else {
            return;
        };
        cancel.cancel();
        if self.status.with_untracked(|s| s.state == RunState::Running) {
            self.stopping.set(true);
            self.status.set(RunStatus::new(
                RunState::Cancelled,
                "Cancelled: keeping what finished…",
            ));
        }
    }

    /// Marks a run as started, unless one is in flight or the settings are invalid; returns
    /// its cancel handle. Progress is shown from `progress` at most once a frame.
    pub fn begin(self, text: String, total: u32, progress: &Progress) -> Option<Cancel> {
        let busy = self.status.with_untracked(|s| s.state == RunState::Running)
            || self.stopping.get_untracked();
        if busy || !self.config_errors.with_untracked(Vec::is_empty) {
            return None;
        }
        let cancel = Cancel::new();
        self.cancel.set_value(Some(cancel.clone()));
        self.running_with
            .set_value(Some(self.settings.get_untracked()));
        self.status.set(RunStatus::new(RunState::Running, text));
        self.kept.set(None);
        self.reopened.set(false);
        self.progress.set(Some(RunProgress {
            done: 0,
            total,
            elapsed_ms: 0.0,
        }));
        self.watch_progress(total, progress.clone());
        Some(cancel)
    }

    /// The kept runs that `keep` selects, as the page shows them.
    pub fn runs_where(self, keep: fn(&RunRecord) -> bool) -> Memo<Vec<RunRecord>> {
        Memo::new(move |_| {
            self.runs
                .with(|runs| runs.iter().filter(|r| keep(r)).cloned().collect())
        })
    }

    /// Says what a run would do, and that it waits for the visitor to start it.
    pub fn wait_for_click(self, text: String) {
        if self.status.with_untracked(|s| s.state != RunState::Running) {
            self.status.set(RunStatus::new(RunState::Idle, text));
        }
    }

    /// Says why a run cannot start (nothing runs; the page stays usable).
    pub fn refuse(self, text: String) {
        if self.status.with_untracked(|s| s.state != RunState::Running) {
            self.status.set(RunStatus::new(RunState::Error, text));
        }
    }

    /// Publishes progress every [`PROGRESS_EVERY_MS`] while the run is in flight: a timer, not
    /// a frame loop, so a run's bookkeeping wakes the main thread four times a second.
    fn watch_progress(self, total: u32, progress: Progress) {
        let started = clock::now_ms();
        spawn_local(async move {
            let mut shown = 0;
            while self.status.with_untracked(|s| s.state == RunState::Running) {
                let done = progress.done();
                if done != shown {
                    shown = done;
                    let elapsed_ms = clock::now_ms() - started;
                    self.progress.set(Some(RunProgress {
                        done,
                        total,
                        elapsed_ms,
                    }));
                }
                event_loop::sleep(PROGRESS_EVERY_MS).await;
            }
        });
    }

    /// Changes the words of the run in flight (a sweep's level, say).
    pub fn say(self, text: String) {
        self.status.update(|s| {
            if s.state == RunState::Running {
                s.text = text;
            }
        });
    }

    /// Ends the run in flight as `state` (cancelled or failed) with nothing kept.
    pub fn abandon(self, state: RunState, text: impl Into<String>) -> RunState {
        self.finish(RunStatus::new(state, text), Vec::new())
    }

    /// Ends the run in flight with `status`, keeping `records` for the export in place of the
    /// earlier runs of their kind (one experiment of each kind stands at a time).
    pub fn finish(self, status: RunStatus, records: Vec<RunRecord>) -> RunState {
        self.cancel.set_value(None);
        self.stopping.set(false);
        if !records.is_empty() {
            let ran_with = self
                .running_with
                .get_value()
                .unwrap_or_else(|| self.settings.get_untracked());
            self.ran_with.set_value(Some(ran_with.clone()));
            let count = records.len();
            self.runs.update(|runs| {
                runs.retain(|r| !records.iter().any(|n| n.kind == r.kind));
                runs.extend(records);
            });
            self.keep_in_history(ran_with, count, status.state == RunState::Cancelled);
        }
        let state = status.state;
        self.status.set(status);
        state
    }

    /// Ends the run in flight like [`LabState::finish`], but with `records` in place of every
    /// earlier run rather than those of their kinds: a wrong-tool case is read from its own
    /// sides only. With nothing to keep, the earlier runs stay.
    pub fn finish_alone(self, status: RunStatus, records: Vec<RunRecord>) -> RunState {
        if !records.is_empty() {
            self.runs.set(Vec::new());
        }
        self.finish(status, records)
    }

    /// Registers the canvas image kernels draw on (`None` when it leaves the page).
    pub fn show_tiles_on(self, canvas: Option<TileCanvas>) {
        self.tile_canvas.set_value(canvas);
    }

    /// The canvas image kernels draw on, if the page shows one.
    pub fn tile_canvas(self) -> Option<TileCanvas> {
        self.tile_canvas.get_value()
    }

    /// The settings the kept runs ran with (the settings in force before any run): what a view
    /// of those runs must read, whatever the form says since.
    pub fn ran_with(self) -> Settings {
        self.ran_with
            .get_value()
            .unwrap_or_else(|| self.settings.get_untracked())
    }

    /// Keeps the runs just finished (the last `count` of the runs) in the browser's history, in
    /// the background; the status bar says whether they were kept. Their copy is made in a task
    /// of its own: for a million spans it is tens of milliseconds, better not added to the task
    /// that draws them.
    fn keep_in_history(self, settings: Settings, count: usize, cancelled: bool) {
        spawn_local(async move {
            event_loop::in_next_task(|| ()).await;
            let records = self
                .runs
                .with_untracked(|runs| runs[runs.len().saturating_sub(count)..].to_vec());
            let kept = history::keep(self.export_of(settings, records), cancelled).await;
            self.kept.set(Some(kept));
        });
    }

    /// The current experiment's results, as the export button downloads them.
    pub fn export(self) -> Export {
        self.export_of(self.ran_with(), self.runs.get_untracked())
    }

    /// An export of `runs`, which ran with `settings` in this page's environment.
    fn export_of(self, settings: Settings, runs: Vec<RunRecord>) -> Export {
        let env = self.environment.get_untracked();
        let mut export = Export::new(
            settings,
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
            runs,
        );
        export.exported_at = js_sys::Date::new_0().to_iso_string().as_string();
        export.app_version = Some(env!("CARGO_PKG_VERSION").to_owned());
        export
    }
}

/// The lab a query names, even when its other settings are invalid.
fn lab_named_in(query: &str) -> Lab {
    config::query_pairs(query)
        .into_iter()
        .rev()
        .find(|(key, _)| key == "lab")
        .and_then(|(_, name)| Lab::from_name(&name))
        .unwrap_or_default()
}

impl Default for LabState {
    fn default() -> Self {
        Self::new()
    }
}
