//! Where a chart's point labels go, so that none collides with another or leaves the chart.
//!
//! Each label is tried beside its point in four places (right and below first, as the charts
//! drew it before, then right and above, left and below, left and above). It takes the first
//! that stays inside the plot and overlaps no label already placed and no obstacle (a title, a
//! limit's label). A label with no free place is left out; its point keeps its tooltip.
//!
//! Sizes are in the chart's own units (its SVG `viewBox`); a label's width is estimated from its
//! characters, generously, since the text is not measured here.

/// A rectangle: left, top, right, bottom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    fn inside(&self, bounds: &Rect) -> bool {
        self.left >= bounds.left
            && self.right <= bounds.right
            && self.top >= bounds.top
            && self.bottom <= bounds.bottom
    }
}

/// Which end of the text its `x` is (SVG `text-anchor`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The text starts at `x`.
    Start,
    /// The text ends at `x`.
    End,
}

impl Anchor {
    /// The SVG `text-anchor` value.
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::End => "end",
        }
    }
}

/// Where a label was put: its text's `x` and baseline `y`, and which end `x` is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// The text's `x`.
    pub x: f64,
    /// The text's baseline.
    pub y: f64,
    /// Which end of the text `x` is.
    pub anchor: Anchor,
}

/// The width a label of `text` takes at `font_size`, estimated high: 0.62 em a character.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().count() as f64 * font_size * 0.62
}

/// The box a label takes when placed at `at`.
fn text_box(at: Placement, width: f64, font_size: f64) -> Rect {
    let (left, right) = match at.anchor {
        Anchor::Start => (at.x, at.x + width),
        Anchor::End => (at.x - width, at.x),
    };
    // A browser's box for a line of text reaches about 1 em above the baseline and 0.3 em below.
    Rect {
        left,
        top: at.y - font_size,
        right,
        bottom: at.y + 0.3 * font_size,
    }
}

/// Places a label beside each point `(x, y, text)`, in order, inside `bounds` and clear of
/// `obstacles` and of each other; `None` for a label that fits nowhere.
pub fn place(
    points: &[(f64, f64, &str)],
    font_size: f64,
    bounds: Rect,
    obstacles: &[Rect],
) -> Vec<Option<Placement>> {
    let gap = 0.6 * font_size;
    let mut taken: Vec<Rect> = obstacles.to_vec();
    points
        .iter()
        .map(|&(x, y, text)| {
            let width = text_width(text, font_size);
            let below = y + gap + font_size;
            let above = y - gap - 0.3 * font_size;
            let candidates = [
                Placement {
                    x: x + gap,
                    y: below,
                    anchor: Anchor::Start,
                },
                Placement {
                    x: x + gap,
                    y: above,
                    anchor: Anchor::Start,
                },
                Placement {
                    x: x - gap,
                    y: below,
                    anchor: Anchor::End,
                },
                Placement {
                    x: x - gap,
                    y: above,
                    anchor: Anchor::End,
                },
            ];
            let chosen = candidates.into_iter().find(|&at| {
                let room = text_box(at, width, font_size);
                room.inside(&bounds) && !taken.iter().any(|t| t.overlaps(&room))
            });
            if let Some(at) = chosen {
                taken.push(text_box(at, width, font_size));
            }
            chosen
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Rect = Rect {
        left: 0.0,
        top: 0.0,
        right: 300.0,
        bottom: 200.0,
    };

    fn boxes(points: &[(f64, f64, &str)], placed: &[Option<Placement>]) -> Vec<Rect> {
        points
            .iter()
            .zip(placed)
            .filter_map(|(&(_, _, text), at)| {
                at.map(|at| text_box(at, text_width(text, 11.0), 11.0))
            })
            .collect()
    }

    #[test]
    fn a_lone_label_goes_right_and_below_its_point() {
        let placed = place(&[(100.0, 100.0, "C = 1")], 11.0, BOUNDS, &[]);
        let at = placed[0].unwrap();
        assert_eq!(at.anchor, Anchor::Start);
        assert!(at.x > 100.0 && at.y > 100.0);
    }

    #[test]
    fn labels_of_points_close_together_do_not_collide() {
        // The sweep that drew "C = 1C = 2": two points a few units apart.
        let points = [
            (60.0, 150.0, "C = 1"),
            (66.0, 151.0, "C = 2"),
            (72.0, 150.0, "C = 4"),
        ];
        let placed = place(&points, 11.0, BOUNDS, &[]);
        let rects = boxes(&points, &placed);
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
        assert!(rects.len() >= 2, "at least two of three fit: {placed:?}");
    }

    #[test]
    fn a_label_at_the_right_edge_goes_left_and_never_leaves_the_chart() {
        let placed = place(&[(295.0, 100.0, "on workers")], 11.0, BOUNDS, &[]);
        let at = placed[0].unwrap();
        assert_eq!(at.anchor, Anchor::End);
        assert!(text_box(at, text_width("on workers", 11.0), 11.0).inside(&BOUNDS));
    }

    #[test]
    fn a_label_with_no_room_is_left_out() {
        let wall = Rect {
            left: 0.0,
            top: 0.0,
            right: 300.0,
            bottom: 200.0,
        };
        assert_eq!(
            place(&[(150.0, 100.0, "x")], 11.0, BOUNDS, &[wall]),
            vec![None]
        );
    }
}
