//! Periodic compaction of etcd's history, as upstream's apiserver does for
//! `--etcd-compaction-interval`: at every tick the history is compacted up to the revision seen
//! at the previous tick, so a client always has at least one interval to resume a watch or
//! continue a list before it is told 410 Gone.
//!
//! Several apiservers sharing one etcd each run a compactor; compacting at or below an already
//! compacted revision succeeds, so they only repeat each other's work. (Upstream elects one per
//! interval through a compare-and-swap on a shared key; that saves requests, not history.)

use super::client::EtcdCluster;
use super::errors::EtcdFailure;
use super::kv;
use crate::storage::Revision;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Starts compacting every `interval`; the task runs until aborted.
pub(super) fn spawn(
    cluster: Arc<EtcdCluster>,
    prefix: String,
    interval: Duration,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick fires at once; it only records where history stands.
        let mut previous: Option<Revision> = None;
        loop {
            ticks.tick().await;
            if let Some(revision) = previous.filter(|&revision| revision > 0) {
                if let Err(error) = kv::compact(&cluster, &prefix, revision).await {
                    tracing::warn!(revision, %error, "compacting etcd failed; retrying next interval");
                }
            }
            match cluster.current_revision(&prefix).await {
                Ok(current) => previous = Some(current),
                Err(failure) => {
                    let error = EtcdFailure::into_storage_error(failure);
                    tracing::warn!(%error, "reading etcd's revision for compaction failed");
                }
            }
        }
    })
}
