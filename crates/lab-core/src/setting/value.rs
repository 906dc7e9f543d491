//! How a setting's value is read from a query and written back: the `Value` trait, which
//! every lab's settings struct reads and writes its fields through (see `lab_settings!` in the
//! crate root), and the readers it is made of.
//!
//! A reader returns the value, the default when the key is absent, or `None` with the field's
//! error pushed (its message names the field and what it accepts).

use super::{Accepts, Setting};
use crate::config::URL_MAX_CHARS;
use crate::field::{echo, FieldError, IntField};
use crate::kernel::Kernel;

/// A type a setting's value can have.
pub(crate) trait Value: Sized {
    /// The value of `setting`, from its query text (`None`: the key is absent). `kernel` is the
    /// lab's kernel as read so far: reading a kernel sets it, and a size is read in its range
    /// (no size is read when the kernel was not). `None` when rejected, with the error pushed.
    fn read(
        setting: &Setting,
        raw: Option<&str>,
        kernel: &mut Option<Kernel>,
        errors: &mut Vec<FieldError>,
    ) -> Option<Self>;

    /// The value as query text; `None` leaves the key out.
    fn write(&self) -> Option<String>;
}

/// The error for a setting whose definition does not fit the field's type: a mistake in a
/// lab's `lab_settings!`, which the defaults test of every lab finds.
pub(crate) fn mismatch<T>(setting: &Setting, errors: &mut Vec<FieldError>) -> Option<T> {
    errors.push(FieldError::new(
        setting.name,
        format!(
            "{} is defined as {:?}, which this field cannot hold",
            setting.name, setting.accepts
        ),
    ));
    None
}

impl Value for u32 {
    fn read(
        setting: &Setting,
        raw: Option<&str>,
        kernel: &mut Option<Kernel>,
        errors: &mut Vec<FieldError>,
    ) -> Option<u32> {
        match setting.accepts {
            Accepts::Int(field) => read(raw, field.default, |v| field.parse(v), errors),
            Accepts::KernelSize { default } => {
                let kernel = (*kernel)?;
                read_size(raw, kernel, default(kernel), errors)
            }
            _ => mismatch(setting, errors),
        }
    }

