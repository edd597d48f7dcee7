use super::*;
use crate::storage::{
    self, KeyValue, ListPage, StorageError, WatchEvent as StorageEvent, WatchEventKind, WatchStream,
};
use api_types::meta::v1::INITIAL_EVENTS_END_ANNOTATION;
use async_trait::async_trait;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::broadcast;

fn from(resource_version: impl ToString) -> ListOptions {
    ListOptions {
        watch: true,
        resource_version: resource_version.to_string(),
        ..Default::default()
    }
}

async fn watch<T: Strategy>(
    store: &GenericStore<T>,
    namespace: Option<&str>,
    options: ListOptions,
) -> WatchEvents {
    store.watch(namespace, &options).await.expect("the watch starts")
}

#[tokio::test]
async fn watch_from_a_revision_sends_every_later_change() {
    let cluster = Cluster::start().await;
    let before = create(&cluster.config_maps, config_map("before", json!({}))).await;
    let mut events =
        watch(&cluster.config_maps, Some("default"), from(resource_version(&before))).await;

    let created = create(&cluster.config_maps, config_map("web", json!({"v": "1"}))).await;
    let updated =
        put(&cluster.config_maps, "web", config_map("web", json!({"v": "2"}))).await.unwrap();
    delete(&cluster.config_maps, "web", DeleteOptions::default()).await.unwrap();
    let deleted_at = cluster.revision().await;

    let added = next_event(&mut events).await;
    assert_event(&added, WatchEventType::Added, "web");
    assert_eq!(added.object, created);
    let modified = next_event(&mut events).await;
    assert_event(&modified, WatchEventType::Modified, "web");
    assert_eq!(modified.object, updated);
    let deleted = next_event(&mut events).await;
    assert_event(&deleted, WatchEventType::Deleted, "web");
    assert_eq!(deleted.object["data"], json!({"v": "2"}), "DELETED carries the last state");
    assert_eq!(resource_version(&deleted.object), deleted_at, "at the revision of the delete");
    assert_eq!(deleted.object["kind"], "ConfigMap");
    assert_quiet(&mut events).await;
}

#[tokio::test]
async fn watch_without_a_revision_starts_with_the_current_state() {
    let cluster = Cluster::start().await;
    create(&cluster.config_maps, config_map("b", json!({}))).await;
    create(&cluster.config_maps, config_map("a", json!({}))).await;
    let mut existing = vec!["a".to_string(), "b".to_string()];
    for start in ["", "0"] {
        let mut events = watch(&cluster.config_maps, Some("default"), from(start)).await;
        for name in &existing {
            assert_event(&next_event(&mut events).await, WatchEventType::Added, name);
        }
        assert_quiet(&mut events).await;
        let name = format!("new-{}", start.len());
        create(&cluster.config_maps, config_map(&name, json!({}))).await;
        assert_event(&next_event(&mut events).await, WatchEventType::Added, &name);
        existing.push(name);
    }

    let no_initial = ListOptions {
        watch: true,
        send_initial_events: Some(false),
        resource_version_match: "NotOlderThan".into(),
        ..Default::default()
    };
    let mut events = watch(&cluster.config_maps, Some("default"), no_initial).await;
    create(&cluster.config_maps, config_map("later", json!({}))).await;
    assert_event(&next_event(&mut events).await, WatchEventType::Added, "later");
}

#[tokio::test]
async fn selectors_turn_objects_entering_and_leaving_into_added_and_deleted() {
    let cluster = Cluster::start().await;
    let store = &cluster.config_maps;
    let start = create(store, labelled_config_map("x", json!({"app": "db"}))).await;
    let options =
        ListOptions { label_selector: "app=web".into(), ..from(resource_version(&start)) };
    let mut events = watch(store, Some("default"), options).await;

    let relabel = |app: &str, data: &str| json!({"metadata": {"name": "x", "labels": {"app": app}}, "data": {"k": data}});
    put(store, "x", relabel("web", "1")).await.unwrap();
    put(store, "x", relabel("web", "2")).await.unwrap();
    put(store, "x", relabel("db", "3")).await.unwrap();
    let left_at = cluster.revision().await;
    put(store, "x", relabel("db", "4")).await.unwrap();
    delete(store, "x", DeleteOptions::default()).await.unwrap();
    create(store, labelled_config_map("y", json!({"app": "web"}))).await;

    let entered = next_event(&mut events).await;
    assert_event(&entered, WatchEventType::Added, "x");
    assert_eq!(entered.object["data"]["k"], "1");
    let changed = next_event(&mut events).await;
    assert_event(&changed, WatchEventType::Modified, "x");
    assert_eq!(changed.object["data"]["k"], "2");
    let left = next_event(&mut events).await;
    assert_event(&left, WatchEventType::Deleted, "x");
    assert_eq!(left.object["metadata"]["labels"]["app"], "web", "the state that last matched");
    assert_eq!(left.object["data"]["k"], "2");
    assert_eq!(resource_version(&left.object), left_at);
    assert_event(&next_event(&mut events).await, WatchEventType::Added, "y");
    assert_quiet(&mut events).await;
}

