//! Queueing models drawn behind measured points: a closed loop (MVA) and an open loop (M/M/K).

use serde::{Deserialize, Serialize};

use crate::config::IoSettings;
use crate::sim::ServiceTime;

/// The largest closed population [`mva_closed`] solves; its work grows with the square.
pub const MAX_CLIENTS: u32 = 10_000;

/// Throughput a model predicts from a level of load, and the latency that comes with it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Requests completed per second.
    pub throughput_per_s: f64,
    /// Mean time from arrival at the server to the end of service, in ms.
    pub latency_ms: f64,
}

/// Exact load-dependent mean value analysis (with marginal queue-length probabilities) of
/// `clients` requests cycling between a server and a think delay.
///
/// The server has `servers` parallel servers (`None`: as many as requests) with mean service
/// `service_ms`, so it completes `min(j, K) / S` requests per ms with `j` present; after each
/// reply a client waits `think_ms` before its next request. The latency is the time at the
/// server, think time excluded. `None` for no clients, more than [`MAX_CLIENTS`], zero servers,
/// a service time that is not positive (throughput would be unbounded) or a negative think time.
pub fn mva_closed(
    clients: u32,
    servers: Option<u32>,
    service_ms: f64,
    think_ms: f64,
) -> Option<Prediction> {
    let valid = (1..=MAX_CLIENTS).contains(&clients)
        && servers != Some(0)
        && service_ms.is_finite()
        && service_ms > 0.0
        && think_ms.is_finite()
        && think_ms >= 0.0;
    if !valid {
        return None;
    }
    let population = usize::try_from(clients).ok()?;
    let limit = servers.map_or(usize::MAX, |k| usize::try_from(k).unwrap_or(usize::MAX));
    // Mean time to serve one of j present, j / mu(j).
    let per_request = |j: usize| j as f64 * service_ms / j.min(limit) as f64;

    // probabilities[j]: chance that j requests are at the server, for the previous population.
    let mut probabilities = vec![1.0];
    let mut throughput = 0.0;
    let mut response = 0.0;
    for n in 1..=population {
        response = (1..=n)
            .map(|j| per_request(j) * probabilities[j - 1])
            .sum::<f64>();
        throughput = n as f64 / (think_ms + response);
        let mut next = vec![0.0; n + 1];
        for j in 1..=n {
            next[j] = throughput * per_request(j) / j as f64 * probabilities[j - 1];
        }
        // The think delay is a load-dependent station too (i thinking finish at i / Z), so the
        // empty-server chance, all n thinking, follows the same recursion; taking it as
        // 1 − the rest instead loses all precision once the server saturates.
        next[0] = throughput * think_ms / n as f64 * probabilities[0];
        let total: f64 = next.iter().sum();
        if total > 0.0 && total.is_finite() {
            next.iter_mut().for_each(|p| *p /= total);
        }
        probabilities = next;
    }
    Some(Prediction {
        throughput_per_s: throughput * 1000.0,
        latency_ms: response,
    })
}

/// The M/M/K queue (Erlang C): Poisson arrivals at `rate_per_s`, `servers` servers with
/// exponential service of mean `service_ms`, first come first served.
///
/// The latency is `S + Wq`; with `None` servers nobody waits. `None` when the queue is unstable
/// (utilisation at least 1, or zero servers) or an input is negative or not a number.
pub fn mmk(rate_per_s: f64, servers: Option<u32>, service_ms: f64) -> Option<Prediction> {
    if !(rate_per_s.is_finite() && rate_per_s >= 0.0 && service_ms.is_finite() && service_ms >= 0.0)
    {
        return None;
    }
    let prediction = |latency_ms| Prediction {
        throughput_per_s: rate_per_s,
        latency_ms,
    };
    let Some(k) = servers else {
        return Some(prediction(service_ms));
    };
    let offered = rate_per_s / 1000.0 * service_ms;
    let k_f = f64::from(k);
    if k == 0 || offered >= k_f {
        return None;
    }
    // Erlang B by its stable recursion, then Erlang C from it.
    let mut blocking = 1.0;
    for i in 1..=k {
        blocking = offered * blocking / (f64::from(i) + offered * blocking);
        if blocking == 0.0 {
            break;
        }
    }
    let wait_chance = k_f * blocking / (k_f - offered * (1.0 - blocking));
    let queue_ms = wait_chance * service_ms / (k_f - offered);
    Some(prediction(service_ms + queue_ms))
}

