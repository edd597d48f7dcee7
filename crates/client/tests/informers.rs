//! The list-and-watch machinery against a real apiserver in this process: the watcher's events,
//! resume and relist, the reflector's store, and shared informers under load.

use api_types::api::core::v1::ConfigMap;
use api_types::meta::v1::{CreateOptions, DeleteOptions, ListOptions, UpdateOptions};
use client::store::Notification;
use client::watcher::BackoffConfig;
use client::{
    Api, Client, Config, Event, InformerFactory, Reflector, SharedInformer, Store, Watcher,
    WatcherConfig,
};
use component_base::ShutdownToken;
use hyper::Method;
use kube_apiserver::testing::InProcessApiServer;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const STEP: Duration = Duration::from_secs(30);

async fn cluster(flags: &[&str]) -> (InProcessApiServer, Client, tempfile::TempDir) {
    let directory = tempfile::tempdir().unwrap();
    let server =
        InProcessApiServer::start(directory.path(), flags).await.expect("apiserver starts");
    let client = Client::new(Config::for_server(&server.url()).unwrap()).unwrap();
    (server, client, directory)
}

fn config_map(name: &str, labels: &[(&str, &str)], value: &str) -> ConfigMap {
    let labels: BTreeMap<&str, &str> = labels.iter().copied().collect();
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "labels": labels},
        "data": {"value": value}
    }))
    .unwrap()
}

/// Short watches and quick retries, so tests see renewals in seconds.
fn quick_watches() -> WatcherConfig {
    WatcherConfig {
        min_watch_timeout: Duration::from_secs(1),
        backoff: BackoffConfig {
            initial: Duration::from_millis(50),
            max: Duration::from_millis(500),
            ..Default::default()
        },
        ..Default::default()
    }
}

async fn next<K: api_types::resource::Resource>(watcher: &mut Watcher<K>) -> Event<K> {
    tokio::time::timeout(STEP, watcher.next()).await.expect("an event in time")
}

