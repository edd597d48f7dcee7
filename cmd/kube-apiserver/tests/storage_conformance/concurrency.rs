//! Racing writers: compare-and-swap must lose no update, and a contested create must have
//! exactly one winner. Both run their writers as separate tasks so a multi-threaded runtime
//! really overlaps them.

use super::Store;
use super::check::{Case, finished};
use kube_apiserver::storage::{Revision, StorageError};
use std::sync::Arc;
use tokio::sync::Barrier;
use tokio::task::JoinSet;

/// Writers incrementing one counter by read-modify-write.
const WRITERS: usize = 8;
/// Increments per writer.
const INCREMENTS: usize = 25;
/// Attempts after which one increment is declared starved (a livelock, not bad luck).
const ATTEMPTS: usize = 10_000;

/// Tasks racing to create one key.
const RACERS: usize = 16;
/// Contested keys, one race each.
const RACES: usize = 8;

/// N writers each do M increments of one counter, retrying on Conflict: the counter ends at
/// exactly N×M, every successful write has its own revision, and every Conflict names a revision
/// newer than the one the writer read.
pub async fn case_concurrent_increments(store: &Store) {
    let case = Case::new("concurrent_increments");
    let key = case.key("counter");
    let created = case.ok(format!("create {key}"), store.create(&key, b"0".to_vec()).await);

    let mut writers = JoinSet::new();
    for _ in 0..WRITERS {
        let (case, store, key) = (case.clone(), Arc::clone(store), key.clone());
        writers.spawn(async move { increment(&case, &store, &key, INCREMENTS).await });
    }
    let mut revisions = Vec::new();
    while let Some(written) = writers.join_next().await {
        revisions.extend(finished(&case, written));
    }

    let total = WRITERS * INCREMENTS;
    let counter = case.ok(format!("get {key}"), store.get(&key).await);
    case.same(
        format!("final value of {key} after {total} increments"),
        String::from_utf8_lossy(&counter.value).into_owned(),
        total.to_string(),
    );
    case.same(
        format!("create_revision of {key} after the increments"),
        counter.create_revision,
        created,
    );
    revisions.sort_unstable();
    revisions.dedup();
    case.same("distinct revisions among the successful increments", revisions.len(), total);
    case.same(
        format!("mod_revision of {key}: the last increment's revision"),
        counter.mod_revision,
        *revisions.last().expect("at least one increment"),
    );
}

/// Adds one to the counter at `key` `times` times; returns the revision of each success.
async fn increment(case: &Case, store: &Store, key: &str, times: usize) -> Vec<Revision> {
    let mut revisions = Vec::with_capacity(times);
    for _ in 0..times {
        let mut attempts = 0;
        let revision = loop {
            attempts += 1;
            case.ensure(attempts <= ATTEMPTS, || {
                format!("one increment of {key} still conflicts after {ATTEMPTS} attempts")
            });
            let read = case.ok(format!("get {key}"), store.get(key).await);
            let count: usize = std::str::from_utf8(&read.value)
                .ok()
                .and_then(|text| text.parse().ok())
                .unwrap_or_else(|| {
                    case.fail(format!(
                        "{key} holds {:?}, not a count: a write was torn or lost",
                        String::from_utf8_lossy(&read.value)
                    ))
                });
            let next = (count + 1).to_string().into_bytes();
            // Let other writers run between the read and the write, as real clients do, so the
            // race happens even on a store that never suspends.
            tokio::task::yield_now().await;
            match store.update(key, next, read.mod_revision).await {
                Ok(revision) => break revision,
                Err(StorageError::Conflict { key: conflicted, expected, actual }) => {
                    case.same("key named by Conflict", conflicted.as_str(), key);
                    case.same(
                        format!("expected revision named by Conflict on {key}"),
                        expected,
                        read.mod_revision,
                    );
                    case.ensure(actual > expected, || {
                        format!(
                            "Conflict on {key} names actual revision {actual}, not newer than the \
                             {expected} read before it"
                        )
                    });
                }
                Err(error) => case.fail(format!(
                    "update {key} at revision {}: unexpected error `{error}` ({error:?})",
                    read.mod_revision
                )),
            }
        };
        revisions.push(revision);
    }
    revisions
}

/// N tasks create the same key at once, several times over: each time exactly one wins, every
/// other gets AlreadyExists, and the key holds the winner's value at the winner's revision.
pub async fn case_create_race(store: &Store) {
    let case = Case::new("create_race");
    for race in 0..RACES {
        let key = case.key(&format!("contested-{race}"));
        let start = Arc::new(Barrier::new(RACERS));
        let mut racers = JoinSet::new();
        for racer in 0..RACERS {
            let (store, key, start) = (Arc::clone(store), key.clone(), Arc::clone(&start));
            racers.spawn(async move {
                let value = format!("racer {racer}").into_bytes();
                start.wait().await;
                (value.clone(), store.create(&key, value).await)
            });
        }
        let mut winners = Vec::new();
        while let Some(raced) = racers.join_next().await {
            match finished(&case, raced) {
                (value, Ok(revision)) => winners.push((value, revision)),
                (_, Err(StorageError::AlreadyExists { key: refused })) => {
                    case.same("key named by AlreadyExists", refused.as_str(), key.as_str());
                }
                (_, Err(error)) => case.fail(format!(
                    "racing create of {key}: expected success or AlreadyExists, got `{error}` \
                     ({error:?})"
                )),
            }
        }
        case.same(format!("winners of the race to create {key}"), winners.len(), 1);
        let (value, revision) = winners.remove(0);
        let stored = case.ok(format!("get {key}"), store.get(&key).await);
        case.same(
            format!("value of {key}: the winner's"),
            String::from_utf8_lossy(&stored.value),
            String::from_utf8_lossy(&value),
        );
        case.same(
            format!("(create, mod) revisions of {key}: the winner's"),
            (stored.create_revision, stored.mod_revision),
            (revision, revision),
        );
    }
}
