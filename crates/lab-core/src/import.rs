//! Reading a results file someone else wrote, which may be anything. [`read_export`] accepts a
//! file this lab could have written, within stated limits, and says in words why it refuses
//! any other; nothing from a file is trusted before it has passed.

use std::fmt;

use serde_json::Value;

use crate::schema::{Export, SCHEMA_VERSION};

/// The largest file read, in bytes (20 MiB).
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// The most runs a file may hold.
pub const MAX_RUNS: usize = 1_000;
/// The most spans a file may hold, over all its runs.
pub const MAX_SPANS: usize = 200_000;
/// The largest number a file may hold, in any field: about 31 years in ms.
pub const MAX_NUMBER: f64 = 1e12;
/// The longest text a file may hold, in any field (an address may be 2,000 characters).
pub const MAX_TEXT_CHARS: usize = 2_100;

/// Why a file was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    /// Larger than [`MAX_FILE_BYTES`].
    TooBig(u64),
    /// Not JSON at all; the parser's words.
    NotJson(String),
    /// A schema version this page does not read (`None`: no version at all).
    Schema(Option<Value>),
    /// More runs than [`MAX_RUNS`].
    TooManyRuns(usize),
    /// More spans than [`MAX_SPANS`].
    TooManySpans(usize),
    /// A number that is negative where a time or count must not be, or beyond [`MAX_NUMBER`].
    BadNumber {
        /// Where, as `runs[2].summary.wall_ms`.
        path: String,
        /// The number as written.
        value: String,
    },
    /// Text with markup or control characters, or longer than [`MAX_TEXT_CHARS`].
    BadText {
        /// Where, as `runs[0].label`.
        path: String,
    },
    /// JSON of the right version whose shape is not a results file.
    NotAnExport {
        /// Where, as `runs[0].summary`; `.` for the whole file.
        path: String,
        /// The reader's words.
        words: String,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooBig(bytes) => write!(
                f,
                "the file is {:.1} MB; the most this page reads is {} MB",
                *bytes as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
            Self::NotJson(words) => write!(f, "the file is not JSON ({words})"),
            Self::Schema(None) => {
                f.write_str("the file has no schema version, so it is not a results file of this lab")
            }
            Self::Schema(Some(Value::Number(n))) if n.as_u64().is_some_and(|v| v > u64::from(SCHEMA_VERSION)) => {
                write!(f, "the file is schema {n}, newer than this page reads ({SCHEMA_VERSION}): open it in a newer version of the lab")
            }
            Self::Schema(Some(Value::Number(n))) => write!(
                f,
                "the file is schema {n}, from an older version of the lab that this page does not read ({SCHEMA_VERSION}): export the runs again"
            ),
            Self::Schema(Some(_)) => f.write_str("the file's schema version is not a whole number"),
            Self::TooManyRuns(runs) => {
                write!(f, "the file holds {runs} runs; the most this page reads is {MAX_RUNS}")
            }
            Self::TooManySpans(spans) => {
                write!(f, "the file holds {spans} spans; the most this page reads is {MAX_SPANS}")
            }
            Self::BadNumber { path, value } => write!(
                f,
                "{path} is {value}: times, counts and rates must be from 0 to {MAX_NUMBER:e}"
            ),
            Self::BadText { path } => write!(
                f,
                "{path} holds markup, control characters or over {MAX_TEXT_CHARS} characters"
            ),
            Self::NotAnExport { path, words } => write!(
                f,
                "the file is not a results file of this lab: at {path}, {words}"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Fields whose numbers may be negative: a frame drawn just before the run began; a latency
/// split's overhead and the lab's ends against the browser's (differences between clocks); and
/// Karp-Flatt's serial fraction, below zero when a level ran faster than linear (as two
/// threads sharing a cache can).
const SIGNED: [&str; 4] = [
    "frame_times_ms",
    "overhead_ms",
    "resume_delay",
    "karp_flatt",
];

/// Reads a results file, checking it against the limits above before anything else reads it.
pub fn read_export(bytes: &[u8]) -> Result<Export, ImportError> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > MAX_FILE_BYTES {
        return Err(ImportError::TooBig(size));
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|error| ImportError::NotJson(error.to_string()))?;
    // The version first, so an older or newer file is refused by name, not by a missing field.
    match value.get("schema") {
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
        other => return Err(ImportError::Schema(other.cloned())),
    }
    let runs = value
        .get("runs")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if runs.len() > MAX_RUNS {
        return Err(ImportError::TooManyRuns(runs.len()));
    }
    let spans: usize = runs
        .iter()
        .map(|run| {
            run.get("spans")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        })
        .sum();
    if spans > MAX_SPANS {
        return Err(ImportError::TooManySpans(spans));
    }
    check(&value, "", false)?;
    serde_path_to_error::deserialize(value).map_err(|error| ImportError::NotAnExport {
        path: error.path().to_string(),
        words: error.into_inner().to_string(),
    })
}

/// Walks every value: numbers within range (negative only under [`SIGNED`] keys), text free of
/// markup and control characters.
fn check(value: &Value, path: &str, signed: bool) -> Result<(), ImportError> {
    match value {
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            let low = if signed { -MAX_NUMBER } else { 0.0 };
            if !(low..=MAX_NUMBER).contains(&x) {
                return Err(ImportError::BadNumber {
                    path: path.to_owned(),
                    value: n.to_string(),
                });
            }
        }
        Value::String(text) => {
            let markup = text.contains(['<', '>']);
            let control = text.chars().any(char::is_control);
            if markup || control || text.chars().count() > MAX_TEXT_CHARS {
                return Err(ImportError::BadText {
                    path: path.to_owned(),
                });
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check(item, &format!("{path}[{i}]"), signed)?;
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let inner = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                check(item, &inner, signed || SIGNED.contains(&key.as_str()))?;
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::tests::sample_export;
    use crate::schema::Detail;

    fn sample() -> Value {
        serde_json::to_value(sample_export()).unwrap()
    }

    fn refused(value: &Value) -> String {
        read_export(value.to_string().as_bytes())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_file_this_lab_wrote_reads_back_unchanged() {
        let mut export = sample_export();
        // Floats a reader without round-trip parsing reads one unit in the last place off.
        export.runs[0].summary.wall_ms = 26.647521972656254;
        export.runs[0].summary.throughput_per_s = 418.15852901813844;
        // A level faster than linear has a negative Karp-Flatt fraction; the file is still good.
        let Some(Detail::Cpu(cpu)) = export.runs[0].detail.as_mut() else {
            panic!("the sample is a CPU run");
        };
        cpu.karp_flatt = Some(-0.25);
        let again = read_export(export.to_json_pretty().as_bytes()).unwrap();
        assert_eq!(
            again.runs[0].summary.wall_ms.to_bits(),
            26.647521972656254f64.to_bits()
        );
        assert_eq!(again, export);
        for file in
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden")).unwrap()
        {
            let path = file.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                read_export(&bytes).is_ok(),
                "{}: {:?}",
                path.display(),
                read_export(&bytes)
            );
        }
    }

    #[test]
    fn each_kind_of_bad_file_is_refused_in_words() {
        assert!(read_export(b"{ not json")
            .unwrap_err()
            .to_string()
            .starts_with("the file is not JSON"));
        let big = vec![b' '; usize::try_from(MAX_FILE_BYTES).unwrap() + 1];
        assert_eq!(
            read_export(&big).unwrap_err().to_string(),
            "the file is 20.0 MB; the most this page reads is 20 MB"
        );

        let mut file = sample();
        file["schema"] = 3.into();
        assert!(refused(&file).contains("schema 3, newer than this page reads (2)"));
        file["schema"] = 1.into();
        assert!(refused(&file).contains("schema 1, from an older version of the lab"));
        file.as_object_mut().unwrap().remove("schema");
        assert!(refused(&file).contains("no schema version"));

        let mut file = sample();
        file["runs"][0]["summary"]["wall_ms"] = (-5.0).into();
        assert_eq!(
            refused(&file),
            "runs[0].summary.wall_ms is -5.0: times, counts and rates must be from 0 to 1e12"
        );
        file["runs"][0]["summary"]["wall_ms"] = 1e300.into();
        let absurd = refused(&file);
        assert!(
            absurd.starts_with("runs[0].summary.wall_ms is 1e+300"),
            "{absurd}"
        );
        file["runs"][0]["summary"]["wall_ms"] = "NaN".into();
        assert!(refused(&file).starts_with("the file is not a results file of this lab"));

        let mut file = sample();
        file["runs"][0]["label"] = "<img src=x onerror=alert(1)>".into();
        assert_eq!(
            refused(&file),
            "runs[0].label holds markup, control characters or over 2100 characters"
        );
        file["runs"][0]["label"] = "bell\u{7}".into();
        assert!(refused(&file).starts_with("runs[0].label holds"));

        let mut file = sample();
        let span = file["runs"][0]["spans"][0].clone();
        file["runs"][0]["spans"] = Value::Array(vec![span; MAX_SPANS + 1]);
        assert_eq!(
            refused(&file),
            "the file holds 200001 spans; the most this page reads is 200000"
        );
        assert!(refused(&serde_json::json!({ "schema": 2, "runs": [] }))
            .starts_with("the file is not a results file"));
    }

    #[test]
    fn frames_before_the_run_may_be_negative() {
        let mut file = sample();
        file["runs"][0]["main_thread"]["frame_times_ms"] = serde_json::json!([-3.5, 12.0]);
        assert!(read_export(file.to_string().as_bytes()).is_ok());
    }
}
