//! The run contract's status line: one per view, its state in words and in `data-state`.

use leptos::prelude::*;

use crate::state::{LabState, RunState};

/// The current run's state, progress and a Cancel button.
#[component]
pub fn RunStatusBar() -> impl IntoView {
    let state = expect_context::<LabState>();
    let status = state.status;
    let running = move || status.with(|s| s.state == RunState::Running);
    let fraction = move || {
        status.with(|s| match s.progress {
            Some((done, total)) if total > 0 => f64::from(done) / f64::from(total),
            _ => 0.0,
        })
    };
    view! {
        <div class="run-status-wrap">
            <p
                class="run-status"
                data-testid="run-status"
                data-state=move || status.with(|s| s.state.as_str())
                aria-live="polite"
            >
                <span class="state-dot" aria-hidden="true"></span>
                <span class="state-text">{move || status.with(|s| s.text.clone())}</span>
                {move || {
                    status
                        .with(|s| s.progress)
                        .filter(|_| running())
                        .map(|(done, total)| {
                            view! { <span class="progress-count">{format!(" {done} / {total}")}</span> }
                        })
                }}
            </p>
            <Show when=running>
                <progress max="1" value=fraction></progress>
                <button class="secondary" data-testid="cancel" on:click=move |_| state.cancel()>
                    "Cancel"
                </button>
            </Show>
        </div>
    }
}
