//! GET with `watch=true`, served from the resource's watch cache when it can, else directly from
//! a storage watch of its own.
//!
//! The cache serves a watch that starts with the current state (from its snapshot), and one that
//! resumes from a revision whose later changes its ring buffer still holds. It waits (at most 3 s)
//! to reach the revision the watch needs: `N`, or for an unset `resourceVersion` the store's
//! current revision. A watch it cannot serve — from a revision older than its buffer, or ahead
//! of what it reaches in time — gets the storage watch below, with today's semantics: the history
//! replayed from storage, or the 410 once compacted. A resume from a revision storage has
//! compacted gets that 410 even when the cache still holds the changes after it.
//!
//! From `resourceVersion` `""` or `"0"` (or with `sendInitialEvents=true`) the watch first sends
//! the current state as ADDED events, as upstream does without a cache, then every change after
//! that state. From `resourceVersion=N` it sends the changes after revision N. Selectors apply
//! with upstream's transitions: an object that stops matching is sent as DELETED (with the state
//! that last matched), one that starts matching as ADDED. `allowWatchBookmarks` turns storage
//! progress notifications into BOOKMARK events; `timeoutSeconds` ends the stream; a start
//! revision lost to compaction yields one ERROR event with upstream's 410 and the end.

use super::GenericStore;
use super::convert::{decode_at, to_json};
use super::errors::{Operation, storage_status, too_large_resource_version};
use super::filter::Filter;
use super::options::{parse_read_resource_version, validate_list_options};
use crate::registry::cache::{CacheStart, Freshness, Selection};
use crate::registry::{Strategy, WatchEvents};
use crate::storage::{
    self, KeyValue, Revision, Storage, StorageError, WatchEventKind, WatchStream,
};
use api_types::meta::v1::{ListOptions, Status, WatchEvent, WatchEventType};
use serde_json::Value;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// How many events may wait for a slow client before the watch stops reading storage (the size
/// of upstream's watch channels).
const WATCH_BUFFER: usize = 100;
/// How long a watch waits before reopening a storage watch that ended with `Unavailable`.
const REOPEN_DELAY: Duration = Duration::from_millis(100);
/// How many reopenings in a row may fail to deliver anything before the watch gives up with an
/// ERROR event.
const MAX_FRUITLESS_REOPENS: usize = 3;

/// Where a watch starts.
enum Start {
    /// With the current state (at least at the given revision), as ADDED events.
    InitialState { not_older_than: Option<Revision> },
    /// With the changes after this revision.
    After(Revision),
}

