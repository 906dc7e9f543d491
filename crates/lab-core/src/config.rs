//! Settings read from the page's URL query, validated field by field, one set per lab.
//!
//! Each lab's fields, settings, defaults and query live in its own module,
//! [`crate::labs`]`::<lab>` (re-exported here). This module holds what they share: the list of
//! labs, [`Settings`], reading a query into them and writing them back, and the readers every
//! lab's parser uses.

use serde::{Deserialize, Serialize};

pub use crate::field::{FieldError, FloatField, IntField};
pub use crate::labs::{cpu::*, hybrid::*, io::*, start::*, tradeoff::*, wrong::*};

use crate::field::echo;
use crate::kernel::Kernel;
use crate::setting::value::{choice, keep};
use crate::setting::Setting;

/// Which lab page to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lab {
    /// The quick side-by-side comparison of async fetches and parallel work.
    #[default]
    Start,
    /// The I/O lab: timed requests in a closed or open loop, and sweeps over them.
    Io,
    /// The CPU lab: real kernels split into tasks, run across threads in four modes.
    Cpu,
    /// The hybrid lab: fetch items, then process each one, in three pipeline strategies.
    Hybrid,
    /// The wrong-tool lab: four mistakes, each run next to its fix.
    Wrong,
    /// The trade-off lab: long work on the main thread, sliced, against the same on workers.
    Tradeoff,
    /// The overview: what each lab showed, side by side.
    Overview,
}

named_choices!(Lab {
    Start => "start",
    Io => "io",
    Cpu => "cpu",
    Hybrid => "hybrid",
    Wrong => "wrong",
    Tradeoff => "tradeoff",
    Overview => "overview",
});

impl Lab {
    /// The lab's settings, in form order; empty for a lab that has none.
    pub fn settings(self) -> &'static [Setting] {
        match self {
            Lab::Start => &START_SETTINGS,
            Lab::Io => &IO_SETTINGS,
            Lab::Cpu => &CPU_SETTINGS,
            Lab::Hybrid => &HYBRID_SETTINGS,
            Lab::Wrong => &WRONG_SETTINGS,
            Lab::Tradeoff => &TRADEOFF_SETTINGS,
            Lab::Overview => &[],
        }
    }
}

pub(crate) fn clamp_size(kernel: Kernel, size: u32) -> u32 {
    let field = kernel.size_field();
    size.clamp(field.min, field.max)
}

/// The longest accepted [`IoSettings::url`], in characters.
pub const URL_MAX_CHARS: usize = 2000;

/// Everything the page can be told through its URL: the lab, its settings, and whether to start.
///
/// As JSON the lab's name and settings sit at the top level: `{"lab":"io", ..., "autorun":false}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Which lab to show, with its settings.
    #[serde(flatten)]
    pub lab: LabSettings,
    /// Start the runs as soon as the page loads.
    pub autorun: bool,
}

/// One lab's settings, tagged with the lab's name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "lab", rename_all = "snake_case")]
pub enum LabSettings {
    /// The start lab.
    Start(StartSettings),
    /// The I/O lab.
    Io(IoSettings),
    /// The CPU lab.
    Cpu(CpuSettings),
    /// The hybrid lab.
    Hybrid(HybridSettings),
    /// The wrong-tool lab.
    Wrong(WrongSettings),
    /// The trade-off lab.
    Tradeoff(TradeoffSettings),
    /// The overview.
    Overview(OverviewSettings),
}

impl Default for LabSettings {
    fn default() -> Self {
        LabSettings::Start(StartSettings::default())
    }
}

/// Settings of the overview, which has none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewSettings {}

impl Settings {
    /// The settings `lab` starts from, with autorun off.
    pub fn defaults(lab: Lab) -> Settings {
        let lab = match lab {
            Lab::Start => LabSettings::Start(StartSettings::default()),
            Lab::Io => LabSettings::Io(IoSettings::default()),
            Lab::Cpu => LabSettings::Cpu(CpuSettings::default()),
            Lab::Hybrid => LabSettings::Hybrid(HybridSettings::default()),
            Lab::Wrong => LabSettings::Wrong(WrongSettings::default()),
            Lab::Tradeoff => LabSettings::Tradeoff(TradeoffSettings::default()),
            Lab::Overview => LabSettings::Overview(OverviewSettings::default()),
        };
        Settings {
            lab,
            autorun: false,
        }
    }

    /// Which lab these settings are for.
    pub fn lab(&self) -> Lab {
        match self.lab {
            LabSettings::Start(_) => Lab::Start,
            LabSettings::Io(_) => Lab::Io,
            LabSettings::Cpu(_) => Lab::Cpu,
            LabSettings::Hybrid(_) => Lab::Hybrid,
            LabSettings::Wrong(_) => Lab::Wrong,
            LabSettings::Tradeoff(_) => Lab::Tradeoff,
            LabSettings::Overview(_) => Lab::Overview,
        }
    }

    /// The start lab's settings, if this is the start lab.
    pub fn start(&self) -> Option<&StartSettings> {
        match &self.lab {
            LabSettings::Start(start) => Some(start),
            _ => None,
        }
    }

    /// The I/O lab's settings, if this is the I/O lab.
    pub fn io(&self) -> Option<&IoSettings> {
        match &self.lab {
            LabSettings::Io(io) => Some(io),
            _ => None,
        }
    }

    /// The CPU lab's settings, if this is the CPU lab.
    pub fn cpu(&self) -> Option<&CpuSettings> {
        match &self.lab {
            LabSettings::Cpu(cpu) => Some(cpu),
            _ => None,
        }
    }

    /// The hybrid lab's settings, if this is the hybrid lab.
    pub fn hybrid(&self) -> Option<&HybridSettings> {
        match &self.lab {
            LabSettings::Hybrid(hybrid) => Some(hybrid),
            _ => None,
        }
    }

    /// The wrong-tool lab's settings, if this is the wrong-tool lab.
    pub fn wrong(&self) -> Option<&WrongSettings> {
        match &self.lab {
            LabSettings::Wrong(wrong) => Some(wrong),
            _ => None,
        }
    }

