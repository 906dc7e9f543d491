//! The hybrid lab: items, fetches in flight, latency, the kernel and its size per item, the
//! strategies, and the model they are held against.
//!
//! The lab's part of the core: its fields with their ranges, its settings with their defaults and
//! their table (see [`crate::setting`]), how it writes itself into a query and how a query is
//! read, and its results block (`HybridBlock`) and its model (what each strategy should take, and how much fetching and processing overlapped).

use serde::{Deserialize, Serialize};

use crate::config::clamp_size;
use crate::field::{FieldError, FloatField, IntField};
use crate::kernel::Kernel;
use crate::setting::value::c_within_n;
use crate::setting::{self, Setting};

/// How the hybrid lab combines fetching items with processing them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// One item at a time: fetch it, process it, then the next.
    Sequential,
    /// Fetch every item (`c` at a time), then process them all on the worker pool.
    Phased,
    /// Process each item on the worker pool as soon as its fetch returns.
    Pipelined,
    /// Run the three strategies one after another.
    All,
}

named_choices!(Strategy {
    Sequential => "sequential",
    Phased => "phased",
    Pipelined => "pipelined",
    All => "all",
});

/// The strategies a hybrid run can actually use, in the order [`Strategy::All`] runs them.
pub const STRATEGIES: [Strategy; 3] = [Strategy::Sequential, Strategy::Phased, Strategy::Pipelined];

/// Items a hybrid run fetches and processes.
pub const HYBRID_N: IntField = IntField {
    name: "n",
    min: 1,
    max: 500,
    default: 24,
    unit: "items",
};

/// Fetches a hybrid run keeps in flight.
pub const HYBRID_C: IntField = IntField {
    name: "c",
    min: 1,
    max: 64,
    default: 6,
    unit: "fetches in flight",
};

/// Latency of each hybrid fetch from the simulated server.
pub const HYBRID_LATENCY: FloatField = FloatField {
    name: "latency_ms",
    min: 0.0,
    max: 5000.0,
    default: 60.0,
    unit: "ms",
};

/// How fetching and processing are combined.
pub const HYBRID_STRATEGY: Setting = Setting::choice(
    "strategy",
    "Strategy",
    "`sequential` (fetch one, process one), `phased` (fetch all concurrently, then process all in \
     parallel), `pipelined` (each item to the pool as it arrives), `all` (the three side by side; \
     the export holds three runs labelled `sequential`, `phased`, `pipelined`)",
    &Strategy::NAMES,
    Strategy::All.name(),
)
.hint("all: the three side by side");

/// The work on each item.
pub const HYBRID_KERNEL: Setting =
    setting::kernel("the work P on each item, on one worker", Kernel::Sha256);

/// The work per item.
pub const HYBRID_SIZE: Setting = Setting::kernel_size(
    "Size per item",
    "the work per item, in the kernel's unit",
    hybrid_default_size,
    "about L/2 of work",
)
.hint("the kernel's unit; default: about L/2 of work");

/// The per-item size of a hybrid run (see [`Spec::hybrid_size`](crate::kernel::Spec::hybrid_size)), clamped into the kernel's
/// range.
pub fn hybrid_default_size(kernel: Kernel) -> u32 {
    clamp_size(kernel, kernel.spec().hybrid_size)
}

lab_settings! {
    /// Settings of the hybrid lab.
    #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
    pub struct HybridSettings (table HYBRID_SETTINGS, read as HybridFields, rules hybrid_rules) {
        /// How fetching and processing are combined.
        strategy: Strategy = HYBRID_STRATEGY,
        /// Items to fetch and process (see [`HYBRID_N`]).
        n: u32 = Setting::int(HYBRID_N, "Items (n)", "items to fetch and process"),
        /// Fetches in flight, at most `n` (see [`HYBRID_C`]).
        c: u32 = Setting::int(HYBRID_C, "Fetches in flight (c)", "fetches in flight")
            .rule("at most `n`"),
        /// Latency of each fetch, in ms (see [`HYBRID_LATENCY`]).
        latency_ms: f64 = Setting::float(
            HYBRID_LATENCY,
            "Server latency (L)",
            "the simulated server's latency L",
        ),
        /// The work done on each item.
        kernel: Kernel = HYBRID_KERNEL,
        /// The work per item, in the kernel's unit (see [`hybrid_default_size`]).
        size: u32 = HYBRID_SIZE,
    }
}

/// The hybrid lab's rule between fields: `c` is at most `n`.
fn hybrid_rules<'a>(
    fields: &mut HybridFields,
    raw: &impl Fn(&str) -> Option<&'a str>,
    errors: &mut Vec<FieldError>,
) {
    fields.c = c_within_n(&HYBRID_C, fields.c, raw(HYBRID_C.name), fields.n, errors);
}

/// Everything a hybrid lab run recorded beyond its spans: the model, and how fetching and
/// processing overlapped (see [`overlap_ms`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HybridBlock {
    /// How fetching and processing were combined.
    pub strategy: Strategy,
    /// The wall time the model predicts (see [`predict_ms`]).
    pub model_ms: Option<f64>,
    /// CPU time to process one item, as measured, in ms.
    pub process_ms: f64,
    /// Mean latency of the run's fetches, as measured, in ms (the configured latency is the
    /// run's `latency_ms` parameter).
    pub latency_ms: f64,
    /// Worker threads that processed the items.
    pub workers: u32,
    /// Time at least one fetch was in flight (the union of the I/O spans).
    pub fetch_ms: f64,
    /// Time at least one item was being processed (the union of the CPU spans).
    pub compute_ms: f64,
    /// Time fetching and processing ran at once.
    pub overlap_ms: f64,
    /// Time the overlap saved: `fetch_ms + compute_ms −` the wall time.
    pub saved_ms: f64,
    /// The combined checksum of every item's processing, as 16 lowercase hex digits.
    pub checksum: String,
}

// The model: what each strategy should take, and how much a run's fetching and processing
// overlapped.

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
