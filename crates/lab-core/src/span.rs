//! Spans: one timed piece of work on one lane of the timeline.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;
use std::sync::Arc;

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

/// A run's spans, shared rather than copied, with what a timeline needs before it draws any of
/// them (their lanes, their end, whether any failed) found once, where they are made: for a
/// million tasks that is on the pool, not on the page's main thread. The page's views of a run
/// and its history hold the same spans, and handing a run to one of them costs a reference
/// count. Serialized as a plain list.
#[derive(Clone, Debug, Default)]
pub struct Spans(Arc<Shared>);

#[derive(Debug, Default)]
struct Shared {
    spans: Box<[Span]>,
    lanes: Vec<Lane>,
    end_ms: f64,
    any_failed: bool,
    /// The spans [`coalesce`]d at `overview_gap_ms`: what a view of the whole run merges
    /// further, rather than every span.
    overview: Vec<Bar>,
    overview_gap_ms: f64,
}

/// The overview merges spans closer than this fraction of the run: far finer than a pixel of
/// any drawing of the whole run.
const OVERVIEW_FRACTION: f64 = 1.0 / 4096.0;

impl Spans {
    /// The distinct lanes, as [`lanes`] lists them.
    pub fn lanes(&self) -> &[Lane] {
        &self.0.lanes
    }

    /// When the last span ended, in ms (0 for none; NaN ends are passed over).
    pub fn end_ms(&self) -> f64 {
        self.0.end_ms
    }

    /// Whether any span failed.
    pub fn any_failed(&self) -> bool {
        self.0.any_failed
    }

    /// The spans merged into bars, as [`coalesce`] with `gap_ms` does: from the overview made
    /// with the spans when the gap is at least its own (as for a drawing of the whole run),
    /// so a million spans are a few thousand bars to merge.
    pub fn bars(&self, gap_ms: f64) -> Vec<Bar> {
        let shared = &self.0;
        if gap_ms >= shared.overview_gap_ms {
            coalesce(&shared.overview, &shared.lanes, gap_ms)
        } else {
            coalesce(&shared.spans, &shared.lanes, gap_ms)
        }
    }
}

impl PartialEq for Spans {
    fn eq(&self, other: &Spans) -> bool {
        self.0.spans == other.0.spans
    }
}

impl Deref for Spans {
    type Target = [Span];

    fn deref(&self) -> &[Span] {
        &self.0.spans
    }
}

impl From<Vec<Span>> for Spans {
    fn from(spans: Vec<Span>) -> Spans {
        let (end_ms, any_failed) = spans.iter().fold((0.0_f64, false), |(end, failed), s| {
            (end.max(s.end_ms), failed || !s.ok)
        });
        let lanes = lanes(&spans);
        let overview_gap_ms = end_ms * OVERVIEW_FRACTION;
        Spans(Arc::new(Shared {
            overview: coalesce(&spans, &lanes, overview_gap_ms),
            overview_gap_ms,
            lanes,
            spans: spans.into_boxed_slice(),
            end_ms,
            any_failed,
        }))
    }
}

