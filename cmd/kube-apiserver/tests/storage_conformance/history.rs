//! The writes a case made, in order: the expectation its reads and watches are checked against.
//! Writing through [`History`] also checks each write on the spot: it succeeds, its revision is
//! above every earlier write of the case, and a delete returns the value it removed.

use super::Store;
use super::check::Case;
use kube_apiserver::storage::{KeyValue, Revision, WatchEvent, WatchEventKind};
use std::collections::BTreeMap;

/// Every successful write of one case, as the watch event it must produce.
#[derive(Default)]
pub struct History {
    changes: Vec<WatchEvent>,
}

impl History {
    /// Creates `key`, which must not exist, and records the write.
    pub async fn create(
        &mut self,
        case: &Case,
        store: &Store,
        key: &str,
        value: impl Into<Vec<u8>>,
    ) -> Revision {
        let value = value.into();
        let revision = case.ok(format!("create {key}"), store.create(key, value.clone()).await);
        self.check_advances(case, "create", key, revision);
        let created = KeyValue {
            key: key.to_string(),
            value,
            create_revision: revision,
            mod_revision: revision,
        };
        self.record(WatchEventKind::Created, revision, created, None);
        revision
    }

    /// Updates `key`, compare-and-swap on the revision this history last saw for it.
    pub async fn update(
        &mut self,
        case: &Case,
        store: &Store,
        key: &str,
        value: impl Into<Vec<u8>>,
    ) -> Revision {
        let value = value.into();
        let old = self.written(case, key);
        let revision = case.ok(
            format!("update {key} at revision {}", old.mod_revision),
            store.update(key, value.clone(), old.mod_revision).await,
        );
        self.check_advances(case, "update", key, revision);
        let updated = KeyValue {
            key: key.to_string(),
            value,
            create_revision: old.create_revision,
            mod_revision: revision,
        };
        self.record(WatchEventKind::Modified, revision, updated, Some(old));
        revision
    }

    /// Deletes `key`, with the revision this history last saw for it as precondition when
    /// `with_precondition`, and checks the returned value is the one deleted.
    pub async fn delete(
        &mut self,
        case: &Case,
        store: &Store,
        key: &str,
        with_precondition: bool,
    ) -> Revision {
        let old = self.written(case, key);
        let precondition = with_precondition.then_some(old.mod_revision);
        let (deleted, revision) = case.ok(
            format!("delete {key} (precondition {precondition:?})"),
            store.delete(key, precondition).await,
        );
        case.same_kv(format!("value returned by delete {key}"), &deleted, &old);
        self.check_advances(case, "delete", key, revision);
        self.record(WatchEventKind::Deleted, revision, old.clone(), Some(old));
        revision
    }

    /// The revision of the case's latest write (0 before any).
    pub fn last_revision(&self) -> Revision {
        self.changes.last().map_or(0, |change| change.revision)
    }

    /// The revision of every write, in order.
    pub fn revisions(&self) -> Vec<Revision> {
        self.changes.iter().map(|change| change.revision).collect()
    }

    /// The key's value after the case's latest write, if it exists then.
    pub fn current(&self, key: &str) -> Option<KeyValue> {
        self.state_at(Revision::MAX).remove(key)
    }

    /// What a list of `prefix` at `revision` must return, in key order.
    pub fn list_at(&self, prefix: &str, revision: Revision) -> Vec<KeyValue> {
        self.state_at(revision)
            .into_iter()
            .filter(|(key, _)| key.starts_with(prefix))
            .map(|(_, kv)| kv)
            .collect()
    }

    /// The events a watch of `key` (or of everything under it, when `prefix`) opened after
    /// `revision` must deliver, in order.
    pub fn events_after(&self, revision: Revision, key: &str, prefix: bool) -> Vec<WatchEvent> {
        self.changes
            .iter()
            .filter(|change| change.revision > revision)
            .filter(|change| {
                let changed = &change.object.as_ref().expect("recorded with object").key;
                if prefix { changed.starts_with(key) } else { changed == key }
            })
            .cloned()
            .collect()
    }

    fn state_at(&self, revision: Revision) -> BTreeMap<String, KeyValue> {
        let mut state = BTreeMap::new();
        for change in self.changes.iter().take_while(|c| c.revision <= revision) {
            let object = change.object.clone().expect("recorded with object");
            match change.kind {
                WatchEventKind::Deleted => state.remove(&object.key),
                _ => state.insert(object.key.clone(), object),
            };
        }
        state
    }

    #[track_caller]
    fn written(&self, case: &Case, key: &str) -> KeyValue {
        self.current(key).unwrap_or_else(|| {
            case.fail(format!(
                "the case itself is wrong: it changes {key}, which it has not created"
            ))
        })
    }

    #[track_caller]
    fn check_advances(&self, case: &Case, operation: &str, key: &str, revision: Revision) {
        let previous = self.last_revision();
        case.ensure(revision > previous, || {
            format!(
                "{operation} {key} returned revision {revision}, not above the case's previous \
                 write at revision {previous}: revisions must strictly increase"
            )
        });
    }

    fn record(
        &mut self,
        kind: WatchEventKind,
        revision: Revision,
        object: KeyValue,
        previous: Option<KeyValue>,
    ) {
        self.changes.push(WatchEvent { kind, revision, object: Some(object), previous });
    }
}
