//! Watch fan-out: many watch connections on one namespace's pods, one writer updating a pod in
//! it, and for every update the time from the start of the write to the moment the last
//! watcher holds the event; beside it one raw watch on the store receiving the same writes.
//!
//! Every watch starts from the watched pod's creation, so none can miss an update. A first
//! update (the barrier) is awaited by every receiver before the measured updates begin, so each
//! of those finds every watch open and caught up. Watchers count newline-ended frames rather
//! than decode them, as a client that only needs to notice events would, so the measurement
//! costs the machine little beyond what the server spends; one watcher decodes every event and
//! checks it is the update the writer made, in order.

use super::client::Connection;
use super::pods::{pod_body, pods_prefix};
use super::report::{FanOut, Timed};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Method, StatusCode};
use kube_apiserver::storage::{Revision, Storage, WatchEventKind, WatchStream};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, mpsc};

/// How long the receivers may take to get every event before the run gives up on them.
const DELIVERY_DEADLINE: Duration = Duration::from_secs(180);

/// Watch requests being opened at once: enough to open a thousand quickly, few enough not to
/// overflow the listener's backlog.
const OPENING_AT_ONCE: usize = 64;

/// The pod every update changes.
const WATCHED_POD: &str = "watched";

/// What the line of every event the writer causes begins with.
const MODIFIED_FRAME: &[u8] = br#"{"type":"MODIFIED""#;

/// One fan-out measurement.
pub struct FanOutRun<'a> {
    pub address: SocketAddr,
    pub storage: &'a Arc<dyn Storage>,
    /// An existing namespace with no pods.
    pub namespace: &'a str,
    pub watchers: usize,
    pub updates: usize,
}

/// When each measured event reached one receiver, and (for the checking receiver) the
/// resource versions it carried, barrier excluded.
#[derive(Default)]
struct Arrivals {
    times: Vec<Instant>,
    revisions: Vec<Revision>,
}

impl FanOutRun<'_> {
    pub async fn measure(&self) -> FanOut {
        let deadline = Instant::now() + DELIVERY_DEADLINE;
        let pods = format!("/api/v1/namespaces/{}/pods", self.namespace);
        let mut writer = Connection::open(self.address).await;
        let created = writer
            .post_json(&pods, pod_body(self.namespace, WATCHED_POD))
            .await
            .expect_status(StatusCode::CREATED, "create the watched pod")
            .json();
        let from = resource_version(&created);

        let (ready, mut readiness) = mpsc::unbounded_channel();
        let opening = Arc::new(Semaphore::new(OPENING_AT_ONCE));
        let watch_path: Arc<str> = format!("{pods}?watch=true&resourceVersion={from}").into();
        let watchers: Vec<_> = (0..self.watchers)
            .map(|index| {
                let receiver = Receiver {
                    updates: self.updates,
                    checks: index == 0,
                    ready: ready.clone(),
                    deadline,
                };
                let (opening, path) = (Arc::clone(&opening), Arc::clone(&watch_path));
                tokio::spawn(receiver.watch_http(self.address, path, opening))
            })
            .collect();
        let prefix = pods_prefix(self.namespace);
        let stream = self
            .storage
            .watch(&prefix, true, from)
            .await
            .unwrap_or_else(|error| panic!("watch {prefix}: {error}"));
        let raw = Receiver { updates: self.updates, checks: true, ready: ready.clone(), deadline };
        let raw = tokio::spawn(raw.watch_storage(stream));
        drop(ready);

        let path = format!("{pods}/{WATCHED_POD}");
        update(&mut writer, &path, 0).await;
        let mut live = 0;
        while live < self.watchers + 1 && readiness.recv().await.is_some() {
            live += 1;
        }

        let mut started = Vec::with_capacity(self.updates);
        let mut written = Vec::with_capacity(self.updates);
        let mut writes = Vec::with_capacity(self.updates);
        for sequence in 1..=self.updates {
            let start = Instant::now();
            let revision = update(&mut writer, &path, sequence).await;
            writes.push(start.elapsed());
            started.push(start);
            written.push(revision);
        }
        let writes_took = started.first().map_or(Duration::ZERO, Instant::elapsed);

        let mut failures = Vec::new();
        let mut last = vec![None::<Instant>; self.updates];
        for (index, watcher) in watchers.into_iter().enumerate() {
            let arrivals = match watcher.await {
                Ok(Ok(arrivals)) => arrivals,
                Ok(Err(why)) => {
                    failures.push(why);
                    continue;
                }
                Err(error) => {
                    failures.push(format!("the watcher's task failed: {error}"));
                    continue;
                }
            };
            if index == 0 {
                assert_eq!(arrivals.revisions, written, "events a watcher received, in order");
            }
            for (latest, arrived) in last.iter_mut().zip(arrivals.times) {
                *latest = Some(latest.map_or(arrived, |latest| latest.max(arrived)));
            }
        }
        let raw = raw
            .await
            .expect("the raw watch's task")
            .unwrap_or_else(|why| panic!("the raw storage watch ended early: {why}"));
        assert_eq!(raw.revisions, written, "events the raw watch received, in order");

        let since_write = |arrivals: &mut dyn Iterator<Item = Instant>| {
            arrivals.zip(&started).map(|(arrived, start)| arrived - *start).collect::<Vec<_>>()
        };
        let api_last = since_write(&mut last.iter().flatten().copied());
        let storage = since_write(&mut raw.times.iter().copied());
        let first = started.first().copied().unwrap_or_else(Instant::now);
        let span = |times: &mut dyn Iterator<Item = Instant>| {
            times.max().map_or(Duration::ZERO, |latest| latest - first)
        };
        FanOut {
            watchers: self.watchers,
            updates: self.updates,
            api_span: span(&mut last.iter().flatten().copied()),
            storage_span: span(&mut raw.times.iter().copied()),
            api_last: Timed::new(api_last.iter().sum(), api_last),
            storage: Timed::new(storage.iter().sum(), storage),
            writes: Timed::new(writes_took, writes),
            failures,
        }
    }
}