impl FromIterator<Span> for Spans {
    fn from_iter<I: IntoIterator<Item = Span>>(spans: I) -> Spans {
        Spans::from(spans.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a Spans {
    type Item = &'a Span;
    type IntoIter = std::slice::Iter<'a, Span>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.spans.iter()
    }
}

impl Serialize for Spans {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.spans.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Spans {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Span>::deserialize(deserializer).map(Spans::from)
    }
}

/// The distinct lanes used by `spans`: main first, then I/O slots, then workers, each by number.
pub fn lanes(spans: &[Span]) -> Vec<Lane> {
    // One flag per lane number, for the numbers a run uses (a few hundred at most): a million
    // spans are a million lookups in a short list, not in a set. Numbers beyond (an imported
    // file may have any) go to a set.
    const DENSE: u32 = 1 << 16;
    fn mark(flags: &mut Vec<bool>, n: u32) {
        let n = n as usize;
        if n >= flags.len() {
            flags.resize(n + 1, false);
        }
        flags[n] = true;
    }
    let (mut main, mut io, mut workers) = (false, Vec::new(), Vec::new());
    let mut sparse = BTreeSet::new();
    for span in spans {
        match span.lane {
            Lane::Main => main = true,
            Lane::Io(n) if n < DENSE => mark(&mut io, n),
            Lane::Worker(n) if n < DENSE => mark(&mut workers, n),
            lane => {
                sparse.insert(lane);
            }
        }
    }
    let numbered = |flags: Vec<bool>, lane: fn(u32) -> Lane| {
        (0..)
            .zip(flags)
            .filter(|(_, used)| *used)
            .map(move |(n, _)| lane(n))
    };
    let mut lanes: Vec<Lane> = main
        .then_some(Lane::Main)
        .into_iter()
        .chain(numbered(io, Lane::Io))
        .chain(numbered(workers, Lane::Worker))
        .chain(sparse)
        .collect();
    lanes.sort_unstable();
    lanes
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

/// How one lane spent a run: time busy with at least one span, time idle, and its span count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaneUsage {
    /// The lane.
    pub lane: Lane,
    /// Time covered by the lane's spans, overlaps counted once, within `[0, wall]`, in ms.
    pub busy_ms: f64,
    /// The rest of the wall time, in ms.
    pub idle_ms: f64,
    /// Spans on the lane.
    pub tasks: u32,
}

/// Busy and idle time of each lane over a run of `wall_ms`, lanes in [`lanes`] order.
///
/// Busy time is the union of the lane's spans clipped to `[0, wall_ms]`, leaving out spans with a
/// NaN time; a wall time that is not a positive number counts as 0.
pub fn lane_usage(spans: &[Span], wall_ms: f64) -> Vec<LaneUsage> {
    let wall = if wall_ms.is_finite() && wall_ms > 0.0 {
        wall_ms
    } else {
        0.0
    };
    lanes(spans)
        .into_iter()
        .map(|lane| {
            let on_lane: Vec<&Span> = spans.iter().filter(|span| span.lane == lane).collect();
            let mut clipped: Vec<(f64, f64)> = on_lane
                .iter()
                // `f64::max` would turn a NaN start into 0, so broken spans go first.
                .filter(|span| !span.start_ms.is_nan() && !span.end_ms.is_nan())
                .map(|span| (span.start_ms.max(0.0), span.end_ms.min(wall)))
                .filter(|(start, end)| start < end)
                .collect();
            clipped.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut busy_ms = 0.0;
            let mut covered_to = f64::NEG_INFINITY;
            for (start, end) in clipped {
                if end > covered_to {
                    busy_ms += end - start.max(covered_to);
                    covered_to = end;
                }
            }
            LaneUsage {
                lane,
                busy_ms,
                idle_ms: (wall - busy_ms).max(0.0),
                tasks: u32::try_from(on_lane.len()).unwrap_or(u32::MAX),
            }
        })
        .collect()
}

/// The spans that overlap the window `from_ms..to_ms`, cut to it: what a timeline zoomed into
/// that window draws. A span with a NaN time overlaps nothing.
pub fn window(spans: &[Span], from_ms: f64, to_ms: f64) -> Vec<Span> {
    spans
        .iter()
        .filter(|span| span.end_ms >= from_ms && span.start_ms <= to_ms)
        .map(|span| Span {
            start_ms: span.start_ms.max(from_ms),
            end_ms: span.end_ms.min(to_ms),
            ..span.clone()
        })
        .collect()
}

/// What a timeline draws as one rectangle: one span, or a lane's spans merged by [`coalesce`].
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The lane of its spans.
    pub lane: Lane,
    /// The id of its first span.
    pub first_id: u32,
    /// How many spans it stands for.
    pub count: u32,
    /// How many of them failed.
    pub failed: u32,
    /// When its first span started, in ms since the run started.
    pub start_ms: f64,
    /// When the last of its spans ended.
    pub end_ms: f64,
}

impl Bar {
    /// Whether every span in it succeeded.
    pub fn ok(&self) -> bool {
        self.failed == 0
    }

    /// What the bar stands for, for a reader pointing at it: one span's id and times, or how
    /// many spans were merged, so a merged bar never reads as one long span.
    pub fn describe(&self) -> String {
        let duration = (self.end_ms - self.start_ms).max(0.0);
        if self.count == 1 {
            let failed = if self.ok() { "" } else { ", failed" };
            return format!(
                "{} #{}: {:.2} → {:.2} ms ({duration:.2} ms){failed}",
                self.lane, self.first_id, self.start_ms, self.end_ms
            );
        }
        let failed = match self.failed {
            0 => String::new(),
            n => format!(", {n} failed"),
        };
        format!(
            "{}: {} spans from #{}, {:.2} → {:.2} ms ({duration:.2} ms), merged because they are \
             closer than a pixel at this zoom{failed}",
            self.lane, self.count, self.first_id, self.start_ms, self.end_ms
        )
    }