/// The sum of `apiserver_request_total` for configmaps with `verb`.
async fn requests(client: &Client, verb: &str) -> u64 {
    let bytes = client.request_bytes(Method::GET, "/metrics", None).await.unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    text.lines()
        .filter(|line| line.starts_with("apiserver_request_total{"))
        .filter(|line| line.contains(r#"resource="configmaps""#))
        .filter(|line| line.contains(&format!(r#"verb="{verb}""#)))
        .map(|line| line.rsplit(' ').next().unwrap().parse::<f64>().unwrap() as u64)
        .sum()
}

#[tokio::test]
async fn the_watcher_lists_in_pages_then_reports_each_change() {
    let (_server, client, _dir) = cluster(&[]).await;
    let maps: Api<ConfigMap> = Api::default_namespaced(client.clone());
    for i in 0..7 {
        maps.create(&config_map(&format!("seed-{i}"), &[], "0"), &CreateOptions::default())
            .await
            .unwrap();
    }
    let config = WatcherConfig { page_size: 3, ..Default::default() };
    let mut watcher = Watcher::new(maps.clone(), config);
    match next(&mut watcher).await {
        Event::Restarted(items) => {
            let names: BTreeSet<String> = items.into_iter().map(|m| m.metadata.name).collect();
            assert_eq!(names, (0..7).map(|i| format!("seed-{i}")).collect());
        }
        other => panic!("expected the initial list, got {other:?}"),
    }

    maps.create(&config_map("web", &[], "1"), &CreateOptions::default()).await.unwrap();
    let Event::Applied(added) = next(&mut watcher).await else { panic!("expected ADDED") };
    assert_eq!((added.metadata.name.as_str(), added.data["value"].as_str()), ("web", "1"));

    let mut changed = added.clone();
    changed.data.insert("value".into(), "2".into());
    maps.replace("web", &changed, &UpdateOptions::default()).await.unwrap();
    let Event::Applied(modified) = next(&mut watcher).await else { panic!("expected MODIFIED") };
    assert_eq!(modified.data["value"], "2");
    assert_ne!(modified.metadata.resource_version, added.metadata.resource_version);

    maps.delete("web", &DeleteOptions::default()).await.unwrap();
    let Event::Deleted(deleted) = next(&mut watcher).await else { panic!("expected DELETED") };
    assert_eq!(deleted.metadata.name, "web");
}

#[tokio::test]
async fn the_watcher_resumes_without_gaps_or_duplicates_when_watches_end() {
    let (_server, client, _dir) = cluster(&[]).await;
    let maps: Api<ConfigMap> = Api::default_namespaced(client.clone());
    let mut watcher = Watcher::new(maps.clone(), quick_watches().labels("app=resume"));
    assert_eq!(next(&mut watcher).await, Event::Restarted(Vec::new()));

    // Writes spread over several one-to-two-second watches.
    let writer = tokio::spawn(async move {
        for i in 0..30 {
            let map = config_map(&format!("m-{i:02}"), &[("app", "resume")], "x");
            maps.create(&map, &CreateOptions::default()).await.unwrap();
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    });
    let mut seen = Vec::new();
    while seen.len() < 30 {
        match next(&mut watcher).await {
            Event::Applied(map) => seen.push(map.metadata.name),
            other => panic!("a resumed watch must not relist or delete: {other:?}"),
        }
    }
    writer.await.unwrap();
    assert_eq!(seen, (0..30).map(|i| format!("m-{i:02}")).collect::<Vec<_>>());
    // Nothing more arrives: the resumed watches did not replay anything.
    let quiet = tokio::time::timeout(Duration::from_secs(3), watcher.next()).await;
    assert!(quiet.is_err(), "unexpected event {quiet:?}");
    // The server ended (and the watcher renewed) several watches meanwhile.
    assert!(requests(&client, "WATCH").await >= 3);
}

#[tokio::test]
async fn the_watcher_relists_when_its_resource_version_is_compacted() {
    let (_server, client, _dir) = cluster(&["--etcd-compaction-interval=1s"]).await;
    let maps: Api<ConfigMap> = Api::default_namespaced(client.clone());
    for name in ["watched-1", "watched-2"] {
        let map = config_map(name, &[("app", "watched")], "1");
        maps.create(&map, &CreateOptions::default()).await.unwrap();
    }
    let store = Store::new();
    let mut watcher = Watcher::new(maps.clone(), quick_watches().labels("app=watched"));
    let first = next(&mut watcher).await;
    assert!(matches!(&first, Event::Restarted(items) if items.len() == 2), "{first:?}");
    store.apply_event(first);

    // No watch is open until the next call, which will ask for the changes after the list's
    // version. Meanwhile one watched object goes, and 1,600 changes the watch does not select
    // push that version out of the retained history (the store keeps the last 1,000 revisions,
    // compacting every second).
    maps.delete("watched-1", &DeleteOptions::default()).await.unwrap();
    let mut noise = Vec::new();
    for writer in 0..4 {
        let maps = maps.clone();
        noise.push(tokio::spawn(async move {
            for i in 0..400 {
                let map = config_map(&format!("noise-{writer}-{i}"), &[("app", "other")], "0");
                maps.create(&map, &CreateOptions::default()).await.unwrap();
            }
        }));
    }
    for writer in noise {
        writer.await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(3)).await;

    // The watch is answered 410; the watcher lists again, and the store learns of the deletion
    // only from the object's absence.
    let relist = next(&mut watcher).await;
    let Event::Restarted(items) = &relist else { panic!("expected a relist, got {relist:?}") };
    assert_eq!(
        items.iter().map(|map| map.metadata.name.as_str()).collect::<Vec<_>>(),
        ["watched-2"]
    );
    match &store.apply_event(relist)[..] {
        [Notification::Deleted { object, final_state_unknown: true }] => {
            assert_eq!(object.metadata.name, "watched-1")
        }
        other => panic!("expected one deletion of unknown final state, got {other:?}"),
    }
    assert_eq!(store.keys(), ["default/watched-2"]);

    // And it watches on from the new list.
    maps.create(&config_map("watched-3", &[("app", "watched")], "1"), &CreateOptions::default())
        .await
        .unwrap();
    let Event::Applied(added) = next(&mut watcher).await else { panic!("expected ADDED") };
    assert_eq!(added.metadata.name, "watched-3");
}

#[tokio::test]
async fn a_reflector_fills_its_store_and_reports_sync() {
    let (_server, client, _dir) = cluster(&[]).await;
    let maps: Api<ConfigMap> = Api::default_namespaced(client.clone());
    maps.create(&config_map("a", &[("tier", "web")], "1"), &CreateOptions::default())
        .await
        .unwrap();
    let reflector = Reflector::new(maps.clone(), WatcherConfig::default());
    let store = reflector.store();
    store.add_index("byValue", |map: &ConfigMap| map.data.values().cloned().collect()).unwrap();
    let synced = reflector.synced();
    assert!(!reflector.has_synced());
    let shutdown = ShutdownToken::new();
    let running = tokio::spawn(reflector.run(shutdown.clone()));
    assert!(tokio::time::timeout(STEP, synced.wait_until_synced()).await.unwrap());
    assert_eq!(store.get("default/a").unwrap().data["value"], "1");

    maps.create(&config_map("b", &[("tier", "db")], "1"), &CreateOptions::default()).await.unwrap();
    let mut a = maps.get("a").await.unwrap();
    a.data.insert("value".into(), "2".into());
    maps.replace("a", &a, &UpdateOptions::default()).await.unwrap();
    wait_for(|| store.index_keys("byValue", "2").unwrap() == ["default/a"]).await;
    assert_eq!(store.index_keys("byValue", "1").unwrap(), ["default/b"]);
    let db = api_types::labels::Selector::parse("tier=db").unwrap();
    assert_eq!(store.select(Some("default"), &db)[0].metadata.name, "b");

    shutdown.trigger();
    tokio::time::timeout(STEP, running).await.unwrap().unwrap();
}

async fn wait_for(mut condition: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while !condition() {
        assert!(tokio::time::Instant::now() < deadline, "condition not reached in time");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Counts what a handler is told.
#[derive(Default)]
struct Counts {
    added: AtomicUsize,
    updated: AtomicUsize,
    deleted: AtomicUsize,
    resynced: AtomicUsize,
}

impl Counts {
    fn record(&self, notification: &Notification<ConfigMap>) {
        let counter = match notification {
            Notification::Added(_) => &self.added,
            Notification::Updated { old, new } if Arc::ptr_eq(old, new) => &self.resynced,
            Notification::Updated { .. } => &self.updated,
            Notification::Deleted { .. } => &self.deleted,
        };
        counter.fetch_add(1, Ordering::SeqCst);
    }

    fn get(&self) -> [usize; 3] {
        [&self.added, &self.updated, &self.deleted].map(|counter| counter.load(Ordering::SeqCst))
    }
}

fn counting_handler(informer: &SharedInformer<ConfigMap>) -> Arc<Counts> {
    let counts = Arc::new(Counts::default());
    let recorder = counts.clone();
    informer.add_handler(move |notification| recorder.record(&notification));
    counts
}

/// The store's objects and versions, and a fresh list's.
async fn store_and_list(
    informer: &SharedInformer<ConfigMap>,
    maps: &Api<ConfigMap>,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let cached = informer
        .store()
        .list()
        .iter()
        .map(|map| (map.metadata.name.clone(), map.metadata.resource_version.clone()))
        .collect();
    let listed = maps
        .list(&ListOptions::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|map| (map.metadata.name, map.metadata.resource_version))
        .collect();
    (cached, listed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_informer_store_stays_consistent_through_a_burst_of_ten_thousand_changes() {
    const WRITERS: usize = 4;
    const OBJECTS_PER_WRITER: usize = 1000;
    let (_server, client, _dir) = cluster(&[]).await;
    let maps: Api<ConfigMap> = Api::default_namespaced(client.clone());
    let shutdown = ShutdownToken::new();
    let factory = InformerFactory::new(client.clone(), shutdown.clone());
    let informer = factory.informer_for::<ConfigMap>(Some("default"), "", "");
    informer
        .store()
        .add_index("byWriter", |map: &ConfigMap| {
            map.metadata.labels.get("writer").cloned().into_iter().collect()
        })
        .unwrap();
    let counts = counting_handler(&informer);
    assert!(factory.wait_for_cache_sync().await);

    // Each writer creates, updates and deletes every other of its objects: 2,500 changes each.
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let maps = maps.clone();
        writers.push(tokio::spawn(async move {
            let label = writer.to_string();
            for i in 0..OBJECTS_PER_WRITER {
                let name = format!("w{writer}-{i}");
                let map = config_map(&name, &[("writer", &label)], "0");
                let mut created = maps.create(&map, &CreateOptions::default()).await.unwrap();
                created.data.insert("value".into(), "1".into());
                maps.replace(&name, &created, &UpdateOptions::default()).await.unwrap();
                if i % 2 == 0 {
                    maps.delete(&name, &DeleteOptions::default()).await.unwrap();
                }
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }

    let created = WRITERS * OBJECTS_PER_WRITER;
    let expected = [created, created, created / 2];
    wait_for(|| counts.get() == expected).await;
    let (cached, listed) = store_and_list(&informer, &maps).await;
    assert_eq!(cached.len(), created / 2);
    assert_eq!(cached, listed);
    for writer in 0..WRITERS {
        let keys = informer.store().index_keys("byWriter", &writer.to_string()).unwrap();
        assert_eq!(keys.len(), OBJECTS_PER_WRITER / 2);
        assert!(keys.iter().all(|key| key.starts_with(&format!("default/w{writer}-"))));
    }
    // A handler added now hears about every object held, as additions.
    let late = counting_handler(&informer);
    wait_for(|| late.get() == [created / 2, 0, 0]).await;
    shutdown.trigger();
}

#[tokio::test]
async fn subscribers_share_one_list_and_watch_and_resync() {
    let (_server, client, _dir) = cluster(&[]).await;
    let maps: Api<ConfigMap> = Api::default_namespaced(client.clone());
    maps.create(&config_map("before", &[], "0"), &CreateOptions::default()).await.unwrap();
    let shutdown = ShutdownToken::new();
    let factory =
        InformerFactory::new(client.clone(), shutdown.clone()).with_resync(Duration::from_secs(1));
    let first = factory.informer::<ConfigMap>();
    let second = factory.clone().informer::<ConfigMap>();
    assert!(Arc::ptr_eq(&first, &second), "one informer per resource and selectors");
    let other = factory.informer_for::<ConfigMap>(None, "app=x", "");
    assert!(!Arc::ptr_eq(&first, &other));

    let counts_a = counting_handler(&first);
    let mut queue = second.subscribe();
    assert!(factory.wait_for_cache_sync().await);
    maps.create(&config_map("after", &[], "0"), &CreateOptions::default()).await.unwrap();
    let mut names = BTreeSet::new();
    while names.len() < 2 {
        let notification = tokio::time::timeout(STEP, queue.recv()).await.unwrap().unwrap();
        if let Notification::Added(map) = notification {
            names.insert(map.metadata.name.clone());
        }
    }
    assert_eq!(names, BTreeSet::from(["after".to_string(), "before".to_string()]));
    wait_for(|| counts_a.get() == [2, 0, 0]).await;
    // Resync re-delivers both objects as updates to themselves, every second.
    wait_for(|| counts_a.resynced.load(Ordering::SeqCst) >= 4).await;
    assert_eq!(counts_a.get(), [2, 0, 0]);

    // Two informers (one per selector) listed once each, not once per subscriber.
    assert_eq!(requests(&client, "LIST").await, 2);
    shutdown.trigger();
    // Their queues end, and the server counts each watch as it closes: two in all.
    assert!(
        tokio::time::timeout(STEP, async { while queue.recv().await.is_some() {} }).await.is_ok()
    );
    let deadline = tokio::time::Instant::now() + STEP;
    while requests(&client, "WATCH").await < 2 {
        assert!(tokio::time::Instant::now() < deadline, "watches never closed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(requests(&client, "WATCH").await, 2);
}