    fn write(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl Value for u64 {
    fn read(
        setting: &Setting,
        raw: Option<&str>,
        _: &mut Option<Kernel>,
        errors: &mut Vec<FieldError>,
    ) -> Option<u64> {
        match setting.accepts {
            Accepts::Int(field) => {
                read(raw, field.default, |v| field.parse(v), errors).map(u64::from)
            }
            _ => mismatch(setting, errors),
        }
    }

    fn write(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl Value for f64 {
    fn read(
        setting: &Setting,
        raw: Option<&str>,
        _: &mut Option<Kernel>,
        errors: &mut Vec<FieldError>,
    ) -> Option<f64> {
        match setting.accepts {
            Accepts::Float(field) => read(raw, field.default, |v| field.parse(v), errors),
            _ => mismatch(setting, errors),
        }
    }

    fn write(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl Value for Option<u32> {
    fn read(
        setting: &Setting,
        raw: Option<&str>,
        _: &mut Option<Kernel>,
        errors: &mut Vec<FieldError>,
    ) -> Option<Option<u32>> {
        match setting.accepts {
            Accepts::Int(field) => read_optional(raw, |v| field.parse(v), errors),
            _ => mismatch(setting, errors),
        }
    }

    fn write(&self) -> Option<String> {
        self.map(|value| value.to_string())
    }
}

impl Value for Option<f64> {
    fn read(
        setting: &Setting,
        raw: Option<&str>,
        _: &mut Option<Kernel>,
        errors: &mut Vec<FieldError>,
    ) -> Option<Option<f64>> {
        match setting.accepts {
            Accepts::Float(field) => read_optional(raw, |v| field.parse(v), errors),
            _ => mismatch(setting, errors),
        }
    }

    fn write(&self) -> Option<String> {
        self.map(|value| value.to_string())
    }
}

impl Value for Option<String> {
    fn read(
        setting: &Setting,
        raw: Option<&str>,
        _: &mut Option<Kernel>,
        errors: &mut Vec<FieldError>,
    ) -> Option<Option<String>> {
        match setting.accepts {
            Accepts::Url => read_optional(raw, parse_url, errors),
            _ => mismatch(setting, errors),
        }
    }

    fn write(&self) -> Option<String> {
        self.clone()
    }
}

impl Value for Kernel {
    fn read(
        setting: &Setting,
        raw: Option<&str>,
        kernel: &mut Option<Kernel>,
        errors: &mut Vec<FieldError>,
    ) -> Option<Kernel> {
        let Accepts::Kernel { default } = setting.accepts else {
            return mismatch(setting, errors);
        };
        *kernel = read(
            raw,
            default,
            |v| choice(setting.name, &Kernel::ALL, Kernel::name, v),
            errors,
        );
        *kernel
    }

    fn write(&self) -> Option<String> {
        Some(self.name().to_owned())
    }
}

/// Reads a choice of `named_choices!` that has a default (the setting's).
pub(crate) fn read_named<T: Copy>(
    setting: &Setting,
    raw: Option<&str>,
    all: &[T],
    name: fn(T) -> &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let default = match setting.accepts {
        Accepts::Choice {
            default: Some(default),
            ..
        } => all.iter().copied().find(|&c| name(c) == default),
        _ => None,
    };
    let Some(default) = default else {
        return mismatch(setting, errors);
    };
    read(raw, default, |v| choice(setting.name, all, name, v), errors)
}

/// Reads a choice of `named_choices!` that may be left out.
pub(crate) fn read_named_optional<T: Copy>(
    setting: &Setting,
    raw: Option<&str>,
    all: &[T],
    name: fn(T) -> &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<Option<T>> {
    match setting.accepts {
        Accepts::Choice { default: None, .. } => {
            read_optional(raw, |v| choice(setting.name, all, name, v), errors)
        }
        _ => mismatch(setting, errors),
    }
}

/// Reads `size` in `kernel`'s range (see [`Kernel::size_field`]), or `default` when absent.
///
/// The size's range depends on the kernel, so it can only be checked against a known one.
pub(crate) fn read_size(
    raw: Option<&str>,
    kernel: Kernel,
    default: u32,
    errors: &mut Vec<FieldError>,
) -> Option<u32> {
    let field = kernel.size_field();
    let parse = |v: &str| {
        field.parse(v).map_err(|_| {
            FieldError::new(
                field.name,
                format!(
                    "{} must be a whole number from {} to {} {} for {}; got {}",
                    field.name,
                    field.min,
                    field.max,
                    field.unit,
                    kernel.name(),
                    echo(v)
                ),
            )
        })
    };
    read(raw, default, parse, errors)
}

/// The parsed value, the default when absent, or `None` (with the error recorded) when rejected.
pub(crate) fn read<T>(
    raw: Option<&str>,
    default: T,
    parse: impl Fn(&str) -> Result<T, FieldError>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    match raw {
        None => Some(default),
        Some(raw) => keep(parse(raw), errors),
    }
}

/// Like [`read`] for an optional setting, where absent or blank means `Some(None)`.
pub(crate) fn read_optional<T>(
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, FieldError>,
    errors: &mut Vec<FieldError>,
) -> Option<Option<T>> {
    match raw {
        Some(raw) if !raw.trim().is_empty() => keep(parse(raw), errors).map(Some),
        _ => Some(None),
    }
}

/// The rule the I/O and hybrid labs share: `c` is at most `n`, and a `c` left out follows `n`
/// down, so a small `n` alone never fails against the default `c`.
pub(crate) fn c_within_n(
    field: &IntField,
    c: Option<u32>,
    c_raw: Option<&str>,
    n: Option<u32>,
    errors: &mut Vec<FieldError>,
) -> Option<u32> {
    let (Some(c), Some(n)) = (c, n) else {
        return c;
    };
    match c_raw {
        None => Some(c.min(n)),
        Some(raw) => {
            if c > n {
                errors.push(FieldError::new(
                    field.name,
                    format!(
                        "{} must be a whole number from {} to n ({n}) {}; got {}",
                        field.name,
                        field.min,
                        field.unit,
                        echo(raw)
                    ),
                ));
            }
            Some(c)
        }
    }
}

pub(crate) fn keep<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|error| errors.push(error)).ok()
}

/// Parses one of `all` by name, or an error listing every name.
pub(crate) fn choice<T: Copy>(
    field: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    raw: &str,
) -> Result<T, FieldError> {
    let text = raw.trim();
    all.iter()
        .copied()
        .find(|&item| name(item) == text)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|&item| name(item)).collect();
            FieldError::new(
                field,
                format!(
                    "{field} must be one of {}; got {}",
                    names.join(", "),
                    echo(raw)
                ),
            )
        })
}

pub(crate) fn parse_url(raw: &str) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.chars().count() > URL_MAX_CHARS {
        return Err(FieldError::new(
            "url",
            format!(
                "url must be at most {URL_MAX_CHARS} characters; got {}",
                echo(raw)
            ),
        ));
    }
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || text.starts_with('/') {
        Ok(text.to_owned())
    } else {
        Err(FieldError::new(
            "url",
            format!(
                "url must be an http(s) address or a path starting with /; got {}",
                echo(raw)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Strategy, IO_N, START_LATENCY};

    #[test]
    fn a_field_whose_definition_does_not_fit_its_type_says_so() {
        let mut errors = Vec::new();
        let latency = Setting::float(START_LATENCY, "Latency", "a decimal");
        assert_eq!(u32::read(&latency, Some("5"), &mut None, &mut errors), None);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "latency_ms");
        let n = Setting::int(IO_N, "n", "a whole number");
        assert_eq!(Strategy::read(&n, None, &mut None, &mut errors), None);
        assert_eq!(Kernel::read(&n, None, &mut None, &mut errors), None);
        assert_eq!(errors.len(), 3);
    }

    #[test]
    fn a_size_follows_the_kernel_read_before_it() {
        let mut errors = Vec::new();
        let size = Setting::kernel_size("Size", "work", |k| k.size_field().default, "default");
        // No kernel read: no size, and no error of its own (the kernel's error says why).
        assert_eq!(u32::read(&size, Some("5"), &mut None, &mut errors), None);
        assert!(errors.is_empty());
        let kernel = crate::setting::kernel("the job", Kernel::Sha256);
        let mut read_kernel = None;
        let mandelbrot = Kernel::read(&kernel, Some("mandelbrot"), &mut read_kernel, &mut errors);
        assert_eq!(mandelbrot, Some(Kernel::Mandelbrot));
        assert_eq!(read_kernel, Some(Kernel::Mandelbrot));
        assert_eq!(
            u32::read(&size, None, &mut read_kernel, &mut errors),
            Some(2000)
        );
        assert_eq!(
            u32::read(&size, Some("15"), &mut read_kernel, &mut errors),
            None
        );
        assert!(
            errors[0].message.contains("for mandelbrot"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn absent_optional_values_are_left_out_of_the_query() {
        assert_eq!(Value::write(&None::<u32>), None);
        assert_eq!(Value::write(&Some(2.5)), Some("2.5".to_owned()));
        assert_eq!(
            Value::write(&Some(Strategy::Phased)),
            Some("phased".to_owned())
        );
        assert_eq!(Value::write(&None::<Strategy>), None);
    }
}
