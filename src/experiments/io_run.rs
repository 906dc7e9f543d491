//! The I/O lab's workload: N GETs issued from the main thread and awaited on the event loop,
//! either in a closed loop (C slots, each issuing its next request when the last one ends) or
//! in an open loop (each request issued at its scheduled arrival, however many are in flight).
//!
//! A request's latency runs from its *intended* start: the moment its slot became free (closed
//! loop) or its scheduled arrival (open loop). A slow server or a late main thread therefore
//! cannot hide time from the numbers (no coordinated omission).

use std::cell::{Cell, RefCell};

use futures::future::join_all;
use js_sys::JsString;
use lab_core::config::Target;
use lab_core::resource_timing::{pair, Entry};
use lab_core::schema::{ErrorKind, RequestRecord};
use lab_core::span::{Lane, Span};

use super::{Cancel, Progress};
use crate::runtime::event_loop::Slices;
use crate::runtime::fetch::{self, FetchError};
use crate::runtime::time_limit::TimeLimits;
use crate::runtime::{clock, event_loop, microtask, pool, resource_timing};

/// One of the app's own static files, for runs that measure the network stack without a
/// simulated wait.
pub const STATIC_FILE: &str = "static/payload-16k.txt";

/// How requests are issued.
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    /// C requests in flight; each slot issues its next request when the last one ends.
    Closed {
        /// Slots.
        c: u32,
    },
    /// Each request at its scheduled arrival (ms after the start).
    Open {
        /// Arrival times, one per request.
        schedule: Vec<f64>,
    },
}

/// Everything one run needs.
#[derive(Clone, Debug)]
pub struct IoPlan {
    /// What answers.
    pub target: Target,
    /// The address: for the simulated server, `io/req?run=..&<its parameters>` without the id.
    pub url: String,
    /// Requests to issue.
    pub n: u32,
    /// Closed or open loop.
    pub pattern: Pattern,
    /// Each request's time limit.
    pub timeout_ms: u32,
}

impl IoPlan {
    /// Where each request goes, and whether its number follows the address
    /// ([`fetch::get_from`]): the simulated server's wants it; other addresses are fetched as
    /// they are.
    fn address(&self) -> (JsString, bool) {
        match self.target {
            Target::Sim => (format!("{}&id=", self.url).into(), true),
            Target::Static | Target::Url => (self.url.as_str().into(), false),
        }
    }
}

/// What one run measured.
#[derive(Clone, Debug)]
pub struct IoRun {
    /// One record per request, in id order; times relative to `start_ms`.
    pub requests: Vec<RequestRecord>,
    /// One span per request (intended start to body done) on lane `io-<slot>`.
    pub spans: Vec<Span>,
    /// Submission time on the shared clock.
    pub start_ms: f64,
    /// From submission to the last body.
    pub wall_ms: f64,
    /// The browser's own words for each distinct network failure.
    pub network_errors: Vec<String>,
}

/// Runs `plan`, returning once every request has finished, failed or been cancelled.
///
/// The loop is polled from microtasks ([`microtask::on_microtasks`]): each response's handling
/// and the next request go out in the task that delivered the response, as a JavaScript client's
/// `await` would, rather than one task later.
pub async fn run(plan: &IoPlan, progress: &Progress, cancel: &Cancel) -> IoRun {
    let (plan, progress, cancel) = (plan.clone(), progress.clone(), cancel.clone());
    microtask::on_microtasks(async move { measure(&plan, &progress, &cancel).await }).await
}