    /// The trade-off lab's settings, if this is the trade-off lab.
    pub fn tradeoff(&self) -> Option<&TradeoffSettings> {
        match &self.lab {
            LabSettings::Tradeoff(tradeoff) => Some(tradeoff),
            _ => None,
        }
    }

    /// The overview's settings, if this is the overview.
    pub fn overview(&self) -> Option<&OverviewSettings> {
        match &self.lab {
            LabSettings::Overview(overview) => Some(overview),
            _ => None,
        }
    }

    /// The query that reproduces these settings, without the leading '?'.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("lab", self.lab().name().to_owned())];
        match &self.lab {
            LabSettings::Start(start) => start.push_pairs(&mut pairs),
            LabSettings::Io(io) => io.push_pairs(&mut pairs),
            LabSettings::Cpu(cpu) => cpu.push_pairs(&mut pairs),
            LabSettings::Hybrid(hybrid) => hybrid.push_pairs(&mut pairs),
            LabSettings::Wrong(wrong) => wrong.push_pairs(&mut pairs),
            LabSettings::Tradeoff(tradeoff) => tradeoff.push_pairs(&mut pairs),
            LabSettings::Overview(OverviewSettings {}) => {}
        }
        if self.autorun {
            pairs.push(("autorun", "1".to_owned()));
        }
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", percent_encode(value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The query's `key=value` pairs in order, percent-decoded, without the leading '?' or empty pairs.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// Reads settings from a URL query (with or without its leading '?'), reporting every bad field.
///
/// `lab` picks the lab (start when absent); only that lab's keys and `autorun` are read, other
/// keys are ignored, and when a key repeats the last value wins. An empty value for an optional
/// setting (`rate=`, `capacity=`, `url=`, `sweep=`, `threads=`) leaves it absent. The overview
/// reads no keys.
pub fn parse_query(query: &str) -> Result<Settings, Vec<FieldError>> {
    let pairs = query_pairs(query);
    let raw = |key: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value.as_str())
    };
    let mut errors = Vec::new();

    let lab = match raw("lab") {
        None => Some(Lab::Start),
        Some(value) => {
            let found = choice("lab", &Lab::ALL, Lab::name, value);
            keep(found, &mut errors)
        }
    };
    let lab = match lab {
        Some(Lab::Start) => StartSettings::parse(&raw, &mut errors).map(LabSettings::Start),
        Some(Lab::Io) => IoSettings::parse(&raw, &mut errors).map(LabSettings::Io),
        Some(Lab::Cpu) => CpuSettings::parse(&raw, &mut errors).map(LabSettings::Cpu),
        Some(Lab::Hybrid) => HybridSettings::parse(&raw, &mut errors).map(LabSettings::Hybrid),
        Some(Lab::Wrong) => WrongSettings::parse(&raw, &mut errors).map(LabSettings::Wrong),
        Some(Lab::Tradeoff) => {
            TradeoffSettings::parse(&raw, &mut errors).map(LabSettings::Tradeoff)
        }
        Some(Lab::Overview) => Some(LabSettings::Overview(OverviewSettings {})),
        None => None,
    };
    let autorun = match raw("autorun").map(str::trim) {
        None | Some("0" | "false") => false,
        Some("1" | "true") => true,
        Some(other) => {
            errors.push(FieldError::new(
                "autorun",
                format!("autorun must be 1, true, 0 or false; got {}", echo(other)),
            ));
            false
        }
    };

    match lab {
        Some(lab) if errors.is_empty() => Ok(Settings { lab, autorun }),
        _ => Err(errors),
    }
}

