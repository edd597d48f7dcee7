//! Watches: one etcd watch per storage watch, pumped into a bounded [`WatchStream`] by a task
//! that survives lost connections.
//!
//! The etcd watch asks for previous values (so deletes can carry the deleted object) and for
//! progress notifications (delivered as [`WatchEventKind::Progress`]). The task remembers the
//! last revision it delivered; when the stream breaks (etcd restarted, member lost) it opens a
//! new etcd watch from the next revision, on any member, so the reader sees neither a gap nor a
//! duplicate. It gives up with [`StorageError::Unavailable`] only when no member accepts the
//! watch within the configured limit.
//!
//! Each etcd watch is its own gRPC stream, and the task waits for room in the bounded
//! [`WatchStream`] before reading further: a slow reader holds back its own watch (through HTTP/2
//! flow control), on a connection that carries only watches. A reader that takes nothing for
//! [`WatchSettings::stall_limit`] has its watch ended, so that it cannot hold back the other
//! watches on that connection for longer.
//!
//! A progress request ([`WatchStream::request_progress`]) becomes an etcd `WatchProgressRequest`
//! on the watch's gRPC stream; etcd answers with an empty response at its current revision,
//! delivered as [`WatchEventKind::Progress`]. etcd before 3.4.25 and 3.5.8 may send that answer
//! ahead of events it has already queued for the stream (upstream Kubernetes trusts progress
//! answers only from later versions), so on older members a reader may see a Progress event
//! shortly before an event it covers.

use super::client::{EtcdCluster, Purpose, Retry, watches};
use super::errors::EtcdFailure;
use super::kv::to_key_value;
use super::list::prefix_range_end;
use crate::storage::{
    ProgressRequests, Revision, StorageError, WatchEvent, WatchEventKind, WatchStream,
};
use etcd_client::{EventType, WatchOptions, WatchResponse};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// How many events may wait for a slow reader before the watch stops reading from etcd
/// (upstream's buffer size for etcd watches).
const BUFFER: usize = 100;
/// The shortest time between two openings of a watch's etcd stream, so that a stream that
/// breaks as soon as it opens is not re-opened in a busy loop.
const MIN_REOPEN_INTERVAL: Duration = Duration::from_millis(500);

type EventSender = mpsc::Sender<Result<WatchEvent, StorageError>>;

/// The limits of a watch's patience, from [`super::Etcd3Config`].
#[derive(Clone, Copy, Debug)]
pub(super) struct WatchSettings {
    /// How long a broken watch tries to re-establish itself.
    pub(super) reconnect_limit: Duration,
    /// How long the watch waits for a reader that has left no room in its buffer.
    pub(super) stall_limit: Duration,
}

/// Starts a watch of `key` (or of every key under it, when `prefix`) for changes after
/// `after_revision`. The first etcd watch is opened before returning, so an unreachable etcd
/// fails here with [`StorageError::Unavailable`]; a compacted `after_revision` arrives as the
/// stream's first item.
pub(super) async fn watch(
    cluster: Arc<EtcdCluster>,
    key: &str,
    prefix: bool,
    after_revision: Revision,
    settings: WatchSettings,
) -> Result<WatchStream, StorageError> {
    let watch = EtcdWatch {
        cluster,
        key: key.to_string(),
        range_end: prefix.then(|| prefix_range_end(key)),
        delivered: after_revision,
        settings,
        opened_at: Instant::now(),
    };
    let stream = watch
        .cluster
        .call(Purpose::Watches, Retry::Idempotent, |client| watch.open(client))
        .await
        .map_err(EtcdFailure::into_storage_error)?;
    let (events, progress, reader) = WatchStream::with_progress(BUFFER);
    tokio::spawn(watch.run(stream, events, progress));
    Ok(reader)
}

/// One storage watch and where it has got to.
struct EtcdWatch {
    cluster: Arc<EtcdCluster>,
    key: String,
    /// The end of the watched range; `None` watches the single key.
    range_end: Option<Vec<u8>>,
    /// The revision of the last event (or progress notification) handed to the reader; a new
    /// etcd watch starts right after it.
    delivered: Revision,
    settings: WatchSettings,
    /// When the current etcd stream was opened.
    opened_at: Instant,
}

/// Whether the pump goes on after handling a response.
enum Flow {
    Continue,
    Stop,
}

impl EtcdWatch {
    /// Opens an etcd watch from the revision after the last delivered one.
    fn open(
        &self,
        client: etcd_client::Client,
    ) -> impl Future<Output = Result<etcd_client::WatchStream, etcd_client::Error>> + use<> {
        let mut options = WatchOptions::new()
            .with_start_revision(self.delivered + 1)
            .with_prev_key()
            .with_progress_notify();
        if let Some(range_end) = &self.range_end {
            options = options.with_range(range_end.clone());
        }
        let key = self.key.clone();
        async move { watches(&client).watch(key, Some(options)).await }
    }

