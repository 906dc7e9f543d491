//! Every run since the page was opened, kept in `sessionStorage` so the overview survives
//! moving between labs (each lab is its own page load). One point per run, no spans.

use lab_core::overview::OverviewPoint;

const KEY: &str = "lab-history";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The points so far, oldest first.
pub fn load() -> Vec<OverviewPoint> {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Adds `points` to the history.
pub fn append(points: impl IntoIterator<Item = OverviewPoint>) {
    let mut all = load();
    all.extend(points);
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&all)) {
        // A full storage only costs the overview its newest points.
        let _ = storage.set_item(KEY, &json);
    }
}

/// Forgets every point.
pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

const VISITED: &str = "lab-visited";

/// True until [`remember_visit`] was called in this browser.
pub fn first_visit() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .is_some_and(|s| s.get_item(VISITED).ok().flatten().is_none())
}

/// Marks this browser as having seen the guided start.
pub fn remember_visit() {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(VISITED, "1");
    }
}
