//! The wrong tool, measured: each case runs the tempting version and the right one on the same
//! work, and a verdict computed from the two runs against a stated threshold.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::Thread;

use futures::channel::mpsc::unbounded;
use futures::future::join_all;
use futures::StreamExt;
use lab_core::config::{Target, WrongCase};
use lab_core::execute::Mode;
use lab_core::kernel::{Job, Kernel};
use lab_core::labs::wrong::verdict::{self, Verdict};
use lab_core::meter::MainThreadSummary;
use lab_core::params::Params;
use lab_core::schema::{Detail, Role, RunKind, RunRecord, WrongBlock};
use lab_core::span::{max_concurrent, Lane, Span, Spans};
use lab_core::stats;
use leptos::prelude::*;
use rayon::prelude::*;

use crate::experiments::cpu_job::{self, CpuError};
use crate::experiments::io_run::{self, IoPlan, Pattern};
use crate::experiments::{Cancel, Progress};
use crate::runtime::meter::meter;
use crate::runtime::{clock, fetch, pool, sim_server};
use crate::state::{Environment, LabState, RunState, RunStatus};

/// Requests in the I/O cases.
const REQUESTS: u32 = 12;
/// The simulated server's latency in the I/O cases.
const LATENCY_MS: u32 = 80;

/// A measured run of one side of a case.
struct Side {
    label: &'static str,
    kind: RunKind,
    spans: Spans,
    start_ms: f64,
    wall_ms: f64,
    items: Option<u64>,
}

/// Runs the configured case: the wrong way, then the right way, then the verdict.
pub async fn run(state: LabState) {
    let Some(case) = state
        .settings()
        .with_untracked(|s| s.wrong().map(|w| w.case))
    else {
        return;
    };
    let workers = state
        .environment()
        .with_untracked(Environment::pool_threads);
    if workers == 0 {
        state.refuse(
            "Each case compares against the worker pool, which is not available here (see above)."
                .into(),
        );
        return;
    }
    let progress = Progress::default();
    let Some(cancel) = state.begin(format!("{}: the wrong way", case.title()), 2, &progress) else {
        return;
    };
    if matches!(case, WrongCase::AwaitInLoop | WrongCase::BlockingIo) && !sim_server::in_control() {
        if let Err(message) = sim_server::ensure_control().await {
            state.abandon(RunState::Error, message);
            return;
        }
    }
    let wrong = match cancel
        .or_cancelled(wrong_side(case, workers, &cancel))
        .await
        .unwrap_or_else(|| Err(cut_short()))
    {
        Ok(side) => side,
        Err(status) => {
            state.finish(status, Vec::new());
            return;
        }
    };
    let wrong_main = meter().close_record(wrong.start_ms).await;
    progress.tick();
    state.say(format!("{}: the right way", case.title()));
    let wrong_record = record(case, Role::Wrong, wrong, wrong_main);
    let right = match cancel
        .or_cancelled(right_side(case, workers, &cancel))
        .await
        .unwrap_or_else(|| Err(cut_short()))
    {
        Ok(side) => side,
        Err(status) if status.state == RunState::Cancelled => {
            state.finish_alone(
                RunStatus::new(
                    RunState::Cancelled,
                    "Cancelled before the right way had run: the wrong way is kept and drawn, \
                     without a verdict (a case is judged from both sides).",
                ),
                vec![wrong_record],
            );
            return;
        }
        Err(status) => {
            state.finish(status, Vec::new());
            return;
        }
    };
    let right_main = meter().close_record(right.start_ms).await;
    progress.tick();
    let right_record = record(case, Role::Right, right, right_main);
    let verdict = judge(case, workers, &wrong_record, &right_record);
    let text = verdict.text.clone();
    let mut wrong_record = wrong_record;
    if let Some(block) = wrong_record.wrong_mut() {
        block.verdict = Some(verdict);
    }
    state.finish_alone(
        RunStatus::new(RunState::Done, format!("Done: {text}")),
        vec![wrong_record, right_record],
    );
}

fn judge(case: WrongCase, workers: u32, wrong: &RunRecord, right: &RunRecord) -> Verdict {
    match case {
        WrongCase::CpuOnMain => {
            verdict::cpu_on_main(wrong.summary.mean_in_flight, wrong.main_thread.blocks)
        }
        WrongCase::AwaitInLoop => {
            verdict::await_in_loop(wrong.summary.wall_ms, right.summary.wall_ms, REQUESTS)
        }
        WrongCase::BlockingIo => {
            let fetches: Vec<Span> = wrong
                .spans
                .iter()
                .filter(|s| matches!(s.lane, Lane::Io(_)))
                .cloned()
                .collect();
            verdict::blocking_io(
                max_concurrent(&fetches) as u32,
                workers,
                wrong.summary.wall_ms,
                right.summary.wall_ms,
            )
        }
        WrongCase::TinyTasks => verdict::tiny_tasks(
            wrong.summary.throughput_per_s,
            right.summary.throughput_per_s,
        ),
    }
}

