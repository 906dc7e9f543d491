//! The simulated server and its randomness: what the page's service worker does, in Rust.
//!
//! The service worker (`static/sim-server.js`) mirrors [`Rng`], [`ServiceTime::sample`] and
//! [`simulate_fifo`], so a seed gives the same draws and queue waits on both sides. Both are
//! tested against one file of known values, `tests/sim-known.json`.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::config::{Arrivals, Dist};

/// The most arrivals [`arrival_schedule`] makes, however many are asked for.
pub const MAX_ARRIVALS: u32 = 1 << 20;

/// SplitMix64, a small seeded generator the service worker repeats bit for bit with `BigInt`.
///
/// Each step, in wrapping 64-bit arithmetic:
///
/// ```text
/// state += 0x9E3779B97F4A7C15
/// z = state
/// z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
/// z = (z ^ (z >> 27)) * 0x94D049BB133111EB
/// return z ^ (z >> 31)
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator whose first step adds the golden-ratio increment to `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform draw in (0, 1]: `((next_u64() >> 11) + 1) / 2^53`, never 0, so `ln` is safe.
    pub fn next_f64(&mut self) -> f64 {
        const TWO_POW_53: f64 = 9_007_199_254_740_992.0;
        ((self.next_u64() >> 11) + 1) as f64 / TWO_POW_53
    }
}

/// A service-time distribution with its mean and spread, in ms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServiceTime {
    /// The shape.
    pub dist: Dist,
    /// Mean service time.
    pub mean_ms: f64,
    /// Half-width for uniform, standard deviation for lognormal; ignored for fixed and exp.
    pub spread_ms: f64,
}

impl ServiceTime {
    /// One service time in ms, never negative; a mean that is not positive gives 0.
    ///
    /// Draws used, in order: fixed none; uniform one `u`, giving `mean + spread·(2u − 1)`
    /// (at least 0); exp one `u`, giving `−mean·ln u`; lognormal two, `u1` then `u2`, giving
    /// `exp(mu + sigma·z)` with `z = sqrt(−2 ln u1)·cos(2π u2)`, `sigma² = ln(1 + (spread/mean)²)`
    /// and `mu = ln mean − sigma²/2`.
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        let mean = self.mean();
        let spread = positive_or_zero(self.spread_ms);
        match self.dist {
            Dist::Fixed => mean,
            Dist::Uniform => {
                let u = rng.next_f64();
                (mean + spread * (2.0 * u - 1.0)).max(0.0)
            }
            Dist::Exp => {
                let u = rng.next_f64();
                // Adding 0 turns the -0 of u = 1 into 0.
                -mean * u.ln() + 0.0
            }
            Dist::LogNormal => {
                let (u1, u2) = (rng.next_f64(), rng.next_f64());
                if mean == 0.0 {
                    return 0.0;
                }
                let sigma2 = (1.0 + (spread / mean).powi(2)).ln();
                let mu = mean.ln() - sigma2 / 2.0;
                let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                let sample = (mu + sigma2.sqrt() * z).exp();
                if sample.is_finite() {
                    sample
                } else {
                    0.0
                }
            }
        }
    }

    /// The mean service time in ms (0 when the configured mean is not a positive number).
    pub fn mean(&self) -> f64 {
        positive_or_zero(self.mean_ms)
    }

    /// The squared coefficient of variation, variance / mean²: 0 fixed, 1 exp; 0 for a zero mean.
    pub fn scv(&self) -> f64 {
        let mean = self.mean();
        if mean == 0.0 {
            return 0.0;
        }
        let ratio = positive_or_zero(self.spread_ms) / mean;
        match self.dist {
            Dist::Fixed => 0.0,
            Dist::Uniform => ratio * ratio / 3.0,
            Dist::Exp => 1.0,
            Dist::LogNormal => ratio * ratio,
        }
    }
}

fn positive_or_zero(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

/// Intended arrival times in ms from 0 for `n` requests at `rate_per_s` (at most [`MAX_ARRIVALS`]).
///
/// Uniform: `i · 1000 / rate`. Poisson: the first at 0, then gaps of `−(1000 / rate)·ln u`, one
/// draw each from `Rng::new(seed)`. Empty when the rate is not a positive number.
pub fn arrival_schedule(n: u32, rate_per_s: f64, arrivals: Arrivals, seed: u64) -> Vec<f64> {
    if !(rate_per_s.is_finite() && rate_per_s > 0.0) {
        return Vec::new();
    }
    let gap_ms = 1000.0 / rate_per_s;
    let count = n.min(MAX_ARRIVALS);
    match arrivals {
        Arrivals::Uniform => (0..count).map(|i| f64::from(i) * gap_ms).collect(),
        Arrivals::Poisson => {
            let mut rng = Rng::new(seed);
            let mut at = 0.0;
            (0..count)
                .map(|i| {
                    if i > 0 {
                        at += -gap_ms * rng.next_f64().ln();
                    }
                    at
                })
                .collect()
        }
    }
}

/// When one request reached the simulated server, started service and finished, in ms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Served {
    /// When it arrived.
    pub arrival_ms: f64,
    /// When a server took it.
    pub start_ms: f64,
    /// When it finished.
    pub end_ms: f64,
}

impl Served {
    /// Time spent waiting for a server.
    pub fn queue_ms(&self) -> f64 {
        self.start_ms - self.arrival_ms
    }

    /// Time spent in service.
    pub fn service_ms(&self) -> f64 {
        self.end_ms - self.start_ms
    }
}

/// A finish time with the total order that `BinaryHeap` needs.
#[derive(Clone, Copy, Debug, PartialEq)]
struct FreeAt(f64);

impl Eq for FreeAt {}

impl PartialOrd for FreeAt {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FreeAt {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Serves requests the way the service worker does: at most `servers` at once, first come first
/// served in arrival order (ties in input order); `None` is unlimited.
///
/// Pairs `arrivals_ms[i]` with `service_ms[i]` (the shorter slice decides the count) and returns
/// one [`Served`] per request in input order. Service times that are negative or not numbers
/// count as 0, and `Some(0)` servers as one.
pub fn simulate_fifo(arrivals_ms: &[f64], service_ms: &[f64], servers: Option<u32>) -> Vec<Served> {
    let count = arrivals_ms.len().min(service_ms.len());
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| arrivals_ms[a].total_cmp(&arrivals_ms[b]));

    let limit = servers.map(|k| usize::try_from(k.max(1)).unwrap_or(usize::MAX));
    // Finish times of the requests that have taken a server; only the earliest matters once full.
    let mut busy: BinaryHeap<Reverse<FreeAt>> = BinaryHeap::new();
    let mut served = vec![
        Served {
            arrival_ms: 0.0,
            start_ms: 0.0,
            end_ms: 0.0,
        };
        count
    ];
    for i in order {
        let arrival_ms = arrivals_ms[i];
        let service = positive_or_zero(service_ms[i]);
        let start_ms = match limit {
            Some(limit) if busy.len() >= limit => match busy.pop() {
                Some(Reverse(FreeAt(free))) => arrival_ms.max(free),
                None => arrival_ms,
            },
            _ => arrival_ms,
        };
        let end_ms = start_ms + service;
        if limit.is_some() {
            busy.push(Reverse(FreeAt(end_ms)));
        }
        served[i] = Served {
            arrival_ms,
            start_ms,
            end_ms,
        };
    }
    served
}

/// The time-average number of `(start, end)` intervals open over `window`, each clipped to it.
///
/// 0 when the window is empty, reversed or not finite.
pub fn time_average_occupancy(intervals: &[(f64, f64)], window: (f64, f64)) -> f64 {
    let (from, to) = window;
    let length = to - from;
    if !(length.is_finite() && length > 0.0) {
        return 0.0;
    }
    let open: f64 = intervals
        .iter()
        .map(|&(start, end)| (end.min(to) - start.max(from)).max(0.0))
        .sum();
    open / length
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_matches_splitmix64_reference() {
        // Reference values of SplitMix64 seeded with 0 and 1234567.
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
        let mut rng = Rng::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn next_f64_is_in_the_half_open_unit_interval() {
        let mut rng = Rng::new(0);
        // (0xE220A8397B1DCDAF >> 11) + 1 = 7_956_156_453_446_586, over 2^53.
        assert_eq!(
            rng.next_f64(),
            7_956_156_453_446_586.0 / 9_007_199_254_740_992.0
        );
        let mut rng = Rng::new(42);
        for _ in 0..100_000 {
            let u = rng.next_f64();
            assert!(u > 0.0 && u <= 1.0);
        }
    }

    fn moments(service: ServiceTime, seed: u64) -> (f64, f64) {
        let mut rng = Rng::new(seed);
        let draws: Vec<f64> = (0..100_000).map(|_| service.sample(&mut rng)).collect();
        assert!(draws.iter().all(|&x| x >= 0.0 && x.is_finite()));
        let n = draws.len() as f64;
        let mean = draws.iter().sum::<f64>() / n;
        let variance = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, variance)
    }

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance * expected.abs()
    }

    #[test]
    fn samples_match_the_theory() {
        for dist in Dist::ALL {
            let service = ServiceTime {
                dist,
                mean_ms: 50.0,
                spread_ms: 20.0,
            };
            let (mean, variance) = moments(service, 7);
            let expected_variance = service.scv() * 50.0 * 50.0;
            assert!(close(mean, service.mean(), 0.02), "{dist:?}: mean {mean}");
            if dist == Dist::Fixed {
                assert_eq!(variance, 0.0);
            } else {
                assert!(
                    close(variance, expected_variance, 0.02),
                    "{dist:?}: variance {variance} vs {expected_variance}"
                );
            }
        }
    }

    #[test]
    fn scv_values() {
        let service = |dist, spread_ms| ServiceTime {
            dist,
            mean_ms: 10.0,
            spread_ms,
        };
        assert_eq!(service(Dist::Fixed, 5.0).scv(), 0.0);
        assert_eq!(service(Dist::Uniform, 6.0).scv(), 0.12);
        assert_eq!(service(Dist::Exp, 5.0).scv(), 1.0);
        assert_eq!(service(Dist::LogNormal, 5.0).scv(), 0.25);
        assert_eq!(
            ServiceTime {
                mean_ms: 0.0,
                ..service(Dist::Exp, 1.0)
            }
            .scv(),
            0.0
        );
    }

    #[test]
    fn samples_are_reproducible_and_never_negative() {
        for dist in Dist::ALL {
            let service = ServiceTime {
                dist,
                mean_ms: 30.0,
                spread_ms: 40.0,
            };
            let draw = |seed| {
                let mut rng = Rng::new(seed);
                (0..1000)
                    .map(|_| service.sample(&mut rng))
                    .collect::<Vec<_>>()
            };
            assert_eq!(draw(9), draw(9));
            if dist == Dist::Fixed {
                continue;
            }
            assert_ne!(draw(9), draw(10), "{dist:?}");
            assert!(draw(3).iter().all(|&x| x >= 0.0), "{dist:?}");
        }
        let mut rng = Rng::new(1);
        for dist in Dist::ALL {
            for mean_ms in [0.0, -5.0, f64::NAN, f64::INFINITY] {
                let service = ServiceTime {
                    dist,
                    mean_ms,
                    spread_ms: f64::NAN,
                };
                assert_eq!(service.sample(&mut rng), 0.0, "{dist:?} {mean_ms}");
                assert_eq!(service.mean(), 0.0);
            }
        }
    }

    #[test]
    fn lognormal_without_spread_is_the_mean() {
        let service = ServiceTime {
            dist: Dist::LogNormal,
            mean_ms: 50.0,
            spread_ms: 0.0,
        };
        let mut rng = Rng::new(5);
        assert!((service.sample(&mut rng) - 50.0).abs() < 1e-9);
    }

    #[test]
    fn uniform_schedule_is_evenly_spaced() {
        assert_eq!(
            arrival_schedule(4, 20.0, Arrivals::Uniform, 0),
            [0.0, 50.0, 100.0, 150.0]
        );
        assert!(arrival_schedule(0, 20.0, Arrivals::Uniform, 0).is_empty());
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(arrival_schedule(5, rate, Arrivals::Poisson, 0).is_empty());
        }
        assert_eq!(
            arrival_schedule(u32::MAX, 1.0, Arrivals::Uniform, 0).len(),
            MAX_ARRIVALS as usize
        );
    }

    #[test]
    fn poisson_schedule_has_the_mean_gap_and_repeats() {
        let times = arrival_schedule(100_001, 50.0, Arrivals::Poisson, 3);
        assert_eq!(times[0], 0.0);
        assert!(times.windows(2).all(|pair| pair[1] >= pair[0]));
        let mean_gap = times[100_000] / 100_000.0;
        assert!(close(mean_gap, 20.0, 0.01), "{mean_gap}");
        assert_eq!(times, arrival_schedule(100_001, 50.0, Arrivals::Poisson, 3));
        assert_ne!(times, arrival_schedule(100_001, 50.0, Arrivals::Poisson, 4));
        // The first gap is the first draw.
        let first = -20.0 * Rng::new(3).next_f64().ln();
        assert_eq!(times[1], first);
    }

    fn triples(served: &[Served]) -> Vec<(f64, f64, f64)> {
        served
            .iter()
            .map(|s| (s.arrival_ms, s.start_ms, s.end_ms))
            .collect()
    }

    #[test]
    fn one_server_queues_in_arrival_order() {
        // Four arrive at 0, 1, 2, 30 with 10 ms each: the second waits 9, the third 18, the last none.
        let served = simulate_fifo(&[0.0, 1.0, 2.0, 30.0], &[10.0; 4], Some(1));
        assert_eq!(
            triples(&served),
            [
                (0.0, 0.0, 10.0),
                (1.0, 10.0, 20.0),
                (2.0, 20.0, 30.0),
                (30.0, 30.0, 40.0)
            ]
        );
        assert_eq!(served[2].queue_ms(), 18.0);
        assert_eq!(served[2].service_ms(), 10.0);
    }

    #[test]
    fn two_servers_take_the_earliest_free() {
        // Service 10, 4, 6, 3 arriving at 0, 0, 1, 2: the third takes the server free at 4,
        // the fourth the one free at 10.
        let served = simulate_fifo(&[0.0, 0.0, 1.0, 2.0], &[10.0, 4.0, 6.0, 3.0], Some(2));
        assert_eq!(
            triples(&served),
            [
                (0.0, 0.0, 10.0),
                (0.0, 0.0, 4.0),
                (1.0, 4.0, 10.0),
                (2.0, 10.0, 13.0)
            ]
        );
    }

    #[test]
    fn fifo_follows_arrival_time_not_input_order() {
        let served = simulate_fifo(&[5.0, 0.0, 5.0], &[2.0, 10.0, 1.0], Some(1));
        assert_eq!(
            triples(&served),
            [(5.0, 10.0, 12.0), (0.0, 0.0, 10.0), (5.0, 12.0, 13.0)]
        );
    }

    #[test]
    fn unlimited_servers_never_queue() {
        let served = simulate_fifo(&[0.0, 0.0, 0.0, 1.0], &[5.0, 5.0, 5.0, -1.0], None);
        assert_eq!(
            triples(&served),
            [
                (0.0, 0.0, 5.0),
                (0.0, 0.0, 5.0),
                (0.0, 0.0, 5.0),
                (1.0, 1.0, 1.0)
            ]
        );
        assert!(simulate_fifo(&[], &[1.0], None).is_empty());
        assert_eq!(simulate_fifo(&[0.0, 1.0], &[3.0], Some(0)).len(), 1);
        let zero = simulate_fifo(&[0.0, 0.0], &[3.0, 3.0], Some(0));
        assert_eq!(zero[1].start_ms, 3.0);
    }

    #[test]
    fn occupancy_is_time_averaged_over_the_window() {
        let intervals = [(0.0, 10.0), (5.0, 15.0), (-5.0, 2.0), (30.0, 40.0)];
        // Over [0, 20]: 10 + 10 + 2 + 0 = 22 ms open.
        assert_eq!(time_average_occupancy(&intervals, (0.0, 20.0)), 1.1);
        assert_eq!(time_average_occupancy(&intervals, (5.0, 5.0)), 0.0);
        assert_eq!(time_average_occupancy(&intervals, (5.0, 1.0)), 0.0);
        assert_eq!(time_average_occupancy(&[], (0.0, 1.0)), 0.0);
        assert_eq!(time_average_occupancy(&intervals, (0.0, f64::NAN)), 0.0);
    }
}