impl<T: Strategy> GenericStore<T> {
    pub(super) async fn watch_objects(
        &self,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<WatchEvents, Status> {
        validate_list_options(&ListOptions { watch: true, ..options.clone() })?;
        let filter = Filter::parse::<T>(options)?;
        let namespace = namespace.filter(|namespace| !namespace.is_empty());
        let prefix = self.collection_prefix(namespace.or(filter.single_namespace()));
        let from = parse_read_resource_version(&options.resource_version)?;
        let initial_state = options.send_initial_events.unwrap_or(from.is_none());
        let timeout = options
            .timeout_seconds
            .filter(|seconds| *seconds > 0)
            .map(|seconds| Duration::from_secs(seconds.unsigned_abs()));
        let (sender, events) = mpsc::channel(WATCH_BUFFER);

        let freshness = match from {
            Some(revision) => Freshness::AtLeast(revision),
            None if options.resource_version == "0" => Freshness::Any,
            None => Freshness::Consistent,
        };
        let resumes_compacted_history = match from {
            Some(revision) if !initial_state => self.compacted_after(&prefix, revision).await,
            _ => false,
        };
        if !resumes_compacted_history
            && let Some(start_revision) = self.cache.fresh(freshness).await
        {
            let start = if initial_state {
                CacheStart::InitialState { end_marker: options.send_initial_events == Some(true) }
            } else {
                CacheStart::After(start_revision)
            };
            let selection: Selection<T> = Box::new(move |object: &T| filter.matches(object));
            let bookmarks = options.allow_watch_bookmarks;
            if let Some(watcher) =
                self.cache.watch(&prefix, start, selection, bookmarks, sender.clone())
            {
                spawn_until(timeout, watcher.run());
                return Ok(events);
            }
        }

        let filter = Filter::parse::<T>(options)?;
        let start = match (initial_state, from) {
            (true, not_older_than) => Start::InitialState { not_older_than },
            (false, Some(revision)) => Start::After(revision),
            (false, None) => Start::After(
                self.storage
                    .current_revision()
                    .await
                    .map_err(|error| storage_status::<T>(error, Operation::Watch, ""))?,
            ),
        };
        let task = WatchTask::<T> {
            storage: Arc::clone(&self.storage),
            prefix,
            filter,
            bookmarks: options.allow_watch_bookmarks,
            mark_initial_events_end: options.send_initial_events == Some(true),
            sender,
            kind: PhantomData,
        };
        spawn_until(timeout, task.run(start));
        Ok(events)
    }

    /// Whether storage has compacted away the changes after `revision`. The cache may still hold
    /// them, but a client resuming from there must get the 410 storage gives it, as it always
    /// did; one read of at most one key at the next revision tells.
    async fn compacted_after(&self, prefix: &str, revision: Revision) -> bool {
        let probe = storage::ListOptions {
            revision: Some(revision + 1),
            limit: Some(1),
            ..Default::default()
        };
        matches!(self.storage.list(prefix, probe).await, Err(StorageError::Compacted { .. }))
    }
}

/// Runs a watch as its own task, ended after `timeout` (`timeoutSeconds`) when there is one.
fn spawn_until(timeout: Option<Duration>, watch: impl Future<Output = ()> + Send + 'static) {
    tokio::spawn(async move {
        match timeout {
            Some(timeout) => {
                let _ended = tokio::time::timeout(timeout, watch).await;
            }
            None => watch.await,
        }
    });
}

/// One watch: reads storage events and sends the client's events until either side stops.
struct WatchTask<T> {
    storage: Arc<dyn Storage>,
    prefix: String,
    filter: Filter,
    bookmarks: bool,
    /// Whether the initial state ends with a BOOKMARK annotated `k8s.io/initial-events-end`
    /// (`sendInitialEvents=true`, the watch-list protocol).
    mark_initial_events_end: bool,
    sender: mpsc::Sender<WatchEvent<Value>>,
    kind: PhantomData<fn() -> T>,
}

impl<T: Strategy> WatchTask<T> {
    async fn run(self, start: Start) {
        let mut after = match start {
            Start::After(revision) => revision,
            Start::InitialState { not_older_than } => {
                match self.send_initial_state(not_older_than).await {
                    Some(revision) => revision,
                    None => return,
                }
            }
        };
        let Some(mut stream) = self.open(after).await else { return };
        let mut fruitless_reopens = 0;
        loop {
            let next = tokio::select! {
                _ = self.sender.closed() => return,
                next = stream.next() => next,
            };
            match next {
                None => return,
                Some(Ok(event)) => {
                    fruitless_reopens = 0;
                    after = after.max(event.revision);
                    if !self.deliver(event).await {
                        return;
                    }
                }
                Some(Err(StorageError::Unavailable(why)))
                    if fruitless_reopens < MAX_FRUITLESS_REOPENS =>
                {
                    tracing::debug!(prefix = %self.prefix, after, %why, "reopening a storage watch");
                    fruitless_reopens += 1;
                    tokio::time::sleep(REOPEN_DELAY).await;
                    match self.open(after).await {
                        Some(reopened) => stream = reopened,
                        None => return,
                    }
                }
                Some(Err(error)) => {
                    self.fail(storage_status::<T>(error, Operation::Watch, "")).await;
                    return;
                }
            }
        }
    }

    /// The storage watch of every change after `after`; on failure the client gets the ERROR
    /// event and `None` ends the watch.
    async fn open(&self, after: Revision) -> Option<WatchStream> {
        match self.storage.watch(&self.prefix, true, after).await {
            Ok(stream) => Some(stream),
            Err(error) => {
                self.fail(storage_status::<T>(error, Operation::Watch, "")).await;
                None
            }
        }
    }

