//! How numbers look on screen: durations, rates and counts.

/// Shown in place of a number that is not finite.
const NOT_A_NUMBER: &str = "—";

/// The most decimals a duration in ms is shown with.
const MAX_MS_DECIMALS: usize = 3;

/// A duration with its unit, to no more decimals than a clock of `resolution_ms` resolves.
///
/// "12.3 ms" for a 0.1 ms clock; from 1000 ms on, seconds to 3 significant digits: "1.24 s".
/// An unknown (non-positive) resolution allows 3 decimals.
pub fn ms(value: f64, resolution_ms: f64) -> String {
    if !value.is_finite() {
        return NOT_A_NUMBER.to_owned();
    }
    let decimals = if resolution_ms.is_finite() && resolution_ms > 0.0 {
        // The slack keeps log10(0.1) = -0.9999999999999999 from losing a decimal.
        let resolved = (-resolution_ms.log10() + 1e-9).floor();
        resolved.clamp(0.0, MAX_MS_DECIMALS as f64) as usize
    } else {
        MAX_MS_DECIMALS
    };
    let text = without_negative_zero(format!("{value:.decimals$}"));
    // Decide on the rounded text, so 999.96 ms shows as "1.00 s" rather than "1000.0 ms".
    let rounded_ms = text.parse::<f64>().unwrap_or(value);
    if rounded_ms.abs() >= 1000.0 {
        format!("{} s", significant(value / 1000.0, 3))
    } else {
        format!("{text} ms")
    }
}

/// A rate per second to 3 significant digits with an SI prefix: "123 /s", "1.2 k/s", "4.56 M/s".
pub fn rate(per_s: f64) -> String {
    rate_of(per_s, "")
}

/// A rate of `unit` per second, three significant digits: "9.07 M pixels/s"; an empty unit
/// gives "9.07 M/s".
pub fn rate_of(per_s: f64, unit: &str) -> String {
    if !per_s.is_finite() {
        return NOT_A_NUMBER.to_owned();
    }
    const PREFIXES: [(&str, f64); 4] = [("G", 1e9), ("M", 1e6), ("k", 1e3), ("", 1.0)];
    // Choose the prefix on the rounded value, so 999.7 /s shows as "1 k/s".
    let rounded = significant(per_s, 3).parse::<f64>().unwrap_or(per_s).abs();
    let (prefix, scale) = PREFIXES
        .into_iter()
        .find(|&(_, scale)| rounded >= scale)
        .unwrap_or(("", 1.0));
    let number = trim_zeros(significant(per_s / scale, 3));
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    if prefix.is_empty() {
        format!("{number}{unit} /s").replace(" /s", if unit.is_empty() { " /s" } else { "/s" })
    } else {
        format!("{number} {prefix}{unit}/s")
    }
}

/// A run's progress: done of total, the rate so far and the time left at that rate, e.g.
/// "34 / 100 · 12.3 /s · about 5 s left". Rate and time left wait for the first finish.
pub fn progress(done: u32, total: u32, elapsed_ms: f64) -> String {
    let counted = format!("{done} / {total}");
    if done == 0 || !elapsed_ms.is_finite() || elapsed_ms <= 0.0 {
        return counted;
    }
    let per_s = f64::from(done) / elapsed_ms * 1000.0;
    let left_s = f64::from(total.saturating_sub(done)) / per_s;
    let left = if done >= total {
        "finishing".to_owned()
    } else if left_s < 1.0 {
        "under a second left".to_owned()
    } else if left_s < 90.0 {
        format!("about {left_s:.0} s left")
    } else {
        format!("about {:.0} min left", left_s / 60.0)
    };
    format!("{counted} · {} · {left}", rate(per_s))
}

