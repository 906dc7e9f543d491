//! The page: header with the environment, the run bar, settings, and the two batches.

use leptos::prelude::*;

use crate::components::batch_card::{Batch, BatchCard};
use crate::components::config_errors::ConfigErrors;
use crate::components::environment_panel::EnvironmentPanel;
use crate::components::export_button::ExportButton;
use crate::components::live_meter::LiveMeter;
use crate::components::run_status::RunStatusBar;
use crate::components::settings_form::SettingsForm;
use crate::state::LabState;

/// The whole lab.
#[component]
pub fn App() -> impl IntoView {
    let state = LabState::new();
    provide_context(state);
    state.boot();
    let run_both = move |_| {
        leptos::task::spawn_local(state.run_all());
    };
    view! {
        <header class="masthead">
            <div class="brand">
                <h1>"Async vs Parallel Lab"</h1>
                <p class="tagline">
                    "Timing and teamwork: see async and parallel work in your own browser."
                </p>
            </div>
            <EnvironmentPanel />
        </header>
        <section class="runbar" aria-label="Run">
            <RunStatusBar />
            <LiveMeter />
            <ExportButton />
        </section>
        <ConfigErrors />
        <main class="lab">
            <section class="intro">
                <p>
                    "Asynchronous work is about "<strong>"timing"</strong>": one cook starts the oven and "
                    "takes the next order while it bakes. Parallel work is about "
                    <strong>"teamwork"</strong>": several cooks chop at once. The main thread is the cook "
                    "who takes the orders: if it stops to chop, the page freezes."
                </p>
                <div class="intro-actions">
                    <SettingsForm />
                    <button
                        class="primary"
                        data-testid="run-both"
                        on:click=run_both
                        disabled=move || state.busy() || !state.settings_valid()
                    >
                        "Run the comparison"
                    </button>
                </div>
            </section>
            <div class="batches">
                <BatchCard batch=Batch::Io />
                <BatchCard batch=Batch::Cpu />
            </div>
        </main>
        <footer class="footer">
            <p>
                "Every bar is a measured span on one clock ("<code>"performance.timeOrigin + now()"</code>
                "), drawn from the same data the export holds."
            </p>
        </footer>
    }
}
