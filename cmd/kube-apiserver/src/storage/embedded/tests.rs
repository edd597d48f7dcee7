//! The backend's semantics, exercised through the `Storage` trait on a real database.

use super::schema::DATABASE_FILE;
use super::*;
use crate::storage::{ContinueToken, WatchEvent, WatchEventKind};
use std::collections::BTreeSet;
use std::time::Duration;
use tempfile::TempDir;

const PODS: &str = "/registry/pods/default/";

fn options() -> EmbeddedOptions {
    EmbeddedOptions {
        compaction_interval: None,
        sync_mode: SyncMode::Normal,
        ..EmbeddedOptions::default()
    }
}

async fn open_with(dir: &TempDir, options: EmbeddedOptions) -> EmbeddedStorage {
    EmbeddedStorage::open(dir.path(), options).await.expect("store opens")
}

async fn open(dir: &TempDir) -> EmbeddedStorage {
    open_with(dir, options()).await
}

fn pod(name: &str) -> String {
    format!("{PODS}{name}")
}

fn keys(page: &ListPage) -> Vec<&str> {
    page.items.iter().map(|item| item.key.as_str()).collect()
}

/// The next event, failing the test if none comes within a few seconds.
async fn next_event(stream: &mut WatchStream) -> Result<WatchEvent, StorageError> {
    tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("an event arrives in time")
        .expect("the watch is still open")
}

fn rows_in_log(dir: &TempDir) -> i64 {
    let connection = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    connection.query_row("SELECT COUNT(*) FROM log", [], |row| row.get(0)).unwrap()
}

#[tokio::test]
async fn create_then_get_and_a_second_create_is_refused() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    assert_eq!(store.current_revision().await.unwrap(), 0);

    let revision = store.create(&pod("web"), b"v1".to_vec()).await.unwrap();
    assert_eq!(revision, 1);
    let stored = store.get(&pod("web")).await.unwrap();
    assert_eq!(
        stored,
        KeyValue { key: pod("web"), value: b"v1".to_vec(), create_revision: 1, mod_revision: 1 }
    );
    assert_eq!(
        store.create(&pod("web"), b"v2".to_vec()).await,
        Err(StorageError::AlreadyExists { key: pod("web") })
    );
    assert_eq!(store.get(&pod("db")).await, Err(StorageError::NotFound { key: pod("db") }));
    // A refused write consumes no revision.
    assert_eq!(store.current_revision().await.unwrap(), 1);
    assert_eq!(store.create(&pod("db"), b"x".to_vec()).await, Ok(2));
}

#[tokio::test]
async fn update_is_a_compare_and_swap_on_the_mod_revision() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    let created = store.create(&pod("web"), b"v1".to_vec()).await.unwrap();
    let updated = store.update(&pod("web"), b"v2".to_vec(), created).await.unwrap();
    assert!(updated > created);

    assert_eq!(
        store.update(&pod("web"), b"v3".to_vec(), created).await,
        Err(StorageError::Conflict { key: pod("web"), expected: created, actual: updated })
    );
    assert_eq!(
        store.update(&pod("gone"), b"v".to_vec(), 1).await,
        Err(StorageError::NotFound { key: pod("gone") })
    );
    let stored = store.get(&pod("web")).await.unwrap();
    assert_eq!(stored.value, b"v2");
    assert_eq!(stored.create_revision, created);
    assert_eq!(stored.mod_revision, updated);
}

