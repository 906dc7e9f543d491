//! Each setting defined once: its name, what it accepts, its default, its label and help, and
//! the rules it shares with other fields, in words.
//!
//! A lab binds each field of its settings to its definition once, in its `lab_settings!` (for
//! example in [`crate::labs::io`]), which makes the lab's table in form order
//! ([`crate::labs::io::IO_SETTINGS`]), the struct, its `Default` and its query reading and
//! writing (`value::Value`, through the [`IntField`], [`FloatField`] or choice the definition
//! holds). The page's form is built from the table; the README's parameter tables are rendered
//! from it ([`Setting::readme_row`]) and a test keeps them equal
//! (`crates/lab-core/tests/readme.rs`).

pub(crate) mod value;

use crate::field::{FloatField, IntField};
use crate::kernel::{Kernel, KERNELS};

/// What a setting accepts.
#[derive(Clone, Copy, Debug)]
pub enum Accepts {
    /// A whole number in the field's range.
    Int(IntField),
    /// A decimal in the field's range.
    Float(FloatField),
    /// One of these names, in menu order; `default` is used when the key is absent (none for an
    /// optional choice).
    Choice {
        /// Every accepted name, in menu order.
        names: &'static [&'static str],
        /// The name used when the key is absent.
        default: Option<&'static str>,
    },
    /// A kernel, by name; the menu and the README list [`KERNELS`], with each one's title.
    Kernel {
        /// The kernel used when the key is absent.
        default: Kernel,
    },
    /// An address: `http(s)://…` or a path starting with `/`, up to
    /// [`URL_MAX_CHARS`](crate::config::URL_MAX_CHARS) characters.
    Url,
    /// An amount of work in the chosen kernel's unit, within that kernel's range (its row in
    /// [`KERNELS`]).
    KernelSize {
        /// The size used when the key is absent, per kernel.
        default: fn(Kernel) -> u32,
    },
}

/// One setting of a lab, as the URL, the form and the README know it.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    /// The query key.
    pub name: &'static str,
    /// The form's label.
    pub label: &'static str,
    /// What it means, in a sentence (the README's table; Markdown backticks allowed).
    pub help: &'static str,
    /// A short hint under the form's field; empty for numbers, whose range is the hint.
    pub hint: &'static str,
    /// What it accepts.
    pub accepts: Accepts,
    /// For a setting that may be left out: what leaving it out means ("closed loop").
    pub absent: Option<&'static str>,
    /// A rule shared with other fields, in words ("at most `n`").
    pub rule: Option<&'static str>,
}

impl Setting {
    const fn new(
        name: &'static str,
        label: &'static str,
        help: &'static str,
        accepts: Accepts,
    ) -> Setting {
        Setting {
            name,
            label,
            help,
            hint: "",
            accepts,
            absent: None,
            rule: None,
        }
    }

    /// A whole-number setting; its name, range, default and unit are the field's.
    pub const fn int(field: IntField, label: &'static str, help: &'static str) -> Setting {
        Setting::new(field.name, label, help, Accepts::Int(field))
    }

    /// A decimal setting; its name, range, default and unit are the field's.
    pub const fn float(field: FloatField, label: &'static str, help: &'static str) -> Setting {
        Setting::new(field.name, label, help, Accepts::Float(field))
    }