    /// Takes `other`, the next bar on its lane, into this one.
    fn absorb(&mut self, other: &Bar) {
        self.end_ms = self.end_ms.max(other.end_ms);
        self.count = self.count.saturating_add(other.count);
        self.failed = self.failed.saturating_add(other.failed);
    }
}

impl From<&Span> for Bar {
    fn from(span: &Span) -> Bar {
        Bar {
            lane: span.lane,
            first_id: span.id,
            count: 1,
            failed: u32::from(!span.ok),
            start_ms: span.start_ms,
            end_ms: span.end_ms,
        }
    }
}

impl From<&Bar> for Bar {
    fn from(bar: &Bar) -> Bar {
        bar.clone()
    }
}

/// Merges each lane's spans (or bars) that follow one another within `gap_ms` into one bar.
/// `lanes` are the lanes of `items` as [`lanes`] lists them (a superset will do); items on any
/// other lane are left out.
///
/// An item joins the bar before it on its lane when it starts less than `gap_ms` after the bar
/// ends (overlapping items always join when `gap_ms` is positive); the bar counts its spans and
/// how many of them failed. The bars come sorted by lane, then by start, so a timeline of tens of
/// thousands of tiny tasks draws a few hundred rectangles.
pub fn coalesce<'a, T>(items: &'a [T], lanes: &[Lane], gap_ms: f64) -> Vec<Bar>
where
    Bar: From<&'a T>,
{
    // A run's spans come in order of start on each lane (interleaved across lanes), so one pass
    // that keeps each lane's bars merges them; spans out of order on a lane (an imported file
    // may have them) take the way that sorts.
    let mut by_lane: Vec<Vec<Bar>> = vec![Vec::new(); lanes.len()];
    for item in items {
        let item = Bar::from(item);
        let Ok(index) = lanes.binary_search(&item.lane) else {
            continue;
        };
        let bars = &mut by_lane[index];
        match bars.last_mut() {
            Some(bar) if item.start_ms < bar.start_ms => {
                return coalesce_sorted(items, lanes, gap_ms)
            }
            Some(bar) if item.start_ms - bar.end_ms < gap_ms => bar.absorb(&item),
            _ => bars.push(item),
        }
    }
    by_lane.concat()
}

/// [`coalesce`] for items in any order: each lane's sorted by start first.
fn coalesce_sorted<'a, T>(items: &'a [T], lanes: &[Lane], gap_ms: f64) -> Vec<Bar>
where
    Bar: From<&'a T>,
{
    let mut by_lane: Vec<Vec<Bar>> = vec![Vec::new(); lanes.len()];
    for item in items {
        let item = Bar::from(item);
        if let Ok(index) = lanes.binary_search(&item.lane) {
            by_lane[index].push(item);
        }
    }
    for lane in &mut by_lane {
        lane.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    }
    let mut bars: Vec<Bar> = Vec::new();
    for item in by_lane.into_iter().flatten() {
        match bars.last_mut() {
            Some(bar) if bar.lane == item.lane && item.start_ms - bar.end_ms < gap_ms => {
                bar.absorb(&item);
            }
            _ => bars.push(item),
        }
    }
    bars
}

