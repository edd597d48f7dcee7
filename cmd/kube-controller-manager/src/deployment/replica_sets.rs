//! A deployment's ReplicaSets, decided without side effects: which one is the new one (its
//! template is the deployment's), what a new one looks like, which annotations it carries, how
//! a change of `spec.replicas` alone is spread over the active ones (upstream's proportional
//! scaling), and which old ones are past the history limit.

use super::revision::{
    DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION, revision_of, set_revision,
};
use super::rolling::{Fenceposts, desired_replicas, is_recreate, rs_replicas};
use super::template_hash::{POD_TEMPLATE_HASH_LABEL, equal_ignoring_hash};
use crate::controller::owner::controller_ref;
use api_types::api::apps::v1::{Deployment, ReplicaSet, ReplicaSetSpec};
use api_types::meta::v1::ObjectMeta;
use api_types::resource::Resource;
use std::cmp::Ordering;

/// Deployment annotations that are the controller's own bookkeeping (or kubectl's) and so are
/// not copied onto ReplicaSets.
const NOT_COPIED: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    "deprecated.deployment.rollback.to",
];

/// Oldest first (then by name), the order old ReplicaSets are scaled down in.
pub fn by_creation(left: &ReplicaSet, right: &ReplicaSet) -> Ordering {
    let created = |rs: &ReplicaSet| rs.metadata.creation_timestamp.map(|time| time.0);
    created(left).cmp(&created(right)).then_with(|| left.metadata.name.cmp(&right.metadata.name))
}

/// Whether a ReplicaSet is asked for any pods.
pub fn is_active(rs: &ReplicaSet) -> bool {
    rs_replicas(rs) > 0
}

/// The ReplicaSet whose template is the deployment's (the oldest, should there be several).
pub fn find_new<'a>(deployment: &Deployment, sets: &[&'a ReplicaSet]) -> Option<&'a ReplicaSet> {
    let mut sorted = sets.to_vec();
    sorted.sort_by(|left, right| by_creation(left, right));
    sorted.into_iter().find(|rs| equal_ignoring_hash(&rs.spec.template, &deployment.spec.template))
}

/// The ReplicaSet for the deployment's current template: named `<deployment>-<hash>`, the hash
/// label on its labels, selector and template, owned by the deployment, with the revision and
/// replica annotations and the deployment's own annotations.
pub fn new_replica_set(
    deployment: &Deployment,
    hash: &str,
    revision: i64,
    replicas: i32,
    bounds: Fenceposts,
) -> ReplicaSet {
    let mut template = deployment.spec.template.clone();
    template.metadata.labels.insert(POD_TEMPLATE_HASH_LABEL.into(), hash.into());
    let mut selector = deployment.spec.selector.clone().unwrap_or_default();
    selector.match_labels.insert(POD_TEMPLATE_HASH_LABEL.into(), hash.into());
    let mut rs = ReplicaSet {
        metadata: ObjectMeta {
            name: format!("{}-{hash}", deployment.metadata.name),
            namespace: deployment.metadata.namespace.clone(),
            labels: template.metadata.labels.clone(),
            owner_references: vec![controller_ref(deployment)],
            ..Default::default()
        },
        spec: ReplicaSetSpec {
            replicas: Some(replicas),
            min_ready_seconds: deployment.spec.min_ready_seconds,
            selector: Some(selector),
            template,
        },
        ..Default::default()
    };
    rs.set_type_meta();
    sync_new_annotations(deployment, &mut rs, revision);
    set_replicas_annotations(&mut rs, deployment, bounds);
    rs
}

/// Brings the new ReplicaSet's annotations up to date: the deployment's own annotations
/// (`kubernetes.io/change-cause` among them) and `revision` when it is higher than the one it
/// has (an old template made current again by `rollout undo`; its old revision goes to the
/// history annotation). Returns whether anything changed.
pub fn sync_new_annotations(deployment: &Deployment, rs: &mut ReplicaSet, revision: i64) -> bool {
    let mut changed = false;
    for (key, value) in &deployment.metadata.annotations {
        if NOT_COPIED.contains(&key.as_str()) || rs.metadata.annotations.get(key) == Some(value) {
            continue;
        }
        rs.metadata.annotations.insert(key.clone(), value.clone());
        changed = true;
    }
    if revision_of(&rs.metadata) < revision {
        changed |= set_revision(&mut rs.metadata, revision);
    }
    changed
}

