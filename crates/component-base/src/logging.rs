//! Logging setup shared by every binary, driven by upstream's glog-style flags.
//!
//! `--v` picks how chatty we are, the way upstream operators expect; `RUST_LOG`, when set, takes
//! over completely and plays the role of upstream's `--vmodule` (per-module levels).

use std::io::IsTerminal;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::EnvFilter;

/// The environment variable whose filter directives replace the `--v` level when set.
pub const FILTER_ENV: &str = "RUST_LOG";

/// The highest glog verbosity upstream components use.
const MAX_VERBOSITY: u8 = 10;

/// Logging flags every component accepts; flatten into the binary's clap parser.
#[derive(Debug, Clone, clap::Args)]
pub struct LoggingArgs {
    /// Log verbosity as in upstream's glog (0-10): 0-1 info, 2-4 debug, 5 and above trace.
    #[arg(
        short = 'v',
        long = "v",
        value_name = "LEVEL",
        default_value_t = 0,
        value_parser = clap::value_parser!(u8).range(0..=i64::from(MAX_VERBOSITY))
    )]
    pub verbosity: u8,

    /// How each log line is written.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Accepted so upstream command lines keep working; logs always go to standard error.
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value_t = true,
        action = clap::ArgAction::Set
    )]
    pub logtostderr: bool,
}

impl Default for LoggingArgs {
    /// What a binary gets with no logging flags: info level, text lines.
    fn default() -> Self {
        LoggingArgs { verbosity: 0, log_format: LogFormat::Text, logtostderr: true }
    }
}

/// The shape of log lines: readable text for people, JSON for log collectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per event.
    Json,
}

/// Why logging could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    /// `RUST_LOG` was set but is not a valid filter; failing loudly beats silently logging less.
    #[error("invalid {FILTER_ENV} filter {value:?}: {source}")]
    InvalidFilter {
        /// The rejected value.
        value: String,
        /// What was wrong with it.
        source: tracing_subscriber::filter::ParseError,
    },
    /// A global subscriber was installed before, by an earlier `init` or by someone else.
    #[error("logging is already initialized")]
    AlreadyInitialized,
}

/// Maps a glog verbosity to the most detailed tracing level it enables.
///
/// Upstream logs routine operation at V(0)-V(1), details at V(2)-V(4) and wire-level chatter
/// from V(5) on, which lines up with info, debug and trace.
pub fn level_for_verbosity(verbosity: u8) -> LevelFilter {
    match verbosity {
        0..=1 => LevelFilter::INFO,
        2..=4 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    }
}

/// Builds the event filter: `rust_log` when given (the value of `RUST_LOG`), else the `--v` level.
pub fn filter_for(args: &LoggingArgs, rust_log: Option<&str>) -> Result<EnvFilter, LoggingError> {
    match rust_log.map(str::trim).filter(|value| !value.is_empty()) {
        Some(value) => EnvFilter::try_new(value)
            .map_err(|source| LoggingError::InvalidFilter { value: value.to_owned(), source }),
        None => Ok(EnvFilter::default().add_directive(level_for_verbosity(args.verbosity).into())),
    }
}

/// Installs the process-wide subscriber writing to standard error.
///
/// Call once, early in `main`; a second call returns [`LoggingError::AlreadyInitialized`]
/// instead of replacing the first setup.
pub fn init(args: &LoggingArgs) -> Result<(), LoggingError> {
    let rust_log = std::env::var(FILTER_ENV).ok();
    let filter = filter_for(args, rust_log.as_deref())?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let installed = match args.log_format {
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    installed.map_err(|_| LoggingError::AlreadyInitialized)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        logging: LoggingArgs,
    }

    fn parse(args: &[&str]) -> Result<LoggingArgs, clap::Error> {
        let argv = std::iter::once("component").chain(args.iter().copied());
        Cli::try_parse_from(argv).map(|cli| cli.logging)
    }

    #[test]
    fn verbosity_maps_onto_tracing_levels() {
        let expected = [
            (0, LevelFilter::INFO),
            (1, LevelFilter::INFO),
            (2, LevelFilter::DEBUG),
            (4, LevelFilter::DEBUG),
            (5, LevelFilter::TRACE),
            (10, LevelFilter::TRACE),
        ];
        for (verbosity, level) in expected {
            assert_eq!(level_for_verbosity(verbosity), level, "--v={verbosity}");
        }
    }

    #[test]
    fn defaults_are_quiet_text() {
        let args = parse(&[]).unwrap();
        assert_eq!(args.verbosity, 0);
        assert_eq!(args.log_format, LogFormat::Text);
        assert!(args.logtostderr);
    }

    #[test]
    fn verbosity_flag_spellings() {
        assert_eq!(parse(&["--v=3"]).unwrap().verbosity, 3);
        assert_eq!(parse(&["--v", "2"]).unwrap().verbosity, 2);
        assert_eq!(parse(&["-v", "5"]).unwrap().verbosity, 5);
        assert_eq!(parse(&["-v7"]).unwrap().verbosity, 7);
        assert!(parse(&["--v=11"]).is_err());
        assert!(parse(&["--v=loud"]).is_err());
    }

    #[test]
    fn format_and_compatibility_flags() {
        assert_eq!(parse(&["--log-format=json"]).unwrap().log_format, LogFormat::Json);
        assert!(parse(&["--log-format=xml"]).is_err());
        assert!(parse(&["--logtostderr"]).unwrap().logtostderr);
        assert!(parse(&["--logtostderr=true", "--v=0"]).unwrap().logtostderr);
        assert!(!parse(&["--logtostderr=false"]).unwrap().logtostderr);
    }

    #[test]
    fn filter_follows_verbosity_unless_rust_log_is_set() {
        let args = parse(&["--v=2"]).unwrap();
        let from_verbosity = filter_for(&args, None).unwrap();
        assert_eq!(from_verbosity.max_level_hint(), Some(LevelFilter::DEBUG));

        let blank = filter_for(&args, Some("  ")).unwrap();
        assert_eq!(blank.max_level_hint(), Some(LevelFilter::DEBUG));

        let overridden = filter_for(&args, Some("warn,component_base=trace")).unwrap();
        assert_eq!(overridden.max_level_hint(), Some(LevelFilter::TRACE));

        let invalid = filter_for(&args, Some("component_base=loud")).unwrap_err();
        assert!(matches!(invalid, LoggingError::InvalidFilter { .. }), "{invalid}");
    }
}
