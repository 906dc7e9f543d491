//! One point per run for the overview: which throughput and which latency each kind of run
//! contributes, so "async optimises latency, parallel optimises throughput" can be read off
//! one chart.

use serde::{Deserialize, Serialize};

use crate::config::Lab;
use crate::schema::{RunKind, RunRecord};

/// A run reduced to its place on the overview chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverviewPoint {
    /// What kind of run.
    pub kind: RunKind,
    /// The lab it ran in.
    pub lab: String,
    /// Its label there.
    pub label: String,
    /// Work done per second, in `unit`.
    pub throughput_per_s: f64,
    /// Requests, pixels, hashes, values or items.
    pub unit: String,
    /// The latency of one piece: a request (p50), a CPU job (wall), a pipeline item (p50).
    pub latency_ms: f64,
}

/// The point of `record`, run in `lab`; None when it completed nothing.
pub fn overview_point(lab: Lab, record: &RunRecord) -> Option<OverviewPoint> {
    let summary = &record.summary;
    if summary.completed == 0 || !summary.throughput_per_s.is_finite() {
        return None;
    }
    let (latency_ms, unit) = match record.kind {
        RunKind::Io => (summary.latency_ms?.p50, "requests".to_owned()),
        RunKind::Cpu => (
            summary.wall_ms,
            record
                .cpu()
                .and_then(|c| c.unit.clone())
                .unwrap_or_else(|| "tasks".to_owned()),
        ),
        RunKind::Hybrid => (summary.latency_ms?.p50, "items".to_owned()),
    };
    Some(OverviewPoint {
        kind: record.kind,
        lab: lab.name().to_owned(),
        label: record.label.clone(),
        throughput_per_s: summary.throughput_per_s,
        unit,
        latency_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meter::MainThreadSummary;
    use crate::schema::{CpuBlock, Detail};
    use crate::stats::{LatencyMs, Summary};

    fn summary(completed: u32, throughput: f64, p50: Option<f64>) -> Summary {
        Summary {
            wall_ms: 500.0,
            completed,
            errors: 0,
            throughput_per_s: throughput,
            latency_ms: p50.map(|p| LatencyMs {
                p50: p,
                p90: p,
                p99: p,
                max: p,
                mean: p,
            }),
            mean_in_flight: 1.0,
        }
    }

    fn record(kind: RunKind, summary: Summary) -> RunRecord {
        RunRecord::new(
            kind,
            "run".into(),
            summary,
            MainThreadSummary::default(),
            Vec::new(),
        )
    }

    #[test]
    fn each_kind_contributes_its_own_latency() {
        let io = record(RunKind::Io, summary(20, 200.0, Some(52.0)));
        let point = overview_point(Lab::Io, &io).unwrap();
        assert_eq!(
            (point.latency_ms, point.unit.as_str(), point.lab.as_str()),
            (52.0, "requests", "io")
        );

        let mut cpu = record(RunKind::Cpu, summary(64, 9e6, Some(3.0)));
        cpu.detail = Some(Detail::Cpu(CpuBlock {
            unit: Some("pixels".into()),
            ..CpuBlock::basic("00".into(), 2)
        }));
        let point = overview_point(Lab::Cpu, &cpu).unwrap();
        assert_eq!((point.latency_ms, point.unit.as_str()), (500.0, "pixels"));

        let hybrid = record(RunKind::Hybrid, summary(24, 40.0, Some(90.0)));
        assert_eq!(
            overview_point(Lab::Hybrid, &hybrid).unwrap().latency_ms,
            90.0
        );
    }

    #[test]
    fn runs_that_did_nothing_have_no_point() {
        assert_eq!(
            overview_point(Lab::Io, &record(RunKind::Io, summary(0, 0.0, None))),
            None
        );
        assert_eq!(
            overview_point(Lab::Io, &record(RunKind::Io, summary(3, 5.0, None))),
            None
        );
    }
}
