//! The hybrid pipeline: fetch N items from the simulated server with C requests in flight,
//! then process each body on the worker pool. Three ways to combine the two:
//!
//! - sequential: fetch one, process one, then the next;
//! - phased: fetch everything concurrently, then process everything in parallel;
//! - pipelined: each item goes to the pool as soon as it arrives, while other fetches are
//!   still in flight.

use std::cell::{Cell, RefCell};

use futures::future::join_all;
use futures::stream::{FuturesUnordered, StreamExt};
use lab_core::config::Strategy;
use lab_core::kernel::Job;
use lab_core::span::{Lane, Span};
use rayon::prelude::*;

use super::{Cancel, Progress};
use crate::runtime::time_limit::TimeLimits;
use crate::runtime::{clock, fetch, pool};

/// Everything one pipeline run needs.
#[derive(Clone, Debug)]
pub struct HybridPlan {
    /// Items to fetch and process.
    pub n: u32,
    /// Fetches in flight (phased and pipelined).
    pub c: u32,
    /// The simulated server's address without the request id.
    pub url: String,
    /// The work on one item (a one-task job).
    pub job: Job,
    /// Each fetch's time limit.
    pub timeout_ms: u32,
}

/// What one pipeline run measured.
#[derive(Clone, Debug)]
pub struct HybridRun {
    /// Fetches on `io-<slot>` lanes and processing on `worker-<n>` lanes, relative to `start_ms`.
    pub spans: Vec<Span>,
    /// Per item: from the start of its fetch to the end of its processing.
    pub items: Vec<Span>,
    /// Submission time on the shared clock.
    pub start_ms: f64,
    /// From submission to the last item processed.
    pub wall_ms: f64,
    /// Order-independent checksum of every processed item.
    pub checksum: u64,
    /// Items whose fetch failed: drawn as failed spans, counted as errors, not processed.
    pub failed: u32,
    /// Why, in words: each distinct reason once.
    pub failures: Vec<String>,
}

/// Why a pipeline run gave no result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HybridError {
    /// A worker died.
    PoolLost,
    /// A kernel refused its input.
    Kernel(String),
    /// Cancelled.
    Cancelled,
}

impl std::fmt::Display for HybridError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PoolLost => pool::PoolLost.fmt(f),
            Self::Kernel(message) => write!(f, "the kernel failed: {message}"),
            Self::Cancelled => f.write_str("cancelled"),
        }
    }
}

/// A fetched item, or one whose fetch failed (`failure` says why; it has no body and is not
/// processed).
struct Fetched {
    id: u32,
    slot: u32,
    began: f64,
    ended: f64,
    body: Vec<u8>,
    failure: Option<String>,
}

/// A processed item, timed on its worker.
struct Processed {
    id: u32,
    worker: u32,
    began: f64,
    ended: f64,
    checksum: u64,
}

