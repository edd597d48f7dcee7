//! `ReplicationController`: the original keep-N-pods-running controller, with an equality-only
//! label selector.

use super::PodTemplateSpec;
use crate::meta::v1::{ObjectMeta, Time};
use crate::serde_util::{is_zero, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Keeps `spec.replicas` pods matching `spec.selector` running.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ReplicationController")]
#[serde(rename_all = "camelCase")]
pub struct ReplicationController {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: ReplicationControllerSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: ReplicationControllerStatus,
}

crate::impl_resource!(
    ReplicationController,
    group = "",
    version = "v1",
    kind = "ReplicationController",
    plural = "replicationcontrollers",
    namespaced = true
);

/// How many pods, which pods (by labels), and what new pods look like.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ReplicationControllerSpec")]
#[serde(rename_all = "camelCase")]
pub struct ReplicationControllerSpec {
    /// A pointer upstream so that an explicit 0 differs from unset (defaulted to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub min_ready_seconds: i32,
    /// Equality-based only; defaulted from the template's labels when empty.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<PodTemplateSpec>,
}

/// What the replication manager last observed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ReplicationControllerStatus")]
#[serde(rename_all = "camelCase")]
pub struct ReplicationControllerStatus {
    #[serde(default, deserialize_with = "nullable")]
    pub replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub fully_labeled_replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub available_replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub observed_generation: i64,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ReplicationControllerCondition>,
}

/// An observation such as `ReplicaFailure` (pods could not be created or deleted).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ReplicationControllerCondition")]
#[serde(rename_all = "camelCase")]
pub struct ReplicationControllerCondition {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// A non-pointer time upstream: written as `null` when unset.
    #[serde(default)]
    pub last_transition_time: Option<Time>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::{Value, json};

    /// A ReplicationController printed by kubectl v1.32.4's Go types: `kubectl set image --local
    /// -f rc.json nginx=nginx:1.27 -o json` decodes the file into `v1.ReplicationController` and
    /// prints it back.
    #[test]
    fn kubectl_encoded_controller_round_trips() {
        let golden: Value =
            serde_json::from_str(include_str!("testdata/replicationcontroller.json")).unwrap();
        let controller: ReplicationController = assert_round_trip(&golden);
        assert_eq!(controller.spec.replicas, Some(3));
        assert_eq!(controller.status.conditions[0].type_, "ReplicaFailure");
    }

    #[test]
    fn status_replicas_is_always_written() {
        let controller = ReplicationController {
            spec: ReplicationControllerSpec { replicas: Some(0), ..Default::default() },
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&controller).unwrap(),
            json!({
                "metadata": {"creationTimestamp": null},
                "spec": {"replicas": 0},
                "status": {"replicas": 0}
            })
        );
        assert_eq!(ReplicationController::PLURAL, "replicationcontrollers");
    }
}
