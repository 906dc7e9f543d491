//! The I/O lab's settings: the target, the loop (closed or open), the simulated server's
//! service time, capacity, payload and errors, and the sweep.
//!
//! The lab's part of the core: its fields with their ranges, its settings with their defaults and
//! their table (see [`crate::setting`]), how it writes itself into a query and how a query is
//! read; its results block ([`results`], re-exported here) and its queueing models
//! ([`queueing`]).

pub mod queueing;
pub mod results;

pub use results::{
    split, ErrorKind, IoBlock, LatencySplit, LittleLaw, LittleReference, LoopKind, RequestRecord,
    ServerStats,
};

use serde::{Deserialize, Serialize};

use crate::field::{echo, FieldError, FloatField, IntField};
use crate::setting::value::c_within_n;
use crate::setting::{self, Setting};

/// What the I/O lab's requests go to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// The simulated server in the page's service worker.
    #[default]
    Sim,
    /// The page's own static files.
    Static,
    /// An address the user gave (see [`IoSettings::url`]).
    Url,
}

named_choices!(Target {
    Sim => "sim",
    Static => "static",
    Url => "url",
});

/// How an open loop spaces its request arrivals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Arrivals {
    /// Evenly spaced, `1 / rate` apart.
    Uniform,
    /// A Poisson process: independent exponential gaps with mean `1 / rate`.
    #[default]
    Poisson,
}

named_choices!(Arrivals {
    Uniform => "uniform",
    Poisson => "poisson",
});

/// The simulated server's service-time distribution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dist {
    /// Always the mean.
    #[default]
    Fixed,
    /// Uniform within the mean ± the spread.
    Uniform,
    /// Exponential with the given mean; the spread is ignored.
    Exp,
    /// Log-normal with the given mean and the spread as its standard deviation.
    LogNormal,
}

named_choices!(Dist {
    Fixed => "fixed",
    Uniform => "uniform",
    Exp => "exp",
    LogNormal => "lognormal",
});

/// What the simulated server does to the requests it fails (the `error_rate` share).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fault {
    /// Answers HTTP 500 after the service time.
    #[default]
    Http,
    /// Never answers: the page's `timeout_ms` ends the request.
    Hang,
    /// Drops the connection after the service time: a network error.
    Drop,
    /// Answers 200 after the service time, then trickles the body out over a second.
    Slow,
    /// Answers HTTP 503 to runs of consecutive requests (the first `error_rate` share of every
    /// hundred ids), as a server does while it restarts.
    Burst,
}

named_choices!(Fault {
    Http => "http",
    Hang => "hang",
    Drop => "drop",
    Slow => "slow",
    Burst => "burst",
});

/// What an I/O sweep varies from level to level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoSweep {
    /// Requests in flight, up to `c` (closed loop).
    C,
    /// Arrival rate, up to `rate` (open loop).
    Rate,
}

named_choices!(IoSweep {
    C => "c",
    Rate => "rate",
});

/// Requests per I/O run: up to a flood of 100,000 (about four minutes against the simulated
/// server's ceiling of some 400 requests a second on a 2-core machine).
pub const IO_N: IntField = IntField {
    name: "n",
    min: 1,
    max: 100_000,
    default: 100,
    unit: "requests",
};

/// Requests in flight in a closed loop (the top level of a sweep over c).
pub const IO_C: IntField = IntField {
    name: "c",
    min: 1,
    max: 256,
    default: 10,
    unit: "requests in flight",
};

/// Arrival rate of an open loop; its default only prefills a form.
pub const IO_RATE: FloatField = FloatField {
    name: "rate",
    min: 0.1,
    max: 2000.0,
    default: 20.0,
    unit: "requests per second",
};

/// Seed of the random draws (arrival gaps and service times).
pub const IO_SEED: IntField = IntField {
    name: "seed",
    min: 0,
    max: u32::MAX,
    default: 1,
    unit: "random seed",
};

