//! The main thread's responsiveness during a run, judged from every source the browser offers.
//!
//! No single instrument sees every block in every browser. Firefox and Safari report no
//! `longtask` entries; Chromium does not report Rust code resumed by a future as a task; frames
//! stop when the compositor falls behind even while the main thread is idle. So the page records
//! four sources ([`Source`]) and this module merges them:
//!
//! - a **block** is a stall over [`LONG_TASK_MS`] that a source on the main thread itself saw
//!   (long tasks, long animation frames, the heartbeat). Overlapping stalls from several sources
//!   are one block, which remembers who saw it ([`Block::seen_by`]);
//! - a **frame stall** is a gap between animation frames over [`LONG_TASK_MS`] that no block
//!   explains: the page drew nothing, yet its main thread was free. In headless Chromium on two
//!   busy cores this happens while the compositor waits for a core.
//!
//! Anything seen while the page was hidden is set aside: browsers throttle timers and stop frames
//! in hidden tabs, so those gaps say nothing about the page's code. The run is flagged instead.
//! The [`MainThreadSummary::verdict`] is written from the same numbers the summary exports.

use serde::{Deserialize, Serialize};

use crate::format;
use crate::stats::{percentile, saturating_u32};

/// A stall is a block when it holds the main thread for more than this many ms (the browser's own
/// threshold for a long task).
pub const LONG_TASK_MS: f64 = 50.0;

/// An instrument that can see the main thread stall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// `PerformanceObserver` entries of type `longtask` (Chromium only).
    Longtask,
    /// `long-animation-frame` entries whose blocking duration is above zero (Chromium only).
    LongAnimationFrame,
    /// The intervals between `requestAnimationFrame` callbacks (every browser).
    Frames,
    /// A message a small worker posts every [`HEARTBEAT_MS`]; how late each one runs on the main
    /// thread (every browser).
    Heartbeat,
}

impl Source {
    /// The source in words, for verdicts.
    pub fn describe(self) -> &'static str {
        match self {
            Source::Longtask => "long tasks",
            Source::LongAnimationFrame => "long animation frames",
            Source::Frames => "frames",
            Source::Heartbeat => "the heartbeat",
        }
    }

    /// Whether the source watches the main thread's own tasks (frames also depend on the
    /// compositor).
    pub fn on_main_thread(self) -> bool {
        self != Source::Frames
    }
}

/// The heartbeat's period, in ms: a stall shows as a beat that runs this much later or more.
pub const HEARTBEAT_MS: f64 = 10.0;

/// A stretch of time, in ms since the run started.
///
/// The JSON shape, `{ "start_ms", "duration_ms" }`, is the one `long_task_spans` always had.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stall {
    /// When it started.
    pub start_ms: f64,
    /// How long it lasted.
    pub duration_ms: f64,
}

impl Stall {
    /// The stall from `start_ms` to `end_ms`.
    pub fn between(start_ms: f64, end_ms: f64) -> Stall {
        Stall {
            start_ms,
            duration_ms: end_ms - start_ms,
        }
    }

    /// When it ended.
    pub fn end_ms(&self) -> f64 {
        self.start_ms + self.duration_ms
    }

    fn is_finite(&self) -> bool {
        self.start_ms.is_finite() && self.duration_ms.is_finite()
    }

    fn overlaps(&self, from: f64, to: f64) -> bool {
        self.start_ms < to && self.end_ms() > from
    }

    fn shifted(self, by: f64) -> Stall {
        Stall {
            start_ms: self.start_ms - by,
            ..self
        }
    }
}

/// One block of the main thread, merged from every source that saw it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// When it started, in ms since the run started.
    pub start_ms: f64,
    /// How long the main thread was held.
    pub duration_ms: f64,
    /// The sources that saw it, in [`Source`] order.
    pub seen_by: Vec<Source>,
}