#[tokio::test]
async fn watches_see_only_their_namespace_and_fields() {
    let cluster = Cluster::start().await;
    let revision = cluster.revision().await;
    let mut in_team = watch(&cluster.config_maps, Some("team"), from(revision)).await;
    let by_name = ListOptions { field_selector: "metadata.name=wanted".into(), ..from(revision) };
    let mut named = watch(&cluster.config_maps, None, by_name).await;
    let mut everywhere = watch(&cluster.config_maps, None, from(revision)).await;

    let options = CreateOptions::default();
    for (namespace, name) in [("team-2", "other"), ("team", "mine"), ("default", "wanted")] {
        cluster
            .config_maps
            .create(Some(namespace), config_map(name, json!({})), &options)
            .await
            .unwrap();
    }
    assert_event(&next_event(&mut in_team).await, WatchEventType::Added, "mine");
    assert_quiet(&mut in_team).await;
    assert_event(&next_event(&mut named).await, WatchEventType::Added, "wanted");
    assert_quiet(&mut named).await;
    for name in ["other", "mine", "wanted"] {
        assert_event(&next_event(&mut everywhere).await, WatchEventType::Added, name);
    }
}

#[tokio::test]
async fn watch_from_a_compacted_revision_is_one_410_error_event() {
    let cluster = Cluster::start().await;
    for name in ["a", "b", "c"] {
        create(&cluster.config_maps, config_map(name, json!({}))).await;
    }
    let compacted = cluster.revision().await;
    cluster.storage.compact(compacted).await.unwrap();
    let mut events = watch(&cluster.config_maps, Some("default"), from(1)).await;
    let error = next_event(&mut events).await;
    assert_eq!(error.type_, WatchEventType::Error);
    assert_eq!(
        error.object,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": format!("too old resource version: 1 ({compacted})"),
               "reason": "Expired", "code": 410})
    );
    let end = tokio::time::timeout(Duration::from_secs(5), events.recv()).await.unwrap();
    assert!(end.is_none(), "the watch ends after the error");
}

#[tokio::test]
async fn timeout_seconds_ends_the_stream() {
    let cluster = Cluster::start().await;
    let options = ListOptions { timeout_seconds: Some(1), ..from(cluster.revision().await) };
    let mut events = watch(&cluster.config_maps, Some("default"), options).await;
    let started = std::time::Instant::now();
    let end = tokio::time::timeout(Duration::from_secs(5), events.recv()).await.unwrap();
    assert!(end.is_none());
    assert!(started.elapsed() >= Duration::from_millis(900), "{:?}", started.elapsed());
}

#[tokio::test]
async fn send_initial_events_ends_the_initial_state_with_a_bookmark() {
    let cluster = Cluster::start().await;
    create(&cluster.config_maps, config_map("a", json!({}))).await;
    let revision = cluster.revision().await;
    let options = ListOptions {
        watch: true,
        send_initial_events: Some(true),
        resource_version_match: "NotOlderThan".into(),
        allow_watch_bookmarks: true,
        ..Default::default()
    };
    let mut events = watch(&cluster.config_maps, Some("default"), options).await;
    assert_event(&next_event(&mut events).await, WatchEventType::Added, "a");
    let bookmark = next_event(&mut events).await;
    assert_eq!(bookmark.type_, WatchEventType::Bookmark);
    assert_eq!(
        bookmark.object,
        json!({"kind": "ConfigMap", "apiVersion": "v1", "metadata": {
            "resourceVersion": revision.to_string(), "creationTimestamp": null,
            "annotations": {INITIAL_EVENTS_END_ANNOTATION: "true"}}})
    );
    create(&cluster.config_maps, config_map("b", json!({}))).await;
    assert_event(&next_event(&mut events).await, WatchEventType::Added, "b");

    let missing_match =
        ListOptions { watch: true, send_initial_events: Some(true), ..Default::default() };
    let status = cluster.config_maps.watch(Some("default"), &missing_match).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (422, "Invalid"));
    assert_eq!(
        status.message,
        r#"ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"#
    );
    let match_without_initial = ListOptions {
        watch: true,
        resource_version_match: "NotOlderThan".into(),
        ..Default::default()
    };
    let status =
        cluster.config_maps.watch(Some("default"), &match_without_initial).await.unwrap_err();
    assert!(
        status.message.ends_with(
            "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"
        ),
        "{}",
        status.message
    );
}

