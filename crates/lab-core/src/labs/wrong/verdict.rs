//! Verdicts of the wrong-tool lab: whether a run used the wrong tool, decided from measured
//! numbers against a threshold stated in words.

use serde::{Deserialize, Serialize};

use crate::format;

/// The speedup below which making CPU work async on the main thread gained nothing.
pub const CPU_ON_MAIN_SPEEDUP: f64 = 1.2;

/// The slowdown of blocking I/O over async I/O from which the thread count was the limit.
pub const BLOCKING_IO_SLOWDOWN: f64 = 1.5;

/// The share of coarse tasks' throughput below which tiny tasks' overhead won.
pub const TINY_TASKS_SHARE: f64 = 0.7;

/// Whether a run used the wrong tool, with the measured number, the threshold and the reasons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The measurement crossed the threshold: this was the wrong tool.
    pub wrong_tool: bool,
    /// The number compared with the threshold (0 when it could not be measured).
    pub measured: f64,
    /// The threshold it was compared with.
    pub threshold: f64,
    /// The rule in words, naming the threshold.
    pub rule: String,
    /// What the numbers showed, with the numbers.
    pub text: String,
}

impl Verdict {
    /// A verdict that finds nothing wrong because the numbers could not be compared.
    fn unmeasured(threshold: f64, rule: String, what: &str) -> Verdict {
        Verdict {
            wrong_tool: false,
            measured: 0.0,
            threshold,
            rule,
            text: format!("No verdict: {what} could not be measured."),
        }
    }
}

/// CPU work made async on the main thread, against the same work run plainly on it.
///
/// `speedup` is the plain run's wall time over the async one's; `blocks` counts the blocks of the
/// main thread during the async run, from every source the browser offered
/// ([`crate::meter::MainThreadSummary::blocks`]). Wrong when the speedup is below
/// [`CPU_ON_MAIN_SPEEDUP`] and the main thread was blocked at least once.
pub fn cpu_on_main(speedup: f64, blocks: u32) -> Verdict {
    let threshold = CPU_ON_MAIN_SPEEDUP;
    let rule = format!(
        "wrong tool if the speedup is below {threshold}× and the main thread was blocked at least \
         once"
    );
    if !(speedup.is_finite() && speedup >= 0.0) {
        return Verdict::unmeasured(threshold, rule, "the speedup");
    }
    let wrong_tool = speedup < threshold && blocks >= 1;
    let blocked = match blocks {
        0 => "the main thread was never blocked".to_owned(),
        1 => "the main thread was blocked once".to_owned(),
        n => format!("the main thread was blocked {n} times"),
    };
    let ending = if wrong_tool {
        "async added no cook: the same thread did all the work and the page could not respond"
    } else if speedup >= threshold {
        "the async version was faster here"
    } else {
        "no speedup, but the page stayed responsive"
    };
    Verdict {
        wrong_tool,
        measured: speedup,
        threshold,
        rule,
        text: format!(
            "Async on the main thread ran {speedup:.2}× as fast as plain code, and {blocked}: \
             {ending}."
        ),
    }
}

/// `n` independent requests awaited one at a time in a loop, against all awaited together.
///
/// The measured number is the loop's wall time over the concurrent one's. Wrong when it is at
/// least `n / 2`, i.e. the latencies added up instead of overlapping; no verdict for `n` 0.
pub fn await_in_loop(loop_wall_ms: f64, concurrent_wall_ms: f64, n: u32) -> Verdict {
    let threshold = f64::from(n) / 2.0;
    let rule = format!(
        "wrong tool if awaiting in a loop takes at least n/2 = {threshold}× as long as awaiting \
         all {n} requests together (the latencies added up)"
    );
    let Some(ratio) = ratio(loop_wall_ms, concurrent_wall_ms).filter(|_| n > 0) else {
        return Verdict::unmeasured(threshold, rule, "the ratio of the wall times");
    };
    let wrong_tool = ratio >= threshold;
    let ending = if wrong_tool {
        "the waits added up instead of overlapping"
    } else {
        "the waits still overlapped"
    };
    Verdict {
        wrong_tool,
        measured: ratio,
        threshold,
        rule,
        text: format!(
            "Awaiting {n} requests one at a time took {} against {} all together, {ratio:.2}× as \
             long: {ending}.",
            format::ms(loop_wall_ms, 1.0),
            format::ms(concurrent_wall_ms, 1.0),
        ),
    }
}

