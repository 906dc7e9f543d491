//! The results format, pinned by real exports: each file under `tests/golden/` (one per lab,
//! exported by the page; `e2e/golden.spec.mjs` records them and checks fresh exports against
//! them) must read into [`Export`] and write back as the very same JSON.

use std::fs;
use std::path::PathBuf;

use lab_core::schema::Export;
use serde_json::Value;

fn golden_files() -> Vec<PathBuf> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    let mut files: Vec<PathBuf> = fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("reading {}: {e}", folder.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_lab_has_a_golden_file() {
    let names: Vec<String> = golden_files()
        .iter()
        .filter_map(|path| path.file_stem()?.to_str().map(str::to_owned))
        .collect();
    for lab in ["start", "io", "cpu", "hybrid", "wrong", "tradeoff"] {
        assert!(
            names.iter().any(|n| n == lab),
            "no golden file for {lab}: {names:?}"
        );
    }
}

#[test]
fn the_schema_reads_and_writes_each_golden_file_unchanged() {
    for path in golden_files() {
        let text = fs::read_to_string(&path).expect("a readable golden file");
        let file: Value = serde_json::from_str(&text).expect("valid JSON");
        let export: Export = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} does not read as an export: {e}", path.display()));
        let written = serde_json::to_value(&export).expect("an export always serializes");
        if let Some(difference) = first_difference(&written, &file, "") {
            panic!(
                "{} changed on the way through: {difference}",
                path.display()
            );
        }
    }
}

/// Where two JSON values first differ, as a path and both values.
fn first_difference(written: &Value, file: &Value, path: &str) -> Option<String> {
    match (written, file) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().find_map(|key| {
                let inner = format!("{path}.{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => first_difference(x, y, &inner),
                    (x, y) => Some(format!("{inner}: written {x:?}, file {y:?}")),
                }
            })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]"))),
        _ if written == file => None,
        _ => Some(format!("{path}: written {written}, file {file}")),
    }
}
