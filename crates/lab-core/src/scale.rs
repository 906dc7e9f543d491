//! Scales for charts: mapping data to drawing coordinates, and choosing round tick values.

use crate::format::without_negative_zero;
use crate::labels::text_width;

/// The most ticks a scale produces, however many are asked for.
const MAX_TICKS: usize = 1000;

/// Slack, in steps, so that a bound like 0.30000000000000004 still counts as the tick 0.3.
const STEP_SLACK: f64 = 1e-9;

/// The most decimals [`format_tick`] writes.
const MAX_TICK_DECIMALS: usize = 12;

/// A straight-line map from a data domain onto a drawing range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearScale {
    domain: (f64, f64),
    range: (f64, f64),
}

impl LinearScale {
    /// A scale from `domain` to `range`; a zero-width or non-finite domain is widened first.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> LinearScale {
        LinearScale {
            domain: usable_domain(domain),
            range,
        }
    }

    /// Where `x` lands in the range; values outside the domain extend the line.
    pub fn map(&self, x: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        r0 + (x - d0) / (d1 - d0) * (r1 - r0)
    }

    /// The domain value that lands at `px` in the range: [`map`](Self::map) undone.
    pub fn invert(&self, px: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if r1 == r0 {
            return d0;
        }
        d0 + (px - r0) / (r1 - r0) * (d1 - d0)
    }

    /// The domain, after any widening.
    pub fn domain(&self) -> (f64, f64) {
        self.domain
    }

    /// The range.
    pub fn range(&self) -> (f64, f64) {
        self.range
    }

    /// Round values (steps of 1, 2 or 5 × 10^k) within the domain, about `target` of them, ascending.
    pub fn ticks(&self, target: usize) -> Vec<f64> {
        let (lo, hi) = ascending(self.domain);
        let step = nice_step(hi - lo, target);
        if step <= 0.0 {
            return Vec::new();
        }
        let first = (in_steps(lo, step) - STEP_SLACK).ceil();
        let last = (in_steps(hi, step) + STEP_SLACK).floor();
        let count = last - first + 1.0;
        // Far from zero a step can be below the float spacing; then there are no distinct ticks.
        if !(count >= 1.0 && count <= MAX_TICKS as f64 * 2.0) {
            return Vec::new();
        }
        (0..count as usize)
            .map(|k| from_steps(first + k as f64, step))
            .collect()
    }

    /// Ticks for a horizontal axis: about `target` of them, or fewer where their labels (at
    /// `font_size`, placed as [`label_extent`] says) would come closer than `gap` to each other.
    /// A narrow chart of four-digit numbers gets every other round value, not overlapping text.
    pub fn spaced_ticks(
        &self,
        target: usize,
        font_size: f64,
        gap: f64,
        right_edge: f64,
    ) -> Vec<f64> {
        let mut ticks = Vec::new();
        for want in (1..=target.max(1)).rev() {
            ticks = self.ticks(want);
            let step = tick_step(&ticks);
            let extents: Vec<(f64, f64)> = ticks
                .iter()
                .map(|&t| {
                    label_extent(
                        self.map(t),
                        text_width(&tick_label(t, step), font_size),
                        right_edge,
                    )
                })
                .collect();
            if extents.windows(2).all(|pair| pair[0].1 + gap <= pair[1].0) {
                break;
            }
        }
        ticks
    }

    /// The same scale with its domain pushed out to the nearest round tick values.
    pub fn nice(self, target: usize) -> LinearScale {
        let (mut lo, mut hi) = ascending(self.domain);
        let mut previous_step = 0.0;
        // Widening can call for a larger step, so repeat until the step settles (as d3 does).
        for _ in 0..10 {
            let step = nice_step(hi - lo, target);
            if step <= 0.0 || step == previous_step {
                break;
            }
            lo = from_steps((in_steps(lo, step) + STEP_SLACK).floor(), step);
            hi = from_steps((in_steps(hi, step) - STEP_SLACK).ceil(), step);
            previous_step = step;
        }
        let domain = if self.domain.0 <= self.domain.1 {
            (lo, hi)
        } else {
            (hi, lo)
        };
        LinearScale::new(domain, self.range)
    }
}

/// The step between ascending `ticks`; 1 when there are fewer than two.
pub fn tick_step(ticks: &[f64]) -> f64 {
    match ticks {
        [a, b, ..] => b - a,
        _ => 1.0,
    }
}

/// Whether a tick label `width` wide at `px` ends at its tick (`text-anchor="end"`) rather than
/// centred on it: where centred it would cross `right_edge`.
pub fn ends_at_tick(px: f64, width: f64, right_edge: f64) -> bool {
    px + width / 2.0 > right_edge
}

