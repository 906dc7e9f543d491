//! Runs from exported files, or from the browser's history, laid beside this page's: pick one or
//! more files, or a kept run; each is checked by `lab_core::import` (a refused file says why, and
//! nothing on the page changes); every run is then a row of one table, with where it was
//! measured and its throughput against the page's run of the same label. The sweep charts draw
//! their runs too ([`super::overlay`]).

use lab_core::compare::{self, CompareRow};
use lab_core::format;
use lab_core::history::Entry;
use lab_core::import::{self, ImportError};
use lab_core::schema::Export;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::runtime::history;
use crate::state::LabState;

/// The file picker, what it refused, and the table.
#[component]
pub fn Compare() -> impl IntoView {
    let state = expect_context::<LabState>();
    let files = state.compared();
    let refused = RwSignal::new(Vec::<String>::new());
    let load = move |picked: Vec<web_sys::File>| {
        spawn_local(async move {
            let (mut loaded, mut errors) = (Vec::new(), Vec::new());
            for file in picked {
                let name = file.name();
                match read(&file).await {
                    Ok(export) => loaded.push((name, export)),
                    Err(message) => errors.push(format!("{name}: {message}")),
                }
            }
            refused.set(errors);
            state.compare_with(loaded);
        });
    };
    let pick = move |event: web_sys::Event| {
        let Some(input) = target::<web_sys::HtmlInputElement>(&event) else {
            return;
        };
        load(listed(input.files()));
        // Picking the same file again is a change too.
        input.set_value("");
    };
    // Files dropped anywhere on the strip are read as if picked.
    let drop = move |event: web_sys::DragEvent| {
        event.prevent_default();
        load(listed(event.data_transfer().and_then(|data| data.files())));
    };
    // The kept runs, listed again whenever a run is kept.
    let kept_runs = RwSignal::new(Vec::<Entry>::new());
    Effect::new(move |_| {
        state.kept().track();
        spawn_local(async move { kept_runs.set(history::entries().await.unwrap_or_default()) });
    });
    let pick_kept = move |event: web_sys::Event| {
        let Some(select) = target::<web_sys::HtmlSelectElement>(&event) else {
            return;
        };
        let Ok(key) = select.value().parse::<u64>() else {
            return;
        };
        select.set_value("");
        let name = kept_runs.with_untracked(|all| {
            all.iter()
                .find(|e| e.key == key)
                .map(|e| format!("kept {} ({})", e.saved_minute(), e.lab))
        });
        spawn_local(async move {
            let name = name.unwrap_or_else(|| format!("kept run {key}"));
            match history::load(key).await {
                Ok(export) => {
                    refused.set(Vec::new());
                    state.compare_with(vec![(name, export)]);
                }
                Err(message) => refused.set(vec![format!("{name}: {message}")]),
            }
        });
    };
    let rows = Memo::new(move |_| {
        state.runs().track();
        files.with(|files| compare::rows(&state.export(), files))
    });
    let resolution = move || state.environment().with(|e| e.timer_resolution_ms);
    view! {
        <section
            class="compare"
            aria-label="Compare with other files"
            data-testid="compare"
            on:dragover=|event: web_sys::DragEvent| event.prevent_default()
            on:drop=drop
        >
            <label class="compare-pick">
                "Compare with exported files (pick or drop them here): "
                <input
                    type="file"
                    accept=".json,application/json"
                    multiple
                    data-testid="import-files"
                    on:change=pick
                />
            </label>
            <Show when=move || !kept_runs.with(Vec::is_empty)>
                <label class="compare-pick">
                    "or a kept run: "
                    <select data-testid="compare-history" on:change=pick_kept>
                        <option value="">"choose…"</option>
                        <For each=move || kept_runs.get() key=|e| e.key let:entry>
                            <option value=entry.key.to_string()>
                                {format!("{} · {} · {}", entry.saved_minute(), entry.lab, entry.browser)}
                            </option>
                        </For>
                    </select>
                </label>
            </Show>
            <Show when=move || !files.with(Vec::is_empty)>
                <button class="secondary" data-testid="clear-imports" on:click=move |_| state.clear_compared()>
                    "Remove the files"
                </button>
            </Show>
            {move || {
                let errors = refused.get();
                (!errors.is_empty())
                    .then(|| {
                        view! {
                            <ul class="problem import-errors" role="alert" data-testid="import-error">
                                {errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                            </ul>
                        }
                    })
            }}
            <Show when=move || !files.with(Vec::is_empty)>
                <div class="table-scroll" tabindex="0">
                    <table class="compare-table" data-testid="compare-table">
                        <caption>
                            "Every run on this page and in the files. The last column is a run's throughput over "
                            "that of this page's run with the same label."
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">"From"</th>
                                <th scope="col">"Browser"</th>
                                <th scope="col">"Threads"</th>
                                <th scope="col">"Exported (UTC)"</th>
                                <th scope="col">"Run"</th>
                                <th scope="col">"Wall time"</th>
                                <th scope="col">"Throughput"</th>
                                <th scope="col">"p50"</th>
                                <th scope="col">"p99"</th>
                                <th scope="col">"Throughput vs this page"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                rows.get()
                                    .into_iter()
                                    .map(|row| row_view(row, resolution()))
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

fn row_view(row: CompareRow, resolution_ms: f64) -> impl IntoView {
    let ms = move |value: Option<f64>| {
        value.map_or_else(|| "—".to_owned(), |v| format::ms(v, resolution_ms))
    };
    let ratio = row
        .throughput_ratio
        .map_or_else(|| "—".to_owned(), |r| format!("{r:.2}×"));
    let source = row.source.clone();
    view! {
        <tr data-source=source>
            <td>{row.source}</td>
            <td>{row.browser}</td>
            <td>{row.hardware_threads}</td>
            <td>{row.date}</td>
            <td>{row.label}</td>
            <td data-key="wall_ms" data-value=row.wall_ms.to_string()>{ms(Some(row.wall_ms))}</td>
            <td data-key="throughput_per_s" data-value=row.throughput_per_s.to_string()>
                {format::rate(row.throughput_per_s)}
            </td>
            <td data-key="p50_ms">{ms(row.p50_ms)}</td>
            <td data-key="p99_ms">{ms(row.p99_ms)}</td>
            <td data-key="ratio">{ratio}</td>
        </tr>
    }
}

/// The element an event happened on, as the kind of element it must be.
fn target<T: JsCast>(event: &web_sys::Event) -> Option<T> {
    event.target()?.dyn_into::<T>().ok()
}

/// The files of a picker or a drop, in order.
fn listed(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default()
}

/// Reads and checks one picked file.
async fn read(file: &web_sys::File) -> Result<Export, String> {
    let size = file.size();
    if size > import::MAX_FILE_BYTES as f64 {
        return Err(ImportError::TooBig(size as u64).to_string());
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "the browser could not read the file".to_owned())?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    import::read_export(&bytes).map_err(|error| error.to_string())
}