/// Sets the watched pod's `seq` label with a merge patch, as `kubectl label` would; returns the
/// revision of the write.
async fn update(writer: &mut Connection, path: &str, sequence: usize) -> Revision {
    let patch = format!(r#"{{"metadata":{{"labels":{{"seq":"{sequence}"}}}}}}"#);
    let headers = [("content-type", "application/merge-patch+json")];
    let reply = writer.send(Method::PATCH, path, &headers, Bytes::from(patch)).await;
    resource_version(&reply.expect_status(StatusCode::OK, "update the watched pod").json())
}

fn resource_version(object: &serde_json::Value) -> Revision {
    let version = object["metadata"]["resourceVersion"].as_str().unwrap_or_default();
    version.parse().unwrap_or_else(|_| panic!("resourceVersion {version:?} is not a revision"))
}

/// One receiver of the writer's events: a watch connection or the raw watch.
struct Receiver {
    /// Measured events to wait for, after the barrier.
    updates: usize,
    /// Whether to note each event's resource version, for the order check.
    checks: bool,
    /// Told once the barrier arrived.
    ready: mpsc::UnboundedSender<()>,
    deadline: Instant,
}

impl Receiver {
    /// Opens a watch over HTTP and notes when each event's line is complete.
    async fn watch_http(
        self,
        address: SocketAddr,
        path: Arc<str>,
        opening: Arc<Semaphore>,
    ) -> Result<Arrivals, String> {
        let permit = opening.acquire_owned().await.expect("the opening semaphore stays open");
        let mut connection = Connection::open(address).await;
        let headers = [("accept", "application/json")];
        let response = connection.start(Method::GET, &path, &headers, Bytes::new()).await;
        if response.status() != StatusCode::OK {
            return Err(format!("the watch answered {}", response.status()));
        }
        drop(permit);
        self.read_lines(response.into_body()).await
    }

    async fn read_lines(self, mut body: Incoming) -> Result<Arrivals, String> {
        let Receiver { updates, checks, ready, deadline } = self;
        // Dropped once used, so the readiness channel closes when every receiver is ready or
        // gone.
        let mut ready = Some(ready);
        let mut arrivals = Arrivals::default();
        let mut pending = Vec::new();
        while arrivals.times.len() < updates {
            let frame = match tokio::time::timeout_at(deadline.into(), body.frame()).await {
                Err(_) => return Err(format!("timed out after {} events", arrivals.times.len())),
                Ok(None) => return Err(format!("ended after {} events", arrivals.times.len())),
                Ok(Some(Err(error))) => return Err(format!("{error}")),
                Ok(Some(Ok(frame))) => frame,
            };
            let Ok(data) = frame.into_data() else { continue };
            let arrived = Instant::now();
            pending.extend_from_slice(&data);
            let mut consumed = 0;
            while let Some(length) = pending[consumed..].iter().position(|byte| *byte == b'\n') {
                let line = &pending[consumed..consumed + length];
                consumed += length + 1;
                if !line.starts_with(MODIFIED_FRAME) {
                    let shown = String::from_utf8_lossy(&line[..line.len().min(300)]);
                    return Err(format!("an event other than the writer's: {shown}"));
                }
                match ready.take() {
                    Some(ready) => {
                        let _ = ready.send(());
                    }
                    None => {
                        arrivals.times.push(arrived);
                        if checks {
                            let event: serde_json::Value = serde_json::from_slice(line)
                                .map_err(|error| format!("an undecodable event: {error}"))?;
                            arrivals.revisions.push(resource_version(&event["object"]));
                        }
                    }
                }
            }
            pending.drain(..consumed);
        }
        Ok(arrivals)
    }

    /// Reads the raw storage watch, noting when each change arrives.
    async fn watch_storage(self, mut stream: WatchStream) -> Result<Arrivals, String> {
        let Receiver { updates, checks, ready, deadline } = self;
        let mut ready = Some(ready);
        let mut arrivals = Arrivals::default();
        while arrivals.times.len() < updates {
            let event = match tokio::time::timeout_at(deadline.into(), stream.next()).await {
                Err(_) => return Err(format!("timed out after {} events", arrivals.times.len())),
                Ok(None) => return Err(format!("ended after {} events", arrivals.times.len())),
                Ok(Some(Err(error))) => return Err(error.to_string()),
                Ok(Some(Ok(event))) => event,
            };
            if event.kind != WatchEventKind::Modified {
                continue;
            }
            match ready.take() {
                Some(ready) => {
                    let _ = ready.send(());
                }
                None => {
                    arrivals.times.push(Instant::now());
                    if checks {
                        arrivals.revisions.push(event.revision);
                    }
                }
            }
        }
        Ok(arrivals)
    }
}
