//! The reflector: the one task that feeds a cache from storage. It lists the resource's prefix,
//! then watches it from the list's revision, applying every change to the store of objects, the
//! ring buffer and the watchers.
//!
//! When the storage watch breaks (`Unavailable`, or the stream ends) it watches again from the
//! last revision it applied, so its watchers lose nothing. Only when that history is gone
//! (`Compacted`) or storage fails otherwise does it list again: changes in between are lost, so
//! every watcher ends with upstream's ERROR 410 and its client relists. While readers wait for a
//! revision the reflector asks storage for progress, and it sends due BOOKMARKs on a timer.

use super::events::{CacheEvent, ChangeKind};
use super::object::CachedObject;
use super::{Shared, State};
use crate::registry::Strategy;
use crate::storage::{self, Revision, Storage, StorageError, WatchEventKind, WatchStream};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::time::{Instant, MissedTickBehavior};

/// Keys read per storage page while listing.
const LIST_PAGE: i64 = 10_000;

/// How a storage watch ended.
enum WatchEnd {
    /// Watch again from the last revision applied.
    Rewatch,
    /// The history is gone or storage is broken: list again.
    Relist,
}

/// Runs the cache until it is dropped (the task is aborted then) or its storage is.
pub(super) async fn run<T: Strategy>(shared: Arc<Shared<T>>) {
    let mut failures = 0;
    loop {
        let Some(storage) = shared.storage() else { return };
        let listed = list(&shared, storage.as_ref()).await;
        drop(storage);
        let (objects, listed_at) = match listed {
            Ok(listed) => listed,
            Err(error) => {
                tracing::warn!(prefix = %shared.prefix, %error, "watch cache: listing failed");
                pause(&shared, &mut failures).await;
                continue;
            }
        };
        shared.restart(objects, listed_at);
        let mut after = listed_at;
        loop {
            let Some(storage) = shared.storage() else { return };
            let opened = storage.watch(&shared.prefix, true, after).await;
            drop(storage);
            let stream = match opened {
                Ok(stream) => stream,
                Err(StorageError::Compacted { .. }) => break,
                Err(error) => {
                    tracing::warn!(prefix = %shared.prefix, after, %error, "watch cache: watch failed");
                    pause(&shared, &mut failures).await;
                    continue;
                }
            };
            shared.mark_watching();
            let (end, progressed) = follow(&shared, stream, &mut after).await;
            if progressed {
                failures = 0;
            }
            match end {
                WatchEnd::Rewatch => pause(&shared, &mut failures).await,
                WatchEnd::Relist => break,
            }
        }
        pause(&shared, &mut failures).await;
    }
}

/// Waits before retrying storage, longer after each failure in a row.
async fn pause<T>(shared: &Shared<T>, failures: &mut u32) {
    let delay = shared.settings.retry_delay * 2u32.pow((*failures).min(10));
    *failures += 1;
    tokio::time::sleep(delay.min(shared.settings.retry_delay * 10)).await;
}

/// Every object under the prefix at one revision, read page by page.
async fn list<T: Strategy>(
    shared: &Shared<T>,
    storage: &dyn Storage,
) -> Result<(Vec<Arc<CachedObject<T>>>, Revision), StorageError> {
    let mut request = storage::ListOptions { limit: Some(LIST_PAGE), ..Default::default() };
    let mut objects = Vec::new();
    loop {
        let page = storage.list(&shared.prefix, request).await?;
        for stored in &page.items {
            match CachedObject::decode(stored, stored.mod_revision) {
                Ok(object) => objects.push(Arc::new(object)),
                Err(status) => tracing::error!(
                    key = %stored.key, message = %status.message,
                    "watch cache: leaving out an undecodable object"
                ),
            }
        }
        match page.continue_token {
            Some(token) => {
                request = storage::ListOptions {
                    limit: Some(LIST_PAGE),
                    continue_token: Some(token),
                    ..Default::default()
                }
            }
            None => return Ok((objects, page.revision)),
        }
    }
}

