//! Other exports laid over a chart: each laid-beside export (a file, or a kept run) is one
//! series, its points hollow and joined by a dashed line behind the page's own, and named in the
//! key by browser, threads, date and file.

use lab_core::compare;
use lab_core::schema::RunRecord;
use leptos::prelude::*;

use super::axes::line_path;
use crate::state::LabState;

/// Colours for the series (`.overlay-0` … in the stylesheet), used in turn.
const COLOURS: usize = 3;

/// One laid-beside export's points on a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlay<P> {
    /// Where it was measured: browser, threads, date and file.
    pub name: String,
    /// Its points, in its own order.
    pub points: Vec<P>,
}

/// The runs of every laid-beside export that `keep` selects, one series per export; `point`
/// places a run on the chart. Reading this inside a view redraws the chart when an export is
/// laid beside or taken away.
pub fn overlays<P>(
    state: LabState,
    keep: impl Fn(&RunRecord) -> bool,
    point: impl Fn(&RunRecord) -> Option<P>,
) -> Vec<Overlay<P>> {
    state.compared().with(|files| {
        files
            .iter()
            .filter_map(|(name, export)| {
                let points: Vec<P> = export
                    .runs
                    .iter()
                    .filter(|r| keep(r))
                    .filter_map(&point)
                    .collect();
                (!points.is_empty()).then(|| Overlay {
                    name: format!("{} ({name})", compare::series_name(export)),
                    points,
                })
            })
            .collect()
    })
}

/// The series' marks in chart units: `at` places a point, `title` says what it is.
pub fn marks<P>(
    others: &[Overlay<P>],
    at: impl Fn(&P) -> (f64, f64),
    title: impl Fn(&P) -> String,
) -> AnyView {
    others
        .iter()
        .enumerate()
        .map(|(i, other)| {
            let line = line_path(other.points.iter().map(&at));
            let dots = other
                .points
                .iter()
                .map(|p| {
                    let (cx, cy) = at(p);
                    view! {
                        <circle class="overlay-point" cx=cx cy=cy r="3.5">
                            <title>{format!("{}: {}", other.name, title(p))}</title>
                        </circle>
                    }
                })
                .collect_view();
            view! {
                <g class=format!("overlay overlay-{}", i % COLOURS) data-testid="overlay" data-name=other.name.clone() data-points=other.points.len().to_string()>
                    <path class="overlay-line" d=line />
                    {dots}
                </g>
            }
        })
        .collect_view()
        .into_any()
}

/// The series' entries in a chart's key: "<name>: <what>".
pub fn keys<P>(others: &[Overlay<P>], what: &'static str) -> AnyView {
    others
        .iter()
        .enumerate()
        .map(|(i, other)| {
            view! {
                <span class=format!("key overlay overlay-{}", i % COLOURS)>
                    {format!("{}: {what}", other.name)}
                </span>
            }
        })
        .collect_view()
        .into_any()
}
