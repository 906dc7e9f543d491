//! Sweeps: the levels each lab runs (load for I/O, threads and tasks for CPU, time between yields
//! for the trade-off), and the I/O levels' steady-state summary.

use crate::span::Span;
use crate::stats::{saturating_u32, LatencyMs, Summary};

/// How many rates [`rate_levels`] makes.
pub const RATE_LEVELS: u32 = 8;

/// Requests in flight per level: 1, 2, 4, ... below `max_c`, then `max_c` itself (10 gives
/// 1, 2, 4, 8, 10; 0 gives none).
pub fn concurrency_levels(max_c: u32) -> Vec<u32> {
    let mut levels: Vec<u32> = std::iter::successors(Some(1u32), |c| c.checked_mul(2))
        .take_while(|&c| c < max_c)
        .collect();
    if max_c > 0 {
        levels.push(max_c);
    }
    levels
}

/// Task counts per level of a CPU sweep over granularity: 1, 4, 16, ... below `max_tasks`, then
/// `max_tasks` itself (65 536 gives 9 levels, 100 gives 1, 4, 16, 64, 100; 0 gives none).
pub fn task_levels(max_tasks: u32) -> Vec<u32> {
    let mut levels: Vec<u32> = std::iter::successors(Some(1u32), |t| t.checked_mul(4))
        .take_while(|&t| t < max_tasks)
        .collect();
    if max_tasks > 0 {
        levels.push(max_tasks);
    }
    levels
}

/// Thread counts per level of a CPU sweep over threads: 1, 2, ..., `max_threads`.
pub fn thread_levels(max_threads: u32) -> Vec<u32> {
    (1..=max_threads).collect()
}

/// Arrival rates per level: max/8, 2·max/8, ..., max, each to 3 significant digits.
///
/// Empty when `max_rate` is not a positive number.
pub fn rate_levels(max_rate: f64) -> Vec<f64> {
    if !(max_rate.is_finite() && max_rate > 0.0) {
        return Vec::new();
    }
    (1..=RATE_LEVELS)
        .map(|i| significant(max_rate * f64::from(i) / f64::from(RATE_LEVELS), 3))
        .collect()
}

/// `value` rounded to `digits` significant digits, as the nearest f64 to that decimal.
fn significant(value: f64, digits: i32) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let shift = digits - 1 - value.abs().log10().floor() as i32;
    let rounded = if shift >= 0 {
        // Dividing by an exact power of ten gives the f64 nearest the decimal.
        let scale = 10f64.powi(shift);
        (value * scale).round() / scale
    } else {
        let scale = 10f64.powi(-shift);
        (value / scale).round() * scale
    };
    if rounded.is_finite() {
        rounded
    } else {
        value
    }
}

/// Times between yields a trade-off sweep can try, in ms: 1-2-5 steps from 1 to 1000.
const SLICE_STEPS_MS: [f64; 10] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0];

/// The top of a trade-off sweep over `slice_ms`, in ms.
pub const SLICE_SWEEP_MAX_MS: f64 = 200.0;

/// Times between yields per level of a trade-off sweep: 1, 2, 5, 10, ... 1000 ms, up to
/// `max_ms` (200 gives 8 levels; below 1 or not a number gives none).
pub fn slice_levels(max_ms: f64) -> Vec<f64> {
    SLICE_STEPS_MS
        .into_iter()
        .filter(|&slice| slice <= max_ms)
        .collect()
}

/// Requests to run at one level: `n`, but at least ten per request in flight.
pub fn requests_per_level(n: u32, c: u32) -> u32 {
    n.max(c.saturating_mul(10))
}