    /// A choice among `names`, `default` when absent.
    pub const fn choice(
        name: &'static str,
        label: &'static str,
        help: &'static str,
        names: &'static [&'static str],
        default: &'static str,
    ) -> Setting {
        Setting::new(
            name,
            label,
            help,
            Accepts::Choice {
                names,
                default: Some(default),
            },
        )
    }

    /// A choice among `names` that may be left out; `absent` says what that means.
    pub const fn optional_choice(
        name: &'static str,
        label: &'static str,
        help: &'static str,
        names: &'static [&'static str],
        absent: &'static str,
    ) -> Setting {
        Setting::new(
            name,
            label,
            help,
            Accepts::Choice {
                names,
                default: None,
            },
        )
        .optional(absent)
    }

    /// An address setting.
    pub const fn url(name: &'static str, label: &'static str, help: &'static str) -> Setting {
        Setting::new(name, label, help, Accepts::Url)
    }

    /// The kernel's size, in its unit; `default` gives it for each kernel, which `absent` says
    /// in words ("about L/2 of work").
    pub const fn kernel_size(
        label: &'static str,
        help: &'static str,
        default: fn(Kernel) -> u32,
        absent: &'static str,
    ) -> Setting {
        Setting::new(SIZE, label, help, Accepts::KernelSize { default }).optional(absent)
    }

    /// The setting may be left out, which means `absent`.
    pub const fn optional(self, absent: &'static str) -> Setting {
        Setting {
            absent: Some(absent),
            ..self
        }
    }

    /// A rule shared with other fields, in words.
    pub const fn rule(self, rule: &'static str) -> Setting {
        Setting {
            rule: Some(rule),
            ..self
        }
    }

    /// A short hint for the form's field.
    pub const fn hint(self, hint: &'static str) -> Setting {
        Setting { hint, ..self }
    }

    /// The hint under the form's field: the range and unit of a number, else [`Setting::hint`].
    pub fn form_hint(&self) -> String {
        match self.accepts {
            Accepts::Int(f) => format!("{}–{} {}", f.min, f.max, f.unit),
            Accepts::Float(f) => format!("{}–{} {}", f.min, f.max, f.unit),
            _ => self.hint.to_owned(),
        }
    }

    /// The choices a form's menu offers; an empty name stands for "left out". Empty for fields
    /// that are typed.
    pub fn menu(&self) -> Vec<&'static str> {
        match self.accepts {
            Accepts::Choice { names, default } => {
                let absent = default.is_none().then_some("");
                absent.into_iter().chain(names.iter().copied()).collect()
            }
            Accepts::Kernel { .. } => Kernel::NAMES.to_vec(),
            _ => Vec::new(),
        }
    }

    /// The default in words, for the README.
    pub fn default_text(&self) -> String {
        if let Accepts::KernelSize { default } = self.accepts {
            let sizes: Vec<String> = Kernel::ALL
                .iter()
                .map(|&kernel| format!("`{}` {}", kernel.name(), default(kernel)))
                .collect();
            return format!("{} ({})", self.absent.unwrap_or_default(), sizes.join(", "));
        }
        if let Some(absent) = self.absent {
            return format!("absent: {absent}");
        }
        match self.accepts {
            Accepts::Int(f) => format!("`{}`", f.default),
            Accepts::Float(f) => format!("`{}`", f.default),
            Accepts::Choice {
                default: Some(name),
                ..
            } => format!("`{name}`"),
            Accepts::Kernel { default } => format!("`{}`", default.name()),
            Accepts::Choice { default: None, .. } | Accepts::Url | Accepts::KernelSize { .. } => {
                "—".to_owned()
            }
        }
    }

    /// What is accepted, in words, for the README.
    pub fn accepted_text(&self) -> String {
        let accepted = match self.accepts {
            Accepts::Int(f) => format!("{} to {} {}", f.min, f.max, f.unit),
            Accepts::Float(f) => format!("{} to {} {}", f.min, f.max, f.unit),
            Accepts::Choice { names, .. } => names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", "),
            Accepts::Kernel { .. } => KERNELS
                .iter()
                .map(|spec| format!("`{}` ({})", spec.kernel.name(), spec.title))
                .collect::<Vec<_>>()
                .join(", "),
            Accepts::Url => format!(
                "`http://…`, `https://…` or `/path`, up to {} characters",
                crate::config::URL_MAX_CHARS
            ),
            Accepts::KernelSize { .. } => KERNELS
                .iter()
                .map(|spec| {
                    let f = spec.size;
                    format!("`{}` {} to {} {}", spec.kernel.name(), f.min, f.max, f.unit)
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        match self.rule {
            Some(rule) => format!("{accepted}; {rule}"),
            None => accepted,
        }
    }

    /// The setting's row in the README's parameter table.
    pub fn readme_row(&self) -> String {
        format!(
            "| `{}` | {} | {} | {} |",
            self.name,
            self.help,
            self.default_text(),
            self.accepted_text()
        )
    }
}

/// The README's parameter table for `settings`.
pub fn readme_table(settings: &[Setting]) -> String {
    let mut table =
        String::from("| parameter | meaning | default | accepted |\n|---|---|---|---|\n");
    for setting in settings {
        table.push_str(&setting.readme_row());
        table.push('\n');
    }
    table
}

/// The query key of the kernel choice, in every lab that runs a kernel.
pub const KERNEL: &str = "kernel";

/// The query key of the kernel's size, in every lab that runs a kernel.
pub const SIZE: &str = "size";

/// The query key of a lab's sweep.
pub const SWEEP: &str = "sweep";

/// The kernel choice, as every lab that runs a kernel offers it.
pub const fn kernel(help: &'static str, default: Kernel) -> Setting {
    Setting::new(KERNEL, "Kernel", help, Accepts::Kernel { default })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{parse_query, Lab, Settings, IO_N};

    #[test]
    fn a_number_says_its_range_and_unit_in_the_form_and_the_readme() {
        let n = Setting::int(IO_N, "Requests (n)", "requests");
        assert_eq!(n.name, "n");
        assert_eq!(n.form_hint(), "1–100000 requests");
        assert_eq!(
            n.readme_row(),
            "| `n` | requests | `100` | 1 to 100000 requests |"
        );
    }

    #[test]
    fn an_optional_choice_offers_leaving_it_out_first() {
        let sweep =
            Setting::optional_choice("sweep", "Sweep", "what varies", &["c", "rate"], "one run");
        assert_eq!(sweep.menu(), vec!["", "c", "rate"]);
        assert_eq!(sweep.default_text(), "absent: one run");
        assert_eq!(sweep.accepted_text(), "`c`, `rate`");
    }

    #[test]
    fn a_rule_follows_the_range() {
        let n = Setting::int(IO_N, "n", "requests").rule("at most `m`");
        assert_eq!(n.accepted_text(), "1 to 100000 requests; at most `m`");
    }

    /// Every key a lab writes into its query is in its table, and every setting in the table is
    /// read by its parser: a bad value for it is rejected under its own name.
    #[test]
    fn each_lab_table_is_what_its_query_reads_and_writes() {
        for lab in Lab::ALL {
            let table: Vec<&str> = lab.settings().iter().map(|s| s.name).collect();
            let query = Settings::defaults(lab).to_query();
            for (key, _) in crate::config::query_pairs(&query) {
                if key != "lab" && key != "autorun" {
                    assert!(table.contains(&key.as_str()), "{} writes {key}", lab.name());
                }
            }
            for name in table {
                let errors = parse_query(&format!("lab={}&{name}=%25bad", lab.name())).unwrap_err();
                assert!(
                    errors.iter().any(|e| e.field == name),
                    "{}: {name} was not read: {errors:?}",
                    lab.name()
                );
            }
        }
    }

    #[test]
    fn names_are_unique_within_a_lab() {
        for lab in Lab::ALL {
            let mut names: Vec<&str> = lab.settings().iter().map(|s| s.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), lab.settings().len(), "{}", lab.name());
        }
    }
}
