//! `ReplicaSet`: keeps a number of pods matching a set-based selector running; Deployments manage
//! one per template revision.

use crate::api::core::v1::PodTemplateSpec;
use crate::meta::v1::{LabelSelector, ObjectMeta, Time};
use crate::serde_util::{is_zero, nullable};
use serde::{Deserialize, Serialize};

/// Keeps `spec.replicas` pods matching `spec.selector` running.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.ReplicaSet")]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSet {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: ReplicaSetSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: ReplicaSetStatus,
}

crate::impl_resource!(
    ReplicaSet,
    group = "apps",
    version = "v1",
    kind = "ReplicaSet",
    plural = "replicasets",
    namespaced = true
);

/// How many pods, which pods, and what new pods look like.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.ReplicaSetSpec")]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetSpec {
    /// A pointer upstream so that an explicit 0 differs from unset (defaulted to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub min_ready_seconds: i32,
    /// A pointer without `omitempty` upstream: written as `null` when unset.
    #[serde(default)]
    pub selector: Option<LabelSelector>,
    #[serde(default, deserialize_with = "nullable")]
    pub template: PodTemplateSpec,
}

/// What the replica set controller last observed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.ReplicaSetStatus")]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetStatus {
    #[serde(default, deserialize_with = "nullable")]
    pub replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub fully_labeled_replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub available_replicas: i32,
    /// Pods being deleted that have not finished yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminating_replicas: Option<i32>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub observed_generation: i64,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ReplicaSetCondition>,
}

/// An observation such as `ReplicaFailure` (pods could not be created or deleted).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.ReplicaSetCondition")]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetCondition {
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

    /// A ReplicaSet owned by a Deployment, printed by kubectl v1.32.4's Go types: `kubectl set
    /// image --local -f replicaset.json nginx=nginx:1.27 -o json`.
    #[test]
    fn kubectl_encoded_replica_set_round_trips() {
        let golden: Value = serde_json::from_str(include_str!("testdata/replicaset.json")).unwrap();
        let replica_set: ReplicaSet = assert_round_trip(&golden);
        assert_eq!(replica_set.metadata.owner_references[0].kind, "Deployment");
        assert_eq!(replica_set.status.ready_replicas, 2);
        assert_eq!(ReplicaSet::API_VERSION, "apps/v1");
    }

    #[test]
    fn scaled_to_zero_status_keeps_replicas() {
        let wire = json!({"replicas": 0, "observedGeneration": 4});
        let status: ReplicaSetStatus = assert_round_trip(&wire);
        assert_eq!((status.replicas, status.observed_generation), (0, 4));
    }
}
