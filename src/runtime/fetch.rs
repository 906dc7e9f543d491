//! One GET through the browser's network stack, awaited on the event loop:
//! `JsFuture::from(window.fetch(...)).await`. The thread is free while the request is out.
//!
//! In the threaded build every wake of a Rust future is a task of its own (the executor waits
//! with `Atomics.waitAsync`), so each `.await` costs one more trip through the event loop. The
//! response and its body are therefore read in one small JavaScript promise chain, which also
//! notes when the headers and the last byte reached the page's code: one wake per request, and
//! times that do not include the executor's delay (recorded apart, as the resume delay).

use js_sys::JsString;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

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
    /// The body itself, when asked for with [`get_body`].
    pub body: Option<Vec<u8>>,
    /// The simulated server's account of the request, when it was the one that answered.
    pub simulated: Option<Simulated>,
}

impl Answer {
    /// True for a 2xx status.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// What the simulated server's headers said (its protocol is written in `static/sim-server.js`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Simulated {
    /// `x-lab-queue-ms`: waiting for a free slot on the server.
    pub queue_ms: Option<f64>,
    /// `x-lab-service-ms`: in service.
    pub service_ms: Option<f64>,
    /// `x-lab-error: injected`: a failure the server was asked to make.
    pub injected: bool,
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
    fetch(&url.into(), None, signal, false).await
}

/// Like [`get`], for one of a run's many requests: `address` stays a JavaScript string, so
/// thousands of requests do not each copy it out of wasm memory, and `id`, when given, is
/// appended to it there.
pub async fn get_from(
    address: &JsString,
    id: Option<u32>,
    signal: &AbortSignal,
) -> Result<Answer, FetchError> {
    fetch(address, id, signal, false).await
}

/// Like [`get`], and keeps the body's bytes for processing.
pub async fn get_body(url: &str, signal: &AbortSignal) -> Result<Answer, FetchError> {
    fetch(&url.into(), None, signal, true).await
}

async fn fetch(
    url: &JsString,
    id: Option<u32>,
    signal: &AbortSignal,
    keep_body: bool,
) -> Result<Answer, FetchError> {
    // snippet: fetch
    let read: BodyRead = JsFuture::from(fetch_body(url, id, signal))
        .await
        .map_err(classify)?
        .unchecked_into();
    // end snippet
    let simulated = read.simulated().then(|| Simulated {
        queue_ms: Some(read.queue_ms()).filter(|v| v.is_finite()),
        service_ms: Some(read.service_ms()).filter(|v| v.is_finite()),
        injected: read.injected(),
    });
    Ok(Answer {
        status: read.status(),
        headers_at_ms: read.headers_at(),
        body_at_ms: read.body_at(),
        body: keep_body.then(|| js_sys::Uint8Array::new(&read.body()).to_vec()),
        simulated,
    })
}

// Everything a request needs from JavaScript is done in one promise chain, headers included,
// and handed back as plain numbers: a call out of wasm and a string copied across it for each
// header cost the main thread more per request than the rest of the lab's handling.
// snippet: fetch-js
#[wasm_bindgen(inline_js = "
const now = () => performance.timeOrigin + performance.now();
export function fetch_body(base, id, signal) {
  const url = id === undefined ? base : base + id;
  const init = { cache: 'no-store', credentials: 'omit', signal };
  return fetch(url, init).then((response) => {
    const headersAt = now();
    return response.arrayBuffer().then((body) => read(response, body, headersAt, now()));
  });
}
// end snippet
function read(response, body, headersAt, bodyAt) {
  const answer = { status: response.status, body, headersAt, bodyAt, simulated: false };
  const headers = response.headers;
  if (headers.get('x-lab-sim') !== null) {
    answer.simulated = true;
    answer.queueMs = Number(headers.get('x-lab-queue-ms') ?? NaN);
    answer.serviceMs = Number(headers.get('x-lab-service-ms') ?? NaN);
    answer.injected = !response.ok && headers.get('x-lab-error') === 'injected';
  }
  return answer;
}")]
extern "C" {
    /// `fetch(base + id)`, then the body as an `ArrayBuffer` and the simulated server's
    /// headers, in one promise.
    fn fetch_body(base: &JsString, id: Option<u32>, signal: &AbortSignal) -> js_sys::Promise;

    /// What [`fetch_body`] resolves with.
    type BodyRead;
    #[wasm_bindgen(method, getter)]
    fn status(this: &BodyRead) -> u16;
    #[wasm_bindgen(method, getter)]
    fn body(this: &BodyRead) -> js_sys::ArrayBuffer;
    #[wasm_bindgen(method, getter = headersAt)]
    fn headers_at(this: &BodyRead) -> f64;
    #[wasm_bindgen(method, getter = bodyAt)]
    fn body_at(this: &BodyRead) -> f64;
    #[wasm_bindgen(method, getter)]
    fn simulated(this: &BodyRead) -> bool;
    #[wasm_bindgen(method, getter = queueMs)]
    fn queue_ms(this: &BodyRead) -> f64;
    #[wasm_bindgen(method, getter = serviceMs)]
    fn service_ms(this: &BodyRead) -> f64;
    #[wasm_bindgen(method, getter)]
    fn injected(this: &BodyRead) -> bool;
}

fn classify(error: wasm_bindgen::JsValue) -> FetchError {
    match error.dyn_ref::<web_sys::DomException>().map(|e| e.name()) {
        Some(name) if name == "AbortError" => FetchError::Aborted,
        Some(name) if name == "TimeoutError" => FetchError::Timeout,
        _ => FetchError::Network(describe(&error)),
    }
}
