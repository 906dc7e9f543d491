//! Settings read from the page's URL query, validated field by field.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which lab page to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lab {
    /// The quick side-by-side comparison of async fetches and parallel work.
    #[default]
    Start,
}

impl Lab {
    /// Every lab, in menu order.
    pub const ALL: [Lab; 1] = [Lab::Start];

    /// The lab's name in the URL and in exported files.
    pub fn name(self) -> &'static str {
        match self {
            Lab::Start => "start",
        }
    }

    /// The lab with this URL name, if any.
    pub fn from_name(name: &str) -> Option<Lab> {
        Lab::ALL.into_iter().find(|lab| lab.name() == name)
    }
}

/// A whole-number setting with its accepted range, default and unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntField {
    /// The query key.
    pub name: &'static str,
    /// Smallest accepted value.
    pub min: u32,
    /// Largest accepted value.
    pub max: u32,
    /// Value used when the key is absent.
    pub default: u32,
    /// What the number counts, for messages and labels.
    pub unit: &'static str,
}

/// Concurrent fetches per I/O run.
pub const FETCHES: IntField = IntField {
    name: "n",
    min: 1,
    max: 200,
    default: 20,
    unit: "requests",
};

/// CPU tasks per parallel run.
pub const TASKS: IntField = IntField {
    name: "tasks",
    min: 1,
    max: 1024,
    default: 64,
    unit: "tasks",
};

/// Work per CPU task.
pub const SIZE: IntField = IntField {
    name: "size",
    min: 1,
    max: 1_000_000,
    default: 20_000,
    unit: "SHA-256 rounds per task",
};

/// Every whole-number setting, in form order.
pub const INT_FIELDS: [IntField; 3] = [FETCHES, TASKS, SIZE];

/// The most characters of a rejected value that an error message repeats back.
const ECHO_CHARS: usize = 40;

impl IntField {
    /// The accepted values in words, e.g. "a whole number from 1 to 200 (requests)".
    pub fn range_text(&self) -> String {
        format!(
            "a whole number from {} to {} ({})",
            self.min, self.max, self.unit
        )
    }

    /// Parses a value typed by a person: surrounding spaces are fine, anything else out of range is not.
    pub fn parse(&self, raw: &str) -> Result<u32, FieldError> {
        let text = raw.trim();
        // Digits only: `u32::from_str` would also take a leading "+".
        let value = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            text.parse::<u32>().ok()
        } else {
            None
        };
        match value {
            Some(value) if (self.min..=self.max).contains(&value) => Ok(value),
            _ => Err(FieldError {
                field: self.name.to_owned(),
                message: format!(
                    "{} must be a whole number from {} to {} {}; got {}",
                    self.name,
                    self.min,
                    self.max,
                    self.unit,
                    echo(raw)
                ),
            }),
        }
    }
}

/// A rejected setting: which field, and a message saying what is accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The query key.
    pub field: String,
    /// A sentence naming the field, the accepted values and what was given.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

/// Everything the page can be told through its URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Which lab to show.
    pub lab: Lab,
    /// Concurrent fetches per I/O run (see [`FETCHES`]).
    pub n: u32,
    /// CPU tasks per parallel run (see [`TASKS`]).
    pub tasks: u32,
    /// SHA-256 rounds per CPU task (see [`SIZE`]).
    pub size: u32,
    /// Start the runs as soon as the page loads.
    pub autorun: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lab: Lab::default(),
            n: FETCHES.default,
            tasks: TASKS.default,
            size: SIZE.default,
            autorun: false,
        }
    }
}

impl Settings {
    /// The query that reproduces these settings, without the leading '?'.
    pub fn to_query(&self) -> String {
        let mut query = format!(
            "lab={}&{}={}&{}={}&{}={}",
            self.lab.name(),
            FETCHES.name,
            self.n,
            TASKS.name,
            self.tasks,
            SIZE.name,
            self.size
        );
        if self.autorun {
            query.push_str("&autorun=1");
        }
        query
    }
}

