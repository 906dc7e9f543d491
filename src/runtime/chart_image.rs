//! A chart as a file of its own: its SVG with the page's computed styles written into it, so it
//! looks as drawn (in the theme it was drawn in) wherever it is opened, or that SVG drawn onto a
//! canvas and saved as PNG.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
const SVG = 'http://www.w3.org/2000/svg';
const PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity',
  'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'display'];
export function standalone_svg(svg) {
  const copy = svg.cloneNode(true);
  const drawn = [svg, ...svg.querySelectorAll('*')];
  [copy, ...copy.querySelectorAll('*')].forEach((element, i) => {
    const style = getComputedStyle(drawn[i]);
    element.setAttribute('style', PROPS.map((p) => `${p}:${style.getPropertyValue(p)}`).join(';'));
  });
  const box = svg.viewBox.baseVal;
  copy.setAttribute('xmlns', SVG);
  copy.setAttribute('width', String(box.width));
  copy.setAttribute('height', String(box.height));
  let behind = svg.parentElement;
  while (behind && getComputedStyle(behind).backgroundColor === 'rgba(0, 0, 0, 0)') behind = behind.parentElement;
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', getComputedStyle(behind ?? document.body).backgroundColor);
  copy.insertBefore(background, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}
export function png_of_svg(text, width, height, scale) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const context = canvas.getContext('2d');
      context.scale(scale, scale);
      context.drawImage(image, 0, 0, width, height);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))), 'image/png');
    };
    image.onerror = () => reject(new Error('the chart did not load as an image'));
    image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
  });
}
"#)]
extern "C" {
    /// The chart's SVG as a standalone file, styles inlined, on its panel's background.
    fn standalone_svg(svg: &web_sys::SvgsvgElement) -> String;
    /// That SVG drawn at `scale` times its size, as a PNG blob.
    fn png_of_svg(text: &str, width: f64, height: f64, scale: f64) -> js_sys::Promise;
}

/// The chart as SVG text.
pub fn svg_text(svg: &web_sys::SvgsvgElement) -> String {
    standalone_svg(svg)
}

/// The chart as a PNG, at twice its drawn size (sharp on a high-density screen).
pub async fn png(svg: &web_sys::SvgsvgElement) -> Result<web_sys::Blob, String> {
    let text = standalone_svg(svg);
    let view = svg.view_box().base_val();
    let (width, height) = view.map_or((0.0, 0.0), |b| {
        (f64::from(b.width()), f64::from(b.height()))
    });
    JsFuture::from(png_of_svg(&text, width, height, 2.0))
        .await
        .map(|blob| blob.unchecked_into())
        .map_err(|error| super::describe(&error))
}
