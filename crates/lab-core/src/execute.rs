//! How a job's tasks are spread over threads: in order on one thread, over a fixed number of
//! lanes, or over the whole rayon pool.
//!
//! The functions take the task as a closure, so they run the same natively (tested with real
//! threads) and in the browser, where the pool's threads are web workers.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

/// Where and how the CPU lab runs a job's tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every task in order on the page's main thread.
    Main,
    /// Every task in order on one worker, awaited by the page.
    Worker,
    /// At most T tasks at once: T lanes pull tasks from a shared counter.
    Lanes,
    /// Rayon's parallel iterator over the whole pool, with work stealing.
    Rayon,
}

named_choices!(Mode {
    Main => "main",
    Worker => "worker",
    Lanes => "lanes",
    Rayon => "rayon",
});

impl Mode {
    /// One plain sentence saying how the mode runs the tasks.
    pub fn describe(self) -> &'static str {
        match self {
            Mode::Main => "on the main thread: the page freezes until it ends",
            Mode::Worker => "on one worker, awaited: the page stays free (await Task.Run)",
            Mode::Lanes => {
                "on T workers at most, pulling tasks from a shared counter inside rayon::scope"
            }
            Mode::Rayon => "par_iter over the whole pool, with work stealing",
        }
    }

    /// Whether the mode can use more than one thread, and so can be swept over thread counts.
    pub fn is_parallel(self) -> bool {
        matches!(self, Mode::Lanes | Mode::Rayon)
    }
}

/// The least time a job on the pool is given before the page stops waiting for it.
pub const WATCHDOG_FLOOR_MS: f64 = 10_000.0;

/// How many times its expected single-thread time a job on the pool is given on top of the
/// floor: WebAssembly runs some kernels 3 times slower than native, a busy machine halves that
/// again, and a watchdog must never end a run that was only slow.
pub const WATCHDOG_FACTOR: f64 = 20.0;

/// How long the page waits for a job on the pool that one thread would finish in about
/// `single_thread_ms` (natively) before it gives up on it: a worker hung or died.
pub fn watchdog_ms(single_thread_ms: f64) -> f64 {
    WATCHDOG_FLOOR_MS + WATCHDOG_FACTOR * single_thread_ms.max(0.0)
}

/// Runs tasks `0..tasks` in order on the calling thread; the results come back in task order.
pub fn sequential<R>(tasks: u32, run: impl Fn(u32) -> R) -> Vec<R> {
    (0..tasks).map(run).collect()
}

/// Runs tasks `0..tasks` on at most `lanes` threads at once (0 lanes counts as 1).
///
/// Inside a `rayon::scope`, exactly `min(lanes, tasks)` jobs are spawned, and each takes task
/// numbers from a shared counter until none are left. The pool cannot be resized, so spawning
/// only that many jobs is what keeps the rest of the pool out of it. Each task runs once; the
/// results come back in no particular order.
// snippet: lanes
pub fn lanes<R: Send>(tasks: u32, lanes: u32, run: impl Fn(u32) -> R + Sync) -> Vec<R> {
    let next = AtomicU32::new(0);
    let done: Mutex<Vec<R>> = Mutex::new(Vec::with_capacity(tasks as usize));
    rayon::scope(|scope| {
        for _ in 0..lanes.max(1).min(tasks) {
            scope.spawn(|_| {
                let mut mine = Vec::new();
                // snippet: lanes-shape
                // A checked step rather than `fetch_add`, so the counter cannot wrap past `tasks`.
                while let Ok(task) = next.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                    (n < tasks).then_some(n + 1)
                }) {
                    mine.push(run(task));
                }
                // end snippet
                done.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .append(&mut mine);
            });
        }
    });
    done.into_inner().unwrap_or_else(PoisonError::into_inner)
}
// end snippet