async fn measure(plan: &IoPlan, progress: &Progress, cancel: &Cancel) -> IoRun {
    let seen = resource_timing::Recording::start();
    let start_ms = clock::now_ms();
    let messages = RefCell::new(Vec::new());
    let (address, numbered) = plan.address();
    let context = Context {
        plan,
        address,
        numbered,
        start_ms,
        progress,
        cancel,
        limits: TimeLimits::new(plan.timeout_ms, cancel.signal()),
        messages: &messages,
    };
    let mut requests = match &plan.pattern {
        Pattern::Closed { c } => closed_loop(&context, *c).await,
        Pattern::Open { schedule } => open_loop(&context, schedule).await,
    };
    let wall_ms = clock::now_ms() - start_ms;
    if cancel.is_cancelled() {
        // The requests the cancel aborted never finished: only what finished is kept.
        requests.retain(|r| r.error != Some(ErrorKind::Aborted));
    }
    // What the browser saw is copied here, in slices; putting the requests in order, pairing
    // them with it and making their spans is done on the pool, where the page has one: for a
    // flood of 100,000 requests that is a long task the main thread need not take.
    let finishing = Finishing {
        target: plan.target,
        base: resource_timing::absolute(&plan.url),
        start_ms,
        requests,
        entries: seen.entries().await,
    };
    // About 2 µs a request on one thread, for the job's watchdog.
    let single_thread_ms = finishing.requests.len() as f64 * 2e-3;
    let (requests, spans) = pool::or_here(single_thread_ms, finishing, Finishing::finish).await;
    IoRun {
        requests,
        spans,
        start_ms,
        wall_ms,
        network_errors: messages.into_inner(),
    }
}

/// A run's requests as they finished, and the browser's Resource Timing entries.
#[derive(Clone)]
struct Finishing {
    target: Target,
    /// The run's address, absolute, as the browser names its entries.
    base: String,
    start_ms: f64,
    requests: Vec<RequestRecord>,
    entries: Vec<Entry>,
}

impl Finishing {
    /// The requests in id order, each with the browser's timing, and their spans.
    fn finish(self) -> (Vec<RequestRecord>, Vec<Span>) {
        let mut requests = in_id_order(self.requests);
        let keys: Vec<(String, f64)> = requests
            .iter()
            .map(|r| {
                let url = match self.target {
                    Target::Sim => format!("{}&id={}", self.base, r.id),
                    Target::Static | Target::Url => self.base.clone(),
                };
                (url, self.start_ms + r.start_ms)
            })
            .collect();
        let timings = pair(&keys, &self.entries, self.start_ms);
        for (request, timing) in requests.iter_mut().zip(timings) {
            request.browser = timing;
        }
        let spans = requests
            .iter()
            .map(|r| Span {
                id: r.id,
                lane: Lane::Io(r.slot),
                start_ms: r.intended_ms,
                end_ms: r.end_ms,
                ok: r.error.is_none(),
            })
            .collect();
        (requests, spans)
    }
}

/// `requests` (each id once) in order of id: each put in its place, where a sort of a hundred
/// thousand records would move them about many times.
fn in_id_order(requests: Vec<RequestRecord>) -> Vec<RequestRecord> {
    let places = requests
        .iter()
        .map(|r| r.id as usize + 1)
        .max()
        .unwrap_or(0);
    let mut placed: Vec<Option<RequestRecord>> = Vec::new();
    placed.resize_with(places, || None);
    for request in requests {
        let place = request.id as usize;
        placed[place] = Some(request);
    }
    placed.into_iter().flatten().collect()
}

struct Context<'a> {
    plan: &'a IoPlan,
    address: JsString,
    numbered: bool,
    start_ms: f64,
    progress: &'a Progress,
    cancel: &'a Cancel,
    limits: TimeLimits,
    messages: &'a RefCell<Vec<String>>,
}

// One list for all the slots, made once: gathering each slot's own at the end copied the whole
// run in one task (15 ms for 100,000 requests). A record is pushed after its request's await,
// never while holding the list across one.
// snippet: closed-loop
async fn closed_loop(context: &Context<'_>, c: u32) -> Vec<RequestRecord> {
    let next = Cell::new(0);
    let opening = Slices::new(OPENING_SLICE_MS);
    let done = RefCell::new(Vec::with_capacity(context.plan.n as usize));
    let slots = (0..c.min(context.plan.n)).map(|slot| {
        let (next, opening, done) = (&next, &opening, &done);
        async move {
            opening.turn().await;
            while next.get() < context.plan.n && !context.cancel.is_cancelled() {
                let id = next.get();
                next.set(id + 1);
                let record = one(context, id, slot, clock::now_ms()).await;
                done.borrow_mut().push(record);
            }
        }
    });
    join_all(slots).await;
    done.into_inner()
}
// end snippet