#[tokio::test]
async fn delete_checks_its_precondition_and_returns_what_it_removed() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    let created = store.create(&pod("web"), b"v1".to_vec()).await.unwrap();
    let updated = store.update(&pod("web"), b"v2".to_vec(), created).await.unwrap();

    assert_eq!(
        store.delete(&pod("web"), Some(created)).await,
        Err(StorageError::Conflict { key: pod("web"), expected: created, actual: updated })
    );
    let (removed, deleted_at) = store.delete(&pod("web"), Some(updated)).await.unwrap();
    assert_eq!(
        removed,
        KeyValue {
            key: pod("web"),
            value: b"v2".to_vec(),
            create_revision: created,
            mod_revision: updated,
        }
    );
    assert_eq!(deleted_at, updated + 1);
    assert!(matches!(store.get(&pod("web")).await, Err(StorageError::NotFound { .. })));
    assert!(matches!(store.delete(&pod("web"), None).await, Err(StorageError::NotFound { .. })));
    assert!(matches!(
        store.update(&pod("web"), b"v3".to_vec(), updated).await,
        Err(StorageError::NotFound { .. })
    ));

    // Re-creating starts a new life: a new create revision.
    let recreated = store.create(&pod("web"), b"v4".to_vec()).await.unwrap();
    let stored = store.get(&pod("web")).await.unwrap();
    assert_eq!(stored.create_revision, recreated);
    // Without a precondition, a delete removes whatever is there.
    assert_eq!(store.delete(&pod("web"), None).await.unwrap().0, stored);
}

#[tokio::test]
async fn list_pages_through_a_prefix_at_one_revision() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    for name in ["a", "b", "c", "d", "e"] {
        store.create(&pod(name), name.into()).await.unwrap();
    }
    store.create("/registry/pods/default-2/a", b"other".to_vec()).await.unwrap();

    let first =
        store.list(PODS, ListOptions { limit: Some(2), ..ListOptions::default() }).await.unwrap();
    assert_eq!(keys(&first), [pod("a"), pod("b")]);
    assert_eq!(first.revision, 6);
    assert_eq!(first.remaining, Some(3));
    let token = first.continue_token.clone().expect("more pages");
    assert_eq!(token.revision, 6);

    // Changes after the first page do not show in the later ones.
    let c = store.get(&pod("c")).await.unwrap();
    store.update(&pod("c"), b"c2".to_vec(), c.mod_revision).await.unwrap();
    store.delete(&pod("d"), None).await.unwrap();
    store.create(&pod("f"), b"f".to_vec()).await.unwrap();

    // The token survives a trip through its text form, as it does through a client.
    let token = ContinueToken::decode(&token.encode(), PODS).unwrap();
    let second = store
        .list(
            PODS,
            ListOptions { limit: Some(2), continue_token: Some(token), ..ListOptions::default() },
        )
        .await
        .unwrap();
    assert_eq!(keys(&second), [pod("c"), pod("d")]);
    assert_eq!(second.items[0].value, b"c");
    assert_eq!(second.revision, 6);
    assert_eq!(second.remaining, Some(1));

    let third = store
        .list(
            PODS,
            ListOptions {
                limit: Some(2),
                continue_token: second.continue_token,
                ..ListOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(keys(&third), [pod("e")]);
    assert_eq!(third.continue_token, None);
    assert_eq!(third.remaining, None);

    // Unpaged, at the current revision, the changes are there.
    let now = store.list(PODS, ListOptions::default()).await.unwrap();
    assert_eq!(keys(&now), [pod("a"), pod("b"), pod("c"), pod("e"), pod("f")]);
    assert_eq!(now.items[2].value, b"c2");
    assert_eq!(now.revision, 9);
    assert_eq!(now.continue_token, None);
}

#[tokio::test]
async fn list_reads_the_past_and_refuses_the_future() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    let created = store.create(&pod("a"), b"1".to_vec()).await.unwrap();
    let updated = store.update(&pod("a"), b"2".to_vec(), created).await.unwrap();
    store.delete(&pod("a"), None).await.unwrap();

    let at = |revision| ListOptions { revision: Some(revision), ..ListOptions::default() };
    let past = store.list(PODS, at(created)).await.unwrap();
    assert_eq!(past.items[0].value, b"1");
    assert_eq!(past.revision, created);
    let later = store.list(PODS, at(updated)).await.unwrap();
    assert_eq!(later.items[0].value, b"2");
    assert_eq!(later.items[0].create_revision, created);
    assert!(store.list(PODS, at(3)).await.unwrap().items.is_empty());
    assert_eq!(
        store.list(PODS, at(4)).await,
        Err(StorageError::FutureRevision { requested: 4, current: 3 })
    );
    let foreign = ContinueToken { revision: 1, start_key: "/registry/secrets/x".to_string() };
    assert!(matches!(
        store
            .list(PODS, ListOptions { continue_token: Some(foreign), ..ListOptions::default() })
            .await,
        Err(StorageError::InvalidContinue(_))
    ));
}

