//! The etcd3 backend against a real etcd: compare-and-swap writes, paged lists at a revision,
//! watches (previous values, progress, back-pressure, restarts), compaction, several endpoints,
//! TLS, and behaviour while etcd is down.

use kube_apiserver::testing::etcd;

use etcd::{EtcdServer, ServerTls};
use kube_apiserver::storage::etcd3::{Etcd3Config, Etcd3Storage};
use kube_apiserver::storage::{
    ContinueToken, ListOptions, Storage, StorageError, WatchEvent, WatchEventKind, WatchStream,
};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const PODS: &str = "/registry/pods/default/";
/// How long a test waits for a watch event that should come.
const EVENT_TIMEOUT: Duration = Duration::from_secs(15);

fn config(endpoints: Vec<String>) -> Etcd3Config {
    Etcd3Config {
        dial_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(3),
        watch_reconnect_limit: Duration::from_secs(20),
        ..Etcd3Config::new(endpoints)
    }
}

async fn connect(server: &EtcdServer) -> Etcd3Storage {
    Etcd3Storage::connect(config(vec![server.endpoint()])).await.expect("connect to the test etcd")
}

fn pod(name: &str) -> String {
    format!("{PODS}{name}")
}

/// An endpoint nothing listens on.
fn dead_endpoint() -> String {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A file of the test-only TLS material (see `tests/testdata/etcd-tls/README.md`).
fn tls_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/etcd-tls").join(name)
}

async fn next_item(watch: &mut WatchStream) -> Option<Result<WatchEvent, StorageError>> {
    tokio::time::timeout(EVENT_TIMEOUT, watch.next())
        .await
        .expect("the watch delivered nothing in time")
}

