//! The client every component except the apiserver uses to reach the cluster's state (book 2.1.3,
//! 6.3): configuration from kubeconfig or flags, one pooled HTTP [`Client`], typed access per
//! kind through [`Api`], dynamic access by group/version/resource, and watch streams.

pub mod api;
mod client;
pub mod config;
pub mod discovery;
mod error;
pub mod events;
pub mod informer;
pub mod leader_election;
pub mod reflector;
pub mod retry;
pub mod store;
mod tls;
pub mod token_bucket;
pub mod watch;
pub mod watcher;
pub mod workqueue;

pub use api::{Api, ApiResource, DeleteOutcome};
pub use client::{Body, Client};
pub use config::{Auth, Config, ConfigError, TlsSettings};
pub use error::{Error, Result};
pub use events::{EventRecorder, EventType};
pub use informer::{InformerFactory, SharedInformer};
pub use leader_election::{LeaderElectionConfig, LeaderElector};
pub use reflector::{Reflector, Synced};
pub use retry::{Backoff, retry_on_conflict};
pub use store::{Notification, Store, object_key};
pub use watch::WatchStream;
pub use watcher::{Event, Watcher, WatcherConfig};
pub use workqueue::WorkQueue;
