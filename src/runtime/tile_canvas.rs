//! The canvas the image kernels draw on, tile by tile as the tasks finish: the work arriving out
//! of order is the work stealing, made visible. The image component registers the page's canvas
//! with the page's state, and a CPU run takes it from there.

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::StreamExt;
use lab_core::kernel::Tile;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::clock;
use super::meter::next_frame;

/// Main-thread time a frame may spend drawing tiles, in ms; the rest wait for the next frame.
/// While the workers take every core, the main thread runs slower, and drawing every tile that
/// arrived at once was enough to make a long task.
const DRAW_BUDGET_MS: f64 = 4.0;

/// A canvas that image kernels draw on, tile by tile.
#[derive(Clone, Debug)]
pub struct TileCanvas(HtmlCanvasElement);

impl TileCanvas {
    /// Draws on `canvas`.
    pub fn new(canvas: HtmlCanvasElement) -> TileCanvas {
        TileCanvas(canvas)
    }

    /// Prepares the canvas for a `width` × `height` image and returns where tiles go. Tiles are
    /// drawn once a frame, as many as fit [`DRAW_BUDGET_MS`].
    pub fn begin(&self, width: u32, height: u32) -> Option<UnboundedSender<Tile>> {
        let canvas = &self.0;
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
    pub fn show(&self, width: u32, height: u32, mut tiles: UnboundedReceiver<Tile>) {
        if let Some(canvas) = self.begin(width, height) {
            while let Ok(tile) = tiles.try_recv() {
                let _ = canvas.unbounded_send(tile);
            }
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