/// The next change (progress notifications skipped).
async fn next_change(watch: &mut WatchStream) -> WatchEvent {
    loop {
        let event = next_item(watch).await.expect("the watch ended").expect("the watch failed");
        if event.kind != WatchEventKind::Progress {
            return event;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_compare_and_swap_on_the_modification_revision() {
    let server = EtcdServer::start();
    let storage = connect(&server).await;
    let key = pod("web");

    let created = storage.create(&key, b"v1".to_vec()).await.unwrap();
    assert_eq!(storage.current_revision().await.unwrap(), created);
    assert_eq!(
        storage.create(&key, b"again".to_vec()).await,
        Err(StorageError::AlreadyExists { key: key.clone() })
    );
    let stored = storage.get(&key).await.unwrap();
    assert_eq!(
        (stored.value.as_slice(), stored.create_revision, stored.mod_revision),
        (b"v1".as_slice(), created, created)
    );

    // A stale or zero expectation is a conflict reporting the key's actual revision.
    for stale in [created - 1, 0] {
        assert_eq!(
            storage.update(&key, b"lost".to_vec(), stale).await,
            Err(StorageError::Conflict { key: key.clone(), expected: stale, actual: created })
        );
    }
    let updated = storage.update(&key, b"v2".to_vec(), created).await.unwrap();
    assert!(updated > created);
    let stored = storage.get(&key).await.unwrap();
    assert_eq!(
        (stored.value.as_slice(), stored.create_revision, stored.mod_revision),
        (b"v2".as_slice(), created, updated)
    );

    assert_eq!(
        storage.delete(&key, Some(created)).await,
        Err(StorageError::Conflict { key: key.clone(), expected: created, actual: updated })
    );
    let (deleted, deleted_at) = storage.delete(&key, Some(updated)).await.unwrap();
    assert_eq!(deleted, stored, "the delete returns the value as it was");
    assert!(deleted_at > updated);
    assert_eq!(storage.current_revision().await.unwrap(), deleted_at);

    let not_found = Err(StorageError::NotFound { key: key.clone() });
    assert_eq!(storage.get(&key).await, not_found);
    assert_eq!(
        storage.update(&key, b"v3".to_vec(), updated).await,
        Err(StorageError::NotFound { key: key.clone() })
    );
    assert_eq!(
        storage.update(&key, b"v3".to_vec(), 0).await,
        Err(StorageError::NotFound { key: key.clone() }),
        "an update never creates the key"
    );
    assert_eq!(storage.delete(&key, None).await, Err(StorageError::NotFound { key: key.clone() }));
    assert_eq!(
        storage.delete(&key, Some(0)).await,
        Err(StorageError::NotFound { key: key.clone() })
    );

    // Unconditional delete of a recreated key: a new create_revision.
    let recreated = storage.create(&key, b"v4".to_vec()).await.unwrap();
    let (deleted, _) = storage.delete(&key, None).await.unwrap();
    assert_eq!(deleted.create_revision, recreated);
    assert_eq!(deleted.value, b"v4");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paged_lists_read_every_page_at_the_first_pages_revision() {
    let server = EtcdServer::start();
    let storage = connect(&server).await;
    for name in ["p1", "p2", "p3", "p4", "p5"] {
        storage.create(&pod(name), name.into()).await.unwrap();
    }
    // Keys that share the prefix's text but not its directory.
    storage.create("/registry/pods/default-2/p1", b"x".to_vec()).await.unwrap();
    storage.create("/registry/pods/defaultx", b"x".to_vec()).await.unwrap();
    let before_changes = storage.current_revision().await.unwrap();

    let page = |continue_token: Option<ContinueToken>| ListOptions {
        limit: Some(2),
        continue_token,
        ..ListOptions::default()
    };
    let keys = |items: &[kube_apiserver::storage::KeyValue]| -> Vec<String> {
        items.iter().map(|kv| kv.key.clone()).collect()
    };

    let first = storage.list(PODS, page(None)).await.unwrap();
    assert_eq!(keys(&first.items), [pod("p1"), pod("p2")]);
    assert_eq!(first.revision, before_changes);
    assert_eq!(first.remaining, Some(3));
    let token = first.continue_token.clone().expect("more pages follow");
    assert_eq!(token.revision, before_changes);
    assert_eq!(token.start_key, format!("{}\0", pod("p2")));

    // Changes between pages do not show in later pages.
    let p3 = storage.get(&pod("p3")).await.unwrap();
    storage.update(&pod("p3"), b"changed".to_vec(), p3.mod_revision).await.unwrap();
    storage.delete(&pod("p4"), None).await.unwrap();
    storage.create(&pod("p6"), b"p6".to_vec()).await.unwrap();

    let second = storage.list(PODS, page(Some(token))).await.unwrap();
    assert_eq!(keys(&second.items), [pod("p3"), pod("p4")]);
    assert_eq!(second.items[0].value, b"p3");
    assert_eq!(second.revision, before_changes);
    assert_eq!(second.remaining, Some(1));
    let third = storage.list(PODS, page(second.continue_token)).await.unwrap();
    assert_eq!(keys(&third.items), [pod("p5")]);
    assert_eq!((third.continue_token, third.remaining), (None, None));

    // Unpaged: the current state, at the current revision.
    let now = storage.list(PODS, ListOptions::default()).await.unwrap();
    assert_eq!(keys(&now.items), [pod("p1"), pod("p2"), pod("p3"), pod("p5"), pod("p6")]);
    assert_eq!(now.revision, storage.current_revision().await.unwrap());
    assert_eq!((now.continue_token, now.remaining), (None, None));

    // At an explicit revision: the state back then.
    let then = storage
        .list(PODS, ListOptions { revision: Some(before_changes), ..ListOptions::default() })
        .await
        .unwrap();
    assert_eq!(then.revision, before_changes);
    assert_eq!(keys(&then.items), [pod("p1"), pod("p2"), pod("p3"), pod("p4"), pod("p5")]);

    let current = storage.current_revision().await.unwrap();
    assert_eq!(
        storage
            .list(PODS, ListOptions { revision: Some(current + 100), ..ListOptions::default() })
            .await,
        Err(StorageError::FutureRevision { requested: current + 100, current })
    );

    let foreign =
        ContinueToken { revision: current, start_key: "/registry/secrets/default/a".to_string() };
    assert!(matches!(
        storage.list(PODS, page(Some(foreign))).await,
        Err(StorageError::InvalidContinue(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watches_replay_from_a_revision_with_previous_values_on_updates_and_deletes() {
    let server = EtcdServer::start();
    let storage = connect(&server).await;
    let start = storage.current_revision().await.unwrap();

    let created = storage.create(&pod("a"), b"v1".to_vec()).await.unwrap();
    storage.create("/registry/pods/other/x", b"elsewhere".to_vec()).await.unwrap();
    let updated = storage.update(&pod("a"), b"v2".to_vec(), created).await.unwrap();
    let (_, deleted) = storage.delete(&pod("a"), Some(updated)).await.unwrap();

    // Everything happened before the watch was opened: it is replayed from `start`.
    let mut watch = storage.watch(PODS, true, start).await.unwrap();
    let event = next_change(&mut watch).await;
    assert_eq!(
        (event.kind, event.revision, event.previous),
        (WatchEventKind::Created, created, None)
    );
    let object = event.object.unwrap();
    assert_eq!(
        (object.key.as_str(), object.value.as_slice()),
        (pod("a").as_str(), b"v1".as_slice())
    );

    let event = next_change(&mut watch).await;
    assert_eq!((event.kind, event.revision), (WatchEventKind::Modified, updated));
    assert_eq!(event.object.unwrap().value, b"v2");
    assert_eq!(event.previous.unwrap().value, b"v1");

    let event = next_change(&mut watch).await;
    assert_eq!((event.kind, event.revision), (WatchEventKind::Deleted, deleted));
    let object = event.object.unwrap();
    assert_eq!(
        (object.value.as_slice(), object.create_revision, object.mod_revision),
        (b"v2".as_slice(), created, updated),
        "a delete carries the object as it was"
    );
    assert_eq!(event.previous, Some(object));

    // Live changes keep coming; a single-key watch sees only its key.
    let mut single = storage.watch(&pod("b"), false, deleted).await.unwrap();
    storage.create(&pod("c"), b"c".to_vec()).await.unwrap();
    let b = storage.create(&pod("b"), b"b".to_vec()).await.unwrap();
    assert_eq!(next_change(&mut watch).await.object.unwrap().key, pod("c"));
    assert_eq!(next_change(&mut watch).await.revision, b);
    let event = next_change(&mut single).await;
    assert_eq!((event.kind, event.revision), (WatchEventKind::Created, b));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compaction_makes_older_revisions_gone() {
    let server = EtcdServer::start();
    let storage = connect(&server).await;
    let first = storage.create(&pod("a"), b"1".to_vec()).await.unwrap();
    let second = storage.update(&pod("a"), b"2".to_vec(), first).await.unwrap();
    let third = storage.update(&pod("a"), b"3".to_vec(), second).await.unwrap();
    storage.create(&pod("b"), b"b".to_vec()).await.unwrap();

    storage.compact(third).await.unwrap();
    // Compacting again, or below, changes nothing.
    storage.compact(third).await.unwrap();
    storage.compact(second).await.unwrap();

    let at = |revision| ListOptions { revision: Some(revision), ..ListOptions::default() };
    assert_eq!(
        storage.list(PODS, at(second)).await,
        Err(StorageError::Compacted { requested: second, compacted: third })
    );
    let page = storage.list(PODS, at(third)).await.unwrap();
    assert_eq!(page.items[0].value, b"3", "the compacted revision itself stays readable");

    // A continued list whose revision was compacted meanwhile fails the same way.
    let token = ContinueToken { revision: first, start_key: pod("a") };
    assert!(matches!(
        storage
            .list(
                PODS,
                ListOptions {
                    continue_token: Some(token),
                    limit: Some(1),
                    ..ListOptions::default()
                }
            )
            .await,
        Err(StorageError::Compacted { requested, compacted }) if requested == first && compacted == third
    ));

    let mut watch = storage.watch(PODS, true, first).await.unwrap();
    assert_eq!(
        next_item(&mut watch).await,
        Some(Err(StorageError::Compacted { requested: first, compacted: third }))
    );
    // Watching from just before the compacted revision still works (etcd keeps its state).
    let mut watch = storage.watch(PODS, true, second).await.unwrap();
    assert_eq!(next_change(&mut watch).await.revision, third);

    let current = storage.current_revision().await.unwrap();
    assert_eq!(
        storage.compact(current + 10).await,
        Err(StorageError::FutureRevision { requested: current + 10, current })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_notifications_arrive_as_progress_events() {
    let server =
        EtcdServer::start_with_args(&["--experimental-watch-progress-notify-interval=300ms"]);
    let storage = connect(&server).await;
    let revision = storage.create(&pod("a"), b"a".to_vec()).await.unwrap();
    let mut watch = storage.watch(PODS, true, revision).await.unwrap();
    let event = next_item(&mut watch).await.unwrap().unwrap();
    assert_eq!(
        event,
        WatchEvent { kind: WatchEventKind::Progress, revision, object: None, previous: None }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_resumes_across_an_etcd_restart_without_gaps_or_duplicates() {
    let mut server = EtcdServer::start();
    let storage = connect(&server).await;
    let start = storage.current_revision().await.unwrap();
    let mut watch = storage.watch(PODS, true, start).await.unwrap();
    let a = storage.create(&pod("a"), b"a".to_vec()).await.unwrap();
    assert_eq!(next_change(&mut watch).await.revision, a);

    server.restart();
    // The backend reconnects by itself.
    assert_eq!(storage.current_revision().await.unwrap(), a);
    let b = storage.create(&pod("b"), b"b".to_vec()).await.unwrap();
    let a2 = storage.update(&pod("a"), b"a2".to_vec(), a).await.unwrap();

    let event = next_change(&mut watch).await;
    assert_eq!((event.kind, event.revision), (WatchEventKind::Created, b));
    let event = next_change(&mut watch).await;
    assert_eq!((event.kind, event.revision), (WatchEventKind::Modified, a2));
    assert_eq!(event.previous.unwrap().value, b"a");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_endpoints_skip_a_member_that_is_down() {
    let server = EtcdServer::start();
    let dead = dead_endpoint();
    for (index, endpoints) in
        [vec![dead.clone(), server.endpoint()], vec![server.endpoint(), dead.clone()]]
            .into_iter()
            .enumerate()
    {
        let storage = Etcd3Storage::connect(config(endpoints)).await.unwrap();
        let key = pod(&format!("p{index}"));
        let start = storage.current_revision().await.unwrap();
        let mut watch = storage.watch(PODS, true, start).await.unwrap();
        for round in 0..5 {
            let value = format!("{round}").into_bytes();
            let revision = match round {
                0 => storage.create(&key, value).await.unwrap(),
                _ => {
                    let current = storage.get(&key).await.unwrap();
                    storage.update(&key, value, current.mod_revision).await.unwrap()
                }
            };
            assert_eq!(next_change(&mut watch).await.revision, revision);
        }
        let listed = storage.list(PODS, ListOptions::default()).await.unwrap();
        assert_eq!(listed.items.len(), index + 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_fail_with_unavailable_while_etcd_is_down_and_recover_after() {
    let unreachable = Etcd3Storage::connect(config(vec![dead_endpoint()])).await;
    assert!(matches!(unreachable, Err(StorageError::Unavailable(_))), "{:?}", unreachable.err());

    let mut server = EtcdServer::start();
    let storage = Etcd3Storage::connect(Etcd3Config {
        watch_reconnect_limit: Duration::from_secs(2),
        ..config(vec![server.endpoint()])
    })
    .await
    .unwrap();
    let created = storage.create(&pod("a"), b"a".to_vec()).await.unwrap();
    let mut watch = storage.watch(PODS, true, created).await.unwrap();

    server.stop();
    let started = Instant::now();
    assert!(matches!(storage.get(&pod("a")).await, Err(StorageError::Unavailable(_))));
    assert!(matches!(
        storage.create(&pod("b"), b"b".to_vec()).await,
        Err(StorageError::Unavailable(_))
    ));
    assert!(matches!(
        storage.list(PODS, ListOptions::default()).await,
        Err(StorageError::Unavailable(_))
    ));
    assert!(matches!(
        storage.watch(PODS, true, created).await.err(),
        Some(StorageError::Unavailable(_))
    ));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "each operation gives up after the request timeout"
    );
    // The open watch gives up once it cannot re-establish itself within its limit.
    assert!(matches!(next_item(&mut watch).await, Some(Err(StorageError::Unavailable(_)))));
    assert!(next_item(&mut watch).await.is_none());

    server.restart();
    assert_eq!(
        storage.get(&pod("a")).await.unwrap().mod_revision,
        created,
        "the backend recovers when etcd is back"
    );
    storage.create(&pod("b"), b"b".to_vec()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_reader_holds_back_only_its_own_watch() {
    const WRITES: usize = 250;
    let server = EtcdServer::start();
    let storage = connect(&server).await;
    let start = storage.current_revision().await.unwrap();
    let mut idle = storage.watch(PODS, true, start).await.unwrap();
    let mut busy = storage.watch(PODS, true, start).await.unwrap();

    let key = pod("counter");
    let mut revisions = vec![storage.create(&key, b"0".to_vec()).await.unwrap()];
    for round in 1..WRITES {
        let previous = *revisions.last().unwrap();
        let value = format!("{round}").into_bytes();
        revisions.push(storage.update(&key, value, previous).await.unwrap());
    }
    // The busy reader gets everything while the idle one has not read at all.
    for revision in &revisions {
        assert_eq!(next_change(&mut busy).await.revision, *revision);
    }
    // Then the idle reader catches up, losing nothing.
    for revision in &revisions {
        assert_eq!(next_change(&mut idle).await.revision, *revision);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_stalled_past_the_limit_loses_its_watch_not_its_order() {
    const WRITES: usize = 250;
    let server = EtcdServer::start();
    let storage = Etcd3Storage::connect(Etcd3Config {
        watch_stall_limit: Duration::from_millis(500),
        ..config(vec![server.endpoint()])
    })
    .await
    .unwrap();
    let start = storage.current_revision().await.unwrap();
    let mut stalled = storage.watch(PODS, true, start).await.unwrap();
    let key = pod("counter");
    let mut revisions = vec![storage.create(&key, b"0".to_vec()).await.unwrap()];
    for round in 1..WRITES {
        let previous = *revisions.last().unwrap();
        let value = format!("{round}").into_bytes();
        revisions.push(storage.update(&key, value, previous).await.unwrap());
    }
    tokio::time::sleep(Duration::from_secs(2)).await;

    let mut received = Vec::new();
    while let Some(item) = next_item(&mut stalled).await {
        received.push(item.unwrap().revision);
    }
    assert!(
        !received.is_empty() && received.len() < WRITES,
        "the watch ended after its buffer: got {}",
        received.len()
    );
    assert_eq!(received, revisions[..received.len()], "what arrived is in order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_endpoints_use_the_configured_ca_and_client_certificate() {
    let server = EtcdServer::start_tls(ServerTls {
        cert: &tls_file("server.crt"),
        key: &tls_file("server.key"),
        client_ca: &tls_file("ca.crt"),
    });
    assert!(server.endpoint().starts_with("https://"));
    let with_ca =
        Etcd3Config { ca_file: Some(tls_file("ca.crt")), ..config(vec![server.endpoint()]) };

    let storage = Etcd3Storage::connect(Etcd3Config {
        cert_file: Some(tls_file("client.crt")),
        key_file: Some(tls_file("client.key")),
        ..with_ca.clone()
    })
    .await
    .unwrap();
    let start = storage.current_revision().await.unwrap();
    let mut watch = storage.watch(PODS, true, start).await.unwrap();
    let created = storage.create(&pod("a"), b"a".to_vec()).await.unwrap();
    assert_eq!(storage.get(&pod("a")).await.unwrap().mod_revision, created);
    assert_eq!(next_change(&mut watch).await.revision, created);

    // etcd requires a client certificate.
    let without_identity = Etcd3Storage::connect(with_ca).await;
    assert!(
        matches!(without_identity, Err(StorageError::Unavailable(_))),
        "{:?}",
        without_identity.err()
    );
    // An https endpoint without a CA to check it against is a configuration error.
    let without_ca = Etcd3Storage::connect(config(vec![server.endpoint()])).await;
    assert!(
        matches!(&without_ca, Err(StorageError::Internal(why)) if why.contains("--etcd-cafile")),
        "{:?}",
        without_ca.err()
    );
}
