//! Mandelbrot: renders the set. Rows through the set cost far more than rows outside it, so an
//! even split of rows is an uneven split of work, which is what a scheduler has to cope with.

use std::ops::Range;

use super::to_u32;

/// Iterations after which a Mandelbrot point counts as inside the set.
pub const MANDEL_MAX_ITER: u32 = 256;

/// The image for a size: `width` pixels wide and two thirds as high, rounded (2w/3 is never
/// exactly half-way).
pub(super) fn image_size(width: u32) -> (u32, u32) {
    let height = (2 * u64::from(width) + 1) / 3;
    (width, to_u32(height).max(1))
}

/// Iterations before the orbit of `c = cx + i·cy` leaves `|z| ≤ 2`, at most [`MANDEL_MAX_ITER`].
fn escape_iterations(cx: f64, cy: f64) -> u32 {
    let (mut x, mut y) = (0.0f64, 0.0f64);
    for i in 0..MANDEL_MAX_ITER {
        let (x2, y2) = (x * x, y * y);
        if x2 + y2 > 4.0 {
            return i;
        }
        y = 2.0 * x * y + cy;
        x = x2 - y2 + cx;
    }
    MANDEL_MAX_ITER
}

/// The colour of each iteration count: dark inside the set, blue far out, gold near the edge.
fn palette() -> Vec<[u8; 4]> {
    let channel = |v: f64| (v * 255.0).round().clamp(0.0, 255.0) as u8;
    (0..=MANDEL_MAX_ITER)
        .map(|i| {
            if i == MANDEL_MAX_ITER {
                return [10, 6, 22, 255];
            }
            // The square root spreads the many low counts over more of the palette.
            let t = (f64::from(i) / f64::from(MANDEL_MAX_ITER)).sqrt();
            let u = 1.0 - t;
            [
                channel(9.0 * u * t * t * t),
                channel(15.0 * u * u * t * t),
                channel(8.5 * u * u * u * t + 0.08),
                255,
            ]
        })
        .collect()
}

/// RGBA of Mandelbrot rows `rows` of a `width` × `height` render.
pub(super) fn rows(width: u32, height: u32, rows: Range<u32>) -> Vec<u8> {
    let colours = palette();
    // Square pixels that cover at least x ∈ [-2.2, 0.8] and y ∈ [-1.2, 1.2], centred on -0.7.
    let (w, h) = (f64::from(width.max(1)), f64::from(height.max(1)));
    let scale = (3.0 / w).max(2.4 / h);
    let mut rgba = Vec::with_capacity(rows.len().saturating_mul(width as usize).saturating_mul(4));
    for row in rows {
        let cy = (h / 2.0 - (f64::from(row) + 0.5)) * scale;
        for column in 0..width {
            let cx = -0.7 + (f64::from(column) + 0.5 - w / 2.0) * scale;
            let iterations = escape_iterations(cx, cy) as usize;
            let colour = colours.get(iterations).copied().unwrap_or([0, 0, 0, 255]);
            rgba.extend_from_slice(&colour);
        }
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mandelbrot_inside_and_outside() {
        assert_eq!(escape_iterations(-0.5, 0.0), MANDEL_MAX_ITER);
        assert_eq!(escape_iterations(0.0, 0.0), MANDEL_MAX_ITER);
        assert_eq!(escape_iterations(-1.0, 0.0), MANDEL_MAX_ITER);
        // |c| > 2 escapes after one step; c = 1 after three (0, 1, 2, 5).
        assert_eq!(escape_iterations(2.5, 0.0), 1);
        assert_eq!(escape_iterations(1.0, 0.0), 3);
        let colours = palette();
        assert_eq!(colours.len(), MANDEL_MAX_ITER as usize + 1);
        assert_eq!(colours[MANDEL_MAX_ITER as usize], [10, 6, 22, 255]);
        assert!(colours.iter().all(|c| c[3] == 255));
    }

    #[test]
    fn mandelbrot_middle_rows_cost_most() {
        // The middle row crosses the set; the top row misses it.
        let (width, height) = (90, 60);
        let inside = |row: u32| {
            rows(width, height, row..row + 1)
                .chunks(4)
                .filter(|p| *p == [10, 6, 22, 255])
                .count()
        };
        assert_eq!(inside(0), 0);
        assert!(inside(30) > 20, "{}", inside(30));
    }
}