/// What the page's instruments recorded around one run, on the shared clock (ms since the
/// epoch). The page keeps a rolling log; [`Observations::summarize`] cuts the run's window from it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Observations {
    /// The sources this browser offers.
    pub sources: Vec<Source>,
    /// `requestAnimationFrame` timestamps.
    pub frame_times_ms: Vec<f64>,
    /// `longtask` entries.
    pub long_tasks: Vec<Stall>,
    /// `long-animation-frame` entries that blocked (blocking duration above zero).
    pub animation_frames: Vec<Stall>,
    /// Each heartbeat: when it was sent (due) and when it ran on the main thread.
    pub heartbeats: Vec<(f64, f64)>,
    /// The stretches during which the page was hidden (an open one ends at `f64::INFINITY`).
    pub hidden: Vec<(f64, f64)>,
}

/// How the main thread fared during a run. Times are ms since the run started.
///
/// Fields a browser cannot observe are `null` in the export, never zero.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MainThreadSummary {
    /// The sources this browser offered; every judgement below is made from these alone.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Blocks over [`LONG_TASK_MS`] seen by any source on the main thread.
    #[serde(default)]
    pub blocks: u32,
    /// Total time blocked, in ms.
    #[serde(default)]
    pub blocked_ms: f64,
    /// The blocks, by start time, with the sources that saw each.
    #[serde(default)]
    pub block_spans: Vec<Block>,
    /// Gaps between frames over [`LONG_TASK_MS`] that no block explains.
    #[serde(default)]
    pub frame_stalls: u32,
    /// Those gaps, by start time.
    #[serde(default)]
    pub frame_stall_spans: Vec<Stall>,
    /// Number of `longtask` entries; `null` where the browser reports none at all.
    pub long_tasks: Option<u32>,
    /// Total time in long tasks, in ms; `null` where the browser reports none at all.
    pub long_task_ms: Option<f64>,
    /// The long tasks, by start time.
    pub long_task_spans: Vec<Stall>,
    /// Number of frame intervals measured.
    pub frames: u32,
    /// Median frame interval, in ms.
    pub frame_p50_ms: Option<f64>,
    /// 99th-percentile frame interval, in ms.
    pub frame_p99_ms: Option<f64>,
    /// Longest frame interval, in ms.
    pub frame_max_ms: Option<f64>,
    /// The `requestAnimationFrame` timestamps, ascending.
    pub frame_times_ms: Vec<f64>,
    /// Heartbeats that ran during the run.
    #[serde(default)]
    pub heartbeats: u32,
    /// Median lateness of the heartbeat, in ms.
    #[serde(default)]
    pub heartbeat_p50_ms: Option<f64>,
    /// 99th-percentile lateness of the heartbeat, in ms.
    #[serde(default)]
    pub heartbeat_p99_ms: Option<f64>,
    /// Largest lateness of the heartbeat, in ms.
    #[serde(default)]
    pub heartbeat_max_ms: Option<f64>,
    /// Time the page was hidden during the run, in ms; its timers were throttled then.
    #[serde(default)]
    pub hidden_ms: f64,
}

