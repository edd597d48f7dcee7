//! The storage conformance suite against the embedded (SQLite) backend, each case on a fresh
//! store in its own temporary directory.

mod storage_conformance;

use kube_apiserver::storage::embedded::{EmbeddedOptions, EmbeddedStorage};
use std::sync::Arc;
use storage_conformance as suite;
use tempfile::TempDir;

/// A fresh store and the directory holding it, removed after the store closes.
struct Fresh {
    store: suite::Store,
    _dir: TempDir,
}

/// Opens an empty store. Background compaction is off: the suite compacts explicitly and must
/// know exactly which history exists. Every other option is the default users get.
async fn fresh() -> Fresh {
    let dir = tempfile::Builder::new()
        .prefix("conformance-embedded-")
        .tempdir()
        .expect("create a temporary directory for the store");
    let options = EmbeddedOptions { compaction_interval: None, ..EmbeddedOptions::default() };
    let store = EmbeddedStorage::open(dir.path(), options)
        .await
        .unwrap_or_else(|error| panic!("open the embedded store in {:?}: {error}", dir.path()));
    Fresh { store: Arc::new(store), _dir: dir }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn create_get() {
    let fresh = fresh().await;
    suite::case_create_get(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn update_compare_and_swap() {
    let fresh = fresh().await;
    suite::case_update_compare_and_swap(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn delete() {
    let fresh = fresh().await;
    suite::case_delete(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn revisions() {
    let fresh = fresh().await;
    suite::case_revisions(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_increments() {
    let fresh = fresh().await;
    suite::case_concurrent_increments(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn create_race() {
    let fresh = fresh().await;
    suite::case_create_race(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn list_at_revision() {
    let fresh = fresh().await;
    suite::case_list_at_revision(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn list_prefix_isolation() {
    let fresh = fresh().await;
    suite::case_list_prefix_isolation(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paging() {
    let fresh = fresh().await;
    suite::case_paging(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_from_revision() {
    let fresh = fresh().await;
    suite::case_watch_from_revision(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_resume() {
    let fresh = fresh().await;
    suite::case_watch_resume(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_deletes() {
    let fresh = fresh().await;
    suite::case_watch_deletes(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_progress() {
    let fresh = fresh().await;
    suite::case_watch_progress(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn compaction() {
    let fresh = fresh().await;
    suite::case_compaction(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn large_values() {
    let fresh = fresh().await;
    suite::case_large_values(&fresh.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_keys() {
    let fresh = fresh().await;
    suite::case_many_keys(&fresh.store).await;
}
