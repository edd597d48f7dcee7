//! The storage conformance suite against the etcd3 backend and a real etcd (Debian's
//! `etcd-server`; a missing binary fails the tests, never skips them).
//!
//! Cases running at the same time share one etcd, each under its own key prefix; the server stops
//! when the last of them finishes, so none outlives the run. The compaction case gets an etcd of
//! its own, because compaction discards history for the whole store.

use kube_apiserver::testing::etcd;
mod storage_conformance;

use etcd::EtcdServer;
use kube_apiserver::storage::etcd3::{Etcd3Config, Etcd3Storage};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use storage_conformance as suite;

/// etcd refuses requests over `--max-request-bytes`, 1.5 MiB by default for the whole request,
/// which a 1.5 MiB value plus its key exceeds. An etcd behind this apiserver needs the same flag
/// to hold objects of upstream's maximum size.
const ETCD_ARGS: &[&str] = &["--max-request-bytes=3145728"];

/// A store connected to an etcd, and that etcd, kept running while the store is in use.
struct Fresh {
    store: suite::Store,
    _server: Arc<EtcdServer>,
}

/// A store on the etcd shared by the cases running now, started if none is.
async fn on_shared_etcd() -> Fresh {
    static SHARED: Mutex<Weak<EtcdServer>> = Mutex::new(Weak::new());
    let server = tokio::task::spawn_blocking(|| {
        let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        shared.upgrade().unwrap_or_else(|| {
            let server = Arc::new(EtcdServer::start_with_args(ETCD_ARGS));
            *shared = Arc::downgrade(&server);
            server
        })
    })
    .await
    .expect("start etcd");
    connect(server).await
}

/// A store on an etcd no other case uses.
async fn on_own_etcd() -> Fresh {
    let server = tokio::task::spawn_blocking(|| EtcdServer::start_with_args(ETCD_ARGS))
        .await
        .expect("start etcd");
    connect(Arc::new(server)).await
}

async fn connect(server: Arc<EtcdServer>) -> Fresh {
    let endpoint = server.endpoint();
    let store = Etcd3Storage::connect(Etcd3Config::new([endpoint.as_str()]))
        .await
        .unwrap_or_else(|error| panic!("connect to the test etcd at {endpoint}: {error}"));
    Fresh { store: Arc::new(store), _server: server }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn create_get() {
    let fresh = on_shared_etcd().await;
    suite::case_create_get(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn update_compare_and_swap() {
    let fresh = on_shared_etcd().await;
    suite::case_update_compare_and_swap(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn delete() {
    let fresh = on_shared_etcd().await;
    suite::case_delete(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn revisions() {
    let fresh = on_shared_etcd().await;
    suite::case_revisions(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_increments() {
    let fresh = on_shared_etcd().await;
    suite::case_concurrent_increments(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn create_race() {
    let fresh = on_shared_etcd().await;
    suite::case_create_race(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn list_at_revision() {
    let fresh = on_shared_etcd().await;
    suite::case_list_at_revision(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn list_prefix_isolation() {
    let fresh = on_shared_etcd().await;
    suite::case_list_prefix_isolation(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paging() {
    let fresh = on_shared_etcd().await;
    suite::case_paging(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_from_revision() {
    let fresh = on_shared_etcd().await;
    suite::case_watch_from_revision(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_resume() {
    let fresh = on_shared_etcd().await;
    suite::case_watch_resume(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_deletes() {
    let fresh = on_shared_etcd().await;
    suite::case_watch_deletes(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_progress() {
    let fresh = on_shared_etcd().await;
    suite::case_watch_progress(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn compaction() {
    let fresh = on_own_etcd().await;
    suite::case_compaction(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn large_values() {
    let fresh = on_shared_etcd().await;
    suite::case_large_values(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_keys() {
    let fresh = on_shared_etcd().await;
    suite::case_many_keys(&fresh.store).await;
}
