//! One CPU job on the main thread, time-sliced: each slice runs tasks until `slice_ms` have
//! passed, in a task of its own, so between two slices the page can draw and answer.

use lab_core::kernel::{self, Job, JobResult, TaskResult};
use lab_core::span::{Lane, Span};

use super::cpu_job::CpuError;
use super::{Cancel, Progress};
use crate::runtime::clock;
use crate::runtime::event_loop::in_next_task;

/// What a time-sliced run measured.
#[derive(Clone, Debug)]
pub struct SlicedRun {
    /// One span per slice on the main lane, relative to `start_ms`.
    pub spans: Vec<Span>,
    /// Submission time on the shared clock.
    pub start_ms: f64,
    /// From submission to the last task done.
    pub wall_ms: f64,
    /// The job's combined result.
    pub result: JobResult,
}

/// Runs `job` on the main thread, giving the event loop its turn every `slice_ms`.
// snippet: sliced
pub async fn run_sliced(
    job: Job,
    slice_ms: f64,
    progress: &Progress,
    cancel: &Cancel,
) -> Result<SlicedRun, CpuError> {
    let start_ms = clock::now_ms();
    let mut spans = Vec::new();
    let mut results: Vec<TaskResult> = Vec::with_capacity(job.tasks as usize);
    // snippet: sliced-shape
    while results.len() < job.tasks as usize {
        if cancel.is_cancelled() {
            return Err(CpuError::Cancelled);
        }
        let first = results.len() as u32;
        let progress = progress.clone();
        let slice = in_next_task(move || run_slice(job, first, slice_ms, &progress))
            .await
            .ok_or(CpuError::NoTask)?;
        spans.push(Span {
            id: spans.len() as u32,
            lane: Lane::Main,
            start_ms: slice.began - start_ms,
            end_ms: slice.ended - start_ms,
            ok: slice.done.is_ok(),
        });
        results.extend(slice.done.map_err(CpuError::Kernel)?);
    }
    // end snippet
    let wall_ms = clock::now_ms() - start_ms;
    let result = kernel::combine(&job, &results).map_err(|e| CpuError::Kernel(e.to_string()))?;
    Ok(SlicedRun {
        spans,
        start_ms,
        wall_ms,
        result,
    })
}

/// One slice: the job's tasks from `first` on, until `slice_ms` have passed or none are left.
fn run_slice(job: Job, first: u32, slice_ms: f64, progress: &Progress) -> Slice {
    let began = clock::now_ms();
    let mut done = Vec::new();
    for task in first..job.tasks {
        match job.run_task(task) {
            Ok(result) => done.push(result),
            Err(error) => {
                return Slice {
                    began,
                    ended: clock::now_ms(),
                    done: Err(error.to_string()),
                }
            }
        }
        progress.tick();
        if clock::now_ms() - began >= slice_ms {
            break;
        }
    }
    Slice {
        began,
        ended: clock::now_ms(),
        done: Ok(done),
    }
}
// end snippet

/// What one slice ran, on the shared clock.
struct Slice {
    began: f64,
    ended: f64,
    done: Result<Vec<TaskResult>, String>,
}
