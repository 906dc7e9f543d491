//! Part of a view drawn one task after the rest: a flood's timeline is tens of milliseconds of
//! drawing, better not added to the task that draws its numbers.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::runtime::event_loop;

/// Draws `children` one task after the view around them when `defer`, with `note` in their
/// place meanwhile; at once otherwise.
#[component]
pub fn NextTask(defer: bool, note: &'static str, children: Children) -> impl IntoView {
    if !defer {
        return children().into_any();
    }
    let ready = RwSignal::new(false);
    spawn_local(async move {
        event_loop::in_next_task(|| ()).await;
        // The view may be gone by then (another run replaced it).
        let _ = ready.try_set(true);
    });
    let mut children = Some(children);
    (move || match ready.get() {
        true => children.take().map(|children| children()).into_any(),
        false => view! { <p class="note" data-testid="drawn-next">{note}</p> }.into_any(),
    })
    .into_any()
}
