//! Compaction: history before the compacted revision is gone for lists, continued lists and
//! watches, while current values, later history and running watches are untouched.

use super::Store;
use super::check::Case;
use super::history::History;
use super::listing::at_revision;
use super::watching::{Watch, expect_compacted_watch};
use kube_apiserver::storage::{ListOptions, Revision, StorageError};

/// After `compact(r)`: a list at a revision below `r`, a continued list whose token predates `r`,
/// and a watch from below `r` fail with Compacted; current values (even ones last written before
/// `r`), lists at `r`'s successors, watches from there and a watch already running all still work.
///
/// Compaction is store-wide: give this case a store no other running case uses.
pub async fn case_compaction(store: &Store) {
    let case = Case::new("compaction");
    let dir = case.key("kept/");
    let (a, b, c) = (format!("{dir}a"), format!("{dir}b"), format!("{dir}c"));
    let mut history = History::default();
    let a_created = history.create(&case, store, &a, "a1").await;
    history.update(&case, store, &a, "a2, last written before compaction").await;
    let b_created = history.create(&case, store, &b, "b").await;
    history.delete(&case, store, &b, true).await;
    let first_page = case.ok(
        format!("first page of {dir} at revision {b_created}"),
        store
            .list(
                &dir,
                ListOptions { revision: Some(b_created), limit: Some(1), ..ListOptions::default() },
            )
            .await,
    );
    let stale_token = first_page.continue_token.unwrap_or_else(|| {
        case.fail(format!(
            "first page of {dir} at revision {b_created} with limit 1: no continue token, but two \
             keys existed then"
        ))
    });
    let compact_at = history.create(&case, store, &c, "c1").await;
    history.update(&case, store, &c, "c2").await;
    let mut running = Watch::open(&case, store, &dir, true, history.last_revision()).await;

    case.ok(format!("compact at revision {compact_at}"), store.compact(compact_at).await);

    for old in [a_created, b_created, compact_at - 1] {
        let error = case.error(
            format!("list {dir} at revision {old}, compacted at {compact_at}"),
            store.list(&dir, at_revision(old)).await,
        );
        match error {
            StorageError::Compacted { requested, .. } => case.same(
                format!("revision named by Compacted for a list at {old}"),
                requested,
                old,
            ),
            other => case.fail(format!(
                "list {dir} at revision {old}, compacted at {compact_at}: expected Compacted, got \
                 {other:?}"
            )),
        }
    }
    let continued = store
        .list(
            &dir,
            ListOptions {
                continue_token: Some(stale_token.clone()),
                limit: Some(1),
                ..ListOptions::default()
            },
        )
        .await;
    let error = case.error(
        format!("continue a list at revision {b_created} after compaction at {compact_at}"),
        continued,
    );
    case.ensure(matches!(error, StorageError::Compacted { .. }), || {
        format!(
            "continue a list at revision {b_created} after compaction at {compact_at}: expected \
             Compacted, got {error:?}"
        )
    });
    for old in [a_created, b_created] {
        expect_compacted_watch(
            &case,
            &format!("watch of {dir} after revision {old}, compacted at {compact_at}"),
            store.watch(&dir, true, old).await,
        )
        .await;
    }

    for key in [&a, &c] {
        let got = case.ok(format!("get {key} after compaction"), store.get(key).await);
        let expected = history.current(key).expect("written by the case");
        case.same_kv(format!("get {key} after compaction"), &got, &expected);
    }
    let current = case
        .ok(format!("list {dir} after compaction"), store.list(&dir, ListOptions::default()).await);
    case.same_items(
        format!("list {dir} after compaction"),
        &current.items,
        &history.list_at(&dir, Revision::MAX),
    );
    let latest = history.last_revision();
    let at_latest = case.ok(
        format!("list {dir} at revision {latest}, after compaction at {compact_at}"),
        store.list(&dir, at_revision(latest)).await,
    );
    case.same_items(
        format!("list {dir} at revision {latest}, after compaction at {compact_at}"),
        &at_latest.items,
        &history.list_at(&dir, latest),
    );

    let mut from_compacted = Watch::open(&case, store, &dir, true, compact_at).await;
    history.update(&case, store, &a, "a3, after compaction").await;
    history.delete(&case, store, &c, false).await;
    from_compacted.expect(&history.events_after(compact_at, &dir, true)).await;
    running.expect(&history.events_after(latest, &dir, true)).await;
}
