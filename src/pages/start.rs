//! The quick comparison: one async batch, one parallel batch, side by side.

use lab_core::config::{Lab, FETCHES, SIZE, TASKS};
use leptos::prelude::*;

use crate::components::batch_card::{Batch, BatchCard};
use crate::components::settings_form::{FormField, SettingsForm};
use crate::labs;
use crate::state::LabState;

/// The start page.
#[component]
pub fn StartPage() -> impl IntoView {
    let state = expect_context::<LabState>();
    let run_both = move |_| leptos::task::spawn_local(labs::start::run_all(state));
    let fields = vec![
        FormField::int(FETCHES, "Fetches"),
        FormField::int(TASKS, "CPU tasks"),
        FormField::int(SIZE, "Rounds per task"),
    ];
    view! {
        <section class="intro">
            <p>
                "Asynchronous work is about "<strong>"timing"</strong>": one cook starts the oven and "
                "takes the next order while it bakes. Parallel work is about "
                <strong>"teamwork"</strong>": several cooks chop at once. The main thread is the cook "
                "who takes the orders: if it stops to chop, the page freezes."
            </p>
            <div class="intro-actions">
                <SettingsForm lab=Lab::Start fields=fields />
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
    }
}
