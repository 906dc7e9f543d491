//! Property tests of the two readers of outside input: the settings parser (a link's query) and
//! the results importer (a file someone drops on the page). No input panics them; every
//! rejection names its field; every accepted input survives a round trip.
//!
//! Run longer with `PROPTEST_CASES=100000 cargo +1.95.0 test -p lab-core --test fuzz` (20,000
//! cases of each took about 70 s here).

use lab_core::config::{parse_query, Lab};
use lab_core::import::{read_export, ImportError};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::Value;

/// Values a query might carry: numbers in and out of every range, choice names, escapes and
/// junk.
fn query_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u32>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|x| x.to_string()),
        (0u32..2000).prop_map(|n| n.to_string()),
        (0.0f64..1.5).prop_map(|x| format!("{x:.3}")),
        select(vec![
            "",
            "0",
            "1",
            "-1",
            "1e9",
            "NaN",
            "inf",
            "-0",
            "0x10",
            "1_000",
            " 5 ",
            "%",
            "%zz",
            "%00",
            "%3Cb%3E",
            "true",
            "false",
            "sim",
            "url",
            "static",
            "rayon",
            "lanes",
            "main",
            "worker",
            "sha256",
            "mandelbrot",
            "c",
            "rate",
            "hang",
            "burst",
            "all",
            "https://a.b/",
            "<script>",
            "é",
            "\u{202e}",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,12}",
    ]
}

/// A query for a lab (or a lab name that is none): some of its keys, other keys, repeats.
fn structured_query() -> impl Strategy<Value = String> {
    let lab = prop_oneof![
        9 => select(Lab::ALL.to_vec()).prop_map(|lab| lab.name().to_owned()),
        1 => "\\PC{0,6}",
    ];
    (
        lab,
        prop::collection::vec((any::<Index>(), query_value()), 0..8),
        any::<bool>(),
    )
        .prop_map(|(lab, pairs, autorun)| {
            let keys: Vec<&str> = Lab::ALL
                .iter()
                .find(|l| l.name() == lab)
                .map(|l| l.settings().iter().map(|s| s.name).collect())
                .unwrap_or_default();
            let mut query = format!("lab={}", encode(&lab));
            for (key, value) in pairs {
                let key = if keys.is_empty() {
                    "n"
                } else {
                    keys[key.index(keys.len())]
                };
                query.push_str(&format!("&{key}={}", encode(&value)));
            }
            if autorun {
                query.push_str("&autorun=1");
            }
            query
        })
}

/// Percent-encodes everything but letters and digits, so the value reaches the parser whole.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The keys a query may be refused for: the lab's settings, `lab` and `autorun`.
fn known_keys() -> Vec<&'static str> {
    let mut keys = vec!["lab", "autorun"];
    for lab in Lab::ALL {
        keys.extend(lab.settings().iter().map(|s| s.name));
    }
    keys
}

fn check_query(query: &str) -> Result<(), TestCaseError> {
    match parse_query(query) {
        Ok(settings) => {
            // What was accepted writes a link that reads back the same.
            prop_assert_eq!(parse_query(&settings.to_query()), Ok(settings));
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "refused without a reason: {query}");
            for error in errors {
                prop_assert!(known_keys().contains(&error.field.as_str()), "{error:?}");
                prop_assert!(
                    error.message.contains(&error.field),
                    "the message does not name its field: {error:?}"
                );
            }
        }
    }
    Ok(())
}

/// The golden exports, one per lab, as JSON values.
fn golden() -> Vec<Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap())
        .collect()
}

/// Every JSON pointer inside `value`, the root included.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                pointers(
                    item,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,10}".prop_map(Value::from),
        select(vec![
            "<b>", "io", "cpu", "worker-0", "main", "io-1", "\u{7}"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// One change to a file: a value replaced, or a key removed.
#[derive(Clone, Debug)]
enum Mutation {
    Replace(Index, Value),
    Remove(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), json_value()).prop_map(|(at, value)| Mutation::Replace(at, value)),
        1 => any::<Index>().prop_map(Mutation::Remove),
    ]
}

fn mutate(file: &mut Value, mutation: &Mutation) {
    let mut all = Vec::new();
    pointers(file, String::new(), &mut all);
    match mutation {
        Mutation::Replace(at, value) => {
            if let Some(slot) = file.pointer_mut(&all[at.index(all.len())]) {
                *slot = value.clone();
            }
        }
        Mutation::Remove(at) => {
            let pointer = &all[at.index(all.len())];
            if let Some((parent, key)) = pointer.rsplit_once('/') {
                match file.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.remove(&key.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(i) = key.parse::<usize>() {
                            items.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A refusal names where the file went wrong: a path, or the missing field by name.
fn names_its_field(error: &ImportError) -> bool {
    match error {
        ImportError::BadNumber { path, .. } | ImportError::BadText { path } => !path.is_empty(),
        ImportError::NotAnExport { path, words } => path != "." || words.contains('`'),
        ImportError::TooBig(_)
        | ImportError::NotJson(_)
        | ImportError::Schema(_)
        | ImportError::TooManyRuns(_)
        | ImportError::TooManySpans(_) => true,
    }
}

proptest! {
    #[test]
    fn no_query_string_panics_the_parser(query in "\\PC{0,80}") {
        check_query(&query)?;
    }

    #[test]
    fn no_query_of_real_keys_panics_the_parser(query in structured_query()) {
        check_query(&query)?;
    }

    #[test]
    fn no_bytes_panic_the_importer(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Err(error) = read_export(&bytes) {
            prop_assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn a_changed_results_file_reads_or_is_refused_by_name(
        file in any::<Index>(),
        changes in prop::collection::vec(mutation(), 1..4),
    ) {
        let files = golden();
        let mut value = files[file.index(files.len())].clone();
        for change in &changes {
            mutate(&mut value, change);
        }
        match read_export(value.to_string().as_bytes()) {
            Ok(export) => {
                // What was accepted writes back to a file that reads the same.
                let again = serde_json::to_string(&export).unwrap();
                prop_assert_eq!(read_export(again.as_bytes()).ok(), Some(export));
            }
            Err(error) => prop_assert!(names_its_field(&error), "{error}"),
        }
    }

    #[test]
    fn a_cut_results_file_is_refused_as_not_json(file in any::<Index>(), cut in any::<Index>()) {
        let files = golden();
        let text = files[file.index(files.len())].to_string();
        let end = cut.index(text.len());
        prop_assert!(matches!(read_export(&text.as_bytes()[..end]), Err(ImportError::NotJson(_))));
    }
}
