//! Statistics of a generated data set: mean, spread, extremes and a histogram. Each task
//! summarises its share of the values exactly; the shares merge in any order.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::checksum::mix;
use super::{Fnv, Share, GOLDEN};

/// Seed of the statistics kernel's data set: value `i` comes from `DATA_SEED + i`.
pub const DATA_SEED: u64 = 0x5EED_DA7A;

/// Bins of the statistics kernel's histogram, equal-width over `[0, 2^24)`.
pub const HISTOGRAM_BINS: usize = 64;

/// Values of the statistics kernel are 24-bit, so each histogram bin is 2^18 wide.
const VALUE_BITS: u32 = 24;
const BIN_SHIFT: u32 = VALUE_BITS - 6;
/// Values summed in `u64` before joining the 128-bit totals: each square is under 2^48, so 2^15
/// of them stay under 2^63.
const BLOCK: u64 = 1 << 15;

/// Exact statistics of some of the data set's values; partials merge in any order.
#[derive(Clone, Debug, PartialEq)]
pub struct StatsPartial {
    /// Number of values.
    pub count: u64,
    /// Sum of the values.
    pub sum: u128,
    /// Sum of the squared values.
    pub sum_sq: u128,
    /// Smallest value (`u32::MAX` when there are none).
    pub min: u32,
    /// Largest value (0 when there are none).
    pub max: u32,
    /// Values per bin, 64 equal bins over `[0, 2^24)`.
    pub histogram: [u64; HISTOGRAM_BINS],
}

/// The finished statistics of the data set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataStats {
    /// Number of values.
    pub count: u64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Population standard deviation.
    pub std_dev: f64,
    /// Smallest value.
    pub min: u32,
    /// Largest value.
    pub max: u32,
    /// Values per bin, 64 equal bins over `[0, 2^24)`.
    pub histogram: Vec<u64>,
}

/// A task's share: the statistics of values `[start, end)`.
pub(super) fn run(values: Range<u64>) -> Share {
    let partial = StatsPartial::of_values(values.start, values.end);
    Share {
        items: partial.count,
        checksum: partial.checksum(),
        partial: Some(Box::new(partial)),
    }
}

impl StatsPartial {
    /// Statistics of no values: merging it changes nothing.
    pub fn empty() -> StatsPartial {
        StatsPartial {
            count: 0,
            sum: 0,
            sum_sq: 0,
            min: u32::MAX,
            max: 0,
            histogram: [0; HISTOGRAM_BINS],
        }
    }

    /// Adds one value; values of 2^24 and above count in the last bin.
    pub fn push(&mut self, value: u32) {
        let wide = u128::from(value);
        self.count = self.count.saturating_add(1);
        self.sum = self.sum.saturating_add(wide);
        self.sum_sq = self.sum_sq.saturating_add(wide * wide);
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        let bin = ((value >> BIN_SHIFT) as usize).min(HISTOGRAM_BINS - 1);
        if let Some(count) = self.histogram.get_mut(bin) {
            *count = count.saturating_add(1);
        }
    }

    /// Statistics of the data set's values `[start, end)`.
    ///
    /// The same sums as [`push`](Self::push) would give, in blocks of [`BLOCK`] values whose sums
    /// fit a `u64`: the hot loop stays in 64-bit arithmetic (in WebAssembly a `u128` multiply is
    /// a library call, and it made this kernel three times slower than native), and each block
    /// is added to the 128-bit totals once.
    fn of_values(start: u64, end: u64) -> StatsPartial {
        let mut partial = StatsPartial::empty();
        let mut from = start;
        while from < end {
            let to = end.min(from.saturating_add(BLOCK));
            let (mut sum, mut sum_sq) = (0_u64, 0_u64);
            for i in from..to {
                let value = data_value(i);
                let wide = u64::from(value);
                sum += wide;
                sum_sq += wide * wide;
                partial.min = partial.min.min(value);
                partial.max = partial.max.max(value);
                partial.histogram[((value >> BIN_SHIFT) as usize).min(HISTOGRAM_BINS - 1)] += 1;
            }
            partial.count += to - from;
            partial.sum = partial.sum.saturating_add(u128::from(sum));
            partial.sum_sq = partial.sum_sq.saturating_add(u128::from(sum_sq));
            from = to;
        }
        partial
    }

    /// Adds another partial's values to this one's.
    pub fn merge(&mut self, other: &StatsPartial) {
        self.count = self.count.saturating_add(other.count);
        self.sum = self.sum.saturating_add(other.sum);
        self.sum_sq = self.sum_sq.saturating_add(other.sum_sq);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        for (mine, theirs) in self.histogram.iter_mut().zip(other.histogram) {
            *mine = mine.saturating_add(theirs);
        }
    }

