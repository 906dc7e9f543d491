//! Statistics over a run: percentiles, latency, throughput, time-averaged concurrency, histograms.

use serde::{Deserialize, Serialize};

use crate::span::Span;

/// The most bins [`histogram`] makes, however many are asked for.
pub const MAX_BINS: usize = 4096;

/// The exact nearest-rank `p`-th percentile of an ascending-sorted slice.
///
/// Returns `None` when the slice is empty or `p` is not within `[0, 100]`.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=100.0).contains(&p) {
        return None;
    }
    let n = sorted.len();
    // `p * n / 100` rather than `p / 100 * n`: for whole `p` the product is exact, so
    // p90 of 100 samples is rank 90 and not 91 through rounding.
    let rank = (p * n as f64 / 100.0).ceil() as usize;
    sorted.get(rank.clamp(1, n) - 1).copied()
}

/// Latency percentiles, maximum and mean, in ms.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyMs {
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest sample.
    pub max: f64,
    /// Arithmetic mean.
    pub mean: f64,
}

impl LatencyMs {
    /// Summarises samples in any order, ignoring NaN and infinities; `None` when none are left.
    pub fn from_samples(samples: &[f64]) -> Option<LatencyMs> {
        // Infinities are dropped too: JSON has no way to write them.
        let mut sorted: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let max = *sorted.last()?;
        Some(LatencyMs {
            p50: percentile(&sorted, 50.0)?,
            p90: percentile(&sorted, 90.0)?,
            p99: percentile(&sorted, 99.0)?,
            max,
            mean: sorted.iter().sum::<f64>() / sorted.len() as f64,
        })
    }
}

/// What one run achieved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Wall-clock time of the whole run, in ms.
    pub wall_ms: f64,
    /// Spans that succeeded.
    pub completed: u32,
    /// Spans that failed.
    pub errors: u32,
    /// Completed spans per second of wall-clock time.
    pub throughput_per_s: f64,
    /// Latency of the completed spans; `None` when none completed.
    pub latency_ms: Option<LatencyMs>,
    /// Time-averaged number of spans open during the run.
    pub mean_in_flight: f64,
}

/// Summarises a run's spans over `wall_ms` of wall-clock time.
///
/// Throughput and latency count only the spans that succeeded; the mean number in flight counts
/// every span, clipped to `[0, wall_ms]`. Rates are 0 when `wall_ms` is not positive.
pub fn summarize(spans: &[Span], wall_ms: f64) -> Summary {
    let completed = spans.iter().filter(|span| span.ok).count();
    let errors = spans.len() - completed;
    let has_time = wall_ms.is_finite() && wall_ms > 0.0;

    let throughput_per_s = if has_time {
        completed as f64 / (wall_ms / 1000.0)
    } else {
        0.0
    };
    let ok_durations: Vec<f64> = spans
        .iter()
        .filter(|span| span.ok)
        .map(Span::duration_ms)
        .collect();
    let mean_in_flight = if has_time {
        let open_ms: f64 = spans
            .iter()
            .map(|span| (span.end_ms.min(wall_ms) - span.start_ms.max(0.0)).max(0.0))
            .sum();
        open_ms / wall_ms
    } else {
        0.0
    };

    Summary {
        wall_ms,
        completed: saturating_u32(completed),
        errors: saturating_u32(errors),
        throughput_per_s,
        latency_ms: LatencyMs::from_samples(&ok_durations),
        mean_in_flight,
    }
}

/// The index of the median of repeated wall times: the lower median for an even count.
///
/// NaN and infinite times are left out; `None` when none are left.
pub fn median_index(walls: &[f64]) -> Option<usize> {
    let mut order: Vec<usize> = (0..walls.len())
        .filter(|&i| walls.get(i).is_some_and(|wall| wall.is_finite()))
        .collect();
    // A stable sort, so equal times keep their order and the earliest repetition wins.
    order.sort_by(|&a, &b| walls[a].total_cmp(&walls[b]));
    order.get(order.len().checked_sub(1)? / 2).copied()
}

/// Repetitions further apart than this share of their median mean the machine was busy, and a
/// figure drawn from them is uncertain.
pub const BUSY_SPREAD: f64 = 0.25;

/// How far repeated measurements of one thing lie apart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// The fastest.
    pub min: f64,
    /// The lower median.
    pub median: f64,
    /// The slowest.
    pub max: f64,
}

impl Spread {
    /// The spread of the finite values; `None` with fewer than two.
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.len() < 2 {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        Some(Spread {
            min: sorted[0],
            median: sorted[(sorted.len() - 1) / 2],
            max: sorted[sorted.len() - 1],
        })
    }

    /// (max − min) / median: 0.3 means the repetitions lay 30% of the median apart.
    pub fn relative(&self) -> f64 {
        if self.median > 0.0 {
            (self.max - self.min) / self.median
        } else {
            0.0
        }
    }

