//! [`Reflector`]: keeps a [`Store`] equal to the apiserver's collection by applying a
//! [`Watcher`]'s events to it, and says when the store has been filled by a first full list, the
//! moment a controller may start trusting it (client-go's `Reflector` plus `HasSynced`).

use crate::api::Api;
use crate::store::Store;
use crate::watcher::{Event, Watcher, WatcherConfig};
use api_types::resource::Resource;
use component_base::ShutdownToken;
use tokio::sync::watch;

/// Whether a cache has been filled by its first full list; cheap to clone and share with the
/// code that must wait for it.
#[derive(Clone, Debug)]
pub struct Synced {
    receiver: watch::Receiver<bool>,
}

impl Synced {
    /// A flag not yet raised, and the handle that raises it.
    pub(crate) fn new() -> (watch::Sender<bool>, Synced) {
        let (sender, receiver) = watch::channel(false);
        (sender, Synced { receiver })
    }

    /// Whether the first full list has been applied.
    pub fn has_synced(&self) -> bool {
        *self.receiver.borrow()
    }

    /// Waits for the first full list; `false` when the cache stopped before it came (shutdown).
    pub async fn wait_until_synced(&self) -> bool {
        let mut receiver = self.receiver.clone();
        receiver.wait_for(|synced| *synced).await.is_ok()
    }
}

/// Drives one watcher into one store; see the module documentation.
pub struct Reflector<K> {
    watcher: Watcher<K>,
    store: Store<K>,
    raise_synced: watch::Sender<bool>,
    synced: Synced,
}

impl<K: Resource> Reflector<K> {
    /// A reflector of `api`'s collection into a new store.
    pub fn new(api: Api<K>, config: WatcherConfig) -> Self {
        Reflector::with_store(Watcher::new(api, config), Store::new())
    }

    /// A reflector filling `store` (with indexes already registered, say) from `watcher`.
    pub fn with_store(watcher: Watcher<K>, store: Store<K>) -> Self {
        let (raise_synced, synced) = Synced::new();
        Reflector { watcher, store, raise_synced, synced }
    }

    /// The store this reflector fills; clones share its contents.
    pub fn store(&self) -> Store<K> {
        self.store.clone()
    }

    /// The flag raised after the first full list.
    pub fn synced(&self) -> Synced {
        self.synced.clone()
    }

    /// Whether the first full list has been applied.
    pub fn has_synced(&self) -> bool {
        self.synced.has_synced()
    }

    /// Waits for the next event and applies it to the store.
    pub async fn step(&mut self) {
        let event = self.watcher.next().await;
        let full_list = matches!(event, Event::Restarted(_));
        self.store.apply_event(event);
        if full_list {
            self.raise_synced.send_replace(true);
        }
    }

    /// Keeps the store current until `shutdown` is triggered.
    pub async fn run(mut self, shutdown: ShutdownToken) {
        let stop = shutdown.wait();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => return,
                _ = self.step() => {}
            }
        }
    }
}
