//! Browser glue: the clock, fetch, the worker pool, the responsiveness meter and the URL.
//! Nothing here decides anything; the core crate does that.

pub mod chart_image;
pub mod clock;
pub mod download;
pub mod environment;
pub mod event_loop;
pub mod fetch;
pub mod first_visit;
pub mod history;
pub mod meter;
pub mod microtask;
pub mod pool;
pub mod resource_timing;
pub mod sim_server;
pub mod tile_canvas;
pub mod time_limit;
pub mod url;

use wasm_bindgen::{JsCast, JsValue};

/// A readable text for a JavaScript error value.
pub fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
