//! The page's side of the simulated server, a service worker (`static/sim-server.js`, whose
//! header is the one description of the protocol). Before anything is measured against it, the
//! page makes sure the worker controls it: on a first load the worker claims the page when it
//! activates; after a hard reload the page asks it to claim; failing that, it reloads once.
//!
//! The same worker makes the page cross-origin isolated where the host sends no isolation
//! headers: it adds them to the page's own document, so once it is in control one reload
//! ([`isolate_by_reload`]) gives an isolated page. `coi=0` in the address turns that off.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, RegistrationOptions, ServiceWorkerContainer, ServiceWorkerRegistration,
};

use super::{describe, fetch, url};

/// The worker's script, copied next to `index.html` by trunk.
const SCRIPT: &str = "sim-server.js";
/// Marks the one reload the page may do to get the worker in control.
const RELOADED: &str = "lab-sim-server-reloaded";
/// Marks the one reload the page may do to become cross-origin isolated.
const ISOLATING: &str = "lab-isolating-reload";

/// Whether the page may be isolated by the worker: not when the address says `coi=0`.
pub fn isolation_allowed() -> bool {
    url::param("coi").as_deref() != Some("0")
}

/// Where the page stands with the worker's isolation, once the worker is in control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isolation {
    /// The page is isolated (by the host's headers or the worker's).
    Isolated,
    /// The page is reloading once to be isolated by the worker.
    Reloading,
    /// `coi=0`: the worker leaves the page as the host sent it.
    TurnedOff,
    /// The worker's reload did not isolate the page: this browser does not honour headers a
    /// service worker adds.
    NotHonoured,
}

/// With the worker in control and the page not isolated, reloads once (a session) so that the
/// worker's headers isolate it. Clears the mark once the page is isolated.
pub fn isolate_by_reload(isolated: bool) -> Isolation {
    let storage = session_storage();
    if isolated {
        if let Some(storage) = storage {
            let _ = storage.remove_item(ISOLATING);
        }
        return Isolation::Isolated;
    }
    if !isolation_allowed() {
        return Isolation::TurnedOff;
    }
    let (Some(storage), Some(window)) = (storage, web_sys::window()) else {
        return Isolation::NotHonoured;
    };
    let tried = storage.get_item(ISOLATING).ok().flatten().is_some();
    if !tried && storage.set_item(ISOLATING, "1").is_ok() && window.location().reload().is_ok() {
        return Isolation::Reloading;
    }
    Isolation::NotHonoured
}

/// Registers the simulated server and resolves once it answers this page's requests.
pub async fn ensure_control() -> Result<(), String> {
    let container = container()?;
    if container.controller().is_none() {
        let options = RegistrationOptions::new();
        options.set_scope("./");
        JsFuture::from(container.register_with_options(SCRIPT, &options))
            .await
            .map_err(|e| {
                format!(
                    "the service worker could not be registered: {}",
                    describe(&e)
                )
            })?;
        let ready = container.ready().map_err(|e| describe(&e))?;
        let registration: ServiceWorkerRegistration = JsFuture::from(ready)
            .await
            .map_err(|e| describe(&e))?
            .unchecked_into();
        if container.controller().is_none() {
            if let Some(active) = registration.active() {
                let message = js_sys::Object::new();
                js_sys::Reflect::set(&message, &"type".into(), &"claim".into())
                    .map_err(|e| describe(&e))?;
                // If the message cannot be posted, the reload below still recovers.
                let _ = active.post_message(&message);
            }
            wait_for_controller(&container, 3_000).await;
        }
        if container.controller().is_none() {
            return reload_once();
        }
    }
    forget_reload();
    let answer = fetch::get("io/ping", &AbortSignal::timeout_with_u32(5_000))
        .await
        .map_err(|e| format!("the simulated server did not answer: {e}"))?;
    if answer.simulated.is_none() {
        return Err(
            "the simulated server is registered but its answers do not reach this page".into(),
        );
    }
    Ok(())
}

/// True while the simulated server controls the page.
pub fn in_control() -> bool {
    container().is_ok_and(|c| c.controller().is_some())
}

fn container() -> Result<ServiceWorkerContainer, String> {
    let navigator = web_sys::window().ok_or("no window")?.navigator();
    let available = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if !available {
        return Err("this browser offers no service workers here (they need https or localhost, and are off in some private windows)".into());
    }
    Ok(navigator.service_worker())
}

async fn wait_for_controller(container: &ServiceWorkerContainer, timeout_ms: i32) {
    let changed = js_sys::Promise::new(&mut |resolve, _| {
        container.set_oncontrollerchange(Some(&resolve));
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, timeout_ms);
        }
    });
    let _ = JsFuture::from(changed).await;
    container.set_oncontrollerchange(None);
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn reload_once() -> Result<(), String> {
    let storage = session_storage();
    let already = storage
        .as_ref()
        .and_then(|s| s.get_item(RELOADED).ok().flatten())
        .is_some();
    if !already {
        if let (Some(storage), Some(window)) = (storage, web_sys::window()) {
            if storage.set_item(RELOADED, "1").is_ok() && window.location().reload().is_ok() {
                return Err("reloading once so the simulated server can take control…".into());
            }
        }
    }
    Err("the simulated server could not take control of this page; reload it".into())
}

fn forget_reload() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(RELOADED);
    }
}

/// The server's own account of a finished run (`io/stats`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServerReport {
    /// Time-average number of requests inside the server (queue + service).
    pub mean_occupancy: f64,
    /// From the first arrival to the last departure.
    pub window_ms: f64,
    /// Requests it answered.
    pub served: u32,
}

/// Asks the server for a run's occupancy, and lets it forget the run.
pub async fn report(run: &str) -> Option<ServerReport> {
    let url = format!(
        "io/stats?run={}",
        String::from(js_sys::encode_uri_component(run))
    );
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .ok()?
        .unchecked_into();
    let json = JsFuture::from(response.json().ok()?).await.ok()?;
    let get = |key: &str| {
        js_sys::Reflect::get(&json, &JsValue::from_str(key))
            .ok()?
            .as_f64()
    };
    Some(ServerReport {
        mean_occupancy: get("mean_occupancy")?,
        window_ms: get("window_ms")?,
        served: get("served")? as u32,
    })
}
