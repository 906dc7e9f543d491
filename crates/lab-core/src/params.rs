//! What a run ran with, as its record's `params` block: typed, so that the compiler knows every
//! key and every view reads the value it needs rather than parsing a map.
//!
//! Each lab fills the fields it has and leaves the rest out. The JSON keys and their values are
//! those of the earlier hand-built map, in the same (alphabetical) order. A few keys are written
//! as `null` rather than left out, which [`Nullable`] keeps apart from absent: `capacity` for an
//! unlimited simulated server, and a trade-off run on the workers' `slice_ms` and `level`.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Number;

use crate::config::{Arrivals, Dist, Fault, Strategy, Target, WrongCase};
use crate::kernel::Kernel;
use crate::schema::Role;

/// A key that is either absent (`None`), written as `null` (`Some(None)`), or holds a value.
pub type Nullable<T> = Option<Option<T>>;

/// The settings one run ran with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// How an open loop spaced its arrivals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrivals: Option<Arrivals>,
    /// Requests (or fetches) in flight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<u32>,
    /// The simulated server's capacity; `null` for unlimited.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable"
    )]
    pub capacity: Nullable<u32>,
    /// The wrong-tool case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<WrongCase>,
    /// Requests in flight in the quick comparison's batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// The simulated server's service-time distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dist: Option<Dist>,
    /// The share of requests the simulated server failed on purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_rate: Option<f64>,
    /// What the simulated server did to the requests it failed; only with an error rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
    /// The kernel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel: Option<Kernel>,
    /// The simulated server's mean service time, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    /// A sweep's level: C, a rate, T, a task count or a slice in ms; `null` for a trade-off
    /// sweep's run on the workers.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable"
    )]
    pub level: Nullable<Number>,
    /// Where the tasks ran: a CPU mode's name, or `main-sliced` for the trade-off's sliced run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Requests or items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// The simulated response body's size, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_kb: Option<u32>,
    /// An open loop's arrivals per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// Which side of a wrong-tool case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The seed of an open loop's draws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The kernel's size, in its unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u32>,
    /// The trade-off's slice, in ms; `null` for the run on the workers.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable"
    )]
    pub slice_ms: Nullable<f64>,
    /// The service time's spread, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread_ms: Option<f64>,
    /// The hybrid strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// What the requests went to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// Tasks the job was cut into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<u32>,
    /// Threads the job could use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<u32>,
    /// Each request's time limit, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// The address fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The pool's workers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<u32>,
}

/// Reads a present key as `Some`, so that `null` becomes `Some(None)`; an absent key stays
/// `None` through `#[serde(default)]`.
fn nullable<'de, D, T>(deserializer: D) -> Result<Nullable<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A whole-number sweep level.
pub fn int_level(value: u32) -> Nullable<Number> {
    Some(Some(Number::from(value)))
}

/// A decimal sweep level; `None` (written `null`) for a level that is not a number.
pub fn float_level(value: Option<f64>) -> Nullable<Number> {
    Some(value.and_then(Number::from_f64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_null_and_a_value_stay_apart() {
        let params = Params {
            capacity: Some(None),
            level: int_level(4),
            slice_ms: Some(Some(2.5)),
            ..Params::default()
        };
        let written = serde_json::to_value(&params).unwrap();
        assert_eq!(
            written,
            json!({ "capacity": null, "level": 4, "slice_ms": 2.5 })
        );
        let read: Params = serde_json::from_value(written).unwrap();
        assert_eq!(read, params);
        let empty: Params = serde_json::from_value(json!({})).unwrap();
        assert_eq!(empty, Params::default());
    }

    #[test]
    fn keys_are_written_in_alphabetical_order() {
        let params = Params {
            workers: Some(2),
            c: Some(4),
            kernel: Some(Kernel::Sha256),
            ..Params::default()
        };
        assert_eq!(
            serde_json::to_string(&params).unwrap(),
            r#"{"c":4,"kernel":"sha256","workers":2}"#
        );
    }
}
