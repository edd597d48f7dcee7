//! One sync of a replicated kind, decided without side effects: which pods to adopt and
//! release, how many to create, which to delete, and the status to report. The controller
//! carries the decision out; keeping it pure makes every rule testable on its own.

use super::kind::{ReplicaCondition, ReplicaStatus, ReplicatedKind};
use crate::controller::owner::{Claim, claim};
use crate::controller::pods::{deletion_order, is_active, is_available, is_ready};
use api_types::api::core::v1::Pod;
use chrono::{DateTime, Utc};
use std::borrow::Borrow;

/// The most pods one sync creates or deletes (upstream's `burstReplicas`), so a huge scale-up
/// happens over several syncs instead of one giant burst.
pub const BURST_REPLICAS: usize = 500;

/// What one sync should do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Orphans to adopt (pod names).
    pub adopt: Vec<String>,
    /// Pods to release (pod names).
    pub release: Vec<String>,
    /// How many pods to create from the template.
    pub create: usize,
    /// Pods to delete, most expendable first (pod names).
    pub delete: Vec<String>,
    /// The status that reflects the pods as they are now.
    pub status: ReplicaStatus,
}

/// Plans one sync of `owner` over the pods of its namespace at `now`. `deleting` tells whether
/// the owner itself is being deleted (it then adopts nothing and creates nothing).
pub fn plan<K: ReplicatedKind, P: Borrow<Pod>>(
    owner: &K,
    namespace_pods: &[P],
    now: DateTime<Utc>,
) -> Plan {
    let meta = owner.metadata();
    let deleting = meta.deletion_timestamp.is_some();
    let selector = owner.pod_selector();
    let mut plan = Plan::default();
    let mut mine: Vec<&Pod> = Vec::new();
    for pod in namespace_pods.iter().map(Borrow::borrow) {
        match claim(&meta.uid, deleting, &selector, &pod.metadata) {
            Claim::Owned => mine.push(pod),
            Claim::Adopt => {
                plan.adopt.push(pod.metadata.name.clone());
                mine.push(pod);
            }
            Claim::Release => plan.release.push(pod.metadata.name.clone()),
            Claim::Ignore => {}
        }
    }
    let mut active: Vec<&Pod> = mine.iter().copied().filter(|pod| is_active(pod)).collect();
    let desired = usize::try_from(owner.desired_replicas()).unwrap_or(0);
    if !deleting {
        if active.len() < desired {
            plan.create = (desired - active.len()).min(BURST_REPLICAS);
        } else if active.len() > desired {
            active.sort_by(|left, right| deletion_order(left, right));
            let surplus = (active.len() - desired).min(BURST_REPLICAS);
            plan.delete = active[..surplus].iter().map(|pod| pod.metadata.name.clone()).collect();
        }
    }
    plan.status = status_for(owner, &active, now);
    plan
}

/// The status upstream reports: counts over the active pods it owns, the generation it acted
/// on, and the conditions as they were (a failure condition is set or cleared by the
/// controller from the outcome of its writes).
fn status_for<K: ReplicatedKind>(owner: &K, active: &[&Pod], now: DateTime<Utc>) -> ReplicaStatus {
    let template_labels = owner.pod_template().map(|template| &template.metadata.labels);
    let fully_labeled = active
        .iter()
        .filter(|pod| {
            template_labels.is_none_or(|labels| {
                labels.iter().all(|(key, value)| pod.metadata.labels.get(key) == Some(value))
            })
        })
        .count();
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    ReplicaStatus {
        replicas: count(active.len()),
        fully_labeled_replicas: count(fully_labeled),
        ready_replicas: count(active.iter().filter(|pod| is_ready(pod)).count()),
        available_replicas: count(
            active.iter().filter(|pod| is_available(pod, owner.min_ready_seconds(), now)).count(),
        ),
        observed_generation: owner.metadata().generation,
        conditions: owner.replica_status().conditions,
    }
}