/// Reads settings from a URL query (with or without its leading '?'), reporting every bad field.
///
/// Unknown keys are ignored and, when a key repeats, the last value wins.
pub fn parse_query(query: &str) -> Result<Settings, Vec<FieldError>> {
    let mut lab = None;
    let mut ints: [Option<String>; 3] = Default::default();
    let mut autorun = None;
    let query = query.strip_prefix('?').unwrap_or(query);
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (percent_decode(key), percent_decode(value));
        if key == "lab" {
            lab = Some(value);
        } else if key == "autorun" {
            autorun = Some(value);
        } else if let Some(i) = INT_FIELDS.iter().position(|field| field.name == key) {
            ints[i] = Some(value);
        }
    }

    let mut settings = Settings::default();
    let mut errors = Vec::new();
    if let Some(raw) = lab {
        match Lab::from_name(raw.trim()) {
            Some(found) => settings.lab = found,
            None => errors.push(lab_error(&raw)),
        }
    }
    let targets = [&mut settings.n, &mut settings.tasks, &mut settings.size];
    for ((field, raw), target) in INT_FIELDS.iter().zip(&ints).zip(targets) {
        if let Some(raw) = raw {
            match field.parse(raw) {
                Ok(value) => *target = value,
                Err(error) => errors.push(error),
            }
        }
    }
    if let Some(raw) = autorun {
        match raw.trim() {
            "1" | "true" => settings.autorun = true,
            "0" | "false" => settings.autorun = false,
            _ => errors.push(FieldError {
                field: "autorun".to_owned(),
                message: format!("autorun must be 1, true, 0 or false; got {}", echo(&raw)),
            }),
        }
    }

    if errors.is_empty() {
        Ok(settings)
    } else {
        Err(errors)
    }
}

fn lab_error(raw: &str) -> FieldError {
    let names: Vec<&str> = Lab::ALL.iter().map(|lab| lab.name()).collect();
    FieldError {
        field: "lab".to_owned(),
        message: format!(
            "lab must be one of: {}; got {}",
            names.join(", "),
            echo(raw)
        ),
    }
}

/// Quotes a rejected value for a message, escaping control characters and cutting long input.
fn echo(raw: &str) -> String {
    let mut shown: String = raw.chars().take(ECHO_CHARS).collect();
    let cut = shown.len() < raw.len();
    shown = format!("{shown:?}");
    if cut {
        shown.push('…');
    }
    shown
}

