//! How far a rolling update may go in one step (upstream's `NewRSNewReplicas`,
//! `reconcileOldReplicaSets`, `cleanupUnhealthyReplicas` and
//! `scaleDownOldReplicaSetsForRollingUpdate`): the new ReplicaSet grows while the total stays
//! within `replicas + maxSurge`, old ones shrink while the available pods stay at or above
//! `replicas - maxUnavailable`, and old pods that are not available anyway go first.

use api_types::api::apps::v1::{Deployment, ReplicaSet};
use api_types::intstr::IntOrString;

/// The bounds of a rolling update, in pods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fenceposts {
    pub max_surge: i32,
    pub max_unavailable: i32,
}

/// `maxSurge` (rounded up) and `maxUnavailable` (rounded down) of the deployment's rolling
/// update as pod counts (defaults 25% each); both zero would never progress, so
/// `maxUnavailable` becomes 1 then. A `Recreate` deployment has neither.
pub fn fenceposts(deployment: &Deployment) -> Result<Fenceposts, String> {
    if is_recreate(deployment) {
        return Ok(Fenceposts { max_surge: 0, max_unavailable: 0 });
    }
    let desired = desired_replicas(deployment);
    let rolling = deployment.spec.strategy.rolling_update.as_ref();
    let quarter = IntOrString::String("25%".into());
    let surge = rolling.and_then(|r| r.max_surge.clone()).unwrap_or_else(|| quarter.clone());
    let unavailable = rolling.and_then(|r| r.max_unavailable.clone()).unwrap_or(quarter);
    let max_surge = surge.scaled_value(desired, true)?;
    let mut max_unavailable = unavailable.scaled_value(desired, false)?;
    if max_surge == 0 && max_unavailable == 0 {
        max_unavailable = 1;
    }
    Ok(Fenceposts { max_surge, max_unavailable: max_unavailable.min(desired) })
}

/// Whether the deployment replaces all pods at once (`strategy.type: Recreate`).
pub fn is_recreate(deployment: &Deployment) -> bool {
    deployment.spec.strategy.type_ == "Recreate"
}

/// `spec.replicas`, 1 when unset.
pub fn desired_replicas(deployment: &Deployment) -> i32 {
    deployment.spec.replicas.unwrap_or(1)
}

/// A ReplicaSet's `spec.replicas`.
pub fn rs_replicas(rs: &ReplicaSet) -> i32 {
    rs.spec.replicas.unwrap_or(1)
}

/// The replicas the new ReplicaSet should have now.
pub fn new_rs_replicas(
    deployment: &Deployment,
    new_rs: &ReplicaSet,
    all: &[&ReplicaSet],
    bounds: Fenceposts,
) -> i32 {
    let desired = desired_replicas(deployment);
    let current_new = rs_replicas(new_rs);
    if current_new >= desired {
        return desired;
    }
    let max_total = desired + bounds.max_surge;
    let total: i32 = all.iter().map(|rs| rs_replicas(rs)).sum();
    if total >= max_total {
        return current_new;
    }
    current_new + (max_total - total).min(desired - current_new)
}

