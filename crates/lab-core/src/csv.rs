//! A results file as CSV, for spreadsheets and data frames: one row per span
//! ([`spans_csv`]), or one row per run with its settings and summary ([`runs_csv`]; a sweep's
//! levels are its runs, so this is also the table of sweep points).
//!
//! Fields are quoted where they must be (RFC 4180), and a text field that a spreadsheet would
//! take for a formula (`=`, `+`, `-`, `@`) starts with `'`.

use serde_json::Value;

use crate::schema::Export;

/// One row per span: `run,label,kind,lane,id,start_ms,end_ms,duration_ms,ok`.
pub fn spans_csv(export: &Export) -> String {
    let mut out = String::from("run,label,kind,lane,id,start_ms,end_ms,duration_ms,ok\n");
    for (run_number, run) in (1..).zip(&export.runs) {
        for span in &run.spans {
            let row = [
                number(run_number),
                text(&run.label),
                text(run.kind.name()),
                text(&span.lane.to_string()),
                number(span.id),
                number(span.start_ms),
                number(span.end_ms),
                number(span.duration_ms()),
                number(span.ok),
            ];
            push_row(&mut out, &row);
        }
    }
    out
}

/// One row per run: its number, label and kind, its parameters (a column each, named as in the
/// export's `params`; empty where a run has none), and its summary.
pub fn runs_csv(export: &Export) -> String {
    let params: Vec<serde_json::Map<String, Value>> = export
        .runs
        .iter()
        .map(|run| match serde_json::to_value(&run.params) {
            Ok(Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        })
        .collect();
    let mut keys: Vec<&String> = Vec::new();
    for map in &params {
        for (key, value) in map {
            if !value.is_null() && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    let mut header = vec!["run".to_owned(), "label".to_owned(), "kind".to_owned()];
    header.extend(keys.iter().map(|key| text(key)));
    header.extend(
        [
            "wall_ms",
            "completed",
            "errors",
            "throughput_per_s",
            "p50_ms",
            "p90_ms",
            "p99_ms",
            "max_ms",
            "mean_ms",
            "mean_in_flight",
            "main_thread_blocks",
            "blocked_ms",
        ]
        .map(str::to_owned),
    );
    let mut out = String::new();
    push_row(&mut out, &header);
    for ((run_number, run), map) in (1..).zip(&export.runs).zip(&params) {
        let mut row = vec![number(run_number), text(&run.label), text(run.kind.name())];
        row.extend(
            keys.iter()
                .map(|key| map.get(*key).map_or_else(String::new, value)),
        );
        let summary = &run.summary;
        let latency = summary.latency_ms;
        let optional = |pick: fn(&crate::stats::LatencyMs) -> f64| {
            latency.map_or_else(String::new, |l| number(pick(&l)))
        };
        row.extend([
            number(summary.wall_ms),
            number(summary.completed),
            number(summary.errors),
            number(summary.throughput_per_s),
            optional(|l| l.p50),
            optional(|l| l.p90),
            optional(|l| l.p99),
            optional(|l| l.max),
            optional(|l| l.mean),
            number(summary.mean_in_flight),
            number(run.main_thread.blocks),
            number(run.main_thread.blocked_ms),
        ]);
        push_row(&mut out, &row);
    }
    out
}

fn push_row(out: &mut String, fields: &[String]) {
    out.push_str(&fields.join(","));
    out.push('\n');
}

fn number(value: impl ToString) -> String {
    value.to_string()
}

/// A JSON value of the params as a field: strings as text, numbers and booleans as written.
fn value(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => text(s),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => text(&other.to_string()),
    }
}

/// A text field, quoted when it holds a comma, a quote or a line break, and kept from reading
/// as a formula.
fn text(raw: &str) -> String {
    let safe = if raw.starts_with(['=', '+', '-', '@']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::tests::sample_export;

    /// Splits CSV text into rows of fields, undoing the quoting (as a spreadsheet would).
    fn parse(csv: &str) -> Vec<Vec<String>> {
        let mut rows = vec![vec![String::new()]];
        let (mut quoted, mut chars) = (false, csv.chars().peekable());
        while let Some(c) = chars.next() {
            let row = rows.last_mut().unwrap();
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    chars.next();
                    row.last_mut().unwrap().push('"');
                }
                ('"', _) => quoted = !quoted,
                (',', false) => row.push(String::new()),
                ('\n', false) => rows.push(vec![String::new()]),
                (c, _) => row.last_mut().unwrap().push(c),
            }
        }
        rows.pop();
        rows
    }

    #[test]
    fn one_row_per_span() {
        let mut export = sample_export();
        export.runs[0].label = "a \"quoted\", label\nover lines".to_owned();
        let rows = parse(&spans_csv(&export));
        assert_eq!(
            rows[0].join(","),
            "run,label,kind,lane,id,start_ms,end_ms,duration_ms,ok"
        );
        assert_eq!(rows.len(), 1 + export.runs[0].spans.len());
        assert_eq!(rows[1][1], "a \"quoted\", label\nover lines");
        assert_eq!(rows[1][2..].join(","), "cpu,worker-1,0,0,40,40,true");
        assert!(rows.iter().all(|row| row.len() == 9));
    }

    #[test]
    fn one_row_per_run_with_its_params_and_summary() {
        let export = sample_export();
        let rows = parse(&runs_csv(&export));
        assert_eq!(rows.len(), 2);
        let header = &rows[0];
        let field = |name: &str| &rows[1][header.iter().position(|h| h == name).unwrap()];
        assert_eq!(field("tasks"), "2");
        assert_eq!(field("size"), "2000");
        assert_eq!(field("completed"), "2");
        assert_eq!(field("wall_ms"), "50");
        assert_eq!(field("throughput_per_s"), "40");
        assert_eq!(field("main_thread_blocks"), "1");
        assert!(rows.iter().all(|row| row.len() == header.len()));
    }

    #[test]
    fn text_is_quoted_and_kept_from_reading_as_a_formula() {
        assert_eq!(text("plain"), "plain");
        assert_eq!(text("a,b"), "\"a,b\"");
        assert_eq!(text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(text("-2+3,x"), "\"'-2+3,x\"");
        assert_eq!(value(&serde_json::json!(-1.5)), "-1.5");
    }
}
