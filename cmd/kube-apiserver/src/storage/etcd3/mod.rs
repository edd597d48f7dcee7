//! The `etcd3` backend: the [`Storage`] trait over a real etcd v3 cluster, with upstream's
//! semantics, so the data in etcd looks exactly as an upstream apiserver would have left it.
//!
//! - Keys are stored verbatim: the keys passed in already carry `--etcd-prefix`, and the backend
//!   adds nothing (see [`Etcd3Config::prefix`]).
//! - Revisions are etcd's: `create_revision` and `mod_revision` of the key, the header revision
//!   of the write.
//! - Writes are single transactions compare-and-swapping on `mod_revision` (`kv`); lists are
//!   paged range reads at one revision (`list`); watches are etcd watches with previous values
//!   and progress notifications that re-establish themselves after a lost connection
//!   (`watch`).
//! - Compaction follows etcd: after `compact(r)` the state at `r` itself stays readable, so a
//!   list at `r` and a watch with `after_revision >= r - 1` still work, while anything older
//!   fails with [`StorageError::Compacted`].
//! - Every request is bounded by [`Etcd3Config::request_timeout`] and fails with
//!   [`StorageError::Unavailable`] when no member answers; the connections come back by
//!   themselves when etcd does (`client`).

mod client;
mod compactor;
mod config;
mod errors;
mod kv;
mod list;
mod watch;

pub use config::Etcd3Config;

use super::{KeyValue, ListOptions, ListPage, Revision, Storage, StorageError, WatchStream};
use async_trait::async_trait;
use client::EtcdCluster;
use std::sync::Arc;
use watch::WatchSettings;

/// A [`Storage`] backed by an etcd cluster; cheap to share behind an `Arc`.
pub struct Etcd3Storage {
    cluster: Arc<EtcdCluster>,
    prefix: String,
    watch_settings: WatchSettings,
    /// The periodic compaction task, stopped with the storage.
    compactor: Option<tokio::task::JoinHandle<()>>,
}

impl Etcd3Storage {
    /// Connects to the configured members and checks that one of them answers within the dial
    /// timeout; otherwise [`StorageError::Unavailable`] (or [`StorageError::Internal`] for a
    /// configuration that cannot work, such as an unreadable certificate file).
    pub async fn connect(config: Etcd3Config) -> Result<Self, StorageError> {
        let cluster = Arc::new(EtcdCluster::connect(&config).await?);
        let compactor = config.compaction_interval.map(|interval| {
            compactor::spawn(Arc::clone(&cluster), config.prefix.clone(), interval)
        });
        Ok(Etcd3Storage {
            cluster,
            compactor,
            prefix: config.prefix,
            watch_settings: WatchSettings {
                reconnect_limit: config.watch_reconnect_limit,
                stall_limit: config.watch_stall_limit,
            },
        })
    }
}

impl Drop for Etcd3Storage {
    fn drop(&mut self) {
        if let Some(compactor) = &self.compactor {
            compactor.abort();
        }
    }
}

#[async_trait]
impl Storage for Etcd3Storage {
    async fn create(&self, key: &str, value: Vec<u8>) -> Result<Revision, StorageError> {
        kv::create(&self.cluster, key, value).await
    }

    async fn get(&self, key: &str) -> Result<KeyValue, StorageError> {
        kv::get(&self.cluster, key).await
    }

    async fn list(&self, prefix: &str, options: ListOptions) -> Result<ListPage, StorageError> {
        list::list(&self.cluster, prefix, options).await
    }

    async fn update(
        &self,
        key: &str,
        value: Vec<u8>,
        expected_revision: Revision,
    ) -> Result<Revision, StorageError> {
        kv::update(&self.cluster, key, value, expected_revision).await
    }

    async fn delete(
        &self,
        key: &str,
        expected_revision: Option<Revision>,
    ) -> Result<(KeyValue, Revision), StorageError> {
        kv::delete(&self.cluster, key, expected_revision).await
    }

    async fn watch(
        &self,
        key: &str,
        prefix: bool,
        after_revision: Revision,
    ) -> Result<WatchStream, StorageError> {
        watch::watch(self.cluster.clone(), key, prefix, after_revision, self.watch_settings).await
    }

    async fn current_revision(&self) -> Result<Revision, StorageError> {
        self.cluster
            .current_revision(&self.prefix)
            .await
            .map_err(errors::EtcdFailure::into_storage_error)
    }

    async fn compact(&self, revision: Revision) -> Result<(), StorageError> {
        kv::compact(&self.cluster, &self.prefix, revision).await
    }
}
