//! The runs this browser keeps, in IndexedDB: each finished run's export (settings,
//! environment, summaries and spans) in the store `runs`, and its [`Entry`] in the store
//! `entries`, under one key. What to keep, what to evict and what a list says are decided by
//! `lab_core::history`; this is only the storage.
//!
//! Every transaction issues all its requests at once and then awaits its end. It never awaits a
//! request and goes on in the same transaction: under the threaded build's executor a transaction
//! may commit between the two (wasm-bindgen#3798).

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use lab_core::history::{self, Entry};
use lab_core::import;
use lab_core::schema::Export;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

use super::{describe, pool};

const DATABASE: &str = "async-vs-parallel-lab";
const VERSION: u32 = 1;
const RUNS: &str = "runs";
const ENTRIES: &str = "entries";

/// What keeping a run did.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    /// The run's key, for a `reopen` link.
    pub key: u64,
    /// How many older runs were dropped to make room.
    pub evicted: usize,
}

/// Keeps `export` (a finished run) in the history, dropping the oldest runs beyond the budget.
/// The run is written as JSON on the pool where the page has one: for a flood of 100,000
/// requests that is hundreds of milliseconds the main thread would otherwise spend at once.
pub async fn keep(export: Export, cancelled: bool) -> Result<Kept, String> {
    // A guess of what one thread takes (about 100 ms a million spans and requests), for the
    // job's watchdog.
    let expected_ms = export.runs.iter().map(|r| r.spans.len()).sum::<usize>() as f64 * 2e-4;
    let (json, export) = pool::or_here(expected_ms, export, |export| {
        serde_json::to_string(&export).map(|json| (json, export))
    })
    .await
    .map_err(|e| e.to_string())?;
    let export = &export;
    let bytes = json.len() as u64;
    let database = open().await?;
    let entries = read_entries(&database).await?;
    let now_ms = js_sys::Date::now() as u64;
    let plan =
        history::plan(&entries, bytes, now_ms, history::BUDGET_BYTES).map_err(|e| e.to_string())?;
    let saved_at = String::from(js_sys::Date::new_0().to_iso_string());
    let entry = Entry::of(plan.key, saved_at, export, bytes, cancelled);
    let entry_json = serde_json::to_string(&entry).map_err(|e| e.to_string())?;
    let (transaction, runs, listed) = write(&database)?;
    for old in &plan.evict {
        runs.delete(&key(*old)).map_err(|e| describe(&e))?;
        listed.delete(&key(*old)).map_err(|e| describe(&e))?;
    }
    // Kept as bytes: the browser copies them as they are, where a string of a flood's run (tens
    // of megabytes) was decoded and then cloned on the main thread, hundreds of milliseconds.
    let kept = js_sys::Uint8Array::new_from_slice(json.as_bytes());
    drop(json);
    runs.put_with_key(&kept, &key(plan.key))
        .map_err(|e| describe(&e))?;
    listed
        .put_with_key(&JsValue::from_str(&entry_json), &key(plan.key))
        .map_err(|e| describe(&e))?;
    committed(&transaction).await?;
    Ok(Kept {
        key: plan.key,
        evicted: plan.evict.len(),
    })
}

/// Every kept run's entry, newest first.
pub async fn entries() -> Result<Vec<Entry>, String> {
    let mut entries = read_entries(&open().await?).await?;
    entries.sort_by_key(|e| std::cmp::Reverse(e.key));
    Ok(entries)
}

/// The kept run `key`, read back and checked as an imported file is.
pub async fn load(run: u64) -> Result<Export, String> {
    let database = open().await?;
    let transaction = database
        .transaction_with_str(RUNS)
        .map_err(|e| describe(&e))?;
    let request = transaction
        .object_store(RUNS)
        .and_then(|store| store.get(&key(run)))
        .map_err(|e| describe(&e))?;
    let value = settled(&request).await?;
    // Kept as bytes; a run kept by an earlier build, as a string.
    let json = match value.dyn_into::<js_sys::Uint8Array>() {
        Ok(bytes) => bytes.to_vec(),
        Err(value) => value
            .as_string()
            .ok_or_else(|| format!("no run with key {run} is kept in this browser"))?
            .into_bytes(),
    };
    import::read_export(&json).map_err(|e| e.to_string())
}

/// Forgets the kept run `key`.
pub async fn delete(run: u64) -> Result<(), String> {
    let database = open().await?;
    let (transaction, runs, listed) = write(&database)?;
    runs.delete(&key(run)).map_err(|e| describe(&e))?;
    listed.delete(&key(run)).map_err(|e| describe(&e))?;
    committed(&transaction).await
}

/// Forgets every kept run.
pub async fn clear() -> Result<(), String> {
    let database = open().await?;
    let (transaction, runs, listed) = write(&database)?;
    runs.clear().map_err(|e| describe(&e))?;
    listed.clear().map_err(|e| describe(&e))?;
    committed(&transaction).await
}

fn key(run: u64) -> JsValue {
    JsValue::from_f64(run as f64)
}