impl Observations {
    /// Summarises the window from `start_ms` to `end_ms` (shared clock), with times relative to
    /// `start_ms`. Non-finite values are dropped.
    ///
    /// A block belongs to the run when most of it lies inside the window: the run's own first
    /// block starts with the click that started it, a moment before `start_ms`; a block left
    /// over from loading the page mostly lies before it.
    pub fn summarize(&self, start_ms: f64, end_ms: f64) -> MainThreadSummary {
        let hidden: Vec<(f64, f64)> = self
            .hidden
            .iter()
            .filter(|(from, to)| *from < end_ms && *to > start_ms)
            .copied()
            .collect();
        let hidden_ms: f64 = hidden
            .iter()
            .map(|(from, to)| to.min(end_ms) - from.max(start_ms))
            .sum();
        let visible = |stall: &Stall| !hidden.iter().any(|(f, t)| stall.overlaps(*f, *t));
        let in_window = |stall: &Stall| {
            let middle = stall.start_ms + stall.duration_ms / 2.0;
            stall.is_finite() && middle >= start_ms && middle <= end_ms
        };
        let pick = |stalls: &[Stall]| -> Vec<Stall> {
            let mut picked: Vec<Stall> = stalls
                .iter()
                .filter(|s| in_window(s) && visible(s))
                .map(|s| s.shifted(start_ms))
                .map(|s| Stall {
                    duration_ms: s.duration_ms.max(0.0),
                    ..s
                })
                .collect();
            picked.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
            picked
        };

        let long_task_spans = pick(&self.long_tasks);
        let animation_frames: Vec<Stall> = pick(&self.animation_frames)
            .into_iter()
            .filter(|s| s.duration_ms > LONG_TASK_MS)
            .collect();
        let beats: Vec<(f64, f64)> = self
            .heartbeats
            .iter()
            .filter(|(due, ran)| due.is_finite() && ran.is_finite())
            .filter(|(_, ran)| *ran >= start_ms && *ran <= end_ms)
            .copied()
            .collect();
        let mut lateness: Vec<f64> = beats
            .iter()
            .filter(|(due, ran)| visible(&Stall::between(*due, *ran)))
            .map(|(due, ran)| (ran - due).max(0.0))
            .collect();
        lateness.sort_by(f64::total_cmp);
        let heartbeat_stalls = pick(
            &beats
                .iter()
                .filter(|(due, ran)| ran - due > LONG_TASK_MS)
                .map(|(due, ran)| Stall::between(*due, *ran))
                .collect::<Vec<_>>(),
        );

        let all_frames = sorted_finite(&self.frame_times_ms);
        let frame_times: Vec<f64> = all_frames
            .iter()
            .filter(|t| **t >= start_ms && **t <= end_ms)
            .map(|t| t - start_ms)
            .collect();
        // Intervals are counted by where they end, so the last frame before the run opens the
        // first one: a block that starts with the run shows as a long first interval.
        let before = all_frames
            .iter()
            .rev()
            .find(|t| **t < start_ms)
            .map(|t| t - start_ms);
        let frame_edges: Vec<f64> = before
            .into_iter()
            .chain(frame_times.iter().copied())
            .collect();
        let hidden_relative: Vec<(f64, f64)> = hidden
            .iter()
            .map(|(f, t)| (f - start_ms, t - start_ms))
            .collect();
        let mut intervals: Vec<f64> = frame_edges
            .windows(2)
            .filter(|w| {
                !hidden_relative
                    .iter()
                    .any(|(f, t)| Stall::between(w[0], w[1]).overlaps(*f, *t))
            })
            .map(|w| w[1] - w[0])
            .collect();
        intervals.sort_by(f64::total_cmp);

        let has = |source| self.sources.contains(&source);
        let mut evidence: Vec<(Source, Stall)> = Vec::new();
        if has(Source::Longtask) {
            evidence.extend(
                long_task_spans
                    .iter()
                    .filter(|s| s.duration_ms > LONG_TASK_MS)
                    .map(|s| (Source::Longtask, *s)),
            );
        }
        if has(Source::LongAnimationFrame) {
            evidence.extend(
                animation_frames
                    .iter()
                    .map(|s| (Source::LongAnimationFrame, *s)),
            );
        }
        if has(Source::Heartbeat) {
            evidence.extend(heartbeat_stalls.iter().map(|s| (Source::Heartbeat, *s)));
        }
        let block_spans = merge(evidence);

        let frame_stall_spans: Vec<Stall> = if has(Source::Frames) {
            frozen_gaps(&frame_edges, LONG_TASK_MS)
                .into_iter()
                .map(|(from, to)| Stall::between(from, to))
                .filter(|gap| !hidden_relative.iter().any(|(f, t)| gap.overlaps(*f, *t)))
                .filter(|gap| {
                    !block_spans
                        .iter()
                        .any(|b| gap.overlaps(b.start_ms, b.start_ms + b.duration_ms))
                })
                .collect()
        } else {
            Vec::new()
        };

        let long_tasks_seen = has(Source::Longtask);
        MainThreadSummary {
            sources: self.sources.clone(),
            blocks: saturating_u32(block_spans.len()),
            blocked_ms: block_spans.iter().map(|b| b.duration_ms).sum(),
            block_spans,
            frame_stalls: saturating_u32(frame_stall_spans.len()),
            frame_stall_spans,
            long_tasks: long_tasks_seen.then(|| saturating_u32(long_task_spans.len())),
            long_task_ms: long_tasks_seen
                .then(|| long_task_spans.iter().map(|s| s.duration_ms).sum()),
            long_task_spans,
            frames: saturating_u32(intervals.len()),
            frame_p50_ms: percentile(&intervals, 50.0),
            frame_p99_ms: percentile(&intervals, 99.0),
            frame_max_ms: intervals.last().copied(),
            frame_times_ms: frame_times,
            heartbeats: saturating_u32(beats.len()),
            heartbeat_p50_ms: percentile(&lateness, 50.0),
            heartbeat_p99_ms: percentile(&lateness, 99.0),
            heartbeat_max_ms: lateness.last().copied(),
            hidden_ms,
        }
    }
}

