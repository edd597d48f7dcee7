//! Controller references: the `ownerReferences` entry with `controller: true` that says which
//! controller a pod (or replica set) belongs to, and the claiming rules that decide, for one
//! controller, which objects it owns, which orphans it adopts and which it releases.

use api_types::labels::Selector;
use api_types::meta::v1::{ObjectMeta, OwnerReference};
use api_types::resource::Resource;

/// The controller reference pointing at `owner`, as controllers write it on what they create
/// (`blockOwnerDeletion` so a foreground delete of the owner waits for them).
pub fn controller_ref<O: Resource>(owner: &O) -> OwnerReference {
    let meta = owner.metadata();
    OwnerReference {
        api_version: O::API_VERSION.to_string(),
        kind: O::KIND.to_string(),
        name: meta.name.clone(),
        uid: meta.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// The object's controller reference, if it has one.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references.iter().find(|reference| reference.controller == Some(true))
}

/// What one controller should do with one candidate object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// It is ours and matches: count it.
    Owned,
    /// An orphan that matches: take it (patch our controller reference onto it), then count it.
    Adopt,
    /// Ours but no longer matching: remove our reference so another controller may take it.
    Release,
    /// Someone else's, or not ours and not matching.
    Ignore,
}

/// How `owner` (with uid `owner_uid`, `owner_deleting` when it has a deletion timestamp)
/// claims `candidate` given its selector, as upstream's controller ref manager: owned objects
/// that stop matching are released, matching orphans are adopted unless either side is being
/// deleted, and an object controlled by someone else is never touched.
pub fn claim(
    owner_uid: &str,
    owner_deleting: bool,
    selector: &Selector,
    candidate: &ObjectMeta,
) -> Claim {
    let matches = selector.matches(&candidate.labels);
    match controller_of(candidate) {
        Some(reference) if reference.uid != owner_uid => Claim::Ignore,
        Some(_) if matches => Claim::Owned,
        Some(_) if owner_deleting || candidate.deletion_timestamp.is_some() => Claim::Ignore,
        Some(_) => Claim::Release,
        None if matches && !owner_deleting && candidate.deletion_timestamp.is_none() => {
            Claim::Adopt
        }
        None => Claim::Ignore,
    }
}

/// The strategic merge patch that adopts an object: adds our controller reference, checking
/// the object's uid so a recreated namesake is not adopted by mistake.
pub fn adoption_patch(reference: &OwnerReference, candidate: &ObjectMeta) -> serde_json::Value {
    serde_json::json!({
        "metadata": {
            "ownerReferences": [reference],
            "uid": candidate.uid,
        }
    })
}

/// The strategic merge patch that releases an object: deletes our reference by its uid (the
/// merge key of `ownerReferences`).
pub fn release_patch(owner_uid: &str, candidate: &ObjectMeta) -> serde_json::Value {
    serde_json::json!({
        "metadata": {
            "ownerReferences": [{"$patch": "delete", "uid": owner_uid}],
            "uid": candidate.uid,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::api::core::v1::ReplicationController;
    use std::collections::BTreeMap;

    fn meta(labels: &[(&str, &str)], controller_uid: Option<&str>) -> ObjectMeta {
        ObjectMeta {
            name: "pod".into(),
            uid: "pod-uid".into(),
            labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            owner_references: controller_uid
                .map(|uid| OwnerReference {
                    api_version: "v1".into(),
                    kind: "ReplicationController".into(),
                    name: "rc".into(),
                    uid: uid.into(),
                    controller: Some(true),
                    block_owner_deletion: Some(true),
                })
                .into_iter()
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn references_point_at_the_owner() {
        let mut rc = ReplicationController::default();
        rc.metadata.name = "frontend".into();
        rc.metadata.uid = "rc-uid".into();
        let reference = controller_ref(&rc);
        assert_eq!(
            serde_json::to_value(&reference).unwrap(),
            serde_json::json!({"apiVersion": "v1", "kind": "ReplicationController",
                "name": "frontend", "uid": "rc-uid", "controller": true,
                "blockOwnerDeletion": true})
        );
    }

    #[test]
    fn claiming_follows_ownership_and_labels() {
        let selector = Selector::from_set(&BTreeMap::from([("app".into(), "web".into())]));
        let web = [("app", "web")];
        let other = [("app", "db")];
        assert_eq!(claim("rc-uid", false, &selector, &meta(&web, Some("rc-uid"))), Claim::Owned);
        assert_eq!(claim("rc-uid", false, &selector, &meta(&web, None)), Claim::Adopt);
        assert_eq!(claim("rc-uid", true, &selector, &meta(&web, None)), Claim::Ignore);
        assert_eq!(
            claim("rc-uid", false, &selector, &meta(&other, Some("rc-uid"))),
            Claim::Release
        );
        assert_eq!(claim("rc-uid", false, &selector, &meta(&web, Some("someone"))), Claim::Ignore);
        assert_eq!(claim("rc-uid", false, &selector, &meta(&other, None)), Claim::Ignore);
        let mut deleting = meta(&web, None);
        deleting.deletion_timestamp = Some("2024-01-01T00:00:00Z".parse().unwrap());
        assert_eq!(claim("rc-uid", false, &selector, &deleting), Claim::Ignore);
    }

    #[test]
    fn patches_name_the_reference_and_the_uid() {
        let candidate = meta(&[], None);
        let reference = controller_of(&meta(&[], Some("rc-uid"))).unwrap().clone();
        let adopt = adoption_patch(&reference, &candidate);
        assert_eq!(adopt["metadata"]["ownerReferences"][0]["uid"], "rc-uid");
        assert_eq!(adopt["metadata"]["uid"], "pod-uid");
        let release = release_patch("rc-uid", &candidate);
        assert_eq!(release["metadata"]["ownerReferences"][0]["$patch"], "delete");
    }
}