fn cpu_job() -> Job {
    Job::new(Kernel::Sha256, 3000, 32).unwrap_or(Job {
        kernel: Kernel::Sha256,
        size: 3000,
        tasks: 32,
    })
}

fn stats_job(tasks: u32) -> Job {
    Job::new(Kernel::Stats, 400_000, tasks).unwrap_or(Job {
        kernel: Kernel::Stats,
        size: 400_000,
        tasks,
    })
}

fn sim_url(case: &str) -> String {
    format!(
        "io/req?run=wrong-{case}-{:.0}&latency_ms={LATENCY_MS}&payload_kb=1",
        clock::now_ms()
    )
}

async fn wrong_side(case: WrongCase, workers: u32, cancel: &Cancel) -> Result<Side, RunStatus> {
    match case {
        WrongCase::CpuOnMain => Ok(async_on_main(cpu_job()).await),
        WrongCase::AwaitInLoop => {
            Ok(io_side("one at a time", Pattern::Closed { c: 1 }, cancel).await)
        }
        WrongCase::BlockingIo => blocking_workers().await,
        WrongCase::TinyTasks => {
            cpu_side("65 536 tiny tasks", stats_job(65_536), workers, cancel).await
        }
    }
}

async fn right_side(case: WrongCase, workers: u32, cancel: &Cancel) -> Result<Side, RunStatus> {
    match case {
        WrongCase::CpuOnMain => cpu_side("on the worker pool", cpu_job(), workers, cancel).await,
        WrongCase::AwaitInLoop | WrongCase::BlockingIo => Ok(io_side(
            "all awaited together",
            Pattern::Closed { c: REQUESTS },
            cancel,
        )
        .await),
        WrongCase::TinyTasks => cpu_side("64 tasks", stats_job(64), workers, cancel).await,
    }
}

/// CPU work written as async functions and awaited together on the main thread: nothing in
/// them ever waits, so they run one after another, and the page is frozen meanwhile.
// snippet: async-on-main
async fn async_on_main(job: Job) -> Side {
    let start_ms = clock::now_ms();
    // snippet: async-on-main-shape
    let tasks = (0..job.tasks).map(|task| async move {
        let began = clock::now_ms();
        let _ = job.run_task(task);
        Span {
            id: task,
            lane: Lane::Main,
            start_ms: began - start_ms,
            end_ms: clock::now_ms() - start_ms,
            ok: true,
        }
    });
    let spans = join_all(tasks).await;
    // end snippet
    Side {
        label: "async fns awaited on the main thread",
        kind: RunKind::Cpu,
        spans: spans.into(),
        start_ms,
        wall_ms: clock::now_ms() - start_ms,
        items: Some(job.items()),
    }
}
// end snippet

async fn cpu_side(
    label: &'static str,
    job: Job,
    workers: u32,
    cancel: &Cancel,
) -> Result<Side, RunStatus> {
    match cpu_job::run(
        job,
        Mode::Rayon,
        workers,
        &Progress::default(),
        cancel,
        None,
    )
    .await
    {
        Ok(run) => Ok(Side {
            label,
            kind: RunKind::Cpu,
            spans: run.spans,
            start_ms: run.start_ms,
            wall_ms: run.wall_ms,
            items: Some(run.result.items),
        }),
        Err(CpuError::Cancelled) => Err(cut_short()),
        Err(error) => Err(RunStatus::new(RunState::Error, error.to_string())),
    }
}

/// A side cut short by Cancel. Cut short during the wrong way, a case keeps nothing: a part of
/// that side would say nothing; during the right way, it keeps the wrong way.
fn cut_short() -> RunStatus {
    RunStatus::new(
        RunState::Cancelled,
        "Cancelled before the wrong way had run; nothing was kept.",
    )
}

async fn io_side(label: &'static str, pattern: Pattern, cancel: &Cancel) -> Side {
    let plan = IoPlan {
        target: Target::Sim,
        url: sim_url(label),
        n: REQUESTS,
        pattern,
        timeout_ms: 30_000,
    };
    let run = io_run::run(&plan, &Progress::default(), cancel).await;
    Side {
        label,
        kind: RunKind::Io,
        spans: run.spans.into(),
        start_ms: run.start_ms,
        wall_ms: run.wall_ms,
        items: None,
    }
}