/// Where a tick label `width` wide lies, left to right, for a tick at `px`, anchored as
/// [`ends_at_tick`] says.
pub fn label_extent(px: f64, width: f64, right_edge: f64) -> (f64, f64) {
    if ends_at_tick(px, width, right_edge) {
        (px - width, px)
    } else {
        (px - width / 2.0, px + width / 2.0)
    }
}

/// A round step (1, 2 or 5 × 10^k) that cuts `span` into about `target` parts; 0 for an empty span.
pub fn nice_step(span: f64, target: usize) -> f64 {
    let span = span.abs();
    if !(span.is_finite() && span > 0.0) {
        return 0.0;
    }
    let raw = span / target.clamp(1, MAX_TICKS) as f64;
    if !raw.is_normal() {
        return 0.0;
    }
    let exponent = raw.log10().floor() as i32;
    let fraction = raw / power_of_ten(exponent);
    // Thresholds at the geometric means between 1, 2, 5 and 10 pick the nearest round step.
    if fraction >= 50f64.sqrt() {
        power_of_ten(exponent + 1)
    } else if fraction >= 10f64.sqrt() {
        5.0 * power_of_ten(exponent)
    } else if fraction >= 2f64.sqrt() {
        2.0 * power_of_ten(exponent)
    } else {
        power_of_ten(exponent)
    }
}

/// A tick label with just the decimals `step` needs: step 0.5 gives "2.5", step 100 gives "300".
pub fn format_tick(value: f64, step: f64) -> String {
    let decimals = if step.is_finite() && step > 0.0 {
        (0..=MAX_TICK_DECIMALS)
            .find(|&d| {
                let scaled = step * power_of_ten(d as i32);
                (scaled - scaled.round()).abs() <= 1e-9 * scaled.max(1.0)
            })
            .unwrap_or(MAX_TICK_DECIMALS)
    } else {
        0
    };
    without_negative_zero(format!("{value:.decimals$}"))
}

/// A tick label, in thousands (`k`) or millions (`M`) when the numbers get long; zero is plain
/// "0", never "0M".
pub fn tick_label(value: f64, step: f64) -> String {
    if value == 0.0 {
        "0".to_owned()
    } else if step >= 1e5 {
        format!("{}M", format_tick(value / 1e6, step / 1e6))
    } else if step >= 1e3 && value.abs() >= 1e4 {
        format!("{}k", format_tick(value / 1e3, step / 1e3))
    } else {
        format_tick(value, step)
    }
}

fn usable_domain((d0, d1): (f64, f64)) -> (f64, f64) {
    if !(d0.is_finite() && d1.is_finite()) {
        (0.0, 1.0)
    } else if d0 == d1 {
        let pad = if d0 == 0.0 { 1.0 } else { d0.abs() * 0.1 };
        (d0 - pad, d0 + pad)
    } else {
        (d0, d1)
    }
}

fn ascending((a, b): (f64, f64)) -> (f64, f64) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// 10^exponent, dividing for negative exponents so that 10^-1 is the double nearest 0.1.
fn power_of_ten(exponent: i32) -> f64 {
    // Beyond ±400 the result is 0 or infinity anyway; clamping keeps `-exponent` from overflowing.
    let exponent = exponent.clamp(-400, 400);
    if exponent >= 0 {
        10f64.powi(exponent)
    } else {
        1.0 / 10f64.powi(-exponent)
    }
}

// A step below 1 is 1/k for a whole k (10, 5, 2, 20, ...); multiplying and dividing by k keeps
// values like 0.3 exact where multiplying by 0.1 would give 0.30000000000000004.

fn in_steps(x: f64, step: f64) -> f64 {
    if step < 1.0 {
        x * (1.0 / step).round()
    } else {
        x / step
    }
}

fn from_steps(i: f64, step: f64) -> f64 {
    if step < 1.0 {
        i / (1.0 / step).round()
    } else {
        i * step
    }
}

/// How a chart stacks many rows (a timeline's lanes) in a bounded height: each row `pitch`
/// apart, thinner as rows grow in number, and a label on every `label_every`-th row so that
/// labels never overlap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rows {
    /// From the top of one row to the top of the next.
    pub pitch: f64,
    /// The height of a row; the rest of the pitch is the gap under it.
    pub height: f64,
    /// Which rows are labelled: those whose index is a multiple of this (a power of two).
    pub label_every: usize,
}

impl Rows {
    /// `count` rows at their full `height` and `gap` while they fit in `max_height`; for more,
    /// rows and gaps shrink alike, to no less than `min_pitch` (past that the chart grows).
    /// Labels `label_height` tall go on every row, or every second, fourth… as the pitch allows.
    pub fn fit(
        count: usize,
        height: f64,
        gap: f64,
        max_height: f64,
        min_pitch: f64,
        label_height: f64,
    ) -> Rows {
        let full = height + gap;
        let pitch = if count == 0 {
            full
        } else {
            (max_height / count as f64).clamp(min_pitch.min(full), full)
        };
        let mut label_every = 1;
        while (label_every as f64) * pitch < label_height && label_every < count {
            label_every *= 2;
        }
        Rows {
            pitch,
            height: pitch * height / full,
            label_every,
        }
    }