/// Runs the pipeline with `strategy` (`All` is not a strategy to run).
///
/// Awaited as an ordinary task, not polled from microtasks as the I/O loops are
/// ([`crate::runtime::microtask`]): measured here with 300 items, 32 fetches in flight, 20 ms of
/// latency and almost no work per item, the pipelined run took 790 to 880 ms polled from
/// microtasks against 570 to 710 ms as a task (4 runs each, alternated; why is not measured,
/// perhaps because a task handles several responses and pool answers in one poll).
pub async fn run(
    plan: &HybridPlan,
    strategy: Strategy,
    progress: &Progress,
    cancel: &Cancel,
) -> Result<HybridRun, HybridError> {
    let start_ms = clock::now_ms();
    let fetching = Fetching {
        plan,
        cancel,
        limits: TimeLimits::new(plan.timeout_ms, cancel.signal()),
    };
    let (fetched, processed) = match strategy {
        Strategy::Sequential => sequential(&fetching, progress).await?,
        Strategy::Phased => phased(&fetching, progress).await?,
        Strategy::Pipelined | Strategy::All => pipelined(&fetching, progress).await?,
    };
    let wall_ms = clock::now_ms() - start_ms;
    let at = |t: f64| t - start_ms;
    let mut spans: Vec<Span> = fetched
        .iter()
        .map(|f| Span {
            id: f.id,
            lane: Lane::Io(f.slot),
            start_ms: at(f.began),
            end_ms: at(f.ended),
            ok: f.failure.is_none(),
        })
        .collect();
    spans.extend(processed.iter().map(|p| Span {
        id: p.id,
        lane: Lane::Worker(p.worker),
        start_ms: at(p.began),
        end_ms: at(p.ended),
        ok: true,
    }));
    let items = fetched
        .iter()
        .filter_map(|f| {
            // A failed item ends when its fetch failed.
            let ended = match &f.failure {
                Some(_) => f.ended,
                None => processed.iter().find(|p| p.id == f.id)?.ended,
            };
            Some(Span {
                id: f.id,
                lane: Lane::Io(f.slot),
                start_ms: at(f.began),
                end_ms: at(ended),
                ok: f.failure.is_none(),
            })
        })
        .collect();
    let mut failures: Vec<String> = fetched.iter().filter_map(|f| f.failure.clone()).collect();
    let failed = failures.len() as u32;
    failures.sort();
    failures.dedup();
    let checksum =
        lab_core::kernel::combine_checksums(processed.iter().map(|p| (p.id, p.checksum)));
    Ok(HybridRun {
        spans,
        items,
        start_ms,
        wall_ms,
        checksum,
        failed,
        failures,
    })
}

/// What every fetch of a run shares.
struct Fetching<'a> {
    plan: &'a HybridPlan,
    cancel: &'a Cancel,
    limits: TimeLimits,
}

/// Fetches item `id`. A failed fetch is a [`Fetched`] with its `failure`: the run goes on
/// without it. Only a cancel is an error.
async fn fetch_one(fetching: &Fetching<'_>, id: u32, slot: u32) -> Result<Fetched, HybridError> {
    if fetching.cancel.is_cancelled() {
        return Err(HybridError::Cancelled);
    }
    let began = clock::now_ms();
    let answer = fetch::get_body(
        &format!("{}&id={id}", fetching.plan.url),
        &fetching.limits.signal(),
    )
    .await;
    let (body, failure) = match answer {
        Err(fetch::FetchError::Aborted) => return Err(HybridError::Cancelled),
        Err(other) => (Vec::new(), Some(other.to_string())),
        Ok(answer) if answer.simulated.is_none() => (
            Vec::new(),
            Some(format!(
                "HTTP {} without the simulated server's mark",
                answer.status
            )),
        ),
        Ok(answer) if !answer.ok() => (Vec::new(), Some(format!("HTTP {}", answer.status))),
        Ok(answer) => (answer.body.unwrap_or_default(), None),
    };
    Ok(Fetched {
        id,
        slot,
        began,
        ended: clock::now_ms(),
        body,
        failure,
    })
}

impl Fetched {
    /// The item without its body, and the body.
    fn split(self) -> (Fetched, Vec<u8>) {
        let body = self.body;
        let copy = Fetched {
            body: Vec::new(),
            ..self
        };
        (copy, body)
    }

    /// A copy of the item with `body`.
    fn with(&self, body: Vec<u8>) -> Fetched {
        Fetched {
            body,
            failure: self.failure.clone(),
            ..*self
        }
    }
}

/// Processes one item on the calling thread (a worker).
fn process(job: Job, id: u32, body: &[u8]) -> Result<Processed, HybridError> {
    let began = clock::now_ms();
    let result = job
        .run_task(0)
        .map_err(|e| HybridError::Kernel(e.to_string()))?;
    // The body takes part, so each item's result depends on what was fetched.
    let body_hash = body.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    Ok(Processed {
        id,
        worker: rayon::current_thread_index().map_or(0, |i| i as u32),
        began,
        ended: clock::now_ms(),
        checksum: result.checksum ^ body_hash,
    })
}

