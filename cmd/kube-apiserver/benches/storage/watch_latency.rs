//! Watch delivery latency: how long after a write is acknowledged each of many watchers on its
//! prefix receives it.
//!
//! All watchers are opened, then one write is made and awaited by every watcher, so the measured
//! writes find every watch live. Then `clients` writers create keys under the prefix, each
//! noting when its write was acknowledged; every watcher notes when each event reached it. The
//! latency is signed: an event can reach a watcher before its writer has seen the
//! acknowledgement (the store publishes a commit before it answers the writer), and then it is
//! negative.

use super::report::WatchLatency;
use super::single_key::{Ours, SingleKeyOps, drive, owned_by};
use async_trait::async_trait;
use kube_apiserver::storage::{Revision, WatchEventKind, WatchStream};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// How long the watchers may take to receive everything before the run gives up on them.
const DELIVERY_DEADLINE: Duration = Duration::from_secs(120);

/// A store whose watch delivery can be timed: ours, or the bare etcd client as a floor.
#[async_trait]
pub trait WatchOps: SingleKeyOps {
    /// The store's revision now, to watch from.
    async fn current_revision(&self) -> Result<Revision, String>;
    /// Watches every key under `prefix` for changes after `after`.
    async fn watch_prefix(
        &self,
        prefix: &str,
        after: Revision,
    ) -> Result<Box<dyn Creations>, String>;
}

/// The key creations one watch delivers.
#[async_trait]
pub trait Creations: Send {
    /// The revision of the next creation, skipping every other kind of event; an error when
    /// the watch ended.
    async fn next_creation(&mut self) -> Result<Revision, String>;
}

#[async_trait]
impl WatchOps for Ours {
    async fn current_revision(&self) -> Result<Revision, String> {
        self.0.current_revision().await.map_err(|e| e.to_string())
    }

    async fn watch_prefix(
        &self,
        prefix: &str,
        after: Revision,
    ) -> Result<Box<dyn Creations>, String> {
        let stream = self.0.watch(prefix, true, after).await.map_err(|e| e.to_string())?;
        Ok(Box::new(stream))
    }
}

#[async_trait]
impl Creations for WatchStream {
    async fn next_creation(&mut self) -> Result<Revision, String> {
        loop {
            match self.next().await {
                None => return Err("the stream ended".to_string()),
                Some(Err(error)) => return Err(error.to_string()),
                Some(Ok(event)) if event.kind == WatchEventKind::Created => {
                    return Ok(event.revision);
                }
                Some(Ok(_)) => {}
            }
        }
    }
}

/// What one watch measurement does.
pub struct WatchRun<'a> {
    pub prefix: &'a str,
    pub watchers: usize,
    pub writers: usize,
    pub writes: usize,
    pub value: &'a [u8],
}

/// When each of a watcher's events arrived, or why the watcher ended early.
type Arrivals = Result<Vec<(Revision, Instant)>, String>;