/// One level's summary over its steady window, leaving out the ramp-up and the drain.
///
/// The successful spans are sorted by end; the first `c` and last `c` completions are dropped
/// (all are kept if fewer than 2 would remain). The window runs from the last dropped early
/// completion (or, with none dropped, the earliest start) to the last kept completion.
/// Throughput counts the kept completions over the window; latency uses the kept durations;
/// the mean in flight counts every span within the window. `completed` and `errors` count every
/// span and `wall_ms` is the latest end.
pub fn steady_summary(spans: &[Span], c: u32) -> Summary {
    let mut ok: Vec<&Span> = spans.iter().filter(|span| span.ok).collect();
    ok.sort_by(|a, b| a.end_ms.total_cmp(&b.end_ms));
    let drop = usize::try_from(c).unwrap_or(usize::MAX);
    let kept: &[&Span] = if ok.len().saturating_sub(drop.saturating_mul(2)) >= 2 {
        &ok[drop..ok.len() - drop]
    } else {
        &ok
    };
    let from_ms = match ok.len() - kept.len() {
        0 => kept
            .iter()
            .map(|span| span.start_ms)
            .fold(f64::INFINITY, f64::min),
        _ => ok[drop - 1].end_ms,
    };
    let to_ms = kept.last().map_or(from_ms, |span| span.end_ms);
    let window_ms = to_ms - from_ms;
    let has_time = window_ms.is_finite() && window_ms > 0.0;

    let durations: Vec<f64> = kept.iter().map(|span| span.duration_ms()).collect();
    let open_ms: f64 = spans
        .iter()
        .map(|span| (span.end_ms.min(to_ms) - span.start_ms.max(from_ms)).max(0.0))
        .sum();
    let wall_ms = spans
        .iter()
        .map(|span| span.end_ms)
        .filter(|end| end.is_finite())
        .fold(0.0, f64::max);
    let completed = ok.len();
    Summary {
        wall_ms,
        completed: saturating_u32(completed),
        errors: saturating_u32(spans.len() - completed),
        throughput_per_s: if has_time {
            kept.len() as f64 * 1000.0 / window_ms
        } else {
            0.0
        },
        latency_ms: LatencyMs::from_samples(&durations),
        mean_in_flight: if has_time { open_ms / window_ms } else { 0.0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Lane;

    #[test]
    fn concurrency_levels_double_then_reach_the_top() {
        assert_eq!(concurrency_levels(10), [1, 2, 4, 8, 10]);
        assert_eq!(concurrency_levels(8), [1, 2, 4, 8]);
        assert_eq!(concurrency_levels(2), [1, 2]);
        assert_eq!(concurrency_levels(1), [1]);
        assert!(concurrency_levels(0).is_empty());
        let top = concurrency_levels(u32::MAX);
        assert_eq!(top.len(), 33);
        assert_eq!(top[31], 1 << 31);
        assert_eq!(top[32], u32::MAX);
    }

    #[test]
    fn task_levels_are_powers_of_four_then_the_top() {
        assert_eq!(task_levels(64), [1, 4, 16, 64]);
        assert_eq!(task_levels(100), [1, 4, 16, 64, 100]);
        assert_eq!(
            task_levels(65_536),
            [1, 4, 16, 64, 256, 1024, 4096, 16_384, 65_536]
        );
        assert_eq!(task_levels(1), [1]);
        assert_eq!(task_levels(2), [1, 2]);
        assert!(task_levels(0).is_empty());
        let top = task_levels(u32::MAX);
        assert_eq!(top.len(), 17);
        assert_eq!(top[15], 1 << 30);
    }

    #[test]
    fn thread_levels_count_up() {
        assert_eq!(thread_levels(4), [1, 2, 3, 4]);
        assert_eq!(thread_levels(1), [1]);
        assert!(thread_levels(0).is_empty());
    }

    #[test]
    fn rate_levels_are_eighths_to_three_digits() {
        assert_eq!(
            rate_levels(80.0),
            [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0]
        );
        assert_eq!(
            rate_levels(100.0),
            [12.5, 25.0, 37.5, 50.0, 62.5, 75.0, 87.5, 100.0]
        );
        assert_eq!(
            rate_levels(0.1),
            [0.0125, 0.025, 0.0375, 0.05, 0.0625, 0.075, 0.0875, 0.1]
        );
        assert_eq!(rate_levels(7.0)[0], 0.875);
        assert_eq!(rate_levels(1.0 / 3.0)[7], 0.333);
        assert_eq!(rate_levels(123_456.0)[7], 123_000.0);
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(rate_levels(bad).is_empty());
        }
        assert_eq!(rate_levels(f64::MAX).len(), 8);
    }

    #[test]
    fn slice_levels_step_1_2_5_up_to_the_max() {
        assert_eq!(
            slice_levels(SLICE_SWEEP_MAX_MS),
            [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0]
        );
        assert_eq!(slice_levels(1000.0).len(), 10);
        assert_eq!(slice_levels(f64::INFINITY).len(), 10);
        assert_eq!(slice_levels(16.0), [1.0, 2.0, 5.0, 10.0]);
        assert_eq!(slice_levels(1.0), [1.0]);
        assert!(slice_levels(0.99).is_empty());
        assert!(slice_levels(-5.0).is_empty());
        assert!(slice_levels(f64::NAN).is_empty());
    }

    #[test]
    fn requests_per_level_is_at_least_ten_per_slot() {
        assert_eq!(requests_per_level(100, 4), 100);
        assert_eq!(requests_per_level(100, 64), 640);
        assert_eq!(requests_per_level(0, 0), 0);
        assert_eq!(requests_per_level(1, u32::MAX), u32::MAX);
    }

    /// A perfect closed loop: `c` slots each running `rounds` requests of `d` ms back to back.
    fn closed_loop(c: u32, rounds: u32, d: f64) -> Vec<Span> {
        (0..rounds)
            .flat_map(|round| {
                (0..c).map(move |slot| Span {
                    id: round * c + slot,
                    lane: Lane::Io(slot),
                    start_ms: f64::from(round) * d,
                    end_ms: f64::from(round + 1) * d,
                    ok: true,
                })
            })
            .collect()
    }

    #[test]
    fn perfect_closed_loop_gives_c_over_d() {
        for (c, rounds, d) in [(4u32, 10u32, 50.0), (1, 3, 20.0), (16, 5, 12.5)] {
            let summary = steady_summary(&closed_loop(c, rounds, d), c);
            assert_eq!(summary.throughput_per_s, f64::from(c) * 1000.0 / d);
            assert_eq!(summary.mean_in_flight, f64::from(c));
            assert_eq!(summary.completed, c * rounds);
            assert_eq!(summary.errors, 0);
            assert_eq!(summary.wall_ms, f64::from(rounds) * d);
            let latency = summary.latency_ms.unwrap();
            assert_eq!((latency.p50, latency.max, latency.mean), (d, d, d));
        }
    }

    #[test]
    fn ramp_and_drain_are_left_out() {
        // One slot: a slow first request (100 ms), then 20 ms ones, then a slow last one.
        let durations = [100.0, 20.0, 20.0, 20.0, 20.0, 300.0];
        let mut at = 0.0;
        let mut spans: Vec<Span> = durations
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                let span = Span {
                    id: i as u32,
                    lane: Lane::Io(0),
                    start_ms: at,
                    end_ms: at + d,
                    ok: true,
                };
                at += d;
                span
            })
            .collect();
        spans.push(Span {
            id: 6,
            lane: Lane::Io(1),
            start_ms: 110.0,
            end_ms: 130.0,
            ok: false,
        });
        let summary = steady_summary(&spans, 1);
        // Window 100..180: four completions in 80 ms.
        assert_eq!(summary.throughput_per_s, 50.0);
        assert_eq!(summary.latency_ms.unwrap().max, 20.0);
        // 80 ms of the slot plus 20 ms of the failed span, over 80 ms.
        assert_eq!(summary.mean_in_flight, 1.25);
        assert_eq!((summary.completed, summary.errors), (6, 1));
        assert_eq!(summary.wall_ms, 480.0);
    }

    #[test]
    fn too_few_spans_use_them_all() {
        let spans = closed_loop(2, 1, 10.0);
        // Dropping 2 + 2 of 2 would leave none: all are kept, from the first start.
        let summary = steady_summary(&spans, 2);
        assert_eq!(summary.throughput_per_s, 200.0);
        assert_eq!(summary.mean_in_flight, 2.0);
        assert_eq!(steady_summary(&spans, 0), summary);

        let empty = steady_summary(&[], 4);
        assert_eq!((empty.completed, empty.errors), (0, 0));
        assert_eq!(empty.throughput_per_s, 0.0);
        assert_eq!(empty.mean_in_flight, 0.0);
        assert_eq!(empty.latency_ms, None);
        assert_eq!(empty.wall_ms, 0.0);

        let broken = [Span {
            id: 0,
            lane: Lane::Io(0),
            start_ms: f64::NAN,
            end_ms: f64::NAN,
            ok: true,
        }];
        let summary = steady_summary(&broken, u32::MAX);
        assert_eq!(summary.throughput_per_s, 0.0);
        assert_eq!(summary.mean_in_flight, 0.0);
    }
}
