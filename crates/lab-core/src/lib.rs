//! Pure core of Async vs Parallel Lab: everything the page computes that needs no browser.
//!
//! # Data flow
//!
//! 1. **Settings.** [`config::parse_query`] reads the page's URL query into validated
//!    [`config::Settings`] for one lab, reporting every bad field as a [`field::FieldError`]
//!    that names the field and its range. Each lab's own settings live in [`labs`].
//! 2. **Workload.** The page runs `n` concurrent fetches, or `tasks` CPU tasks of `size` rounds
//!    of [`kernel::sha256_chain`]; [`kernel::combine_checksums`] proves a parallel run did the
//!    same work as a sequential one.
//! 3. **Spans.** Each fetch or task becomes a [`span::Span`] on a [`span::Lane`], and the main
//!    thread's frames and long tasks become a [`meter::MainThreadSummary`].
//! 4. **Summary.** [`stats::summarize`] turns spans into throughput, latency and mean concurrency;
//!    [`models`] sets them against Little's and Amdahl's laws; [`schema::Export`] writes
//!    everything out as JSON.
//! 5. **I/O lab.** [`sim`] is the simulated server the service worker mirrors (seeded draws,
//!    service times, a FIFO queue); [`sweep`] picks the levels of load and summarises each level's
//!    steady state; [`labs::io::queueing`] predicts throughput and latency (MVA for a closed loop, M/M/K for
//!    an open one); [`labs::io::IoBlock`] records every request.
//! 6. **CPU lab.** [`kernel`] splits a real kernel (Mandelbrot, blur, statistics, SHA-256) into
//!    tasks whose combined checksum depends only on the kernel and its size (one file a kernel,
//!    one row of [`kernel::KERNELS`] each); [`execute`] spreads
//!    the tasks over threads (in order, over T lanes, or over the whole rayon pool);
//!    [`span::lane_usage`] and [`models::speedup`] say how well the threads were used.
//! 7. **Together.** [`labs::hybrid`] predicts the three ways of fetching items then processing them
//!    and measures how much the two overlapped ([`schema::HybridBlock`]); [`verdict`](crate::labs::wrong::verdict) decides,
//!    from measured numbers against a stated threshold, whether a wrong-tool case really was the
//!    wrong tool ([`schema::WrongBlock`]); [`sweep::slice_levels`] sets the trade-off lab's
//!    levels between yielding often and finishing fast ([`schema::TradeoffBlock`]); [`snippet`]
//!    cuts the code panels out of the page's real source.
//! 8. **Chart.** [`scale::LinearScale`] maps times and values onto the SVG, with round ticks, and
//!    [`format`](mod@format) writes the numbers.
//!
//! Times are ms since the run started, on the page's one clock. Nothing here panics on bad
//! input: invalid values give an error, `None`, or are left out.

#![deny(missing_docs)]

/// Gives a unit-only enum its names, written once for the URL, the menus and the exported JSON:
/// `ALL`, `NAMES`, `name()` and `from_name()`, and serde's `Serialize` and `Deserialize` (as the
/// name, a string; an unknown name is an error that lists the known ones).
///
/// A choice also gets its `setting::value::Value` impls, for itself and for `Option` of it (a
/// choice that may be left out), read by the setting's names and default; a choice that reads
/// itself its own way says `, read by hand` after its name (the kernel, which a size follows).
macro_rules! named_choices {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        named_choices!($ty, read by hand { $($variant => $name),+ });

        impl $crate::setting::value::Value for $ty {
            fn read(
                setting: &$crate::setting::Setting,
                raw: Option<&str>,
                _: &mut Option<$crate::kernel::Kernel>,
                errors: &mut Vec<$crate::field::FieldError>,
            ) -> Option<$ty> {
                $crate::setting::value::read_named(setting, raw, &$ty::ALL, $ty::name, errors)
            }

            fn write(&self) -> Option<String> {
                Some(self.name().to_owned())
            }
        }

        impl $crate::setting::value::Value for Option<$ty> {
            fn read(
                setting: &$crate::setting::Setting,
                raw: Option<&str>,
                _: &mut Option<$crate::kernel::Kernel>,
                errors: &mut Vec<$crate::field::FieldError>,
            ) -> Option<Option<$ty>> {
                $crate::setting::value::read_named_optional(setting, raw, &$ty::ALL, $ty::name, errors)
            }

            fn write(&self) -> Option<String> {
                self.map(|choice| choice.name().to_owned())
            }
        }
    };
    ($ty:ident, read by hand { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every choice, in menu order.
            pub const ALL: [$ty; [$($name),+].len()] = [$($ty::$variant),+];

            /// Every choice's name, in menu order (for forms and menus).
            pub const NAMES: [&'static str; [$($name),+].len()] = [$($name),+];

            /// The choice's name in the URL and in exported files.
            pub const fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }

            /// The choice with this URL name, if any.
            pub fn from_name(name: &str) -> Option<$ty> {
                $ty::ALL.into_iter().find(|choice| choice.name() == name)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                let name = String::deserialize(deserializer)?;
                $ty::from_name(&name)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&name, &$ty::NAMES))
            }
        }
    };
}

