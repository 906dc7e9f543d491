//! The image a kernel renders: a canvas, registered with the page's state so that a CPU run
//! can draw its tiles on it ([`TileCanvas`]).

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::runtime::tile_canvas::TileCanvas;
use crate::state::LabState;

/// The canvas the image kernels draw on.
#[component]
pub fn ImageCanvas() -> impl IntoView {
    let state = expect_context::<LabState>();
    let node = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        if let Some(canvas) = node.get() {
            state.show_tiles_on(Some(TileCanvas::new(canvas)));
        }
    });
    on_cleanup(move || state.show_tiles_on(None));
    view! {
        <figure class="image-output">
            <canvas node_ref=node data-testid="cpu-image" width="1" height="1" aria-label="The rendered image"></canvas>
            <figcaption>"Tiles appear as the workers finish them. A sweep draws its image after the timing, so drawing takes no time from the workers."</figcaption>
        </figure>
    }
}