#[tokio::test]
async fn dropping_the_events_ends_the_watch_and_later_watches_work() {
    let cluster = Cluster::start().await;
    let events = watch(&cluster.config_maps, Some("default"), from(0)).await;
    drop(events);
    create(&cluster.config_maps, config_map("a", json!({}))).await;
    let mut again = watch(&cluster.config_maps, Some("default"), from("")).await;
    assert_event(&next_event(&mut again).await, WatchEventType::Added, "a");
}

/// What a [`Decorated`] store does to its watches on demand.
#[derive(Clone, Copy, Debug)]
enum Disturbance {
    /// Deliver a `Progress` event at this revision, as etcd's progress notifications do.
    Progress(Revision),
    /// End every open watch with `Unavailable`, as a lost etcd connection or a watcher that fell
    /// behind does.
    Break,
}

/// The embedded store with watches that can be disturbed on demand, for what the embedded
/// backend never does by itself: progress notifications and broken watch streams.
struct Decorated {
    inner: Arc<EmbeddedStorage>,
    disturbances: broadcast::Sender<Disturbance>,
    /// How many storage watches were opened.
    opened: AtomicUsize,
}

impl Decorated {
    async fn start() -> (Arc<Decorated>, Cluster) {
        let dir = tempfile::tempdir().unwrap();
        let options = EmbeddedOptions {
            compaction_interval: None,
            sync_mode: SyncMode::Normal,
            ..Default::default()
        };
        let embedded = Arc::new(EmbeddedStorage::open(dir.path(), options).await.unwrap());
        let (disturbances, _) = broadcast::channel(4);
        let decorated = Arc::new(Decorated {
            inner: Arc::clone(&embedded),
            disturbances,
            opened: AtomicUsize::new(0),
        });
        let cluster = Cluster::on(Arc::clone(&decorated) as Arc<dyn Storage>, embedded, dir);
        (decorated, cluster)
    }

    fn disturb(&self, disturbance: Disturbance) {
        self.disturbances.send(disturbance).expect("a watch listens");
    }
}

#[async_trait]
impl Storage for Decorated {
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
        self.opened.fetch_add(1, Ordering::SeqCst);
        let mut disturbances = self.disturbances.subscribe();
        let (sender, stream) = WatchStream::channel(16);
        tokio::spawn(async move {
            loop {
                let event = tokio::select! {
                    change = changes.next() => match change {
                        Some(change) => change,
                        None => return,
                    },
                    Ok(disturbance) = disturbances.recv() => match disturbance {
                        Disturbance::Progress(revision) => Ok(StorageEvent {
                            kind: WatchEventKind::Progress, revision, object: None, previous: None,
                        }),
                        Disturbance::Break => {
                            let broken = StorageError::Unavailable("connection lost".into());
                            let _ended = sender.send(Err(broken)).await;
                            return;
                        }
                    },
                };
                if sender.send(event).await.is_err() {
                    return;
                }
            }
        });
        Ok(stream)
    }
    async fn current_revision(&self) -> storage::Result<Revision> {
        self.inner.current_revision().await
    }
    async fn compact(&self, revision: Revision) -> Result<(), StorageError> {
        self.inner.compact(revision).await
    }
}

