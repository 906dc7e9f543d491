//! The I/O lab's results block: how the run issued its requests, every request with its
//! timings, Little's law checked against the run, where the latency went, and the simulated
//! server's own account.

use serde::{Deserialize, Serialize};

use super::queueing::Prediction;
use crate::config::Target;
use crate::models::little_in_flight;
use crate::resource_timing::{BrowserTiming, Ceiling, ResumeDelay};
use crate::stats::Summary;

/// How an I/O run issued its requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoopKind {
    /// A fixed number in flight: each reply lets the next request go.
    Closed,
    /// Requests leave on a schedule, whether or not earlier ones have answered.
    Open,
}

/// Everything an I/O lab run recorded beyond its spans.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IoBlock {
    /// What the requests went to.
    pub target: Target,
    /// The address requested.
    pub url: String,
    /// Closed or open loop.
    pub loop_kind: LoopKind,
    /// Requests in flight of a closed loop.
    pub concurrency: Option<u32>,
    /// Arrivals per second of an open loop.
    pub rate_per_s: Option<f64>,
    /// Every request, by id.
    pub requests: Vec<RequestRecord>,
    /// Little's law checked against the run.
    pub little: Option<LittleLaw>,
    /// Where the mean latency went.
    pub split_ms: Option<LatencySplit>,
    /// What the queueing model predicts for this level.
    pub model: Option<Prediction>,
    /// The simulated server's own account.
    pub server: Option<ServerStats>,
    /// How long finished responses waited for the awaiting code, against Resource Timing.
    #[serde(default)]
    pub resume_delay: Option<ResumeDelay>,
    /// The simulated server's ceiling on this page, and whether the run came near it.
    #[serde(default)]
    pub ceiling: Option<Ceiling>,
}

/// One request, with times in ms since the run started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestRecord {
    /// The request number within the run.
    pub id: u32,
    /// The closed-loop slot (or open-loop lane) it ran on.
    pub slot: u32,
    /// When it was meant to leave (its schedule time in an open loop).
    pub intended_ms: f64,
    /// When `fetch` was called.
    pub start_ms: f64,
    /// When the response headers arrived.
    pub headers_ms: Option<f64>,
    /// When the body reached the page's code, or the request failed.
    pub end_ms: f64,
    /// When the Rust code awaiting it resumed (after the executor's wake, a task of its own).
    #[serde(default)]
    pub resumed_ms: Option<f64>,
    /// The HTTP status, when a response came.
    pub status: Option<u16>,
    /// Why it failed; `None` when it succeeded.
    pub error: Option<ErrorKind>,
    /// Time the simulated server kept it waiting for a server, as the server reported.
    pub queue_ms: Option<f64>,
    /// Time the simulated server spent serving it, as the server reported.
    pub service_ms: Option<f64>,
    /// The browser's own times for it (Resource Timing), when it has an entry.
    #[serde(default)]
    pub browser: Option<BrowserTiming>,
}

impl RequestRecord {
    /// Latency from the intended start to the end, so time lost waiting to leave counts; never negative.
    pub fn latency_ms(&self) -> f64 {
        (self.end_ms - self.intended_ms).max(0.0)
    }
}

/// Why a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// `fetch` rejected.
    Network,
    /// No answer within the timeout.
    Timeout,
    /// An answer with an error status.
    Http,
    /// The answer did not come from the simulated server.
    NotSimulated,
    /// The simulated server failed it on purpose.
    Injected,
    /// Cancelled before it finished.
    Aborted,
}

impl ErrorKind {
    /// One plain sentence saying what went wrong.
    pub fn explain(self) -> &'static str {
        match self {
            ErrorKind::Network => {
                "the browser refused or the network failed: offline, DNS, or a CORS refusal \
                 (the browser does not say which)"
            }
            ErrorKind::Timeout => "no answer came within timeout_ms, so the page gave up on it",
            ErrorKind::Http => "the server answered with an error status (4xx or 5xx)",
            ErrorKind::NotSimulated => {
                "the answer did not come from the simulated server (no x-lab-sim header): \
                 the service worker was not in control"
            }
            ErrorKind::Injected => "the simulated server failed it on purpose (error_rate)",
            ErrorKind::Aborted => {
                "the request was cancelled before it finished (the run was stopped)"
            }
        }
    }
}