/// Runs tasks `0..tasks` with rayon's parallel iterator over the whole pool; results in task order.
// snippet: rayon-all
pub fn rayon_all<R: Send>(tasks: u32, run: impl Fn(u32) -> R + Sync) -> Vec<R> {
    // By reference: `&F` is `Send` whenever `F` is `Sync`, which is all the signature asks of `run`.
    (0..tasks).into_par_iter().map(&run).collect()
}
// end snippet

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watchdog_gives_a_floor_and_scales_with_the_job() {
        assert_eq!(watchdog_ms(0.0), WATCHDOG_FLOOR_MS);
        assert_eq!(watchdog_ms(-5.0), WATCHDOG_FLOOR_MS);
        assert_eq!(watchdog_ms(1000.0), WATCHDOG_FLOOR_MS + 20_000.0);
    }
    use crate::kernel::{combine, Job, Kernel};
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a test thread pool")
    }

    /// Counts tasks running at once and remembers the most seen.
    #[derive(Default)]
    struct Gauge {
        now: AtomicUsize,
        most: AtomicUsize,
    }

    impl Gauge {
        fn task(&self, task: u32) -> u32 {
            let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(2));
            self.now.fetch_sub(1, Ordering::SeqCst);
            task
        }

        fn most(&self) -> usize {
            self.most.load(Ordering::SeqCst)
        }
    }

    fn sorted(mut tasks: Vec<u32>) -> Vec<u32> {
        tasks.sort_unstable();
        tasks
    }

    #[test]
    fn names_and_descriptions() {
        assert_eq!(
            Mode::ALL.map(Mode::name),
            ["main", "worker", "lanes", "rayon"]
        );
        assert_eq!(Mode::from_name("lanes"), Some(Mode::Lanes));
        assert_eq!(Mode::from_name("pool"), None);
        for mode in Mode::ALL {
            assert_eq!(
                serde_json::to_value(mode).unwrap(),
                serde_json::json!(mode.name())
            );
            assert!(mode.describe().len() > 20);
        }
        assert_eq!(
            Mode::Main.describe(),
            "on the main thread: the page freezes until it ends"
        );
        assert_eq!(Mode::ALL.map(Mode::is_parallel), [false, false, true, true]);
    }

    #[test]
    fn sequential_runs_in_order() {
        assert_eq!(sequential(5, |t| t * 10), [0, 10, 20, 30, 40]);
        assert!(sequential(0, |t| t).is_empty());
    }

    #[test]
    fn lanes_never_exceed_their_count() {
        let pool = pool(4);
        for threads in [1, 2, 3] {
            let gauge = Gauge::default();
            let done = pool.install(|| lanes(40, threads, |t| gauge.task(t)));
            assert_eq!(sorted(done), (0..40).collect::<Vec<_>>(), "{threads}");
            assert!(
                gauge.most() <= threads as usize,
                "{threads}: {}",
                gauge.most()
            );
            assert!(gauge.most() >= 1);
            if threads == 2 {
                assert_eq!(gauge.most(), 2);
            }
        }
    }

    #[test]
    fn lanes_edge_counts() {
        let pool = pool(4);
        pool.install(|| {
            assert!(lanes(0, 3, |t| t).is_empty());
            assert_eq!(lanes(1, 0, |t| t), [0]);
            assert_eq!(sorted(lanes(3, 100, |t| t)), [0, 1, 2]);
            assert_eq!(
                sorted(lanes(200, u32::MAX, |t| t)),
                (0..200).collect::<Vec<_>>()
            );
        });
        // Outside any pool, the global pool takes the jobs.
        assert_eq!(sorted(lanes(10, 2, |t| t)), (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn rayon_all_uses_the_pool() {
        let pool = pool(4);
        let gauge = Gauge::default();
        let done = pool.install(|| rayon_all(40, |t| gauge.task(t)));
        assert_eq!(done, (0..40).collect::<Vec<_>>());
        assert!(gauge.most() > 1, "{}", gauge.most());
        assert!(gauge.most() <= 4);
    }

    #[test]
    fn every_mode_gives_the_same_checksum() {
        let pool = pool(4);
        for kernel in Kernel::ALL {
            let size = if kernel == Kernel::Stats { 20_000 } else { 40 };
            let reference = Job::new(kernel, size, 1).unwrap();
            let expected = combine(&reference, &[reference.run_task(0).unwrap()]).unwrap();
            for tasks in [1, 5, 64] {
                let job = Job::new(kernel, size, tasks).unwrap();
                let task = |t: u32| job.run_task(t);
                let runs = [
                    sequential(tasks, task),
                    pool.install(|| lanes(tasks, 1, task)),
                    pool.install(|| lanes(tasks, 3, task)),
                    pool.install(|| rayon_all(tasks, task)),
                ];
                for results in runs {
                    let results: Vec<_> = results.into_iter().map(Result::unwrap).collect();
                    assert_eq!(combine(&job, &results).unwrap(), expected, "{kernel:?}");
                }
            }
        }
    }
}
