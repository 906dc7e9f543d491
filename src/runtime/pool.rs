//! The rayon pool on web workers, and the one way the UI uses it: send a job with
//! `rayon::spawn`, await its result through a oneshot. The main thread never waits on rayon.

use futures::channel::oneshot;
use wasm_bindgen_futures::JsFuture;

use super::{clock, describe};

/// Starts `threads` web workers as rayon's global pool; resolves with how long it took (ms).
pub async fn start(threads: usize) -> Result<f64, String> {
    let began = clock::now_ms();
    JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads))
        .await
        .map_err(|e| format!("the worker pool did not start: {}", describe(&e)))?;
    Ok(clock::now_ms() - began)
}

/// Runs `job` on the pool and resolves with its result, leaving the main thread free meanwhile.
pub async fn run<T, F>(job: F) -> Result<T, PoolLost>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (sender, receiver) = oneshot::channel();
    rayon::spawn(move || {
        // The receiver only goes away when the page gave up on the job.
        let _ = sender.send(job());
    });
    receiver.await.map_err(|_| PoolLost)
}

/// The job never answered: its worker is gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolLost;

impl std::fmt::Display for PoolLost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the worker pool was lost: reload the page")
    }
}
