//! Cuts the code panels' snippets out of the real source at build time, so that only the shown
//! lines ship in the wasm, never whole files. `src/components/code_panel.rs` includes the table
//! this writes; `lab_core::snippet` defines the markers and is tested natively.

use std::{env, fmt::Write as _, fs, path::Path};

use lab_core::snippet::{extract, names};

/// The files the code panels quote, relative to the package root.
const SOURCES: &[&str] = &[
    "src/runtime/fetch.rs",
    "src/runtime/pool.rs",
    "src/runtime/event_loop.rs",
    "src/experiments/io_run.rs",
    "src/experiments/cpu_job.rs",
    "src/experiments/hybrid.rs",
    "src/experiments/tradeoff.rs",
    "src/labs/wrong/run.rs",
    "crates/lab-core/src/execute.rs",
];

fn main() {
    let mut table = String::from("&[\n");
    for file in SOURCES {
        println!("cargo::rerun-if-changed={file}");
        let source = fs::read_to_string(file).unwrap_or_else(|error| panic!("{file}: {error}"));
        for name in names(&source) {
            let code = extract(&source, name)
                .unwrap_or_else(|| panic!("{file}: snippet `{name}` has no `// end snippet`"));
            writeln!(table, "    ({file:?}, {name:?}, {code:?}),").expect("writing to a String");
        }
    }
    table.push_str("]\n");
    let out = Path::new(&env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("snippets.rs");
    fs::write(&out, table).unwrap_or_else(|error| panic!("{}: {error}", out.display()));
}
