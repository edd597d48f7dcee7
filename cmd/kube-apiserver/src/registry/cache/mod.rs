//! The watch cache (DESIGN.md decision 3; upstream's `cacher`): one resource's objects and
//! recent changes in memory, fed by one storage watch, serving that resource's lists and watches
//! so that a thousand watchers cost one storage watch and a list costs no storage read.
//!
//! - `object`: objects decoded and encoded once, shared by every list and watcher;
//! - `objects`: the store of current objects, in key order;
//! - `events`: the ring buffer of recent changes, from which watches resume;
//! - `fanout`: handing each change to the watchers it concerns, dropping those that fall behind;
//! - `watcher`: one client's watch over the cache, with its selectors' transitions;
//! - `reflector`: the task that lists, then watches storage, and recovers when that watch fails.
//!
//! The cache only says what it can serve; the generic store decides when to ask it and falls back
//! to storage otherwise (see `registry/store/list.rs` and `watch.rs`). Every wait here is bounded:
//! a cache that cannot catch up in time sends the request to storage, never to an error of its
//! own.

mod events;
mod fanout;
mod object;
mod objects;
mod reflector;
mod watcher;

#[cfg(test)]
mod tests;

pub use object::CachedObject;
pub use watcher::{CacheWatcher, Selection};

use crate::registry::Strategy;
use crate::storage::{Revision, Storage};
use api_types::meta::v1::WatchEvent;
use events::EventBuffer;
use fanout::{Fanout, WatcherHandle};
use objects::ObjectStore;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::Duration;
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::AbortHandle;
use tokio::time::Instant;
use watcher::Beginning;

/// The limits and timings of a watch cache.
#[derive(Clone, Debug)]
pub struct CacheSettings {
    /// How many recent changes are kept for watches to resume from. Upstream sizes its buffer
    /// between 100 and 102,400 events to hold about 75 s of history; a fixed 4,096 covers a
    /// busy resource's last minutes on a cluster of this project's scale, and a watch from
    /// further back is served from storage, so the size trades memory for storage watches only.
    pub event_buffer: usize,
    /// How many changes may wait for one watcher before it is closed as too slow (its client
    /// then watches again from the last revision it received).
    pub watcher_queue: usize,
    /// How long a read waits for the cache to reach the revision it needs before going to
    /// storage instead (upstream's `blockTimeout` of 3 s).
    pub freshness_wait: Duration,
    /// How often the cache asks storage for progress while reads wait for a revision.
    pub progress_interval: Duration,
    /// How often watchers that asked for bookmarks are checked for a due BOOKMARK.
    pub bookmark_tick: Duration,
    /// How long a watcher goes between periodic BOOKMARKs (upstream's one minute).
    pub bookmark_frequency: Duration,
    /// The first pause before the reflector retries storage after a failure; it doubles up to
    /// ten times this.
    pub retry_delay: Duration,
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings {
            event_buffer: 4096,
            watcher_queue: 1000,
            freshness_wait: Duration::from_secs(3),
            progress_interval: Duration::from_millis(100),
            bookmark_tick: Duration::from_secs(1),
            bookmark_frequency: Duration::from_secs(60),
            retry_delay: Duration::from_millis(100),
        }
    }
}

/// How fresh the cache must be to serve a read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Any state it has (`resourceVersion=0`).
    Any,
    /// At least this revision (`resourceVersion=N`, not older than).
    AtLeast(Revision),
    /// At least the store's current revision, learned now (an unset `resourceVersion`:
    /// upstream's consistent read from cache).
    Consistent,
}

/// Where a watch served by the cache starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheStart {
    /// With the current objects as ADDED events; `end_marker` adds the
    /// `k8s.io/initial-events-end` BOOKMARK after them.
    InitialState { end_marker: bool },
    /// With the changes after this revision.
    After(Revision),
}

/// One resource's watch cache. Its reflector starts on first use and stops when the cache is
/// dropped.
pub struct WatchCache<T: Strategy> {
    shared: Arc<Shared<T>>,
    reflector: OnceLock<AbortHandle>,
}

/// What the reflector and the readers share.
struct Shared<T> {
    /// Held weakly: the generic store owns the storage, and a cache being dropped (its reflector
    /// is stopped asynchronously) must not keep it open, so that a restarted server can reopen
    /// the same data directory at once.
    storage: Weak<dyn Storage>,
    /// The resource's key prefix (`/registry/pods/`): the one storage watch.
    prefix: String,
    settings: CacheSettings,
    state: Mutex<State<T>>,
    /// The revision the cache has reached; `None` until it has listed and is watching.
    reached: watch::Sender<Option<Revision>>,
    progress: ProgressDemand,
}

/// The cache's contents, changed only under the lock so that a watcher registering sees a
/// snapshot and every later change exactly once.
struct State<T> {
    /// Whether a list has filled the cache.
    initialized: bool,
    /// The revision the contents reflect: the newest change or progress seen.
    revision: Revision,
    /// The revision of the newest change applied, to ignore repeats.
    last_change: Revision,
    objects: ObjectStore<T>,
    events: EventBuffer<T>,
    fanout: Fanout<T>,
}

/// Readers waiting for a revision, which the reflector answers by asking storage for progress.
#[derive(Default)]
struct ProgressDemand {
    waiters: AtomicUsize,
    wanted: Notify,
    /// Set when the storage watch cannot report progress: consistent reads then go to storage
    /// at once rather than wait in vain.
    unsupported: AtomicBool,
}

/// One reader's demand for progress, withdrawn when dropped.
struct DemandGuard<'a>(&'a ProgressDemand);

