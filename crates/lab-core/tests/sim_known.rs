//! The simulated server's known values, checked against the Rust model.
//!
//! `tests/sim-known.json` at the repository root holds draws, service times, an arrival schedule
//! and queue waits that `lab_core::sim` gave once; `tests/sim-server.test.mjs` checks the
//! service worker against the same file, so the two servers agree as long as both pass. A
//! failure here means the model changed: mend the model, or regenerate the file on purpose and
//! make the worker follow.

use lab_core::config::{Arrivals, Dist};
use lab_core::sim::{arrival_schedule, simulate_fifo, Rng, ServiceTime};
use serde::Deserialize;

/// The whole file; see its `about` for what each part means.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Known {
    about: Vec<String>,
    rng: Vec<Draws>,
    service: Vec<Request>,
    arrivals: Schedule,
    fifo: Vec<Scenario>,
}

/// The first draws of the generator of request `id` in a run with `seed`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Draws {
    seed: u64,
    id: u64,
    /// Decimal strings: JSON numbers lose bits past 2^53.
    next_u64: Vec<String>,
    next_f64: Vec<f64>,
}

/// One request's error decision and service time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    seed: u64,
    id: u64,
    dist: Dist,
    mean_ms: f64,
    spread_ms: f64,
    error_rate: f64,
    error_draw: f64,
    error: bool,
    service_ms: f64,
}

/// An arrival schedule and its arguments.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Schedule {
    n: u32,
    rate_per_s: f64,
    arrivals: Arrivals,
    seed: u64,
    arrival_ms: Vec<f64>,
}

/// A run of requests at a server with a capacity: what each drew, waited and left at.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    seed: u64,
    dist: Dist,
    mean_ms: f64,
    spread_ms: f64,
    error_rate: f64,
    capacity: u32,
    ids: Vec<u64>,
    arrival_ms: Vec<f64>,
    service_ms: Vec<f64>,
    error: Vec<bool>,
    queue_ms: Vec<f64>,
    departure_ms: Vec<f64>,
}

fn known() -> Known {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/sim-known.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let known: Known = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(!known.about.is_empty(), "{path} says what it holds");
    known
}

/// The generator of request `id` in a run with `seed`, as the worker seeds it.
fn request_rng(seed: u64, id: u64) -> Rng {
    Rng::new((seed << 32) | id)
}

/// One request's draws in the worker's order: the first decides an injected error, the next
/// ones the service time. Returns the error draw and the service time in ms.
fn request_draws(seed: u64, id: u64, service: ServiceTime) -> (f64, f64) {
    let mut rng = request_rng(seed, id);
    let error_draw = rng.next_f64();
    (error_draw, service.sample(&mut rng))
}

/// Within 1e-9 of `expected`, relative: `ln`, `cos` and `exp` may round their last bit
/// differently on another platform. An expected 0 must be exactly 0.
fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs(),
        "{what}: got {actual}, known {expected}"
    );
}

#[test]
fn rng_draws_are_known() {
    for draws in known().rng {
        let (seed, id) = (draws.seed, draws.id);
        let mut rng = request_rng(seed, id);
        for (i, expected) in draws.next_u64.iter().enumerate() {
            let expected: u64 = expected.parse().expect("next_u64 is a decimal u64");
            assert_eq!(
                rng.next_u64(),
                expected,
                "seed {seed} id {id}: next_u64 #{i}"
            );
        }
        // The f64 draws come from a fresh generator, so they are the u64 draws above scaled.
        let mut rng = request_rng(seed, id);
        for (i, &expected) in draws.next_f64.iter().enumerate() {
            // Exact: an integer below 2^53 over 2^53 has one right answer.
            assert_eq!(
                rng.next_f64(),
                expected,
                "seed {seed} id {id}: next_f64 #{i}"
            );
        }
    }
}

fn service_time(dist: Dist, mean_ms: f64, spread_ms: f64) -> ServiceTime {
    ServiceTime {
        dist,
        mean_ms,
        spread_ms,
    }
}

#[test]
fn service_times_are_known() {
    for request in known().service {
        let service = service_time(request.dist, request.mean_ms, request.spread_ms);
        let what = format!("seed {} id {} {service:?}", request.seed, request.id);
        let (error_draw, service_ms) = request_draws(request.seed, request.id, service);
        assert_eq!(error_draw, request.error_draw, "{what}: error draw");
        assert_eq!(
            error_draw <= request.error_rate,
            request.error,
            "{what}: injected error at error_rate {}",
            request.error_rate
        );
        assert_close(service_ms, request.service_ms, &format!("{what}: service"));
    }
}

#[test]
fn arrival_schedule_is_known() {
    let schedule = known().arrivals;
    let times = arrival_schedule(
        schedule.n,
        schedule.rate_per_s,
        schedule.arrivals,
        schedule.seed,
    );
    assert_eq!(times.len(), schedule.arrival_ms.len(), "arrivals");
    for (i, (&actual, &expected)) in times.iter().zip(&schedule.arrival_ms).enumerate() {
        assert_close(actual, expected, &format!("arrival #{i}"));
    }
}

#[test]
fn fifo_queue_waits_are_known() {
    for scenario in known().fifo {
        let service = service_time(scenario.dist, scenario.mean_ms, scenario.spread_ms);
        let name = format!(
            "seed {} {service:?} capacity {}",
            scenario.seed, scenario.capacity
        );
        // Each request draws its error and service time as in `service_times_are_known`.
        let mut service_ms = Vec::new();
        for (i, &id) in scenario.ids.iter().enumerate() {
            let (error_draw, drawn) = request_draws(scenario.seed, id, service);
            let what = format!("{name}: request {id}");
            assert_eq!(
                error_draw <= scenario.error_rate,
                scenario.error[i],
                "{what}: error"
            );
            assert_close(drawn, scenario.service_ms[i], &format!("{what}: service"));
            service_ms.push(drawn);
        }
        let served = simulate_fifo(&scenario.arrival_ms, &service_ms, Some(scenario.capacity));
        assert_eq!(served.len(), scenario.ids.len(), "{name}: served");
        for (i, (s, &id)) in served.iter().zip(&scenario.ids).enumerate() {
            let what = format!("{name}: request {id}");
            assert_close(
                s.queue_ms(),
                scenario.queue_ms[i],
                &format!("{what}: queue"),
            );
            assert_close(
                s.end_ms,
                scenario.departure_ms[i],
                &format!("{what}: departure"),
            );
        }
    }
}
