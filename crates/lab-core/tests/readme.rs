//! The README's parameter tables are rendered from the settings' definitions
//! (`lab_core::setting`), so they cannot drift from what the parser accepts. After changing a
//! definition, `UPDATE_README=1 cargo test -p lab-core --test readme` rewrites them.

use std::path::PathBuf;

use lab_core::config::Lab;
use lab_core::setting::readme_table;

fn readme_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../README.md")
}

/// The README with each lab's table between its markers replaced by the rendered one.
fn rendered(readme: &str) -> Result<String, String> {
    let mut text = readme.to_owned();
    for lab in Lab::ALL {
        if lab.settings().is_empty() {
            continue;
        }
        let open = format!("<!-- settings:{} -->\n", lab.name());
        let close = format!("<!-- /settings:{} -->", lab.name());
        let start = text
            .find(&open)
            .ok_or_else(|| format!("README.md has no `{}` marker", open.trim()))?
            + open.len();
        let end = start
            + text[start..]
                .find(&close)
                .ok_or_else(|| format!("README.md has no `{close}` marker"))?;
        text.replace_range(start..end, &readme_table(lab.settings()));
    }
    Ok(text)
}

#[test]
fn the_readme_tables_are_the_settings_definitions() {
    let path = readme_path();
    let readme = std::fs::read_to_string(&path).unwrap();
    let expected = rendered(&readme).unwrap();
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    assert!(
        readme == expected,
        "README.md's parameter tables differ from the settings' definitions; run \
         `UPDATE_README=1 cargo test -p lab-core --test readme` and review the diff"
    );
}
