//! The history of runs this browser keeps: what a kept run's index entry says, which runs make
//! room for a new one, and the overview's points from them. The app stores each finished run
//! as an export (settings, environment, summaries and spans) beside its [`Entry`] in IndexedDB;
//! everything that decides something about those records lives here.

use serde::{Deserialize, Serialize};

use crate::compare::browser_name;
use crate::import::MAX_FILE_BYTES;
use crate::overview::{overview_point, OverviewPoint};
use crate::schema::{Export, RunKind};

/// The most the history holds, in bytes of stored export: beyond it the oldest runs go first.
pub const BUDGET_BYTES: u64 = 50 * 1024 * 1024;

/// The most runs the history holds, however small: beyond it the oldest go first, so that its
/// list, its menu and its chart stay quick to draw.
pub const MAX_KEPT: usize = 500;

/// The largest run the history keeps: what the page can read back ([`MAX_FILE_BYTES`]).
pub const MAX_RUN_BYTES: u64 = MAX_FILE_BYTES;

/// One kept run, as the history list shows it: enough to list, flag and chart it without
/// reading the run itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Its key: the time it was kept, in ms since 1970, made unique.
    pub key: u64,
    /// When it was kept, ISO 8601 in UTC.
    pub saved_at: String,
    /// The lab it ran in.
    pub lab: String,
    /// Its runs (one per strategy, level or case), with their key figures.
    pub runs: Vec<RunLine>,
    /// The browser, from its user agent ("Chrome 156").
    pub browser: String,
    /// `navigator.hardwareConcurrency` where it ran.
    pub hardware_threads: u32,
    /// Bytes of the stored export.
    pub bytes: u64,
    /// Time the tab was hidden while it ran, in ms: browsers throttle hidden tabs.
    pub hidden_ms: f64,
    /// Whether it was cancelled part way (what finished was kept).
    pub cancelled: bool,
    /// Its points on the overview chart.
    pub points: Vec<OverviewPoint>,
}

/// One run of a kept entry, reduced to its key figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunLine {
    /// What kind of run.
    pub kind: RunKind,
    /// Its label.
    pub label: String,
    /// Its wall time, in ms.
    pub wall_ms: f64,
    /// Its throughput, per second.
    pub throughput_per_s: f64,
    /// Its median latency, in ms, where it has one.
    pub p50_ms: Option<f64>,
}

impl Entry {
    /// The entry of `export`, kept under `key` at `saved_at`, stored in `bytes`.
    pub fn of(key: u64, saved_at: String, export: &Export, bytes: u64, cancelled: bool) -> Entry {
        let lab = export.config.lab();
        Entry {
            key,
            saved_at,
            lab: lab.name().to_owned(),
            runs: export
                .runs
                .iter()
                .map(|run| RunLine {
                    kind: run.kind,
                    label: run.label.clone(),
                    wall_ms: run.summary.wall_ms,
                    throughput_per_s: run.summary.throughput_per_s,
                    p50_ms: run.summary.latency_ms.map(|l| l.p50),
                })
                .collect(),
            browser: browser_name(&export.environment.user_agent),
            hardware_threads: export.environment.hardware_threads,
            bytes,
            hidden_ms: export
                .runs
                .iter()
                .map(|run| run.main_thread.hidden_ms)
                .fold(0.0, f64::max),
            cancelled,
            points: export
                .runs
                .iter()
                .filter_map(|run| overview_point(lab, run))
                .collect(),
        }
    }

    /// True when the tab was hidden for part of the run.
    pub fn hidden(&self) -> bool {
        self.hidden_ms > 0.0
    }

    /// `saved_at` to the minute, for a list: "2026-12-03 07:45 UTC".
    pub fn saved_minute(&self) -> String {
        minute(&self.saved_at)
    }
}

/// An ISO 8601 time in UTC to the minute: "2026-12-03 07:45 UTC".
pub fn minute(iso: &str) -> String {
    iso.get(..16).map_or_else(
        || iso.to_owned(),
        |minute| format!("{} UTC", minute.replace('T', " ")),
    )
}

/// Why a run was not kept.
#[derive(Clone, Debug, PartialEq)]
pub enum KeepError {
    /// Its export is larger than [`MAX_RUN_BYTES`].
    TooBig(u64),
}

impl std::fmt::Display for KeepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeepError::TooBig(bytes) => write!(
                f,
                "this run is {}, more than the {} a kept run may be; export it instead",
                megabytes(*bytes),
                megabytes(MAX_RUN_BYTES)
            ),
        }
    }
}

/// How to keep a run of `bytes` beside `entries` within `budget`.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The new run's key: `now_ms`, or one past the newest key if that is not later.
    pub key: u64,
    /// The keys to delete first, oldest first.
    pub evict: Vec<u64>,
}

/// Plans keeping a run of `bytes` at `now_ms`: the oldest entries make room until the history
/// fits `budget`.
pub fn plan(entries: &[Entry], bytes: u64, now_ms: u64, budget: u64) -> Result<Plan, KeepError> {
    if bytes > MAX_RUN_BYTES.min(budget) {
        return Err(KeepError::TooBig(bytes));
    }
    let mut oldest_first: Vec<&Entry> = entries.iter().collect();
    oldest_first.sort_by_key(|e| e.key);
    let mut used = used_bytes(entries) + bytes;
    let mut kept = entries.len() + 1;
    let mut evict = Vec::new();
    for entry in oldest_first {
        if used <= budget && kept <= MAX_KEPT {
            break;
        }
        used -= entry.bytes;
        kept -= 1;
        evict.push(entry.key);
    }
    let newest = entries.iter().map(|e| e.key).max();
    let key = newest.map_or(now_ms, |newest| now_ms.max(newest + 1));
    Ok(Plan { key, evict })
}