    /// Forwards etcd's responses, and the reader's progress requests to etcd, until the reader
    /// goes away or the watch ends for good.
    async fn run(
        mut self,
        mut stream: etcd_client::WatchStream,
        events: EventSender,
        mut progress: ProgressRequests,
    ) {
        loop {
            let message = tokio::select! {
                _ = events.closed() => return,
                Some(()) = progress.next() => match stream.request_progress().await {
                    Ok(()) => continue,
                    Err(err) => Err(err),
                },
                message = stream.message() => message,
            };
            let failure = match message {
                Ok(Some(response)) => match self.forward(response, &events).await {
                    Flow::Continue => continue,
                    Flow::Stop => return,
                },
                Ok(None) => EtcdFailure::Unavailable("etcd closed the watch stream".to_string()),
                Err(err) => EtcdFailure::from(err),
            };
            if !failure.is_retryable(true) {
                self.send(&events, Err(failure.into_storage_error())).await;
                return;
            }
            tracing::debug!(
                key = %self.key,
                revision = self.delivered,
                "etcd watch broke, re-establishing it"
            );
            match self.reopen(&events).await {
                Some(reopened) => stream = reopened,
                None => return,
            }
        }
    }

    /// Hands the events of one etcd response to the reader, waiting for room.
    async fn forward(&mut self, response: WatchResponse, events: &EventSender) -> Flow {
        if response.compact_revision() != 0 {
            let compacted = StorageError::Compacted {
                requested: self.delivered,
                compacted: response.compact_revision(),
            };
            self.send(events, Err(compacted)).await;
            return Flow::Stop;
        }
        if response.canceled() {
            let why = format!("etcd canceled the watch: {}", response.cancel_reason());
            self.send(events, Err(StorageError::Internal(why))).await;
            return Flow::Stop;
        }
        if response.created() {
            return Flow::Continue;
        }
        if response.events().is_empty() {
            let revision = response.header().map_or(0, |header| header.revision());
            self.delivered = self.delivered.max(revision);
            let progress = WatchEvent {
                kind: WatchEventKind::Progress,
                revision,
                object: None,
                previous: None,
            };
            return self.send(events, Ok(progress)).await;
        }
        for event in response.events() {
            let flow = match to_watch_event(event) {
                Ok(event) => {
                    self.delivered = event.revision;
                    self.send(events, Ok(event)).await
                }
                Err(malformed) => {
                    self.send(events, Err(malformed)).await;
                    Flow::Stop
                }
            };
            if let Flow::Stop = flow {
                return Flow::Stop;
            }
        }
        Flow::Continue
    }

    /// Opens a new etcd watch after the old one broke, retrying across members until
    /// `reconnect_limit` passes; then (or on a permanent error) ends the reader's stream with the
    /// error. `None` when the watch is over.
    async fn reopen(&mut self, events: &EventSender) -> Option<etcd_client::WatchStream> {
        let deadline = Instant::now() + self.settings.reconnect_limit;
        let reopened = async {
            tokio::time::sleep_until(self.opened_at + MIN_REOPEN_INTERVAL).await;
            self.cluster
                .call_until(deadline, Purpose::Watches, Retry::Idempotent, |client| {
                    self.open(client)
                })
                .await
        };
        let failure = tokio::select! {
            _ = events.closed() => return None,
            result = reopened => match result {
                Ok(stream) => {
                    self.opened_at = Instant::now();
                    return Some(stream);
                }
                Err(failure) => failure,
            },
        };
        let error = match failure {
            EtcdFailure::Unsent(why) | EtcdFailure::Unavailable(why) => StorageError::Unavailable(
                format!("watch of {:?} lost and not re-established: {why}", self.key),
            ),
            other => other.into_storage_error(),
        };
        self.send(events, Err(error)).await;
        None
    }

    /// Hands one item to the reader, waiting for room up to the stall limit; `Stop` when the
    /// reader is gone or stalled.
    async fn send(&self, events: &EventSender, item: Result<WatchEvent, StorageError>) -> Flow {
        match tokio::time::timeout(self.settings.stall_limit, events.send(item)).await {
            Ok(Ok(())) => Flow::Continue,
            Ok(Err(_reader_gone)) => Flow::Stop,
            Err(_stalled) => {
                tracing::warn!(
                    key = %self.key,
                    revision = self.delivered,
                    "ending an etcd watch whose reader took nothing for {:?}",
                    self.settings.stall_limit
                );
                Flow::Stop
            }
        }
    }
}

/// One etcd event as a storage event. A put whose key was created at this very revision is a
/// creation; a delete carries the deleted value (with its revisions) as its object and the
/// delete's revision as its own.
fn to_watch_event(event: &etcd_client::Event) -> Result<WatchEvent, StorageError> {
    let kv = event
        .kv()
        .ok_or_else(|| StorageError::Internal("etcd watch event without a key".to_string()))?;
    let revision = kv.mod_revision();
    let previous = event.prev_kv().cloned().map(to_key_value).transpose()?;
    match event.event_type() {
        EventType::Put => {
            let kind = if kv.create_revision() == kv.mod_revision() {
                WatchEventKind::Created
            } else {
                WatchEventKind::Modified
            };
            Ok(WatchEvent { kind, revision, object: Some(to_key_value(kv.clone())?), previous })
        }
        EventType::Delete => {
            let Some(deleted) = previous else {
                return Err(StorageError::Internal(format!(
                    "etcd delete event for {:?} at revision {revision} lacks the previous value",
                    String::from_utf8_lossy(kv.key())
                )));
            };
            Ok(WatchEvent {
                kind: WatchEventKind::Deleted,
                revision,
                object: Some(deleted.clone()),
                previous: Some(deleted),
            })
        }
    }
}
