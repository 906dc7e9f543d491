//! The environment strip: isolation, hardware threads, workers, timer resolution, build.

use lab_core::format;
use lab_core::schema::BuildKind;
use leptos::prelude::*;

use super::glossary::term;
use crate::runtime::environment::BUILD;
use crate::runtime::sim_server::Isolation;
use crate::state::{LabState, PoolStatus, SimStatus};

/// What this browser offers, and what is wrong with it in plain words.
#[component]
pub fn EnvironmentPanel() -> impl IntoView {
    let state = expect_context::<LabState>();
    let env = state.environment();
    let isolated = move || env.with(|e| e.isolated);
    let pool_text = move || {
        env.with(|e| match &e.pool {
            PoolStatus::NotIsolated => "off (not isolated)".to_owned(),
            PoolStatus::Starting => "starting…".to_owned(),
            PoolStatus::Ready { threads, start_ms } => {
                format!(
                    "{threads} ready in {}",
                    format::ms(*start_ms, e.timer_resolution_ms)
                )
            }
            PoolStatus::Failed(_) => "failed".to_owned(),
        })
    };
    let pool_state = move || {
        env.with(|e| match e.pool {
            PoolStatus::NotIsolated => "not-isolated",
            PoolStatus::Starting => "starting",
            PoolStatus::Ready { .. } => "ready",
            PoolStatus::Failed(_) => "failed",
        })
    };
    let pool_threads = move || env.with(|e| e.pool_threads().to_string());
    let sim_state = move || {
        env.with(|e| match e.sim {
            SimStatus::Starting => "starting",
            SimStatus::Ready => "ready",
            SimStatus::Failed(_) => "failed",
        })
    };
    let sim_text = move || {
        env.with(|e| match e.sim {
            SimStatus::Starting => "starting…",
            SimStatus::Ready => "in control",
            SimStatus::Failed(_) => "unavailable",
        })
    };
    let sim_failure = move || {
        env.with(|e| match &e.sim {
            SimStatus::Failed(message) => Some(message.clone()),
            _ => None,
        })
    };
    let failure = move || {
        env.with(|e| match &e.pool {
            PoolStatus::Failed(message) => Some(message.clone()),
            _ => None,
        })
    };
    view! {
        <div class="environment" data-testid="environment">
            <dl class="env-strip">
                <div class="env-item" data-testid="env-isolated" data-value=move || isolated().to_string()>
                    <dt>{term("cross-origin-isolated", "Cross-origin isolated")}</dt>
                    <dd class:good=isolated class:bad=move || !isolated()>
                        {move || if isolated() { "yes" } else { "no" }}
                    </dd>
                </div>
                <div
                    class="env-item"
                    data-testid="env-hardware-threads"
                    data-value=move || env.with(|e| e.hardware_threads.to_string())
                >
                    <dt>"Hardware threads"</dt>
                    <dd>{move || env.with(|e| e.hardware_threads)}</dd>
                </div>
                <div
                    class="env-item"
                    data-testid="env-pool"
                    data-state=pool_state
                    data-threads=pool_threads
                >
                    <dt>"Worker threads"</dt>
                    <dd>{pool_text}</dd>
                </div>
                <div class="env-item" data-testid="env-sim" data-state=sim_state>
                    <dt>"Simulated server ("{term("service-worker", "service worker")}")"</dt>
                    <dd>{sim_text}</dd>
                </div>
                <div
                    class="env-item"
                    data-testid="env-timer"
                    data-value=move || env.with(|e| e.timer_resolution_ms.to_string())
                >
                    <dt>"Timer resolution"</dt>
                    <dd>{move || env.with(|e| format!("{:.3} ms", e.timer_resolution_ms))}</dd>
                </div>
                {(BUILD == BuildKind::Debug)
                    .then(|| {
                        view! {
                            <div class="env-item">
                                <dt>"Build"</dt>
                                <dd>
                                    <span
                                        class="badge debug"
                                        data-testid="debug-badge"
                                        title="A debug build runs kernels far slower; measure with a release build."
                                    >
                                        "debug build"
                                    </span>
                                </dd>
                            </div>
                        }
                    })}
            </dl>
            <Show when=move || !isolated()>
                <div class="problem" role="alert" data-testid="isolation-warning">
                    <strong>"This page is not cross-origin isolated, so parallel runs are off."</strong>
                    " Web workers can share memory with the page only when the server sends two headers: "
                    <code>"Cross-Origin-Opener-Policy: same-origin"</code>
                    " and "
                    <code>"Cross-Origin-Embedder-Policy: require-corp"</code>
                    ". Serve the lab with them (trunk serve and the README's commands do) and reload. "
                    "The async runs work without them. "
                    <span data-testid="isolation-why">
                        {move || env.with(|e| isolation_note(e.isolation))}
                    </span>
                </div>
            </Show>
            {move || {
                sim_failure()
                    .map(|message| {
                        view! {
                            <div class="problem" role="alert" data-testid="sim-error">
                                <strong>"The simulated server is not available; runs against it will fail. "</strong>
                                {message}
                            </div>
                        }
                    })
            }}
            {move || {
                failure()
                    .map(|message| {
                        view! {
                            <div class="problem" role="alert" data-testid="pool-error">
                                <strong>"The worker pool is not available, so parallel runs are off. "</strong>
                                {message}
                                " "
                                <button class="secondary" data-testid="reload" on:click=|_| reload()>
                                    "Reload the page"
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// Reloads the page with its URL, so the same settings come back with a fresh pool.
fn reload() {
    if let Some(window) = web_sys::window() {
        // If the browser refuses, the button simply does nothing.
        let _ = window.location().reload();
    }
}

/// Why the page's own service worker did not isolate it, in words.
fn isolation_note(isolation: Option<Isolation>) -> &'static str {
    match isolation {
        None => {
            "Where the host cannot send them, the page's own service worker adds them, once it \
             is running."
        }
        Some(Isolation::Reloading) => "Reloading once so the page's service worker can add them…",
        Some(Isolation::TurnedOff) => {
            "The page's service worker would add them, but coi=0 in the address turns that off."
        }
        Some(Isolation::NotHonoured) => {
            "The page's service worker added them, but this browser did not honour headers from \
             a service worker."
        }
        Some(Isolation::Isolated) => "",
    }
}
