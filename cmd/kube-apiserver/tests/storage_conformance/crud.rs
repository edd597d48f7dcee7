//! Single-key operations: create, get, compare-and-swap update, delete with and without
//! precondition, and the revisions each write leaves behind.

use super::Store;
use super::check::Case;
use super::history::History;
use kube_apiserver::storage::{KeyValue, StorageError};

/// Create stores a new key exactly once; get returns it with both revisions set to the create's;
/// a second create fails with AlreadyExists and changes nothing; neighbouring keys stay absent.
pub async fn case_create_get(store: &Store) {
    let case = Case::new("create_get");
    let key = case.key("object");
    case.fails_with(format!("get {key} before it exists"), store.get(&key).await, not_found(&key));

    let mut history = History::default();
    let created = history.create(&case, store, &key, "first").await;
    let expected = KeyValue {
        key: key.clone(),
        value: b"first".to_vec(),
        create_revision: created,
        mod_revision: created,
    };
    let got = case.ok(format!("get {key}"), store.get(&key).await);
    case.same_kv("get after create", &got, &expected);

    case.fails_with(
        format!("second create of {key}"),
        store.create(&key, b"second".to_vec()).await,
        StorageError::AlreadyExists { key: key.clone() },
    );
    let got = case.ok(format!("get {key}"), store.get(&key).await);
    case.same_kv("get after the refused create", &got, &expected);

    for neighbour in [case.key("objec"), case.key("object-2"), case.key("object/child")] {
        case.fails_with(
            format!("get {neighbour}, a neighbour of the only key written"),
            store.get(&neighbour).await,
            not_found(&neighbour),
        );
    }
}

/// Update succeeds only at the key's current revision; a stale revision fails with Conflict
/// naming the actual revision and leaves the value alone; a missing key is NotFound.
pub async fn case_update_compare_and_swap(store: &Store) {
    let case = Case::new("update_compare_and_swap");
    let key = case.key("object");
    let mut history = History::default();
    let created = history.create(&case, store, &key, "v1").await;
    let updated = history.update(&case, store, &key, "v2").await;
    let expected = KeyValue {
        key: key.clone(),
        value: b"v2".to_vec(),
        create_revision: created,
        mod_revision: updated,
    };
    let got = case.ok(format!("get {key}"), store.get(&key).await);
    case.same_kv("get after update", &got, &expected);

    case.fails_with(
        format!("update {key} at the stale revision {created}"),
        store.update(&key, b"lost".to_vec(), created).await,
        StorageError::Conflict { key: key.clone(), expected: created, actual: updated },
    );
    let got = case.ok(format!("get {key}"), store.get(&key).await);
    case.same_kv("get after the refused update", &got, &expected);

    history.update(&case, store, &key, "v3").await;
    let missing = case.key("missing");
    case.fails_with(
        format!("update of the missing key {missing}"),
        store.update(&missing, b"x".to_vec(), updated).await,
        not_found(&missing),
    );
    case.fails_with(
        format!("get {missing} after the refused update"),
        store.get(&missing).await,
        not_found(&missing),
    );
}

/// Delete returns the value it removed; with a stale precondition it fails with Conflict and
/// keeps the key; deleting or updating a missing key is NotFound; a re-created key starts over.
pub async fn case_delete(store: &Store) {
    let case = Case::new("delete");
    let key = case.key("guarded");
    let mut history = History::default();
    let created = history.create(&case, store, &key, "v1").await;
    let updated = history.update(&case, store, &key, "v2").await;

    case.fails_with(
        format!("delete {key} with the stale precondition {created}"),
        store.delete(&key, Some(created)).await,
        StorageError::Conflict { key: key.clone(), expected: created, actual: updated },
    );
    let kept = case.ok(format!("get {key} after the refused delete"), store.get(&key).await);
    case.same("revision after the refused delete", kept.mod_revision, updated);

    // History::delete checks the returned value and that the delete's revision is newer.
    history.delete(&case, store, &key, true).await;
    case.fails_with(format!("get {key} after delete"), store.get(&key).await, not_found(&key));
    case.fails_with(format!("delete {key} again"), store.delete(&key, None).await, not_found(&key));
    case.fails_with(
        format!("delete {key} again with a precondition"),
        store.delete(&key, Some(updated)).await,
        not_found(&key),
    );
    case.fails_with(
        format!("update of the deleted {key}"),
        store.update(&key, b"v3".to_vec(), updated).await,
        not_found(&key),
    );

    let plain = case.key("unguarded");
    history.create(&case, store, &plain, "only").await;
    history.delete(&case, store, &plain, false).await;
    case.fails_with(
        format!("get {plain} after delete"),
        store.get(&plain).await,
        not_found(&plain),
    );

    let recreated = history.create(&case, store, &key, "reborn").await;
    let got = case.ok(format!("get re-created {key}"), store.get(&key).await);
    let expected = KeyValue {
        key: key.clone(),
        value: b"reborn".to_vec(),
        create_revision: recreated,
        mod_revision: recreated,
    };
    case.same_kv("get after delete and re-create", &got, &expected);
}

/// Revisions are one global counter: every write, on any key, gets a revision above all earlier
/// ones; `mod_revision` is the revision the write returned; `create_revision` survives updates.
pub async fn case_revisions(store: &Store) {
    let case = Case::new("revisions");
    let before = case.ok("current_revision", store.current_revision().await);
    let (a, b) = (case.key("a"), case.key("b"));
    // Every History write checks that its revision is above the case's previous write.
    let mut history = History::default();
    let a_created = history.create(&case, store, &a, "a1").await;
    case.ensure(a_created > before, || {
        format!("create {a} returned revision {a_created}, not above the current revision {before}")
    });
    history.create(&case, store, &b, "b1").await;
    history.update(&case, store, &a, "a2").await;
    history.delete(&case, store, &b, false).await;
    let a_updated = history.update(&case, store, &a, "a3").await;
    let b_created = history.create(&case, store, &b, "b2").await;

    let expected_a = KeyValue {
        key: a.clone(),
        value: b"a3".to_vec(),
        create_revision: a_created,
        mod_revision: a_updated,
    };
    let got = case.ok(format!("get {a}"), store.get(&a).await);
    case.same_kv("get after two updates", &got, &expected_a);
    let expected_b = KeyValue {
        key: b.clone(),
        value: b"b2".to_vec(),
        create_revision: b_created,
        mod_revision: b_created,
    };
    let got = case.ok(format!("get {b}"), store.get(&b).await);
    case.same_kv("get after delete and re-create", &got, &expected_b);

    // Other cases may write to a shared store meanwhile, so the current revision can be higher.
    let after = case.ok("current_revision", store.current_revision().await);
    case.ensure(after >= b_created, || {
        format!("current revision {after} is below the latest write's revision {b_created}")
    });
}

/// The error for a key that is absent.
pub fn not_found(key: &str) -> StorageError {
    StorageError::NotFound { key: key.to_string() }
}