/// Overlapping stalls become one block, seen by the union of their sources.
fn merge(mut evidence: Vec<(Source, Stall)>) -> Vec<Block> {
    evidence.sort_by(|a, b| a.1.start_ms.total_cmp(&b.1.start_ms));
    let mut blocks: Vec<Block> = Vec::new();
    for (source, stall) in evidence {
        match blocks.last_mut() {
            Some(block) if stall.start_ms <= block.start_ms + block.duration_ms => {
                let end = (block.start_ms + block.duration_ms).max(stall.end_ms());
                block.duration_ms = end - block.start_ms;
                if !block.seen_by.contains(&source) {
                    block.seen_by.push(source);
                    block.seen_by.sort();
                }
            }
            _ => blocks.push(Block {
                start_ms: stall.start_ms,
                duration_ms: stall.duration_ms,
                seen_by: vec![source],
            }),
        }
    }
    blocks
}

/// What the main thread's record says, in one sentence, and how it reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MainThreadVerdict {
    /// How the sentence reads: good, a warning, or bad.
    pub tone: Tone,
    /// The sentence.
    pub text: String,
}

/// How a verdict reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Every source agrees nothing went wrong.
    Good,
    /// The sources disagree, or the run cannot be judged.
    Warn,
    /// The main thread was blocked.
    Bad,
}

impl MainThreadSummary {
    /// Where the browser reports long tasks and a block lasted far longer than any of them
    /// (more than twice the longest): it was many tasks queued back to back, each short, that
    /// made the page answer late, not one task holding it. A flood of responses does that.
    fn queued_back_to_back(&self) -> Option<String> {
        self.long_tasks?;
        let longest_task = self
            .long_task_spans
            .iter()
            .map(|s| s.duration_ms)
            .fold(0.0, f64::max);
        let longest_block = self
            .block_spans
            .iter()
            .map(|b| b.duration_ms)
            .fold(0.0, f64::max);
        if longest_block <= 2.0 * longest_task.max(LONG_TASK_MS) {
            return None;
        }
        let tasks = if longest_task > LONG_TASK_MS {
            format!("the longest took {}", format::ms(longest_task, 1.0))
        } else {
            "none took over 50 ms".to_owned()
        };
        Some(format!(
            " No single task held it that long ({tasks}): many shorter tasks ran back to back, \
             and input waited behind them."
        ))
    }

