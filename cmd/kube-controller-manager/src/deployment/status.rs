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
    /// Pods moved toward the new ReplicaSet (refreshes the condition's `lastUpdateTime`, which
    /// the progress deadline counts from).
    Updated(String),
    /// The rollout is complete.
    Complete(String),
    /// Nothing moved; the rollout is still under way with this new ReplicaSet (times out after
    /// `progressDeadlineSeconds`).
    Waiting(String),
    /// The `Progressing` condition stays as it is (paused, scaling only, no new ReplicaSet yet,
    /// or a rollout already reported complete).
    Unchanged,
}

/// The `Progressing` reason of a paused deployment.
pub const PAUSED_REASON: &str = "DeploymentPaused";
/// The `Progressing` reason right after a paused deployment is resumed.
pub const RESUMED_REASON: &str = "DeploymentResumed";
/// The `Progressing` reason of a completed rollout.
pub const COMPLETE_REASON: &str = "NewReplicaSetAvailable";
/// The `Progressing` reason of a rollout that stopped moving for too long.
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";

/// The `progressDeadlineSeconds` in effect (600 when unset).
pub fn progress_deadline(deployment: &Deployment) -> i32 {
    deployment.spec.progress_deadline_seconds.unwrap_or(600)
}

/// Whether the deployment has a deadline at all (upstream reads `i32::MAX` as none).
pub fn has_progress_deadline(deployment: &Deployment) -> bool {
    progress_deadline(deployment) != i32::MAX
}

/// The condition of type `kind`, if set.
pub fn condition<'a>(status: &'a DeploymentStatus, kind: &str) -> Option<&'a DeploymentCondition> {
    status.conditions.iter().find(|condition| condition.type_ == kind)
}

/// Marks a pause or a resume in the `Progressing` condition (`Unknown`, as upstream's
/// `checkPausedConditions`); returns whether it changed.
pub fn sync_paused_condition(
    status: &mut DeploymentStatus,
    paused: bool,
    now: DateTime<Utc>,
) -> bool {
    let reason = condition(status, "Progressing").map(|c| c.reason.clone()).unwrap_or_default();
    if paused && reason != PAUSED_REASON {
        set_condition(
            &mut status.conditions,
            "Progressing",
            "Unknown",
            PAUSED_REASON,
            "Deployment is paused",
            now,
        );
        true
    } else if !paused && reason == PAUSED_REASON {
        set_condition(
            &mut status.conditions,
            "Progressing",
            "Unknown",
            RESUMED_REASON,
            "Deployment is resumed",
            now,
        );
        true
    } else {
        false
    }
}

/// Whether `counts` (a freshly computed status) show the rollout done: every replica updated
/// and available, and the current generation observed.
pub fn is_complete(deployment: &Deployment, counts: &DeploymentStatus) -> bool {
    let desired = desired_replicas(deployment);
    counts.updated_replicas == desired
        && counts.replicas == desired
        && counts.available_replicas == desired
        && counts.observed_generation >= deployment.metadata.generation
}

/// How a rolling or recreate sync moved the rollout, judged as upstream's `syncRolloutStatus`
/// does by comparing `counts` (the status after this sync, conditions not yet updated) with the
/// stored status. Without a deadline the condition is left alone.
pub fn rollout_progress(
    deployment: &Deployment,
    counts: &DeploymentStatus,
    new_rs: Option<&str>,
) -> Progress {
    let Some(name) = new_rs.filter(|_| has_progress_deadline(deployment)) else {
        return Progress::Unchanged;
    };
    let current = condition(&deployment.status, "Progressing");
    let already_complete = counts.replicas == counts.updated_replicas
        && current.is_some_and(|c| c.reason == COMPLETE_REASON);
    if already_complete {
        return Progress::Unchanged;
    }
    let old = &deployment.status;
    let moved = counts.updated_replicas > old.updated_replicas
        || counts.replicas - counts.updated_replicas < old.replicas - old.updated_replicas
        || counts.ready_replicas > old.ready_replicas
        || counts.available_replicas > old.available_replicas;
    if is_complete(deployment, counts) {
        Progress::Complete(name.to_string())
    } else if moved {
        Progress::Updated(name.to_string())
    } else {
        Progress::Waiting(name.to_string())
    }
}