/// The conditions after a sync whose pod writes failed with `failure` (`Some((reason,
/// message))`), or succeeded (`None`): upstream's `ReplicaFailure` condition.
pub fn with_failure_condition(
    mut conditions: Vec<ReplicaCondition>,
    failure: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> Vec<ReplicaCondition> {
    conditions.retain(|condition| condition.type_ != "ReplicaFailure");
    if let Some((reason, message)) = failure {
        conditions.push(ReplicaCondition {
            type_: "ReplicaFailure".into(),
            status: "True".into(),
            last_transition_time: Some(api_types::meta::v1::Time(now)),
            reason: reason.into(),
            message: message.into(),
        });
    }
    conditions
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::api::core::v1::ReplicationController;
    use serde_json::json;

    fn rc(replicas: i32) -> ReplicationController {
        serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default", "uid": "rc-uid", "generation": 4},
            "spec": {"replicas": replicas, "selector": {"app": "web"},
                     "template": {"metadata": {"labels": {"app": "web", "tier": "front"}}}}
        }))
        .unwrap()
    }

    fn pod(
        name: &str,
        labels: serde_json::Value,
        owner: Option<&str>,
        status: serde_json::Value,
    ) -> Pod {
        let owners: Vec<_> = owner
            .map(|uid| {
                json!({"apiVersion": "v1", "kind": "ReplicationController", "name": "x",
                              "uid": uid, "controller": true})
            })
            .into_iter()
            .collect();
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "default", "uid": format!("{name}-uid"),
                         "labels": labels, "ownerReferences": owners,
                         "creationTimestamp": "2024-01-01T00:00:00Z"},
            "status": status
        }))
        .unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2024-01-01T01:00:00Z".parse().unwrap()
    }

    #[test]
    fn missing_replicas_are_created_and_orphans_adopted() {
        let pods = [
            pod("owned", json!({"app": "web", "tier": "front"}), Some("rc-uid"), json!({})),
            pod("orphan", json!({"app": "web"}), None, json!({})),
            pod("foreign", json!({"app": "web"}), Some("other"), json!({})),
            pod("unrelated", json!({"app": "db"}), None, json!({})),
        ];
        let plan = plan(&rc(3), &pods, now());
        assert_eq!(plan.adopt, ["orphan"]);
        assert_eq!(plan.create, 1);
        assert!(plan.delete.is_empty() && plan.release.is_empty());
        assert_eq!(plan.status.replicas, 2);
        assert_eq!(plan.status.fully_labeled_replicas, 1);
        assert_eq!(plan.status.observed_generation, 4);
    }

    #[test]
    fn surplus_pods_go_most_expendable_first_and_relabeled_ones_are_released() {
        let ready = json!({"phase": "Running", "conditions": [
            {"type": "Ready", "status": "True", "lastTransitionTime": "2024-01-01T00:10:00Z"}]});
        let pods = [
            pod("ready-1", json!({"app": "web"}), Some("rc-uid"), ready.clone()),
            pod("pending", json!({"app": "web"}), Some("rc-uid"), json!({"phase": "Pending"})),
            pod("ready-2", json!({"app": "web"}), Some("rc-uid"), ready),
            pod("relabeled", json!({"app": "debug"}), Some("rc-uid"), json!({})),
            pod("done", json!({"app": "web"}), Some("rc-uid"), json!({"phase": "Succeeded"})),
        ];
        let plan = plan(&rc(1), &pods, now());
        assert_eq!(plan.release, ["relabeled"]);
        assert_eq!(plan.delete.len(), 2);
        assert_eq!(plan.delete[0], "pending");
        assert_eq!(plan.status.replicas, 3, "finished pods do not count");
        assert_eq!(plan.status.ready_replicas, 2);
        assert_eq!(plan.status.available_replicas, 2);
    }

    #[test]
    fn a_deleting_owner_neither_creates_nor_adopts_and_bursts_are_capped() {
        let mut deleting = rc(5);
        deleting.metadata.deletion_timestamp = Some("2024-01-01T00:00:00Z".parse().unwrap());
        let orphan = [pod("orphan", json!({"app": "web"}), None, json!({}))];
        let plan = plan(&deleting, &orphan, now());
        assert!(plan.adopt.is_empty());
        assert_eq!(plan.create, 0);
        assert_eq!(super::plan::<_, Pod>(&rc(10_000), &[], now()).create, BURST_REPLICAS);
    }

    #[test]
    fn failure_conditions_are_set_and_cleared() {
        let set = with_failure_condition(vec![], Some(("FailedCreate", "quota")), now());
        assert_eq!(set.len(), 1);
        assert_eq!(
            (set[0].type_.as_str(), set[0].reason.as_str()),
            ("ReplicaFailure", "FailedCreate")
        );
        assert!(with_failure_condition(set, None, now()).is_empty());
    }
}