/// Decodes `application/x-www-form-urlencoded` text: `+` is a space and `%XX` a byte.
///
/// A `%` not followed by two hex digits is kept as it is, and bytes that are not UTF-8 become
/// U+FFFD, so decoding never fails.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|pair| {
                    let high = char::from(pair[0]).to_digit(16)?;
                    let low = char::from(pair[1]).to_digit(16)?;
                    u8::try_from(high * 16 + low).ok()
                });
                if let Some(byte) = hex {
                    out.push(byte);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_names() {
        assert_eq!(Lab::Start.name(), "start");
        assert_eq!(Lab::from_name("start"), Some(Lab::Start));
        assert_eq!(Lab::from_name("Start"), None);
        assert_eq!(serde_json::to_string(&Lab::Start).unwrap(), "\"start\"");
    }

    #[test]
    fn range_text_names_range_and_unit() {
        assert_eq!(
            FETCHES.range_text(),
            "a whole number from 1 to 200 (requests)"
        );
        assert_eq!(
            SIZE.range_text(),
            "a whole number from 1 to 1000000 (SHA-256 rounds per task)"
        );
    }

    #[test]
    fn int_field_accepts_whole_numbers_in_range() {
        assert_eq!(FETCHES.parse("1"), Ok(1));
        assert_eq!(FETCHES.parse(" 200 "), Ok(200));
        assert_eq!(FETCHES.parse("007"), Ok(7));
        assert_eq!(SIZE.parse("1000000"), Ok(1_000_000));
    }

    #[test]
    fn int_field_rejects_everything_else() {
        for raw in [
            "",
            " ",
            "abc",
            "-3",
            "2.5",
            "1e2",
            "+5",
            "0",
            "201",
            "99999999999999999999",
        ] {
            let error = FETCHES.parse(raw).unwrap_err();
            assert_eq!(error.field, "n");
            assert!(error.message.starts_with("n must be"), "{raw:?}: {error}");
        }
        assert_eq!(
            FETCHES.parse("abc").unwrap_err().to_string(),
            "n must be a whole number from 1 to 200 requests; got \"abc\""
        );
        assert_eq!(
            TASKS.parse("").unwrap_err().message,
            "tasks must be a whole number from 1 to 1024 tasks; got \"\""
        );
    }

    #[test]
    fn error_echo_is_escaped_and_short() {
        let message = TASKS.parse(&"9".repeat(100)).unwrap_err().message;
        assert!(
            message.ends_with(&format!("got \"{}\"…", "9".repeat(40))),
            "{message}"
        );
        let message = TASKS.parse("a\"\n").unwrap_err().message;
        assert!(message.ends_with(r#"got "a\"\n""#), "{message}");
    }

    #[test]
    fn empty_query_gives_defaults() {
        let defaults = Settings {
            lab: Lab::Start,
            n: 20,
            tasks: 64,
            size: 20_000,
            autorun: false,
        };
        assert_eq!(Settings::default(), defaults);
        assert_eq!(parse_query(""), Ok(defaults.clone()));
        assert_eq!(parse_query("?"), Ok(defaults.clone()));
        assert_eq!(parse_query("?&&utm_source=x&debug"), Ok(defaults));
    }

    #[test]
    fn query_sets_every_field() {
        let settings = parse_query("?lab=start&n=5&tasks=8&size=100&autorun=true").unwrap();
        assert_eq!(
            settings,
            Settings {
                lab: Lab::Start,
                n: 5,
                tasks: 8,
                size: 100,
                autorun: true
            }
        );
    }

    #[test]
    fn query_is_percent_decoded_and_last_key_wins() {
        let settings = parse_query("n=%20%34%32+&tasks=abc&tasks=16&autorun=1&autorun=0").unwrap();
        assert_eq!(settings.n, 42);
        assert_eq!(settings.tasks, 16);
        assert!(!settings.autorun);
        assert_eq!(parse_query("%6E=7").map(|s| s.n), Ok(7));
    }

    #[test]
    fn query_reports_every_bad_field() {
        let errors = parse_query("lab=fast&n=0&tasks=x&size=2000001&autorun=yes").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["lab", "n", "tasks", "size", "autorun"]);
        assert_eq!(errors[0].message, "lab must be one of: start; got \"fast\"");
        assert_eq!(
            errors[1].message,
            "n must be a whole number from 1 to 200 requests; got \"0\""
        );
        assert_eq!(
            errors[4].message,
            "autorun must be 1, true, 0 or false; got \"yes\""
        );
    }

    #[test]
    fn query_round_trips() {
        let settings = Settings {
            lab: Lab::Start,
            n: 200,
            tasks: 1,
            size: 1_000_000,
            autorun: true,
        };
        assert_eq!(
            settings.to_query(),
            "lab=start&n=200&tasks=1&size=1000000&autorun=1"
        );
        assert_eq!(parse_query(&settings.to_query()), Ok(settings));

        let defaults = Settings::default();
        assert_eq!(defaults.to_query(), "lab=start&n=20&tasks=64&size=20000");
        assert_eq!(
            parse_query(&format!("?{}", defaults.to_query())),
            Ok(defaults)
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a+b%20c"), "a b c");
        assert_eq!(percent_decode("%e2%9c%93"), "✓");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
    }
}