/// Records the deployment's `replicas` and `replicas + maxSurge` on a ReplicaSet (what
/// proportional scaling and scaling detection read); returns whether they changed.
pub fn set_replicas_annotations(
    rs: &mut ReplicaSet,
    deployment: &Deployment,
    bounds: Fenceposts,
) -> bool {
    let desired = desired_replicas(deployment);
    let wanted = [
        (DESIRED_REPLICAS_ANNOTATION, desired.to_string()),
        (MAX_REPLICAS_ANNOTATION, (desired + bounds.max_surge).to_string()),
    ];
    let mut changed = false;
    for (key, value) in wanted {
        if rs.metadata.annotations.get(key) != Some(&value) {
            rs.metadata.annotations.insert(key.into(), value);
            changed = true;
        }
    }
    changed
}

fn annotated_replicas(rs: &ReplicaSet, key: &str) -> Option<i32> {
    rs.metadata.annotations.get(key).and_then(|value| value.parse().ok())
}

/// Whether `spec.replicas` changed since the active ReplicaSets were last sized: one of them
/// records another desired count. Such a sync only scales, it does not roll.
pub fn is_scaling_event(deployment: &Deployment, sets: &[&ReplicaSet]) -> bool {
    let desired = desired_replicas(deployment);
    sets.iter().filter(|rs| is_active(rs)).any(|rs| {
        annotated_replicas(rs, DESIRED_REPLICAS_ANNOTATION).is_some_and(|value| value != desired)
    })
}

/// The sizes the ReplicaSets should have after a change of `spec.replicas` alone (upstream's
/// `scale`): with one active ReplicaSet (or none: the newest) it gets all replicas; with a
/// saturated new one the old ones go to zero; otherwise, in a rolling update, the difference to
/// `replicas + maxSurge` is spread in proportion to their sizes, the remainder going to the
/// largest. Returns `(name, replicas)` for every ReplicaSet to (re)size.
pub fn scale_targets(
    deployment: &Deployment,
    new_rs: Option<&ReplicaSet>,
    old: &[&ReplicaSet],
    bounds: Fenceposts,
) -> Vec<(String, i32)> {
    let desired = desired_replicas(deployment);
    let mut all: Vec<&ReplicaSet> = old.to_vec();
    all.extend(new_rs);
    let active: Vec<&ReplicaSet> = all.iter().copied().filter(|rs| is_active(rs)).collect();
    let only = match active.as_slice() {
        [] => new_rs.or_else(|| all.iter().copied().max_by(|l, r| by_creation(l, r))),
        [single] => Some(*single),
        _ => None,
    };
    if let Some(rs) = only {
        return if rs_replicas(rs) == desired {
            Vec::new()
        } else {
            vec![(rs.metadata.name.clone(), desired)]
        };
    }
    if let Some(new) = new_rs
        && annotated_replicas(new, DESIRED_REPLICAS_ANNOTATION) == Some(desired)
        && rs_replicas(new) == desired
        && new.status.available_replicas == desired
    {
        return old
            .iter()
            .filter(|rs| is_active(rs))
            .map(|rs| (rs.metadata.name.clone(), 0))
            .collect();
    }
    if is_recreate(deployment) {
        return Vec::new();
    }
    let allowed = if desired > 0 { desired + bounds.max_surge } else { 0 };
    let current: i32 = active.iter().map(|rs| rs_replicas(rs)).sum();
    let to_add = allowed - current;
    let mut sorted = active;
    let newer_first = |l: &&ReplicaSet, r: &&ReplicaSet| by_creation(r, l);
    // Largest first; ties: newer first when growing, older first when shrinking.
    if to_add >= 0 {
        sorted.sort_by(|l, r| rs_replicas(r).cmp(&rs_replicas(l)).then_with(|| newer_first(l, r)));
    } else {
        sorted.sort_by(|l, r| rs_replicas(r).cmp(&rs_replicas(l)).then_with(|| by_creation(l, r)));
    }
    let mut added = 0;
    let mut sizes: Vec<(String, i32)> = sorted
        .iter()
        .map(|rs| {
            let share = proportion(rs, deployment, bounds, to_add, added);
            added += share;
            (rs.metadata.name.clone(), rs_replicas(rs) + share)
        })
        .collect();
    if let Some(largest) = sizes.first_mut() {
        largest.1 = (largest.1 + to_add - added).max(0);
    }
    sizes
}

