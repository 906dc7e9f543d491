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

use crate::config::{c_within_n, choice, parse_url, read, read_optional};
use crate::field::{echo, FieldError, FloatField, IntField};
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

/// Requests per I/O run.
pub const IO_N: IntField = IntField {
    name: "n",
    min: 1,
    max: 5000,
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

/// What an I/O sweep varies.
pub const IO_SWEEP: Setting = Setting::optional_choice(
    setting::SWEEP,
    "Sweep",
    "`c`: C = 1, 2, 4 … up to `c`; `rate`: 8 rates up to `rate`",
    &IoSweep::NAMES,
    "one run",
)
.hint("c: 1, 2, 4 … c; rate: up to rate");

/// Every setting of the I/O lab, in form order.
pub const IO_SETTINGS: [Setting; 15] = [
    IO_TARGET,
    IO_URL,
    Setting::int(
        IO_N,
        "Requests (n)",
        "requests (per sweep level: at least `max(n, 10 × C)`)",
    ),
    Setting::int(
        IO_C,
        "In flight (c)",
        "closed loop: requests in flight (top level with `sweep=c`)",
    )
    .rule("at most `n` unless `sweep=c`"),
    Setting::float(IO_RATE, "Arrival rate", "open loop: arrivals per second")
        .optional("closed loop at `c`"),
    IO_ARRIVALS,
    Setting::int(IO_SEED, "Seed", "seeds the arrivals and the server's draws"),
    Setting::float(
        IO_LATENCY,
        "Service time",
        "simulated server: mean service time",
    ),
    IO_DIST,
    Setting::float(
        IO_SPREAD,
        "Spread",
        "`uniform`: half-width; `lognormal`: standard deviation",
    )
    .rule("at most `latency_ms` with `dist=uniform`"),
    Setting::int(
        IO_CAPACITY,
        "Capacity",
        "requests in service at once; the rest wait first-in first-out",
    )
    .optional("unlimited"),
    Setting::int(IO_PAYLOAD, "Payload", "response body size"),
    Setting::float(
        IO_ERROR_RATE,
        "Error rate",
        "fraction of requests the simulated server fails (HTTP 500)",
    ),
    Setting::int(IO_TIMEOUT, "Timeout", "per-request time limit"),
    IO_SWEEP,
];

/// Settings of the I/O lab; with a `rate` the loop is open, without one it is closed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IoSettings {
    /// What the requests go to.
    pub target: Target,
    /// The address for [`Target::Url`]: `http(s)://...` or a path starting with `/`.
    pub url: Option<String>,
    /// Requests per run (see [`IO_N`]).
    pub n: u32,
    /// Requests in flight in a closed loop (see [`IO_C`]).
    pub c: u32,
    /// Arrivals per second of an open loop; absent for a closed loop (see [`IO_RATE`]).
    pub rate: Option<f64>,
    /// How an open loop spaces its arrivals.
    pub arrivals: Arrivals,
    /// Seed of the random draws (see [`IO_SEED`]).
    pub seed: u64,
    /// Mean service time of the simulated server, in ms (see [`IO_LATENCY`]).
    pub latency_ms: f64,
    /// Service-time distribution of the simulated server.
    pub dist: Dist,
    /// Spread of the service time, in ms (see [`IO_SPREAD`]).
    pub spread_ms: f64,
    /// Requests the simulated server serves at once; absent for unlimited (see [`IO_CAPACITY`]).
    pub capacity: Option<u32>,
    /// Size of each simulated response body, in KiB (see [`IO_PAYLOAD`]).
    pub payload_kb: u32,
    /// Share of requests the simulated server fails on purpose (see [`IO_ERROR_RATE`]).
    pub error_rate: f64,
    /// How long a request may take before it is aborted, in ms (see [`IO_TIMEOUT`]).
    pub timeout_ms: u32,
    /// What a sweep varies; absent for a single run.
    pub sweep: Option<IoSweep>,
}

impl Default for IoSettings {
    fn default() -> Self {
        IoSettings {
            target: Target::default(),
            url: None,
            n: IO_N.default,
            c: IO_C.default,
            rate: None,
            arrivals: Arrivals::default(),
            seed: u64::from(IO_SEED.default),
            latency_ms: IO_LATENCY.default,
            dist: Dist::default(),
            spread_ms: IO_SPREAD.default,
            capacity: None,
            payload_kb: IO_PAYLOAD.default,
            error_rate: IO_ERROR_RATE.default,
            timeout_ms: IO_TIMEOUT.default,
            sweep: None,
        }
    }
}

