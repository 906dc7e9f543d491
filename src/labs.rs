//! One folder per lab: `run.rs`, what the lab does when it runs (it takes the settings in force,
//! runs the workload through [`crate::experiments`], summarises with the core and hands records
//! to the [`LabState`]), and `page.rs`, its page. The lab's settings, models and verdicts live in
//! the core, in `crates/lab-core/src/labs/`. A run never uses a page (`tests/layers.test.mjs`).

/// The quick comparison: one async batch, one parallel batch.
pub mod start {
    pub mod page;
    pub mod run;
    pub use run::*;
}

/// Timing: requests in a closed or open loop against the simulated server.
pub mod io {
    pub mod page;
    pub mod run;
    pub use run::*;
}

/// Teamwork: kernels cut into tasks, across the worker pool.
pub mod cpu {
    pub mod page;
    pub mod run;
    pub use run::*;
}

/// Fetch, then process: three pipeline strategies.
pub mod hybrid {
    pub mod page;
    pub mod run;
    pub use run::*;
}

/// The wrong tool, each mistake beside its fix.
pub mod wrong {
    pub mod page;
    pub mod run;
    pub use run::*;
}

/// The responsiveness trade-off: sliced work on the main thread against the workers.
pub mod tradeoff {
    pub mod page;
    pub mod run;
    pub use run::*;
}

use lab_core::config::Lab;
use leptos::prelude::*;

use crate::state::LabState;

/// Runs the configured experiment of the lab in the URL (`autorun=1`).
pub async fn autorun(state: LabState) {
    match state.settings().with_untracked(|s| s.lab()) {
        Lab::Start => start::run_all(state).await,
        Lab::Io if io::may_autorun(state) => io::run(state).await,
        Lab::Io => {}
        Lab::Cpu => cpu::run(state).await,
        Lab::Hybrid => hybrid::run(state).await,
        Lab::Wrong => wrong::run(state).await,
        Lab::Tradeoff => tradeoff::run(state).await,
        Lab::Overview => {}
    }
}
