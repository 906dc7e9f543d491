//! Spans: one timed piece of work on one lane of the timeline.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// Where a span ran: the page's main thread, a concurrent fetch slot, or a pool worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lane {
    /// The page's main thread.
    Main,
    /// Concurrent I/O slot number `n` (one fetch in flight at a time per slot).
    Io(u32),
    /// Worker thread number `n` of the rayon pool.
    Worker(u32),
}

impl fmt::Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lane::Main => f.write_str("main"),
            Lane::Io(n) => write!(f, "io-{n}"),
            Lane::Worker(n) => write!(f, "worker-{n}"),
        }
    }
}

/// The text was not `main`, `io-N` or `worker-N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseLaneError(String);

impl fmt::Display for ParseLaneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown lane {:?}: expected \"main\", \"io-N\" or \"worker-N\"",
            self.0
        )
    }
}

impl std::error::Error for ParseLaneError {}

impl FromStr for Lane {
    type Err = ParseLaneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let number = |digits: &str| {
            // `u32::from_str` also takes "+3"; only plain digits round-trip through Display.
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse::<u32>().ok()
        };
        let lane = if s == "main" {
            Some(Lane::Main)
        } else if let Some(rest) = s.strip_prefix("io-") {
            number(rest).map(Lane::Io)
        } else if let Some(rest) = s.strip_prefix("worker-") {
            number(rest).map(Lane::Worker)
        } else {
            None
        };
        lane.ok_or_else(|| ParseLaneError(s.to_owned()))
    }
}

impl Serialize for Lane {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Lane {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// One timed piece of work; times are ms since the run started, on the page's one clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// The request or task number within the run.
    pub id: u32,
    /// The lane the work ran on.
    pub lane: Lane,
    /// When the work started, in ms since the run started.
    pub start_ms: f64,
    /// When the work ended, in ms since the run started.
    pub end_ms: f64,
    /// Whether the work succeeded.
    pub ok: bool,
}

impl Span {
    /// How long the span lasted in ms; never negative.
    pub fn duration_ms(&self) -> f64 {
        (self.end_ms - self.start_ms).max(0.0)
    }
}

/// The distinct lanes used by `spans`: main first, then I/O slots, then workers, each by number.
pub fn lanes(spans: &[Span]) -> Vec<Lane> {
    spans
        .iter()
        .map(|span| span.lane)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The largest number of spans open at the same instant.
///
/// A span is open on `[start_ms, end_ms)`, so one that ends exactly when another starts does
/// not overlap it, and a zero-length span is never open.
pub fn max_concurrent(spans: &[Span]) -> usize {
    let mut events: Vec<(f64, bool)> = spans
        .iter()
        .filter(|span| span.start_ms < span.end_ms)
        .flat_map(|span| [(span.start_ms, true), (span.end_ms, false)])
        .collect();
    // At equal times `false` (an end) sorts before `true` (a start).
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));

    let mut open = 0usize;
    let mut most = 0usize;
    for (_, is_start) in events {
        if is_start {
            open += 1;
            most = most.max(open);
        } else {
            open = open.saturating_sub(1);
        }
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(id: u32, lane: Lane, start_ms: f64, end_ms: f64) -> Span {
        Span {
            id,
            lane,
            start_ms,
            end_ms,
            ok: true,
        }
    }

    #[test]
    fn lane_text_round_trips() {
        for (lane, text) in [
            (Lane::Main, "main"),
            (Lane::Io(3), "io-3"),
            (Lane::Worker(1), "worker-1"),
            (Lane::Worker(u32::MAX), "worker-4294967295"),
        ] {
            assert_eq!(lane.to_string(), text);
            assert_eq!(text.parse::<Lane>(), Ok(lane));
        }
    }

    #[test]
    fn lane_rejects_other_text() {
        for text in [
            "",
            "Main",
            "io-",
            "io-+3",
            "io--1",
            "worker-1.5",
            "worker-99999999999",
            "gpu-1",
        ] {
            assert!(text.parse::<Lane>().is_err(), "{text:?} parsed");
        }
        let error = "gpu-1".parse::<Lane>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown lane \"gpu-1\": expected \"main\", \"io-N\" or \"worker-N\""
        );
    }

    #[test]
    fn lane_serializes_as_its_text() {
        assert_eq!(
            serde_json::to_string(&Lane::Worker(1)).unwrap(),
            "\"worker-1\""
        );
        assert_eq!(
            serde_json::from_str::<Lane>("\"io-7\"").unwrap(),
            Lane::Io(7)
        );
        assert!(serde_json::from_str::<Lane>("\"io-x\"").is_err());
        assert!(serde_json::from_str::<Lane>("3").is_err());
    }

    #[test]
    fn duration_is_never_negative() {
        assert_eq!(span(0, Lane::Main, 2.0, 5.5).duration_ms(), 3.5);
        assert_eq!(span(0, Lane::Main, 5.0, 2.0).duration_ms(), 0.0);
        assert_eq!(span(0, Lane::Main, f64::NAN, 2.0).duration_ms(), 0.0);
    }

    #[test]
    fn lanes_are_distinct_and_ordered() {
        let spans = [
            span(0, Lane::Worker(2), 0.0, 1.0),
            span(1, Lane::Io(10), 0.0, 1.0),
            span(2, Lane::Worker(0), 0.0, 1.0),
            span(3, Lane::Main, 0.0, 1.0),
            span(4, Lane::Io(2), 0.0, 1.0),
            span(5, Lane::Worker(2), 1.0, 2.0),
        ];
        assert_eq!(
            lanes(&spans),
            [
                Lane::Main,
                Lane::Io(2),
                Lane::Io(10),
                Lane::Worker(0),
                Lane::Worker(2)
            ]
        );
        assert!(lanes(&[]).is_empty());
    }

    #[test]
    fn max_concurrent_counts_overlaps() {
        assert_eq!(max_concurrent(&[]), 0);
        let spans = [
            span(0, Lane::Io(0), 0.0, 10.0),
            span(1, Lane::Io(1), 2.0, 6.0),
            span(2, Lane::Io(2), 5.0, 8.0),
            span(3, Lane::Io(3), 9.0, 12.0),
        ];
        assert_eq!(max_concurrent(&spans), 3);
    }

    #[test]
    fn max_concurrent_closes_before_opening_at_the_same_time() {
        let chain = [
            span(0, Lane::Io(0), 0.0, 5.0),
            span(1, Lane::Io(0), 5.0, 10.0),
            span(2, Lane::Io(0), 10.0, 15.0),
        ];
        assert_eq!(max_concurrent(&chain), 1);
    }

    #[test]
    fn max_concurrent_ignores_empty_and_broken_spans() {
        let spans = [
            span(0, Lane::Io(0), 3.0, 3.0),
            span(1, Lane::Io(1), 4.0, 1.0),
            span(2, Lane::Io(2), f64::NAN, 1.0),
            span(3, Lane::Io(3), 0.0, 10.0),
        ];
        assert_eq!(max_concurrent(&spans), 1);
    }
}
