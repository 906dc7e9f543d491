//! Runs from other results files laid beside this page's: a row per run with its key figures,
//! labelled by where it was measured (file, browser, hardware threads, date), and its throughput
//! against the page's run of the same label.

use crate::schema::{Export, RunRecord};

/// One run in the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRow {
    /// "this page", or the file's name.
    pub source: String,
    /// The browser that measured it, e.g. "Firefox 153".
    pub browser: String,
    /// Its machine's hardware threads.
    pub hardware_threads: u32,
    /// When its file was written (`exported_at`, to the minute), or "—".
    pub date: String,
    /// The run's label.
    pub label: String,
    /// Its wall time, in ms.
    pub wall_ms: f64,
    /// Its throughput, per second.
    pub throughput_per_s: f64,
    /// Its median latency, in ms.
    pub p50_ms: Option<f64>,
    /// Its 99th-percentile latency, in ms.
    pub p99_ms: Option<f64>,
    /// Its throughput over that of the page's run with the same label; `None` for the page's own
    /// runs and where the page has no such run.
    pub throughput_ratio: Option<f64>,
}

/// The page's runs first, then each file's, in order.
pub fn rows(page: &Export, files: &[(String, Export)]) -> Vec<CompareRow> {
    let mut rows: Vec<CompareRow> = page
        .runs
        .iter()
        .map(|run| row("this page", page, run, None))
        .collect();
    for (name, file) in files {
        for run in &file.runs {
            let ratio = page
                .runs
                .iter()
                .find(|mine| mine.label == run.label && mine.kind == run.kind)
                .map(|mine| run.summary.throughput_per_s / mine.summary.throughput_per_s)
                .filter(|ratio| ratio.is_finite());
            rows.push(row(name, file, run, ratio));
        }
    }
    rows
}

fn row(
    source: &str,
    export: &Export,
    run: &RunRecord,
    throughput_ratio: Option<f64>,
) -> CompareRow {
    let latency = run.summary.latency_ms;
    CompareRow {
        source: source.to_owned(),
        browser: browser_name(&export.environment.user_agent),
        hardware_threads: export.environment.hardware_threads,
        date: export
            .exported_at
            .as_deref()
            .and_then(|at| at.get(..16))
            .map_or_else(|| "—".to_owned(), |minute| minute.replace('T', " ")),
        label: run.label.clone(),
        wall_ms: run.summary.wall_ms,
        throughput_per_s: run.summary.throughput_per_s,
        p50_ms: latency.map(|l| l.p50),
        p99_ms: latency.map(|l| l.p99),
        throughput_ratio,
    }
}

/// What names an export's series on a chart: "Firefox 153 · 8 threads · 2026-12-01".
pub fn series_name(export: &Export) -> String {
    let mut name = format!(
        "{} · {} threads",
        browser_name(&export.environment.user_agent),
        export.environment.hardware_threads
    );
    if let Some(day) = export.exported_at.as_deref().and_then(|at| at.get(..10)) {
        name.push_str(" · ");
        name.push_str(day);
    }
    name
}

/// A browser's name and major version from its user agent: "Firefox 153", "Edge 140",
/// "Chrome 140", "Safari 18"; the first word of anything else.
pub fn browser_name(user_agent: &str) -> String {
    let version = |token: &str| {
        let at = user_agent.find(token)? + token.len();
        let major: String = user_agent[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        (!major.is_empty()).then_some(major)
    };
    for (token, name) in [
        ("Firefox/", "Firefox"),
        ("Edg/", "Edge"),
        ("Chrome/", "Chrome"),
    ] {
        if let Some(major) = version(token) {
            return format!("{name} {major}");
        }
    }
    if user_agent.contains("Safari/") {
        if let Some(major) = version("Version/") {
            return format!("Safari {major}");
        }
    }
    user_agent
        .split_whitespace()
        .next()
        .map_or_else(|| "unknown browser".to_owned(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::tests::sample_export;

    #[test]
    fn a_series_is_named_by_browser_threads_and_day() {
        let mut export = sample_export();
        export.environment.user_agent = "Mozilla/5.0 Firefox/153.0".to_owned();
        export.environment.hardware_threads = 8;
        export.exported_at = None;
        assert_eq!(series_name(&export), "Firefox 153 · 8 threads");
        export.exported_at = Some("2026-12-01T09:30:12.345Z".to_owned());
        assert_eq!(series_name(&export), "Firefox 153 · 8 threads · 2026-12-01");
    }

    #[test]
    fn names_the_browser_from_its_user_agent() {
        let cases = [
            ("Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0", "Firefox 153"),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36", "Chrome 140"),
            ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/140.0 Safari/537.36 Edg/140.0", "Edge 140"),
            ("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari 18"),
            ("curl/8", "curl/8"),
            ("", "unknown browser"),
        ];
        for (agent, name) in cases {
            assert_eq!(browser_name(agent), name, "{agent}");
        }
    }

    #[test]
    fn a_file_run_is_set_against_the_page_run_of_its_label() {
        let page = sample_export();
        let mut other = sample_export();
        other.environment.user_agent = "Mozilla/5.0 Firefox/153.0".to_owned();
        other.environment.hardware_threads = 8;
        other.exported_at = Some("2026-12-01T09:30:12.345Z".to_owned());
        other.runs[0].summary.throughput_per_s *= 2.0;
        let mut stranger = other.runs[0].clone();
        stranger.label = "another run".to_owned();
        other.runs.push(stranger);
        let rows = rows(&page, &[("firefox.json".to_owned(), other)]);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (rows[0].source.as_str(), rows[0].throughput_ratio),
            ("this page", None)
        );
        assert_eq!(rows[1].source, "firefox.json");
        assert_eq!(
            (rows[1].browser.as_str(), rows[1].hardware_threads),
            ("Firefox 153", 8)
        );
        assert_eq!(rows[1].date, "2026-12-01 09:30");
        assert_eq!(rows[1].throughput_ratio, Some(2.0));
        assert_eq!(rows[2].throughput_ratio, None, "no page run of its label");
        assert_eq!(rows[0].date, "—");
    }
}
