//! A lab's settings as a form, with every field's unit and accepted range in view. What the
//! user types is validated by the core on change; valid settings go into force and into the
//! URL, invalid ones are listed by [`super::config_errors::ConfigErrors`] and nothing runs.

use lab_core::config::{self, Lab};
use lab_core::setting::Setting;
use leptos::prelude::*;

use crate::runtime::url;
use crate::state::LabState;

/// The form for `lab`'s settings, one field per definition, in the lab's order.
#[component]
pub fn SettingsForm(lab: Lab) -> impl IntoView {
    let state = expect_context::<LabState>();
    let current = config::query_pairs(&state.settings().get_untracked().to_query());
    let initial = |name: &str| {
        url::param(name).unwrap_or_else(|| {
            current
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        })
    };
    let values: Vec<(Setting, RwSignal<String>)> = lab
        .settings()
        .iter()
        .copied()
        .map(|field| {
            let value = RwSignal::new(initial(field.name));
            (field, value)
        })
        .collect();
    let names: Vec<(&'static str, RwSignal<String>)> =
        values.iter().map(|(f, v)| (f.name, *v)).collect();
    let apply = move || {
        let mut query = format!("lab={}", lab.name());
        for (name, value) in &names {
            let raw = value.get_untracked();
            if !raw.is_empty() {
                query.push_str(&format!(
                    "&{name}={}",
                    String::from(js_sys::encode_uri_component(&raw))
                ));
            }
        }
        state.apply_query(&query);
    };
    let apply = StoredValue::new(apply);
    view! {
        <form class="settings" on:submit=move |ev| ev.prevent_default() data-testid="settings">
            {values
                .into_iter()
                .map(|(field, value)| view! { <Field field=field value=value on_change=move || apply.with_value(|f| f()) /> })
                .collect_view()}
        </form>
    }
}

/// One labelled input or choice with its hint.
#[component]
fn Field(
    field: Setting,
    value: RwSignal<String>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<LabState>();
    let name = field.name;
    let invalid = move || {
        state
            .config_errors()
            .with(|errors| errors.iter().any(|e| e.field == name))
    };
    // The definition's words are Markdown; a placeholder shows them plain.
    let placeholder = field.absent.unwrap_or_default().replace('`', "");
    let menu = field.menu();
    let control = if menu.is_empty() {
        view! {
            <input
                type="text"
                name=name
                placeholder=placeholder
                data-testid=format!("setting-{name}")
                prop:value=move || value.get()
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    on_change();
                }
                disabled=move || state.busy()
            />
        }
        .into_any()
    } else {
        view! {
            <select
                name=name
                data-testid=format!("setting-{name}")
                prop:value=move || value.get()
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    on_change();
                }
                disabled=move || state.busy()
            >
                {menu
                    .into_iter()
                    .map(|choice| {
                        let shown = if choice.is_empty() { placeholder.clone() } else { choice.to_owned() };
                        view! { <option value=choice>{shown}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any()
    };
    view! {
        <label class="field" class:invalid=invalid>
            <span class="field-label">{field.label}</span>
            {control}
            <span class="field-range">{field.form_hint()}</span>
        </label>
    }
}
