//! The quick comparison's settings, with their units and limits in view.
//! Edits are validated by the core; valid ones go into the URL.

use lab_core::config::{IntField, FETCHES, SIZE, TASKS};
use leptos::prelude::*;

use crate::runtime::url;
use crate::state::LabState;

/// Inputs for the number of fetches, tasks and rounds per task.
#[component]
pub fn SettingsForm() -> impl IntoView {
    let state = expect_context::<LabState>();
    let initial = |field: &IntField, current: u32| {
        url::param(field.name).unwrap_or_else(|| current.to_string())
    };
    let settings = state.settings.get_untracked();
    let n = RwSignal::new(initial(&FETCHES, settings.n));
    let tasks = RwSignal::new(initial(&TASKS, settings.tasks));
    let size = RwSignal::new(initial(&SIZE, settings.size));
    let apply = move || {
        let query = format!(
            "lab=start&n={}&tasks={}&size={}",
            encode(&n.get_untracked()),
            encode(&tasks.get_untracked()),
            encode(&size.get_untracked())
        );
        state.apply_query(&query);
    };
    view! {
        <form class="settings" on:submit=move |ev| ev.prevent_default()>
            <NumberField field=FETCHES label="Fetches" value=n on_change=apply />
            <NumberField field=TASKS label="CPU tasks" value=tasks on_change=apply />
            <NumberField field=SIZE label="Rounds per task" value=size on_change=apply />
        </form>
    }
}

/// One labelled number input showing its accepted range.
#[component]
fn NumberField(
    field: IntField,
    label: &'static str,
    value: RwSignal<String>,
    on_change: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let state = expect_context::<LabState>();
    let invalid = move || {
        state
            .config_errors
            .with(|errors| errors.iter().any(|e| e.field == field.name))
    };
    view! {
        <label class="field" class:invalid=invalid>
            <span class="field-label">{label}</span>
            <input
                type="text"
                inputmode="numeric"
                name=field.name
                data-testid=format!("setting-{}", field.name)
                prop:value=move || value.get()
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    on_change();
                }
                disabled=move || state.busy()
            />
            <span class="field-range">{format!("{}–{} {}", field.min, field.max, field.unit)}</span>
        </label>
    }
}

/// Keeps what the user typed intact inside a query string.
fn encode(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}