#[tokio::test]
async fn watch_carries_values_and_previous_values() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    let mut stream = store.watch(&pod("web"), false, 0).await.unwrap();

    let created = store.create(&pod("web"), b"v1".to_vec()).await.unwrap();
    store.create(&pod("web-2"), b"sibling".to_vec()).await.unwrap();
    let updated = store.update(&pod("web"), b"v2".to_vec(), created).await.unwrap();
    let (_, deleted) = store.delete(&pod("web"), None).await.unwrap();

    let v1 = KeyValue {
        key: pod("web"),
        value: b"v1".to_vec(),
        create_revision: created,
        mod_revision: created,
    };
    let v2 = KeyValue { value: b"v2".to_vec(), mod_revision: updated, ..v1.clone() };
    let expected = [
        WatchEvent {
            kind: WatchEventKind::Created,
            revision: created,
            object: Some(v1.clone()),
            previous: None,
        },
        WatchEvent {
            kind: WatchEventKind::Modified,
            revision: updated,
            object: Some(v2.clone()),
            previous: Some(v1),
        },
        WatchEvent {
            kind: WatchEventKind::Deleted,
            revision: deleted,
            object: Some(v2.clone()),
            previous: Some(v2),
        },
    ];
    for event in &expected {
        assert_eq!(&next_event(&mut stream).await.unwrap(), event);
    }

    // Replayed from the database, the same history reads the same.
    let mut replay = store.watch(&pod("web"), false, 0).await.unwrap();
    for event in &expected {
        assert_eq!(&next_event(&mut replay).await.unwrap(), event);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_replays_history_then_goes_live_without_gaps_or_duplicates() {
    let dir = TempDir::new().unwrap();
    let store = Arc::new(open(&dir).await);
    for index in 0..50 {
        store.create(&pod(&format!("early-{index}")), b"x".to_vec()).await.unwrap();
    }
    // Writes keep landing while the watch replays and subscribes.
    let writer = {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            for index in 0..150 {
                store.create(&pod(&format!("late-{index}")), b"y".to_vec()).await.unwrap();
            }
        })
    };
    let mut stream = store.watch(PODS, true, 10).await.unwrap();
    let mut seen = Vec::new();
    while seen.last() != Some(&200) {
        let event = next_event(&mut stream).await.unwrap();
        assert_eq!(event.kind, WatchEventKind::Created);
        seen.push(event.revision);
    }
    writer.await.unwrap();
    assert_eq!(seen, (11..=200).collect::<Vec<_>>());
    let quiet = tokio::time::timeout(Duration::from_millis(100), stream.next()).await;
    assert!(quiet.is_err(), "no event after the last write");
}

#[tokio::test]
async fn watch_from_a_future_revision_waits_for_it() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    store.create(&pod("a"), b"1".to_vec()).await.unwrap();
    let mut stream = store.watch(PODS, true, 3).await.unwrap();
    for name in ["b", "c", "d"] {
        store.create(&pod(name), b"1".to_vec()).await.unwrap();
    }
    let event = next_event(&mut stream).await.unwrap();
    assert_eq!(event.revision, 4);
    assert_eq!(event.object.unwrap().key, pod("d"));
}

