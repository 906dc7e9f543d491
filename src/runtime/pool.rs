//! The rayon pool on web workers, and the one way the UI uses it: send a job with
//! `rayon::spawn`, await its result through a oneshot. The main thread never waits on rayon.
//!
//! The wasm build aborts on panic, so a worker that traps is gone for good and its job never
//! answers. The pool therefore watches its workers' `error` events; when one fires, every job
//! in flight ends with [`PoolLost`] instead of waiting forever. A worker can also stop without
//! a word (hung in a loop, or terminated), so every job has a watchdog too: past its time limit
//! the page gives up on it, and on the pool, the same way.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;

use futures::channel::oneshot;
use futures::future::{select, Either};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use lab_core::execute;

use super::{clock, describe, event_loop};

#[wasm_bindgen(inline_js = r#"
export function watchWorkers(onError) {
  const Native = globalThis.Worker;
  if (!Native || Native.labWatched) return;
  // wasm-bindgen-rayon keeps its workers to itself; wrapping the constructor is the only way
  // to hear when one of them dies.
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('error', (event) => onError(String(event.message || 'a worker stopped')));
    }
  }
  Watched.labWatched = true;
  globalThis.Worker = Watched;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = watchWorkers)]
    fn watch_workers(on_error: &js_sys::Function);
}

/// What the page does when it gives up on the pool.
type OnLost = Rc<dyn Fn(String)>;

thread_local! {
    static READY: Cell<bool> = const { Cell::new(false) };
    static LOST: RefCell<Option<String>> = const { RefCell::new(None) };
    static WAITING: RefCell<Vec<oneshot::Sender<()>>> = const { RefCell::new(Vec::new()) };
    static ON_LOST: RefCell<Option<OnLost>> = const { RefCell::new(None) };
}

/// Gives up on the pool: every job in flight ends with [`PoolLost`], later ones fail at once,
/// and the page is told why (the first reason is kept).
fn lose(message: String) {
    let first = LOST.with(|lost| lost.borrow().is_none());
    LOST.with(|lost| {
        lost.borrow_mut().get_or_insert_with(|| message.clone());
    });
    WAITING.with(|waiting| {
        for job in waiting.borrow_mut().drain(..) {
            let _ = job.send(());
        }
    });
    if first {
        if let Some(on_lost) = ON_LOST.with(|on_lost| on_lost.borrow().clone()) {
            on_lost(message);
        }
    }
}

/// Starts `threads` web workers as rayon's global pool; resolves with how long it took (ms).
/// `on_lost` is called (on the main thread) if a worker dies later.
pub async fn start(threads: usize, on_lost: impl Fn(String) + 'static) -> Result<f64, String> {
    ON_LOST.with(|slot| *slot.borrow_mut() = Some(Rc::new(on_lost)));
    let on_error = Closure::<dyn Fn(String)>::new(lose);
    watch_workers(on_error.as_ref().unchecked_ref());
    // The watch lasts as long as the page.
    on_error.forget();
    let began = clock::now_ms();
    JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads))
        .await
        .map_err(|e| format!("the worker pool did not start: {}", describe(&e)))?;
    READY.set(true);
    Ok(clock::now_ms() - began)
}

/// `work(input)` on the pool when this page has one, leaving the main thread free meanwhile;
/// here when it has none, or the pool was lost on the way (then with a copy of `input`, if the
/// lost worker still holds it). For what a finished run needs computed before it is shown.
pub async fn or_here<I, T>(single_thread_ms: f64, input: I, work: fn(I) -> T) -> T
where
    I: Clone + Send + Sync + 'static,
    T: Send + 'static,
{
    let input = Arc::new(input);
    if READY.get() && LOST.with(|lost| lost.borrow().is_none()) {
        let shared = Arc::clone(&input);
        if let Ok(done) = run(single_thread_ms, move || work(Arc::unwrap_or_clone(shared))).await {
            return done;
        }
    }
    work(Arc::unwrap_or_clone(input))
}

/// Runs `job` on the pool and resolves with its result, leaving the main thread free meanwhile.
/// One thread would take about `single_thread_ms` for it; past its watchdog limit
/// ([`execute::watchdog_ms`]) the page gives up on it, and on the pool.
pub async fn run<T, F>(single_thread_ms: f64, job: F) -> Result<T, PoolLost>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    submit(single_thread_ms, job).await
}

/// Sends `job` to the pool now (not when the future is first polled) and returns the future of
/// its result: a pipeline hands work over at once and awaits it later. Watched as [`run`] says.
// snippet: submit
pub fn submit<T, F>(single_thread_ms: f64, job: F) -> impl Future<Output = Result<T, PoolLost>>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let lost_already = LOST.with(|lost| lost.borrow().is_some());
    // snippet: submit-shape
    let (sender, receiver) = oneshot::channel();
    if !lost_already {
        rayon::spawn(move || {
            // The receiver only goes away when the page gave up on the job.
            let _ = sender.send(job());
        });
    }
    // end snippet
    let (lost_sender, lost) = oneshot::channel();
    WAITING.with(|waiting| {
        let mut waiting = waiting.borrow_mut();
        waiting.retain(|job| !job.is_canceled());
        waiting.push(lost_sender);
    });
    let limit_ms = execute::watchdog_ms(single_thread_ms);
    async move {
        if lost_already {
            return Err(PoolLost);
        }
        let watchdog = event_loop::deadline(limit_ms);
        match select(select(receiver, lost), watchdog).await {
            Either::Left((Either::Left((Ok(result), _)), _)) => Ok(result),
            Either::Left(_) => Err(PoolLost),
            Either::Right(_) => {
                lose(format!(
                    "a job gave no answer within {:.0} s, {}× what one thread should take: a \
                     worker hung or stopped",
                    limit_ms / 1000.0,
                    execute::WATCHDOG_FACTOR
                ));
                Err(PoolLost)
            }
        }
    }
}
// end snippet

/// The job never answered: a worker is gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolLost;

impl std::fmt::Display for PoolLost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match LOST.with(|lost| lost.borrow().clone()) {
            Some(why) => write!(f, "the worker pool was lost ({why}): reload the page"),
            None => f.write_str("the worker pool was lost: reload the page"),
        }
    }
}