/// What Little's law's prediction L = λ·W is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LittleReference {
    /// The requests in flight the closed loop was set to keep.
    ConfiguredConcurrency,
    /// The simulated server's own time-averaged count of requests inside it.
    ServerOccupancy,
}

/// Little's law checked against a run: throughput × mean latency next to a known number in flight.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LittleLaw {
    /// Completions per second.
    pub throughput_per_s: f64,
    /// Mean latency, in ms.
    pub mean_latency_ms: f64,
    /// Throughput × mean latency.
    pub predicted_in_flight: f64,
    /// The number in flight it is compared with.
    pub reference: f64,
    /// Where the reference comes from.
    pub reference_kind: LittleReference,
    /// `|predicted − reference| / reference`.
    pub relative_error: f64,
}

impl LittleLaw {
    /// Throughput × mean latency of a closed-loop summary against its configured concurrency.
    ///
    /// `None` without latency, with zero concurrency, or when a number is not finite.
    pub fn closed_loop(summary: &Summary, concurrency: u32) -> Option<LittleLaw> {
        let latency = summary.latency_ms?;
        LittleLaw::new(
            summary.throughput_per_s,
            latency.mean,
            f64::from(concurrency),
            LittleReference::ConfiguredConcurrency,
        )
    }

    /// Arrival rate × mean time in the server (queue + service) against the server's occupancy.
    ///
    /// `None` when the occupancy is not positive or a number is not finite.
    pub fn server(
        throughput_per_s: f64,
        mean_time_in_server_ms: f64,
        measured_occupancy: f64,
    ) -> Option<LittleLaw> {
        LittleLaw::new(
            throughput_per_s,
            mean_time_in_server_ms,
            measured_occupancy,
            LittleReference::ServerOccupancy,
        )
    }

    fn new(
        throughput_per_s: f64,
        mean_latency_ms: f64,
        reference: f64,
        reference_kind: LittleReference,
    ) -> Option<LittleLaw> {
        let predicted_in_flight = little_in_flight(throughput_per_s, mean_latency_ms);
        let valid = predicted_in_flight.is_finite() && reference.is_finite() && reference > 0.0;
        valid.then(|| LittleLaw {
            throughput_per_s,
            mean_latency_ms,
            predicted_in_flight,
            reference,
            reference_kind,
            relative_error: (predicted_in_flight - reference).abs() / reference,
        })
    }
}

/// Where the mean latency of successful simulated requests went, in ms.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencySplit {
    /// Mean wait for a server.
    pub queue_ms: f64,
    /// Mean service.
    pub service_ms: f64,
    /// Mean of the rest (browser, service worker, event loop), never below 0.
    pub overhead_ms: f64,
}

