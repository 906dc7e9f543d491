//! One GET through the browser's network stack, awaited on the event loop:
//! `JsFuture::from(window.fetch(...)).await`. The thread is free while the request is out.
//!
//! In the threaded build every wake of a Rust future is a task of its own (the executor waits
//! with `Atomics.waitAsync`), so each `.await` costs one more trip through the event loop. The
//! response and its body are therefore read in one small JavaScript promise chain, which also
//! notes when the headers and the last byte reached the page's code: one wake per request, and
//! times that do not include the executor's delay (recorded apart, as the resume delay).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestCache, RequestCredentials, RequestInit, Response};

use super::describe;

/// A response whose body arrived in full (any status).
#[derive(Clone, Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// When the status and headers reached the page's code, on the shared clock.
    pub headers_at_ms: f64,
    /// When the whole body reached the page's code, on the shared clock.
    pub body_at_ms: f64,
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
    let init = RequestInit::new();
    init.set_cache(RequestCache::NoStore);
    init.set_credentials(RequestCredentials::Omit);
    init.set_signal(Some(signal));
    // snippet: fetch
    let read: BodyRead = JsFuture::from(fetch_body(url, &init))
        .await
        .map_err(classify)?
        .unchecked_into();
    // end snippet
    let response = read.response();
    let body = read.body();
    Ok(Answer {
        status: response.status(),
        headers_at_ms: read.headers_at(),
        body_at_ms: read.body_at(),
        bytes: body.byte_length(),
        body: keep_body.then(|| js_sys::Uint8Array::new(&body).to_vec()),
        headers: response.headers(),
    })
}

// snippet: fetch-js
#[wasm_bindgen(inline_js = "
const now = () => performance.timeOrigin + performance.now();
export function fetch_body(url, init) {
  return fetch(url, init).then((response) => {
    const headersAt = now();
    return response.arrayBuffer().then((body) => ({ response, body, headersAt, bodyAt: now() }));
  });
}")]
extern "C" {
    /// `fetch(url, init)`, then the body as an `ArrayBuffer`, in one promise.
    fn fetch_body(url: &str, init: &RequestInit) -> js_sys::Promise;
    // end snippet

    /// What [`fetch_body`] resolves with.
    type BodyRead;
    #[wasm_bindgen(method, getter)]
    fn response(this: &BodyRead) -> Response;
    #[wasm_bindgen(method, getter)]
    fn body(this: &BodyRead) -> js_sys::ArrayBuffer;
    #[wasm_bindgen(method, getter = headersAt)]
    fn headers_at(this: &BodyRead) -> f64;
    #[wasm_bindgen(method, getter = bodyAt)]
    fn body_at(this: &BodyRead) -> f64;
}

fn classify(error: wasm_bindgen::JsValue) -> FetchError {
    match error.dyn_ref::<web_sys::DomException>().map(|e| e.name()) {
        Some(name) if name == "AbortError" => FetchError::Aborted,
        Some(name) if name == "TimeoutError" => FetchError::Timeout,
        _ => FetchError::Network(describe(&error)),
    }
}
