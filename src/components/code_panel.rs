//! The Rust that actually ran, cut from the real source at build time (`build.rs` and
//! `// snippet:` markers), so it cannot drift from the code; beside it, the C# shape the idea
//! is usually taught with.

use leptos::prelude::*;

/// Every snippet of the quoted files as `(file, name, code)`, cut by `build.rs` when the app was
/// built: only these lines ship, not the files they come from.
const SNIPPETS: &[(&str, &str, &str)] = include!(concat!(env!("OUT_DIR"), "/snippets.rs"));

/// The code of snippet `name` in `file`, if `build.rs` found it there.
fn code(file: &str, name: &str) -> Option<&'static str> {
    SNIPPETS
        .iter()
        .find(|(f, n, _)| *f == file && *n == name)
        .map(|(_, _, code)| *code)
}

/// One snippet: which file, which marker.
#[derive(Clone, Copy, Debug)]
pub struct Snippet {
    /// The file, as `build.rs` lists it.
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
            let whole = code(snippet.file, snippet.name).unwrap_or_default();
            let shape = code(snippet.file, &format!("{}-shape", snippet.name));
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