#[tokio::test]
async fn storage_progress_becomes_a_bookmark_when_asked_for() {
    let (decorated, cluster) = Decorated::start().await;
    create(&cluster.config_maps, config_map("a", json!({}))).await;
    let revision = cluster.revision().await;
    let with_bookmarks = ListOptions { allow_watch_bookmarks: true, ..from(revision) };
    let mut bookmarked = watch(&cluster.config_maps, Some("default"), with_bookmarks).await;
    let mut plain = watch(&cluster.config_maps, Some("default"), from(revision)).await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    decorated.disturb(Disturbance::Progress(revision));
    let bookmark = next_event(&mut bookmarked).await;
    assert_eq!(bookmark.type_, WatchEventType::Bookmark);
    assert_eq!(
        bookmark.object,
        json!({"kind": "ConfigMap", "apiVersion": "v1",
               "metadata": {"resourceVersion": revision.to_string(), "creationTimestamp": null}})
    );
    create(&cluster.config_maps, config_map("b", json!({}))).await;
    assert_event(&next_event(&mut plain).await, WatchEventType::Added, "b");
    assert_event(&next_event(&mut bookmarked).await, WatchEventType::Added, "b");
}

#[tokio::test]
async fn a_broken_storage_watch_resumes_without_gaps_or_repeats() {
    let (decorated, cluster) = Decorated::start().await;
    let mut events =
        watch(&cluster.config_maps, Some("default"), from(cluster.revision().await)).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    create(&cluster.config_maps, config_map("a", json!({}))).await;
    assert_event(&next_event(&mut events).await, WatchEventType::Added, "a");

    decorated.disturb(Disturbance::Break);
    create(&cluster.config_maps, config_map("b", json!({}))).await;
    assert_event(&next_event(&mut events).await, WatchEventType::Added, "b");
    tokio::time::sleep(Duration::from_millis(100)).await;
    create(&cluster.config_maps, config_map("c", json!({}))).await;
    assert_event(&next_event(&mut events).await, WatchEventType::Added, "c");
    assert_quiet(&mut events).await;
    assert_eq!(decorated.opened.load(Ordering::SeqCst), 2, "the storage watch was reopened once");
}

#[tokio::test]
async fn a_watch_from_before_the_caches_window_replays_from_storage() {
    let cluster = Cluster::start().await;
    let settings = crate::registry::CacheSettings { event_buffer: 2, ..Default::default() };
    let storage = Arc::clone(&cluster.storage) as Arc<dyn Storage>;
    let store = GenericStore::<TestConfigMap>::with_cache_settings(storage, "/registry", settings);
    let start = cluster.revision().await;
    list(&store, Some("default"), ListOptions::default()).await.unwrap();
    let names = ["a", "b", "c", "d", "e"];
    for name in names {
        create(&store, config_map(name, json!({}))).await;
    }
    let mut old = watch(&store, Some("default"), from(start)).await;
    let recent = from(cluster.revision().await - 2);
    let mut buffered = watch(&store, Some("default"), recent).await;
    for name in names {
        assert_event(&next_event(&mut old).await, WatchEventType::Added, name);
    }
    for name in ["d", "e"] {
        assert_event(&next_event(&mut buffered).await, WatchEventType::Added, name);
    }
    create(&store, config_map("f", json!({}))).await;
    assert_event(&next_event(&mut old).await, WatchEventType::Added, "f");
    assert_event(&next_event(&mut buffered).await, WatchEventType::Added, "f");
    assert_quiet(&mut old).await;
}

#[tokio::test]
async fn compacted_history_is_a_410_even_while_the_cache_still_holds_it() {
    let cluster = Cluster::start().await;
    list(&cluster.config_maps, Some("default"), ListOptions::default()).await.unwrap();
    let first = create(&cluster.config_maps, config_map("a", json!({}))).await;
    for name in ["b", "c"] {
        create(&cluster.config_maps, config_map(name, json!({}))).await;
    }
    let mut held =
        watch(&cluster.config_maps, Some("default"), from(resource_version(&first))).await;
    for name in ["b", "c"] {
        assert_event(&next_event(&mut held).await, WatchEventType::Added, name);
    }
    let compacted = cluster.revision().await;
    cluster.storage.compact(compacted).await.unwrap();
    let mut events =
        watch(&cluster.config_maps, Some("default"), from(resource_version(&first))).await;
    let error = next_event(&mut events).await;
    assert_eq!(error.type_, WatchEventType::Error);
    assert_eq!(error.object["code"], 410);
    let mut resumed = watch(&cluster.config_maps, Some("default"), from(compacted)).await;
    create(&cluster.config_maps, config_map("d", json!({}))).await;
    assert_event(&next_event(&mut resumed).await, WatchEventType::Added, "d");
}
