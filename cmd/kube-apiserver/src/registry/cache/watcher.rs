//! One client's watch served from the cache: its initial state or the buffered changes it
//! resumes from, then the live changes the fan-out queues for it, filtered by its selectors
//! with upstream's transitions (an object leaving the selection is DELETED with the state that
//! last matched, one entering is ADDED).

use super::events::{CacheEvent, ChangeKind};
use super::fanout::Delivery;
use super::object::CachedObject;
use crate::registry::Strategy;
use crate::registry::store::convert::to_json;
use crate::storage::Revision;
use api_types::meta::v1::{Status, WatchEvent, WatchEventType};
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Whether an object is selected by a watch's label and field selectors.
pub type Selection<T> = Box<dyn Fn(&T) -> bool + Send + Sync>;

/// Where a cache watcher starts.
pub enum Beginning<T> {
    /// The objects of the cache at `revision`, sent as ADDED; with `end_marker`, followed by
    /// the `k8s.io/initial-events-end` BOOKMARK.
    InitialState { objects: Vec<Arc<CachedObject<T>>>, revision: Revision, end_marker: bool },
    /// The buffered changes after the client's revision `after`.
    Replay { after: Revision, events: Vec<Arc<CacheEvent<T>>> },
}

/// A watch fed by the cache, ready to run.
pub struct CacheWatcher<T> {
    pub(super) beginning: Beginning<T>,
    pub(super) queue: mpsc::Receiver<Delivery<T>>,
    pub(super) selection: Selection<T>,
    pub(super) bookmarks: bool,
    pub(super) client: mpsc::Sender<WatchEvent<Value>>,
}

impl<T: Strategy> CacheWatcher<T> {
    /// Sends the client its events until the client leaves, the cache drops the watcher (it fell
    /// behind: the stream just ends) or the cache restarts (an ERROR 410 ends it).
    pub async fn run(mut self) {
        let beginning = std::mem::replace(
            &mut self.beginning,
            Beginning::Replay { after: 0, events: Vec::new() },
        );
        let (started, mut seen) = match beginning {
            Beginning::InitialState { objects, revision, end_marker } => {
                (self.send_initial_state(objects, revision, end_marker).await, revision)
            }
            Beginning::Replay { after, events } => {
                let seen = events.last().map_or(after, |event| event.revision);
                (self.replay(events).await, seen)
            }
        };
        if !started {
            return;
        }
        loop {
            let delivery = tokio::select! {
                _ = self.client.closed() => return,
                delivery = self.queue.recv() => delivery,
            };
            let going_on = match delivery {
                None => return,
                Some(Delivery::Change(event)) => {
                    seen = event.revision;
                    self.deliver(&event).await
                }
                Some(Delivery::Progress(revision)) => {
                    seen = seen.max(revision);
                    !self.bookmarks || self.bookmark(revision, false).await
                }
                Some(Delivery::Restarted(revision)) => {
                    let status = Status::too_old_resource_version(
                        seen.max(0) as u64,
                        revision.max(0) as u64,
                    );
                    let _gone = self.client.send(WatchEvent::error(&status)).await;
                    false
                }
            };
            if !going_on {
                return;
            }
        }
    }

    async fn send_initial_state(
        &self,
        objects: Vec<Arc<CachedObject<T>>>,
        revision: Revision,
        end_marker: bool,
    ) -> bool {
        for object in objects {
            if (self.selection)(&object.object)
                && !self.send(WatchEventType::Added, &object.json).await
            {
                return false;
            }
        }
        !(end_marker && self.bookmarks) || self.bookmark(revision, true).await
    }

    async fn replay(&self, events: Vec<Arc<CacheEvent<T>>>) -> bool {
        for event in events {
            if !self.deliver(&event).await {
                return false;
            }
        }
        true
    }

    /// Sends what one change means to this client; `false` when the watch must end.
    async fn deliver(&self, event: &CacheEvent<T>) -> bool {
        let now_selected = (self.selection)(&event.object.object);
        match event.kind {
            ChangeKind::Added if now_selected => {
                self.send(WatchEventType::Added, &event.object.json).await
            }
            ChangeKind::Deleted if now_selected => {
                self.send(WatchEventType::Deleted, &event.object.json).await
            }
            ChangeKind::Modified => {
                let was_selected =
                    event.previous.as_ref().map(|previous| (self.selection)(&previous.object));
                match (was_selected, now_selected) {
                    (Some(true) | None, true) => {
                        self.send(WatchEventType::Modified, &event.object.json).await
                    }
                    (Some(false), true) => {
                        self.send(WatchEventType::Added, &event.object.json).await
                    }
                    (Some(true), false) => match event.previous_json_at_revision() {
                        Some(before) => self.send(WatchEventType::Deleted, before).await,
                        None => true,
                    },
                    (Some(false) | None, false) => true,
                }
            }
            _ => true,
        }
    }

    async fn send(&self, type_: WatchEventType, object: &Value) -> bool {
        self.client.send(WatchEvent::new(type_, object.clone())).await.is_ok()
    }

    /// A BOOKMARK at `revision`: an object of the kind with nothing but its resourceVersion (and
    /// the initial-events-end annotation when it closes the initial state).
    async fn bookmark(&self, revision: Revision, initial_events_end: bool) -> bool {
        let bookmark = WatchEvent::<T>::bookmark(&revision.to_string(), initial_events_end);
        match to_json(&bookmark.object) {
            Ok(object) => self.send(WatchEventType::Bookmark, &object).await,
            Err(status) => {
                let _gone = self.client.send(WatchEvent::error(&status)).await;
                false
            }
        }
    }
}