impl Drop for DemandGuard<'_> {
    fn drop(&mut self) {
        self.0.waiters.fetch_sub(1, Ordering::SeqCst);
    }
}

impl ProgressDemand {
    fn demand(&self) -> DemandGuard<'_> {
        self.waiters.fetch_add(1, Ordering::SeqCst);
        self.wanted.notify_one();
        DemandGuard(self)
    }

    fn is_wanted(&self) -> bool {
        self.waiters.load(Ordering::SeqCst) > 0
    }
}

impl<T: Strategy> WatchCache<T> {
    /// A cache of every object under `prefix` (`/registry/<plural>/`) in `storage`; nothing
    /// happens until it is first used. The caller keeps `storage` alive: the cache holds it
    /// weakly.
    pub fn new(storage: &Arc<dyn Storage>, prefix: String, settings: CacheSettings) -> Self {
        let state = State {
            initialized: false,
            revision: 0,
            last_change: 0,
            objects: ObjectStore::default(),
            events: EventBuffer::new(settings.event_buffer),
            fanout: Fanout::default(),
        };
        let shared = Shared {
            storage: Arc::downgrade(storage),
            prefix,
            settings,
            state: Mutex::new(state),
            reached: watch::Sender::new(None),
            progress: ProgressDemand::default(),
        };
        WatchCache { shared: Arc::new(shared), reflector: OnceLock::new() }
    }

    /// Starts the reflector unless it runs already. Must be called inside a tokio runtime.
    fn start(&self) {
        self.reflector
            .get_or_init(|| tokio::spawn(reflector::run(Arc::clone(&self.shared))).abort_handle());
    }

    /// Waits (at most [`CacheSettings::freshness_wait`]) until the cache can serve a read of
    /// `freshness`, returning the revision the read starts from: the store's revision for
    /// [`Freshness::Consistent`], `N` for [`Freshness::AtLeast`], the cache's for
    /// [`Freshness::Any`]. `None` sends the read to storage.
    pub async fn fresh(&self, freshness: Freshness) -> Option<Revision> {
        self.start();
        let shared = &self.shared;
        let minimum = match freshness {
            Freshness::Any => None,
            Freshness::AtLeast(revision) => Some(revision),
            Freshness::Consistent => {
                if shared.progress.unsupported.load(Ordering::SeqCst) {
                    return None;
                }
                Some(shared.storage()?.current_revision().await.ok()?)
            }
        };
        let mut reached = shared.reached.subscribe();
        let fresh_enough =
            |revision: &Option<Revision>| revision.is_some_and(|r| minimum.is_none_or(|m| r >= m));
        let already = *reached.borrow_and_update();
        let revision = if fresh_enough(&already) {
            already
        } else {
            let _demand = minimum.map(|_| shared.progress.demand());
            let waited = tokio::time::timeout(
                shared.settings.freshness_wait,
                reached.wait_for(fresh_enough),
            )
            .await;
            match waited {
                Ok(Ok(revision)) => *revision,
                _ => return None,
            }
        };
        minimum.or(revision)
    }

    /// The current objects under `prefix` (a namespace's, or the resource's), in key order, and
    /// the revision they reflect. Call after [`WatchCache::fresh`].
    pub fn list(&self, prefix: &str) -> (Vec<Arc<CachedObject<T>>>, Revision) {
        let state = self.shared.lock();
        (state.objects.under(prefix), state.revision)
    }

    /// Registers a watch of the objects under `prefix` selected by `selection`, sending to
    /// `client`; the caller runs the returned watcher. `None` when the cache cannot serve it:
    /// not filled yet, or the changes after the start revision are no longer (or not yet) held.
    pub fn watch(
        &self,
        prefix: &str,
        start: CacheStart,
        selection: Selection<T>,
        bookmarks: bool,
        client: mpsc::Sender<WatchEvent<Value>>,
    ) -> Option<CacheWatcher<T>> {
        let mut state = self.shared.lock();
        if !state.initialized {
            return None;
        }
        let now = Instant::now();
        let (beginning, next_bookmark) = match start {
            CacheStart::InitialState { end_marker } => {
                let beginning = Beginning::InitialState {
                    objects: state.objects.under(prefix),
                    revision: state.revision,
                    end_marker,
                };
                let after_marker =
                    end_marker.then(|| now + self.shared.settings.bookmark_frequency);
                (beginning, after_marker.unwrap_or(now))
            }
            CacheStart::After(revision) => {
                if revision > state.revision {
                    return None;
                }
                let events = state
                    .events
                    .since(revision)?
                    .into_iter()
                    .filter(|event| event.object.key.starts_with(prefix))
                    .collect();
                (Beginning::Replay { after: revision, events }, now)
            }
        };
        let (queue_sender, queue) = mpsc::channel(self.shared.settings.watcher_queue.max(1));
        state.fanout.add(WatcherHandle {
            prefix: prefix.to_string(),
            queue: queue_sender,
            next_bookmark: bookmarks.then_some(next_bookmark),
        });
        Some(CacheWatcher { beginning, queue, selection, bookmarks, client })
    }

    /// How many watchers the cache feeds, for tests.
    #[cfg(test)]
    fn watchers(&self) -> usize {
        self.shared.lock().fanout.len()
    }
}

impl<T: Strategy> Drop for WatchCache<T> {
    /// Stops the reflector, which ends the storage watch and, with it, every watcher.
    fn drop(&mut self) {
        if let Some(reflector) = self.reflector.get() {
            reflector.abort();
        }
    }
}

impl<T> Shared<T> {
    /// The storage, unless it has been dropped (the server is stopping).
    fn storage(&self) -> Option<Arc<dyn Storage>> {
        self.storage.upgrade()
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