/// Requests made from `workers` blocking threads, against the same requests made with async.
///
/// The measured number is the blocking run's wall time over the async one's. Wrong when no more
/// than `workers` requests were ever in flight and the ratio is at least
/// [`BLOCKING_IO_SLOWDOWN`]: the thread count capped the concurrency.
pub fn blocking_io(
    max_in_flight: u32,
    workers: u32,
    blocking_wall_ms: f64,
    async_wall_ms: f64,
) -> Verdict {
    let threshold = BLOCKING_IO_SLOWDOWN;
    let rule = format!(
        "wrong tool if no more requests were in flight than there are worker threads and the \
         blocking run took at least {threshold}× as long as the async one"
    );
    let Some(ratio) = ratio(blocking_wall_ms, async_wall_ms) else {
        return Verdict::unmeasured(threshold, rule, "the ratio of the wall times");
    };
    let capped = max_in_flight <= workers;
    let wrong_tool = capped && ratio >= threshold;
    let in_flight = format!(
        "at most {max_in_flight} requests were in flight on {workers} blocking {}",
        if workers == 1 { "thread" } else { "threads" }
    );
    let ending = if wrong_tool {
        "the thread count capped the concurrency"
    } else if capped {
        "the threads capped the concurrency, but it cost little here"
    } else {
        "the threads did not cap the concurrency"
    };
    Verdict {
        wrong_tool,
        measured: ratio,
        threshold,
        rule,
        text: format!(
            "With blocking I/O {in_flight}, and the run took {} against {} with async fetches, \
             {ratio:.2}× as long: {ending}.",
            format::ms(blocking_wall_ms, 1.0),
            format::ms(async_wall_ms, 1.0),
        ),
    }
}

/// Parallel work split into tiny tasks, against the same work in coarse tasks.
///
/// The measured number is the tiny tasks' throughput over the coarse ones'. Wrong when it is
/// below [`TINY_TASKS_SHARE`]: the overhead of scheduling won.
pub fn tiny_tasks(tiny_throughput: f64, coarse_throughput: f64) -> Verdict {
    let threshold = TINY_TASKS_SHARE;
    let rule = format!(
        "wrong tool if tiny tasks reach less than {threshold}× the throughput of coarse tasks \
         (the overhead won)"
    );
    let Some(ratio) = ratio(tiny_throughput, coarse_throughput) else {
        return Verdict::unmeasured(threshold, rule, "the ratio of the throughputs");
    };
    let wrong_tool = ratio < threshold;
    let ending = if wrong_tool {
        "handing out the tasks cost more than the tasks did"
    } else {
        "the tasks were still big enough to pay for handing them out"
    };
    Verdict {
        wrong_tool,
        measured: ratio,
        threshold,
        rule,
        text: format!(
            "Tiny tasks ran at {} against {} in coarse tasks, {ratio:.2}× the throughput: \
             {ending}.",
            format::rate(tiny_throughput),
            format::rate(coarse_throughput),
        ),
    }
}

/// `a / b` when both are finite, `a` is not negative and `b` is positive.
fn ratio(a: f64, b: f64) -> Option<f64> {
    let value = a / b;
    (a.is_finite() && a >= 0.0 && b.is_finite() && b > 0.0 && value.is_finite()).then_some(value)
}