/// How far above a level's throughput a later level may measure and still count as "no more
/// throughput": one run of a sweep level varies about this much on a shared machine.
pub const KNEE_TOLERANCE: f64 = 0.15;

/// The knee of a sweep, from each level's throughput in the order of rising load: the first
/// level that no later level beats by more than [`KNEE_TOLERANCE`]. Past it, adding load buys no
/// more throughput, only queueing; a caption that names it agrees with every row after it.
///
/// `None` when no level before the last qualifies (the sweep never saturated), or a throughput
/// is not a positive finite number.
pub fn knee(throughputs: &[f64]) -> Option<usize> {
    if throughputs.iter().any(|t| !(t.is_finite() && *t > 0.0)) {
        return None;
    }
    let last = throughputs.len().checked_sub(1)?;
    (0..last).find(|&i| {
        throughputs[i + 1..]
            .iter()
            .all(|later| *later <= throughputs[i] * (1.0 + KNEE_TOLERANCE))
    })
}

/// The queueing model's prediction for the simulated server: mean value analysis for the
/// closed loop, M/M/K for the open loop. The browser's own overhead (measured) is the think
/// time of the closed loop and is added to the predicted latency.
pub fn predict_io(
    io: &IoSettings,
    concurrency: Option<u32>,
    rate: Option<f64>,
    overhead_ms: f64,
) -> Option<Prediction> {
    let service = ServiceTime {
        dist: io.dist,
        mean_ms: io.latency_ms,
        spread_ms: io.spread_ms,
    }
    .mean();
    let predicted = match (concurrency, rate) {
        (Some(c), _) => mva_closed(c, io.capacity, service, overhead_ms)?,
        (None, Some(rate)) => mmk(rate, io.capacity, service)?,
        (None, None) => return None,
    };
    Some(Prediction {
        throughput_per_s: predicted.throughput_per_s,
        latency_ms: predicted.latency_ms + overhead_ms,
    })
}

/// How far the median latency may rise over a sweep and still be said to stay near its lowest
/// level's: beyond this, requests are waiting somewhere.
pub const LATENCY_NEAR: f64 = 0.25;

