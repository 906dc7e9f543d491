//! The image a kernel renders, drawn tile by tile as the tasks finish: the work arriving
//! out of order is the work stealing, made visible.

use std::cell::RefCell;

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::StreamExt;
use lab_core::kernel::Tile;
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::runtime::clock;
use crate::runtime::meter::next_frame;

thread_local! {
    static CANVAS: RefCell<Option<HtmlCanvasElement>> = const { RefCell::new(None) };
}

/// Main-thread time a frame may spend drawing tiles, in ms; the rest wait for the next frame.
/// While the workers take every core, the main thread runs slower, and drawing every tile that
/// arrived at once was enough to make a long task.
const DRAW_BUDGET_MS: f64 = 4.0;

/// Prepares the canvas for a `width` × `height` image and returns where tiles go, if the
/// page shows a canvas. Tiles are drawn once a frame, as many as fit [`DRAW_BUDGET_MS`].
pub fn begin(width: u32, height: u32) -> Option<UnboundedSender<Tile>> {
    let canvas = CANVAS.with(|c| c.borrow().clone())?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context.clear_rect(0.0, 0.0, f64::from(width), f64::from(height));
    let (sender, mut receiver) = unbounded::<Tile>();
    leptos::task::spawn_local(async move {
        while let Some(first) = receiver.next().await {
            let began = clock::now_ms();
            draw(&context, &first);
            while clock::now_ms() - began < DRAW_BUDGET_MS {
                let Ok(tile) = receiver.try_recv() else {
                    break;
                };
                draw(&context, &tile);
            }
            next_frame().await;
        }
    });
    Some(sender)
}

/// Draws an image whose tiles were kept while it was being timed, within the same per-frame
/// budget as live tiles.
pub fn show(width: u32, height: u32, mut tiles: UnboundedReceiver<Tile>) {
    if let Some(canvas) = begin(width, height) {
        while let Ok(tile) = tiles.try_recv() {
            let _ = canvas.unbounded_send(tile);
        }
    }
}

fn draw(context: &CanvasRenderingContext2d, tile: &Tile) {
    if tile.width == 0 || tile.height == 0 {
        return;
    }
    // ImageData refuses views of shared memory (the wasm heap here): copy out first.
    let pixels = js_sys::Uint8ClampedArray::new_with_length(tile.rgba.len() as u32);
    pixels.copy_from(&tile.rgba);
    if let Ok(image) =
        web_sys::ImageData::new_with_js_u8_clamped_array_and_sh(&pixels, tile.width, tile.height)
    {
        let _ = context.put_image_data(&image, f64::from(tile.x), f64::from(tile.y));
    }
}

/// The canvas the image kernels draw on.
#[component]
pub fn ImageCanvas() -> impl IntoView {
    let node = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        if let Some(canvas) = node.get() {
            CANVAS.with(|c| *c.borrow_mut() = Some(canvas));
        }
    });
    on_cleanup(|| CANVAS.with(|c| *c.borrow_mut() = None));
    view! {
        <figure class="image-output">
            <canvas node_ref=node data-testid="cpu-image" width="1" height="1" aria-label="The rendered image"></canvas>
            <figcaption>"Tiles appear as the workers finish them. A sweep draws its image after the timing, so drawing takes no time from the workers."</figcaption>
        </figure>
    }
}