/// Applies the stream's events until it ends; also asks for progress while readers wait, and
/// sends due bookmarks. Returns how it ended and whether anything arrived.
async fn follow<T: Strategy>(
    shared: &Shared<T>,
    mut stream: WatchStream,
    after: &mut Revision,
) -> (WatchEnd, bool) {
    let mut bookmark_tick = tokio::time::interval(shared.settings.bookmark_tick);
    bookmark_tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut progressed = false;
    loop {
        let wanted = shared.progress.is_wanted();
        tokio::select! {
            next = stream.next() => match next {
                Some(Ok(event)) => {
                    progressed = true;
                    *after = (*after).max(event.revision);
                    shared.apply(event);
                }
                Some(Err(StorageError::Unavailable(why))) => {
                    tracing::debug!(prefix = %shared.prefix, %why, "watch cache: watching again");
                    return (WatchEnd::Rewatch, progressed);
                }
                None => return (WatchEnd::Rewatch, progressed),
                Some(Err(error)) => {
                    tracing::warn!(prefix = %shared.prefix, %error, "watch cache: listing again");
                    return (WatchEnd::Relist, progressed);
                }
            },
            () = shared.progress.wanted.notified() => request_progress(shared, &stream),
            () = tokio::time::sleep(shared.settings.progress_interval), if wanted => {
                request_progress(shared, &stream);
            }
            _ = bookmark_tick.tick() => shared.send_due_bookmarks(),
        }
    }
}

/// Asks storage for progress, remembering when the backend cannot answer.
fn request_progress<T>(shared: &Shared<T>, stream: &WatchStream) {
    if !shared.progress.is_wanted() {
        return;
    }
    if let Err(StorageError::Internal(why)) = stream.request_progress() {
        tracing::warn!(prefix = %shared.prefix, %why, "watch cache: consistent reads go to storage");
        shared.progress.unsupported.store(true, Ordering::SeqCst);
    }
}

impl<T: Strategy> Shared<T> {
    /// Fills the cache from a list at `revision`. Watchers of an earlier fill cannot be
    /// continued (the changes in between are lost) and end with a 410.
    fn restart(&self, objects: Vec<Arc<CachedObject<T>>>, revision: Revision) {
        let mut state = self.lock();
        if state.initialized {
            state.fanout.restart_all(revision);
        }
        state.objects.replace(objects);
        state.events.reset(revision);
        state.revision = revision;
        state.last_change = revision;
        state.initialized = true;
    }

    /// Opens the cache to readers once its storage watch runs.
    fn mark_watching(&self) {
        let revision = self.lock().revision;
        self.reached.send_replace(Some(revision));
    }

    /// Applies one storage event: a change to the objects, the buffer and the watchers, or a
    /// progress notification that advances the revision.
    fn apply(&self, event: storage::WatchEvent) {
        if event.kind == WatchEventKind::Progress {
            let mut state = self.lock();
            state.revision = state.revision.max(event.revision);
            self.publish(&state);
            return;
        }
        let Some(stored) = &event.object else { return };
        let revision = event.revision;
        // Decode outside the lock: it is the costly part, and readers must not wait for it.
        let decoded = match event.kind {
            WatchEventKind::Deleted => None,
            _ => match CachedObject::<T>::decode(stored, revision) {
                Ok(object) => Some(Arc::new(object)),
                Err(status) => {
                    tracing::error!(key = %stored.key, message = %status.message,
                        "watch cache: treating an undecodable object as deleted");
                    None
                }
            },
        };
        let mut state = self.lock();
        if revision <= state.last_change {
            return;
        }
        state.last_change = revision;
        state.revision = state.revision.max(revision);
        let change = match decoded {
            Some(object) => {
                let previous = state.objects.put(Arc::clone(&object));
                let kind =
                    if previous.is_some() { ChangeKind::Modified } else { ChangeKind::Added };
                Some(CacheEvent::new(kind, revision, object, previous))
            }
            None => deletion(&mut state, stored, revision),
        };
        if let Some(change) = change {
            let change = Arc::new(change);
            state.events.push(Arc::clone(&change));
            state.fanout.dispatch(&change);
        }
        self.publish(&state);
    }

    /// Sends a BOOKMARK to every watcher whose periodic one is due.
    fn send_due_bookmarks(&self) {
        let mut state = self.lock();
        let revision = state.revision;
        state.fanout.bookmarks(revision, Instant::now(), self.settings.bookmark_frequency);
    }

    /// Tells waiting readers how far the cache got (once it is open to them).
    fn publish(&self, state: &State<T>) {
        self.reached.send_if_modified(|reached| match reached {
            Some(current) if *current != state.revision => {
                *current = state.revision;
                true
            }
            _ => false,
        });
    }
}

/// The change that removes `stored`'s key: its last cached state, reported at the delete's
/// revision. `None` when the cache never held it.
fn deletion<T: Strategy>(
    state: &mut State<T>,
    stored: &storage::KeyValue,
    revision: Revision,
) -> Option<CacheEvent<T>> {
    let previous = state.objects.remove(&stored.key)?;
    let object = Arc::new(previous.at_revision(revision));
    Some(CacheEvent::new(ChangeKind::Deleted, revision, object, Some(previous)))
}
