//! The main thread's responsiveness during a run: animation frames and long tasks.

use serde::{Deserialize, Serialize};

use crate::stats::{percentile, saturating_u32};

/// The browser reports a task as long when it blocks the main thread for more than this many ms.
pub const LONG_TASK_MS: f64 = 50.0;

/// One long task seen on the main thread, in ms since the run started.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LongTask {
    /// When the task started.
    pub start_ms: f64,
    /// How long it blocked the main thread.
    pub duration_ms: f64,
}

/// How smoothly the main thread kept drawing frames during a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MainThreadSummary {
    /// Number of long tasks.
    pub long_tasks: u32,
    /// Total time spent in long tasks, in ms.
    pub long_task_ms: f64,
    /// Number of frame intervals measured.
    pub frames: u32,
    /// Median frame interval, in ms.
    pub frame_p50_ms: Option<f64>,
    /// 99th-percentile frame interval, in ms.
    pub frame_p99_ms: Option<f64>,
    /// Longest frame interval, in ms.
    pub frame_max_ms: Option<f64>,
    /// The `requestAnimationFrame` timestamps, ascending, in ms since the run started.
    pub frame_times_ms: Vec<f64>,
    /// The long tasks, by start time, so a timeline can draw the main-thread lane.
    pub long_task_spans: Vec<LongTask>,
}

/// Summarises frame timestamps (in any order) and long tasks; non-finite values are dropped.
pub fn summarize_main_thread(frame_times_ms: &[f64], long_tasks: &[LongTask]) -> MainThreadSummary {
    let frame_times = sorted_finite(frame_times_ms);
    let mut intervals: Vec<f64> = frame_times.windows(2).map(|w| w[1] - w[0]).collect();
    intervals.sort_by(f64::total_cmp);

    let long_task_spans = sorted_tasks(long_tasks);

    MainThreadSummary {
        long_tasks: saturating_u32(long_task_spans.len()),
        long_task_ms: long_task_spans
            .iter()
            .map(|task| task.duration_ms.max(0.0))
            .sum(),
        frames: saturating_u32(intervals.len()),
        frame_p50_ms: percentile(&intervals, 50.0),
        frame_p99_ms: percentile(&intervals, 99.0),
        frame_max_ms: intervals.last().copied(),
        frame_times_ms: frame_times,
        long_task_spans,
    }
}

/// The long tasks in start order, with non-finite reports dropped.
fn sorted_tasks(long_tasks: &[LongTask]) -> Vec<LongTask> {
    let mut sorted: Vec<LongTask> = long_tasks
        .iter()
        .copied()
        .filter(|task| task.start_ms.is_finite() && task.duration_ms.is_finite())
        .map(|task| LongTask {
            duration_ms: task.duration_ms.max(0.0),
            ..task
        })
        .collect();
    sorted.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    sorted
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

    #[test]
    fn frame_intervals_and_long_tasks() {
        // Intervals 16, 16, 68, 16, 17 (ms); the timestamps arrive out of order.
        let frames = [0.0, 16.0, 100.0, 32.0, 116.0, 133.0];
        let tasks = [
            LongTask {
                start_ms: 80.0,
                duration_ms: 55.0,
            },
            LongTask {
                start_ms: 10.0,
                duration_ms: 60.0,
            },
        ];
        let summary = summarize_main_thread(&frames, &tasks);
        assert_eq!(summary.frames, 5);
        assert_eq!(summary.frame_p50_ms, Some(16.0));
        assert_eq!(summary.frame_p99_ms, Some(68.0));
        assert_eq!(summary.frame_max_ms, Some(68.0));
        assert_eq!(
            summary.frame_times_ms,
            [0.0, 16.0, 32.0, 100.0, 116.0, 133.0]
        );
        assert_eq!(summary.long_tasks, 2);
        assert_eq!(summary.long_task_ms, 115.0);
        assert_eq!(summary.long_task_spans[0].start_ms, 10.0);
    }

    #[test]
    fn too_few_frames_have_no_intervals() {
        let summary = summarize_main_thread(&[5.0, f64::NAN], &[]);
        assert_eq!(summary.frames, 0);
        assert_eq!(summary.frame_p50_ms, None);
        assert_eq!(summary.frame_max_ms, None);
        assert_eq!(summary.frame_times_ms, [5.0]);
        assert_eq!(summary.long_tasks, 0);
        assert_eq!(summary.long_task_ms, 0.0);
        assert_eq!(
            summarize_main_thread(&[], &[]),
            MainThreadSummary::default()
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
    fn long_tasks_come_out_in_order_without_broken_reports() {
        let reports = [
            LongTask {
                start_ms: 900.0,
                duration_ms: 60.0,
            },
            LongTask {
                start_ms: f64::NAN,
                duration_ms: 70.0,
            },
            LongTask {
                start_ms: 100.0,
                duration_ms: f64::INFINITY,
            },
            LongTask {
                start_ms: 97.0,
                duration_ms: 350.0,
            },
        ];
        let summary = summarize_main_thread(&[], &reports);
        assert_eq!(summary.long_tasks, 2);
        assert_eq!(summary.long_task_ms, 410.0);
        assert_eq!(
            summary.long_task_spans,
            [
                LongTask {
                    start_ms: 97.0,
                    duration_ms: 350.0
                },
                LongTask {
                    start_ms: 900.0,
                    duration_ms: 60.0
                },
            ]
        );
    }
}
