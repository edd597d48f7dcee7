//! A Deployment's status as `kubectl rollout status` reads it: replica counts summed over its
//! ReplicaSets, and the `Available` and `Progressing` conditions with upstream's reasons and
//! messages (including `ProgressDeadlineExceeded`, which makes `rollout status` fail).

use super::rolling::{Fenceposts, desired_replicas};
use api_types::api::apps::v1::{Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet};
use api_types::meta::v1::Time;
use chrono::{DateTime, Duration, Utc};

/// What happened in this sync, for the `Progressing` condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// The new ReplicaSet was created by this sync.
    Created(String),
    /// The new ReplicaSet was scaled or old ones shrank.
    Updated(String),
    /// The rollout is complete.
    Complete(String),
    /// Nothing moved; the rollout is still under way with this new ReplicaSet.
    Waiting(String),
    /// The deployment is paused.
    Paused,
}

/// The status after this sync.
pub fn deployment_status(
    deployment: &Deployment,
    new_rs: Option<&ReplicaSet>,
    all: &[&ReplicaSet],
    bounds: Fenceposts,
    progress: &Progress,
    now: DateTime<Utc>,
) -> DeploymentStatus {
    let desired = desired_replicas(deployment);
    let sum = |field: fn(&ReplicaSet) -> i32| all.iter().map(|rs| field(rs)).sum::<i32>();
    let available = sum(|rs| rs.status.available_replicas);
    let mut status = DeploymentStatus {
        observed_generation: deployment.metadata.generation,
        replicas: sum(|rs| rs.status.replicas),
        updated_replicas: new_rs.map_or(0, |rs| rs.status.replicas),
        ready_replicas: sum(|rs| rs.status.ready_replicas),
        available_replicas: available,
        unavailable_replicas: (sum(|rs| rs.spec.replicas.unwrap_or(1)).max(desired) - available)
            .max(0),
        conditions: deployment.status.conditions.clone(),
        collision_count: deployment.status.collision_count,
        ..Default::default()
    };
    let minimum = desired - bounds.max_unavailable;
    if available >= minimum {
        set_condition(
            &mut status.conditions,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
            now,
        );
    } else {
        set_condition(
            &mut status.conditions,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
            now,
        );
    }
    let deadline = deployment.spec.progress_deadline_seconds.unwrap_or(600);
    match progress {
        Progress::Created(name) => set_condition(
            &mut status.conditions,
            "Progressing",
            "True",
            "NewReplicaSetCreated",
            &format!("Created new replica set \"{name}\""),
            now,
        ),
        Progress::Updated(name) => set_condition(
            &mut status.conditions,
            "Progressing",
            "True",
            "ReplicaSetUpdated",
            &format!("ReplicaSet \"{name}\" is progressing."),
            now,
        ),
        Progress::Complete(name) => set_condition(
            &mut status.conditions,
            "Progressing",
            "True",
            "NewReplicaSetAvailable",
            &format!("ReplicaSet \"{name}\" has successfully progressed."),
            now,
        ),
        Progress::Paused => set_condition(
            &mut status.conditions,
            "Progressing",
            "Unknown",
            "DeploymentPaused",
            "Deployment is paused",
            now,
        ),
        Progress::Waiting(name) => {
            let stalled = status
                .conditions
                .iter()
                .find(|condition| condition.type_ == "Progressing" && condition.status == "True")
                .and_then(|condition| condition.last_update_time.as_ref())
                .is_some_and(|since| since.0 + Duration::seconds(i64::from(deadline)) < now);
            if stalled {
                set_condition(
                    &mut status.conditions,
                    "Progressing",
                    "False",
                    "ProgressDeadlineExceeded",
                    &format!("ReplicaSet \"{name}\" has timed out progressing."),
                    now,
                );
            }
        }
    }
    status
}

/// Sets one condition: a change of status (or reason) moves `lastTransitionTime`; any change
/// moves `lastUpdateTime`; an identical condition is left as it is.
fn set_condition(
    conditions: &mut Vec<DeploymentCondition>,
    kind: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: DateTime<Utc>,
) {
    let fresh = DeploymentCondition {
        type_: kind.into(),
        status: status.into(),
        last_update_time: Some(Time(now)),
        last_transition_time: Some(Time(now)),
        reason: reason.into(),
        message: message.into(),
    };
    match conditions.iter_mut().find(|condition| condition.type_ == kind) {
        None => conditions.push(fresh),
        Some(existing)
            if existing.status == status
                && existing.reason == reason
                && existing.message == message => {}
        Some(existing) => {
            let transition = if existing.status == status {
                existing.last_transition_time
            } else {
                fresh.last_transition_time
            };
            *existing = DeploymentCondition { last_transition_time: transition, ..fresh };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(seconds: i64) -> DateTime<Utc> {
        "2024-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::seconds(seconds)
    }

    fn rs(name: &str, replicas: i32, ready: i32) -> ReplicaSet {
        serde_json::from_value(json!({"metadata": {"name": name}, "spec": {"replicas": replicas},
            "status": {"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready}}))
        .unwrap()
    }

    fn deployment() -> Deployment {
        serde_json::from_value(json!({"metadata": {"name": "web", "generation": 2},
            "spec": {"replicas": 3, "progressDeadlineSeconds": 60}}))
        .unwrap()
    }

    const BOUNDS: Fenceposts = Fenceposts { max_surge: 1, max_unavailable: 0 };

    #[test]
    fn counts_and_conditions_follow_the_replica_sets() {
        let d = deployment();
        let old = rs("web-old", 2, 2);
        let new = rs("web-new", 2, 1);
        let status = deployment_status(
            &d,
            Some(&new),
            &[&old, &new],
            BOUNDS,
            &Progress::Updated("web-new".into()),
            at(0),
        );
        assert_eq!(
            (status.replicas, status.updated_replicas, status.available_replicas),
            (4, 2, 3)
        );
        assert_eq!(status.unavailable_replicas, 1);
        assert_eq!(status.observed_generation, 2);
        let available = status.conditions.iter().find(|c| c.type_ == "Available").unwrap();
        assert_eq!(
            (available.status.as_str(), available.reason.as_str()),
            ("True", "MinimumReplicasAvailable")
        );
        let progressing = status.conditions.iter().find(|c| c.type_ == "Progressing").unwrap();
        assert_eq!(progressing.message, "ReplicaSet \"web-new\" is progressing.");
    }

    #[test]
    fn a_stalled_rollout_exceeds_its_deadline() {
        let mut d = deployment();
        let new = rs("web-new", 3, 0);
        d.status = deployment_status(
            &d,
            Some(&new),
            &[&new],
            BOUNDS,
            &Progress::Created("web-new".into()),
            at(0),
        );
        let waiting = Progress::Waiting("web-new".into());
        let status = deployment_status(&d, Some(&new), &[&new], BOUNDS, &waiting, at(30));
        let progressing = status.conditions.iter().find(|c| c.type_ == "Progressing").unwrap();
        assert_eq!(progressing.reason, "NewReplicaSetCreated");
        let status = deployment_status(&d, Some(&new), &[&new], BOUNDS, &waiting, at(61));
        let progressing = status.conditions.iter().find(|c| c.type_ == "Progressing").unwrap();
        assert_eq!(
            (progressing.status.as_str(), progressing.reason.as_str()),
            ("False", "ProgressDeadlineExceeded")
        );
        assert_eq!(progressing.message, "ReplicaSet \"web-new\" has timed out progressing.");
        let available = status.conditions.iter().find(|c| c.type_ == "Available").unwrap();
        assert_eq!(available.status, "False");
    }
}
