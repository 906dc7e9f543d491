//! Pure core of Async vs Parallel Lab: everything the page computes that needs no browser.
//!
//! # Data flow
//!
//! 1. **Settings.** [`config::parse_query`] reads the page's URL query into validated
//!    [`config::Settings`] for one lab, reporting every bad field as a [`field::FieldError`]
//!    that names the field and its range. Each lab's own settings live in [`labs`].
//! 2. **Workload.** The page runs `n` concurrent fetches, or `tasks` CPU tasks of `size` rounds
//!    of [`kernel::sha256_chain`]; [`kernel::combine_checksums`] proves a parallel run did the
//!    same work as a sequential one.
//! 3. **Spans.** Each fetch or task becomes a [`span::Span`] on a [`span::Lane`], and the main
//!    thread's frames and long tasks become a [`meter::MainThreadSummary`].
//! 4. **Summary.** [`stats::summarize`] turns spans into throughput, latency and mean concurrency;
//!    [`models`] sets them against Little's and Amdahl's laws; [`schema::Export`] writes
//!    everything out as JSON.
//! 5. **I/O lab.** [`sim`] is the simulated server the service worker mirrors (seeded draws,
//!    service times, a FIFO queue); [`sweep`] picks the levels of load and summarises each level's
//!    steady state; [`labs::io::queueing`] predicts throughput and latency (MVA for a closed loop, M/M/K for
//!    an open one); [`labs::io::IoBlock`] records every request.
//! 6. **CPU lab.** [`kernel`] splits a real kernel (Mandelbrot, blur, statistics, SHA-256) into
//!    tasks whose combined checksum depends only on the kernel and its size (one file a kernel,
//!    one row of [`kernel::KERNELS`] each); [`execute`] spreads
//!    the tasks over threads (in order, over T lanes, or over the whole rayon pool);
//!    [`span::lane_usage`] and [`models::speedup`] say how well the threads were used.
//! 7. **Together.** [`hybrid`] predicts the three ways of fetching items then processing them
//!    and measures how much the two overlapped ([`schema::HybridBlock`]); [`verdict`](crate::labs::wrong::verdict) decides,
//!    from measured numbers against a stated threshold, whether a wrong-tool case really was the
//!    wrong tool ([`schema::WrongBlock`]); [`sweep::slice_levels`] sets the trade-off lab's
//!    levels between yielding often and finishing fast ([`schema::TradeoffBlock`]); [`snippet`]
//!    cuts the code panels out of the page's real source.
//! 8. **Chart.** [`scale::LinearScale`] maps times and values onto the SVG, with round ticks, and
//!    [`format`](mod@format) writes the numbers.
//!
//! Times are ms since the run started, on the page's one clock. Nothing here panics on bad
//! input: invalid values give an error, `None`, or are left out.

#![deny(missing_docs)]

/// Gives a unit-only enum its names, written once for the URL, the menus and the exported JSON:
/// `ALL`, `NAMES`, `name()` and `from_name()`, and serde's `Serialize` and `Deserialize` (as the
/// name, a string; an unknown name is an error that lists the known ones).
macro_rules! named_choices {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every choice, in menu order.
            pub const ALL: [$ty; [$($name),+].len()] = [$($ty::$variant),+];

            /// Every choice's name, in menu order (for forms and menus).
            pub const NAMES: [&'static str; [$($name),+].len()] = [$($name),+];

            /// The choice's name in the URL and in exported files.
            pub const fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }

            /// The choice with this URL name, if any.
            pub fn from_name(name: &str) -> Option<$ty> {
                $ty::ALL.into_iter().find(|choice| choice.name() == name)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                let name = String::deserialize(deserializer)?;
                $ty::from_name(&name)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&name, &$ty::NAMES))
            }
        }
    };
}

pub mod config;
pub mod execute;
pub mod field;
pub mod format;
pub mod glossary;
pub mod kernel;
pub mod labels;
pub mod labs;
pub mod meter;
pub mod models;
pub mod overview;
pub mod params;
pub mod resource_timing;
pub mod scale;
pub mod schema;
pub mod setting;
pub mod sim;
pub mod snippet;
pub mod span;
pub mod stats;
pub mod sweep;
