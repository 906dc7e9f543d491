//! The browser's own account of each request (Resource Timing), set beside the lab's.
//!
//! The lab records a request as ended when the Rust code awaiting it resumes. The browser records
//! `responseEnd`, the moment the last byte arrived. The gap between the two is the event loop's
//! delay: how long the finished response waited for the main thread. It is a real effect worth
//! teaching, and a check that the lab's own bookkeeping does not inflate its latencies.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::stats::{percentile, saturating_u32};

/// One `PerformanceResourceTiming` entry, on the shared clock (ms since the epoch).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The absolute URL requested.
    pub name: String,
    /// `startTime`: when the browser began the fetch.
    pub start_ms: f64,
    /// `responseStart`: the first byte of the response; 0 (absent) for a cross-origin answer
    /// without `Timing-Allow-Origin`.
    pub response_start_ms: Option<f64>,
    /// `responseEnd`: the last byte.
    pub end_ms: f64,
}

/// The browser's times for one request, in ms since the run started.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrowserTiming {
    /// When the browser began the fetch.
    pub start_ms: f64,
    /// When the first byte arrived, where the browser may say.
    pub response_start_ms: Option<f64>,
    /// When the last byte arrived.
    pub end_ms: f64,
}

/// Pairs each request with the browser's entry for it.
///
/// `requests` are `(absolute URL, the lab's start on the shared clock)`; entries of the same URL
/// (a fixed file fetched many times) are paired in start order, each with the entry that started
/// nearest after the request was issued. Returns one timing per request, in ms since `run_start`.
pub fn pair(
    requests: &[(String, f64)],
    entries: &[Entry],
    run_start: f64,
) -> Vec<Option<BrowserTiming>> {
    // The entries not yet paired, per URL, by start: finding a request's entry is a lookup,
    // so a run of 100,000 requests pairs in well under a second rather than hours.
    let mut free: HashMap<&str, BTreeSet<(u64, usize)>> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        free.entry(entry.name.as_str())
            .or_default()
            .insert((ordered(entry.start_ms), i));
    }
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by(|&a, &b| requests[a].1.total_cmp(&requests[b].1));
    let mut paired = vec![None; requests.len()];
    for index in order {
        let (url, started) = &requests[index];
        let Some(unpaired) = free.get_mut(url.as_str()) else {
            continue;
        };
        // The browser's start follows the call; allow it to read a hair earlier (clock rounding).
        let first = unpaired
            .range((ordered(started - 1.0), 0)..)
            .next()
            .copied();
        if let Some(found) = first {
            unpaired.remove(&found);
            let entry = &entries[found.1];
            paired[index] = Some(BrowserTiming {
                start_ms: entry.start_ms - run_start,
                response_start_ms: entry.response_start_ms.map(|t| t - run_start),
                end_ms: entry.end_ms - run_start,
            });
        }
    }
    paired
}

/// `x` as a number whose order is `f64::total_cmp`'s.
fn ordered(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// How the lab's ends compare with the browser's, over the requests that have both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResumeDelay {
    /// Requests with a browser entry.
    pub matched: u32,
    /// Requests without one (the browser's buffer was full, or the request never left).
    pub unmatched: u32,
    /// Median of (the lab's end − `responseEnd`), in ms: how long after the last byte the body
    /// reached the page's code.
    pub p50_ms: Option<f64>,
    /// 99th percentile of the same.
    pub p99_ms: Option<f64>,
    /// Largest of the same.
    pub max_ms: Option<f64>,
    /// Median of (the Rust code's resumption − `responseEnd`), in ms: the event loop's delay
    /// before the awaiting code ran again.
    pub resumed_p50_ms: Option<f64>,
    /// 99th percentile of the same.
    pub resumed_p99_ms: Option<f64>,
    /// Median of (the browser's start − the lab's start), in ms.
    pub start_p50_ms: Option<f64>,
}

/// One request's times for [`resume_delay`], in ms since the run started.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Times {
    /// When the lab called `fetch`.
    pub start_ms: f64,
    /// When the body reached the page's code.
    pub end_ms: f64,
    /// When the awaiting Rust code resumed.
    pub resumed_ms: Option<f64>,
    /// The browser's own times.
    pub browser: Option<BrowserTiming>,
}

