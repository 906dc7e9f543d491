//! Downloads the current experiment's results as JSON (the format is in the README).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::LabState;

/// The one export button of the view.
#[component]
pub fn ExportButton() -> impl IntoView {
    let state = expect_context::<LabState>();
    let download = move |_| {
        let export = state.export();
        save(&export.file_name(), &export.to_json_pretty());
    };
    view! {
        <button
            class="secondary"
            data-testid="export-json"
            on:click=download
            disabled=move || state.busy()
            title="Download every result on this page as JSON"
        >
            "Export JSON"
        </button>
    }
}

fn save(file_name: &str, json: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&json.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(anchor) = document.create_element("a") {
        let anchor: web_sys::HtmlAnchorElement = anchor.unchecked_into();
        anchor.set_href(&url);
        anchor.set_download(file_name);
        anchor.click();
    }
    // Free the blob once the browser has taken the download.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
}
