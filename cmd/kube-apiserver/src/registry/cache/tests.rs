//! The cache against the real embedded store: snapshot lists, consistent reads, the ring buffer
//! and its fallback, fan-out, slow watchers, and the reflector's recovery. Writes go straight to
//! storage, as another apiserver's would; `Flaky` breaks or compacts the cache's storage watch on
//! demand.

use super::*;
use crate::storage::embedded::{EmbeddedOptions, EmbeddedStorage, SyncMode};
use crate::storage::{self, KeyValue, ListPage, StorageError, WatchStream};
use api_types::api::core::v1::ConfigMap;
use api_types::meta::v1::{WatchEvent, WatchEventType};
use async_trait::async_trait;
use serde_json::json;
use std::sync::atomic::AtomicUsize;
use tempfile::TempDir;
use tokio::sync::broadcast;

const PREFIX: &str = "/registry/configmaps/";

/// What [`Flaky`] does to the open storage watches.
#[derive(Clone, Copy, Debug)]
enum Disturbance {
    /// End them with `Unavailable`, as a lost etcd connection does.
    Break,
    /// End them with `Compacted`, as when the history they need is gone.
    Compact,
}

/// The embedded store with watches that can be disturbed, counted, and made deaf to progress
/// requests.
struct Flaky {
    inner: EmbeddedStorage,
    disturbances: broadcast::Sender<Disturbance>,
    watches: AtomicUsize,
    answers_progress: bool,
}

#[async_trait]
impl Storage for Flaky {
    async fn create(&self, key: &str, value: Vec<u8>) -> storage::Result<Revision> {
        self.inner.create(key, value).await
    }
    async fn get(&self, key: &str) -> storage::Result<KeyValue> {
        self.inner.get(key).await
    }
    async fn list(&self, prefix: &str, options: storage::ListOptions) -> storage::Result<ListPage> {
        self.inner.list(prefix, options).await
    }
    async fn update(
        &self,
        key: &str,
        value: Vec<u8>,
        expected: Revision,
    ) -> storage::Result<Revision> {
        self.inner.update(key, value, expected).await
    }
    async fn delete(
        &self,
        key: &str,
        expected: Option<Revision>,
    ) -> storage::Result<(KeyValue, Revision)> {
        self.inner.delete(key, expected).await
    }
    async fn watch(
        &self,
        key: &str,
        prefix: bool,
        after: Revision,
    ) -> storage::Result<WatchStream> {
        let mut changes = self.inner.watch(key, prefix, after).await?;
        self.watches.fetch_add(1, Ordering::SeqCst);
        let mut disturbances = self.disturbances.subscribe();
        let (sender, stream) = WatchStream::channel(16);
        let requester = self.answers_progress.then(|| changes.progress_requester()).flatten();
        tokio::spawn(async move {
            loop {
                let item = tokio::select! {
                    change = changes.next() => match change {
                        Some(change) => change,
                        None => return,
                    },
                    Ok(disturbance) = disturbances.recv() => Err(match disturbance {
                        Disturbance::Break => StorageError::Unavailable("connection lost".into()),
                        Disturbance::Compact => StorageError::Compacted { requested: 1, compacted: 2 },
                    }),
                };
                let ends = item.is_err();
                if sender.send(item).await.is_err() || ends {
                    return;
                }
            }
        });
        Ok(stream.forwarding_progress_to(requester))
    }
    async fn current_revision(&self) -> storage::Result<Revision> {
        self.inner.current_revision().await
    }
    async fn compact(&self, revision: Revision) -> storage::Result<()> {
        self.inner.compact(revision).await
    }
}

struct Setup {
    storage: Arc<Flaky>,
    /// The owner of the storage, as the generic store is (the cache holds it weakly).
    _shared: Arc<dyn Storage>,
    cache: WatchCache<ConfigMap>,
    _dir: TempDir,
}

