//! What the replication manager needs from the kinds it manages: ReplicationControllers (the
//! book's RC) and ReplicaSets behave the same and differ only in how their fields are spelled.

use api_types::api::apps::v1::ReplicaSet;
use api_types::api::core::v1::{PodTemplateSpec, ReplicationController};
use api_types::labels::Selector;
use api_types::meta::v1::Time;
use api_types::resource::Resource;
use serde::{Deserialize, Serialize};

/// A kind that keeps a number of pods from a template running.
pub trait ReplicatedKind: Resource {
    /// How many pods are wanted (`spec.replicas`, 1 when unset).
    fn desired_replicas(&self) -> i32;
    /// Which pods count; a selector that does not parse selects nothing.
    fn pod_selector(&self) -> Selector;
    /// The pods to create.
    fn pod_template(&self) -> Option<&PodTemplateSpec>;
    /// How long a pod must be ready to count as available.
    fn min_ready_seconds(&self) -> i32;
    /// The status as it is stored now.
    fn replica_status(&self) -> ReplicaStatus;
}

/// The status both kinds share, spelled as on the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaStatus {
    pub replicas: i32,
    #[serde(default)]
    pub fully_labeled_replicas: i32,
    #[serde(default)]
    pub ready_replicas: i32,
    #[serde(default)]
    pub available_replicas: i32,
    #[serde(default)]
    pub observed_generation: i64,
    #[serde(default)]
    pub conditions: Vec<ReplicaCondition>,
}

/// A status condition (the only one upstream sets is `ReplicaFailure`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaCondition {
    #[serde(rename = "type")]
    pub type_: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// Reads a kind's status through its wire form, which both kinds share.
fn status_of(status: &impl Serialize) -> ReplicaStatus {
    serde_json::to_value(status).and_then(serde_json::from_value).unwrap_or_default()
}

impl ReplicatedKind for ReplicationController {
    fn desired_replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }

    fn pod_selector(&self) -> Selector {
        Selector::from_set_or_nothing(&self.spec.selector)
    }

    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        self.spec.template.as_ref()
    }

    fn min_ready_seconds(&self) -> i32 {
        self.spec.min_ready_seconds
    }

    fn replica_status(&self) -> ReplicaStatus {
        status_of(&self.status)
    }
}

impl ReplicatedKind for ReplicaSet {
    fn desired_replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }

    fn pod_selector(&self) -> Selector {
        Selector::from_label_selector(self.spec.selector.as_ref())
            .unwrap_or_else(|_| Selector::nothing())
    }

    fn pod_template(&self) -> Option<&PodTemplateSpec> {
        Some(&self.spec.template)
    }

    fn min_ready_seconds(&self) -> i32 {
        self.spec.min_ready_seconds
    }

    fn replica_status(&self) -> ReplicaStatus {
        status_of(&self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[test]
    fn both_kinds_read_alike() {
        let rc: ReplicationController = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"}, "template": {"metadata": {"labels": {"app": "web"}}}},
            "status": {"replicas": 2, "readyReplicas": 1, "observedGeneration": 3}
        }))
        .unwrap();
        assert_eq!(rc.desired_replicas(), 1);
        let labels = BTreeMap::from([("app".to_string(), "web".to_string())]);
        assert!(rc.pod_selector().matches(&labels));
        assert_eq!(rc.replica_status().ready_replicas, 1);
        assert_eq!(rc.replica_status().observed_generation, 3);

        let rs: ReplicaSet = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"replicas": 3, "selector": {"matchExpressions": [
                {"key": "app", "operator": "In", "values": ["web"]}]},
                "template": {"metadata": {"labels": {"app": "web"}}}},
        }))
        .unwrap();
        assert_eq!(rs.desired_replicas(), 3);
        assert!(rs.pod_selector().matches(&labels));
        let empty_rc = ReplicationController::default();
        assert!(!empty_rc.pod_selector().matches(&labels), "no selector selects nothing");
    }
}