impl IoSettings {
    pub(crate) fn push_pairs(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((IO_TARGET.name, self.target.name().to_owned()));
        if let Some(url) = &self.url {
            pairs.push((IO_URL.name, url.clone()));
        }
        pairs.push((IO_N.name, self.n.to_string()));
        pairs.push((IO_C.name, self.c.to_string()));
        if let Some(rate) = self.rate {
            pairs.push((IO_RATE.name, rate.to_string()));
        }
        pairs.push((IO_ARRIVALS.name, self.arrivals.name().to_owned()));
        pairs.push((IO_SEED.name, self.seed.to_string()));
        pairs.push((IO_LATENCY.name, self.latency_ms.to_string()));
        pairs.push((IO_DIST.name, self.dist.name().to_owned()));
        pairs.push((IO_SPREAD.name, self.spread_ms.to_string()));
        if let Some(capacity) = self.capacity {
            pairs.push((IO_CAPACITY.name, capacity.to_string()));
        }
        pairs.push((IO_PAYLOAD.name, self.payload_kb.to_string()));
        pairs.push((IO_ERROR_RATE.name, self.error_rate.to_string()));
        pairs.push((IO_TIMEOUT.name, self.timeout_ms.to_string()));
        if let Some(sweep) = self.sweep {
            pairs.push((IO_SWEEP.name, sweep.name().to_owned()));
        }
    }
}

/// Reads the I/O lab's settings; `None` when any field (or rule between fields) failed.
pub(crate) fn parse_io<'a>(
    raw: &impl Fn(&str) -> Option<&'a str>,
    errors: &mut Vec<FieldError>,
) -> Option<IoSettings> {
    let before = errors.len();
    let defaults = IoSettings::default();
    let int = |field: &IntField, errors: &mut Vec<FieldError>| {
        read(raw(field.name), field.default, |v| field.parse(v), errors)
    };
    let float = |field: &FloatField, errors: &mut Vec<FieldError>| {
        read(raw(field.name), field.default, |v| field.parse(v), errors)
    };

    let target = read(
        raw(IO_TARGET.name),
        defaults.target,
        |v| choice(IO_TARGET.name, &Target::ALL, Target::name, v),
        errors,
    );
    let url = read_optional(raw(IO_URL.name), parse_url, errors);
    let n = int(&IO_N, errors);
    let c_raw = raw(IO_C.name);
    let c = int(&IO_C, errors);
    let rate = read_optional(raw(IO_RATE.name), |v| IO_RATE.parse(v), errors);
    let arrivals = read(
        raw(IO_ARRIVALS.name),
        defaults.arrivals,
        |v| choice(IO_ARRIVALS.name, &Arrivals::ALL, Arrivals::name, v),
        errors,
    );
    let seed = int(&IO_SEED, errors);
    let latency_ms = float(&IO_LATENCY, errors);
    let dist = read(
        raw(IO_DIST.name),
        defaults.dist,
        |v| choice(IO_DIST.name, &Dist::ALL, Dist::name, v),
        errors,
    );
    let spread_ms = float(&IO_SPREAD, errors);
    let capacity = read_optional(raw(IO_CAPACITY.name), |v| IO_CAPACITY.parse(v), errors);
    let payload_kb = int(&IO_PAYLOAD, errors);
    let error_rate = float(&IO_ERROR_RATE, errors);
    let timeout_ms = int(&IO_TIMEOUT, errors);
    let sweep = read_optional(
        raw(IO_SWEEP.name),
        |v| choice(IO_SWEEP.name, &IoSweep::ALL, IoSweep::name, v),
        errors,
    );

    // A sweep over c goes up to c, whatever n is.
    let c = match sweep {
        Some(sweep) if sweep != Some(IoSweep::C) => c_within_n(&IO_C, c, c_raw, n, errors),
        _ => c,
    };
    if target == Some(Target::Url) && url == Some(None) {
        errors.push(FieldError::new(
            IO_URL.name,
            "url is required when target=url".to_owned(),
        ));
    }
    if sweep == Some(Some(IoSweep::Rate)) && rate == Some(None) {
        errors.push(FieldError::new(
            IO_RATE.name,
            "rate is required when sweep=rate".to_owned(),
        ));
    }
    if let (Some(Dist::Uniform), Some(latency), Some(spread)) = (dist, latency_ms, spread_ms) {
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

    if errors.len() > before {
        return None;
    }
    Some(IoSettings {
        target: target?,
        url: url?,
        n: n?,
        c: c?,
        rate: rate?,
        arrivals: arrivals?,
        seed: u64::from(seed?),
        latency_ms: latency_ms?,
        dist: dist?,
        spread_ms: spread_ms?,
        capacity: capacity?,
        payload_kb: payload_kb?,
        error_rate: error_rate?,
        timeout_ms: timeout_ms?,
        sweep: sweep?,
    })
}