/// How long until a rollout now waiting would exceed its deadline, if it is waiting (so the
/// controller can look again then, as upstream's `requeueStuckDeployment`): not when it is
/// complete, already timed out, or paused.
pub fn until_deadline(deployment: &Deployment, now: DateTime<Utc>) -> Option<std::time::Duration> {
    if !has_progress_deadline(deployment) {
        return None;
    }
    let current = condition(&deployment.status, "Progressing")?;
    let settled = [COMPLETE_REASON, TIMED_OUT_REASON, PAUSED_REASON];
    if settled.contains(&current.reason.as_str()) || is_complete(deployment, &deployment.status) {
        return None;
    }
    let since = current.last_update_time.as_ref()?.0;
    let left = since + Duration::seconds(i64::from(progress_deadline(deployment))) - now;
    Some(left.to_std().unwrap_or_default() + std::time::Duration::from_secs(1))
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
    let mut status = replica_counts(deployment, new_rs, all);
    let desired = desired_replicas(deployment);
    let minimum = desired - bounds.max_unavailable;
    if status.available_replicas >= minimum {
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
    let deadline = progress_deadline(deployment);
    match progress {
        Progress::Created(name) => set_condition(
            &mut status.conditions,
            "Progressing",
            "True",
            "NewReplicaSetCreated",
            &format!("Created new replica set \"{name}\""),
            now,
        ),
        Progress::Updated(name) => {
            // Every move counts as fresh progress: drop the old condition so the update time
            // is now, keeping its transition time when it was already `True`.
            let kept = condition(&status, "Progressing")
                .filter(|c| c.status == "True")
                .and_then(|c| c.last_transition_time);
            status.conditions.retain(|c| c.type_ != "Progressing");
            status.conditions.push(DeploymentCondition {
                type_: "Progressing".into(),
                status: "True".into(),
                last_update_time: Some(Time(now)),
                last_transition_time: Some(kept.unwrap_or(Time(now))),
                reason: "ReplicaSetUpdated".into(),
                message: format!("ReplicaSet \"{name}\" is progressing."),
            });
        }
        Progress::Complete(name) => set_condition(
            &mut status.conditions,
            "Progressing",
            "True",
            COMPLETE_REASON,
            &format!("ReplicaSet \"{name}\" has successfully progressed."),
            now,
        ),
        Progress::Unchanged => {}
        Progress::Waiting(name) => {
            if timed_out(&status, deadline, now) {
                set_condition(
                    &mut status.conditions,
                    "Progressing",
                    "False",
                    TIMED_OUT_REASON,
                    &format!("ReplicaSet \"{name}\" has timed out progressing."),
                    now,
                );
            }
        }
    }
    status
}

/// Whether the rollout has made no progress for `deadline` seconds: its `Progressing`
/// condition was last updated longer ago (a completed rollout never times out; a timed-out
/// one stays so until it moves again).
fn timed_out(status: &DeploymentStatus, deadline: i32, now: DateTime<Utc>) -> bool {
    let Some(current) = condition(status, "Progressing") else { return false };
    match current.reason.as_str() {
        COMPLETE_REASON => false,
        TIMED_OUT_REASON => true,
        _ => current
            .last_update_time
            .as_ref()
            .is_some_and(|since| since.0 + Duration::seconds(i64::from(deadline)) < now),
    }
}

/// The counts of the status (summed over the deployment's ReplicaSets), with the stored
/// conditions and collision count carried over.
pub fn replica_counts(
    deployment: &Deployment,
    new_rs: Option<&ReplicaSet>,
    all: &[&ReplicaSet],
) -> DeploymentStatus {
    let desired = desired_replicas(deployment);
    let sum = |field: fn(&ReplicaSet) -> i32| all.iter().map(|rs| field(rs)).sum::<i32>();
    let available = sum(|rs| rs.status.available_replicas);
    DeploymentStatus {
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
    }
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

    #[test]
    fn progress_is_judged_against_the_stored_status() {
        let mut d = deployment();
        d.status = DeploymentStatus { replicas: 3, updated_replicas: 1, ..Default::default() };
        let moved = DeploymentStatus { replicas: 3, updated_replicas: 2, ..Default::default() };
        assert_eq!(rollout_progress(&d, &moved, Some("n")), Progress::Updated("n".into()));
        assert_eq!(
            rollout_progress(&d, &d.status.clone(), Some("n")),
            Progress::Waiting("n".into())
        );
        assert_eq!(rollout_progress(&d, &moved, None), Progress::Unchanged);
        let done = DeploymentStatus {
            observed_generation: 2,
            replicas: 3,
            updated_replicas: 3,
            available_replicas: 3,
            ..Default::default()
        };
        assert_eq!(rollout_progress(&d, &done, Some("n")), Progress::Complete("n".into()));
        d.status = deployment_status(&d, None, &[], BOUNDS, &Progress::Complete("n".into()), at(0));
        d.status.replicas = 3;
        d.status.updated_replicas = 3;
        assert_eq!(rollout_progress(&d, &done, Some("n")), Progress::Unchanged, "reported once");
    }

    #[test]
    fn updates_refresh_the_deadline_and_pauses_are_marked() {
        let mut d = deployment();
        let new = rs("web-new", 3, 1);
        let updated = Progress::Updated("web-new".into());
        d.status = deployment_status(&d, Some(&new), &[&new], BOUNDS, &updated, at(0));
        assert_eq!(until_deadline(&d, at(10)), Some(std::time::Duration::from_secs(51)));
        d.status = deployment_status(&d, Some(&new), &[&new], BOUNDS, &updated, at(50));
        let progressing = condition(&d.status, "Progressing").unwrap();
        assert_eq!(progressing.last_update_time, Some(Time(at(50))));
        assert_eq!(progressing.last_transition_time, Some(Time(at(0))));
        let waiting = Progress::Waiting("web-new".into());
        let status = deployment_status(&d, Some(&new), &[&new], BOUNDS, &waiting, at(100));
        assert_eq!(condition(&status, "Progressing").unwrap().reason, "ReplicaSetUpdated");

        assert!(sync_paused_condition(&mut d.status, true, at(60)));
        assert!(!sync_paused_condition(&mut d.status, true, at(61)));
        assert_eq!(condition(&d.status, "Progressing").unwrap().status, "Unknown");
        assert_eq!(until_deadline(&d, at(61)), None);
        assert!(sync_paused_condition(&mut d.status, false, at(62)));
        assert_eq!(condition(&d.status, "Progressing").unwrap().reason, RESUMED_REASON);
    }
}