    /// Mean, population standard deviation and the rest; `None` when there are no values.
    pub fn finish(&self) -> Option<DataStats> {
        if self.count == 0 {
            return None;
        }
        let n = self.count as f64;
        let mean = self.sum as f64 / n;
        // n·Σx² − (Σx)² is exact in integers while it fits, so no precision is lost to cancellation.
        let spread = u128::from(self.count)
            .checked_mul(self.sum_sq)
            .zip(self.sum.checked_mul(self.sum))
            .and_then(|(a, b)| a.checked_sub(b));
        let variance = match spread {
            Some(spread) => spread as f64 / (n * n),
            None => (self.sum_sq as f64 / n - mean * mean).max(0.0),
        };
        Some(DataStats {
            count: self.count,
            mean,
            std_dev: variance.sqrt(),
            min: self.min,
            max: self.max,
            histogram: self.histogram.to_vec(),
        })
    }

    /// A hash of every field, so equal statistics give equal checksums however they were split.
    pub fn checksum(&self) -> u64 {
        let mut hash = Fnv::new();
        hash.write(&self.count.to_le_bytes());
        hash.write(&self.sum.to_le_bytes());
        hash.write(&self.sum_sq.to_le_bytes());
        hash.write(&self.min.to_le_bytes());
        hash.write(&self.max.to_le_bytes());
        for count in self.histogram {
            hash.write(&count.to_le_bytes());
        }
        mix(hash.finish())
    }
}

impl Default for StatsPartial {
    fn default() -> Self {
        StatsPartial::empty()
    }
}

/// Value `i` of the statistics data set: a 24-bit integer from SplitMix64 of `DATA_SEED + i`.
pub fn data_value(i: u64) -> u32 {
    (splitmix64(DATA_SEED.wrapping_add(i)) >> (64 - VALUE_BITS)) as u32
}

/// One SplitMix64 step from state `x`: add the golden increment, then mix.
fn splitmix64(x: u64) -> u64 {
    mix(x.wrapping_add(GOLDEN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::tests::{job, run_all};
    use crate::kernel::{combine, Kernel};

    #[test]
    fn stats_of_known_values() {
        let mut partial = StatsPartial::empty();
        assert_eq!(partial.finish(), None);
        for value in [1, 2, 3, (1 << 24) - 1] {
            partial.push(value);
        }
        let stats = partial.finish().unwrap();
        assert_eq!((stats.count, stats.min, stats.max), (4, 1, (1 << 24) - 1));
        assert_eq!(stats.histogram[0], 3);
        assert_eq!(stats.histogram[63], 1);
        assert_eq!(stats.histogram.len(), HISTOGRAM_BINS);

        let mut small = StatsPartial::default();
        for value in [1, 2, 3] {
            small.push(value);
        }
        let stats = small.finish().unwrap();
        assert_eq!(stats.mean, 2.0);
        assert!((stats.std_dev - (2.0f64 / 3.0).sqrt()).abs() < 1e-15);

        let before = small.clone();
        small.merge(&StatsPartial::empty());
        assert_eq!(small, before);
    }

    #[test]
    fn stats_match_uniform_theory() {
        let job = job(Kernel::Stats, 1_000_000, 8);
        let result = combine(&job, &run_all(&job)).unwrap();
        let stats = result.stats.unwrap();
        let mean = f64::from(1u32 << 23);
        let sd = f64::from(1u32 << 24) / 12f64.sqrt();
        assert_eq!(stats.count, 1_000_000);
        assert!((stats.mean / mean - 1.0).abs() < 0.005, "{}", stats.mean);
        assert!(
            (stats.std_dev / sd - 1.0).abs() < 0.005,
            "{}",
            stats.std_dev
        );
        assert_eq!(stats.histogram.iter().sum::<u64>(), stats.count);
        assert!(stats.max < 1 << 24);
        // Every bin holds about 1/64 of the values.
        assert!(stats.histogram.iter().all(|&n| n.abs_diff(15_625) < 800));
    }

    #[test]
    fn blocked_sums_equal_value_by_value_sums_across_block_edges() {
        let (start, end) = (BLOCK - 5, 3 * BLOCK + 7);
        let mut one_by_one = StatsPartial::empty();
        for i in start..end {
            one_by_one.push(data_value(i));
        }
        assert_eq!(StatsPartial::of_values(start, end), one_by_one);
        assert_eq!(StatsPartial::of_values(9, 9), StatsPartial::empty());
    }

    #[test]
    fn data_values_are_splitmix64_top_24_bits() {
        // SplitMix64's first output from state 0 is 0xe220a8397b1dcdaf.
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(data_value(0), (splitmix64(DATA_SEED) >> 40) as u32);
        assert_eq!(
            data_value(u64::MAX - DATA_SEED + 1),
            (0xE220_A839_7B1D_CDAF_u64 >> 40) as u32
        );
    }
}
