//! The glossary at the foot of every page, and the links from a term where it is used to its
//! entry, with its meaning as a tooltip.

use lab_core::glossary::{find, GLOSSARY};
use leptos::prelude::*;

/// Every term and what it means; each entry is the target of the links to it.
#[component]
pub fn Glossary() -> impl IntoView {
    view! {
        <section class="glossary" id="glossary" data-testid="glossary" aria-labelledby="glossary-title">
            <h2 id="glossary-title">"Words used here"</h2>
            <dl>
                {GLOSSARY
                    .iter()
                    .map(|t| {
                        view! {
                            <div class="glossary-entry" id=format!("term-{}", t.id)>
                                <dt>{t.term}</dt>
                                <dd>{t.meaning}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}

/// `text`, linked to the glossary entry of the term `id`, its meaning as a tooltip.
pub fn term(id: &'static str, text: &'static str) -> impl IntoView {
    let meaning = find(id).map(|t| t.meaning);
    view! { <a class="term" href=format!("#term-{id}") title=meaning data-term=id>{text}</a> }
}
