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

/// The shape first: the C# the idea is usually taught with, then the few lines of Rust that carry
/// it (a snippet's nested `NAME-shape` marker), with the whole function folded away beneath.
#[component]
pub fn CodePanel(
    title: &'static str,
    snippets: Vec<Snippet>,
    csharp: &'static str,
) -> impl IntoView {
    let blocks = snippets
        .into_iter()
        .map(|snippet| {
            let source = SOURCES
                .iter()
                .find(|(file, _)| *file == snippet.file)
                .map_or("", |(_, source)| source);
            let whole = extract(source, snippet.name).unwrap_or_default();
            let shape = extract(source, &format!("{}-shape", snippet.name));
            let body = match shape {
                Some(shape) => view! {
                    <pre data-testid="rust-code" data-part="shape" tabindex="0"><code>{shape}</code></pre>
                    <details class="whole">
                        <summary>"show the whole function"</summary>
                        <pre data-testid="rust-code" data-part="whole" tabindex="0"><code>{whole}</code></pre>
                    </details>
                }
                .into_any(),
                None => view! {
                    <pre data-testid="rust-code" data-part="whole" tabindex="0"><code>{whole}</code></pre>
                }
                .into_any(),
            };
            view! {
                <figure class="code">
                    <figcaption><code>{format!("{} · {}", snippet.file, snippet.name)}</code></figcaption>
                    {body}
                </figure>
            }
        })
        .collect_view();
    view! {
        <details class="card code-panel" data-testid="code-panel" open>
            <summary>{title}</summary>
            <p class="code-lang">"The shape, in C#"</p>
            <pre data-testid="csharp-code" tabindex="0"><code>{csharp}</code></pre>
            <p class="code-lang">"The lines of Rust that carry it, as they ran here"</p>
            {blocks}
        </details>
    }
}
