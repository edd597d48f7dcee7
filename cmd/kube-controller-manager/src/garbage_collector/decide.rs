//! What the collector does with one object once it has read the object and each of its owners
//! from the apiserver (upstream's `attemptToDeleteItem` and `classifyReferences`). Pure: the
//! controller does the reading and carries out the [`Decision`].

use api_types::meta::v1::{ObjectMeta, OwnerReference, propagation_policy};
use api_types::validation::meta::{FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS};
use serde_json::{Value, json};

/// What the apiserver said about one owner reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerState {
    /// The owner exists with the referenced uid and is not being deleted in the foreground.
    Solid,
    /// No such object, or an object of that name with another uid (deleted and recreated).
    Dangling,
    /// The owner exists and is being deleted in the foreground: it waits for its dependents.
    WaitingForDependents,
}

/// What to do with one dependent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Leave it: not a dependent, already going, or it still has an owner.
    Keep,
    /// It has a live owner: remove only the references to owners that are gone or are waiting
    /// for it (so it no longer blocks them), by uid.
    RemoveOwners(Vec<String>),
    /// Garbage: delete it with this propagation policy. `unblock` lists the owner uids whose
    /// references must first lose `blockOwnerDeletion` (a foreground cycle would otherwise
    /// wait forever).
    Delete { policy: &'static str, unblock: Vec<String> },
}

/// Whether `meta` carries `finalizer`.
pub fn has_finalizer(meta: &ObjectMeta, finalizer: &str) -> bool {
    meta.finalizers.iter().any(|present| present == finalizer)
}

/// Whether the object is being deleted in the foreground (its dependents go first).
pub fn deleting_dependents(meta: &ObjectMeta) -> bool {
    meta.deletion_timestamp.is_some() && has_finalizer(meta, FINALIZER_DELETE_DEPENDENTS)
}

/// Decides about the live object `meta`, whose owner references (in order) are in `owners`.
/// `has_dependents` says whether anything names it as an owner, and
/// `dependent_deleting_dependents` whether one of those is itself being deleted in the
/// foreground.
pub fn decide(
    meta: &ObjectMeta,
    owners: &[(OwnerReference, OwnerState)],
    has_dependents: bool,
    dependent_deleting_dependents: bool,
) -> Decision {
    if owners.is_empty() {
        return Decision::Keep;
    }
    let with = |wanted: OwnerState| -> Vec<String> {
        owners
            .iter()
            .filter(|(_, state)| *state == wanted)
            .map(|(reference, _)| reference.uid.clone())
            .collect()
    };
    let solid = with(OwnerState::Solid);
    let dangling = with(OwnerState::Dangling);
    let waiting = with(OwnerState::WaitingForDependents);
    if !solid.is_empty() {
        let mut remove = dangling;
        remove.extend(waiting);
        return if remove.is_empty() { Decision::Keep } else { Decision::RemoveOwners(remove) };
    }
    if !waiting.is_empty() && has_dependents {
        let unblock = if dependent_deleting_dependents {
            owners
                .iter()
                .filter(|(reference, state)| {
                    *state == OwnerState::WaitingForDependents
                        && reference.block_owner_deletion == Some(true)
                })
                .map(|(reference, _)| reference.uid.clone())
                .collect()
        } else {
            Vec::new()
        };
        return Decision::Delete { policy: propagation_policy::FOREGROUND, unblock };
    }
    let policy = if has_finalizer(meta, FINALIZER_ORPHAN_DEPENDENTS) {
        propagation_policy::ORPHAN
    } else if has_finalizer(meta, FINALIZER_DELETE_DEPENDENTS) {
        propagation_policy::FOREGROUND
    } else {
        propagation_policy::BACKGROUND
    };
    Decision::Delete { policy, unblock: Vec::new() }
}

/// The strategic merge patch deleting the references to `owner_uids` from the object with uid
/// `uid` (the uid guards against a recreated namesake).
pub fn remove_owners_patch(uid: &str, owner_uids: &[String]) -> Value {
    let deletions: Vec<Value> =
        owner_uids.iter().map(|owner| json!({"$patch": "delete", "uid": owner})).collect();
    json!({"metadata": {"ownerReferences": deletions, "uid": uid}})
}

