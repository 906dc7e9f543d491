//! Code panels taken from the real source, between `// snippet: NAME` and `// end snippet`.

/// The text of a start marker before the snippet's name.
const START: &str = "// snippet:";

/// The whole text of an end marker.
const END: &str = "// end snippet";

/// The code of snippet `name` in `source`, without the common indentation or trailing blank lines.
///
/// The snippet is the lines strictly between the first line whose trimmed text is
/// `// snippet: NAME` and its `// end snippet`. The start and end lines of other snippets
/// nested inside it are left out, and a nested snippet's end does not end this one. `None` when
/// the name is blank, the start marker is missing, or its end marker is.
pub fn extract(source: &str, name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut lines = source.lines();
    lines.find(|line| marker_name(line) == Some(name))?;

    let mut body: Vec<&str> = Vec::new();
    let mut depth = 0usize;
    let mut closed = false;
    for line in lines {
        if line.trim() == END {
            if depth == 0 {
                closed = true;
                break;
            }
            depth -= 1;
        } else if marker_name(line).is_some() {
            depth += 1;
        } else {
            body.push(line);
        }
    }
    if !closed {
        return None;
    }

    while body.last().is_some_and(|line| line.trim().is_empty()) {
        body.pop();
    }
    let indent = body
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let dedented: Vec<&str> = body
        .iter()
        .map(|line| {
            if line.trim().is_empty() {
                ""
            } else {
                // Indents are counted in bytes, and a cut inside a multi-byte space would panic.
                line.get(indent..).unwrap_or_else(|| line.trim_start())
            }
        })
        .collect();
    Some(dedented.join("\n"))
}

/// The names of the snippets in `source`, nested ones included, in order of their start markers,
/// each once.
pub fn names(source: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for name in source.lines().filter_map(marker_name) {
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The name of a `// snippet: NAME` line, trimmed; `None` for any other line.
fn marker_name(line: &str) -> Option<&str> {
    line.trim().strip_prefix(START).map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "\
fn outer() {
    // snippet: fetch-all
    let futures = urls.iter().map(fetch);
        // snippet: join
    let bodies = join_all(futures).await;
        // end snippet

    for body in bodies {
        process(body);
    }


    // end snippet
}
// snippet: empty
// end snippet
// snippet: open
let x = 1;
";

    #[test]
    fn extracts_and_dedents() {
        assert_eq!(
            extract(SOURCE, "fetch-all").as_deref(),
            Some(
                "let futures = urls.iter().map(fetch);\n\
                 let bodies = join_all(futures).await;\n\
                 \n\
                 for body in bodies {\n    process(body);\n}"
            )
        );
    }

    #[test]
    fn nested_snippets_extract_on_their_own() {
        assert_eq!(
            extract(SOURCE, "join").as_deref(),
            Some("let bodies = join_all(futures).await;")
        );
    }

    #[test]
    fn empty_and_missing_snippets() {
        assert_eq!(extract(SOURCE, "empty").as_deref(), Some(""));
        assert_eq!(extract(SOURCE, "nope"), None);
        assert_eq!(extract(SOURCE, "open"), None);
        assert_eq!(extract(SOURCE, ""), None);
        assert_eq!(extract(SOURCE, "  "), None);
        assert_eq!(extract("", "x"), None);
        // A name is matched whole, not as a prefix.
        assert_eq!(extract(SOURCE, "fetch"), None);
    }

    #[test]
    fn markers_are_matched_on_trimmed_lines() {
        let source = "\t// snippet: a  \r\n\t\tone\r\n\t\t\ttwo\r\n\t// end snippet\t\r\n";
        assert_eq!(extract(source, "a").as_deref(), Some("one\n\ttwo"));
        // Inside a longer comment the text is not a marker.
        assert_eq!(
            extract("/// see // snippet: a\nx\n// end snippet", "a"),
            None
        );
    }

    #[test]
    fn names_lists_every_marker_once_in_order() {
        assert_eq!(names(SOURCE), ["fetch-all", "join", "empty", "open"]);
        assert_eq!(
            names("// snippet: a\n// snippet:  \n// snippet: a\n"),
            ["a"]
        );
        assert!(names("").is_empty());
    }

    #[test]
    fn odd_indentation_does_not_panic() {
        // A non-breaking space is whitespace two bytes wide, so one byte of indent cuts it.
        let source = "// snippet: s\n\u{a0}x\n y\n// end snippet";
        assert_eq!(extract(source, "s").as_deref(), Some("x\ny"));
    }
}