/// Ticks (sorted times, such as the frames drawn) merged into bands: a tick less than `gap_ms`
/// after the band before it extends that band. A timeline of minutes draws tens of thousands of
/// frames as a few bands, and a stall as the gap between two.
pub fn tick_bands(ticks: &[f64], gap_ms: f64) -> Vec<(f64, f64)> {
    let mut bands: Vec<(f64, f64)> = Vec::new();
    for &tick in ticks {
        match bands.last_mut() {
            Some(band) if tick - band.1 < gap_ms => band.1 = band.1.max(tick),
            _ => bands.push((tick, tick)),
        }
    }
    bands
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
        // Lane numbers far beyond any run's (an imported file's) keep their order too.
        let far = [
            span(0, Lane::Worker(u32::MAX), 0.0, 1.0),
            span(1, Lane::Io(70_000), 0.0, 1.0),
            span(2, Lane::Worker(1), 0.0, 1.0),
            span(3, Lane::Io(3), 0.0, 1.0),
            span(4, Lane::Io(70_000), 1.0, 2.0),
        ];
        assert_eq!(
            lanes(&far),
            [
                Lane::Io(3),
                Lane::Io(70_000),
                Lane::Worker(1),
                Lane::Worker(u32::MAX)
            ]
        );
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
    fn lane_usage_unions_and_clips() {
        let spans = [
            span(0, Lane::Worker(1), 0.0, 40.0),
            span(1, Lane::Worker(1), 30.0, 50.0),
            span(2, Lane::Worker(1), 60.0, 70.0),
            span(3, Lane::Worker(0), -10.0, 10.0),
            span(4, Lane::Worker(0), 90.0, 130.0),
            span(5, Lane::Main, 20.0, 20.0),
            span(6, Lane::Main, f64::NAN, 30.0),
        ];
        let usage = lane_usage(&spans, 100.0);
        let rows: Vec<(Lane, f64, f64, u32)> = usage
            .iter()
            .map(|u| (u.lane, u.busy_ms, u.idle_ms, u.tasks))
            .collect();
        assert_eq!(
            rows,
            [
                (Lane::Main, 0.0, 100.0, 2),
                (Lane::Worker(0), 20.0, 80.0, 2),
                (Lane::Worker(1), 60.0, 40.0, 3),
            ]
        );
        // A span inside another adds nothing.
        let nested = [
            span(0, Lane::Worker(0), 0.0, 50.0),
            span(1, Lane::Worker(0), 10.0, 20.0),
        ];
        assert_eq!(lane_usage(&nested, 50.0)[0].busy_ms, 50.0);
        assert_eq!(lane_usage(&nested, 50.0)[0].idle_ms, 0.0);
        let no_time = lane_usage(&nested, f64::NAN);
        assert_eq!((no_time[0].busy_ms, no_time[0].idle_ms), (0.0, 0.0));
        assert!(lane_usage(&[], 10.0).is_empty());
    }

    #[test]
    fn lane_usage_serializes_with_lane_text() {
        let usage = lane_usage(&[span(0, Lane::Worker(2), 0.0, 5.0)], 10.0);
        assert_eq!(
            serde_json::to_value(&usage).unwrap(),
            serde_json::json!([{ "lane": "worker-2", "busy_ms": 5.0, "idle_ms": 5.0, "tasks": 1 }])
        );
    }

    #[test]
    fn window_keeps_what_overlaps_and_cuts_it_to_the_window() {
        let spans = [
            span(0, Lane::Io(0), 0.0, 5.0),
            span(1, Lane::Io(1), 8.0, 30.0),
            span(2, Lane::Io(0), 12.0, 14.0),
            span(3, Lane::Io(1), 40.0, 50.0),
            span(4, Lane::Io(2), f64::NAN, 12.0),
        ];
        let seen = window(&spans, 10.0, 20.0);
        let kept: Vec<(u32, f64, f64)> =
            seen.iter().map(|s| (s.id, s.start_ms, s.end_ms)).collect();
        assert_eq!(kept, [(1, 10.0, 20.0), (2, 12.0, 14.0)]);
        assert!(window(&spans, 60.0, 70.0).is_empty());
    }

    #[test]
    fn coalesce_merges_close_spans_per_lane() {
        let mut failed = span(3, Lane::Worker(0), 10.2, 11.0);
        failed.ok = false;
        let spans = [
            span(1, Lane::Worker(0), 5.0, 10.0),
            failed,
            span(0, Lane::Worker(0), 0.0, 4.9),
            span(4, Lane::Worker(0), 20.0, 21.0),
            span(5, Lane::Worker(1), 0.0, 3.0),
            span(6, Lane::Main, 0.0, 100.0),
        ];
        let bars = coalesce(&spans, &lanes(&spans), 0.5);
        let shape: Vec<(u32, Lane, f64, f64, u32, u32)> = bars
            .iter()
            .map(|b| (b.first_id, b.lane, b.start_ms, b.end_ms, b.count, b.failed))
            .collect();
        assert_eq!(
            shape,
            [
                (6, Lane::Main, 0.0, 100.0, 1, 0),
                (0, Lane::Worker(0), 0.0, 11.0, 3, 1),
                (4, Lane::Worker(0), 20.0, 21.0, 1, 0),
                (5, Lane::Worker(1), 0.0, 3.0, 1, 0),
            ]
        );
        // Bars merge further as bars, and keep their counts.
        let merged = coalesce(&bars, &lanes(&spans), 10.0);
        let counts: Vec<(Lane, u32, u32)> =
            merged.iter().map(|b| (b.lane, b.count, b.failed)).collect();
        assert_eq!(
            counts,
            [
                (Lane::Main, 1, 0),
                (Lane::Worker(0), 4, 1),
                (Lane::Worker(1), 1, 0)
            ]
        );
        // A zero gap keeps touching spans apart but merges overlapping ones.
        let touching = [
            span(0, Lane::Io(0), 0.0, 5.0),
            span(1, Lane::Io(0), 5.0, 8.0),
            span(2, Lane::Io(0), 7.0, 9.0),
        ];
        assert_eq!(coalesce(&touching, &[Lane::Io(0)], 0.0).len(), 2);
        assert_eq!(coalesce(&touching, &[Lane::Io(0)], f64::NAN).len(), 3);
        assert!(coalesce::<Span>(&[], &[], 1.0).is_empty());
    }

    #[test]
    fn a_bar_says_whether_it_is_one_span_or_many() {
        let mut failed = span(7, Lane::Io(2), 1.0, 41.5);
        failed.ok = false;
        assert_eq!(
            Bar::from(&span(3, Lane::Io(0), 0.0, 12.345)).describe(),
            "io-0 #3: 0.00 → 12.35 ms (12.35 ms)"
        );
        assert_eq!(
            Bar::from(&failed).describe(),
            "io-2 #7: 1.00 → 41.50 ms (40.50 ms), failed"
        );
        let spans = [
            span(9, Lane::Io(2), 0.0, 1.0),
            failed,
            span(8, Lane::Io(2), 42.0, 50.0),
        ];
        let [bar] = &coalesce(&spans, &[Lane::Io(2)], 5.0)[..] else {
            panic!("one bar");
        };
        assert_eq!(
            bar.describe(),
            "io-2: 3 spans from #9, 0.00 → 50.00 ms (50.00 ms), merged because they are closer \
             than a pixel at this zoom, 1 failed"
        );
    }

    #[test]
    fn coalesce_turns_many_tiny_tasks_into_few_bars() {
        // 65 536 tasks of 0.01 ms on 4 lanes, with 0.001 ms between tasks and a pause every 512.
        let spans: Vec<Span> = (0..65_536u32)
            .map(|id| {
                let slot = id / 4;
                let start = f64::from(slot) * 0.011 + f64::from(slot / 512) * 5.0;
                span(id, Lane::Worker(id % 4), start, start + 0.01)
            })
            .collect();
        let bars = coalesce(&spans, &lanes(&spans), 0.5);
        assert_eq!(bars.len(), 4 * 32);
        assert!(bars.iter().all(Bar::ok));
        assert_eq!(bars[0].first_id, 0);
        assert_eq!(bars.iter().map(|bar| bar.count).sum::<u32>(), 65_536);
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

    #[test]
    fn ticks_closer_than_the_gap_make_one_band_and_a_stall_splits_them() {
        let mut ticks: Vec<f64> = (0..60).map(|i| f64::from(i) * 16.7).collect();
        // A 200 ms stall, then frames again.
        ticks.extend((0..30).map(|i| 1200.0 + f64::from(i) * 16.7));
        let bands = tick_bands(&ticks, 20.0);
        assert_eq!(
            bands,
            vec![(0.0, 59.0 * 16.7), (1200.0, 1200.0 + 29.0 * 16.7)]
        );
        // A gap no wider than the frames' own keeps every tick its own band.
        assert_eq!(tick_bands(&ticks, 10.0).len(), 90);
        assert!(tick_bands(&[], 10.0).is_empty());
    }

    #[test]
    fn bars_from_the_overview_are_the_bars_from_every_span() {
        // 40 000 tasks on 3 lanes, with pauses of every length between them.
        let spans: Vec<Span> = (0..40_000u32)
            .map(|id| {
                let slot = id / 3;
                let start =
                    f64::from(slot) * 0.02 + f64::from(slot % 97) * 0.001 * f64::from(slot / 700);
                span(id, Lane::Worker(id % 3), start, start + 0.015)
            })
            .collect();
        let shared = Spans::from(spans.clone());
        assert_eq!(shared.lanes(), lanes(&spans));
        for gap in [0.0001, 0.01, 0.05, 0.5, 5.0, 50.0] {
            assert_eq!(
                shared.bars(gap),
                coalesce(&spans, &lanes(&spans), gap),
                "gap {gap}"
            );
        }
        assert!(shared.0.overview.len() < spans.len() / 4);
        assert_eq!(Spans::default().bars(1.0), []);
    }
}
