//! The hybrid lab's settings: items, fetches in flight, latency, the kernel and its size per
//! item, and the strategies.
//!
//! The lab's part of the settings (see [`crate::config`]): its fields with their ranges, its
//! settings with their defaults, how it writes itself into a query and how a query is read.

use serde::{Deserialize, Serialize};

use crate::config::{c_within_n, choice, clamp_size, read, read_kernel_and_size};
use crate::field::{FieldError, FloatField, IntField};
use crate::kernel::Kernel;
use crate::setting::{self, Setting};

/// How the hybrid lab combines fetching items with processing them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// One item at a time: fetch it, process it, then the next.
    Sequential,
    /// Fetch every item (`c` at a time), then process them all on the worker pool.
    Phased,
    /// Process each item on the worker pool as soon as its fetch returns.
    Pipelined,
    /// Run the three strategies one after another.
    All,
}

named_choices!(Strategy {
    Sequential => "sequential",
    Phased => "phased",
    Pipelined => "pipelined",
    All => "all",
});

/// The strategies a hybrid run can actually use, in the order [`Strategy::All`] runs them.
pub const STRATEGIES: [Strategy; 3] = [Strategy::Sequential, Strategy::Phased, Strategy::Pipelined];

/// Items a hybrid run fetches and processes.
pub const HYBRID_N: IntField = IntField {
    name: "n",
    min: 1,
    max: 500,
    default: 24,
    unit: "items",
};

/// Fetches a hybrid run keeps in flight.
pub const HYBRID_C: IntField = IntField {
    name: "c",
    min: 1,
    max: 64,
    default: 6,
    unit: "fetches in flight",
};

/// Latency of each hybrid fetch from the simulated server.
pub const HYBRID_LATENCY: FloatField = FloatField {
    name: "latency_ms",
    min: 0.0,
    max: 5000.0,
    default: 60.0,
    unit: "ms",
};

/// How fetching and processing are combined.
pub const HYBRID_STRATEGY: Setting = Setting::choice(
    "strategy",
    "Strategy",
    "`sequential` (fetch one, process one), `phased` (fetch all concurrently, then process all in \
     parallel), `pipelined` (each item to the pool as it arrives), `all` (the three side by side; \
     the export holds three runs labelled `sequential`, `phased`, `pipelined`)",
    &Strategy::NAMES,
    Strategy::All.name(),
)
.hint("all: the three side by side");

/// The work on each item.
pub const HYBRID_KERNEL: Setting =
    setting::kernel("the work P on each item, on one worker", Kernel::Sha256);

/// The work per item.
pub const HYBRID_SIZE: Setting = Setting::kernel_size(
    "Size per item",
    "the work per item, in the kernel's unit",
    hybrid_default_size,
    "about L/2 of work",
)
.hint("the kernel's unit; default: about L/2 of work");

/// Every setting of the hybrid lab, in form order.
pub const HYBRID_SETTINGS: [Setting; 6] = [
    HYBRID_STRATEGY,
    Setting::int(HYBRID_N, "Items (n)", "items to fetch and process"),
    Setting::int(HYBRID_C, "Fetches in flight (c)", "fetches in flight").rule("at most `n`"),
    Setting::float(
        HYBRID_LATENCY,
        "Server latency (L)",
        "the simulated server's latency L",
    ),
    HYBRID_KERNEL,
    HYBRID_SIZE,
];

/// The per-item size of a hybrid run (see [`Spec::hybrid_size`](crate::kernel::Spec::hybrid_size)), clamped into the kernel's
/// range.
pub fn hybrid_default_size(kernel: Kernel) -> u32 {
    clamp_size(kernel, kernel.spec().hybrid_size)
}

/// Settings of the hybrid lab.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HybridSettings {
    /// How fetching and processing are combined.
    pub strategy: Strategy,
    /// Items to fetch and process (see [`HYBRID_N`]).
    pub n: u32,
    /// Fetches in flight, at most `n` (see [`HYBRID_C`]).
    pub c: u32,
    /// Latency of each fetch, in ms (see [`HYBRID_LATENCY`]).
    pub latency_ms: f64,
    /// The work done on each item.
    pub kernel: Kernel,
    /// The work per item, in the kernel's unit (see [`hybrid_default_size`]).
    pub size: u32,
}

impl Default for HybridSettings {
    fn default() -> Self {
        let kernel = Kernel::Sha256;
        HybridSettings {
            strategy: Strategy::All,
            n: HYBRID_N.default,
            c: HYBRID_C.default,
            latency_ms: HYBRID_LATENCY.default,
            kernel,
            size: hybrid_default_size(kernel),
        }
    }
}

impl HybridSettings {
    pub(crate) fn push_pairs(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((HYBRID_STRATEGY.name, self.strategy.name().to_owned()));
        pairs.push((HYBRID_N.name, self.n.to_string()));
        pairs.push((HYBRID_C.name, self.c.to_string()));
        pairs.push((HYBRID_LATENCY.name, self.latency_ms.to_string()));
        pairs.push((HYBRID_KERNEL.name, self.kernel.name().to_owned()));
        pairs.push((HYBRID_SIZE.name, self.size.to_string()));
    }
}

/// Reads the hybrid lab's settings; `None` when any field (or rule between fields) failed.
pub(crate) fn parse_hybrid<'a>(
    raw: &impl Fn(&str) -> Option<&'a str>,
    errors: &mut Vec<FieldError>,
) -> Option<HybridSettings> {
    let before = errors.len();
    let defaults = HybridSettings::default();

    let strategy = read(
        raw(HYBRID_STRATEGY.name),
        defaults.strategy,
        |v| choice(HYBRID_STRATEGY.name, &Strategy::ALL, Strategy::name, v),
        errors,
    );
    let n = read(
        raw(HYBRID_N.name),
        HYBRID_N.default,
        |v| HYBRID_N.parse(v),
        errors,
    );
    let c_raw = raw(HYBRID_C.name);
    let c = read(c_raw, HYBRID_C.default, |v| HYBRID_C.parse(v), errors);
    let latency_ms = read(
        raw(HYBRID_LATENCY.name),
        HYBRID_LATENCY.default,
        |v| HYBRID_LATENCY.parse(v),
        errors,
    );
    let (kernel, size) = read_kernel_and_size(raw, defaults.kernel, hybrid_default_size, errors);

    let c = c_within_n(&HYBRID_C, c, c_raw, n, errors);

    if errors.len() > before {
        return None;
    }
    Some(HybridSettings {
        strategy: strategy?,
        n: n?,
        c: c?,
        latency_ms: latency_ms?,
        kernel: kernel?,
        size: size?,
    })
}