    /// The top of row `index`, from the top of the first.
    pub fn top(&self, index: usize) -> f64 {
        index as f64 * self.pitch
    }

    /// Whether row `index` carries a label.
    pub fn labelled(&self, index: usize) -> bool {
        index % self.label_every == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_ticks_thin_out_where_labels_would_collide() {
        // 0 to 4000 over 230 px: round steps of 500 put four-digit labels 29 px apart, closer
        // than their width, so the axis takes steps of 1000.
        let narrow = LinearScale::new((0.0, 4000.0), (0.0, 230.0));
        assert_eq!(
            narrow.ticks(6),
            (0..=8).map(|k| k as f64 * 500.0).collect::<Vec<_>>()
        );
        let spaced = narrow.spaced_ticks(6, 11.5, 6.0, 230.0);
        assert_eq!(spaced, vec![0.0, 1000.0, 2000.0, 3000.0, 4000.0]);
        // With room, the ticks asked for.
        let wide = LinearScale::new((0.0, 4000.0), (0.0, 600.0));
        assert_eq!(wide.spaced_ticks(6, 11.5, 6.0, 600.0), wide.ticks(6));
        // Never a pair of labels closer than the gap, wherever the last one is anchored.
        for width in [40.0, 90.0, 150.0, 230.0, 400.0] {
            for top in [7.0, 95.0, 4000.0, 123_456.0, 2.5e6] {
                let scale = LinearScale::new((0.0, top), (0.0, width));
                let ticks = scale.spaced_ticks(6, 11.5, 6.0, width);
                assert!(!ticks.is_empty());
                let step = tick_step(&ticks);
                let extents: Vec<_> = ticks
                    .iter()
                    .map(|&t| {
                        label_extent(scale.map(t), text_width(&tick_label(t, step), 11.5), width)
                    })
                    .collect();
                if ticks.len() > 2 {
                    assert!(
                        extents.windows(2).all(|p| p[0].1 + 6.0 <= p[1].0),
                        "{width} {top} {ticks:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_label_crossing_the_right_edge_ends_at_its_tick() {
        assert_eq!(label_extent(100.0, 20.0, 200.0), (90.0, 110.0));
        assert_eq!(label_extent(195.0, 20.0, 200.0), (175.0, 195.0));
    }

    #[test]
    fn tick_labels_shorten_long_numbers_and_start_at_a_plain_zero() {
        assert_eq!(tick_label(0.0, 2e6), "0");
        assert_eq!(tick_label(4e6, 2e6), "4M");
        // A step of 500k reads in millions, not as "4000k".
        assert_eq!(tick_label(4e6, 5e5), "4.0M");
        assert_eq!(tick_label(5e5, 5e5), "0.5M");
        assert_eq!(tick_label(20_000.0, 5_000.0), "20k");
        assert_eq!(tick_label(2_500.0, 500.0), "2500");
        assert_eq!(tick_label(0.5, 0.25), "0.50");
    }

    #[test]
    fn map_is_linear_and_may_be_reversed() {
        let x = LinearScale::new((0.0, 100.0), (10.0, 210.0));
        assert_eq!(x.map(0.0), 10.0);
        assert_eq!(x.map(50.0), 110.0);
        assert_eq!(x.map(100.0), 210.0);
        assert_eq!(x.map(150.0), 310.0);
        let y = LinearScale::new((0.0, 10.0), (200.0, 0.0));
        assert_eq!(y.map(2.5), 150.0);
    }

    #[test]
    fn invert_undoes_map() {
        let x = LinearScale::new((20.0, 120.0), (78.0, 588.0));
        for value in [20.0, 37.5, 120.0, 300.0] {
            assert!((x.invert(x.map(value)) - value).abs() < 1e-9);
        }
        let y = LinearScale::new((0.0, 10.0), (200.0, 0.0));
        assert_eq!(y.invert(150.0), 2.5);
        // An empty range has nowhere to invert from: it answers the domain's start.
        assert_eq!(LinearScale::new((5.0, 9.0), (3.0, 3.0)).invert(3.0), 5.0);
    }

    #[test]
    fn degenerate_domains_are_widened() {
        let zero = LinearScale::new((0.0, 0.0), (0.0, 100.0));
        assert_eq!(zero.domain(), (-1.0, 1.0));
        assert_eq!(zero.map(0.0), 50.0);
        let five = LinearScale::new((5.0, 5.0), (0.0, 100.0));
        assert_eq!(five.domain(), (4.5, 5.5));
        assert_eq!(five.map(5.0), 50.0);
        let broken = LinearScale::new((f64::NAN, 3.0), (0.0, 1.0));
        assert_eq!(broken.domain(), (0.0, 1.0));
        assert!(broken.map(0.5).is_finite());
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(100.0, 10), 10.0);
        assert_eq!(nice_step(1.0, 10), 0.1);
        assert_eq!(nice_step(1000.0, 4), 200.0);
        assert_eq!(nice_step(30.0, 5), 5.0);
        assert_eq!(nice_step(37.0, 5), 10.0);
        assert_eq!(nice_step(0.0, 5), 0.0);
        assert_eq!(nice_step(f64::NAN, 5), 0.0);
        assert_eq!(nice_step(1e-320, 1000), 0.0);
        assert_eq!(nice_step(10.0, 0), 10.0);
    }

    #[test]
    fn ticks_are_round_and_inside_the_domain() {
        let scale = LinearScale::new((0.0, 10.0), (0.0, 1.0));
        assert_eq!(scale.ticks(5), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let scale = LinearScale::new((0.0, 1.0), (0.0, 1.0));
        assert_eq!(
            scale.ticks(10),
            [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        );
        let scale = LinearScale::new((3.0, 97.0), (0.0, 1.0));
        assert_eq!(scale.ticks(5), [20.0, 40.0, 60.0, 80.0]);
        let reversed = LinearScale::new((10.0, 0.0), (0.0, 1.0));
        assert_eq!(reversed.ticks(2), [0.0, 5.0, 10.0]);
        let huge = LinearScale::new((0.0, 1.0), (0.0, 1.0)).ticks(usize::MAX);
        assert_eq!(huge.len(), 1001);
        let far = LinearScale::new((1e17, 1e17 + 32.0), (0.0, 1.0));
        assert!(far.ticks(1000).len() <= 2 * MAX_TICKS);
    }

    #[test]
    fn nice_extends_to_round_bounds() {
        let scale = LinearScale::new((3.0, 97.0), (0.0, 500.0)).nice(5);
        assert_eq!(scale.domain(), (0.0, 100.0));
        assert_eq!(scale.map(50.0), 250.0);
        let small = LinearScale::new((0.12, 0.87), (0.0, 1.0)).nice(5);
        assert_eq!(small.domain(), (0.0, 1.0));
        let reversed = LinearScale::new((97.0, 3.0), (0.0, 1.0)).nice(5);
        assert_eq!(reversed.domain(), (100.0, 0.0));
        let already = LinearScale::new((0.0, 0.3), (0.0, 1.0)).nice(3);
        assert_eq!(already.domain(), (0.0, 0.3));
    }

    #[test]
    fn tick_labels() {
        assert_eq!(format_tick(2.5, 0.5), "2.5");
        assert_eq!(format_tick(300.0, 100.0), "300");
        assert_eq!(format_tick(0.30000000000000004, 0.1), "0.3");
        assert_eq!(format_tick(0.25, 0.05), "0.25");
        assert_eq!(format_tick(-0.0, 1.0), "0");
        assert_eq!(format_tick(-1e-17, 0.1), "0.0");
        assert_eq!(format_tick(-2.0, 1.0), "-2");
        assert_eq!(format_tick(7.0, 0.0), "7");
    }

    #[test]
    fn few_rows_keep_their_size_and_every_label() {
        let rows = Rows::fit(8, 13.0, 2.0, 480.0, 2.0, 12.0);
        assert_eq!(
            rows,
            Rows {
                pitch: 15.0,
                height: 13.0,
                label_every: 1
            }
        );
        assert_eq!(rows.top(3), 45.0);
        assert!((0..8).all(|i| rows.labelled(i)));
        assert_eq!(Rows::fit(0, 13.0, 2.0, 480.0, 2.0, 12.0).pitch, 15.0);
    }

    #[test]
    fn many_rows_shrink_to_fit_and_label_every_few() {
        // 64 lanes fit 480 at a pitch of 7.5: a label every second lane.
        let rows = Rows::fit(64, 13.0, 2.0, 480.0, 2.0, 12.0);
        assert_eq!(rows.pitch, 7.5);
        assert_eq!(rows.height, 6.5);
        assert_eq!(rows.label_every, 2);
        assert!(rows.labelled(2) && !rows.labelled(3));
        // 256 lanes stop at the smallest pitch, with a label on every eighth, 16 apart.
        let rows = Rows::fit(256, 13.0, 2.0, 480.0, 2.0, 12.0);
        assert_eq!(rows.pitch, 2.0);
        assert_eq!(rows.label_every, 8);
        assert!(rows.label_every as f64 * rows.pitch >= 12.0);
        // A single row is labelled however tight the fit.
        assert_eq!(Rows::fit(1, 13.0, 2.0, 1.0, 0.5, 12.0).label_every, 1);
    }
}