/// Mean service time of the simulated server.
pub const IO_LATENCY: FloatField = FloatField {
    name: "latency_ms",
    min: 0.0,
    max: 10_000.0,
    default: 50.0,
    unit: "ms",
};

/// Spread of the service time: half-width for uniform, standard deviation for lognormal.
pub const IO_SPREAD: FloatField = FloatField {
    name: "spread_ms",
    min: 0.0,
    max: 10_000.0,
    default: 0.0,
    unit: "ms",
};

/// Requests the simulated server serves at once; its default only prefills a form.
pub const IO_CAPACITY: IntField = IntField {
    name: "capacity",
    min: 1,
    max: 256,
    default: 4,
    unit: "requests in service",
};

/// Size of each simulated response body.
pub const IO_PAYLOAD: IntField = IntField {
    name: "payload_kb",
    min: 0,
    max: 1024,
    default: 1,
    unit: "KiB",
};

/// Share of requests the simulated server fails on purpose.
pub const IO_ERROR_RATE: FloatField = FloatField {
    name: "error_rate",
    min: 0.0,
    max: 1.0,
    default: 0.0,
    unit: "fraction of requests",
};

/// How long a request may take before the page aborts it.
pub const IO_TIMEOUT: IntField = IntField {
    name: "timeout_ms",
    min: 100,
    max: 120_000,
    default: 10_000,
    unit: "ms",
};

/// What the requests go to.
pub const IO_TARGET: Setting = Setting::choice(
    "target",
    "Target",
    "`sim`: the built-in simulated server; `static`: the app's own file `static/payload-16k.txt`; \
     `url`: the address in `url`",
    &Target::NAMES,
    Target::Sim.name(),
)
.hint("sim: the built-in server");

/// The address a `target=url` run fetches.
pub const IO_URL: Setting = Setting::url(
    "url",
    "URL (target=url)",
    "with `target=url`: GET, no credentials, `cache: no-store`",
)
.hint("http(s) address or /path; GET, no credentials")
.rule("required with `target=url`");

/// How an open loop spaces its arrivals.
pub const IO_ARRIVALS: Setting = Setting::choice(
    "arrivals",
    "Arrivals",
    "open-loop spacing",
    &Arrivals::NAMES,
    Arrivals::Poisson.name(),
)
.hint("open loop spacing");

/// The simulated server's service-time distribution.
pub const IO_DIST: Setting = Setting::choice(
    "dist",
    "Distribution",
    "service-time distribution",
    &Dist::NAMES,
    Dist::Fixed.name(),
)
.hint("of service times");

/// What the simulated server does to the requests it fails.
pub const IO_FAULT: Setting = Setting::choice(
    "fault",
    "Fault",
    "what a failed request meets: `http` a 500, `hang` no answer until the timeout, `drop` a \
     network error, `slow` a body trickled over a second, `burst` 503s to runs of requests",
    &Fault::NAMES,
    Fault::Http.name(),
);

/// What an I/O sweep varies.
pub const IO_SWEEP: Setting = Setting::optional_choice(
    setting::SWEEP,
    "Sweep",
    "`c`: C = 1, 2, 4 … up to `c`; `rate`: 8 rates up to `rate`",
    &IoSweep::NAMES,
    "one run",
)
.hint("c: 1, 2, 4 … c; rate: up to rate");

