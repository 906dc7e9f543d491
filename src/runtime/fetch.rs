//! One GET through the browser's network stack, awaited on the event loop:
//! `JsFuture::from(window.fetch(...)).await`. The thread is free while the request is out.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestCache, RequestCredentials, RequestInit, Response};

use super::{clock, describe};

/// A response whose body arrived in full (any status).
#[derive(Clone, Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// When the status and headers arrived, on the shared clock.
    pub headers_at_ms: f64,
    /// Body length in bytes.
    pub bytes: u32,
    /// The body itself, when asked for with [`get_body`].
    pub body: Option<Vec<u8>>,
    headers: Headers,
}

impl Answer {
    /// True for a 2xx status.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// One response header, if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).ok().flatten()
    }
}

/// Why a request gave no response at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// Cancelled by the page.
    Aborted,
    /// No answer within the request's time limit.
    Timeout,
    /// The browser refused or the network failed (CORS, DNS, connection); its own words.
    Network(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Aborted => f.write_str("cancelled"),
            Self::Timeout => f.write_str("timed out"),
            Self::Network(message) => write!(f, "network error: {message}"),
        }
    }
}

/// GETs `url`, bypassing the HTTP cache and sending no credentials, and reads the whole body.
/// `signal` aborts it (a timeout signal reports [`FetchError::Timeout`]).
pub async fn get(url: &str, signal: &AbortSignal) -> Result<Answer, FetchError> {
    fetch(url, signal, false).await
}

/// Like [`get`], and keeps the body's bytes for processing.
pub async fn get_body(url: &str, signal: &AbortSignal) -> Result<Answer, FetchError> {
    fetch(url, signal, true).await
}

async fn fetch(url: &str, signal: &AbortSignal, keep_body: bool) -> Result<Answer, FetchError> {
    let window = web_sys::window().ok_or_else(|| FetchError::Network("no window".into()))?;
    let init = RequestInit::new();
    init.set_cache(RequestCache::NoStore);
    init.set_credentials(RequestCredentials::Omit);
    init.set_signal(Some(signal));
    // snippet: fetch
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(classify)?
        .unchecked_into();
    // end snippet
    let headers_at_ms = clock::now_ms();
    let body = response.array_buffer().map_err(classify)?;
    let body: js_sys::ArrayBuffer = JsFuture::from(body)
        .await
        .map_err(classify)?
        .unchecked_into();
    Ok(Answer {
        status: response.status(),
        headers_at_ms,
        bytes: body.byte_length(),
        body: keep_body.then(|| js_sys::Uint8Array::new(&body).to_vec()),
        headers: response.headers(),
    })
}

fn classify(error: wasm_bindgen::JsValue) -> FetchError {
    match error.dyn_ref::<web_sys::DomException>().map(|e| e.name()) {
        Some(name) if name == "AbortError" => FetchError::Aborted,
        Some(name) if name == "TimeoutError" => FetchError::Timeout,
        _ => FetchError::Network(describe(&error)),
    }
}
