//! The client every component except the apiserver uses to reach the cluster's state (book 2.1.3,
//! 6.3): configuration from kubeconfig or flags, one pooled HTTP [`Client`], typed access per
//! kind through [`Api`], dynamic access by group/version/resource, and watch streams.

pub mod api;
mod client;
pub mod config;
pub mod discovery;
mod error;
pub mod events;
pub mod leader_election;
pub mod retry;
mod tls;
mod token_bucket;
pub mod watch;
pub mod workqueue;

pub use api::{Api, ApiResource, DeleteOutcome};
pub use client::{Body, Client};
pub use config::{Auth, Config, ConfigError, TlsSettings};
pub use error::{Error, Result};
pub use events::{EventRecorder, EventType};
pub use leader_election::{LeaderElectionConfig, LeaderElector};
pub use retry::{Backoff, retry_on_conflict};
pub use watch::WatchStream;
pub use workqueue::WorkQueue;
