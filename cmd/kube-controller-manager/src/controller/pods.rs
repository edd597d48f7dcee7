//! Facts about pods that several controllers judge the same way: whether a pod still counts
//! (active), whether it is ready and available, and which pods go first when some must be
//! deleted.

use api_types::api::core::v1::Pod;
use chrono::{DateTime, Duration, Utc};
use std::cmp::Ordering;

/// Whether a pod still counts toward its controller's replicas: not finished (`Succeeded` or
/// `Failed`) and not being deleted.
pub fn is_active(pod: &Pod) -> bool {
    !matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
        && pod.metadata.deletion_timestamp.is_none()
}

/// When the pod last became ready, if its `Ready` condition is `True`.
pub fn ready_since(pod: &Pod) -> Option<Option<DateTime<Utc>>> {
    pod.status
        .conditions
        .iter()
        .find(|condition| condition.type_ == "Ready" && condition.status == "True")
        .map(|condition| condition.last_transition_time.as_ref().map(|time| time.0))
}

/// Whether the pod's `Ready` condition is `True`.
pub fn is_ready(pod: &Pod) -> bool {
    ready_since(pod).is_some()
}

/// Whether the pod has been ready for at least `min_ready_seconds` at `now` (any ready pod
/// when that is 0).
pub fn is_available(pod: &Pod, min_ready_seconds: i32, now: DateTime<Utc>) -> bool {
    match ready_since(pod) {
        None => false,
        Some(_) if min_ready_seconds <= 0 => true,
        Some(None) => false,
        Some(Some(since)) => since + Duration::seconds(i64::from(min_ready_seconds)) <= now,
    }
}

/// The order in which surplus pods are deleted, most expendable first (upstream's ranking):
/// unscheduled before scheduled; `Pending` before `Unknown` before `Running`; not ready before
/// ready; ready for a shorter time before longer; more container restarts before fewer; newer
/// before older.
pub fn deletion_order(left: &Pod, right: &Pod) -> Ordering {
    let scheduled = |pod: &Pod| !pod.spec.node_name.is_empty();
    let phase_rank = |pod: &Pod| match pod.status.phase.as_str() {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    };
    let restarts = |pod: &Pod| -> i64 {
        pod.status.container_statuses.iter().map(|status| i64::from(status.restart_count)).sum()
    };
    let created = |pod: &Pod| pod.metadata.creation_timestamp.as_ref().map(|time| time.0);
    scheduled(left)
        .cmp(&scheduled(right))
        .then_with(|| phase_rank(left).cmp(&phase_rank(right)))
        .then_with(|| is_ready(left).cmp(&is_ready(right)))
        // Both ready: the one ready since later (or with no time) goes first.
        .then_with(|| match (ready_since(left).flatten(), ready_since(right).flatten()) {
            (Some(left), Some(right)) => right.cmp(&left),
            (None, Some(_)) if is_ready(left) => Ordering::Less,
            (Some(_), None) if is_ready(right) => Ordering::Greater,
            _ => Ordering::Equal,
        })
        .then_with(|| restarts(right).cmp(&restarts(left)))
        // Newer first; a pod without a creation time counts as newest.
        .then_with(|| match (created(left), created(right)) {
            (Some(left), Some(right)) => right.cmp(&left),
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, extra: serde_json::Value) -> Pod {
        let mut value = json!({"metadata": {"name": name,
                                            "creationTimestamp": "2024-01-01T00:00:00Z"}});
        merge(&mut value, extra);
        serde_json::from_value(value).unwrap()
    }

    fn merge(base: &mut serde_json::Value, extra: serde_json::Value) {
        if let (Some(base), serde_json::Value::Object(extra)) = (base.as_object_mut(), extra) {
            for (key, value) in extra {
                match base.get_mut(&key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        base.insert(key, value);
                    }
                }
            }
        }
    }

    fn ready(at: &str) -> serde_json::Value {
        json!({"type": "Ready", "status": "True", "lastTransitionTime": at})
    }

    #[test]
    fn finished_and_deleted_pods_are_not_active() {
        assert!(is_active(&pod("a", json!({"status": {"phase": "Running"}}))));
        assert!(!is_active(&pod("a", json!({"status": {"phase": "Succeeded"}}))));
        assert!(!is_active(&pod("a", json!({"status": {"phase": "Failed"}}))));
        let deleting = pod("a", json!({"metadata": {"deletionTimestamp": "2024-01-01T00:00:00Z"}}));
        assert!(!is_active(&deleting));
    }

    #[test]
    fn availability_waits_for_min_ready_seconds() {
        let now: DateTime<Utc> = "2024-01-01T00:01:00Z".parse().unwrap();
        let since_30s =
            pod("a", json!({"status": {"conditions": [ready("2024-01-01T00:00:30Z")]}}));
        assert!(is_ready(&since_30s));
        assert!(is_available(&since_30s, 0, now));
        assert!(is_available(&since_30s, 30, now));
        assert!(!is_available(&since_30s, 31, now));
        let not_ready = pod(
            "b",
            json!({"status": {"conditions": [
            {"type": "Ready", "status": "False"}]}}),
        );
        assert!(!is_ready(&not_ready) && !is_available(&not_ready, 0, now));
    }

    #[test]
    fn the_most_expendable_pods_sort_first() {
        let mut pods = [
            pod(
                "running-ready-old",
                json!({"spec": {"nodeName": "n"}, "status": {
                "phase": "Running", "conditions": [ready("2024-01-01T00:00:10Z")]}}),
            ),
            pod(
                "running-ready-recent",
                json!({"spec": {"nodeName": "n"}, "status": {
                "phase": "Running", "conditions": [ready("2024-01-01T00:05:00Z")]}}),
            ),
            pod(
                "running-not-ready",
                json!({"spec": {"nodeName": "n"},
                                            "status": {"phase": "Running"}}),
            ),
            pod(
                "pending-scheduled",
                json!({"spec": {"nodeName": "n"},
                                            "status": {"phase": "Pending"}}),
            ),
            pod("unscheduled", json!({"status": {"phase": "Pending"}})),
            pod(
                "running-restarting",
                json!({"spec": {"nodeName": "n"}, "status": {
                "phase": "Running", "containerStatuses": [{"name": "c", "restartCount": 4}]}}),
            ),
            pod(
                "running-not-ready-newer",
                json!({
                "metadata": {"creationTimestamp": "2024-02-01T00:00:00Z"},
                "spec": {"nodeName": "n"}, "status": {"phase": "Running"}}),
            ),
        ];
        pods.sort_by(deletion_order);
        let names: Vec<_> = pods.iter().map(|pod| pod.metadata.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "unscheduled",
                "pending-scheduled",
                "running-restarting",
                "running-not-ready-newer",
                "running-not-ready",
                "running-ready-recent",
                "running-ready-old",
            ]
        );
    }
}