/// The new replica counts of old ReplicaSets (`(name, replicas)`, only those that change), given
/// the new one. Unavailable old pods are scaled away first, then available ones while the
/// deployment keeps its minimum availability.
pub fn old_rs_scale_down(
    deployment: &Deployment,
    new_rs: Option<&ReplicaSet>,
    old: &[&ReplicaSet],
    bounds: Fenceposts,
) -> Vec<(String, i32)> {
    let desired = desired_replicas(deployment);
    let old_total: i32 = old.iter().map(|rs| rs_replicas(rs)).sum();
    if old_total == 0 {
        return Vec::new();
    }
    let new_replicas = new_rs.map_or(0, rs_replicas);
    let new_unavailable =
        new_rs.map_or(0, |rs| (rs_replicas(rs) - rs.status.available_replicas).max(0));
    let min_available = desired - bounds.max_unavailable;
    let all_total = old_total + new_replicas;
    let mut budget = all_total - min_available - new_unavailable;
    if budget <= 0 {
        return Vec::new();
    }
    let mut sorted: Vec<&ReplicaSet> = old.to_vec();
    sorted.sort_by(|a, b| {
        let created = |rs: &ReplicaSet| rs.metadata.creation_timestamp.as_ref().map(|t| t.0);
        created(a).cmp(&created(b)).then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
    let mut targets: Vec<(String, i32)> =
        sorted.iter().map(|rs| (rs.metadata.name.clone(), rs_replicas(rs))).collect();

    // First the old pods that are not available anyway.
    for (rs, target) in sorted.iter().zip(targets.iter_mut()) {
        if budget <= 0 {
            break;
        }
        let unavailable = (target.1 - rs.status.available_replicas).max(0);
        let cut = unavailable.min(budget);
        target.1 -= cut;
        budget -= cut;
    }
    // Then available ones, as long as availability stays at the minimum.
    let available: i32 =
        old.iter().map(|rs| rs.status.available_replicas.min(rs_replicas(rs))).sum::<i32>()
            + new_rs.map_or(0, |rs| rs.status.available_replicas);
    let mut spare = (available - min_available).min(budget);
    for target in &mut targets {
        if spare <= 0 {
            break;
        }
        let cut = target.1.min(spare);
        target.1 -= cut;
        spare -= cut;
    }
    targets
        .into_iter()
        .zip(sorted)
        .filter(|((_, replicas), rs)| *replicas != rs_replicas(rs))
        .map(|(target, _)| target)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(
        replicas: i32,
        surge: serde_json::Value,
        unavailable: serde_json::Value,
    ) -> Deployment {
        serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "strategy": {"type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}}
        }))
        .unwrap()
    }

    fn rs(name: &str, replicas: i32, available: i32, created: &str) -> ReplicaSet {
        serde_json::from_value(json!({
            "metadata": {"name": name, "creationTimestamp": created},
            "spec": {"replicas": replicas},
            "status": {"replicas": replicas, "availableReplicas": available}
        }))
        .unwrap()
    }

    #[test]
    fn fenceposts_round_like_upstream() {
        let bounds = fenceposts(&deployment(10, json!("25%"), json!("25%"))).unwrap();
        assert_eq!(bounds, Fenceposts { max_surge: 3, max_unavailable: 2 });
        let zero = fenceposts(&deployment(3, json!(0), json!(0))).unwrap();
        assert_eq!(zero, Fenceposts { max_surge: 0, max_unavailable: 1 });
        let defaults: Deployment =
            serde_json::from_value(json!({"spec": {"replicas": 4}})).unwrap();
        assert_eq!(fenceposts(&defaults).unwrap(), Fenceposts { max_surge: 1, max_unavailable: 1 });
        assert!(fenceposts(&deployment(3, json!("x%"), json!(1))).is_err());
        let recreate: Deployment = serde_json::from_value(
            json!({"spec": {"replicas": 4, "strategy": {"type": "Recreate"}}}),
        )
        .unwrap();
        assert_eq!(fenceposts(&recreate).unwrap(), Fenceposts { max_surge: 0, max_unavailable: 0 });
    }

    #[test]
    fn the_new_set_grows_within_the_surge() {
        let d = deployment(3, json!(1), json!(0));
        let bounds = fenceposts(&d).unwrap();
        let old = rs("old", 3, 3, "2024-01-01T00:00:00Z");
        let new = rs("new", 0, 0, "2024-01-02T00:00:00Z");
        assert_eq!(new_rs_replicas(&d, &new, &[&old, &new], bounds), 1);
        let new = rs("new", 1, 0, "2024-01-02T00:00:00Z");
        assert_eq!(new_rs_replicas(&d, &new, &[&old, &new], bounds), 1, "total at 4 = 3 + surge");
        let done = rs("new", 5, 5, "2024-01-02T00:00:00Z");
        assert_eq!(new_rs_replicas(&d, &done, &[&done], bounds), 3);
    }

    #[test]
    fn old_sets_shrink_without_dropping_below_minimum_availability() {
        let d = deployment(3, json!(1), json!(0));
        let bounds = fenceposts(&d).unwrap();
        let old = rs("old", 3, 3, "2024-01-01T00:00:00Z");
        // The new pod is not yet available: nothing may go.
        let new = rs("new", 1, 0, "2024-01-02T00:00:00Z");
        assert!(old_rs_scale_down(&d, Some(&new), &[&old], bounds).is_empty());
        // Once it is, one old pod may go.
        let new = rs("new", 1, 1, "2024-01-02T00:00:00Z");
        assert_eq!(old_rs_scale_down(&d, Some(&new), &[&old], bounds), [("old".into(), 2)]);
    }

    #[test]
    fn unavailable_old_pods_go_first_oldest_set_first() {
        let d = deployment(4, json!(0), json!(1));
        let bounds = fenceposts(&d).unwrap();
        let oldest = rs("oldest", 2, 0, "2024-01-01T00:00:00Z");
        let older = rs("older", 2, 2, "2024-01-02T00:00:00Z");
        let new = rs("new", 0, 0, "2024-01-03T00:00:00Z");
        let changes = old_rs_scale_down(&d, Some(&new), &[&older, &oldest], bounds);
        // 4 pods, at least 3 must stay: one may go, and it is a broken one of the oldest set.
        assert_eq!(changes, [("oldest".into(), 1)]);
    }
}
