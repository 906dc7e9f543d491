//! The page's settings live in the URL query, so a link reproduces a run.

/// The current query string, with its leading `?` (empty when there is none).
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Replaces the query without reloading or adding a history entry. A `coi=0` (the service worker
/// may not isolate the page) is kept, so a reload keeps that choice.
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let query = match param("coi").as_deref() {
        Some("0") => format!("{query}&coi=0"),
        _ => query.to_owned(),
    };
    let path = window.location().pathname().unwrap_or_default();
    if let Ok(history) = window.history() {
        // Refused only for a cross-origin URL, which this never builds.
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}?{query}")),
        );
    }
}

/// The raw text of one query parameter, as typed (decoded), if present.
pub fn param(name: &str) -> Option<String> {
    web_sys::UrlSearchParams::new_with_str(&query())
        .ok()
        .and_then(|params| params.get(name))
}

/// An absolute link to this page with `query`: what "copy link" copies.
pub fn link(query: &str) -> String {
    let Some(window) = web_sys::window() else {
        return format!("?{query}");
    };
    let location = window.location();
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    format!("{origin}{path}?{query}")
}

/// Puts `text` on the clipboard; false where the browser offers no clipboard here (it needs a
/// secure context) or refuses.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let offered = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|clipboard| !clipboard.is_undefined() && !clipboard.is_null());
    if !offered {
        return false;
    }
    wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .is_ok()
}
