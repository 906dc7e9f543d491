//! A lab's settings as a form, with every field's unit and accepted range in view. What the
//! user types is validated by the core on change; valid settings go into force and into the
//! URL, invalid ones are listed by [`super::config_errors::ConfigErrors`] and nothing runs.

use lab_core::config::{self, FloatField, IntField, Lab};
use leptos::prelude::*;

use crate::runtime::url;
use crate::state::LabState;

/// One setting in the form.
#[derive(Clone, Debug)]
pub struct FormField {
    /// The query parameter.
    pub name: &'static str,
    /// What the user reads.
    pub label: &'static str,
    /// Unit and accepted range, or what an empty value means.
    pub hint: String,
    /// For a choice: the accepted names (an empty name means "absent").
    pub choices: &'static [&'static str],
    /// Shown in an empty input.
    pub placeholder: &'static str,
}

impl FormField {
    /// A whole-number field.
    pub fn int(field: IntField, label: &'static str) -> FormField {
        FormField {
            name: field.name,
            label,
            hint: format!("{}–{} {}", field.min, field.max, field.unit),
            choices: &[],
            placeholder: "",
        }
    }

    /// A decimal field.
    pub fn float(field: FloatField, label: &'static str) -> FormField {
        FormField {
            name: field.name,
            label,
            hint: format!("{}–{} {}", field.min, field.max, field.unit),
            choices: &[],
            placeholder: "",
        }
    }

    /// A choice among names.
    pub fn choice(
        name: &'static str,
        label: &'static str,
        choices: &'static [&'static str],
        hint: &str,
    ) -> FormField {
        FormField {
            name,
            label,
            hint: hint.to_owned(),
            choices,
            placeholder: "",
        }
    }

    /// Marks the field optional: empty means `placeholder`.
    pub fn optional(mut self, placeholder: &'static str) -> FormField {
        self.placeholder = placeholder;
        self
    }
}

/// The form for `lab`'s `fields`.
#[component]
pub fn SettingsForm(lab: Lab, fields: Vec<FormField>) -> impl IntoView {
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
    let values: Vec<(FormField, RwSignal<String>)> = fields
        .into_iter()
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
    field: FormField,
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
    let control = if field.choices.is_empty() {
        view! {
            <input
                type="text"
                name=name
                placeholder=field.placeholder
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
                {field
                    .choices
                    .iter()
                    .map(|&choice| {
                        let shown = if choice.is_empty() { field.placeholder } else { choice };
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
            <span class="field-range">{field.hint}</span>
        </label>
    }
}
