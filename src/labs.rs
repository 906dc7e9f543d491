//! What each lab does when it runs: it takes the settings in force, runs the workload through
//! [`crate::experiments`], summarises with the core, and hands records to the [`LabState`].

pub mod cpu;
pub mod hybrid;
pub mod io;
pub mod start;
pub mod tradeoff;
pub mod wrong;

use lab_core::config::Lab;
use leptos::prelude::*;

use crate::state::LabState;

/// Runs the configured experiment of the lab in the URL (`autorun=1`).
pub async fn autorun(state: LabState) {
    match state.settings().with_untracked(|s| s.lab()) {
        Lab::Start => start::run_all(state).await,
        Lab::Io => io::run(state).await,
        Lab::Cpu => cpu::run(state).await,
        Lab::Hybrid => hybrid::run(state).await,
        Lab::Wrong => wrong::run(state).await,
        Lab::Tradeoff => tradeoff::run(state).await,
        Lab::Overview => {}
    }
}
