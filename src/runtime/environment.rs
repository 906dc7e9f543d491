//! What the browser offers: isolation, hardware threads, the user agent.

use lab_core::schema::BuildKind;

/// True when the page may share memory with workers (COOP + COEP headers were sent).
pub fn cross_origin_isolated() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .is_ok_and(|value| value.is_truthy())
}

/// `navigator.hardwareConcurrency`, at least 1.
pub fn hardware_threads() -> u32 {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .map_or(1, |n| (n as u32).max(1))
}

/// The browser's user agent string.
pub fn user_agent() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default()
}

/// Which profile this wasm was built with; debug builds run kernels much slower.
pub const BUILD: BuildKind = if cfg!(debug_assertions) {
    BuildKind::Debug
} else {
    BuildKind::Release
};
