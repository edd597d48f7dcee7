//! Shared informers: one list-and-watch per collection per process, however many controllers
//! want to hear about it (client-go's `SharedIndexInformer` and `SharedInformerFactory`).
//!
//! A [`SharedInformer`] keeps a [`Store`] current and tells every subscriber what changed, as a
//! [`Notification`]. Each subscriber has its own unbounded queue, filled in store order, so a
//! slow subscriber never delays the watch or the others (upstream's per-listener buffer). A
//! subscriber added late first receives every object already held as `Added`. A resync period
//! re-delivers every object as `Updated` with old and new the same, so level-triggered
//! controllers re-check everything now and then. An [`InformerFactory`] hands out one informer
//! per kind, resource, namespace and selectors, started on first use and stopped by its
//! shutdown token.

use crate::api::{Api, ApiResource};
use crate::client::Client;
use crate::reflector::Synced;
use crate::store::{Notification, Store};
use crate::watcher::{Event, Watcher, WatcherConfig};
use api_types::resource::Resource;
use component_base::ShutdownToken;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// What a subscriber receives, in order.
pub type NotificationReceiver<K> = mpsc::UnboundedReceiver<Notification<K>>;

/// The senders of live subscribers; `None` once the informer has stopped.
type Subscribers<K> = Arc<Mutex<Option<Vec<mpsc::UnboundedSender<Notification<K>>>>>>;

/// One collection's cache and its subscribers; see the module documentation.
pub struct SharedInformer<K> {
    store: Store<K>,
    synced: Synced,
    subscribers: Subscribers<K>,
}

impl<K: Resource> SharedInformer<K> {
    /// Starts an informer of `api`'s collection on the current tokio runtime; it runs until
    /// `shutdown`, re-delivering everything every `resync` period when one is given.
    pub fn start(
        api: Api<K>,
        config: WatcherConfig,
        resync: Option<Duration>,
        shutdown: ShutdownToken,
    ) -> Arc<Self> {
        let store = Store::new();
        let (raise_synced, synced) = Synced::new();
        let subscribers: Subscribers<K> = Arc::new(Mutex::new(Some(Vec::new())));
        let informer = Arc::new(SharedInformer {
            store: store.clone(),
            synced,
            subscribers: subscribers.clone(),
        });
        let run = Run { watcher: Watcher::new(api, config), store, subscribers, raise_synced };
        tokio::spawn(run.run(resync, shutdown));
        informer
    }

    /// The cache: read objects and indexes here rather than asking the apiserver. Indexes added
    /// to it are kept current like the built-in ones.
    pub fn store(&self) -> &Store<K> {
        &self.store
    }

    /// Whether the first full list has been applied.
    pub fn has_synced(&self) -> bool {
        self.synced.has_synced()
    }

    /// The flag raised after the first full list, to wait on elsewhere.
    pub fn synced(&self) -> Synced {
        self.synced.clone()
    }

    /// Waits for the first full list; `false` when the informer stopped first.
    pub async fn wait_until_synced(&self) -> bool {
        self.synced.wait_until_synced().await
    }

    /// A queue of every change from now on, starting with every object already held as
    /// `Added`. Dropping the receiver unsubscribes; the queue ends when the informer stops.
    pub fn subscribe(&self) -> NotificationReceiver<K> {
        let (sender, receiver) = mpsc::unbounded_channel();
        let mut subscribers = lock(&self.subscribers);
        for object in self.store.list() {
            let _ = sender.send(Notification::Added(object));
        }
        if let Some(subscribers) = subscribers.as_mut() {
            subscribers.push(sender);
        }
        receiver
    }

    /// Calls `handler` with every change (see [`subscribe`](Self::subscribe)) on a task of its
    /// own, one call at a time, until the informer stops. Handlers should be quick (add a key to
    /// a work queue); a slow one only delays its own later calls.
    pub fn add_handler(&self, handler: impl Fn(Notification<K>) + Send + Sync + 'static) {
        let mut receiver = self.subscribe();
        tokio::spawn(async move {
            while let Some(notification) = receiver.recv().await {
                handler(notification);
            }
        });
    }
}

/// The task behind an informer.
struct Run<K> {
    watcher: Watcher<K>,
    store: Store<K>,
    subscribers: Subscribers<K>,
    raise_synced: watch::Sender<bool>,
}

impl<K: Resource> Run<K> {
    async fn run(mut self, resync: Option<Duration>, shutdown: ShutdownToken) {
        let stop = shutdown.wait();
        tokio::pin!(stop);
        let mut resync_timer = resync.filter(|period| !period.is_zero()).map(|period| {
            let mut timer = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            timer
        });
        loop {
            tokio::select! {
                _ = &mut stop => break,
                event = self.watcher.next() => self.apply(event),
                _ = next_tick(&mut resync_timer) => self.resync(),
            }
        }
        // Dropping the senders ends every subscriber's queue once it is drained.
        lock(&self.subscribers).take();
    }