async fn setup(settings: CacheSettings, answers_progress: bool) -> Setup {
    let dir = tempfile::tempdir().expect("temporary directory");
    let options = EmbeddedOptions {
        compaction_interval: None,
        sync_mode: SyncMode::Normal,
        ..Default::default()
    };
    let inner = EmbeddedStorage::open(dir.path(), options).await.expect("store opens");
    let (disturbances, _) = broadcast::channel(4);
    let storage =
        Arc::new(Flaky { inner, disturbances, watches: AtomicUsize::new(0), answers_progress });
    let shared: Arc<dyn Storage> = Arc::clone(&storage) as Arc<dyn Storage>;
    let cache = WatchCache::new(&shared, PREFIX.into(), settings);
    Setup { storage, _shared: shared, cache, _dir: dir }
}

fn config_map(name: &str, version: u32) -> Vec<u8> {
    let object = json!({"apiVersion": "v1", "kind": "ConfigMap",
                        "metadata": {"name": name, "namespace": "default"},
                        "data": {"version": version.to_string()}});
    serde_json::to_vec(&object).unwrap()
}

impl Setup {
    async fn create(&self, name: &str) -> Revision {
        self.storage.create(&format!("{PREFIX}default/{name}"), config_map(name, 1)).await.unwrap()
    }

    async fn update(&self, name: &str, version: u32, expected: Revision) -> Revision {
        let key = format!("{PREFIX}default/{name}");
        self.storage.update(&key, config_map(name, version), expected).await.unwrap()
    }

    /// A watch of every config map from `start`, with a client channel of `capacity`.
    fn watch(
        &self,
        start: CacheStart,
        capacity: usize,
    ) -> Option<(CacheWatcher<ConfigMap>, mpsc::Receiver<WatchEvent<Value>>)> {
        let (client, events) = mpsc::channel(capacity);
        let watcher = self.cache.watch(PREFIX, start, Box::new(|_| true), false, client)?;
        Some((watcher, events))
    }

    fn running(&self, start: CacheStart) -> mpsc::Receiver<WatchEvent<Value>> {
        let (watcher, events) = self.watch(start, 100).expect("the cache serves the watch");
        tokio::spawn(watcher.run());
        events
    }
}

async fn next(events: &mut mpsc::Receiver<WatchEvent<Value>>) -> Option<WatchEvent<Value>> {
    tokio::time::timeout(Duration::from_secs(5), events.recv()).await.expect("an event or the end")
}

#[track_caller]
fn assert_event(event: Option<WatchEvent<Value>>, type_: WatchEventType, name: &str, rv: Revision) {
    let event = event.expect("the watch is open");
    assert_eq!(event.type_, type_, "{event:?}");
    assert_eq!(event.object["metadata"]["name"], name, "{event:?}");
    assert_eq!(event.object["metadata"]["resourceVersion"], rv.to_string(), "{event:?}");
}