impl WatchRun<'_> {
    pub fn measure(&self, runtime: &Handle, store: &Arc<dyn WatchOps>) -> WatchLatency {
        runtime.block_on(self.measure_async(store))
    }

    async fn measure_async(&self, store: &Arc<dyn WatchOps>) -> WatchLatency {
        let deadline = Instant::now() + DELIVERY_DEADLINE;
        let streams = self.open_watches(store).await;
        let (ready, mut readiness) = mpsc::unbounded_channel();
        let watchers: Vec<_> = streams
            .into_iter()
            .map(|stream| {
                tokio::spawn(record_arrivals(stream, self.writes, ready.clone(), deadline))
            })
            .collect();
        drop(ready);

        let barrier = format!("{}barrier", self.prefix);
        store
            .create(&barrier, self.value.to_vec())
            .await
            .unwrap_or_else(|error| panic!("create {barrier}: {error}"));
        let mut live = 0;
        while live < self.watchers && readiness.recv().await.is_some() {
            live += 1;
        }

        let acknowledged = self.write(store).await;
        let mut arrivals = Vec::with_capacity(self.watchers);
        for watcher in watchers {
            arrivals.push(watcher.await.expect("a watcher task panicked"));
        }
        summarize(&acknowledged, arrivals)
    }

    /// Opens every watch from the current revision, concurrently.
    async fn open_watches(&self, store: &Arc<dyn WatchOps>) -> Vec<Box<dyn Creations>> {
        let after = store
            .current_revision()
            .await
            .unwrap_or_else(|error| panic!("read the current revision: {error}"));
        let mut opening = JoinSet::new();
        for _ in 0..self.watchers {
            let (store, prefix) = (Arc::clone(store), self.prefix.to_string());
            opening.spawn(async move { store.watch_prefix(&prefix, after).await });
        }
        let mut streams = Vec::with_capacity(self.watchers);
        while let Some(opened) = opening.join_next().await {
            let stream = opened
                .expect("a watch task panicked")
                .unwrap_or_else(|error| panic!("watch {}: {error}", self.prefix));
            streams.push(stream);
        }
        streams
    }

    /// Makes the measured writes; returns when each was acknowledged, by revision.
    async fn write(&self, store: &Arc<dyn WatchOps>) -> HashMap<Revision, Instant> {
        let (writers, writes) = (self.writers, self.writes);
        let (_, per_writer) = drive(writers, |writer| {
            let store = Arc::clone(store);
            let (prefix, value) = (self.prefix.to_string(), self.value.to_vec());
            async move {
                let mut acknowledged = Vec::new();
                for index in owned_by(writer, writers, writes) {
                    let key = format!("{prefix}{index:06}");
                    let revision = store
                        .create(&key, value.clone())
                        .await
                        .unwrap_or_else(|error| panic!("create {key}: {error}"));
                    acknowledged.push((revision, Instant::now()));
                }
                acknowledged
            }
        })
        .await;
        per_writer.into_iter().flatten().collect()
    }
}

/// Waits for the barrier event, reports readiness, then notes the arrival of `writes` created
/// keys.
async fn record_arrivals(
    mut stream: Box<dyn Creations>,
    writes: usize,
    ready: mpsc::UnboundedSender<()>,
    deadline: Instant,
) -> Arrivals {
    let mut arrivals = Vec::with_capacity(writes);
    // Dropped once used, so the readiness channel closes when every watcher is ready or gone.
    let mut ready = Some(ready);
    while arrivals.len() < writes {
        let revision = match tokio::time::timeout_at(deadline.into(), stream.next_creation()).await
        {
            Err(_) => return Err(format!("timed out after {} events", arrivals.len())),
            Ok(Err(why)) => return Err(format!("{why} after {} events", arrivals.len())),
            Ok(Ok(revision)) => revision,
        };
        match ready.take() {
            Some(ready) => {
                let _ = ready.send(());
            }
            None => arrivals.push((revision, Instant::now())),
        }
    }
    Ok(arrivals)
}

fn summarize(acknowledged: &HashMap<Revision, Instant>, arrivals: Vec<Arrivals>) -> WatchLatency {
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    for watcher in arrivals {
        match watcher {
            Ok(events) => {
                for (revision, arrived) in events {
                    let acked = acknowledged
                        .get(&revision)
                        .unwrap_or_else(|| panic!("a watcher saw revision {revision}, not ours"));
                    latencies.push(signed_seconds(*acked, arrived));
                }
            }
            Err(why) => failures.push(why),
        }
    }
    WatchLatency::from_latencies(latencies, failures)
}

/// Seconds from `from` to `to`, negative when `to` came first.
fn signed_seconds(from: Instant, to: Instant) -> f64 {
    match to.checked_duration_since(from) {
        Some(after) => after.as_secs_f64(),
        None => -from.duration_since(to).as_secs_f64(),
    }
}
