//! Box blur of a generated grayscale image: every output pixel the mean of a square around it,
//! so each row of output reads the rows around it; every task generates the rows it needs.

use std::ops::Range;

use super::checksum::mix;

/// Radius of the box blur: each output pixel is the mean of a (2r+1)² square.
pub const BLUR_RADIUS: u32 = 7;

/// The image for a size: a `side` × `side` square.
pub(super) fn image_size(side: u32) -> (u32, u32) {
    (side, side)
}

/// The blur kernel's `side` × `side` grayscale source image.
///
/// A diagonal gradient, a few discs and strong per-pixel noise: integer arithmetic only, so every
/// platform draws exactly the same image.
struct SourceImage {
    side: i64,
    /// (centre x, centre y, radius², gray level) in pixels.
    discs: [(i64, i64, i64, i64); 4],
}

impl SourceImage {
    fn new(side: u32) -> SourceImage {
        // (centre x, centre y, radius) in thousandths of the side, and the disc's gray level.
        const DISCS: [(i64, i64, i64, i64); 4] = [
            (300, 320, 180, 230),
            (680, 420, 240, 20),
            (450, 760, 150, 200),
            (820, 820, 90, 250),
        ];
        let s = i64::from(side.max(1));
        SourceImage {
            side: s,
            discs: DISCS.map(|(x, y, r, shade)| {
                let r = r * s / 1000;
                (x * s / 1000, y * s / 1000, r * r, shade)
            }),
        }
    }

    fn pixel(&self, x: u32, y: u32) -> u8 {
        let (px, py) = (i64::from(x), i64::from(y));
        let mut level = 40 + 120 * (px + py) / (2 * self.side);
        for (cx, cy, rr, shade) in self.discs {
            let (dx, dy) = (px - cx, py - cy);
            if dx * dx + dy * dy <= rr {
                level = shade;
            }
        }
        let noise = (mix(u64::from(x) << 32 | u64::from(y)) & 0x3F) as i64 - 32;
        (level + noise).clamp(0, 255) as u8
    }
}

/// RGBA (gray) of blurred rows `rows` of the `side` × `side` image, generating only the source
/// rows they need, so every task works alone.
pub(super) fn rows(side: u32, _height: u32, rows: Range<u32>) -> Vec<u8> {
    if rows.is_empty() || side == 0 {
        return Vec::new();
    }
    let r = BLUR_RADIUS as usize;
    let taps = 2 * r + 1;
    let width = side as usize;
    let last = side - 1;
    let src_start = rows.start.saturating_sub(BLUR_RADIUS);
    let src_end = rows.end.saturating_add(BLUR_RADIUS).min(side);

    // Each source row in reach, padded with copies of its edge pixels so no tap needs clamping.
    let padded_width = width + 2 * r;
    let mut source: Vec<u8> = Vec::with_capacity((src_end - src_start) as usize * padded_width);
    let image = SourceImage::new(side);
    for y in src_start..src_end {
        let first = image.pixel(0, y);
        source.extend(std::iter::repeat_n(first, r));
        source.extend((0..side).map(|x| image.pixel(x, y)));
        let end = image.pixel(last, y);
        source.extend(std::iter::repeat_n(end, r));
    }

    // A direct sum of (2r + 1)² = 225 taps rather than two passes of 15: with this much
    // arithmetic per byte the kernel scales with threads instead of stalling on memory bandwidth.
    let count = (taps * taps) as u32;
    let mut rgba = Vec::with_capacity(rows.len() * width * 4);
    let mut sums = vec![0u32; width];
    for y in rows {
        sums.iter_mut().for_each(|sum| *sum = 0);
        for k in 0..BLUR_RADIUS * 2 + 1 {
            let sy = (y + k).saturating_sub(BLUR_RADIUS).max(src_start).min(last) - src_start;
            let at = sy as usize * padded_width;
            let Some(row) = source.get(at..at + padded_width) else {
                continue;
            };
            for (sum, window) in sums.iter_mut().zip(row.windows(taps)) {
                *sum += window.iter().map(|&v| u32::from(v)).sum::<u32>();
            }
        }
        for &sum in &sums {
            let gray = ((sum + count / 2) / count) as u8;
            rgba.extend_from_slice(&[gray, gray, gray, 255]);
        }
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blur_is_the_clamped_box_mean() {
        let side = 23;
        let source = |x: i64, y: i64| {
            let clamp = |v: i64| v.clamp(0, i64::from(side) - 1) as u32;
            u32::from(SourceImage::new(side).pixel(clamp(x), clamp(y)))
        };
        let blurred = rows(side, side, 0..side);
        for y in 0..i64::from(side) {
            for x in 0..i64::from(side) {
                let r = i64::from(BLUR_RADIUS);
                let sum: u32 = (-r..=r)
                    .flat_map(|dy| (-r..=r).map(move |dx| (dx, dy)))
                    .map(|(dx, dy)| source(x + dx, y + dy))
                    .sum();
                let at = ((y * i64::from(side) + x) * 4) as usize;
                let area = ((2 * r + 1) * (2 * r + 1)) as u32;
                let expected = ((sum + area / 2) / area) as u8;
                assert_eq!(blurred[at..at + 4], [expected, expected, expected, 255]);
            }
        }
        assert!(rows(side, side, 5..5).is_empty());
    }

    #[test]
    fn source_image_has_structure() {
        let side = 200;
        let levels: Vec<u8> = (0..side)
            .map(|x| SourceImage::new(side).pixel(x, 64))
            .collect();
        let (lo, hi) = (levels.iter().min().unwrap(), levels.iter().max().unwrap());
        assert!(hi - lo > 100, "{lo}..{hi}");
    }
}