    /// Sends every selected object of the latest state as ADDED, returning the revision of that
    /// state (the watch goes on from there), or `None` when the watch ended.
    async fn send_initial_state(&self, not_older_than: Option<Revision>) -> Option<Revision> {
        let mut request = storage::ListOptions::default();
        let revision = loop {
            let page = match self.storage.list(&self.prefix, request).await {
                Ok(page) => page,
                Err(error) => {
                    self.fail(storage_status::<T>(error, Operation::Watch, "")).await;
                    return None;
                }
            };
            if let Some(minimum) = not_older_than
                && minimum > page.revision
            {
                self.fail(too_large_resource_version(minimum, page.revision)).await;
                return None;
            }
            for stored in &page.items {
                let object = self.decode(stored, stored.mod_revision).await?;
                if self.filter.matches(&object) && !self.send(WatchEventType::Added, object).await {
                    return None;
                }
            }
            match page.continue_token {
                Some(token) => {
                    request =
                        storage::ListOptions { continue_token: Some(token), ..Default::default() }
                }
                None => break page.revision,
            }
        };
        if self.mark_initial_events_end && self.bookmarks && !self.bookmark(revision, true).await {
            return None;
        }
        Some(revision)
    }

    /// Sends what one storage event means to this client; `false` when the watch must end.
    async fn deliver(&self, event: storage::WatchEvent) -> bool {
        let revision = event.revision;
        if event.kind == WatchEventKind::Progress {
            return !self.bookmarks || self.bookmark(revision, false).await;
        }
        let Some(stored) = &event.object else { return true };
        let Some(current) = self.decode(stored, revision).await else { return false };
        let now_selected = self.filter.matches(&current);
        match event.kind {
            WatchEventKind::Created if now_selected => {
                self.send(WatchEventType::Added, current).await
            }
            WatchEventKind::Deleted if now_selected => {
                self.send(WatchEventType::Deleted, current).await
            }
            WatchEventKind::Modified => {
                let before = match &event.previous {
                    Some(previous) => match self.decode(previous, revision).await {
                        Some(before) => Some(before),
                        None => return false,
                    },
                    None => None,
                };
                let was_selected = before.as_ref().map(|before| self.filter.matches(before));
                match (was_selected, now_selected) {
                    (Some(true) | None, true) => self.send(WatchEventType::Modified, current).await,
                    (Some(false), true) => self.send(WatchEventType::Added, current).await,
                    (Some(true), false) => match before {
                        Some(before) => self.send(WatchEventType::Deleted, before).await,
                        None => true,
                    },
                    (Some(false) | None, false) => true,
                }
            }
            _ => true,
        }
    }

    /// A stored value as the object a client sees; an undecodable value ends the watch with an
    /// ERROR event (`None`).
    async fn decode(&self, stored: &KeyValue, revision: Revision) -> Option<T> {
        match decode_at(stored, revision) {
            Ok(object) => Some(object),
            Err(status) => {
                self.fail(status).await;
                None
            }
        }
    }

    async fn send(&self, type_: WatchEventType, object: T) -> bool {
        match to_json(&object) {
            Ok(object) => self.sender.send(WatchEvent::new(type_, object)).await.is_ok(),
            Err(status) => {
                self.fail(status).await;
                false
            }
        }
    }

    /// A BOOKMARK at `revision`: an object of the kind with nothing but its resourceVersion (and
    /// the initial-events-end annotation when it closes the initial state).
    async fn bookmark(&self, revision: Revision, initial_events_end: bool) -> bool {
        let bookmark = WatchEvent::<T>::bookmark(&revision.to_string(), initial_events_end);
        self.send(WatchEventType::Bookmark, bookmark.object).await
    }

    async fn fail(&self, status: Status) {
        let _gone = self.sender.send(WatchEvent::error(&status)).await;
    }
}
