//! Pure core of Async vs Parallel Lab: everything the page computes that needs no browser.
//!
//! # Data flow
//!
//! 1. **Settings.** [`config::parse_query`] reads the page's URL query into validated
//!    [`config::Settings`] for one lab, reporting every bad field as a [`config::FieldError`].
//! 2. **Workload.** The page runs `n` concurrent fetches, or `tasks` CPU tasks of `size` rounds
//!    of [`kernels::sha256_chain`]; [`kernels::combine_checksums`] proves a parallel run did the
//!    same work as a sequential one.
//! 3. **Spans.** Each fetch or task becomes a [`span::Span`] on a [`span::Lane`], and the main
//!    thread's frames and long tasks become a [`meter::MainThreadSummary`].
//! 4. **Summary.** [`stats::summarize`] turns spans into throughput, latency and mean concurrency;
//!    [`models`] sets them against Little's and Amdahl's laws; [`schema::Export`] writes
//!    everything out as JSON.
//! 5. **I/O lab.** [`sim`] is the simulated server the service worker mirrors (seeded draws,
//!    service times, a FIFO queue); [`sweep`] picks the levels of load and summarises each level's
//!    steady state; [`queueing`] predicts throughput and latency (MVA for a closed loop, M/M/K for
//!    an open one); [`schema::IoBlock`] records every request.
//! 6. **Chart.** [`scale::LinearScale`] maps times and values onto the SVG, with round ticks, and
//!    [`format`](mod@format) writes the numbers.
//!
//! Times are ms since the run started, on the page's one clock. Nothing here panics on bad
//! input: invalid values give an error, `None`, or are left out.

#![deny(missing_docs)]

pub mod config;
pub mod format;
pub mod kernels;
pub mod meter;
pub mod models;
pub mod queueing;
pub mod scale;
pub mod schema;
pub mod sim;
pub mod span;
pub mod stats;
pub mod sweep;
