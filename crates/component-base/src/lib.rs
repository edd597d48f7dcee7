//! What every component binary shares: logging, the /healthz and /metrics server, shutdown on
//! signals, and the version.
//!
//! A component's `main` typically runs, in order: [`flags::normalized_env_args`] into its clap
//! parser (which flattens [`logging::LoggingArgs`] and [`version::VersionArgs`]),
//! [`version::VersionArgs::print_and_exit_if_requested`], [`logging::init`],
//! [`signals::ShutdownToken::on_signals`], and then [`serve::HealthServer::serve`] next to its
//! own work, all stopping on the token.

pub mod control_plane;
pub mod flags;
mod health;
pub mod logging;
mod metrics;
pub mod serve;
pub mod signals;
pub mod version;

pub use health::HealthCheck;
pub use serve::{HealthServer, ServeLimits};
pub use signals::ShutdownToken;
pub use version::VersionInfo;