#[tokio::test]
async fn slow_watcher_is_ended_without_holding_up_writers() {
    let dir = TempDir::new().unwrap();
    let store = open_with(&dir, EmbeddedOptions { watch_buffer: 8, ..options() }).await;
    let mut stream = store.watch(PODS, true, 0).await.unwrap();
    // The burst must reach the watch live, not replayed from the database.
    while store.hub.subscribers() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let burst = async {
        for index in 0..300 {
            store.create(&pod(&format!("p{index}")), b"x".to_vec()).await.unwrap();
        }
    };
    tokio::time::timeout(Duration::from_secs(20), burst)
        .await
        .expect("writes finish while the watcher reads nothing");

    let mut last = 0;
    let error = loop {
        match next_event(&mut stream).await {
            Ok(event) => {
                assert_eq!(event.revision, last + 1);
                last = event.revision;
            }
            Err(error) => break error,
        }
    };
    assert!(matches!(error, StorageError::Unavailable(_)), "{error:?}");
    assert!(last < 300, "the watcher was ended before the end");
    assert!(stream.next().await.is_none());

    // Resuming from the last event delivered picks up exactly where it stopped.
    let mut resumed = store.watch(PODS, true, last).await.unwrap();
    for revision in last + 1..=300 {
        assert_eq!(next_event(&mut resumed).await.unwrap().revision, revision);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_share_commits_but_not_revisions() {
    let dir = TempDir::new().unwrap();
    let store = Arc::new(open_with(&dir, EmbeddedOptions::default()).await);
    let writes = (0..64).map(|index| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            let key = pod(&format!("p{index}"));
            let revision = store.create(&key, b"x".to_vec()).await.unwrap();
            (key, revision)
        })
    });
    let mut revisions = BTreeSet::new();
    for write in writes.collect::<Vec<_>>() {
        let (key, revision) = write.await.unwrap();
        assert_eq!(store.get(&key).await.unwrap().mod_revision, revision);
        revisions.insert(revision);
    }
    assert_eq!(revisions, (1..=64).collect());
    assert_eq!(store.current_revision().await.unwrap(), 64);
}

#[tokio::test]
async fn compaction_drops_old_history_and_keeps_current_values() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    let mut revision = store.create(&pod("a"), b"a1".to_vec()).await.unwrap();
    for value in ["a2", "a3", "a4"] {
        revision = store.update(&pod("a"), value.into(), revision).await.unwrap();
    }
    store.create(&pod("b"), b"b".to_vec()).await.unwrap(); // 5
    store.delete(&pod("b"), None).await.unwrap(); // 6
    store.create(&pod("c"), b"c1".to_vec()).await.unwrap(); // 7
    store.update(&pod("c"), b"c2".to_vec(), 7).await.unwrap(); // 8
    assert_eq!(rows_in_log(&dir), 8);

    store.compact(7).await.unwrap();
    // Kept: a@4 and c@7 (the state at 7) and c@8 (after it).
    assert_eq!(rows_in_log(&dir), 3);

    let at = |revision| ListOptions { revision: Some(revision), ..ListOptions::default() };
    let at_compacted = store.list(PODS, at(7)).await.unwrap();
    assert_eq!(keys(&at_compacted), [pod("a"), pod("c")]);
    assert_eq!(at_compacted.items[1].value, b"c1");
    assert_eq!(
        store.list(PODS, at(6)).await,
        Err(StorageError::Compacted { requested: 6, compacted: 7 })
    );
    assert_eq!(store.get(&pod("a")).await.unwrap().value, b"a4");
    assert!(matches!(store.watch(PODS, true, 6).await, Err(StorageError::Compacted { .. })));
    let mut stream = store.watch(PODS, true, 7).await.unwrap();
    let event = next_event(&mut stream).await.unwrap();
    assert_eq!((event.kind, event.revision), (WatchEventKind::Modified, 8));
    assert_eq!(event.previous.unwrap().value, b"c1");

    // Compacting again to the same or an older revision changes nothing; the future is refused.
    store.compact(5).await.unwrap();
    assert_eq!(
        store.compact(9).await,
        Err(StorageError::FutureRevision { requested: 9, current: 8 })
    );
}

