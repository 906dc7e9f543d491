//! What each lab does when it runs: it takes the settings in force, runs the workload through
//! [`crate::experiments`], summarises with the core, and hands records to the [`LabState`].

pub mod cpu;
pub mod io;
pub mod start;

use lab_core::config::Lab;
use leptos::prelude::*;

use crate::state::LabState;

/// Runs the configured experiment of the lab in the URL (`autorun=1`).
pub async fn autorun(state: LabState) {
    match state.settings.with_untracked(|s| s.lab()) {
        Lab::Start => start::run_all(state).await,
        Lab::Io => io::run(state).await,
        Lab::Cpu => cpu::run(state).await,
    }
}
