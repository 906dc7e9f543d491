//! Bad settings, each named with the range it accepts. Nothing runs while any is shown.

use leptos::prelude::*;

use crate::state::LabState;

/// The list of invalid settings, when there are any.
#[component]
pub fn ConfigErrors() -> impl IntoView {
    let state = expect_context::<LabState>();
    move || {
        let errors = state.config_errors().get();
        (!errors.is_empty()).then(|| {
            view! {
                <div class="config-error" role="alert" data-testid="config-error">
                    <strong>"These settings are not valid, so nothing will run:"</strong>
                    <ul>
                        {errors
                            .into_iter()
                            .map(|e| view! { <li data-field=e.field.clone()>{e.message}</li> })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
