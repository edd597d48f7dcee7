//! The storage conformance suite against the in-memory reference store, the oracle the suite is
//! debugged against (see `support/reference_store.rs`). A case failing here is a bug in the case
//! or in the oracle, never in a backend.

#[path = "support/reference_store.rs"]
mod reference_store;
mod storage_conformance;

use reference_store::ReferenceStore;
use std::sync::Arc;
use storage_conformance as suite;

/// A fresh, empty oracle for one test.
fn store() -> suite::Store {
    Arc::new(ReferenceStore::new())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn create_get() {
    suite::case_create_get(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn update_compare_and_swap() {
    suite::case_update_compare_and_swap(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn delete() {
    suite::case_delete(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn revisions() {
    suite::case_revisions(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_increments() {
    suite::case_concurrent_increments(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn create_race() {
    suite::case_create_race(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn list_at_revision() {
    suite::case_list_at_revision(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn list_prefix_isolation() {
    suite::case_list_prefix_isolation(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paging() {
    suite::case_paging(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_from_revision() {
    suite::case_watch_from_revision(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_resume() {
    suite::case_watch_resume(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_deletes() {
    suite::case_watch_deletes(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn watch_progress() {
    suite::case_watch_progress(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn compaction() {
    suite::case_compaction(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn large_values() {
    suite::case_large_values(&store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_keys() {
    suite::case_many_keys(&store()).await;
}
