//! A setting's field: its name, accepted range, default and unit, how a value typed by a person
//! is parsed against it, and the error that names the field and the range when it is not.
//!
//! Apart from the settings themselves (`config`) so that the kernels' table can hold its size
//! fields without the kernels and the settings importing each other.

use std::fmt;

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

/// A decimal setting with its accepted range, default and unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FloatField {
    /// The query key.
    pub name: &'static str,
    /// Smallest accepted value.
    pub min: f64,
    /// Largest accepted value.
    pub max: f64,
    /// Value used when the key is absent (for optional settings, only to prefill a form).
    pub default: f64,
    /// What the number measures, for messages and labels.
    pub unit: &'static str,
}

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

impl FloatField {
    /// The accepted values in words, e.g. "a number from 0.1 to 2000 (requests per second)".
    pub fn range_text(&self) -> String {
        format!("a number from {} to {} ({})", self.min, self.max, self.unit)
    }

    /// Parses a decimal typed by a person, like "12.5" or ".5": no signs, exponents, NaN or infinity.
    pub fn parse(&self, raw: &str) -> Result<f64, FieldError> {
        let text = raw.trim();
        // Plain decimals only: `f64::from_str` would also take "inf", "NaN", "1e3" and "+5".
        let plain = text.bytes().any(|b| b.is_ascii_digit())
            && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && text.bytes().filter(|&b| b == b'.').count() <= 1;
        let value = if plain {
            text.parse::<f64>().ok()
        } else {
            None
        };
        match value {
            Some(value) if value.is_finite() && (self.min..=self.max).contains(&value) => Ok(value),
            _ => Err(FieldError {
                field: self.name.to_owned(),
                message: format!(
                    "{} must be a number from {} to {} {}; got {}",
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

impl FieldError {
    /// An error for `field` with its message.
    pub(crate) fn new(field: &str, message: String) -> FieldError {
        FieldError {
            field: field.to_owned(),
            message,
        }
    }
}

/// Quotes a rejected value for a message, escaping control characters and cutting long input.
pub(crate) fn echo(raw: &str) -> String {
    let mut shown: String = raw.chars().take(ECHO_CHARS).collect();
    let cut = shown.len() < raw.len();
    shown = format!("{shown:?}");
    if cut {
        shown.push('…');
    }
    shown
}
