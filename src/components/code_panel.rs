//! The Rust that actually ran, cut from the real source at build time (`include_str!` and
//! `// snippet:` markers), so it cannot drift from the code; beside it, the C# shape the idea
//! is usually taught with.

use lab_core::snippet::extract;
use leptos::prelude::*;

/// The source files snippets come from, as they were when the app was built.
const SOURCES: &[(&str, &str)] = &[
    ("src/runtime/fetch.rs", include_str!("../runtime/fetch.rs")),
    ("src/runtime/pool.rs", include_str!("../runtime/pool.rs")),
    (
        "src/runtime/event_loop.rs",
        include_str!("../runtime/event_loop.rs"),
    ),
    (
        "src/experiments/io_run.rs",
        include_str!("../experiments/io_run.rs"),
    ),
    (
        "src/experiments/cpu_job.rs",
        include_str!("../experiments/cpu_job.rs"),
    ),
    (
        "src/experiments/hybrid.rs",
        include_str!("../experiments/hybrid.rs"),
    ),
    (
        "src/experiments/tradeoff.rs",
        include_str!("../experiments/tradeoff.rs"),
    ),
    (
        "src/labs/wrong/run.rs",
        include_str!("../labs/wrong/run.rs"),
    ),
    (
        "crates/lab-core/src/execute.rs",
        include_str!("../../crates/lab-core/src/execute.rs"),
    ),
];

/// One snippet: which file, which marker.
#[derive(Clone, Copy, Debug)]
pub struct Snippet {
    /// The file, as listed in `SOURCES`.
    pub file: &'static str,
    /// The marker's name.
    pub name: &'static str,
}

/// The Rust beside its C# shape.
#[component]
pub fn CodePanel(
    title: &'static str,
    snippets: Vec<Snippet>,
    csharp: &'static str,
) -> impl IntoView {
    let blocks = snippets
        .into_iter()
        .map(|snippet| {
            let code = SOURCES
                .iter()
                .find(|(file, _)| *file == snippet.file)
                .and_then(|(_, source)| extract(source, snippet.name))
                .unwrap_or_default();
            view! {
                <figure class="code">
                    <figcaption><code>{format!("{} · {}", snippet.file, snippet.name)}</code></figcaption>
                    <pre data-testid="rust-code"><code>{code}</code></pre>
                </figure>
            }
        })
        .collect_view();
    view! {
        <details class="card code-panel" data-testid="code-panel" open>
            <summary>{title}</summary>
            <div class="code-columns">
                <div>
                    <p class="code-lang">"The Rust that ran"</p>
                    {blocks}
                </div>
                <div>
                    <p class="code-lang">"The same shape in C#"</p>
                    <pre data-testid="csharp-code"><code>{csharp}</code></pre>
                </div>
            </div>
        </details>
    }
}
