//! N requests in flight at once, all issued from the main thread and awaited on the event loop.

use futures::future::join_all;
use lab_core::span::{Lane, Span};

use super::{Cancel, Progress};
use crate::runtime::{clock, fetch, microtask};

/// The file the quick comparison fetches: one of the app's own static files.
pub const STATIC_FILE: &str = "static/payload-16k.txt";

/// What an async batch measured.
#[derive(Clone, Debug)]
pub struct IoBatch {
    /// One span per request on lane `io-<slot>`, relative to `start_ms`.
    pub spans: Vec<Span>,
    /// Submission time on the shared clock.
    pub start_ms: f64,
    /// From submission to the last body.
    pub wall_ms: f64,
    /// The first error each distinct kind produced, for the page to explain.
    pub errors: Vec<String>,
}

/// Issues `n` GETs of `url` at once and awaits them all, polled from microtasks as the I/O lab's
/// loop is ([`microtask::on_microtasks`]): each body's end is taken in the task that delivered it.
pub async fn run(n: u32, url: &str, progress: &Progress, cancel: &Cancel) -> IoBatch {
    let (url, progress, cancel) = (url.to_owned(), progress.clone(), cancel.clone());
    microtask::on_microtasks(async move { measure(n, &url, &progress, &cancel).await }).await
}

async fn measure(n: u32, url: &str, progress: &Progress, cancel: &Cancel) -> IoBatch {
    let signal = cancel.signal();
    let start_ms = clock::now_ms();
    let requests = (0..n).map(|slot| {
        let signal = &signal;
        async move {
            let began = clock::now_ms();
            let answer = fetch::get(url, signal).await;
            let ended = answer
                .as_ref()
                .map_or_else(|_| clock::now_ms(), |a| a.body_at_ms);
            let result = match answer {
                Ok(answer) if answer.ok() => Ok(()),
                Ok(answer) => Err(format!("HTTP {}", answer.status)),
                Err(error) => Err(error.to_string()),
            };
            progress.tick();
            (slot, began, ended, result)
        }
    });
    let results = join_all(requests).await;
    let wall_ms = clock::now_ms() - start_ms;
    let mut errors: Vec<String> = Vec::new();
    let spans = results
        .into_iter()
        .map(|(slot, began, ended, result)| {
            if let Err(text) = &result {
                if !errors.contains(text) {
                    errors.push(text.clone());
                }
            }
            Span {
                id: slot,
                lane: Lane::Io(slot),
                start_ms: began - start_ms,
                end_ms: ended - start_ms,
                ok: result.is_ok(),
            }
        })
        .collect();
    IoBatch {
        spans,
        start_ms,
        wall_ms,
        errors,
    }
}