#[tokio::test]
async fn restart_keeps_data_revisions_and_compaction() {
    let dir = TempDir::new().unwrap();
    {
        let store = open(&dir).await;
        store.create(&pod("a"), b"a".to_vec()).await.unwrap();
        store.create(&pod("b"), b"b".to_vec()).await.unwrap();
        store.delete(&pod("b"), None).await.unwrap();
        // The newest row is a tombstone, and compaction removes it.
        store.compact(3).await.unwrap();
        assert_eq!(rows_in_log(&dir), 1);
    }
    let store = open(&dir).await;
    assert_eq!(store.current_revision().await.unwrap(), 3);
    assert_eq!(store.get(&pod("a")).await.unwrap().mod_revision, 1);
    assert!(matches!(
        store.list(PODS, ListOptions { revision: Some(2), ..ListOptions::default() }).await,
        Err(StorageError::Compacted { compacted: 3, .. })
    ));
    // Revisions carry on; none is handed out twice.
    assert_eq!(store.create(&pod("b"), b"b2".to_vec()).await, Ok(4));
}

#[tokio::test]
async fn a_directory_is_open_in_one_store_at_a_time() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    assert!(matches!(
        EmbeddedStorage::open(dir.path(), options()).await,
        Err(StorageError::Unavailable(_))
    ));
    drop(store);
    let reopened = open(&dir).await;
    assert_eq!(reopened.current_revision().await.unwrap(), 0);
}

#[tokio::test]
async fn closing_the_store_ends_its_watches() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    let mut stream = store.watch(PODS, true, 0).await.unwrap();
    store.create(&pod("a"), b"a".to_vec()).await.unwrap();
    assert_eq!(next_event(&mut stream).await.unwrap().revision, 1);
    drop(store);
    let end = tokio::time::timeout(Duration::from_secs(5), stream.next()).await;
    assert!(matches!(end, Ok(None)), "{end:?}");
}

#[tokio::test]
async fn the_timer_compacts_in_the_background() {
    let dir = TempDir::new().unwrap();
    let store = open_with(
        &dir,
        EmbeddedOptions {
            compaction_interval: Some(Duration::from_millis(50)),
            retained_revisions: 1,
            ..options()
        },
    )
    .await;
    let mut revision = store.create(&pod("a"), b"0".to_vec()).await.unwrap();
    for value in 1..5 {
        revision = store.update(&pod("a"), value.to_string().into(), revision).await.unwrap();
    }
    let compacted_through_4 = async {
        loop {
            let probe = ListOptions { revision: Some(3), ..ListOptions::default() };
            if let Err(StorageError::Compacted { compacted, .. }) = store.list(PODS, probe).await {
                return compacted;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let compacted = tokio::time::timeout(Duration::from_secs(5), compacted_through_4)
        .await
        .expect("the timer compacts");
    // One revision is always retained behind the current one.
    assert_eq!(compacted, 4);
    assert_eq!(store.get(&pod("a")).await.unwrap().value, b"4");
}

#[tokio::test]
async fn progress_answers_come_after_every_event_they_cover() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir).await;
    let mut watch = store.watch(PODS, true, 0).await.unwrap();
    for round in 0..20 {
        let revision = store.create(&pod(&format!("p{round}")), b"v".to_vec()).await.unwrap();
        store.create(&format!("/registry/nodes/n{round}"), b"v".to_vec()).await.unwrap();
        watch.request_progress().unwrap();
        let created = next_event(&mut watch).await.unwrap();
        assert_eq!((created.kind, created.revision), (WatchEventKind::Created, revision));
        let progress = next_event(&mut watch).await.unwrap();
        assert_eq!(progress.kind, WatchEventKind::Progress, "round {round}");
        assert_eq!(progress.revision, revision + 1, "the store's revision, beyond this prefix");
    }
    let (_, unanswered) = WatchStream::channel(1);
    assert!(matches!(unanswered.request_progress(), Err(StorageError::Internal(_))));
    drop(store);
    assert!(matches!(
        tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(Ok(_)) = watch.next().await {}
            watch.request_progress()
        })
        .await
        .unwrap(),
        Err(StorageError::Unavailable(_))
    ));
}
