//! The two laws the lab checks its measurements against: Little's law and Amdahl's law.

use serde::{Deserialize, Serialize};

use crate::stats::Summary;

/// Little's law, L = λ·W: mean requests in flight from throughput (per s) and mean latency (ms).
pub fn little_in_flight(throughput_per_s: f64, mean_latency_ms: f64) -> f64 {
    throughput_per_s * mean_latency_ms / 1000.0
}

/// Little's law's prediction of the mean number in flight next to the measured one.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LittleCheck {
    /// Throughput times mean latency.
    pub predicted: f64,
    /// Time-averaged number of spans open, from the spans themselves.
    pub measured: f64,
    /// `|predicted - measured| / measured`.
    pub relative_error: f64,
}

/// Checks a run against Little's law; `None` without latency or when nothing was measured in flight.
pub fn little_check(summary: &Summary) -> Option<LittleCheck> {
    let latency = summary.latency_ms?;
    let measured = summary.mean_in_flight;
    if !(measured.is_finite() && measured > 0.0) {
        return None;
    }
    let predicted = little_in_flight(summary.throughput_per_s, latency.mean);
    Some(LittleCheck {
        predicted,
        measured,
        relative_error: (predicted - measured).abs() / measured,
    })
}

/// Amdahl's law: the speedup on `threads` threads when `serial_fraction` of the work is serial.
pub fn amdahl_speedup(serial_fraction: f64, threads: f64) -> f64 {
    1.0 / (serial_fraction + (1.0 - serial_fraction) / threads)
}

/// The Karp–Flatt metric: the serial fraction implied by `speedup` on `threads` threads.
///
/// `None` for one thread or fewer, or a speedup that is not positive.
pub fn karp_flatt(speedup: f64, threads: u32) -> Option<f64> {
    if threads <= 1 || speedup.is_nan() || speedup <= 0.0 {
        return None;
    }
    let t = f64::from(threads);
    Some((1.0 / speedup - 1.0 / t) / (1.0 - 1.0 / t))
}

/// How many times faster a run was than the baseline: `baseline_wall_ms / wall_ms`.
///
/// `None` unless both times are positive and finite.
pub fn speedup(baseline_wall_ms: f64, wall_ms: f64) -> Option<f64> {
    let valid = |ms: f64| ms.is_finite() && ms > 0.0;
    (valid(baseline_wall_ms) && valid(wall_ms)).then(|| baseline_wall_ms / wall_ms)
}

/// Speedup per thread, 1 for perfect scaling; `None` for zero threads or a speedup that is not a
/// finite number of at least 0.
pub fn efficiency(speedup: f64, threads: u32) -> Option<f64> {
    (threads > 0 && speedup.is_finite() && speedup >= 0.0).then(|| speedup / f64::from(threads))
}

/// What measured speedups say about the serial fraction of the work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AmdahlEstimate {
    /// Fewer than two distinct thread counts: nothing to compare.
    Insufficient,
    /// Two distinct thread counts: the Karp–Flatt serial fraction at the larger one.
    Single {
        /// The larger thread count.
        threads: u32,
        /// The speedup measured there.
        speedup: f64,
        /// The implied serial fraction, clamped to `[0, 1]`.
        serial_fraction: f64,
    },
    /// Three or more distinct thread counts: a least-squares fit of Amdahl's law.
    Fitted {
        /// The fitted serial fraction, clamped to `[0, 1]`.
        serial_fraction: f64,
        /// The speedup no thread count can pass, `1 / serial_fraction`; `None` when unlimited.
        limit: Option<f64>,
        /// How many distinct thread counts went into the fit.
        thread_counts: usize,
        /// Root-mean-square difference between measured and fitted speedups.
        rmse: f64,
    },
}

/// Estimates the serial fraction from `(thread count, speedup vs one thread)` points.
///
/// A point at one thread counts as a thread count (its speedup is 1 by definition). Points with
/// zero threads or a speedup that is not a positive number are ignored. With two distinct thread
/// counts the result is [`AmdahlEstimate::Single`], using the mean speedup at the larger count;
/// with three or more it is [`AmdahlEstimate::Fitted`].
pub fn estimate_amdahl(points: &[(u32, f64)]) -> AmdahlEstimate {
    let valid: Vec<(u32, f64)> = points
        .iter()
        .copied()
        .filter(|&(threads, speedup)| threads >= 1 && speedup.is_finite() && speedup > 0.0)
        .collect();
    let mut counts: Vec<u32> = valid.iter().map(|&(threads, _)| threads).collect();
    counts.sort_unstable();
    counts.dedup();

    match counts.as_slice() {
        [_, largest] => single(&valid, *largest),
        [_, _, _, ..] => fitted(&valid, counts.len()),
        _ => AmdahlEstimate::Insufficient,
    }
}