#[tokio::test]
async fn lists_come_from_the_snapshot_and_consistent_reads_wait_for_the_store() {
    let setup = setup(CacheSettings::default(), true).await;
    setup.create("b").await;
    let a = setup.create("a").await;
    assert_eq!(setup.cache.fresh(Freshness::Any).await, Some(a), "filled by its first list");
    let (objects, revision) = setup.cache.list(PREFIX);
    let names: Vec<_> = objects.iter().map(|o| o.object.metadata.name.as_str()).collect();
    assert_eq!((names, revision), (vec!["a", "b"], a), "in key order");
    assert_eq!(objects[0].json["metadata"]["resourceVersion"], a.to_string());
    assert_eq!(objects[0].json["kind"], "ConfigMap");

    // A write elsewhere moves the store on; only a progress request tells the cache.
    let elsewhere =
        setup.storage.create("/registry/secrets/default/s", b"{}".to_vec()).await.unwrap();
    let started = std::time::Instant::now();
    assert_eq!(setup.cache.fresh(Freshness::Consistent).await, Some(elsewhere));
    assert!(started.elapsed() < Duration::from_secs(1), "answered by progress, not the timeout");
    assert_eq!(setup.cache.list(PREFIX).1, elsewhere);

    let c = setup.create("c").await;
    assert_eq!(setup.cache.fresh(Freshness::AtLeast(c)).await, Some(c));
    assert_eq!(setup.cache.list(&format!("{PREFIX}default/")).0.len(), 3);
    assert_eq!(setup.cache.list(&format!("{PREFIX}other/")).0.len(), 0);
    assert_eq!(setup.storage.watches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn reads_the_cache_cannot_serve_in_time_go_to_storage() {
    let settings =
        CacheSettings { freshness_wait: Duration::from_millis(300), ..CacheSettings::default() };
    let deaf = setup(settings.clone(), false).await;
    let current = deaf.create("a").await;
    assert_eq!(deaf.cache.fresh(Freshness::Consistent).await, Some(current));
    deaf.storage.create("/registry/secrets/default/s", b"{}".to_vec()).await.unwrap();
    assert_eq!(
        deaf.cache.fresh(Freshness::Consistent).await,
        None,
        "without progress it cannot catch up"
    );
    assert_eq!(deaf.cache.fresh(Freshness::AtLeast(current + 100)).await, None);
    assert_eq!(deaf.cache.fresh(Freshness::Any).await, Some(current));
}

#[tokio::test]
async fn watches_start_from_the_snapshot_or_resume_from_the_buffer_while_it_holds_the_changes() {
    let settings = CacheSettings { event_buffer: 4, ..CacheSettings::default() };
    let setup = setup(settings, true).await;
    let a = setup.create("a").await;
    setup.cache.fresh(Freshness::Any).await.unwrap();
    let mut revisions = vec![a];
    for version in 2..=7 {
        let last = *revisions.last().unwrap();
        revisions.push(setup.update("a", version, last).await);
    }
    let newest = *revisions.last().unwrap();
    setup.cache.fresh(Freshness::AtLeast(newest)).await.unwrap();

    let mut initial = setup.running(CacheStart::InitialState { end_marker: false });
    assert_event(next(&mut initial).await, WatchEventType::Added, "a", newest);

    assert!(setup.watch(CacheStart::After(revisions[1]), 10).is_none(), "pushed out of the buffer");
    assert!(setup.watch(CacheStart::After(newest + 1), 10).is_none(), "not reached yet");
    let mut resumed = setup.running(CacheStart::After(revisions[3]));
    for &revision in &revisions[4..] {
        assert_event(next(&mut resumed).await, WatchEventType::Modified, "a", revision);
    }
    let deleted = setup.storage.delete(&format!("{PREFIX}default/a"), None).await.unwrap().1;
    for events in [&mut initial, &mut resumed] {
        let event = next(events).await;
        assert_eq!(event.as_ref().unwrap().object["data"]["version"], "7", "the last state");
        assert_event(event, WatchEventType::Deleted, "a", deleted);
    }
}

#[tokio::test]
async fn one_change_reaches_every_watcher_through_one_storage_watch() {
    let setup = setup(CacheSettings::default(), true).await;
    setup.cache.fresh(Freshness::Any).await.unwrap();
    let mut watchers: Vec<_> =
        (0..200).map(|_| setup.running(CacheStart::InitialState { end_marker: false })).collect();
    assert_eq!(setup.cache.watchers(), 200);
    let created = setup.create("shared").await;
    for events in &mut watchers {
        assert_event(next(events).await, WatchEventType::Added, "shared", created);
    }
    assert_eq!(setup.storage.watches.load(Ordering::SeqCst), 1);
    drop(watchers);
    setup.create("after").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(setup.cache.watchers(), 0, "dropped clients end their watchers");
}

#[tokio::test]
async fn a_watcher_that_falls_behind_is_closed_and_the_others_go_on() {
    let settings = CacheSettings { watcher_queue: 4, ..CacheSettings::default() };
    let setup = setup(settings, true).await;
    let start = setup.cache.fresh(Freshness::Any).await.unwrap();
    let (slow, mut slow_events) = setup.watch(CacheStart::After(start), 1).unwrap();
    tokio::spawn(slow.run());
    let mut fast = setup.running(CacheStart::After(start));
    let mut created = Vec::new();
    for n in 0..20 {
        created.push(setup.create(&format!("o{n}")).await);
        assert_event(next(&mut fast).await, WatchEventType::Added, &format!("o{n}"), created[n]);
    }
    let mut received = 0;
    while let Some(event) = next(&mut slow_events).await {
        assert_event(
            Some(event),
            WatchEventType::Added,
            &format!("o{received}"),
            created[received],
        );
        received += 1;
    }
    assert!(received < 20, "the slow watcher was closed after {received} events");
    assert_eq!(setup.cache.watchers(), 1);
}

#[tokio::test]
async fn the_reflector_watches_again_after_a_break_and_lists_again_after_compaction() {
    let settings =
        CacheSettings { retry_delay: Duration::from_millis(10), ..CacheSettings::default() };
    let setup = setup(settings, true).await;
    let start = setup.cache.fresh(Freshness::Any).await.unwrap();
    let mut events = setup.running(CacheStart::After(start));

    setup.storage.disturbances.send(Disturbance::Break).unwrap();
    let a = setup.create("a").await;
    let b = setup.create("b").await;
    assert_event(next(&mut events).await, WatchEventType::Added, "a", a);
    assert_event(next(&mut events).await, WatchEventType::Added, "b", b);
    assert_eq!(setup.storage.watches.load(Ordering::SeqCst), 2, "watched again, no gap");

    setup.storage.disturbances.send(Disturbance::Compact).unwrap();
    let error = next(&mut events).await.expect("an ERROR event");
    assert_eq!(error.type_, WatchEventType::Error);
    assert_eq!(
        (error.object["code"].as_i64(), error.object["reason"].as_str()),
        (Some(410), Some("Expired"))
    );
    assert!(next(&mut events).await.is_none(), "the watch ends");

    let c = setup.create("c").await;
    assert_eq!(setup.cache.fresh(Freshness::AtLeast(c)).await, Some(c), "listed again");
    let names: Vec<_> =
        setup.cache.list(PREFIX).0.iter().map(|o| o.object.metadata.name.clone()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(setup.storage.watches.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn watchers_that_asked_get_periodic_bookmarks_at_the_caches_revision() {
    let settings = CacheSettings {
        bookmark_tick: Duration::from_millis(50),
        bookmark_frequency: Duration::from_millis(200),
        ..CacheSettings::default()
    };
    let setup = setup(settings, true).await;
    let start = setup.cache.fresh(Freshness::Any).await.unwrap();
    let (client, mut events) = mpsc::channel(16);
    let watcher =
        setup.cache.watch(PREFIX, CacheStart::After(start), Box::new(|_| true), true, client);
    tokio::spawn(watcher.unwrap().run());
    let mut plain = setup.running(CacheStart::After(start));

    let elsewhere =
        setup.storage.create("/registry/secrets/default/s", b"{}".to_vec()).await.unwrap();
    assert_eq!(setup.cache.fresh(Freshness::Consistent).await, Some(elsewhere));
    let mut bookmarks = 0;
    while bookmarks < 2 {
        let event = next(&mut events).await.expect("the watch is open");
        assert_eq!(event.type_, WatchEventType::Bookmark);
        assert_eq!(event.object["kind"], "ConfigMap");
        let revision: Revision =
            event.object["metadata"]["resourceVersion"].as_str().unwrap().parse().unwrap();
        assert!(revision >= start && revision <= elsewhere, "{revision}");
        bookmarks += 1;
    }
    let created = setup.create("a").await;
    loop {
        let event = next(&mut events).await.expect("the watch is open");
        if event.type_ != WatchEventType::Bookmark {
            assert_event(Some(event), WatchEventType::Added, "a", created);
            break;
        }
    }
    assert_event(next(&mut plain).await, WatchEventType::Added, "a", created);
}