/// I/O done by blocking worker threads: each task asks the main thread to fetch and blocks
/// until the answer comes. Only as many requests can be in flight as there are workers to
/// block.
///
/// The worker parks until a flag is set, rather than blocking on a channel: the main thread
/// then only sets the flag and unparks it, which takes no lock. A channel's send may wait for
/// a lock the worker holds, and waiting is what the main thread of a browser cannot do.
async fn blocking_workers() -> Result<Side, RunStatus> {
    let start_ms = clock::now_ms();
    let (requests, mut incoming) = unbounded::<(u32, Answer)>();
    // One thread would take the requests one after another.
    let expected_ms = f64::from(REQUESTS * LATENCY_MS);
    // snippet: blocking-workers
    let job = pool::submit(expected_ms, move || {
        (0..REQUESTS)
            .into_par_iter()
            .map(|id| {
                let began = clock::now_ms();
                // snippet: blocking-workers-shape
                let answer = Answer::new();
                if requests.unbounded_send((id, answer.clone())).is_ok() {
                    // The worker thread does nothing until the main thread answers.
                    answer.wait();
                }
                // end snippet
                (
                    id,
                    rayon::current_thread_index().map_or(0, |i| i as u32),
                    began,
                    clock::now_ms(),
                )
            })
            .collect::<Vec<_>>()
    });
    // end snippet
    let url = sim_url("blocking");
    let fetches = RefCell::new(Vec::new());
    let busy: RefCell<Vec<bool>> = RefCell::new(Vec::new());
    let serve = async {
        let mut pending = futures::stream::FuturesUnordered::new();
        let mut served = 0;
        while served < REQUESTS {
            futures::select! {
                request = incoming.next() => {
                    let Some((id, answer)) = request else { break };
                    let url = format!("{url}&id={id}");
                    let (fetches, busy) = (&fetches, &busy);
                    pending.push(async move {
                        let slot = {
                            let mut busy = busy.borrow_mut();
                            let slot = busy.iter().position(|b| !b).unwrap_or(busy.len());
                            if slot == busy.len() { busy.push(true) } else { busy[slot] = true }
                            slot
                        };
                        let began = clock::now_ms();
                        let ok = fetch::get(&url, &web_sys::AbortSignal::timeout_with_u32(30_000)).await.is_ok_and(|a| a.ok());
                        fetches.borrow_mut().push(Span { id, lane: Lane::Io(slot as u32), start_ms: began - start_ms, end_ms: clock::now_ms() - start_ms, ok });
                        busy.borrow_mut()[slot] = false;
                        answer.give();
                    });
                }
                () = pending.select_next_some() => served += 1,
                complete => break,
            }
        }
    };
    serve.await;
    let blocked = job
        .await
        .map_err(|lost| RunStatus::new(RunState::Error, lost.to_string()))?;
    let mut spans = fetches.into_inner();
    spans.extend(blocked.into_iter().map(|(id, worker, began, ended)| Span {
        id,
        lane: Lane::Worker(worker),
        start_ms: began - start_ms,
        end_ms: ended - start_ms,
        ok: true,
    }));
    Ok(Side {
        label: "worker threads blocked on each fetch",
        kind: RunKind::Io,
        spans: spans.into(),
        start_ms,
        wall_ms: clock::now_ms() - start_ms,
        items: None,
    })
}

fn record(case: WrongCase, role: Role, side: Side, main_thread: MainThreadSummary) -> RunRecord {
    // The summary counts requests (fetch spans) or tasks; blocked-worker spans are drawn only.
    let counted: Vec<Span> = side
        .spans
        .iter()
        .filter(|s| side.kind == RunKind::Cpu || matches!(s.lane, Lane::Io(_)))
        .cloned()
        .collect();
    let mut summary = stats::summarize(&counted, side.wall_ms);
    if let Some(items) = side.items {
        summary.throughput_per_s = if side.wall_ms > 0.0 {
            items as f64 / (side.wall_ms / 1000.0)
        } else {
            0.0
        };
    }
    let mut record = RunRecord::new(
        side.kind,
        side.label.to_owned(),
        summary,
        main_thread,
        side.spans,
    );
    record.params = Params {
        case: Some(case),
        role: Some(role),
        ..Params::default()
    };
    record.detail = Some(Detail::Wrong(WrongBlock {
        case,
        role,
        verdict: None,
    }));
    record
}

/// The main thread's answer to a blocked worker: a flag and the thread to unpark.
#[derive(Clone)]
struct Answer {
    given: Arc<AtomicBool>,
    thread: Thread,
}

impl Answer {
    /// An answer for the calling (worker) thread to wait on.
    fn new() -> Answer {
        Answer {
            given: Arc::new(AtomicBool::new(false)),
            thread: std::thread::current(),
        }
    }

    /// Blocks the calling worker until [`Answer::give`].
    fn wait(&self) {
        while !self.given.load(Ordering::Acquire) {
            std::thread::park();
        }
    }

    /// Wakes the worker; takes no lock, so the main thread may call it.
    fn give(&self) {
        self.given.store(true, Ordering::Release);
        self.thread.unpark();
    }
}