/// Issuing a request costs the main thread more than it seems: 256 `fetch` calls in a row took
/// 160 to 250 ms in Chromium on a 2-core machine, whoever made them. So a closed loop opens its
/// slots in slices of at most [`OPENING_SLICE_MS`], each in a task of its own, and the page
/// draws and answers input in between. A slot's first request starts when it is issued, so the
/// opening adds no latency to any request.
const OPENING_SLICE_MS: f64 = 8.0;

// snippet: open-loop
async fn open_loop(context: &Context<'_>, schedule: &[f64]) -> Vec<RequestRecord> {
    let busy: RefCell<Vec<bool>> = RefCell::new(Vec::new());
    let requests = (0..context.plan.n).zip(schedule).map(|(id, &offset)| {
        let busy = &busy;
        async move {
            let intended = context.start_ms + offset;
            // A cancel drops the arrivals still waiting for their time.
            let wait = event_loop::sleep(intended - clock::now_ms());
            context.cancel.or_cancelled(wait).await?;
            let slot = take_slot(&mut busy.borrow_mut());
            let record = one(context, id, slot, intended).await;
            if let Some(flag) = busy.borrow_mut().get_mut(slot as usize) {
                *flag = false;
            }
            Some(record)
        }
    });
    join_all(requests).await.into_iter().flatten().collect()
}
// end snippet

/// The lowest free lane, so the timeline stays as compact as the concurrency allows.
fn take_slot(busy: &mut Vec<bool>) -> u32 {
    let slot = busy.iter().position(|b| !b).unwrap_or(busy.len());
    if slot == busy.len() {
        busy.push(true);
    } else {
        busy[slot] = true;
    }
    slot as u32
}

async fn one(context: &Context<'_>, id: u32, slot: u32, intended_abs: f64) -> RequestRecord {
    let plan = context.plan;
    let signal = context.limits.signal();
    let start_abs = clock::now_ms();
    let result = fetch::get_from(&context.address, context.numbered.then_some(id), &signal).await;
    let resumed_abs = clock::now_ms();
    context.progress.tick();
    // A response ends when its body reached the page's code; a failure, when the code heard of it.
    let end_abs = result
        .as_ref()
        .map_or(resumed_abs, |answer| answer.body_at_ms);
    let at = |t: f64| t - context.start_ms;
    let mut record = RequestRecord {
        id,
        slot,
        intended_ms: at(intended_abs),
        start_ms: at(start_abs),
        headers_ms: None,
        end_ms: at(end_abs),
        resumed_ms: Some(at(resumed_abs)),
        status: None,
        error: None,
        queue_ms: None,
        service_ms: None,
        browser: None,
    };
    match result {
        Ok(answer) => {
            record.headers_ms = Some(at(answer.headers_at_ms));
            record.status = Some(answer.status);
            if let Some(simulated) = answer.simulated {
                record.queue_ms = simulated.queue_ms;
                record.service_ms = simulated.service_ms;
            }
            record.error = if plan.target == Target::Sim && answer.simulated.is_none() {
                Some(ErrorKind::NotSimulated)
            } else if answer.simulated.is_some_and(|s| s.injected) {
                Some(ErrorKind::Injected)
            } else if !answer.ok() {
                Some(ErrorKind::Http)
            } else {
                None
            };
        }
        Err(FetchError::Aborted) => record.error = Some(ErrorKind::Aborted),
        Err(FetchError::Timeout) => record.error = Some(ErrorKind::Timeout),
        Err(FetchError::Network(message)) => {
            let mut messages = context.messages.borrow_mut();
            if !messages.contains(&message) {
                messages.push(message);
            }
            record.error = Some(ErrorKind::Network);
        }
    }
    record
}
