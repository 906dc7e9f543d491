//! The browser's own account of each request (Resource Timing), set beside the lab's.
//!
//! The lab records a request as ended when the Rust code awaiting it resumes. The browser records
//! `responseEnd`, the moment the last byte arrived. The gap between the two is the event loop's
//! delay: how long the finished response waited for the main thread. It is a real effect worth
//! teaching, and a check that the lab's own bookkeeping does not inflate its latencies.

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
    let mut used = vec![false; entries.len()];
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by(|&a, &b| requests[a].1.total_cmp(&requests[b].1));
    let mut paired = vec![None; requests.len()];
    for index in order {
        let (url, started) = &requests[index];
        // The browser's start follows the call; allow it to read a hair earlier (clock rounding).
        let candidate = entries
            .iter()
            .enumerate()
            .filter(|(i, e)| !used[*i] && e.name == *url && e.start_ms >= started - 1.0)
            .min_by(|a, b| a.1.start_ms.total_cmp(&b.1.start_ms));
        if let Some((i, entry)) = candidate {
            used[i] = true;
            paired[index] = Some(BrowserTiming {
                start_ms: entry.start_ms - run_start,
                response_start_ms: entry.response_start_ms.map(|t| t - run_start),
                end_ms: entry.end_ms - run_start,
            });
        }
    }
    paired
}

/// How the lab's ends compare with the browser's, over the requests that have both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResumeDelay {
    /// Requests with a browser entry.
    pub matched: u32,
    /// Requests without one (the browser's buffer was full, or the request never left).
    pub unmatched: u32,
    /// Median of (the lab's end − `responseEnd`), in ms: how long a finished response waited
    /// for the awaiting code to resume.
    pub p50_ms: Option<f64>,
    /// 99th percentile of the same.
    pub p99_ms: Option<f64>,
    /// Largest of the same.
    pub max_ms: Option<f64>,
    /// Median of (the browser's start − the lab's start), in ms.
    pub start_p50_ms: Option<f64>,
}

/// Summarises `(lab start, lab end, browser timing)` per request, all in ms since the run
/// started.
pub fn resume_delay(requests: &[(f64, f64, Option<BrowserTiming>)]) -> ResumeDelay {
    let mut ends: Vec<f64> = Vec::new();
    let mut starts: Vec<f64> = Vec::new();
    for (start, end, browser) in requests {
        if let Some(b) = browser {
            ends.push(end - b.end_ms);
            starts.push(b.start_ms - start);
        }
    }
    ends.sort_by(f64::total_cmp);
    starts.sort_by(f64::total_cmp);
    ResumeDelay {
        matched: saturating_u32(ends.len()),
        unmatched: saturating_u32(requests.len() - ends.len()),
        p50_ms: percentile(&ends, 50.0),
        p99_ms: percentile(&ends, 99.0),
        max_ms: ends.last().copied(),
        start_p50_ms: percentile(&starts, 50.0),
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
    fn the_delay_is_the_labs_end_after_the_browsers() {
        let timing = |start, end| {
            Some(BrowserTiming {
                start_ms: start,
                response_start_ms: None,
                end_ms: end,
            })
        };
        let requests = [
            (0.0, 52.0, timing(0.5, 50.0)),
            (0.0, 61.0, timing(0.5, 51.0)),
            (0.0, 70.0, None),
        ];
        let delay = resume_delay(&requests);
        assert_eq!(delay.matched, 2);
        assert_eq!(delay.unmatched, 1);
        assert_eq!(delay.p50_ms, Some(2.0));
        assert_eq!(delay.p99_ms, Some(10.0));
        assert_eq!(delay.max_ms, Some(10.0));
        assert_eq!(delay.start_p50_ms, Some(0.5));
        let none = resume_delay(&[]);
        assert_eq!((none.matched, none.p50_ms), (0, None));
    }
}