/// Defines a lab's settings once: each field of its settings struct, bound to the [`Setting`]
/// that defines it (name, type of value, default, range, unit, help, rules in words). From that
/// one list it makes
/// - the table `$table` of the lab's settings in form order, which the page's form and the
///   README's parameter table are built from;
/// - the struct, with the derives and docs written at the call;
/// - `parse`, which reads each field from a query in order (every bad one reports its error)
///   and then applies `rules`, the lab's rules between fields, to the fields as read
///   (`$fields`, each `None` where it failed);
/// - `push_pairs`, which writes the fields back into a query in the same order;
/// - `Default`: the settings a query with none of the lab's keys gives.
///
/// [`Setting`]: setting::Setting
macro_rules! lab_settings {
    (
        $(#[$meta:meta])*
        pub struct $name:ident (table $table:ident, read as $fields:ident $(, rules $rules:path)?) {
            $( $(#[$field_meta:meta])* $field:ident: $ty:ty = $setting:expr ),+ $(,)?
        }
    ) => {
        /// Every setting of the lab, in form and query order.
        pub const $table: [$crate::setting::Setting; [$(stringify!($field)),+].len()] =
            [$($setting),+];

        $(#[$meta])*
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )+
        }

        /// The lab's fields as read from a query, each `None` where it was rejected.
        pub(crate) struct $fields {
            $( pub(crate) $field: Option<$ty>, )+
        }

        impl $name {
            /// Reads the lab's settings from a query's values (`raw` gives a key's value); `None`
            /// when any field, or a rule between fields, failed. Every failure is in `errors`.
            pub(crate) fn parse<'a>(
                raw: &impl Fn(&str) -> Option<&'a str>,
                errors: &mut Vec<$crate::field::FieldError>,
            ) -> Option<$name> {
                use $crate::setting::value::Value;
                let before = errors.len();
                let mut kernel = None;
                // Read in order: a size is read in the range of the kernel read before it.
                #[allow(unused_mut)]
                let mut fields = $fields {
                    $( $field: {
                        const SETTING: $crate::setting::Setting = $setting;
                        <$ty as Value>::read(&SETTING, raw(SETTING.name), &mut kernel, errors)
                    }, )+
                };
                $( $rules(&mut fields, raw, errors); )?
                if errors.len() > before {
                    return None;
                }
                Some($name { $( $field: fields.$field?, )+ })
            }

            /// Writes the settings into query pairs, in the table's order; an absent optional
            /// setting is left out.
            pub(crate) fn push_pairs(&self, pairs: &mut Vec<(&'static str, String)>) {
                use $crate::setting::value::Value;
                $( {
                    const SETTING: $crate::setting::Setting = $setting;
                    if let Some(text) = Value::write(&self.$field) {
                        pairs.push((SETTING.name, text));
                    }
                } )+
            }
        }

        impl Default for $name {
            /// Every setting's default, as its definition gives it.
            fn default() -> $name {
                // A test reads every lab's defaults, so this never fails at run time.
                $name::parse(&|_: &str| None, &mut Vec::new())
                    .expect("the defaults of a lab's settings are valid")
            }
        }
    };
}

pub mod compare;
pub mod config;
pub mod csv;
pub mod execute;
pub mod field;
pub mod format;
pub mod glossary;
pub mod history;
pub mod import;
pub mod kernel;
pub mod labels;
pub mod labs;
pub mod meter;
pub mod models;
pub mod overview;
pub mod params;
pub mod resource_timing;
pub mod scale;
pub mod schema;
pub mod setting;
pub mod sim;
pub mod snippet;
pub mod span;
pub mod stats;
pub mod sweep;
pub mod trace;
