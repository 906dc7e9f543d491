//! Downloads the page's results: JSON (the format is in the README), and the same runs as CSV
//! (a row per span, or a row per run) and as a Chrome trace for Perfetto or `chrome://tracing`;
//! and copies a link that runs the same settings again.

use lab_core::config::{CpuSweep, Lab, Settings};
use lab_core::schema::Export;
use lab_core::{csv, trace};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::runtime::download::save;
use crate::runtime::pool;
use crate::runtime::url;
use crate::state::LabState;

/// One format the results can be downloaded in.
struct Format {
    /// The button's `data-testid`.
    id: &'static str,
    /// The button's text.
    label: &'static str,
    /// What the file holds, for the button's tooltip.
    title: &'static str,
    /// The end of the file's name, after the lab's name.
    suffix: &'static str,
    mime: &'static str,
    write: fn(&Export) -> String,
}

const JSON: Format = Format {
    id: "export-json",
    label: "Export JSON",
    title: "Download every result on this page as JSON",
    suffix: ".json",
    mime: "application/json",
    write: Export::to_json_pretty,
};

const MORE: [Format; 3] = [
    Format {
        id: "export-spans-csv",
        label: "Spans (CSV)",
        title: "One row per request or task: its run, lane, start, end and whether it succeeded",
        suffix: "-spans.csv",
        mime: "text/csv",
        write: csv::spans_csv,
    },
    Format {
        id: "export-runs-csv",
        label: "Runs (CSV)",
        title: "One row per run (a sweep's levels are its runs): its settings and summary",
        suffix: "-runs.csv",
        mime: "text/csv",
        write: csv::runs_csv,
    },
    Format {
        id: "export-trace",
        label: "Chrome trace",
        title: "Every run as a trace for ui.perfetto.dev or chrome://tracing: a track per lane, \
                and the main thread's frames and blocks",
        suffix: "-trace.json",
        mime: "application/json",
        write: |export| trace::chrome_trace(export).to_string(),
    },
];

/// The export button of the view, and the other formats under "More formats".
#[component]
pub fn ExportButton() -> impl IntoView {
    let state = expect_context::<LabState>();
    // A file being written: its buttons wait, and say so.
    let writing = RwSignal::new(false);
    let button = move |format: &'static Format, class: &'static str| {
        let download = move |_| {
            writing.set(true);
            spawn_local(async move {
                let export = state.export();
                let name = export.file_name(format.suffix);
                save(&name, &written(export, format.write).await, format.mime);
                writing.set(false);
            });
        };
        view! {
            <button
                class=class
                data-testid=format.id
                on:click=download
                disabled=move || state.busy() || writing.get()
                title=format.title
            >
                {format.label}
            </button>
        }
    };
    let more = MORE
        .iter()
        .map(|format| button(format, "secondary"))
        .collect_view();
    view! {
        <div class="exports">
            {button(&JSON, "secondary")}
            <details class="more-exports">
                <summary>"More formats"</summary>
                <div class="export-formats">{more}</div>
            </details>
            <Show when=move || writing.get()>
                <span class="note" data-testid="export-writing">"Writing the file…"</span>
            </Show>
            <CopyLink />
        </div>
    }
}

/// `export` written by `write`: on the pool when there is one, since the JSON of a run of
/// 65,536 tasks took the page 140 ms at once; on the main thread when there is no pool, or it
/// was lost on the way.
async fn written(export: Export, write: fn(&Export) -> String) -> String {
    // About 2 µs a span on one thread, for the job's watchdog.
    let spans = export.runs.iter().map(|r| r.spans.len()).sum::<usize>();
    pool::or_here(spans as f64 * 2e-3, (export, write), |(export, write)| {
        write(&export)
    })
    .await
}

/// Copies a link that runs the settings of the runs on the page again, and shows it.
#[component]
fn CopyLink() -> impl IntoView {
    let state = expect_context::<LabState>();
    let copied = RwSignal::new(None::<(String, bool)>);
    let copy = move |_| {
        let mut settings = state.ran_with();
        settings.autorun = true;
        let link = url::link(&settings.to_query());
        spawn_local(async move {
            let ok = url::copy_to_clipboard(&link).await;
            copied.set(Some((link, ok)));
        });
    };
    view! {
        <button
            class="secondary"
            data-testid="copy-link"
            on:click=copy
            disabled=move || state.busy()
            title="Copy a link that runs these settings again, on any machine"
        >
            "Copy link"
        </button>
        {move || {
            copied
                .get()
                .map(|(link, ok)| {
                    let said = if ok { "Copied: " } else { "Copy this link: " };
                    let baseline = baseline_note(&state.ran_with());
                    view! {
                        <p class="note link-note" data-testid="run-link">
                            {said}
                            <a href=link.clone()>{link.clone()}</a>
                            {baseline.map(|note| view! { " " {note} })}
                        </p>
                    }
                })
        }}
    }
}

/// What a link to `settings` cannot bring along: a single CPU run's speedup is against a
/// one-thread run made earlier on the same page.
fn baseline_note(settings: &Settings) -> Option<&'static str> {
    let single_cpu_run = settings.lab() == Lab::Cpu
        && settings
            .cpu()
            .is_some_and(|cpu| cpu.sweep != Some(CpuSweep::Threads));
    single_cpu_run.then_some(
        "Its speedup, if shown, is against a one-thread run made earlier on the same page: \
         run threads=1 first, or sweep=threads, to see it again.",
    )
}
