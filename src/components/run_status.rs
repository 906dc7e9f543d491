//! The run contract's status line: one per view, its state in words and in `data-state`.

use lab_core::format;
use leptos::ev;
use leptos::prelude::*;

use crate::runtime::history::Kept;
use crate::state::{LabState, RunState};

/// The current run's state, progress (done of total, the rate, the time left) and a Cancel
/// button, which Escape presses too.
#[component]
pub fn RunStatusBar() -> impl IntoView {
    let state = expect_context::<LabState>();
    let status = state.status();
    let progress = state.progress();
    let kept = state.kept();
    let running = Memo::new(move |_| status.with(|s| s.state == RunState::Running));
    let fraction = move || match progress.get() {
        Some(p) if p.total > 0 => f64::from(p.done) / f64::from(p.total),
        _ => 0.0,
    };
    let escape = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" && running.get_untracked() {
            state.cancel();
        }
    });
    on_cleanup(move || escape.remove());
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
                // One text node, rewritten in place as progress moves.
                <span class="progress-count">
                    {move || {
                        progress
                            .get()
                            .filter(|_| running.get())
                            .map_or(String::new(), |p| {
                                format!(" {}", format::progress(p.done, p.total, p.elapsed_ms))
                            })
                    }}
                </span>
            </p>
            <Show when=move || running.get()>
                // A bar scaled on the compositor: moving it repaints nothing.
                <span class="progress-track" role="progressbar" aria-label="Progress of the run" aria-valuemin="0" aria-valuemax="1" aria-valuenow=fraction>
                    <span class="progress-fill" style=move || format!("transform: scaleX({:.4})", fraction())></span>
                </span>
                <button
                    class="secondary"
                    data-testid="cancel"
                    on:click=move |_| state.cancel()
                    title="Stop the run (Escape); what finished is kept"
                >
                    "Cancel"
                </button>
            </Show>
            {move || kept.get().filter(|_| !running.get()).map(kept_note)}
        </div>
    }
}

/// Whether the run just finished went into the browser's history.
fn kept_note(kept: Result<Kept, String>) -> impl IntoView {
    match kept {
        Ok(kept) => {
            let evicted = match kept.evicted {
                0 => String::new(),
                1 => " (the oldest kept run made room)".to_owned(),
                n => format!(" (the {n} oldest kept runs made room)"),
            };
            view! {
                <span class="history-note" data-testid="history-note" data-key=kept.key.to_string()>
                    {format!("Kept in this browser's history{evicted}: ")}
                    <a href="?lab=overview#history">"every kept run"</a>
                </span>
            }
            .into_any()
        }
        Err(message) => view! {
            <span class="history-note problem-text" data-testid="history-note" data-error="true">
                {format!("Not kept in this browser's history: {message}.")}
            </span>
        }
        .into_any(),
    }
}