thread_local! {
    /// The database, once opened: every later call of this page reuses it.
    static OPENED: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

async fn open() -> Result<IdbDatabase, String> {
    if let Some(database) = OPENED.with(|opened| opened.borrow().clone()) {
        return Ok(database);
    }
    let database = open_anew().await?;
    OPENED.with(|opened| *opened.borrow_mut() = Some(database.clone()));
    Ok(database)
}

async fn open_anew() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|e| describe(&e))?
        .ok_or("this browser offers no IndexedDB to this page")?;
    let request = factory
        .open_with_u32(DATABASE, VERSION)
        .map_err(|e| describe(&e))?;
    let upgrading = request.clone();
    let upgrade = Closure::<dyn FnMut()>::new(move || {
        if let Ok(database) = upgrading.result() {
            let database: IdbDatabase = database.unchecked_into();
            for store in [RUNS, ENTRIES] {
                if !database.object_store_names().contains(store) {
                    let _ = database.create_object_store(store);
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let database = settled(&request).await;
    request.set_onupgradeneeded(None);
    database.map(JsCast::unchecked_into)
}

async fn read_entries(database: &IdbDatabase) -> Result<Vec<Entry>, String> {
    let transaction = database
        .transaction_with_str(ENTRIES)
        .map_err(|e| describe(&e))?;
    let request = transaction
        .object_store(ENTRIES)
        .and_then(|store| store.get_all())
        .map_err(|e| describe(&e))?;
    let all: js_sys::Array = settled(&request).await?.unchecked_into();
    // An entry this version cannot read is skipped, not fatal: the rest still list.
    Ok(all
        .iter()
        .filter_map(|value| value.as_string())
        .filter_map(|json| serde_json::from_str(&json).ok())
        .collect())
}

/// A read-write transaction over both stores, and the two stores.
fn write(
    database: &IdbDatabase,
) -> Result<
    (
        IdbTransaction,
        web_sys::IdbObjectStore,
        web_sys::IdbObjectStore,
    ),
    String,
> {
    let names = js_sys::Array::of2(&RUNS.into(), &ENTRIES.into());
    let transaction = database
        .transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)
        .map_err(|e| describe(&e))?;
    let runs = transaction.object_store(RUNS).map_err(|e| describe(&e))?;
    let listed = transaction
        .object_store(ENTRIES)
        .map_err(|e| describe(&e))?;
    Ok((transaction, runs, listed))
}

/// The result of `request`, once it succeeds or fails.
async fn settled(request: &IdbRequest) -> Result<JsValue, String> {
    let failed = request.clone();
    let succeeded = request.clone();
    let outcome = outcome(
        move || succeeded.result().map_err(|e| describe(&e)),
        move || error_of(failed.error().ok().flatten()),
    );
    request.set_onsuccess(Some(outcome.on_ok.as_ref().unchecked_ref()));
    request.set_onerror(Some(outcome.on_error.as_ref().unchecked_ref()));
    let result = outcome.wait().await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    result
}

/// Resolves when `transaction` has committed (its data is on disk), or says why it did not.
async fn committed(transaction: &IdbTransaction) -> Result<(), String> {
    let failed = transaction.clone();
    let outcome = outcome(|| Ok(JsValue::UNDEFINED), move || error_of(failed.error()));
    transaction.set_oncomplete(Some(outcome.on_ok.as_ref().unchecked_ref()));
    transaction.set_onerror(Some(outcome.on_error.as_ref().unchecked_ref()));
    transaction.set_onabort(Some(outcome.on_error.as_ref().unchecked_ref()));
    let result = outcome.wait().await;
    transaction.set_oncomplete(None);
    transaction.set_onerror(None);
    transaction.set_onabort(None);
    result.map(|_| ())
}

fn error_of(error: Option<web_sys::DomException>) -> String {
    error.map_or_else(
        || "the browser's storage refused".to_owned(),
        |e| format!("{} ({})", e.message(), e.name()),
    )
}

/// Two event handlers, one for success and one for failure, and the first outcome either saw.
struct Outcome {
    on_ok: Closure<dyn FnMut()>,
    on_error: Closure<dyn FnMut()>,
    receiver: oneshot::Receiver<Result<JsValue, String>>,
}

impl Outcome {
    async fn wait(self) -> Result<JsValue, String> {
        let Outcome {
            receiver,
            on_ok,
            on_error,
        } = self;
        let result = receiver
            .await
            .unwrap_or_else(|_| Err("the browser's storage never answered".to_owned()));
        drop((on_ok, on_error));
        result
    }
}

fn outcome(
    ok: impl Fn() -> Result<JsValue, String> + 'static,
    error: impl Fn() -> String + 'static,
) -> Outcome {
    let (sender, receiver) = oneshot::channel();
    let sender = Rc::new(RefCell::new(Some(sender)));
    let ok_sender = sender.clone();
    let on_ok = Closure::<dyn FnMut()>::new(move || {
        if let Some(sender) = ok_sender.borrow_mut().take() {
            let _ = sender.send(ok());
        }
    });
    let on_error = Closure::<dyn FnMut()>::new(move || {
        if let Some(sender) = sender.borrow_mut().take() {
            let _ = sender.send(Err(error()));
        }
    });
    Outcome {
        on_ok,
        on_error,
        receiver,
    }
}
