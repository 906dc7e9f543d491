//! The hybrid pipeline: what each strategy of fetching then processing should take, and how much
//! a run's fetching and processing overlapped.

use crate::config::Strategy;

/// Predicted wall time of fetching `n` items (`c` in flight, `latency_ms` each) and processing
/// each one for `process_ms` of CPU time on `workers` threads.
///
/// - sequential: n·(L + P), one item at a time on one thread;
/// - phased: ⌈n/c⌉·L + n·P/W, every fetch first, then all processing;
/// - pipelined: max(⌈n/c⌉·L + c·P/W, L + n·P/W), either the fetches or the workers set the pace.
///
/// A `c` above `n` counts as `n`. `None` for [`Strategy::All`], for a zero `n`, `c` or
/// `workers`, and for a latency or process time that is negative or not finite.
pub fn predict_ms(
    strategy: Strategy,
    n: u32,
    c: u32,
    latency_ms: f64,
    process_ms: f64,
    workers: u32,
) -> Option<f64> {
    let valid_time = |t: f64| t.is_finite() && t >= 0.0;
    if n == 0 || c == 0 || workers == 0 || !valid_time(latency_ms) || !valid_time(process_ms) {
        return None;
    }
    let c = c.min(n);
    let rounds = f64::from(n.div_ceil(c));
    let (n, c, w) = (f64::from(n), f64::from(c), f64::from(workers));
    let (l, p) = (latency_ms, process_ms);
    match strategy {
        Strategy::Sequential => Some(n * (l + p)),
        Strategy::Phased => Some(rounds * l + n * p / w),
        Strategy::Pipelined => Some((rounds * l + c * p / w).max(l + n * p / w)),
        Strategy::All => None,
    }
}

/// Time during which at least one I/O interval and at least one CPU interval were both open.
///
/// Each side's intervals are merged into their union first, so overlaps within a side count
/// once. Intervals are `(start_ms, end_ms)`; empty, reversed or non-finite ones are ignored.
pub fn overlap_ms(io: &[(f64, f64)], cpu: &[(f64, f64)]) -> f64 {
    let (io, cpu) = (union(io), union(cpu));
    let (mut i, mut j) = (0, 0);
    let mut total = 0.0;
    while let (Some(&(a_start, a_end)), Some(&(b_start, b_end))) = (io.get(i), cpu.get(j)) {
        total += (a_end.min(b_end) - a_start.max(b_start)).max(0.0);
        if a_end < b_end {
            i += 1;
        } else {
            j += 1;
        }
    }
    total
}

/// Length of the union of the intervals: the time at least one of them was open.
///
/// Empty, reversed or non-finite intervals are ignored.
pub fn busy_ms(intervals: &[(f64, f64)]) -> f64 {
    union(intervals)
        .iter()
        .map(|(start, end)| end - start)
        .sum()
}

/// Time the overlap saved: busy fetching plus busy processing, minus the wall time it all took.
///
/// Negative when gaps with neither going cost more than the overlap saved.
pub fn saved_ms(fetch_ms: f64, compute_ms: f64, wall_ms: f64) -> f64 {
    fetch_ms + compute_ms - wall_ms
}