/// Summarises each request's times against the browser's.
pub fn resume_delay(requests: &[Times]) -> ResumeDelay {
    let mut ends: Vec<f64> = Vec::new();
    let mut resumed: Vec<f64> = Vec::new();
    let mut starts: Vec<f64> = Vec::new();
    for request in requests {
        if let Some(b) = request.browser {
            ends.push(request.end_ms - b.end_ms);
            starts.push(b.start_ms - request.start_ms);
            if let Some(at) = request.resumed_ms {
                resumed.push(at - b.end_ms);
            }
        }
    }
    for values in [&mut ends, &mut resumed, &mut starts] {
        values.sort_by(f64::total_cmp);
    }
    ResumeDelay {
        matched: saturating_u32(ends.len()),
        unmatched: saturating_u32(requests.len() - ends.len()),
        p50_ms: percentile(&ends, 50.0),
        p99_ms: percentile(&ends, 99.0),
        max_ms: ends.last().copied(),
        resumed_p50_ms: percentile(&resumed, 50.0),
        resumed_p99_ms: percentile(&resumed, 99.0),
        start_p50_ms: percentile(&starts, 50.0),
    }
}

/// A run that reached this share of the ceiling measured the browser's request path, not the
/// queueing model.
pub const NEAR_CEILING: f64 = 0.8;

/// The most requests per second this page's request path answered with 0 ms of service: the
/// browser, its service worker and the lab's own client, with nothing simulated to wait for.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ceiling {
    /// Requests per second at 0 ms of service, measured once on the page.
    pub throughput_per_s: f64,
    /// Requests in flight while it was measured.
    pub concurrency: u32,
    /// The run reached at least [`NEAR_CEILING`] of it.
    pub near: bool,
}

impl Ceiling {
    /// The ceiling, judged against a run's throughput.
    pub fn against(throughput_per_s: f64, concurrency: u32, run_per_s: f64) -> Ceiling {
        Ceiling {
            throughput_per_s,
            concurrency,
            near: throughput_per_s > 0.0 && run_per_s >= NEAR_CEILING * throughput_per_s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, start: f64, end: f64) -> Entry {
        Entry {
            name: name.to_owned(),
            start_ms: start,
            response_start_ms: Some(end - 1.0),
            end_ms: end,
        }
    }

    #[test]
    fn ordered_keeps_the_order_of_numbers() {
        let xs = [-1e12, -5.0, -0.5, 0.0, 0.25, 3.0, 1e12];
        for pair in xs.windows(2) {
            assert!(ordered(pair[0]) < ordered(pair[1]), "{pair:?}");
        }
    }

    #[test]
    fn unique_urls_pair_by_name() {
        let requests = [("a?id=1".to_owned(), 1010.0), ("a?id=0".to_owned(), 1000.0)];
        let entries = [
            entry("a?id=0", 1000.2, 1050.0),
            entry("a?id=1", 1010.3, 1070.0),
            entry("other", 1000.0, 1001.0),
        ];
        let paired = pair(&requests, &entries, 1000.0);
        assert_eq!(paired[0].unwrap().end_ms, 70.0);
        assert_eq!(paired[1].unwrap().end_ms, 50.0);
        assert_eq!(paired[1].unwrap().response_start_ms, Some(49.0));
    }

    #[test]
    fn a_repeated_url_pairs_in_start_order() {
        let requests = [
            ("f".to_owned(), 20.0),
            ("f".to_owned(), 0.0),
            ("f".to_owned(), 40.0),
        ];
        // The third request's entry is missing (a full buffer).
        let entries = [entry("f", 20.5, 30.0), entry("f", 0.4, 10.0)];
        let paired = pair(&requests, &entries, 0.0);
        assert_eq!(paired[1].unwrap().start_ms, 0.4);
        assert_eq!(paired[0].unwrap().start_ms, 20.5);
        assert_eq!(paired[2], None);
    }

    #[test]
    fn a_run_near_the_ceiling_is_flagged() {
        assert!(Ceiling::against(600.0, 64, 500.0).near);
        assert!(!Ceiling::against(600.0, 64, 400.0).near);
        assert!(!Ceiling::against(0.0, 64, 400.0).near);
    }

    #[test]
    fn the_delay_is_the_labs_end_after_the_browsers() {
        let times = |end, resumed, browser_end: Option<f64>| Times {
            start_ms: 0.0,
            end_ms: end,
            resumed_ms: resumed,
            browser: browser_end.map(|b| BrowserTiming {
                start_ms: 0.5,
                response_start_ms: None,
                end_ms: b,
            }),
        };
        let requests = [
            times(52.0, Some(55.0), Some(50.0)),
            times(61.0, None, Some(51.0)),
            times(70.0, Some(80.0), None),
        ];
        let delay = resume_delay(&requests);
        assert_eq!(delay.matched, 2);
        assert_eq!(delay.unmatched, 1);
        assert_eq!(delay.p50_ms, Some(2.0));
        assert_eq!(delay.p99_ms, Some(10.0));
        assert_eq!(delay.max_ms, Some(10.0));
        assert_eq!(delay.resumed_p50_ms, Some(5.0));
        assert_eq!(delay.start_p50_ms, Some(0.5));
        let none = resume_delay(&[]);
        assert_eq!((none.matched, none.p50_ms), (0, None));
    }
}
