//! The ring buffer of recent changes: what lets a watch resume from a `resourceVersion` without
//! a storage watch of its own, as long as the change after it is still held.

use super::object::{CachedObject, json_at_revision};
use crate::storage::Revision;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

/// What a change did to its object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

/// One change of one object, shared by every watcher that receives it.
#[derive(Debug)]
pub struct CacheEvent<T> {
    pub kind: ChangeKind,
    pub revision: Revision,
    /// The object after the change; for a delete, its last state at the delete's revision.
    pub object: Arc<CachedObject<T>>,
    /// The object before the change, for modifications and deletes, at its own revision.
    pub previous: Option<Arc<CachedObject<T>>>,
    /// `previous` at this change's revision, built by the first watcher that needs it: a watcher
    /// whose selector the object leaves receives it as DELETED.
    previous_at_revision: OnceLock<Option<Value>>,
}

impl<T> CacheEvent<T> {
    pub fn new(
        kind: ChangeKind,
        revision: Revision,
        object: Arc<CachedObject<T>>,
        previous: Option<Arc<CachedObject<T>>>,
    ) -> Self {
        CacheEvent { kind, revision, object, previous, previous_at_revision: OnceLock::new() }
    }

    /// The previous state as JSON at this change's revision, encoded once for all watchers.
    pub fn previous_json_at_revision(&self) -> Option<&Value> {
        self.previous_at_revision
            .get_or_init(|| {
                self.previous
                    .as_ref()
                    .map(|previous| json_at_revision(&previous.json, self.revision))
            })
            .as_ref()
    }
}

/// The most recent changes, oldest first, at most `capacity` of them.
pub struct EventBuffer<T> {
    events: VecDeque<Arc<CacheEvent<T>>>,
    capacity: usize,
    /// Every change after this revision is held: the list the cache started from, or the
    /// revision of the newest change pushed out.
    complete_after: Revision,
}

impl<T> EventBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        EventBuffer { events: VecDeque::new(), capacity: capacity.max(1), complete_after: 0 }
    }

    /// Forgets every change: the cache starts again from a list at `revision`.
    pub fn reset(&mut self, revision: Revision) {
        self.events.clear();
        self.complete_after = revision;
    }

    /// Appends the newest change, pushing out the oldest when full.
    pub fn push(&mut self, event: Arc<CacheEvent<T>>) {
        if self.events.len() == self.capacity
            && let Some(oldest) = self.events.pop_front()
        {
            self.complete_after = oldest.revision;
        }
        self.events.push_back(event);
    }

    /// Every held change after `revision`, or `None` when some of them were already pushed out
    /// (or predate the cache's list).
    pub fn since(&self, revision: Revision) -> Option<Vec<Arc<CacheEvent<T>>>> {
        if revision < self.complete_after {
            return None;
        }
        let start = self.events.partition_point(|event| event.revision <= revision);
        Some(self.events.range(start..).cloned().collect())
    }
}