/// A whole number with thousands separated by commas: "1,234,567".
pub fn count(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `value` rounded to `digits` significant digits, keeping trailing zeros ("1.20").
fn significant(value: f64, digits: i32) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".to_owned();
    }
    let magnitude = value.abs().log10().floor() as i32;
    let mut decimals = (digits - 1 - magnitude).max(0);
    // Rounding can carry into a new digit (9.996 -> 10.00); then one decimal fewer.
    let factor = 10f64.powi(decimals);
    let rounded = (value * factor).round() / factor;
    if rounded.abs().log10().floor() as i32 > magnitude {
        decimals = (decimals - 1).max(0);
    }
    let decimals = decimals as usize;
    without_negative_zero(format!("{value:.decimals$}"))
}

fn trim_zeros(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// Drops the sign from a formatted zero such as "-0.0", which rounding small negatives produces.
pub(crate) fn without_negative_zero(text: String) -> String {
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_says_the_rate_and_the_time_left() {
        assert_eq!(progress(0, 100, 500.0), "0 / 100");
        assert_eq!(progress(10, 100, 0.0), "10 / 100");
        assert_eq!(
            progress(25, 100, 5000.0),
            "25 / 100 · 5 /s · about 15 s left"
        );
        assert_eq!(
            progress(99, 100, 990.0),
            "99 / 100 · 100 /s · under a second left"
        );
        assert_eq!(
            progress(1, 1000, 1000.0),
            "1 / 1000 · 1 /s · about 17 min left"
        );
        assert_eq!(progress(100, 100, 1000.0), "100 / 100 · 100 /s · finishing");
    }

    #[test]
    fn ms_follows_the_clock_resolution() {
        assert_eq!(ms(12.3456, 0.1), "12.3 ms");
        assert_eq!(ms(12.3456, 0.005), "12.35 ms");
        assert_eq!(ms(12.3456, 0.001), "12.346 ms");
        assert_eq!(ms(12.3456, 0.000_001), "12.346 ms");
        assert_eq!(ms(12.3456, 1.0), "12 ms");
        assert_eq!(ms(12.3456, 16.7), "12 ms");
        assert_eq!(ms(12.3456, 0.0), "12.346 ms");
        assert_eq!(ms(-0.01, 0.1), "0.0 ms");
    }

    #[test]
    fn ms_switches_to_seconds() {
        assert_eq!(ms(1237.5, 0.1), "1.24 s");
        assert_eq!(ms(12_345.0, 0.1), "12.3 s");
        assert_eq!(ms(123_456.0, 0.1), "123 s");
        assert_eq!(ms(999.96, 0.1), "1.00 s");
        assert_eq!(ms(999.4, 1.0), "999 ms");
        assert_eq!(ms(9996.0, 1.0), "10.0 s");
        assert_eq!(ms(f64::NAN, 0.1), "—");
    }

    #[test]
    fn rates() {
        assert_eq!(rate(123.4), "123 /s");
        assert_eq!(rate(12.55), "12.6 /s");
        assert_eq!(rate(0.5), "0.5 /s");
        assert_eq!(rate(0.0), "0 /s");
        assert_eq!(rate(1200.0), "1.2 k/s");
        assert_eq!(rate(1234.0), "1.23 k/s");
        assert_eq!(rate(999.7), "1 k/s");
        assert_eq!(rate(45_600.0), "45.6 k/s");
        assert_eq!(rate(4_560_000.0), "4.56 M/s");
        assert_eq!(rate(2.5e9), "2.5 G/s");
        assert_eq!(rate(f64::INFINITY), "—");
    }

    #[test]
    fn counts() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(u32::MAX), "4,294,967,295");
    }

    #[test]
    fn negative_zero_loses_its_sign() {
        assert_eq!(without_negative_zero("-0.00".to_owned()), "0.00");
        assert_eq!(without_negative_zero("-0".to_owned()), "0");
        assert_eq!(without_negative_zero("-0.01".to_owned()), "-0.01");
    }

    #[test]
    fn rates_carry_their_unit() {
        assert_eq!(rate_of(9_070_000.0, "pixels"), "9.07 M pixels/s");
        assert_eq!(rate_of(250.0, "hashes"), "250 hashes/s");
        assert_eq!(rate_of(250.0, ""), "250 /s");
        assert_eq!(rate(1234.0), "1.23 k/s");
    }
}