/// A worked example of the p50 paradox, from an I/O case's two runs: a request's latency and the
/// run's length are different measures. When the wrong way's median request was clearly faster
/// (by 5 % or more) and its run still longer, the example says so; otherwise it says what these
/// numbers show and when the paradox appears. `None` when the numbers are not usable.
pub fn p50_paradox(
    wrong_p50_ms: f64,
    right_p50_ms: f64,
    wrong_wall_ms: f64,
    right_wall_ms: f64,
) -> Option<String> {
    let longer = ratio(wrong_wall_ms, right_wall_ms)?;
    ratio(wrong_p50_ms, right_p50_ms)?;
    let ms = |v: f64| format::ms(v, 1.0);
    let (wp, rp, ww, rw) = (
        ms(wrong_p50_ms),
        ms(right_p50_ms),
        ms(wrong_wall_ms),
        ms(right_wall_ms),
    );
    let lesson = "A request's latency starts when the request does: the time it waited for its \
                  turn to start is in no request's latency, only in the run's. Lower latency per \
                  request is not more done per second.";
    Some(if wrong_p50_ms <= 0.95 * right_p50_ms && longer > 1.0 {
        format!(
            "The p50 paradox, measured: the wrong way's median request took {wp} against {rp} \
             the right way, so each of its requests finished sooner after it started (fewer were \
             in flight at once). Yet its whole run took {ww} against {rw}, {longer:.1}× as long. \
             {lesson}"
        )
    } else {
        format!(
            "Latency is not the run's length: the median request took {wp} the wrong way and \
             {rp} the right way, while the runs took {ww} and {rw}, {longer:.1}× apart. Where \
             the wrong way puts fewer requests in flight, its median can even be the lower one \
             (the p50 paradox), and the run still take longer. {lesson}"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_p50_paradox_is_claimed_only_where_the_numbers_show_it() {
        let text = p50_paradox(50.0, 80.0, 1_000.0, 200.0).unwrap();
        assert!(text.starts_with("The p50 paradox, measured"), "{text}");
        assert!(text.contains("took 50 ms against 80 ms"), "{text}");
        assert!(
            text.contains("took 1.00 s against 200 ms, 5.0× as long"),
            "{text}"
        );
        let same = p50_paradox(79.0, 80.0, 1_000.0, 200.0).unwrap();
        assert!(
            same.starts_with("Latency is not the run's length"),
            "{same}"
        );
        assert!(
            same.contains("took 79 ms the wrong way and 80 ms the right way"),
            "{same}"
        );
        assert_eq!(p50_paradox(50.0, 80.0, 100.0, 0.0), None);
        assert_eq!(p50_paradox(f64::NAN, 80.0, 100.0, 10.0), None);
    }

    #[test]
    fn cpu_on_main_both_ways() {
        let wrong = cpu_on_main(1.02, 3);
        assert!(wrong.wrong_tool);
        assert_eq!((wrong.measured, wrong.threshold), (1.02, 1.2));
        assert_eq!(
            wrong.rule,
            "wrong tool if the speedup is below 1.2× and the main thread was blocked at least once"
        );
        assert_eq!(
            wrong.text,
            "Async on the main thread ran 1.02× as fast as plain code, and the main thread was \
             blocked 3 times: async added no cook: the same thread did all the work and \
             the page could not respond."
        );
        let faster = cpu_on_main(1.2, 1);
        assert!(!faster.wrong_tool);
        assert!(faster.text.contains("1.20×"), "{}", faster.text);
        assert!(faster.text.contains("blocked once:"), "{}", faster.text);
        let unblocked = cpu_on_main(1.0, 0);
        assert!(!unblocked.wrong_tool);
        assert!(
            unblocked.text.contains("never blocked"),
            "{}",
            unblocked.text
        );
    }

    #[test]
    fn await_in_loop_both_ways() {
        // 10 requests of 100 ms: 1000 ms in a loop against 105 ms together is 9.5×, over 5.
        let wrong = await_in_loop(1000.0, 105.0, 10);
        assert!(wrong.wrong_tool);
        assert_eq!(wrong.threshold, 5.0);
        assert!((wrong.measured - 1000.0 / 105.0).abs() < 1e-12);
        assert_eq!(
            wrong.text,
            "Awaiting 10 requests one at a time took 1.00 s against 105 ms all together, 9.52× as \
             long: the waits added up instead of overlapping."
        );
        assert_eq!(
            wrong.rule,
            "wrong tool if awaiting in a loop takes at least n/2 = 5× as long as awaiting all 10 \
             requests together (the latencies added up)"
        );
        let right = await_in_loop(300.0, 100.0, 10);
        assert!(!right.wrong_tool);
        assert_eq!(right.measured, 3.0);
        assert!(right.text.contains("still overlapped"));
        // Exactly at the threshold counts as wrong.
        assert!(await_in_loop(500.0, 100.0, 10).wrong_tool);
        assert_eq!(await_in_loop(500.0, 100.0, 5).threshold, 2.5);
    }

    #[test]
    fn blocking_io_both_ways() {
        // 4 threads, never more than 4 in flight, 3× as slow: capped.
        let wrong = blocking_io(4, 4, 600.0, 200.0);
        assert!(wrong.wrong_tool);
        assert_eq!((wrong.measured, wrong.threshold), (3.0, 1.5));
        assert_eq!(
            wrong.text,
            "With blocking I/O at most 4 requests were in flight on 4 blocking threads, and the \
             run took 600 ms against 200 ms with async fetches, 3.00× as long: the thread count \
             capped the concurrency."
        );
        // More in flight than threads: not capped, whatever the ratio.
        let uncapped = blocking_io(20, 4, 600.0, 200.0);
        assert!(!uncapped.wrong_tool);
        assert!(uncapped.text.contains("did not cap"));
        // Capped but hardly slower.
        let cheap = blocking_io(1, 1, 210.0, 200.0);
        assert!(!cheap.wrong_tool);
        assert!(cheap.text.contains("1 blocking thread,"), "{}", cheap.text);
        assert!(blocking_io(4, 4, 300.0, 200.0).wrong_tool);
    }

    #[test]
    fn tiny_tasks_both_ways() {
        let wrong = tiny_tasks(300_000.0, 1_000_000.0);
        assert!(wrong.wrong_tool);
        assert_eq!((wrong.measured, wrong.threshold), (0.3, 0.7));
        assert_eq!(
            wrong.text,
            "Tiny tasks ran at 300 k/s against 1 M/s in coarse tasks, 0.30× the throughput: \
             handing out the tasks cost more than the tasks did."
        );
        let right = tiny_tasks(900.0, 1000.0);
        assert!(!right.wrong_tool);
        assert!(right.text.contains("big enough"));
        assert!(!tiny_tasks(700.0, 1000.0).wrong_tool);
    }

    #[test]
    fn unmeasurable_numbers_give_no_verdict() {
        let verdicts = [
            cpu_on_main(f64::NAN, 3),
            cpu_on_main(f64::INFINITY, 3),
            await_in_loop(1000.0, 0.0, 10),
            await_in_loop(f64::NAN, 100.0, 10),
            await_in_loop(1000.0, 100.0, 0),
            blocking_io(4, 4, 600.0, -1.0),
            tiny_tasks(0.0, 0.0),
            tiny_tasks(-5.0, 10.0),
        ];
        for verdict in verdicts {
            assert!(!verdict.wrong_tool, "{verdict:?}");
            assert_eq!(verdict.measured, 0.0);
            assert!(verdict.text.starts_with("No verdict: "), "{verdict:?}");
            // Every number stays finite, so the verdict survives a JSON round trip.
            let json = serde_json::to_string(&verdict).unwrap();
            assert_eq!(serde_json::from_str::<Verdict>(&json).unwrap(), verdict);
        }
    }
}