/// The valid intervals merged into disjoint ones, sorted by start.
fn union(intervals: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut sorted: Vec<(f64, f64)> = intervals
        .iter()
        .copied()
        .filter(|&(start, end)| start.is_finite() && end.is_finite() && end > start)
        .collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(sorted.len());
    for (start, end) in sorted {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predictions_match_hand_computed_values() {
        // n 24, c 6, L 60, P 30, W 2: 4 rounds of fetches.
        let predict = |strategy| predict_ms(strategy, 24, 6, 60.0, 30.0, 2);
        // 24 × (60 + 30)
        assert_eq!(predict(Strategy::Sequential), Some(2160.0));
        // 4 × 60 + 24 × 30 / 2 = 240 + 360
        assert_eq!(predict(Strategy::Phased), Some(600.0));
        // max(240 + 6 × 30 / 2, 60 + 360) = max(330, 420): the workers set the pace.
        assert_eq!(predict(Strategy::Pipelined), Some(420.0));
        assert_eq!(predict(Strategy::All), None);
    }

    #[test]
    fn pipelined_can_be_paced_by_the_fetches() {
        // n 10, c 2, L 100, P 10, W 4: 5 rounds; max(500 + 5, 100 + 25) = 505.
        assert_eq!(
            predict_ms(Strategy::Pipelined, 10, 2, 100.0, 10.0, 4),
            Some(505.0)
        );
        // ⌈10 / 3⌉ = 4 rounds: 400 + 25 phased.
        assert_eq!(
            predict_ms(Strategy::Phased, 10, 3, 100.0, 10.0, 4),
            Some(425.0)
        );
    }

    #[test]
    fn c_above_n_counts_as_n() {
        assert_eq!(
            predict_ms(Strategy::Pipelined, 3, 50, 60.0, 30.0, 1),
            predict_ms(Strategy::Pipelined, 3, 3, 60.0, 30.0, 1)
        );
        // One round: 60 + 3 × 30 either way.
        assert_eq!(
            predict_ms(Strategy::Pipelined, 3, 50, 60.0, 30.0, 1),
            Some(150.0)
        );
    }

    #[test]
    fn invalid_inputs_predict_nothing() {
        for strategy in crate::config::STRATEGIES {
            assert_eq!(predict_ms(strategy, 0, 6, 60.0, 30.0, 2), None);
            assert_eq!(predict_ms(strategy, 24, 0, 60.0, 30.0, 2), None);
            assert_eq!(predict_ms(strategy, 24, 6, 60.0, 30.0, 0), None);
            assert_eq!(predict_ms(strategy, 24, 6, -1.0, 30.0, 2), None);
            assert_eq!(predict_ms(strategy, 24, 6, 60.0, f64::NAN, 2), None);
            assert_eq!(predict_ms(strategy, 24, 6, f64::INFINITY, 30.0, 2), None);
            assert!(predict_ms(strategy, u32::MAX, 1, 0.0, 0.0, u32::MAX).is_some());
        }
    }

    #[test]
    fn busy_time_is_the_union() {
        assert_eq!(busy_ms(&[]), 0.0);
        assert_eq!(busy_ms(&[(0.0, 10.0)]), 10.0);
        // [0, 10] ∪ [5, 15] ∪ [20, 25] ∪ [21, 22] = 15 + 5.
        assert_eq!(
            busy_ms(&[(20.0, 25.0), (0.0, 10.0), (21.0, 22.0), (5.0, 15.0)]),
            20.0
        );
        // Touching intervals merge; empty, reversed and non-finite ones are ignored.
        assert_eq!(
            busy_ms(&[
                (0.0, 5.0),
                (5.0, 8.0),
                (9.0, 9.0),
                (12.0, 10.0),
                (f64::NAN, 3.0),
                (0.0, f64::INFINITY)
            ]),
            8.0
        );
    }

    #[test]
    fn overlap_counts_time_both_sides_were_open() {
        // I/O busy [0, 60] and [100, 160]; CPU busy [50, 80] and [90, 130].
        let io = [(0.0, 60.0), (100.0, 160.0), (10.0, 40.0)];
        let cpu = [(50.0, 80.0), (90.0, 110.0), (105.0, 130.0)];
        // [50, 60] and [100, 130].
        assert_eq!(overlap_ms(&io, &cpu), 40.0);
        assert_eq!(overlap_ms(&cpu, &io), 40.0);
        // Phased: every fetch ends before processing starts.
        assert_eq!(overlap_ms(&[(0.0, 240.0)], &[(240.0, 600.0)]), 0.0);
        assert_eq!(overlap_ms(&[], &cpu), 0.0);
        // One long fetch across several CPU spans counts each CPU moment once.
        assert_eq!(
            overlap_ms(
                &[(0.0, 100.0)],
                &[(10.0, 30.0), (20.0, 40.0), (90.0, 200.0)]
            ),
            40.0
        );
    }

    #[test]
    fn saved_time_is_busy_time_minus_wall() {
        // Fetching 240 and processing 360 within 420 of wall time saved 180.
        assert_eq!(saved_ms(240.0, 360.0, 420.0), 180.0);
        assert_eq!(saved_ms(240.0, 360.0, 600.0), 0.0);
    }
}