lab_settings! {
    /// Settings of the I/O lab; with a `rate` the loop is open, without one it is closed.
    /// A field missing from a file takes its default, so exports made before it existed
    /// (`fault`) still read.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct IoSettings (table IO_SETTINGS, read as IoFields, rules io_rules) {
        /// What the requests go to.
        target: Target = IO_TARGET,
        /// The address for [`Target::Url`]: `http(s)://...` or a path starting with `/`.
        url: Option<String> = IO_URL,
        /// Requests per run (see [`IO_N`]).
        n: u32 = Setting::int(
            IO_N,
            "Requests (n)",
            "requests (per sweep level: at least `max(n, 10 × C)`)",
        ),
        /// Requests in flight in a closed loop (see [`IO_C`]).
        c: u32 = Setting::int(
            IO_C,
            "In flight (c)",
            "closed loop: requests in flight (top level with `sweep=c`)",
        )
        .rule("at most `n` unless `sweep=c`"),
        /// Arrivals per second of an open loop; absent for a closed loop (see [`IO_RATE`]).
        rate: Option<f64> = Setting::float(IO_RATE, "Arrival rate", "open loop: arrivals per second")
            .optional("closed loop at `c`"),
        /// How an open loop spaces its arrivals.
        arrivals: Arrivals = IO_ARRIVALS,
        /// Seed of the random draws (see [`IO_SEED`]).
        seed: u64 = Setting::int(IO_SEED, "Seed", "seeds the arrivals and the server's draws"),
        /// Mean service time of the simulated server, in ms (see [`IO_LATENCY`]).
        latency_ms: f64 = Setting::float(
            IO_LATENCY,
            "Service time",
            "simulated server: mean service time",
        ),
        /// Service-time distribution of the simulated server.
        dist: Dist = IO_DIST,
        /// Spread of the service time, in ms (see [`IO_SPREAD`]).
        spread_ms: f64 = Setting::float(
            IO_SPREAD,
            "Spread",
            "`uniform`: half-width; `lognormal`: standard deviation",
        )
        .rule("at most `latency_ms` with `dist=uniform`"),
        /// Requests the simulated server serves at once; absent for unlimited (see [`IO_CAPACITY`]).
        capacity: Option<u32> = Setting::int(
            IO_CAPACITY,
            "Capacity",
            "requests in service at once; the rest wait first-in first-out",
        )
        .optional("unlimited"),
        /// Size of each simulated response body, in KiB (see [`IO_PAYLOAD`]).
        payload_kb: u32 = Setting::int(IO_PAYLOAD, "Payload", "response body size"),
        /// Share of requests the simulated server fails on purpose (see [`IO_ERROR_RATE`]).
        error_rate: f64 = Setting::float(
            IO_ERROR_RATE,
            "Error rate",
            "fraction of requests the simulated server fails (as `fault` says)",
        ),
        /// What the simulated server does to the requests it fails.
        fault: Fault = IO_FAULT,
        /// How long a request may take before it is aborted, in ms (see [`IO_TIMEOUT`]).
        timeout_ms: u32 = Setting::int(IO_TIMEOUT, "Timeout", "per-request time limit"),
        /// What a sweep varies; absent for a single run.
        sweep: Option<IoSweep> = IO_SWEEP,
    }
}

/// The I/O lab's rules between fields.
fn io_rules<'a>(
    fields: &mut IoFields,
    raw: &impl Fn(&str) -> Option<&'a str>,
    errors: &mut Vec<FieldError>,
) {
    // A sweep over c goes up to c, whatever n is.
    if matches!(fields.sweep, Some(sweep) if sweep != Some(IoSweep::C)) {
        fields.c = c_within_n(&IO_C, fields.c, raw(IO_C.name), fields.n, errors);
    }
    if fields.target == Some(Target::Url) && fields.url == Some(None) {
        errors.push(FieldError::new(
            IO_URL.name,
            "url is required when target=url".to_owned(),
        ));
    }
    if fields.sweep == Some(Some(IoSweep::Rate)) && fields.rate == Some(None) {
        errors.push(FieldError::new(
            IO_RATE.name,
            "rate is required when sweep=rate".to_owned(),
        ));
    }
    if let (Some(Dist::Uniform), Some(latency), Some(spread)) =
        (fields.dist, fields.latency_ms, fields.spread_ms)
    {
        if spread > latency {
            errors.push(FieldError::new(
                IO_SPREAD.name,
                format!(
                    "spread_ms must be at most latency_ms ({latency}) when dist=uniform, \
                     so service times cannot go negative; got {}",
                    echo(raw(IO_SPREAD.name).unwrap_or_default())
                ),
            ));
        }
    }
}