    /// The verdict on the main thread: "stayed free" only when every source this browser offered
    /// agrees; a missing source is named, never counted as zero.
    pub fn verdict(&self) -> MainThreadVerdict {
        let ms = |v: f64| format::ms(v, 1.0);
        let missing = self.missing_sources();
        let unseen = if missing.is_empty() {
            String::new()
        } else {
            format!(" This browser does not report {}.", join(&missing))
        };
        if self.hidden_ms > 0.0 {
            return MainThreadVerdict {
                tone: Tone::Warn,
                text: format!(
                    "The page was hidden for {} of this run: browsers throttle timers and stop \
                     drawing in hidden tabs, so this run's timings are not representative.",
                    ms(self.hidden_ms)
                ),
            };
        }
        if self.sources.is_empty() {
            return MainThreadVerdict {
                tone: Tone::Warn,
                text: "This browser offered no way to watch the main thread.".to_owned(),
            };
        }
        if self.blocks > 0 {
            let mut seen: Vec<Source> = self
                .block_spans
                .iter()
                .flat_map(|b| b.seen_by.iter().copied())
                .collect();
            seen.sort();
            seen.dedup();
            let times = match self.blocks {
                1 => "once".to_owned(),
                n => format!("{n} times"),
            };
            return MainThreadVerdict {
                tone: Tone::Bad,
                text: format!(
                    "The main thread was blocked {times}, {} in all (seen by {}).{}{unseen}",
                    ms(self.blocked_ms),
                    join(&seen.iter().map(|s| s.describe()).collect::<Vec<_>>()),
                    self.queued_back_to_back().unwrap_or_default(),
                ),
            };
        }
        let watched: Vec<&str> = self
            .sources
            .iter()
            .filter(|s| s.on_main_thread())
            .map(|s| s.describe())
            .collect();
        if self.frame_stalls > 0 {
            let longest = self
                .frame_stall_spans
                .iter()
                .map(|s| s.duration_ms)
                .fold(0.0, f64::max);
            return MainThreadVerdict {
                tone: Tone::Warn,
                text: format!(
                    "No task held the main thread over 50 ms ({}), yet frames paused {} times, up \
                     to {}: the browser fell behind in drawing, not the page's code.{unseen}",
                    join(&watched),
                    self.frame_stalls,
                    ms(longest)
                ),
            };
        }
        MainThreadVerdict {
            tone: Tone::Good,
            text: format!(
                "The main thread stayed free: no stall over 50 ms in {}.{unseen}",
                join(
                    &self
                        .sources
                        .iter()
                        .map(|s| s.describe())
                        .collect::<Vec<_>>()
                )
            ),
        }
    }

    /// The longest block of the run, in ms; 0 when there was none.
    pub fn longest_block_ms(&self) -> f64 {
        self.block_spans
            .iter()
            .map(|b| b.duration_ms)
            .fold(0.0, f64::max)
    }

    /// The sources of [`Source`] this browser did not offer, in words.
    pub fn missing_sources(&self) -> Vec<&'static str> {
        [
            Source::Longtask,
            Source::LongAnimationFrame,
            Source::Frames,
            Source::Heartbeat,
        ]
        .into_iter()
        .filter(|s| !self.sources.contains(s))
        .map(Source::describe)
        .collect()
    }
}

/// A frame interval at or below this many ms is a smooth frame (16.7 ms at 60 Hz, with room for
/// the timer's jitter).
pub const SMOOTH_FRAME_MS: f64 = 20.0;

/// Frames described from their p99 interval: "frames stay smooth (p99 16.7 ms)", "frames slow to
/// 33.3 ms (p99)", "frames stall for 201 ms (p99)"; never "smooth" above [`SMOOTH_FRAME_MS`].
pub fn describe_frames(p99_ms: Option<f64>) -> String {
    match p99_ms {
        None => "no frames were drawn".to_owned(),
        Some(p99) if p99 <= SMOOTH_FRAME_MS => {
            format!("frames stay smooth (p99 {})", format::ms(p99, 0.1))
        }
        Some(p99) if p99 <= LONG_TASK_MS => {
            format!("frames slow to {} (p99)", format::ms(p99, 0.1))
        }
        Some(p99) => format!("frames stall for {} (p99)", format::ms(p99, 0.1)),
    }
}

/// "a", "a and b", "a, b and c".
fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The `(start, end)` of every gap between consecutive frames longer than `threshold_ms`.
pub fn frozen_gaps(frame_times_ms: &[f64], threshold_ms: f64) -> Vec<(f64, f64)> {
    sorted_finite(frame_times_ms)
        .windows(2)
        .filter(|w| w[1] - w[0] > threshold_ms)
        .map(|w| (w[0], w[1]))
        .collect()
}

