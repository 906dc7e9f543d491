//! Whether this browser has seen the guided start, kept in `localStorage`.

const VISITED: &str = "lab-visited";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// True until [`remember`] was called in this browser.
pub fn first_visit() -> bool {
    storage().is_some_and(|s| s.get_item(VISITED).ok().flatten().is_none())
}

/// Marks this browser as having seen the guided start.
pub fn remember() {
    if let Some(storage) = storage() {
        let _ = storage.set_item(VISITED, "1");
    }
}