fn single(points: &[(u32, f64)], threads: u32) -> AmdahlEstimate {
    let at_largest: Vec<f64> = points
        .iter()
        .filter(|&&(t, _)| t == threads)
        .map(|&(_, speedup)| speedup)
        .collect();
    let speedup = at_largest.iter().sum::<f64>() / at_largest.len() as f64;
    match karp_flatt(speedup, threads) {
        Some(serial_fraction) => AmdahlEstimate::Single {
            threads,
            speedup,
            serial_fraction: serial_fraction.clamp(0.0, 1.0),
        },
        None => AmdahlEstimate::Insufficient,
    }
}

/// Fits `s` in the linearised law `1/S - 1/T = s (1 - 1/T)`, a line through the origin.
fn fitted(points: &[(u32, f64)], thread_counts: usize) -> AmdahlEstimate {
    let parallel: Vec<(f64, f64)> = points
        .iter()
        .filter(|&&(threads, _)| threads > 1)
        .map(|&(threads, speedup)| (f64::from(threads), speedup))
        .collect();
    let (sum_xy, sum_xx) = parallel.iter().fold((0.0, 0.0), |(xy, xx), &(t, speedup)| {
        let x = 1.0 - 1.0 / t;
        let y = 1.0 / speedup - 1.0 / t;
        (xy + x * y, xx + x * x)
    });
    // Three distinct counts always include one above 1, so `sum_xx` is positive.
    let serial_fraction = (sum_xy / sum_xx).clamp(0.0, 1.0);
    let squared_error: f64 = parallel
        .iter()
        .map(|&(t, speedup)| (speedup - amdahl_speedup(serial_fraction, t)).powi(2))
        .sum();
    AmdahlEstimate::Fitted {
        serial_fraction,
        limit: (serial_fraction > 0.0).then(|| 1.0 / serial_fraction),
        thread_counts,
        rmse: (squared_error / parallel.len() as f64).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::LatencyMs;

    fn summary(
        throughput_per_s: f64,
        mean_latency_ms: Option<f64>,
        mean_in_flight: f64,
    ) -> Summary {
        Summary {
            wall_ms: 1000.0,
            completed: 10,
            errors: 0,
            throughput_per_s,
            latency_ms: mean_latency_ms.map(|mean| LatencyMs {
                p50: mean,
                p90: mean,
                p99: mean,
                max: mean,
                mean,
            }),
            mean_in_flight,
        }
    }

    #[test]
    fn little_converts_units() {
        assert_eq!(little_in_flight(200.0, 50.0), 10.0);
        assert_eq!(little_in_flight(0.0, 50.0), 0.0);
    }

    #[test]
    fn little_check_compares_prediction_with_measurement() {
        let check = little_check(&summary(40.0, Some(100.0), 5.0)).unwrap();
        assert_eq!(check.predicted, 4.0);
        assert_eq!(check.measured, 5.0);
        assert!((check.relative_error - 0.2).abs() < 1e-12);
        assert_eq!(little_check(&summary(40.0, None, 5.0)), None);
        assert_eq!(little_check(&summary(40.0, Some(100.0), 0.0)), None);
    }

    #[test]
    fn amdahl_speedup_values() {
        assert_eq!(amdahl_speedup(0.0, 8.0), 8.0);
        assert_eq!(amdahl_speedup(1.0, 8.0), 1.0);
        assert!((amdahl_speedup(0.1, 4.0) - 1.0 / 0.325).abs() < 1e-12);
        assert_eq!(amdahl_speedup(0.5, 1.0), 1.0);
    }

    #[test]
    fn karp_flatt_inverts_amdahl() {
        let speedup = amdahl_speedup(0.2, 6.0);
        assert!((karp_flatt(speedup, 6).unwrap() - 0.2).abs() < 1e-12);
        assert_eq!(karp_flatt(4.0, 4), Some(0.0));
        assert_eq!(karp_flatt(2.0, 1), None);
        assert_eq!(karp_flatt(2.0, 0), None);
        assert_eq!(karp_flatt(0.0, 4), None);
        assert_eq!(karp_flatt(f64::NAN, 4), None);
    }

    #[test]
    fn fit_recovers_exact_serial_fraction() {
        let points: Vec<(u32, f64)> = [1, 2, 4, 8]
            .into_iter()
            .map(|t| (t, amdahl_speedup(0.1, f64::from(t))))
            .collect();
        let AmdahlEstimate::Fitted {
            serial_fraction,
            limit,
            thread_counts,
            rmse,
        } = estimate_amdahl(&points)
        else {
            panic!("expected a fit");
        };
        assert!((serial_fraction - 0.1).abs() < 1e-9);
        assert!((limit.unwrap() - 10.0).abs() < 1e-6);
        assert_eq!(thread_counts, 4);
        assert!(rmse < 1e-9);
    }

    #[test]
    fn fit_tolerates_noise() {
        let noise = [0.0, 0.03, -0.05, 0.08, -0.04, 0.02];
        let points: Vec<(u32, f64)> = [1, 2, 3, 4, 6, 8]
            .into_iter()
            .zip(noise)
            .map(|(t, e)| (t, amdahl_speedup(0.1, f64::from(t)) * (1.0 + e)))
            .collect();
        let AmdahlEstimate::Fitted {
            serial_fraction,
            rmse,
            ..
        } = estimate_amdahl(&points)
        else {
            panic!("expected a fit");
        };
        assert!((serial_fraction - 0.1).abs() < 0.02, "{serial_fraction}");
        assert!(rmse > 0.0 && rmse < 0.5, "{rmse}");
    }

    #[test]
    fn perfect_scaling_has_no_limit() {
        let points = [(1, 1.0), (2, 2.0), (4, 4.0), (8, 9.0)];
        let estimate = estimate_amdahl(&points);
        assert!(matches!(
            estimate,
            AmdahlEstimate::Fitted {
                serial_fraction: 0.0,
                limit: None,
                ..
            }
        ));
    }

    #[test]
    fn two_thread_counts_give_single() {
        let speedup = amdahl_speedup(0.25, 4.0);
        let AmdahlEstimate::Single {
            threads,
            speedup: measured,
            serial_fraction,
        } = estimate_amdahl(&[(1, 1.0), (4, speedup)])
        else {
            panic!("expected a single estimate");
        };
        assert_eq!(threads, 4);
        assert_eq!(measured, speedup);
        assert!((serial_fraction - 0.25).abs() < 1e-12);

        // Superlinear speedup clamps to no serial work.
        assert_eq!(
            estimate_amdahl(&[(2, 1.9), (4, 4.4)]),
            AmdahlEstimate::Single {
                threads: 4,
                speedup: 4.4,
                serial_fraction: 0.0
            }
        );
    }

    #[test]
    fn too_little_data_is_insufficient() {
        assert_eq!(estimate_amdahl(&[]), AmdahlEstimate::Insufficient);
        assert_eq!(
            estimate_amdahl(&[(4, 3.0), (4, 3.2)]),
            AmdahlEstimate::Insufficient
        );
        assert_eq!(
            estimate_amdahl(&[(1, 1.0), (0, 2.0), (4, f64::NAN), (8, -1.0)]),
            AmdahlEstimate::Insufficient
        );
    }

    #[test]
    fn speedup_and_efficiency() {
        assert_eq!(speedup(1000.0, 250.0), Some(4.0));
        assert_eq!(speedup(100.0, 200.0), Some(0.5));
        for (baseline, wall) in [
            (0.0, 1.0),
            (1.0, 0.0),
            (-1.0, 1.0),
            (f64::NAN, 1.0),
            (1.0, f64::INFINITY),
        ] {
            assert_eq!(speedup(baseline, wall), None, "{baseline} {wall}");
        }
        assert_eq!(efficiency(4.0, 4), Some(1.0));
        assert_eq!(efficiency(3.0, 4), Some(0.75));
        assert_eq!(efficiency(0.0, 2), Some(0.0));
        assert_eq!(efficiency(2.0, 0), None);
        assert_eq!(efficiency(-1.0, 2), None);
        assert_eq!(efficiency(f64::NAN, 2), None);
    }

    #[test]
    fn estimate_round_trips_through_json() {
        for estimate in [
            AmdahlEstimate::Insufficient,
            estimate_amdahl(&[(1, 1.0), (2, 1.6)]),
            estimate_amdahl(&[(1, 1.0), (2, 2.0), (4, 4.0)]),
            AmdahlEstimate::Fitted {
                serial_fraction: 0.25,
                limit: Some(4.0),
                thread_counts: 3,
                rmse: 0.125,
            },
        ] {
            let json = serde_json::to_string(&estimate).unwrap();
            assert_eq!(
                serde_json::from_str::<AmdahlEstimate>(&json).unwrap(),
                estimate
            );
        }
    }

    #[test]
    fn estimate_serializes_with_a_kind_tag() {
        let json = serde_json::to_value(AmdahlEstimate::Insufficient).unwrap();
        assert_eq!(json, serde_json::json!({ "kind": "insufficient" }));
        let json = serde_json::to_value(estimate_amdahl(&[(1, 1.0), (2, 2.0)])).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "kind": "single", "threads": 2, "speedup": 2.0, "serial_fraction": 0.0 })
        );
    }
}
