//! One GET through the browser's network stack, awaited on the event loop:
//! `JsFuture::from(window.fetch(...)).await`. The thread is free while the request is out.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestCache, RequestInit, Response};

use super::describe;

/// A response whose body arrived in full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fetched {
    /// HTTP status.
    pub status: u16,
    /// Body length in bytes.
    pub bytes: u32,
}

/// Why a request did not give a usable response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// Cancelled by the page.
    Aborted,
    /// The browser refused or the network failed (CORS, DNS, connection); its own words.
    Network(String),
    /// The server answered with a status outside 200-299.
    Status(u16),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Aborted => f.write_str("cancelled"),
            Self::Network(message) => write!(f, "network error: {message}"),
            Self::Status(status) => write!(f, "HTTP {status}"),
        }
    }
}

/// GETs `url` bypassing the HTTP cache and reads the whole body.
pub async fn get_no_store(url: &str, signal: &AbortSignal) -> Result<Fetched, FetchError> {
    let window = web_sys::window().ok_or_else(|| FetchError::Network("no window".into()))?;
    let init = RequestInit::new();
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(signal));
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(classify)?
        .unchecked_into();
    let body = response.array_buffer().map_err(classify)?;
    let body = JsFuture::from(body).await.map_err(classify)?;
    let bytes = body.unchecked_into::<js_sys::ArrayBuffer>().byte_length();
    if response.ok() {
        Ok(Fetched {
            status: response.status(),
            bytes,
        })
    } else {
        Err(FetchError::Status(response.status()))
    }
}

fn classify(error: wasm_bindgen::JsValue) -> FetchError {
    let aborted = error
        .dyn_ref::<web_sys::DomException>()
        .is_some_and(|e| e.name() == "AbortError");
    if aborted {
        FetchError::Aborted
    } else {
        FetchError::Network(describe(&error))
    }
}