/// The share of `to_add` (less what was `added` already) a ReplicaSet takes: its size scaled
/// by how the deployment's maximum changed since it was last sized.
fn proportion(
    rs: &ReplicaSet,
    deployment: &Deployment,
    bounds: Fenceposts,
    to_add: i32,
    added: i32,
) -> i32 {
    let replicas = rs_replicas(rs);
    if replicas == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let desired = desired_replicas(deployment);
    let fraction = if desired == 0 {
        -replicas
    } else {
        match annotated_replicas(rs, MAX_REPLICAS_ANNOTATION) {
            Some(before) if before > 0 => {
                let scaled =
                    f64::from(replicas) * f64::from(desired + bounds.max_surge) / f64::from(before);
                // Whole pods: the nearest count, as upstream rounds.
                #[allow(clippy::cast_possible_truncation)]
                let rounded = scaled.round() as i32;
                rounded - replicas
            }
            _ => desired - replicas,
        }
    };
    let allowed = to_add - added;
    if to_add > 0 { fraction.min(allowed) } else { fraction.max(allowed) }
}

/// The old ReplicaSets to delete beyond `revisionHistoryLimit` (10 when unset): lowest revision
/// first, and only those already scaled to zero with nothing left running.
pub fn cleanup_victims(deployment: &Deployment, old: &[&ReplicaSet]) -> Vec<String> {
    let limit = usize::try_from(deployment.spec.revision_history_limit.unwrap_or(10)).unwrap_or(0);
    let mut alive: Vec<&ReplicaSet> =
        old.iter().copied().filter(|rs| rs.metadata.deletion_timestamp.is_none()).collect();
    if alive.len() <= limit {
        return Vec::new();
    }
    let surplus = alive.len() - limit;
    alive.sort_by(|l, r| {
        revision_of(&l.metadata).cmp(&revision_of(&r.metadata)).then_with(|| by_creation(l, r))
    });
    alive
        .into_iter()
        .take(surplus)
        .filter(|rs| {
            rs.status.replicas == 0
                && rs_replicas(rs) == 0
                && rs.metadata.generation <= rs.status.observed_generation
        })
        .map(|rs| rs.metadata.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::revision::CHANGE_CAUSE_ANNOTATION;
    use crate::deployment::template_hash::template_hash;
    use serde_json::json;

    fn deployment(replicas: i32, image: &str) -> Deployment {
        serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "prod", "uid": "d-uid",
                         "annotations": {"kubernetes.io/change-cause": "set image",
                                         "deployment.kubernetes.io/revision": "7"}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": image}]}}}
        }))
        .unwrap()
    }

    fn rs(name: &str, replicas: i32, created: &str, annotations: serde_json::Value) -> ReplicaSet {
        serde_json::from_value(json!({
            "metadata": {"name": name, "creationTimestamp": created, "annotations": annotations},
            "spec": {"replicas": replicas, "template": {"metadata": {"labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "c", "image": name}]}}},
            "status": {"replicas": replicas, "availableReplicas": replicas}
        }))
        .unwrap()
    }

    const BOUNDS: Fenceposts = Fenceposts { max_surge: 1, max_unavailable: 0 };

    #[test]
    fn a_new_replica_set_carries_hash_owner_and_annotations() {
        let d = deployment(3, "nginx:1");
        let hash = template_hash(&d.spec.template, None);
        let new = new_replica_set(&d, &hash, 2, 1, BOUNDS);
        assert_eq!(new.metadata.name, format!("web-{hash}"));
        assert_eq!(new.metadata.namespace, "prod");
        assert_eq!(new.metadata.labels[POD_TEMPLATE_HASH_LABEL], hash);
        assert_eq!(new.spec.template.metadata.labels[POD_TEMPLATE_HASH_LABEL], hash);
        let selector = new.spec.selector.as_ref().unwrap();
        assert_eq!(selector.match_labels[POD_TEMPLATE_HASH_LABEL], hash);
        assert_eq!(selector.match_labels["app"], "web");
        assert_eq!(new.metadata.owner_references[0].uid, "d-uid");
        let annotations = &new.metadata.annotations;
        assert_eq!(annotations[REVISION_ANNOTATION], "2");
        assert_eq!(annotations[CHANGE_CAUSE_ANNOTATION], "set image");
        assert_eq!(annotations[DESIRED_REPLICAS_ANNOTATION], "3");
        assert_eq!(annotations[MAX_REPLICAS_ANNOTATION], "4");
        assert_eq!(new.spec.replicas, Some(1));
        assert_eq!(
            find_new(&d, &[&new]).map(|rs| rs.metadata.name.as_str()),
            Some(&*new.metadata.name)
        );
        assert!(find_new(&deployment(3, "nginx:2"), &[&new]).is_none());
    }

    #[test]
    fn an_undone_template_gets_a_higher_revision_and_keeps_its_history() {
        let d = deployment(3, "nginx:1");
        let mut old = rs("web-a", 0, "2024-01-01T00:00:00Z", json!({REVISION_ANNOTATION: "1"}));
        assert!(sync_new_annotations(&d, &mut old, 3));
        assert_eq!(old.metadata.annotations[REVISION_ANNOTATION], "3");
        assert_eq!(old.metadata.annotations[REVISION_HISTORY_ANNOTATION], "1");
        assert!(!sync_new_annotations(&d, &mut old, 3), "nothing left to change");
        assert!(!sync_new_annotations(&d, &mut old, 2), "a revision never goes down");
    }

    #[test]
    fn scaling_goes_to_the_only_active_set_or_proportionally() {
        let d = deployment(5, "nginx:1");
        let sized = json!({DESIRED_REPLICAS_ANNOTATION: "3", MAX_REPLICAS_ANNOTATION: "4"});
        let old = rs("old", 0, "2024-01-01T00:00:00Z", sized.clone());
        let current = rs("current", 3, "2024-01-02T00:00:00Z", sized.clone());
        assert!(is_scaling_event(&d, &[&old, &current]));
        assert!(!is_scaling_event(&deployment(3, "x"), &[&old, &current]));
        assert_eq!(scale_targets(&d, Some(&current), &[&old], BOUNDS), [("current".into(), 5)]);

        // Mid-rollout 2 old + 2 new (max 4) scaled to 7 (max 8): each doubles.
        let d = deployment(7, "nginx:1");
        let old = rs("old", 2, "2024-01-01T00:00:00Z", sized.clone());
        let mut new = rs("new", 2, "2024-01-02T00:00:00Z", sized);
        new.status.available_replicas = 0;
        let mut targets = scale_targets(&d, Some(&new), &[&old], BOUNDS);
        targets.sort();
        assert_eq!(targets, [("new".into(), 4), ("old".into(), 4)]);
    }

    #[test]
    fn only_drained_sets_beyond_the_limit_are_cleaned_oldest_revision_first() {
        let mut d = deployment(1, "nginx:1");
        d.spec.revision_history_limit = Some(1);
        let r1 = rs("r1", 0, "2024-01-03T00:00:00Z", json!({REVISION_ANNOTATION: "1"}));
        let r2 = rs("r2", 1, "2024-01-02T00:00:00Z", json!({REVISION_ANNOTATION: "2"}));
        let r3 = rs("r3", 0, "2024-01-01T00:00:00Z", json!({REVISION_ANNOTATION: "3"}));
        // Two past the limit: r1 and r2, but r2 still has a replica.
        assert_eq!(cleanup_victims(&d, &[&r3, &r2, &r1]), ["r1"]);
        d.spec.revision_history_limit = None;
        assert!(cleanup_victims(&d, &[&r3, &r2, &r1]).is_empty());
    }
}
