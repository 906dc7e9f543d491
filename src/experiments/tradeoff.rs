//! One CPU job on the main thread, time-sliced: it runs tasks until `slice_ms` have passed,
//! then yields to the event loop so the page can draw and answer, then goes on.

use lab_core::cpu::{self, Job, JobResult};
use lab_core::span::{Lane, Span};

use super::cpu_job::CpuError;
use super::{Cancel, Progress};
use crate::runtime::clock;
use crate::runtime::event_loop::yield_now;

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

/// The job cut into the smallest natural pieces (a block, a row, a chunk of values), so a
/// slice can end close to its deadline.
pub fn fine_grained(job: Job) -> Job {
    let pieces = match job.kernel {
        cpu::Kernel::Sha256 => job.size,
        cpu::Kernel::Mandelbrot | cpu::Kernel::Blur => job.image_size().map_or(1, |(_, h)| h),
        cpu::Kernel::Stats => job.size / 20_000,
    };
    Job::new(job.kernel, job.size, pieces.clamp(1, cpu::MAX_TASKS)).unwrap_or(job)
}

/// Runs `job` on the main thread, yielding every `slice_ms`.
// snippet: sliced
pub async fn run_sliced(
    job: Job,
    slice_ms: f64,
    progress: &Progress,
    cancel: &Cancel,
) -> Result<SlicedRun, CpuError> {
    let start_ms = clock::now_ms();
    let mut slice_start = start_ms;
    let mut spans = Vec::new();
    let mut results = Vec::with_capacity(job.tasks as usize);
    for task in 0..job.tasks {
        if cancel.is_cancelled() {
            return Err(CpuError::Cancelled);
        }
        results.push(
            job.run_task(task)
                .map_err(|e| CpuError::Kernel(e.to_string()))?,
        );
        progress.tick();
        let now = clock::now_ms();
        if now - slice_start >= slice_ms || task + 1 == job.tasks {
            spans.push(Span {
                id: spans.len() as u32,
                lane: Lane::Main,
                start_ms: slice_start - start_ms,
                end_ms: now - start_ms,
                ok: true,
            });
            yield_now().await;
            slice_start = clock::now_ms();
        }
    }
    let wall_ms = clock::now_ms() - start_ms;
    let result = cpu::combine(&job, &results).map_err(|e| CpuError::Kernel(e.to_string()))?;
    Ok(SlicedRun {
        spans,
        start_ms,
        wall_ms,
        result,
    })
}
// end snippet