/// Encodes a query value: letters, digits, `-._~` and the `/:` of addresses stay, all else is `%XX`.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
/// Decodes `application/x-www-form-urlencoded` text: `+` is a space and `%XX` a byte.
///
/// A `%` not followed by two hex digits is kept as it is, and bytes that are not UTF-8 become
/// U+FFFD, so decoding never fails.
pub(crate) fn percent_decode(text: &str) -> String {
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
    use crate::execute::Mode;

    fn io(settings: &Settings) -> &IoSettings {
        settings.io().expect("io settings")
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn choice_names_are_the_serde_names() {
        // `named_choices!` writes each name once; serde writes and reads that name.
        fn check<T>(all: &[T], name: fn(T) -> &'static str)
        where
            T: Serialize + serde::de::DeserializeOwned + Copy + PartialEq + std::fmt::Debug,
        {
            for &item in all {
                let json = serde_json::to_string(&item).unwrap();
                assert_eq!(json, format!("\"{}\"", name(item)));
                assert_eq!(serde_json::from_str::<T>(&json).unwrap(), item);
            }
            let unknown = serde_json::from_str::<T>("\"nope\"")
                .unwrap_err()
                .to_string();
            assert!(unknown.contains(name(all[0])), "{unknown}");
        }
        check(&Lab::ALL, Lab::name);
        check(&Target::ALL, Target::name);
        check(&Arrivals::ALL, Arrivals::name);
        check(&Dist::ALL, Dist::name);
        check(&IoSweep::ALL, IoSweep::name);
        check(&CpuSweep::ALL, CpuSweep::name);
        check(&Strategy::ALL, Strategy::name);
        check(&WrongCase::ALL, WrongCase::name);
        check(&TradeoffSweep::ALL, TradeoffSweep::name);
        // The settings' own tag (serde's `rename_all`) spells each lab as `Lab` does.
        for lab in Lab::ALL {
            let json = serde_json::to_value(Settings::defaults(lab)).unwrap();
            assert_eq!(json["lab"], lab.name());
        }
        assert_eq!(
            STRATEGIES,
            [Strategy::Sequential, Strategy::Phased, Strategy::Pipelined]
        );
        assert_eq!(Strategy::from_name("all"), Some(Strategy::All));
        assert_eq!(
            WrongCase::from_name("tiny-tasks"),
            Some(WrongCase::TinyTasks)
        );
        assert_eq!(WrongCase::from_name("tiny_tasks"), None);
        assert_eq!(TradeoffSweep::SliceMs.name(), "slice_ms");
        assert_eq!(
            serde_json::from_str::<WrongCase>("\"await-in-loop\"").unwrap(),
            WrongCase::AwaitInLoop
        );
        assert_eq!(Dist::LogNormal.name(), "lognormal");
        assert_eq!(Lab::from_name("io"), Some(Lab::Io));
        assert_eq!(Lab::from_name("Start"), None);
        assert_eq!(Dist::from_name("exp"), Some(Dist::Exp));
        assert_eq!(IoSweep::ALL, [IoSweep::C, IoSweep::Rate]);
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
        assert_eq!(
            IO_RATE.range_text(),
            "a number from 0.1 to 2000 (requests per second)"
        );
    }

    #[test]
    fn int_field_accepts_whole_numbers_in_range() {
        assert_eq!(FETCHES.parse("1"), Ok(1));
        assert_eq!(FETCHES.parse(" 200 "), Ok(200));
        assert_eq!(FETCHES.parse("007"), Ok(7));
        assert_eq!(SIZE.parse("1000000"), Ok(1_000_000));
        assert_eq!(IO_SEED.parse("4294967295"), Ok(u32::MAX));
        assert_eq!(IO_PAYLOAD.parse("0"), Ok(0));
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
    fn float_field_accepts_decimals_in_range() {
        assert_eq!(IO_RATE.parse("12.5"), Ok(12.5));
        assert_eq!(IO_RATE.parse(" 2000 "), Ok(2000.0));
        assert_eq!(IO_RATE.parse("0.1"), Ok(0.1));
        assert_eq!(IO_RATE.parse(".5"), Ok(0.5));
        assert_eq!(IO_RATE.parse("5."), Ok(5.0));
        assert_eq!(IO_ERROR_RATE.parse("0"), Ok(0.0));
        assert_eq!(IO_ERROR_RATE.parse("1.0"), Ok(1.0));
    }

    #[test]
    fn float_field_rejects_everything_else() {
        for raw in [
            "", ".", "x", "NaN", "nan", "inf", "infinity", "1e3", "+5", "-1", "1.2.3", "0.09",
            "2000.01", "1,5",
        ] {
            let error = IO_RATE.parse(raw).unwrap_err();
            assert_eq!(error.field, "rate");
            assert!(
                error.message.starts_with("rate must be"),
                "{raw:?}: {error}"
            );
        }
        assert_eq!(
            IO_RATE.parse("x").unwrap_err().message,
            "rate must be a number from 0.1 to 2000 requests per second; got \"x\""
        );
        assert_eq!(
            IO_ERROR_RATE.parse("1.5").unwrap_err().message,
            "error_rate must be a number from 0 to 1 fraction of requests; got \"1.5\""
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
    fn defaults_per_lab() {
        for lab in Lab::ALL {
            let settings = Settings::defaults(lab);
            assert_eq!(settings.lab(), lab);
            assert!(!settings.autorun);
            assert_eq!(parse_query(&settings.to_query()), Ok(settings));
        }
    }

    #[test]
    fn empty_query_gives_start_defaults() {
        let defaults = Settings {
            lab: LabSettings::Start(StartSettings {
                n: 20,
                latency_ms: 50.0,
                tasks: 64,
                size: 20_000,
            }),
            autorun: false,
        };
        assert_eq!(Settings::default(), defaults);
        assert_eq!(defaults.lab(), Lab::Start);
        assert_eq!(defaults.io(), None);
        assert_eq!(defaults.start(), Some(&StartSettings::default()));
        assert_eq!(parse_query(""), Ok(defaults.clone()));
        assert_eq!(parse_query("?"), Ok(defaults.clone()));
        assert_eq!(parse_query("?&&utm_source=x&debug"), Ok(defaults));
    }

    #[test]
    fn query_sets_every_start_field() {
        let settings =
            parse_query("?lab=start&n=5&latency_ms=12.5&tasks=8&size=100&autorun=true").unwrap();
        assert_eq!(
            settings,
            Settings {
                lab: LabSettings::Start(StartSettings {
                    n: 5,
                    latency_ms: 12.5,
                    tasks: 8,
                    size: 100
                }),
                autorun: true
            }
        );
    }

    #[test]
    fn query_is_percent_decoded_and_last_key_wins() {
        let settings = parse_query("n=%20%34%32+&tasks=abc&tasks=16&autorun=1&autorun=0").unwrap();
        let start = settings.start().unwrap();
        assert_eq!(start.n, 42);
        assert_eq!(start.tasks, 16);
        assert!(!settings.autorun);
        assert_eq!(parse_query("%6E=7").map(|s| s.start().unwrap().n), Ok(7));
    }

    #[test]
    fn query_reports_every_bad_start_field() {
        let errors = parse_query("n=0&tasks=x&size=2000001&autorun=yes").unwrap_err();
        assert_eq!(fields(&errors), ["n", "tasks", "size", "autorun"]);
        assert_eq!(
            errors[0].message,
            "n must be a whole number from 1 to 200 requests; got \"0\""
        );
        assert_eq!(
            errors[3].message,
            "autorun must be 1, true, 0 or false; got \"yes\""
        );
    }

    #[test]
    fn unknown_lab_lists_the_labs() {
        let errors = parse_query("lab=fast&n=0&autorun=yes").unwrap_err();
        assert_eq!(fields(&errors), ["lab", "autorun"]);
        assert_eq!(
            errors[0].message,
            "lab must be one of start, io, cpu, hybrid, wrong, tradeoff, overview; got \"fast\""
        );
    }

    #[test]
    fn labs_read_only_their_own_fields() {
        // n=1000 is too many for the start lab but fine for the io lab; tasks is not an io key.
        assert_eq!(fields(&parse_query("n=1000").unwrap_err()), ["n"]);
        let settings = parse_query("lab=io&n=1000&tasks=x&size=y").unwrap();
        assert_eq!(io(&settings).n, 1000);
        let settings = parse_query("lab=start&c=x&dist=gamma").unwrap();
        assert_eq!(settings, Settings::default());
    }

    #[test]
    fn io_defaults() {
        let settings = parse_query("lab=io").unwrap();
        assert_eq!(settings.lab(), Lab::Io);
        assert_eq!(settings.start(), None);
        let io = io(&settings);
        assert_eq!(io, &IoSettings::default());
        assert_eq!(
            (io.target, io.url.as_deref(), io.n, io.c, io.rate),
            (Target::Sim, None, 100, 10, None)
        );
        assert_eq!(
            (io.arrivals, io.seed, io.latency_ms, io.dist, io.spread_ms),
            (Arrivals::Poisson, 1, 50.0, Dist::Fixed, 0.0)
        );
        assert_eq!(
            (
                io.capacity,
                io.payload_kb,
                io.error_rate,
                io.timeout_ms,
                io.sweep
            ),
            (None, 1, 0.0, 10_000, None)
        );
    }

    #[test]
    fn io_query_sets_every_field() {
        let settings = parse_query(
            "lab=io&target=url&url=https%3A%2F%2Fexample.com%2Fa%3Fb%3D1%26c&n=500&c=32&rate=12.5\
             &arrivals=uniform&seed=4294967295&latency_ms=20.5&dist=lognormal&spread_ms=30\
             &capacity=8&payload_kb=64&error_rate=0.25&fault=hang&timeout_ms=500&sweep=rate&autorun=1",
        )
        .unwrap();
        let expected = IoSettings {
            target: Target::Url,
            url: Some("https://example.com/a?b=1&c".to_owned()),
            n: 500,
            c: 32,
            rate: Some(12.5),
            arrivals: Arrivals::Uniform,
            seed: 4_294_967_295,
            latency_ms: 20.5,
            dist: Dist::LogNormal,
            spread_ms: 30.0,
            capacity: Some(8),
            payload_kb: 64,
            error_rate: 0.25,
            fault: Fault::Hang,
            timeout_ms: 500,
            sweep: Some(IoSweep::Rate),
        };
        assert_eq!(io(&settings), &expected);
        assert!(settings.autorun);
    }

    #[test]
    fn io_empty_optional_values_are_absent() {
        let settings = parse_query("lab=io&capacity=&rate=&url=&sweep=").unwrap();
        let io = io(&settings);
        assert_eq!(
            (io.capacity, io.rate, &io.url, io.sweep),
            (None, None, &None, None)
        );
    }

    #[test]
    fn io_reports_every_bad_field() {
        let errors = parse_query(
            "lab=io&target=ftp&url=example.com&n=0&c=300&rate=0&arrivals=bursty&seed=-1\
             &latency_ms=x&dist=gamma&spread_ms=10001&capacity=0&payload_kb=2000\
             &error_rate=2&timeout_ms=50&sweep=n",
        )
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "target",
                "url",
                "n",
                "c",
                "rate",
                "arrivals",
                "seed",
                "latency_ms",
                "dist",
                "spread_ms",
                "capacity",
                "payload_kb",
                "error_rate",
                "timeout_ms",
                "sweep"
            ]
        );
        let message = |field: &str| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
                .unwrap()
        };
        assert_eq!(
            message("dist"),
            "dist must be one of fixed, uniform, exp, lognormal; got \"gamma\""
        );
        assert_eq!(
            message("target"),
            "target must be one of sim, static, url; got \"ftp\""
        );
        assert_eq!(
            message("url"),
            "url must be an http(s) address or a path starting with /; got \"example.com\""
        );
        assert_eq!(
            message("capacity"),
            "capacity must be a whole number from 1 to 256 requests in service; got \"0\""
        );
    }

    #[test]
    fn url_rules() {
        for url in ["http://a.b/", "HTTPS://x.org", "/files/data.json", "/"] {
            let query = format!("lab=io&target=url&url={}", percent_encode(url));
            assert_eq!(io(&parse_query(&query).unwrap()).url.as_deref(), Some(url));
        }
        let long = format!("lab=io&url=/{}", "a".repeat(2000));
        let errors = parse_query(&long).unwrap_err();
        assert!(errors[0]
            .message
            .starts_with("url must be at most 2000 characters"));
        assert!(parse_query(&format!("lab=io&url=/{}", "a".repeat(1999))).is_ok());

        let errors = parse_query("lab=io&target=url").unwrap_err();
        assert_eq!(
            errors,
            [FieldError {
                field: "url".to_owned(),
                message: "url is required when target=url".to_owned()
            }]
        );
        // A url kept for later is fine with another target.
        assert!(parse_query("lab=io&target=sim&url=/x").is_ok());
    }

    #[test]
    fn c_is_at_most_n_unless_sweeping_c() {
        let errors = parse_query("lab=io&n=100&c=200").unwrap_err();
        assert_eq!(
            errors[0].message,
            "c must be a whole number from 1 to n (100) requests in flight; got \"200\""
        );
        let settings = parse_query("lab=io&n=100&c=200&sweep=c").unwrap();
        assert_eq!(io(&settings).c, 200);
        assert!(parse_query("lab=io&n=100&c=200&sweep=rate&rate=5").is_err());
        assert_eq!(io(&parse_query("lab=io&n=10&c=10").unwrap()).c, 10);
        // A c left out follows a small n down rather than failing, unless it tops a sweep.
        assert_eq!(io(&parse_query("lab=io&n=3").unwrap()).c, 3);
        assert_eq!(io(&parse_query("lab=io&n=3&sweep=c").unwrap()).c, 10);
    }

    #[test]
    fn sweep_rate_requires_rate() {
        let errors = parse_query("lab=io&sweep=rate").unwrap_err();
        assert_eq!(fields(&errors), ["rate"]);
        assert_eq!(errors[0].message, "rate is required when sweep=rate");
        assert!(parse_query("lab=io&sweep=rate&rate=100").is_ok());
        // A bad rate is reported once, not also as missing.
        assert_eq!(
            fields(&parse_query("lab=io&sweep=rate&rate=x").unwrap_err()),
            ["rate"]
        );
    }

    #[test]
    fn uniform_spread_is_at_most_the_mean() {
        let errors = parse_query("lab=io&dist=uniform&latency_ms=50&spread_ms=60").unwrap_err();
        assert_eq!(
            errors,
            [FieldError {
                field: "spread_ms".to_owned(),
                message: "spread_ms must be at most latency_ms (50) when dist=uniform, so \
                          service times cannot go negative; got \"60\""
                    .to_owned()
            }]
        );
        assert!(parse_query("lab=io&dist=uniform&latency_ms=50&spread_ms=50").is_ok());
        for dist in ["fixed", "exp", "lognormal"] {
            let query = format!("lab=io&dist={dist}&latency_ms=50&spread_ms=60");
            assert!(parse_query(&query).is_ok(), "{dist}");
        }
    }

    fn cpu(settings: &Settings) -> &CpuSettings {
        settings.cpu().expect("cpu settings")
    }

    #[test]
    fn cpu_defaults() {
        let settings = parse_query("lab=cpu").unwrap();
        assert_eq!(settings.lab(), Lab::Cpu);
        assert_eq!((settings.start(), settings.io()), (None, None));
        assert_eq!(Settings::default().cpu(), None);
        let cpu = cpu(&settings);
        assert_eq!(cpu, &CpuSettings::default());
        assert_eq!(
            (
                cpu.kernel,
                cpu.size,
                cpu.tasks,
                cpu.threads,
                cpu.mode,
                cpu.sweep
            ),
            (
                Kernel::Mandelbrot,
                Kernel::Mandelbrot.size_field().default,
                64,
                None,
                Mode::Rayon,
                None
            )
        );
        assert_eq!(Settings::defaults(Lab::Cpu), settings);
    }

    #[test]
    fn cpu_query_sets_every_field() {
        let settings = parse_query(
            "lab=cpu&kernel=stats&size=1000&tasks=65536&threads=4&mode=lanes&sweep=threads&autorun=1",
        )
        .unwrap();
        assert_eq!(
            cpu(&settings),
            &CpuSettings {
                kernel: Kernel::Stats,
                size: 1000,
                tasks: 65_536,
                threads: Some(4),
                mode: Mode::Lanes,
                sweep: Some(CpuSweep::Threads),
            }
        );
        assert!(settings.autorun);
        let blank = parse_query("lab=cpu&threads=&sweep=").unwrap();
        assert_eq!((cpu(&blank).threads, cpu(&blank).sweep), (None, None));
    }

    #[test]
    fn cpu_size_follows_the_kernel() {
        for kernel in Kernel::ALL {
            let query = format!("lab=cpu&kernel={}", kernel.name());
            let settings = parse_query(&query).unwrap();
            assert_eq!(cpu(&settings).size, kernel.size_field().default);
            let field = kernel.size_field();
            for size in [field.min, field.max] {
                let query = format!("lab=cpu&kernel={}&size={size}", kernel.name());
                assert_eq!(cpu(&parse_query(&query).unwrap()).size, size);
            }
            let query = format!("lab=cpu&kernel={}&size={}", kernel.name(), field.max + 1);
            assert_eq!(fields(&parse_query(&query).unwrap_err()), ["size"]);
        }
        assert_eq!(
            parse_query("lab=cpu&kernel=mandelbrot&size=5").unwrap_err()[0].message,
            "size must be a whole number from 16 to 4000 pixels wide for mandelbrot; got \"5\""
        );
        assert_eq!(
            parse_query("lab=cpu&size=x").unwrap_err()[0].message,
            "size must be a whole number from 16 to 4000 pixels wide for mandelbrot; got \"x\""
        );
        assert_eq!(
            parse_query("lab=cpu&kernel=sha256&size=0").unwrap_err()[0].message,
            "size must be a whole number from 1 to 200000 blocks for sha256; got \"0\""
        );
        // 20 000 values is a fine stats size but far too wide an image.
        assert!(parse_query("lab=cpu&kernel=stats&size=20000").is_ok());
        assert!(parse_query("lab=cpu&kernel=blur&size=20000").is_err());
    }

    #[test]
    fn cpu_reports_every_bad_field() {
        let errors = parse_query("lab=cpu&kernel=gpu&size=x&tasks=0&threads=65&mode=fast&sweep=n")
            .unwrap_err();
        // The size is not checked against an unknown kernel.
        assert_eq!(
            fields(&errors),
            ["kernel", "tasks", "threads", "mode", "sweep"]
        );
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "kernel must be one of mandelbrot, blur, stats, sha256; got \"gpu\"",
                "tasks must be a whole number from 1 to 1048576 tasks; got \"0\"",
                "threads must be a whole number from 1 to 64 threads; got \"65\"",
                "mode must be one of main, worker, lanes, rayon; got \"fast\"",
                "sweep must be one of threads, tasks; got \"n\"",
            ]
        );
        assert_eq!(
            fields(&parse_query("lab=cpu&tasks=1048577").unwrap_err()),
            ["tasks"]
        );
    }

    #[test]
    fn a_million_tasks_for_every_kernel_but_stats() {
        for kernel in ["mandelbrot", "blur", "sha256"] {
            assert!(parse_query(&format!("lab=cpu&kernel={kernel}&tasks=1048576")).is_ok());
        }
        assert!(parse_query("lab=cpu&kernel=stats&tasks=65536").is_ok());
        let errors = parse_query("lab=cpu&kernel=stats&tasks=65537").unwrap_err();
        assert_eq!(fields(&errors), ["tasks"]);
        assert_eq!(
            errors[0].message,
            "tasks must be at most 65536 for kernel=stats (each task keeps its own histogram \
             until the job is combined); got 65537"
        );
        // The README's rule says the same number.
        assert_eq!(crate::kernel::Kernel::Stats.max_tasks(), 65_536);
    }

    #[test]
    fn cpu_sweep_rules() {
        for mode in ["main", "worker"] {
            let query = format!("lab=cpu&mode={mode}&sweep=threads");
            assert_eq!(
                parse_query(&query).unwrap_err(),
                [FieldError {
                    field: "sweep".to_owned(),
                    message: "sweep=threads needs mode lanes or rayon".to_owned()
                }]
            );
        }
        for mode in ["lanes", "rayon"] {
            let query = format!("lab=cpu&mode={mode}&sweep=threads");
            assert_eq!(
                cpu(&parse_query(&query).unwrap()).sweep,
                Some(CpuSweep::Threads)
            );
        }
        assert_eq!(
            cpu(&parse_query("lab=cpu&sweep=threads").unwrap()).mode,
            Mode::Rayon
        );
        assert_eq!(
            cpu(&parse_query("lab=cpu&sweep=tasks").unwrap()).mode,
            Mode::Rayon
        );
        for mode in Mode::ALL {
            let query = format!("lab=cpu&mode={}&sweep=tasks", mode.name());
            assert_eq!(cpu(&parse_query(&query).unwrap()).mode, mode);
        }
        // A bad mode is reported once, not also as a bad sweep.
        assert_eq!(
            fields(&parse_query("lab=cpu&mode=x&sweep=threads").unwrap_err()),
            ["mode"]
        );
    }

    #[test]
    fn cpu_reads_only_its_own_fields() {
        let settings = parse_query("lab=cpu&n=0&c=x&dist=gamma&url=bad").unwrap();
        assert_eq!(cpu(&settings), &CpuSettings::default());
        assert!(parse_query("lab=io&kernel=gpu&mode=x&threads=0").is_ok());
        assert!(parse_query("lab=start&kernel=gpu&mode=x").is_ok());
    }

    fn full_cpu() -> CpuSettings {
        CpuSettings {
            kernel: Kernel::Sha256,
            size: 200_000,
            tasks: 1,
            threads: Some(64),
            mode: Mode::Worker,
            sweep: Some(CpuSweep::Tasks),
        }
    }

    #[test]
    fn cpu_query_and_json_round_trip() {
        let defaults = Settings::defaults(Lab::Cpu);
        assert_eq!(
            defaults.to_query(),
            format!(
                "lab=cpu&kernel=mandelbrot&size={}&tasks=64&mode=rayon",
                Kernel::Mandelbrot.size_field().default
            )
        );
        let full = Settings {
            lab: LabSettings::Cpu(full_cpu()),
            autorun: true,
        };
        assert_eq!(
            full.to_query(),
            "lab=cpu&kernel=sha256&size=200000&tasks=1&threads=64&mode=worker&sweep=tasks&autorun=1"
        );
        let lanes = Settings {
            lab: LabSettings::Cpu(CpuSettings {
                kernel: Kernel::Blur,
                size: 16,
                tasks: 65_536,
                threads: Some(1),
                mode: Mode::Lanes,
                sweep: Some(CpuSweep::Threads),
            }),
            autorun: false,
        };
        for settings in [defaults, full.clone(), lanes] {
            assert_eq!(parse_query(&settings.to_query()), Ok(settings.clone()));
            let json = serde_json::to_string(&settings).unwrap();
            assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
        }
        assert_eq!(
            serde_json::to_string(&full).unwrap(),
            r#"{"lab":"cpu","kernel":"sha256","size":200000,"tasks":1,"threads":64,"mode":"worker","sweep":"tasks","autorun":true}"#
        );
        assert_eq!(
            serde_json::to_value(Settings::defaults(Lab::Cpu)).unwrap()["threads"],
            serde_json::Value::Null
        );
    }

    fn hybrid(settings: &Settings) -> &HybridSettings {
        settings.hybrid().expect("hybrid settings")
    }

    #[test]
    fn hybrid_defaults() {
        let settings = parse_query("lab=hybrid").unwrap();
        assert_eq!(settings.lab(), Lab::Hybrid);
        assert_eq!(
            (settings.cpu(), settings.wrong(), settings.tradeoff()),
            (None, None, None)
        );
        assert_eq!(settings.overview(), None);
        assert_eq!(Settings::default().hybrid(), None);
        assert_eq!(
            hybrid(&settings),
            &HybridSettings {
                strategy: Strategy::All,
                n: 24,
                c: 6,
                latency_ms: 60.0,
                kernel: Kernel::Sha256,
                size: 420,
            }
        );
        assert_eq!(Settings::defaults(Lab::Hybrid), settings);
        assert_eq!(
            settings.to_query(),
            "lab=hybrid&strategy=all&n=24&c=6&latency_ms=60&kernel=sha256&size=420"
        );
    }

    #[test]
    fn default_sizes_are_in_range() {
        let expected = [
            (Kernel::Sha256, 420, 9000),
            (Kernel::Mandelbrot, 260, 2400),
            (Kernel::Blur, 240, 2000),
            (Kernel::Stats, 17_000_000, 350_000_000),
        ];
        for (kernel, hybrid_size, tradeoff_size) in expected {
            assert_eq!(hybrid_default_size(kernel), hybrid_size, "{kernel:?}");
            assert_eq!(tradeoff_default_size(kernel), tradeoff_size, "{kernel:?}");
            let field = kernel.size_field();
            assert!((field.min..=field.max).contains(&hybrid_size));
            assert!((field.min..=field.max).contains(&tradeoff_size));
        }
    }

    #[test]
    fn hybrid_query_sets_every_field() {
        let settings = parse_query(
            "lab=hybrid&strategy=pipelined&n=500&c=64&latency_ms=0.5&kernel=blur&size=16&autorun=1",
        )
        .unwrap();
        assert_eq!(
            hybrid(&settings),
            &HybridSettings {
                strategy: Strategy::Pipelined,
                n: 500,
                c: 64,
                latency_ms: 0.5,
                kernel: Kernel::Blur,
                size: 16,
            }
        );
        assert!(settings.autorun);
        // The size default follows the kernel.
        for kernel in Kernel::ALL {
            let query = format!("lab=hybrid&kernel={}", kernel.name());
            let size = hybrid(&parse_query(&query).unwrap()).size;
            assert_eq!(size, hybrid_default_size(kernel));
        }
    }

    #[test]
    fn hybrid_reports_every_bad_field() {
        let errors =
            parse_query("lab=hybrid&strategy=fast&n=501&c=0&latency_ms=5001&kernel=gpu&size=0")
                .unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "strategy must be one of sequential, phased, pipelined, all; got \"fast\"",
                "n must be a whole number from 1 to 500 items; got \"501\"",
                "c must be a whole number from 1 to 64 fetches in flight; got \"0\"",
                "latency_ms must be a number from 0 to 5000 ms; got \"5001\"",
                "kernel must be one of mandelbrot, blur, stats, sha256; got \"gpu\"",
            ]
        );
        assert_eq!(
            parse_query("lab=hybrid&kernel=mandelbrot&size=15").unwrap_err()[0].message,
            "size must be a whole number from 16 to 4000 pixels wide for mandelbrot; got \"15\""
        );
    }

    #[test]
    fn hybrid_c_is_at_most_n() {
        let errors = parse_query("lab=hybrid&n=4&c=5").unwrap_err();
        assert_eq!(
            errors,
            [FieldError {
                field: "c".to_owned(),
                message: "c must be a whole number from 1 to n (4) fetches in flight; got \"5\""
                    .to_owned()
            }]
        );
        assert_eq!(hybrid(&parse_query("lab=hybrid&n=4&c=4").unwrap()).c, 4);
        // A c left out follows a small n down rather than failing.
        assert_eq!(hybrid(&parse_query("lab=hybrid&n=3").unwrap()).c, 3);
        assert_eq!(hybrid(&parse_query("lab=hybrid&n=300").unwrap()).c, 6);
    }

    #[test]
    fn wrong_settings() {
        let settings = parse_query("lab=wrong").unwrap();
        assert_eq!(
            settings.wrong(),
            Some(&WrongSettings {
                case: WrongCase::CpuOnMain
            })
        );
        assert_eq!(Settings::defaults(Lab::Wrong), settings);
        assert_eq!(settings.to_query(), "lab=wrong&case=cpu-on-main");
        for case in WrongCase::ALL {
            let query = format!("lab=wrong&case={}", case.name());
            assert_eq!(
                parse_query(&query).unwrap().wrong().map(|w| w.case),
                Some(case)
            );
            assert!(!case.title().is_empty());
            assert!(case.lesson().contains("cook"), "{case:?}");
        }
        assert_eq!(
            WrongCase::CpuOnMain.lesson(),
            "Marking CPU work async does not give it another cook: the one who takes the orders \
             still does all the chopping, and no order is taken meanwhile. Send it to the worker \
             pool instead."
        );
        assert_eq!(
            WrongCase::BlockingIo.title(),
            "I/O on blocking worker threads"
        );
        assert_eq!(
            parse_query("lab=wrong&case=cpu_on_main").unwrap_err()[0].message,
            "case must be one of cpu-on-main, await-in-loop, blocking-io, tiny-tasks; \
             got \"cpu_on_main\""
        );
        assert_eq!(
            serde_json::to_string(&Settings::defaults(Lab::Wrong)).unwrap(),
            r#"{"lab":"wrong","case":"cpu-on-main","autorun":false}"#
        );
    }

    fn tradeoff(settings: &Settings) -> &TradeoffSettings {
        settings.tradeoff().expect("tradeoff settings")
    }

    #[test]
    fn tradeoff_settings() {
        let settings = parse_query("lab=tradeoff").unwrap();
        assert_eq!(
            tradeoff(&settings),
            &TradeoffSettings {
                kernel: Kernel::Sha256,
                size: 9000,
                slice_ms: 16.0,
                sweep: None,
            }
        );
        assert_eq!(Settings::defaults(Lab::Tradeoff), settings);
        assert_eq!(
            settings.to_query(),
            "lab=tradeoff&kernel=sha256&size=9000&slice_ms=16"
        );
        let full =
            parse_query("lab=tradeoff&kernel=stats&size=1&slice_ms=2.5&sweep=slice_ms").unwrap();
        assert_eq!(
            tradeoff(&full),
            &TradeoffSettings {
                kernel: Kernel::Stats,
                size: 1,
                slice_ms: 2.5,
                sweep: Some(TradeoffSweep::SliceMs),
            }
        );
        assert_eq!(
            tradeoff(&parse_query("lab=tradeoff&kernel=blur").unwrap()).size,
            2000
        );
        assert_eq!(
            tradeoff(&parse_query("lab=tradeoff&sweep=").unwrap()).sweep,
            None
        );
        let errors = parse_query("lab=tradeoff&slice_ms=0.5&sweep=x&size=200001").unwrap_err();
        assert_eq!(fields(&errors), ["size", "slice_ms", "sweep"]);
        assert_eq!(
            errors[1].message,
            "slice_ms must be a number from 1 to 1000 ms between yields; got \"0.5\""
        );
    }

    #[test]
    fn overview_has_no_settings() {
        let settings = parse_query("lab=overview&n=0&kernel=gpu").unwrap();
        assert_eq!(settings.overview(), Some(&OverviewSettings {}));
        assert_eq!(Settings::defaults(Lab::Overview), settings);
        assert_eq!(settings.to_query(), "lab=overview");
        assert_eq!(
            serde_json::to_string(&settings).unwrap(),
            r#"{"lab":"overview","autorun":false}"#
        );
    }

    #[test]
    fn together_labs_round_trip() {
        let labs = [
            LabSettings::Hybrid(HybridSettings {
                strategy: Strategy::Phased,
                n: 1,
                c: 1,
                latency_ms: 12.345,
                kernel: Kernel::Stats,
                size: 50_000_000,
            }),
            LabSettings::Hybrid(HybridSettings::default()),
            LabSettings::Wrong(WrongSettings {
                case: WrongCase::BlockingIo,
            }),
            LabSettings::Tradeoff(TradeoffSettings {
                kernel: Kernel::Mandelbrot,
                size: 4000,
                slice_ms: 1000.0,
                sweep: Some(TradeoffSweep::SliceMs),
            }),
            LabSettings::Overview(OverviewSettings {}),
        ];
        for (i, lab) in labs.into_iter().enumerate() {
            let settings = Settings {
                lab,
                autorun: i % 2 == 0,
            };
            assert_eq!(parse_query(&settings.to_query()), Ok(settings.clone()));
            let json = serde_json::to_string(&settings).unwrap();
            assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
        }
        let full = Settings {
            lab: LabSettings::Tradeoff(TradeoffSettings {
                sweep: Some(TradeoffSweep::SliceMs),
                ..TradeoffSettings::default()
            }),
            autorun: true,
        };
        assert_eq!(
            serde_json::to_string(&full).unwrap(),
            r#"{"lab":"tradeoff","kernel":"sha256","size":9000,"slice_ms":16.0,"sweep":"slice_ms","autorun":true}"#
        );
        assert_eq!(
            full.to_query(),
            "lab=tradeoff&kernel=sha256&size=9000&slice_ms=16&sweep=slice_ms&autorun=1"
        );
    }

    #[test]
    fn query_pairs_are_decoded_in_order() {
        assert_eq!(
            query_pairs("?b=2&a=%2F+x&&flag&b=3"),
            [
                ("b".to_owned(), "2".to_owned()),
                ("a".to_owned(), "/ x".to_owned()),
                ("flag".to_owned(), String::new()),
                ("b".to_owned(), "3".to_owned()),
            ]
        );
        assert!(query_pairs("").is_empty());
    }

    fn full_io() -> IoSettings {
        IoSettings {
            target: Target::Url,
            url: Some("https://example.com/a b?x=1&y=ü#f+%".to_owned()),
            n: 5000,
            c: 256,
            rate: Some(0.1),
            arrivals: Arrivals::Uniform,
            seed: 0,
            latency_ms: 12.345,
            dist: Dist::Uniform,
            spread_ms: 12.345,
            capacity: Some(1),
            payload_kb: 0,
            error_rate: 0.125,
            fault: Fault::Burst,
            timeout_ms: 100,
            sweep: Some(IoSweep::C),
        }
    }

    #[test]
    fn query_round_trips() {
        let start = Settings {
            lab: LabSettings::Start(StartSettings {
                n: 200,
                latency_ms: 0.5,
                tasks: 1,
                size: 1_000_000,
            }),
            autorun: true,
        };
        assert_eq!(
            start.to_query(),
            "lab=start&n=200&latency_ms=0.5&tasks=1&size=1000000&autorun=1"
        );
        let defaults = Settings::default();
        assert_eq!(
            defaults.to_query(),
            "lab=start&n=20&latency_ms=50&tasks=64&size=20000"
        );

        let io_defaults = Settings {
            lab: LabSettings::Io(IoSettings::default()),
            autorun: false,
        };
        assert_eq!(
            io_defaults.to_query(),
            "lab=io&target=sim&n=100&c=10&arrivals=poisson&seed=1&latency_ms=50&dist=fixed\
             &spread_ms=0&payload_kb=1&error_rate=0&fault=http&timeout_ms=10000"
        );
        let full = Settings {
            lab: LabSettings::Io(full_io()),
            autorun: true,
        };
        assert_eq!(
            full.to_query(),
            "lab=io&target=url&url=https://example.com/a%20b%3Fx%3D1%26y%3D%C3%BC%23f%2B%25\
             &n=5000&c=256&rate=0.1&arrivals=uniform&seed=0&latency_ms=12.345&dist=uniform\
             &spread_ms=12.345&capacity=1&payload_kb=0&error_rate=0.125&fault=burst\
             &timeout_ms=100&sweep=c&autorun=1"
        );
        let open = Settings {
            lab: LabSettings::Io(IoSettings {
                rate: Some(2000.0),
                dist: Dist::LogNormal,
                spread_ms: 10_000.0,
                sweep: Some(IoSweep::Rate),
                capacity: Some(256),
                ..IoSettings::default()
            }),
            autorun: false,
        };
        for settings in [start, defaults, io_defaults, full, open] {
            assert_eq!(parse_query(&settings.to_query()), Ok(settings.clone()));
            assert_eq!(
                parse_query(&format!("?{}", settings.to_query())),
                Ok(settings)
            );
        }
    }

    #[test]
    fn json_is_flat_and_round_trips() {
        let start = Settings::default();
        assert_eq!(
            serde_json::to_string(&start).unwrap(),
            r#"{"lab":"start","n":20,"latency_ms":50.0,"tasks":64,"size":20000,"autorun":false}"#
        );
        let io = Settings {
            lab: LabSettings::Io(IoSettings::default()),
            autorun: true,
        };
        assert_eq!(
            serde_json::to_string(&io).unwrap(),
            r#"{"lab":"io","target":"sim","url":null,"n":100,"c":10,"rate":null,"arrivals":"poisson","seed":1,"latency_ms":50.0,"dist":"fixed","spread_ms":0.0,"capacity":null,"payload_kb":1,"error_rate":0.0,"fault":"http","timeout_ms":10000,"sweep":null,"autorun":true}"#
        );
        let full = Settings {
            lab: LabSettings::Io(full_io()),
            autorun: false,
        };
        for settings in [start, io, full] {
            let json = serde_json::to_string(&settings).unwrap();
            assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
        }
        // Whole numbers written without a decimal point still read as f64.
        let settings: Settings = serde_json::from_str(
            r#"{"lab":"io","target":"sim","url":null,"n":100,"c":10,"rate":20,"arrivals":"poisson","seed":18446744073709551615,"latency_ms":50,"dist":"lognormal","spread_ms":0,"capacity":4,"payload_kb":1,"error_rate":0,"timeout_ms":10000,"sweep":"rate","autorun":false}"#,
        )
        .unwrap();
        let io = settings.io().unwrap();
        assert_eq!(
            (io.rate, io.seed, io.dist),
            (Some(20.0), u64::MAX, Dist::LogNormal)
        );
    }

    #[test]
    fn percent_encoding_round_trips() {
        for text in ["", "plain", "a b+c&d=e%f", "ü✓", "/path:8080/~x-y_z.w"] {
            assert_eq!(percent_decode(&percent_encode(text)), text);
        }
        assert_eq!(percent_encode("a b&/"), "a%20b%26/");
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
