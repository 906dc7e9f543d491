//! The wrong-tool lab's settings: which case to demonstrate.
//!
//! The lab's part of the core: its fields with their ranges, its settings with their defaults and
//! their table (see [`crate::setting`]), how it writes itself into a query and how a query is
//! read, its results block (`WrongBlock`, `Role`), and its verdicts ([`verdict`]): whether a run
//! really used the wrong tool.

pub mod verdict;

use serde::{Deserialize, Serialize};

use crate::setting::Setting;
use verdict::Verdict;

/// A mistake the wrong-tool lab demonstrates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WrongCase {
    /// CPU work wrapped in async code on the main thread.
    CpuOnMain,
    /// Independent requests awaited one after another in a loop.
    AwaitInLoop,
    /// Requests made from worker threads that block while they wait.
    BlockingIo,
    /// Parallel work cut into tasks too small to pay for their scheduling.
    TinyTasks,
}

named_choices!(WrongCase {
    CpuOnMain => "cpu-on-main",
    AwaitInLoop => "await-in-loop",
    BlockingIo => "blocking-io",
    TinyTasks => "tiny-tasks",
});

impl WrongCase {
    /// A heading for the case, e.g. "CPU work made async on the main thread".
    pub fn title(self) -> &'static str {
        match self {
            WrongCase::CpuOnMain => "CPU work made async on the main thread",
            WrongCase::AwaitInLoop => "Awaiting I/O one request at a time",
            WrongCase::BlockingIo => "I/O on blocking worker threads",
            WrongCase::TinyTasks => "Parallel work in tiny tasks",
        }
    }

    /// What the case teaches, in the kitchen picture: async is timing, parallel is teamwork.
    pub fn lesson(self) -> &'static str {
        match self {
            WrongCase::CpuOnMain => {
                "Marking CPU work async does not give it another cook: the one who takes the \
                 orders still does all the chopping, and no order is taken meanwhile. Send it to \
                 the worker pool instead."
            }
            WrongCase::AwaitInLoop => {
                "Awaiting each request before sending the next is a cook who bakes one dish, \
                 waits for it, and only then puts the next one in the oven. Put every dish in, then \
                 wait for them together: the waits overlap instead of adding up."
            }
            WrongCase::BlockingIo => {
                "A worker thread that blocks on a request is a cook standing at the oven door: \
                 with four cooks, only four dishes can be baking at once. Waiting needs no cook, \
                 so leave it to async and keep the cooks for chopping."
            }
            WrongCase::TinyTasks => {
                "Handing out one pea at a time keeps the cooks busy passing work around rather \
                 than chopping. Give each cook a real pile of work, so the handing out costs \
                 little next to the work itself."
            }
        }
    }
}

/// The mistake to demonstrate.
pub const WRONG_CASE: Setting = Setting::choice(
    "case",
    "Case",
    "the mistake to run beside its fix (see the table below)",
    &WrongCase::NAMES,
    WrongCase::CpuOnMain.name(),
);

lab_settings! {
    /// Settings of the wrong-tool lab.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct WrongSettings (table WRONG_SETTINGS, read as WrongFields) {
        /// The mistake to demonstrate.
        case: WrongCase = WRONG_CASE,
    }
}

/// Which wrong-tool case a run belongs to, which side of it, and the verdict on the wrong side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WrongBlock {
    /// The case demonstrated.
    pub case: WrongCase,
    /// The mistake, or its fix.
    pub role: Role,
    /// Whether the mistake really cost something; only on the "wrong" run.
    pub verdict: Option<Verdict>,
}

/// Which side of a wrong-tool case a run shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The mistake.
    Wrong,
    /// Its fix.
    Right,
}

named_choices!(Role {
    Wrong => "wrong",
    Right => "right",
});