/// Hands `item` to the pool at once; the future resolves when it has been processed.
fn on_pool(
    job: Job,
    item: Fetched,
    progress: &Progress,
) -> impl std::future::Future<Output = Result<Processed, HybridError>> {
    let submitted = pool::submit(job.single_thread_ms(), move || {
        process(job, item.id, &item.body)
    });
    let progress = progress.clone();
    async move {
        let processed = submitted.await.map_err(|_| HybridError::PoolLost)??;
        progress.tick();
        Ok(processed)
    }
}

type Outcome = Result<(Vec<Fetched>, Vec<Processed>), HybridError>;

async fn sequential(fetching: &Fetching<'_>, progress: &Progress) -> Outcome {
    let plan = fetching.plan;
    let mut fetched = Vec::new();
    let mut processed = Vec::new();
    for id in 0..plan.n {
        let item = fetch_one(fetching, id, 0).await?;
        progress.tick();
        let (copy, body) = item.split();
        if copy.failure.is_none() {
            processed.push(on_pool(plan.job, copy.with(body), progress).await?);
        } else {
            // Nothing to process: its processing step counts as done.
            progress.tick();
        }
        fetched.push(copy);
    }
    Ok((fetched, processed))
}

/// `c` slots fetching in a closed loop; `then` gets each item as it arrives.
async fn fetch_all<F: std::future::Future<Output = ()>>(
    fetching: &Fetching<'_>,
    progress: &Progress,
    then: impl Fn(Fetched) -> F,
) -> Result<Vec<Fetched>, HybridError> {
    let plan = fetching.plan;
    let next = Cell::new(0);
    let done = RefCell::new(Vec::new());
    let slots = (0..plan.c.min(plan.n)).map(|slot| {
        let (next, done, then) = (&next, &done, &then);
        async move {
            loop {
                let id = next.get();
                if id >= plan.n {
                    return Ok::<(), HybridError>(());
                }
                next.set(id + 1);
                let item = fetch_one(fetching, id, slot).await?;
                progress.tick();
                let (copy, body) = item.split();
                if copy.failure.is_none() {
                    then(copy.with(body)).await;
                } else {
                    // Nothing to process: its processing step counts as done.
                    progress.tick();
                }
                done.borrow_mut().push(copy);
            }
        }
    });
    for result in join_all(slots).await {
        result?;
    }
    Ok(done.into_inner())
}

async fn phased(fetching: &Fetching<'_>, progress: &Progress) -> Outcome {
    let bodies = RefCell::new(Vec::new());
    let fetched = fetch_all(fetching, progress, |item| {
        bodies.borrow_mut().push((item.id, item.body));
        async {}
    })
    .await?;
    let job = fetching.plan.job;
    let bodies = bodies.into_inner();
    let count = bodies.len() as u32;
    let expected_ms = job.single_thread_ms() * f64::from(count);
    let processed = pool::run(expected_ms, move || {
        bodies
            .par_iter()
            .map(|(id, body)| process(job, *id, body))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|_| HybridError::PoolLost)?
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    for _ in 0..count {
        progress.tick();
    }
    Ok((fetched, processed))
}

// snippet: pipelined
async fn pipelined(fetching: &Fetching<'_>, progress: &Progress) -> Outcome {
    let in_pool = RefCell::new(FuturesUnordered::new());
    let fetched = fetch_all(fetching, progress, |item| {
        // Handed to the pool at once; the slot goes on fetching without waiting for it.
        in_pool
            .borrow_mut()
            .push(on_pool(fetching.plan.job, item, progress));
        async {}
    })
    .await?;
    let mut processing = in_pool.into_inner();
    let mut processed = Vec::new();
    while let Some(result) = processing.next().await {
        processed.push(result?);
    }
    Ok((fetched, processed))
}
// end snippet