fn sorted_finite(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Source; 4] = [
        Source::Longtask,
        Source::LongAnimationFrame,
        Source::Frames,
        Source::Heartbeat,
    ];

    /// Frames every 16 ms from `from` to `to`, skipping the gaps given.
    fn frames(from: f64, to: f64, gaps: &[(f64, f64)]) -> Vec<f64> {
        let mut t = from;
        let mut out = Vec::new();
        while t <= to {
            if !gaps.iter().any(|(a, b)| t > *a && t < *b) {
                out.push(t);
            }
            t += 16.0;
        }
        out
    }

    /// Heartbeats every 10 ms, one of which runs late from `due` to `ran`.
    fn beats(from: f64, to: f64, late: Option<(f64, f64)>) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        let mut t = from;
        while t <= to {
            match late {
                Some((due, ran)) if t >= due && t < ran => {
                    out.push((due, ran));
                    t = ran + HEARTBEAT_MS;
                }
                _ => {
                    out.push((t, t + 0.2));
                    t += HEARTBEAT_MS;
                }
            }
        }
        out
    }

    #[test]
    fn frame_intervals_and_long_tasks() {
        // Intervals 16, 16, 68, 16, 17 (ms); the timestamps arrive out of order.
        let observed = Observations {
            sources: ALL.to_vec(),
            frame_times_ms: vec![1000.0, 1016.0, 1100.0, 1032.0, 1116.0, 1133.0],
            long_tasks: vec![
                Stall::between(1080.0, 1135.0),
                Stall::between(1010.0, 1070.0),
            ],
            ..Observations::default()
        };
        let summary = observed.summarize(1000.0, 1200.0);
        assert_eq!(summary.frames, 5);
        assert_eq!(summary.frame_p50_ms, Some(16.0));
        assert_eq!(summary.frame_p99_ms, Some(68.0));
        assert_eq!(summary.frame_max_ms, Some(68.0));
        assert_eq!(
            summary.frame_times_ms,
            [0.0, 16.0, 32.0, 100.0, 116.0, 133.0]
        );
        assert_eq!(summary.long_tasks, Some(2));
        assert_eq!(summary.long_task_ms, Some(115.0));
        assert_eq!(summary.long_task_spans[0].start_ms, 10.0);
        // The two long tasks do not overlap: two blocks, and the frame gap lies inside them.
        assert_eq!(summary.blocks, 2);
        assert_eq!(summary.blocked_ms, 115.0);
        assert_eq!(summary.frame_stalls, 0);
        assert_eq!(summary.verdict().tone, Tone::Bad);
    }

    #[test]
    fn a_freeze_without_long_tasks_is_seen_by_the_heartbeat() {
        // Firefox: no longtask, no long-animation-frame; a 667 ms block from 100 ms.
        let observed = Observations {
            sources: vec![Source::Frames, Source::Heartbeat],
            frame_times_ms: frames(0.0, 1000.0, &[(100.0, 767.0)]),
            heartbeats: beats(0.0, 1000.0, Some((104.0, 767.0))),
            ..Observations::default()
        };
        let summary = observed.summarize(0.0, 1000.0);
        assert_eq!(summary.long_tasks, None);
        assert_eq!(summary.long_task_ms, None);
        assert_eq!(summary.blocks, 1);
        assert_eq!(summary.block_spans[0].seen_by, [Source::Heartbeat]);
        assert!((summary.blocked_ms - 663.0).abs() < 1e-9);
        assert_eq!(summary.frame_stalls, 0, "the frame gap is the block's");
        let verdict = summary.verdict();
        assert_eq!(verdict.tone, Tone::Bad);
        assert!(verdict.text.contains("blocked once"), "{}", verdict.text);
        assert!(
            verdict
                .text
                .contains("does not report long tasks and long animation frames"),
            "{}",
            verdict.text
        );
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(json["long_tasks"], serde_json::Value::Null);
        assert_eq!(json["sources"], serde_json::json!(["frames", "heartbeat"]));
    }

    #[test]
    fn a_block_of_tasks_queued_back_to_back_says_no_single_task_held_it() {
        // A flood: every heartbeat 150 ms late for two seconds, the longest task 224 ms.
        let observed = Observations {
            sources: ALL.to_vec(),
            long_tasks: vec![Stall::between(500.0, 724.0), Stall::between(1500.0, 1560.0)],
            heartbeats: (0..200)
                .map(|beat| {
                    let due = f64::from(beat) * HEARTBEAT_MS;
                    (due, due + 150.0)
                })
                .collect(),
            frame_times_ms: (0..20).map(|frame| f64::from(frame) * 100.0).collect(),
            ..Observations::default()
        };
        let summary = observed.summarize(0.0, 2000.0);
        assert_eq!(summary.blocks, 1);
        let verdict = summary.verdict();
        assert_eq!(verdict.tone, Tone::Bad);
        assert!(
            verdict
                .text
                .contains("No single task held it that long (the longest took 224 ms)"),
            "{}",
            verdict.text
        );
        // One long task that is the block: nothing to add.
        let one = Observations {
            sources: ALL.to_vec(),
            long_tasks: vec![Stall::between(100.0, 400.0)],
            ..Observations::default()
        };
        assert!(!one
            .summarize(0.0, 500.0)
            .verdict()
            .text
            .contains("No single task"));
    }

    #[test]
    fn overlapping_reports_are_one_block_seen_by_each() {
        let observed = Observations {
            sources: ALL.to_vec(),
            long_tasks: vec![Stall::between(100.0, 400.0)],
            animation_frames: vec![Stall::between(90.0, 410.0)],
            heartbeats: beats(0.0, 500.0, Some((105.0, 400.0))),
            frame_times_ms: frames(0.0, 500.0, &[(90.0, 410.0)]),
            ..Observations::default()
        };
        let summary = observed.summarize(0.0, 500.0);
        assert_eq!(summary.blocks, 1);
        assert_eq!(
            summary.block_spans,
            [Block {
                start_ms: 90.0,
                duration_ms: 320.0,
                seen_by: vec![
                    Source::Longtask,
                    Source::LongAnimationFrame,
                    Source::Heartbeat
                ],
            }]
        );
        assert!(summary
            .verdict()
            .text
            .contains("seen by long tasks, long animation frames and the heartbeat"));
    }

    #[test]
    fn a_block_that_starts_with_the_run_shows_in_the_frames() {
        // The last frame before the run at 996 ms; the run starts at 1000 ms and blocks at once.
        let observed = Observations {
            sources: vec![Source::Frames, Source::Heartbeat],
            frame_times_ms: frames(900.0, 1500.0, &[(1000.0, 1400.0)]),
            heartbeats: beats(900.0, 1500.0, Some((1001.0, 1400.0))),
            ..Observations::default()
        };
        let summary = observed.summarize(1000.0, 1500.0);
        assert_eq!(summary.frame_times_ms[0], 412.0);
        assert_eq!(summary.frame_max_ms, Some(416.0));
        assert_eq!(summary.blocks, 1);
        assert_eq!(summary.frame_stalls, 0, "the block explains the gap");
    }

    #[test]
    fn a_frame_gap_with_a_free_main_thread_is_a_frame_stall_not_a_block() {
        let observed = Observations {
            sources: ALL.to_vec(),
            frame_times_ms: frames(0.0, 500.0, &[(200.0, 290.0)]),
            heartbeats: beats(0.0, 500.0, None),
            ..Observations::default()
        };
        let summary = observed.summarize(0.0, 500.0);
        assert_eq!(summary.blocks, 0);
        assert_eq!(summary.frame_stalls, 1);
        assert_eq!(summary.frame_stall_spans, [Stall::between(192.0, 304.0)]);
        let verdict = summary.verdict();
        assert_eq!(verdict.tone, Tone::Warn);
        assert!(!verdict.text.contains("stayed free"), "{}", verdict.text);
        assert!(verdict.text.contains("up to 112 ms"), "{}", verdict.text);
    }

    #[test]
    fn stayed_free_only_when_every_source_agrees() {
        let observed = Observations {
            sources: ALL.to_vec(),
            frame_times_ms: frames(0.0, 500.0, &[]),
            heartbeats: beats(0.0, 500.0, None),
            // A long animation frame that did not block (waiting, not working) is no evidence.
            animation_frames: vec![Stall::between(100.0, 130.0)],
            ..Observations::default()
        };
        let summary = observed.summarize(0.0, 500.0);
        assert_eq!(summary.blocks, 0);
        assert_eq!(summary.frame_stalls, 0);
        assert_eq!(summary.long_tasks, Some(0));
        assert!(summary.heartbeat_max_ms.is_some_and(|late| late < 0.3));
        let verdict = summary.verdict();
        assert_eq!(verdict.tone, Tone::Good);
        assert_eq!(
            verdict.text,
            "The main thread stayed free: no stall over 50 ms in long tasks, long animation \
             frames, frames and the heartbeat."
        );
    }

    #[test]
    fn a_hidden_page_is_flagged_and_its_gaps_are_not_blocks() {
        let observed = Observations {
            sources: vec![Source::Frames, Source::Heartbeat],
            frame_times_ms: frames(0.0, 3000.0, &[(1000.0, 2500.0)]),
            heartbeats: beats(0.0, 3000.0, Some((1005.0, 2500.0))),
            hidden: vec![(990.0, 2490.0)],
            ..Observations::default()
        };
        let summary = observed.summarize(0.0, 3000.0);
        assert_eq!(summary.hidden_ms, 1500.0);
        assert_eq!(summary.blocks, 0);
        assert_eq!(summary.frame_stalls, 0);
        assert!(summary.frame_max_ms.unwrap() < 20.0);
        let verdict = summary.verdict();
        assert_eq!(verdict.tone, Tone::Warn);
        assert!(
            verdict.text.contains("hidden for 1.50 s"),
            "{}",
            verdict.text
        );
        // Still hidden when the run ends.
        let open = Observations {
            hidden: vec![(2000.0, f64::INFINITY)],
            ..observed
        };
        assert_eq!(open.summarize(0.0, 3000.0).hidden_ms, 1000.0);
    }

    #[test]
    fn the_window_keeps_what_mostly_lies_inside_it() {
        let observed = Observations {
            sources: ALL.to_vec(),
            long_tasks: vec![
                // Loading the page: before the run.
                Stall::between(0.0, 300.0),
                // The click that started the run: mostly inside it.
                Stall::between(990.0, 1200.0),
                Stall::between(f64::NAN, 1200.0),
            ],
            ..Observations::default()
        };
        let summary = observed.summarize(1000.0, 2000.0);
        assert_eq!(summary.long_task_spans, [Stall::between(-10.0, 200.0)]);
        assert_eq!(summary.blocks, 1);
    }

    #[test]
    fn nothing_observed_is_summarised_without_panicking() {
        let summary = Observations::default().summarize(0.0, 100.0);
        assert_eq!(summary.frames, 0);
        assert_eq!(summary.frame_p50_ms, None);
        assert_eq!(summary.long_tasks, None);
        assert_eq!(summary.verdict().tone, Tone::Warn);
        assert_eq!(
            summary.verdict().text,
            "This browser offered no way to watch the main thread."
        );
    }

    #[test]
    fn frozen_gaps_are_the_long_intervals() {
        let frames = [0.0, 16.0, 100.0, 116.0, 166.0, 250.0];
        assert_eq!(
            frozen_gaps(&frames, LONG_TASK_MS),
            [(16.0, 100.0), (166.0, 250.0)]
        );
        assert!(frozen_gaps(&frames, 1000.0).is_empty());
        assert!(frozen_gaps(&[1.0], 0.0).is_empty());
    }

    #[test]
    fn frames_are_smooth_only_when_they_are() {
        assert_eq!(
            describe_frames(Some(16.7)),
            "frames stay smooth (p99 16.7 ms)"
        );
        assert_eq!(describe_frames(Some(33.33)), "frames slow to 33.3 ms (p99)");
        assert_eq!(
            describe_frames(Some(201.0)),
            "frames stall for 201.0 ms (p99)"
        );
        assert_eq!(describe_frames(None), "no frames were drawn");
    }

    #[test]
    fn joins_read_as_english() {
        assert_eq!(join(&[]), "");
        assert_eq!(join(&["a"]), "a");
        assert_eq!(join(&["a", "b"]), "a and b");
        assert_eq!(join(&["a", "b", "c"]), "a, b and c");
    }
}