    /// Applies an event to the store and queues its changes for every subscriber, under the
    /// subscriber lock so a subscriber joining meanwhile sees each change exactly once.
    fn apply(&mut self, event: Event<K>) {
        let full_list = matches!(event, Event::Restarted(_));
        let mut subscribers = lock(&self.subscribers);
        let changes = self.store.apply_event(event);
        fan_out(&mut subscribers, &changes);
        if full_list {
            self.raise_synced.send_replace(true);
        }
    }

    /// Re-delivers every object as an update to itself (once the store has been filled).
    fn resync(&mut self) {
        if !*self.raise_synced.borrow() {
            return;
        }
        let mut subscribers = lock(&self.subscribers);
        let changes: Vec<Notification<K>> = self
            .store
            .list()
            .into_iter()
            .map(|object| Notification::Updated { old: object.clone(), new: object })
            .collect();
        fan_out(&mut subscribers, &changes);
    }
}

/// The timer's next tick; never, without a timer.
async fn next_tick(timer: &mut Option<tokio::time::Interval>) {
    match timer {
        Some(timer) => {
            timer.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Queues `changes` for every subscriber, forgetting those that went away.
fn fan_out<K>(
    subscribers: &mut Option<Vec<mpsc::UnboundedSender<Notification<K>>>>,
    changes: &[Notification<K>],
) {
    if let Some(subscribers) = subscribers.as_mut() {
        subscribers.retain(|subscriber| {
            changes.iter().all(|change| subscriber.send(change.clone()).is_ok())
        });
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What makes two informer requests the same informer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct InformerKey {
    kind: TypeId,
    resource: ApiResource,
    namespace: Option<String>,
    label_selector: String,
    field_selector: String,
}

/// An informer handed out, type-erased, with its sync flag.
struct Entry {
    informer: Arc<dyn Any + Send + Sync>,
    synced: Synced,
}

/// Hands out one shared informer per collection and selectors for a whole process; cheap to
/// clone, clones share the informers. Informers start on first request and stop with the
/// factory's shutdown token.
#[derive(Clone)]
pub struct InformerFactory {
    client: Client,
    shutdown: ShutdownToken,
    resync: Option<Duration>,
    watcher: WatcherConfig,
    informers: Arc<Mutex<HashMap<InformerKey, Entry>>>,
}

impl InformerFactory {
    /// A factory whose informers use `client`, never resync, and stop on `shutdown`.
    pub fn new(client: Client, shutdown: ShutdownToken) -> Self {
        InformerFactory {
            client,
            shutdown,
            resync: None,
            watcher: WatcherConfig::default(),
            informers: Arc::default(),
        }
    }

    /// Informers created from now on re-deliver every object this often (upstream's
    /// `defaultResync`; zero turns resync off).
    pub fn with_resync(self, period: Duration) -> Self {
        InformerFactory { resync: Some(period).filter(|period| !period.is_zero()), ..self }
    }

    /// Informers created from now on page, time out and back off as `config` says (its
    /// selectors are ignored: they are part of each request).
    pub fn with_watcher_config(self, config: WatcherConfig) -> Self {
        InformerFactory { watcher: config, ..self }
    }

    /// The informer of every `K` in the cluster (all namespaces, or a cluster-scoped kind).
    pub fn informer<K: Resource>(&self) -> Arc<SharedInformer<K>> {
        self.informer_for(None, "", "")
    }

    /// The informer of the `K`s in `namespace` (`None`: all) that the selectors pick; the same
    /// one for every caller that asks for the same thing. Must be called inside a tokio runtime.
    pub fn informer_for<K: Resource>(
        &self,
        namespace: Option<&str>,
        label_selector: &str,
        field_selector: &str,
    ) -> Arc<SharedInformer<K>> {
        let resource = ApiResource::of::<K>();
        let namespace = namespace.filter(|namespace| resource.namespaced && !namespace.is_empty());
        let key = InformerKey {
            kind: TypeId::of::<K>(),
            resource,
            namespace: namespace.map(str::to_string),
            label_selector: label_selector.to_string(),
            field_selector: field_selector.to_string(),
        };
        let mut informers = lock(&self.informers);
        if let Some(entry) = informers.get(&key) {
            return entry.informer.clone().downcast().expect("keyed by the kind's TypeId");
        }
        let api = match namespace {
            Some(namespace) => Api::namespaced(self.client.clone(), namespace),
            None => Api::all(self.client.clone()),
        };
        let config = self.watcher.clone().labels(label_selector).fields(field_selector);
        let informer = SharedInformer::start(api, config, self.resync, self.shutdown.clone());
        let entry = Entry { informer: informer.clone(), synced: informer.synced() };
        informers.insert(key, entry);
        informer
    }

    /// Waits until every informer handed out so far has its first full list; `false` if one
    /// stopped first.
    pub async fn wait_for_cache_sync(&self) -> bool {
        let flags: Vec<Synced> =
            lock(&self.informers).values().map(|entry| entry.synced.clone()).collect();
        for flag in flags {
            if !flag.wait_until_synced().await {
                return false;
            }
        }
        true
    }
}