/// The strategic merge patch turning off `blockOwnerDeletion` on the references to
/// `owner_uids`.
pub fn unblock_owners_patch(uid: &str, owners: &[OwnerReference], owner_uids: &[String]) -> Value {
    let references: Vec<Value> = owners
        .iter()
        .filter(|reference| owner_uids.contains(&reference.uid))
        .map(|reference| {
            let mut reference = reference.clone();
            reference.block_owner_deletion = Some(false);
            json!(reference)
        })
        .collect();
    json!({"metadata": {"ownerReferences": references, "uid": uid}})
}

/// The merge patch that removes `finalizer` from an object read at `resource_version` (a
/// concurrent change makes it fail with a conflict rather than lose the other change).
pub fn remove_finalizer_patch(meta: &ObjectMeta, finalizer: &str) -> Value {
    let rest: Vec<&String> = meta.finalizers.iter().filter(|f| *f != finalizer).collect();
    json!({"metadata": {"finalizers": rest, "resourceVersion": meta.resource_version}})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(uid: &str, block: bool) -> OwnerReference {
        OwnerReference {
            api_version: "v1".into(),
            kind: "ReplicationController".into(),
            name: format!("rc-{uid}"),
            uid: uid.into(),
            controller: Some(true),
            block_owner_deletion: Some(block),
        }
    }

    fn meta(finalizers: &[&str]) -> ObjectMeta {
        ObjectMeta {
            uid: "pod".into(),
            finalizers: finalizers.iter().map(|f| f.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn objects_without_owners_or_with_live_owners_are_kept() {
        assert_eq!(decide(&meta(&[]), &[], false, false), Decision::Keep);
        let owners = [(reference("a", true), OwnerState::Solid)];
        assert_eq!(decide(&meta(&[]), &owners, false, false), Decision::Keep);
    }

    #[test]
    fn a_live_owner_keeps_the_object_but_gone_and_waiting_owners_are_removed() {
        let owners = [
            (reference("gone", true), OwnerState::Dangling),
            (reference("live", true), OwnerState::Solid),
            (reference("waiting", true), OwnerState::WaitingForDependents),
        ];
        assert_eq!(
            decide(&meta(&[]), &owners, false, false),
            Decision::RemoveOwners(vec!["gone".into(), "waiting".into()])
        );
    }

    #[test]
    fn orphans_are_deleted_honouring_their_own_finalizers() {
        let owners = [(reference("gone", true), OwnerState::Dangling)];
        let policy = |finalizers: &[&str]| match decide(&meta(finalizers), &owners, true, false) {
            Decision::Delete { policy, .. } => policy,
            other => panic!("{other:?}"),
        };
        assert_eq!(policy(&[]), "Background");
        assert_eq!(policy(&[FINALIZER_ORPHAN_DEPENDENTS]), "Orphan");
        assert_eq!(policy(&[FINALIZER_DELETE_DEPENDENTS]), "Foreground");
    }

    #[test]
    fn dependents_of_a_foreground_deletion_go_in_the_foreground_when_they_own_things() {
        let owners = [(reference("owner", true), OwnerState::WaitingForDependents)];
        assert_eq!(
            decide(&meta(&[]), &owners, false, false),
            Decision::Delete { policy: "Background", unblock: vec![] },
            "a leaf goes in the background"
        );
        assert_eq!(
            decide(&meta(&[]), &owners, true, false),
            Decision::Delete { policy: "Foreground", unblock: vec![] }
        );
        assert_eq!(
            decide(&meta(&[]), &owners, true, true),
            Decision::Delete { policy: "Foreground", unblock: vec!["owner".into()] },
            "a cycle is broken by unblocking the owner"
        );
    }

    #[test]
    fn patches_name_uids_and_versions() {
        let patch = remove_owners_patch("pod", &["a".into(), "b".into()]);
        assert_eq!(
            patch["metadata"]["ownerReferences"][1],
            json!({"$patch": "delete", "uid": "b"})
        );
        assert_eq!(patch["metadata"]["uid"], "pod");
        let unblock = unblock_owners_patch("pod", &[reference("a", true)], &["a".into()]);
        assert_eq!(unblock["metadata"]["ownerReferences"][0]["blockOwnerDeletion"], false);
        let mut owner = meta(&["example.com/x", FINALIZER_ORPHAN_DEPENDENTS]);
        owner.resource_version = "42".into();
        assert_eq!(
            remove_finalizer_patch(&owner, FINALIZER_ORPHAN_DEPENDENTS),
            json!({"metadata": {"finalizers": ["example.com/x"], "resourceVersion": "42"}})
        );
    }
}