/// Bytes the entries take.
pub fn used_bytes(entries: &[Entry]) -> u64 {
    entries.iter().map(|e| e.bytes).sum()
}

/// The overview's points of every entry, oldest first.
pub fn points(entries: &[Entry]) -> Vec<OverviewPoint> {
    let mut oldest_first: Vec<&Entry> = entries.iter().collect();
    oldest_first.sort_by_key(|e| e.key);
    oldest_first
        .into_iter()
        .flat_map(|e| e.points.iter().cloned())
        .collect()
}

/// What the history holds, in words: "3 runs, 1.2 MB of 50 MB".
pub fn usage(entries: &[Entry]) -> String {
    let runs = match entries.len() {
        1 => "1 run".to_owned(),
        n => format!("{n} runs"),
    };
    format!(
        "{runs}, {} of {}",
        megabytes(used_bytes(entries)),
        megabytes(BUDGET_BYTES)
    )
}

/// Reads the `reopen` parameter: a key of the history.
pub fn parse_key(value: &str) -> Result<u64, String> {
    value.trim().parse().map_err(|_| {
        let shown: String = value.chars().take(40).collect();
        format!(
            "reopen must be the key of a kept run (a whole number of 0 or more); got \"{shown}\""
        )
    })
}

/// A size for people: "850 kB" below a megabyte, then "1.5 MB" or "20 MB".
pub fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_048_576.0;
    if bytes < 1_048_576 {
        format!("{:.0} kB", bytes as f64 / 1024.0)
    } else if mb >= 10.0 || mb == mb.round() {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::tests::sample_export;

    fn entry(key: u64, bytes: u64) -> Entry {
        Entry::of(key, format!("t{key}"), &sample_export(), bytes, false)
    }

    #[test]
    fn an_entry_names_its_lab_browser_runs_and_points() {
        let mut export = sample_export();
        export.environment.user_agent =
            "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0".to_owned();
        export.runs[0].main_thread.hidden_ms = 250.0;
        let e = Entry::of(
            7,
            "2026-12-03T07:45:12.345Z".to_owned(),
            &export,
            1234,
            true,
        );
        assert_eq!(e.lab, "start");
        assert_eq!(e.browser, "Firefox 153");
        assert_eq!(e.runs.len(), 1);
        assert_eq!(e.runs[0].label, export.runs[0].label);
        assert_eq!(e.runs[0].wall_ms, export.runs[0].summary.wall_ms);
        assert_eq!(e.points.len(), 1);
        assert!(e.hidden() && e.cancelled);
        assert_eq!(e.saved_minute(), "2026-12-03 07:45 UTC");
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Entry>(&json).unwrap(), e);
    }

    #[test]
    fn the_oldest_runs_make_room_for_a_new_one() {
        let entries = [entry(30, 40), entry(10, 40), entry(20, 40)];
        let plan = plan(&entries, 50, 100, 150).unwrap();
        assert_eq!(
            plan,
            Plan {
                key: 100,
                evict: vec![10]
            }
        );
        let plan = super::plan(&entries, 100, 100, 150).unwrap();
        assert_eq!(plan.evict, vec![10, 20]);
        // Room enough: nothing goes.
        assert!(super::plan(&entries, 30, 100, 150)
            .unwrap()
            .evict
            .is_empty());
    }

    #[test]
    fn the_oldest_runs_make_room_when_the_count_is_full() {
        let entries: Vec<Entry> = (0..MAX_KEPT as u64).map(|key| entry(key, 1)).collect();
        let plan = plan(&entries, 1, 10_000, BUDGET_BYTES).unwrap();
        assert_eq!(plan.evict, vec![0]);
        let fewer = &entries[1..];
        assert!(super::plan(fewer, 1, 10_000, BUDGET_BYTES)
            .unwrap()
            .evict
            .is_empty());
    }

    #[test]
    fn a_run_larger_than_the_limit_is_refused_by_size() {
        let error = plan(&[], MAX_RUN_BYTES + 1, 1, BUDGET_BYTES).unwrap_err();
        assert_eq!(error, KeepError::TooBig(MAX_RUN_BYTES + 1));
        assert_eq!(
            error.to_string(),
            "this run is 20 MB, more than the 20 MB a kept run may be; export it instead"
        );
        assert!(plan(&[], 10, 1, 5).is_err());
    }

    #[test]
    fn keys_stay_unique_when_the_clock_does_not_move() {
        let entries = [entry(500, 1)];
        assert_eq!(plan(&entries, 1, 500, 100).unwrap().key, 501);
        assert_eq!(plan(&entries, 1, 400, 100).unwrap().key, 501);
        assert_eq!(plan(&entries, 1, 900, 100).unwrap().key, 900);
    }

    #[test]
    fn points_run_oldest_first_and_usage_says_the_budget() {
        let mut late = entry(2, 1_572_864);
        late.points[0].label = "late".to_owned();
        let entries = [late, entry(1, 1_048_576)];
        let labels: Vec<_> = points(&entries).into_iter().map(|p| p.label).collect();
        assert_eq!(labels[1], "late");
        assert_eq!(usage(&entries), "2 runs, 2.5 MB of 50 MB");
        assert_eq!(usage(&entries[..1]), "1 run, 1.5 MB of 50 MB");
        assert_eq!(usage(&[entry(3, 15_360)]), "1 run, 15 kB of 50 MB");
    }

    #[test]
    fn a_reopen_key_is_a_whole_number() {
        assert_eq!(parse_key(" 1733211234567 "), Ok(1_733_211_234_567));
        let error = parse_key("<b>x</b>").unwrap_err();
        assert!(
            error.starts_with("reopen must be the key of a kept run"),
            "{error}"
        );
        assert!(parse_key("-1").is_err());
    }
}
