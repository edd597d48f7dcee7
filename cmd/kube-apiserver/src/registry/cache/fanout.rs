//! The watcher fan-out: every change goes to the watchers whose keys it touches, never waiting
//! for any of them. Each watcher has a bounded queue; one that lets it fill up is dropped (its
//! client's stream ends, as upstream's cacher closes an unresponsive watcher), so a stuck client
//! costs a bounded amount of memory and never slows the others.

use super::events::CacheEvent;
use crate::storage::Revision;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// What the cache hands a watcher.
#[derive(Debug)]
pub enum Delivery<T> {
    /// A change under the watcher's prefix.
    Change(Arc<CacheEvent<T>>),
    /// The cache has seen everything up to this revision: a BOOKMARK, for watchers that asked.
    Progress(Revision),
    /// The cache started over from a list at this revision, losing changes in between: the
    /// watcher cannot go on and ends with a 410.
    Restarted(Revision),
}

/// The cache's end of one watcher.
pub struct WatcherHandle<T> {
    /// The key prefix the watcher's namespace (or the whole resource) covers.
    pub prefix: String,
    pub queue: mpsc::Sender<Delivery<T>>,
    /// When the next periodic BOOKMARK is due, for watchers that asked for bookmarks.
    pub next_bookmark: Option<Instant>,
}

/// Every live watcher of one resource.
pub struct Fanout<T> {
    watchers: Vec<WatcherHandle<T>>,
}

impl<T> Default for Fanout<T> {
    fn default() -> Self {
        Fanout { watchers: Vec::new() }
    }
}

impl<T> Fanout<T> {
    pub fn add(&mut self, watcher: WatcherHandle<T>) {
        self.watchers.push(watcher);
    }

    /// Hands `event` to every watcher under whose prefix its key lies; drops watchers that are
    /// gone or whose queue is full.
    pub fn dispatch(&mut self, event: &Arc<CacheEvent<T>>) {
        let key = &event.object.key;
        self.watchers.retain(|watcher| {
            !key.starts_with(&watcher.prefix) || offer(watcher, Delivery::Change(Arc::clone(event)))
        });
    }

    /// Sends a BOOKMARK at `revision` to every watcher whose bookmark is due at `now`, and
    /// schedules its next one `every` later. Also forgets watchers whose client left.
    pub fn bookmarks(&mut self, revision: Revision, now: Instant, every: std::time::Duration) {
        self.watchers.retain_mut(|watcher| {
            if watcher.queue.is_closed() {
                return false;
            }
            match watcher.next_bookmark {
                Some(due) if due <= now => {
                    watcher.next_bookmark = Some(now + every);
                    offer(watcher, Delivery::Progress(revision))
                }
                _ => true,
            }
        });
    }

    /// Ends every watcher: the cache lost track of changes and starts again at `revision`.
    pub fn restart_all(&mut self, revision: Revision) {
        for watcher in self.watchers.drain(..) {
            let _full_or_gone = watcher.queue.try_send(Delivery::Restarted(revision));
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.watchers.len()
    }
}

/// Queues `delivery` for `watcher`; `false` when the watcher must be dropped.
fn offer<T>(watcher: &WatcherHandle<T>, delivery: Delivery<T>) -> bool {
    match watcher.queue.try_send(delivery) {
        Ok(()) => true,
        Err(mpsc::error::TrySendError::Full(_)) => {
            tracing::info!(
                prefix = %watcher.prefix,
                "closing a watcher that fell {} events behind",
                watcher.queue.max_capacity()
            );
            false
        }
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    }
}
