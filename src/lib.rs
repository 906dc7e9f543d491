//! Async vs Parallel Lab: see and measure, in your own browser, the difference between
//! asynchronous work (timing: one thread keeps many waits in flight) and parallel work
//! (teamwork: several cores share one job).
//!
//! Data flows one way: settings ([`lab_core::config`]) -> a workload run by the browser glue
//! ([`experiments`], [`runtime`]) -> spans on lanes -> a summary ([`lab_core::stats`]) -> charts
//! ([`components`]). The pure decisions live in the `lab-core` crate; this crate is components
//! and glue.

pub mod app;
pub mod components;
pub mod experiments;
pub mod labs;
pub mod pages;
pub mod runtime;
pub mod state;

/// Mounts the app. Called once, on the main thread (workers never run `main`).
pub fn start() {
    // The page's static "loading" note stays only if this code never ran: a browser that could
    // not compile the module (no WebAssembly SIMD, say) keeps it as the explanation.
    if let Some(note) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("loading"))
    {
        note.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
