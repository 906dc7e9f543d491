//! The quick comparison's settings: fetches in flight, CPU tasks and their rounds.
//!
//! The lab's part of the core: its fields with their ranges, its settings with their defaults and
//! their table (see [`crate::setting`]), how it writes itself into a query and how a query is
//! read.

use serde::{Deserialize, Serialize};

use crate::config::read;
use crate::field::{FieldError, IntField};
use crate::setting::Setting;

/// Concurrent fetches per run of the start lab.
pub const FETCHES: IntField = IntField {
    name: "n",
    min: 1,
    max: 200,
    default: 20,
    unit: "requests",
};

/// CPU tasks per parallel run.
pub const TASKS: IntField = IntField {
    name: "tasks",
    min: 1,
    max: 1024,
    default: 64,
    unit: "tasks",
};

/// Work per CPU task.
pub const SIZE: IntField = IntField {
    name: "size",
    min: 1,
    max: 1_000_000,
    default: 20_000,
    unit: "SHA-256 rounds per task",
};

/// Every setting of the start lab, in form order.
pub const START_SETTINGS: [Setting; 3] = [
    Setting::int(
        FETCHES,
        "Fetches",
        "fetches in the async batch, all in flight at once",
    ),
    Setting::int(TASKS, "CPU tasks", "tasks in the parallel batch"),
    Setting::int(SIZE, "Rounds per task", "SHA-256 rounds per task"),
];

/// Settings of the start lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartSettings {
    /// Concurrent fetches per I/O run (see [`FETCHES`]).
    pub n: u32,
    /// CPU tasks per parallel run (see [`TASKS`]).
    pub tasks: u32,
    /// SHA-256 rounds per CPU task (see [`SIZE`]).
    pub size: u32,
}

impl Default for StartSettings {
    fn default() -> Self {
        StartSettings {
            n: FETCHES.default,
            tasks: TASKS.default,
            size: SIZE.default,
        }
    }
}

pub(crate) fn parse_start<'a>(
    raw: &impl Fn(&str) -> Option<&'a str>,
    errors: &mut Vec<FieldError>,
) -> StartSettings {
    let mut start = StartSettings::default();
    let targets = [&mut start.n, &mut start.tasks, &mut start.size];
    for (field, target) in [FETCHES, TASKS, SIZE].iter().zip(targets) {
        if let Some(value) = read(raw(field.name), field.default, |v| field.parse(v), errors) {
            *target = value;
        }
    }
    start
}