    /// Whether the repetitions lay more than [`BUSY_SPREAD`] apart.
    pub fn busy(&self) -> bool {
        self.relative() > BUSY_SPREAD
    }
}

pub(crate) fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One histogram bar: the samples in `[lo, hi)`, or `[lo, hi]` for the last bar.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Number of samples in the bar.
    pub count: u32,
}

/// Counts samples into `bins` equal-width bars spanning their minimum to maximum.
///
/// Every finite sample lands in a bar. Empty input or zero bins give no bars; samples that are all
/// equal give one bar; at most [`MAX_BINS`] bars are made.
pub fn histogram(samples: &[f64], bins: usize) -> Vec<Bin> {
    let finite: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    let Some(&first) = finite.first().filter(|_| bins > 0) else {
        return Vec::new();
    };
    let (min, max) = finite
        .iter()
        .fold((first, first), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    // A range too wide for f64 (beyond ±f64::MAX apart) cannot be split, so it is one bar.
    if min == max || !(max - min).is_finite() {
        return vec![Bin {
            lo: min,
            hi: max,
            count: saturating_u32(finite.len()),
        }];
    }

    let bins = bins.min(MAX_BINS);
    let width = (max - min) / bins as f64;
    let mut counts = vec![0u32; bins];
    for x in finite {
        // The maximum itself would index one past the end; it belongs to the last bar.
        let index = (((x - min) / width) as usize).min(bins - 1);
        counts[index] = counts[index].saturating_add(1);
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| Bin {
            lo: min + width * i as f64,
            hi: if i + 1 == bins {
                max
            } else {
                min + width * (i + 1) as f64
            },
            count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Lane;

    fn one_to_hundred() -> Vec<f64> {
        (1..=100).map(f64::from).collect()
    }

    #[test]
    fn spread_says_when_repetitions_disagree() {
        let calm = Spread::of(&[200.0, 210.0, 205.0]).unwrap();
        assert_eq!((calm.min, calm.median, calm.max), (200.0, 205.0, 210.0));
        assert!((calm.relative() - 10.0 / 205.0).abs() < 1e-12);
        assert!(!calm.busy());
        let busy = Spread::of(&[200.0, 320.0, f64::NAN, 210.0]).unwrap();
        assert_eq!(busy.median, 210.0);
        assert!(busy.busy());
        assert_eq!(Spread::of(&[1.0]), None);
        assert_eq!(Spread::of(&[0.0, 0.0]).map(|s| s.relative()), Some(0.0));
    }

    #[test]
    fn percentile_is_nearest_rank() {
        let data = one_to_hundred();
        assert_eq!(percentile(&data, 0.0), Some(1.0));
        assert_eq!(percentile(&data, 1.0), Some(1.0));
        assert_eq!(percentile(&data, 50.0), Some(50.0));
        assert_eq!(percentile(&data, 50.5), Some(51.0));
        assert_eq!(percentile(&data, 90.0), Some(90.0));
        assert_eq!(percentile(&data, 99.0), Some(99.0));
        assert_eq!(percentile(&data, 100.0), Some(100.0));
        assert_eq!(percentile(&[10.0, 20.0, 30.0], 50.0), Some(20.0));
        assert_eq!(percentile(&[10.0, 20.0, 30.0, 40.0], 50.0), Some(20.0));
        assert_eq!(percentile(&[10.0, 20.0, 30.0, 40.0], 51.0), Some(30.0));
    }

    #[test]
    fn percentile_rejects_bad_input() {
        assert_eq!(percentile(&[], 50.0), None);
        assert_eq!(percentile(&[1.0], -0.1), None);
        assert_eq!(percentile(&[1.0], 100.1), None);
        assert_eq!(percentile(&[1.0], f64::NAN), None);
    }

    #[test]
    fn latency_of_one_to_hundred() {
        let latency = LatencyMs::from_samples(&one_to_hundred()).unwrap();
        assert_eq!(
            latency,
            LatencyMs {
                p50: 50.0,
                p90: 90.0,
                p99: 99.0,
                max: 100.0,
                mean: 50.5
            }
        );
    }

    #[test]
    fn latency_sorts_and_ignores_non_finite() {
        let samples = [9.0, f64::NAN, 1.0, 5.0, f64::INFINITY, 3.0, 7.0];
        let latency = LatencyMs::from_samples(&samples).unwrap();
        assert_eq!(latency.p50, 5.0);
        assert_eq!(latency.p90, 9.0);
        assert_eq!(latency.max, 9.0);
        assert_eq!(latency.mean, 5.0);
    }

    #[test]
    fn latency_of_one_sample_and_of_none() {
        let latency = LatencyMs::from_samples(&[4.25]).unwrap();
        assert_eq!(
            (latency.p50, latency.p99, latency.max, latency.mean),
            (4.25, 4.25, 4.25, 4.25)
        );
        assert_eq!(LatencyMs::from_samples(&[]), None);
        assert_eq!(LatencyMs::from_samples(&[f64::NAN]), None);
    }

    fn span(id: u32, start_ms: f64, end_ms: f64, ok: bool) -> Span {
        Span {
            id,
            lane: Lane::Io(id),
            start_ms,
            end_ms,
            ok,
        }
    }

    #[test]
    fn summarize_hand_made_run() {
        // Four spans in 500 ms: three succeed (100, 200, 300 ms) and one fails (150 ms),
        // so 750 ms of open time over 500 ms of wall time.
        let spans = [
            span(0, 0.0, 100.0, true),
            span(1, 0.0, 200.0, true),
            span(2, 100.0, 400.0, true),
            span(3, 350.0, 500.0, false),
        ];
        let summary = summarize(&spans, 500.0);
        assert_eq!(summary.wall_ms, 500.0);
        assert_eq!(summary.completed, 3);
        assert_eq!(summary.errors, 1);
        assert_eq!(summary.throughput_per_s, 6.0);
        assert_eq!(summary.mean_in_flight, 1.5);
        let latency = summary.latency_ms.unwrap();
        assert_eq!(
            (latency.p50, latency.max, latency.mean),
            (200.0, 300.0, 200.0)
        );
    }

    #[test]
    fn summarize_clips_spans_to_the_run() {
        let spans = [span(0, -50.0, 50.0, true), span(1, 150.0, 300.0, true)];
        let summary = summarize(&spans, 200.0);
        assert_eq!(summary.mean_in_flight, 0.5);
        assert_eq!(summary.throughput_per_s, 10.0);
    }

    #[test]
    fn summarize_without_time_or_spans() {
        let summary = summarize(&[span(0, 0.0, 10.0, true)], 0.0);
        assert_eq!(summary.throughput_per_s, 0.0);
        assert_eq!(summary.mean_in_flight, 0.0);
        assert_eq!(summary.completed, 1);

        let empty = summarize(&[], 100.0);
        assert_eq!(empty.completed, 0);
        assert_eq!(empty.errors, 0);
        assert_eq!(empty.throughput_per_s, 0.0);
        assert_eq!(empty.latency_ms, None);
        assert_eq!(empty.mean_in_flight, 0.0);

        assert_eq!(summarize(&[], f64::NAN).throughput_per_s, 0.0);
    }

    #[test]
    fn median_index_picks_the_middle_repetition() {
        assert_eq!(median_index(&[300.0, 100.0, 200.0]), Some(2));
        assert_eq!(median_index(&[100.0, 200.0, 300.0]), Some(1));
        assert_eq!(median_index(&[5.0]), Some(0));
        // Lower median of an even count.
        assert_eq!(median_index(&[40.0, 10.0, 30.0, 20.0]), Some(3));
        assert_eq!(median_index(&[2.0, 1.0]), Some(1));
        // Ties keep the earliest.
        assert_eq!(median_index(&[7.0, 7.0, 7.0]), Some(1));
        assert_eq!(
            median_index(&[f64::NAN, 300.0, f64::INFINITY, 100.0, 200.0]),
            Some(4)
        );
        assert_eq!(median_index(&[f64::NAN, f64::NAN]), None);
        assert_eq!(median_index(&[]), None);
    }

    #[test]
    fn histogram_counts_every_sample() {
        let bins = histogram(&[0.0, 1.0, 2.5, 5.0, 7.5, 9.9, 10.0], 4);
        let edges: Vec<(f64, f64)> = bins.iter().map(|bin| (bin.lo, bin.hi)).collect();
        assert_eq!(edges, [(0.0, 2.5), (2.5, 5.0), (5.0, 7.5), (7.5, 10.0)]);
        let counts: Vec<u32> = bins.iter().map(|bin| bin.count).collect();
        assert_eq!(counts, [2, 1, 1, 3]);
    }

    #[test]
    fn histogram_edge_cases() {
        assert!(histogram(&[], 10).is_empty());
        assert!(histogram(&[1.0, 2.0], 0).is_empty());
        assert!(histogram(&[f64::NAN], 3).is_empty());
        assert_eq!(
            histogram(&[3.0, 3.0, 3.0], 5),
            [Bin {
                lo: 3.0,
                hi: 3.0,
                count: 3
            }]
        );
        let many = histogram(&[0.0, 1.0], usize::MAX);
        assert_eq!(many.len(), MAX_BINS);
        assert_eq!(many.iter().map(|bin| bin.count).sum::<u32>(), 2);
        assert_eq!(many.last().map(|bin| bin.hi), Some(1.0));
    }
}