/// Splits the latency of the successful requests that carry queue and service times.
///
/// The overhead is the mean of latency − queue − service, clamped at 0 only as a mean, so
/// clock noise in single requests averages out. `None` when no request qualifies.
pub fn split(requests: &[RequestRecord]) -> Option<LatencySplit> {
    let parts: Vec<(f64, f64, f64)> = requests
        .iter()
        .filter(|request| request.error.is_none())
        .filter_map(|request| {
            let (queue, service) = (request.queue_ms?, request.service_ms?);
            let latency = request.latency_ms();
            [queue, service, latency]
                .iter()
                .all(|x| x.is_finite())
                .then_some((queue, service, latency - queue - service))
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    let n = parts.len() as f64;
    let mean = |pick: fn(&(f64, f64, f64)) -> f64| parts.iter().map(pick).sum::<f64>() / n;
    Some(LatencySplit {
        queue_ms: mean(|p| p.0),
        service_ms: mean(|p| p.1),
        overhead_ms: mean(|p| p.2).max(0.0),
    })
}

/// The simulated server's own account of a run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerStats {
    /// Time-averaged requests inside the server (queued or in service).
    pub mean_occupancy: f64,
    /// The window the average covers, in ms.
    pub window_ms: f64,
    /// Requests the server answered.
    pub served: u32,
}

/// A request of a test: sent 10 ms apart, each taking 60 ms (20 queued, 35 served).
#[cfg(test)]
pub(crate) fn sample_request(id: u32, error: Option<ErrorKind>) -> RequestRecord {
    RequestRecord {
        id,
        slot: id % 2,
        intended_ms: 10.0 * f64::from(id),
        start_ms: 10.0 * f64::from(id) + 1.0,
        headers_ms: Some(10.0 * f64::from(id) + 40.0),
        end_ms: 10.0 * f64::from(id) + 60.0,
        resumed_ms: Some(10.0 * f64::from(id) + 61.0),
        status: error.is_none().then_some(200),
        error,
        queue_ms: Some(20.0),
        service_ms: Some(35.0),
        browser: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{Lane, Span};
    use crate::stats::summarize;

    #[test]
    fn error_kinds_serialise_and_explain() {
        let all = [
            (ErrorKind::Network, "network"),
            (ErrorKind::Timeout, "timeout"),
            (ErrorKind::Http, "http"),
            (ErrorKind::NotSimulated, "not_simulated"),
            (ErrorKind::Injected, "injected"),
            (ErrorKind::Aborted, "aborted"),
        ];
        for (kind, name) in all {
            assert_eq!(serde_json::to_value(kind).unwrap(), name);
            assert!(!kind.explain().is_empty());
        }
        assert_eq!(
            ErrorKind::Injected.explain(),
            "the simulated server failed it on purpose (error_rate)"
        );
        assert!(ErrorKind::Network.explain().contains("CORS"));
        assert!(ErrorKind::NotSimulated.explain().contains("x-lab-sim"));
        assert_eq!(serde_json::to_value(LoopKind::Open).unwrap(), "open");
        assert_eq!(
            serde_json::to_value(LittleReference::ServerOccupancy).unwrap(),
            "server_occupancy"
        );
    }

    #[test]
    fn latency_counts_from_the_intended_start() {
        let mut late = sample_request(3, None);
        assert_eq!(late.latency_ms(), 60.0);
        late.end_ms = 0.0;
        assert_eq!(late.latency_ms(), 0.0);
    }

    #[test]
    fn little_law_constructors() {
        // 40 per s × 30 ms = 1.2 in flight against 2 configured.
        let span = |id, lane, start_ms, end_ms| Span {
            id,
            lane,
            start_ms,
            end_ms,
            ok: true,
        };
        let spans = [
            span(0, Lane::Worker(1), 0.0, 40.0),
            span(1, Lane::Worker(2), 10.0, 30.0),
        ];
        let summary = summarize(&spans, 50.0);
        let little = LittleLaw::closed_loop(&summary, 2).unwrap();
        assert_eq!(little.throughput_per_s, 40.0);
        assert_eq!(little.mean_latency_ms, 30.0);
        assert!((little.predicted_in_flight - 1.2).abs() < 1e-12);
        assert!((little.relative_error - 0.4).abs() < 1e-12);
        assert_eq!(
            little.reference_kind,
            LittleReference::ConfiguredConcurrency
        );
        assert_eq!(LittleLaw::closed_loop(&summary, 0), None);
        let mut empty = summary;
        empty.latency_ms = None;
        assert_eq!(LittleLaw::closed_loop(&empty, 2), None);

        let server = LittleLaw::server(20.0, 100.0, 2.5).unwrap();
        assert_eq!(server.predicted_in_flight, 2.0);
        assert_eq!(server.reference, 2.5);
        assert_eq!(server.relative_error, 0.2);
        assert_eq!(server.reference_kind, LittleReference::ServerOccupancy);
        assert_eq!(LittleLaw::server(20.0, 100.0, 0.0), None);
        assert_eq!(LittleLaw::server(f64::NAN, 100.0, 1.0), None);
        assert_eq!(LittleLaw::server(20.0, 100.0, f64::INFINITY), None);
    }

    #[test]
    fn split_averages_the_qualifying_requests() {
        let mut fast = sample_request(0, None);
        // Latency 40 with queue 20 + service 35: a -15 overhead, averaged with +5 from the other.
        fast.end_ms = 40.0;
        let mut unsimulated = sample_request(2, None);
        unsimulated.queue_ms = None;
        let requests = [
            fast,
            sample_request(1, None),
            unsimulated,
            sample_request(3, Some(ErrorKind::Http)),
        ];
        assert_eq!(
            split(&requests),
            Some(LatencySplit {
                queue_ms: 20.0,
                service_ms: 35.0,
                overhead_ms: 0.0
            })
        );
        let mut one = sample_request(0, None);
        one.end_ms = 70.0;
        assert_eq!(split(&[one]).map(|s| s.overhead_ms), Some(15.0));
        assert_eq!(split(&[]), None);
        assert_eq!(split(&[sample_request(0, Some(ErrorKind::Timeout))]), None);
    }
}