/// The caption of a sweep with no knee, from its first and last levels' (throughput per second,
/// median latency in ms): throughput grew at every level; whether the latency stayed near the
/// first level's is read off the numbers, not assumed.
pub fn unbroken_growth(first: (f64, f64), last: (f64, f64), resolution_ms: f64) -> String {
    let ms = |v| crate::format::ms(v, resolution_ms);
    let grew = format!(
        "Throughput grows at every level ({} to {})",
        crate::format::rate(first.0),
        crate::format::rate(last.0)
    );
    if last.1 <= first.1 * (1.0 + LATENCY_NEAR) {
        format!(
            "{grew} while the median latency stays near the first level's ({} to {}): nothing filled up.",
            ms(first.1),
            ms(last.1)
        )
    } else {
        format!(
            "{grew}, but the median latency rose from {} to {}: requests began to wait on their way, \
             not only in service.",
            ms(first.1),
            ms(last.1)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual: f64, expected: f64, tolerance: f64) {
        let scale = expected.abs().max(1.0);
        assert!(
            (actual - expected).abs() <= tolerance * scale,
            "{actual} vs {expected}"
        );
    }

    /// The closed network as a birth-death Markov chain on j, the requests at the server:
    /// up at (C − j) / Z, down at min(j, K) / S. Needs Z > 0.
    fn markov_chain(clients: u32, servers: Option<u32>, s: f64, z: f64) -> Prediction {
        let k = servers.unwrap_or(u32::MAX);
        // In logarithms, since the weights overflow for large populations.
        let mut logs = vec![0.0];
        for j in 0..clients {
            let up = f64::from(clients - j) / z;
            let down = f64::from((j + 1).min(k)) / s;
            let last = logs[logs.len() - 1];
            logs.push(last + (up / down).ln());
        }
        let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
        let total: f64 = weights.iter().sum();
        let (mut throughput, mut present) = (0.0, 0.0);
        for (j, w) in weights.iter().enumerate() {
            let j = j as u32;
            throughput += w / total * f64::from(j.min(k)) / s;
            present += w / total * f64::from(j);
        }
        Prediction {
            throughput_per_s: throughput * 1000.0,
            latency_ms: present / throughput,
        }
    }

    #[test]
    fn mva_without_think_time_is_exact() {
        for s in [1.0, 3.0, 50.0, 0.7] {
            for k in [1u32, 2, 4, 7] {
                for c in [1u32, 2, 3, 4, 8, 10, 64, 256] {
                    let p = mva_closed(c, Some(k), s, 0.0).unwrap();
                    let busy = f64::from(c.min(k));
                    assert_close(p.throughput_per_s, busy / s * 1000.0, 1e-9);
                    assert_close(
                        p.latency_ms,
                        s * (f64::from(c) / f64::from(k)).max(1.0),
                        1e-9,
                    );
                }
            }
        }
    }

    #[test]
    fn mva_with_unlimited_servers_never_queues() {
        for c in [1u32, 2, 10, 100] {
            for z in [0.0, 5.0, 100.0] {
                let p = mva_closed(c, None, 20.0, z).unwrap();
                assert_close(p.latency_ms, 20.0, 1e-12);
                assert_close(
                    p.throughput_per_s,
                    f64::from(c) / (20.0 + z) * 1000.0,
                    1e-12,
                );
            }
        }
    }

    #[test]
    fn mva_small_case_by_hand() {
        // C = 2, K = 1, S = 1, Z = 1. Markov chain on j at the server: up 2 from 0, up 1 from 1,
        // down 1. Balance: pi1 = 2 pi0, pi2 = pi1, so pi = (0.2, 0.4, 0.4). The server is busy 0.8
        // of the time: X = 0.8 per ms; E[j] = 1.2, so R = 1.2 / 0.8 = 1.5 ms (and 2 / (1 + 1.5) = 0.8).
        let p = mva_closed(2, Some(1), 1.0, 1.0).unwrap();
        assert_close(p.throughput_per_s, 800.0, 1e-12);
        assert_close(p.latency_ms, 1.5, 1e-12);
    }

    #[test]
    fn mva_matches_the_markov_chain() {
        for servers in [Some(1), Some(2), Some(4), Some(16), None] {
            for c in [1u32, 2, 5, 17, 64, 256] {
                for (s, z) in [(50.0, 10.0), (10.0, 500.0), (5.0, 5.0), (100.0, 1.0)] {
                    let mva = mva_closed(c, servers, s, z).unwrap();
                    let chain = markov_chain(c, servers, s, z);
                    assert_close(mva.throughput_per_s, chain.throughput_per_s, 1e-9);
                    assert_close(mva.latency_ms, chain.latency_ms, 1e-9);
                }
            }
        }
    }

    #[test]
    fn mva_rejects_bad_input() {
        assert_eq!(mva_closed(0, Some(1), 1.0, 0.0), None);
        assert_eq!(mva_closed(MAX_CLIENTS + 1, Some(1), 1.0, 0.0), None);
        assert_eq!(mva_closed(1, Some(0), 1.0, 0.0), None);
        assert_eq!(mva_closed(1, Some(1), 0.0, 0.0), None);
        assert_eq!(mva_closed(1, Some(1), -1.0, 0.0), None);
        assert_eq!(mva_closed(1, Some(1), f64::NAN, 0.0), None);
        assert_eq!(mva_closed(1, Some(1), 1.0, -1.0), None);
        assert_eq!(mva_closed(1, Some(1), 1.0, f64::INFINITY), None);
        assert!(mva_closed(MAX_CLIENTS, Some(u32::MAX), 1.0, 0.0).is_some());
    }

    #[test]
    fn mm1_waits_s_over_one_minus_rho() {
        // 10 per s with S = 50 ms: rho = 0.5, W = 100 ms.
        let p = mmk(10.0, Some(1), 50.0).unwrap();
        assert_close(p.latency_ms, 100.0, 1e-12);
        assert_eq!(p.throughput_per_s, 10.0);
        let p = mmk(18.0, Some(1), 50.0).unwrap();
        assert_close(p.latency_ms, 500.0, 1e-12);
    }

    #[test]
    fn erlang_c_known_value() {
        // K = 2, lambda = 1 per s, S = 1 s: a = 1, P(wait) = 1/3, Wq = 1/3 s, W = 4/3 s.
        let p = mmk(1.0, Some(2), 1000.0).unwrap();
        assert_close(p.latency_ms, 4000.0 / 3.0, 1e-12);
        // K = 3, a = 2: C = (8/6 * 3) / (1 + 2 + 2 + 4) = 4/9, Wq = C S / (K - a) = 4/9 S.
        let p = mmk(2.0, Some(3), 1000.0).unwrap();
        assert_close(p.latency_ms, 1000.0 * (1.0 + 4.0 / 9.0), 1e-12);
    }

    #[test]
    fn mmk_edges() {
        assert_eq!(mmk(20.0, Some(1), 50.0), None);
        assert_eq!(mmk(100.0, Some(4), 50.0), None);
        assert_eq!(mmk(1.0, Some(0), 50.0), None);
        assert_eq!(mmk(-1.0, Some(1), 50.0), None);
        assert_eq!(mmk(f64::NAN, Some(1), 50.0), None);
        assert_eq!(mmk(1.0, Some(1), -50.0), None);
        assert_eq!(
            mmk(1e6, None, 50.0),
            Some(Prediction {
                throughput_per_s: 1e6,
                latency_ms: 50.0
            })
        );
        assert_eq!(mmk(0.0, Some(1), 50.0).map(|p| p.latency_ms), Some(50.0));
        // Many servers barely loaded: nobody waits, and the recursion does not overflow.
        let p = mmk(1000.0, Some(u32::MAX / 1_000_000), 1.0).unwrap();
        assert_close(p.latency_ms, 1.0, 1e-12);
        let p = mmk(1_000_000.0, Some(2000), 1.0).unwrap();
        assert!(p.latency_ms.is_finite() && p.latency_ms >= 1.0);
    }

    #[test]
    fn the_knee_is_the_first_level_no_later_level_beats() {
        // Capacity 4, service 50 ms: C = 1, 2, 4, 8, 16 as measured in the lab.
        assert_eq!(knee(&[18.2, 35.7, 70.9, 79.4, 79.1]), Some(2));
        // A later level 25% above: the knee is not at C = 4 but at C = 8.
        assert_eq!(knee(&[18.0, 35.0, 63.0, 78.6, 79.0]), Some(3));
        // Never saturated: throughput keeps rising up to the last level.
        assert_eq!(knee(&[10.0, 20.0, 40.0]), None);
        assert_eq!(knee(&[10.0, 10.0]), Some(0));
        assert_eq!(knee(&[]), None);
        assert_eq!(knee(&[1.0]), None);
        assert_eq!(knee(&[f64::NAN, 1.0]), None);
        assert_eq!(knee(&[0.0, 1.0, 1.0]), None);
    }

    #[test]
    fn every_level_after_the_knee_agrees_with_it() {
        let sweeps = [
            vec![5.0, 9.0, 17.0, 16.0, 30.0, 29.0],
            vec![50.0, 40.0, 45.0, 60.0],
            vec![1.0, 1.1, 1.2, 1.3, 1.4],
        ];
        for sweep in sweeps {
            if let Some(k) = knee(&sweep) {
                assert!(
                    sweep[k + 1..].iter().all(|t| *t <= sweep[k] * 1.15),
                    "{sweep:?}"
                );
                assert!(
                    (0..k).all(|i| sweep[i + 1..].iter().any(|t| *t > sweep[i] * 1.15)),
                    "{sweep:?}: an earlier level already qualified"
                );
            }
        }
    }

    #[test]
    fn predict_io_is_mva_for_a_closed_loop_and_mmk_for_an_open_one() {
        let settings =
            crate::config::parse_query("lab=io&latency_ms=50&dist=exp&capacity=1").unwrap();
        let io = settings.io().unwrap();
        // One client, no queue: each request takes the service time plus the think time.
        let closed = predict_io(io, Some(1), None, 5.0).unwrap();
        assert!((closed.throughput_per_s - 1000.0 / 55.0).abs() < 1e-9);
        assert!((closed.latency_ms - 55.0).abs() < 1e-9);
        // M/M/1 at half load: S / (1 − ρ) = 100 ms, plus the overhead.
        let open = predict_io(io, None, Some(10.0), 5.0).unwrap();
        assert!(
            (open.latency_ms - 105.0).abs() < 1e-9,
            "{}",
            open.latency_ms
        );
        assert_eq!(predict_io(io, None, None, 5.0), None);
    }

    #[test]
    fn a_sweep_without_a_knee_says_what_its_latency_did() {
        let flat = unbroken_growth((28.9, 34.4), (215.0, 35.2), 0.005);
        assert!(flat.contains("stays near the first level's"), "{flat}");
        assert!(!flat.contains("rose"), "{flat}");
        // Firefox, same settings: throughput grew, but the median latency went from 38.5 to 59.7.
        let rising = unbroken_growth((24.9, 38.5), (137.0, 59.7), 0.02);
        assert!(rising.contains("rose from 38.5"), "{rising}");
        assert!(!rising.contains("stays near"), "{rising}");
    }
}
