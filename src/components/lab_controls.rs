//! The pieces every lab's control card shares: its Run button and its presets.

use leptos::prelude::*;

use crate::state::LabState;

/// The lab's Run button: off while a run is in flight, while the settings are invalid, and
/// (for labs that need it) while there is no worker pool.
#[component]
pub fn RunButton(
    test_id: &'static str,
    label: &'static str,
    #[prop(optional)] needs_pool: bool,
    run: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<LabState>();
    view! {
        <button
            class="primary"
            data-testid=test_id
            on:click=move |_| run()
            disabled=move || {
                state.busy() || !state.settings_valid() || (needs_pool && !state.parallel_ready())
            }
        >
            {label}
        </button>
    }
}

/// Links that set a lab up for its interesting cases.
#[component]
pub fn Presets(presets: &'static [(&'static str, &'static str)]) -> impl IntoView {
    view! {
        <div class="presets">
            <span class="presets-title">"Presets"</span>
            {presets
                .iter()
                .map(|(name, query)| view! { <a href=format!("?{query}")>{*name}</a> })
                .collect_view()}
        </div>
    }
}
