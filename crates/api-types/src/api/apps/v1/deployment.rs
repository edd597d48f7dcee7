//! `Deployment`: declarative rollouts of a pod template through ReplicaSets.

use crate::api::core::v1::PodTemplateSpec;
use crate::intstr::IntOrString;
use crate::meta::v1::{LabelSelector, ObjectMeta, Time};
use crate::serde_util::{is_false, is_zero, nullable};
use serde::{Deserialize, Serialize};

/// Rolls out changes to its pod template by creating a new ReplicaSet and scaling the old ones
/// down.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.Deployment")]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: DeploymentSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: DeploymentStatus,
}

crate::impl_resource!(
    Deployment,
    group = "apps",
    version = "v1",
    kind = "Deployment",
    plural = "deployments",
    namespaced = true
);

/// The desired pods and how to move from the current ones to them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.DeploymentSpec")]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    /// A pointer upstream so that an explicit 0 differs from unset (defaulted to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// A pointer without `omitempty` upstream: written as `null` when unset.
    #[serde(default)]
    pub selector: Option<LabelSelector>,
    #[serde(default, deserialize_with = "nullable")]
    pub template: PodTemplateSpec,
    /// A non-pointer struct upstream: always written, as `strategy: {}` when empty.
    #[serde(default, deserialize_with = "nullable")]
    pub strategy: DeploymentStrategy,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub min_ready_seconds: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub paused: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_deadline_seconds: Option<i32>,
}

/// `Recreate` (kill all, then create) or `RollingUpdate` (bounded by `rollingUpdate`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.DeploymentStrategy")]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStrategy {
    #[serde(
        rename = "type",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub type_: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDeployment>,
}

/// How far a rolling update may go below (`maxUnavailable`) and above (`maxSurge`) the desired
/// count, as a number or a percentage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.RollingUpdateDeployment")]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateDeployment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

/// What the deployment controller last observed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.DeploymentStatus")]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStatus {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub observed_generation: i64,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub updated_replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub available_replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub unavailable_replicas: i32,
    /// Pods being deleted that have not finished yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminating_replicas: Option<i32>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<DeploymentCondition>,
    /// Bumped on ReplicaSet name collisions to change the template hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
}

/// `Available`, `Progressing` or `ReplicaFailure`, with when it was last updated and changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.DeploymentCondition")]
#[serde(rename_all = "camelCase")]
pub struct DeploymentCondition {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// Non-pointer times upstream: written as `null` when unset.
    #[serde(default)]
    pub last_update_time: Option<Time>,
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

    /// `kubectl create deployment web --image=nginx --replicas=3 --dry-run=client -o json`
    /// (kubectl v1.32.4).
    #[test]
    fn kubectl_create_deployment_output_round_trips() {
        let golden: Value = serde_json::from_str(
            r#"{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "replicas": 3,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx",
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}"#,
        )
        .unwrap();
        let deployment: Deployment = assert_round_trip(&golden);
        assert_eq!(deployment.spec.replicas, Some(3));
    }

    /// A defaulted, rolled-out Deployment with status, printed by kubectl v1.32.4's Go types:
    /// `kubectl set image --local -f deployment.json nginx=nginx:1.27 -o json`.
    #[test]
    fn kubectl_encoded_rolled_out_deployment_round_trips() {
        let golden: Value = serde_json::from_str(include_str!("testdata/deployment.json")).unwrap();
        let deployment: Deployment = assert_round_trip(&golden);
        let rolling = deployment.spec.strategy.rolling_update.as_ref().unwrap();
        assert_eq!(rolling.max_surge, Some(IntOrString::from("25%")));
        assert_eq!(deployment.status.conditions.len(), 2);
    }

    #[test]
    fn missing_selector_is_written_as_null() {
        let mut deployment = Deployment::default();
        deployment.set_type_meta();
        let wire = serde_json::to_value(&deployment).unwrap();
        assert_eq!(wire["apiVersion"], "apps/v1");
        assert_eq!(wire["spec"]["selector"], Value::Null);
        assert_eq!(wire["spec"]["strategy"], json!({}));
    }

    #[test]
    fn terminating_replicas_round_trips() {
        let wire = json!({"replicas": 3, "terminatingReplicas": 1});
        let status: DeploymentStatus = assert_round_trip(&wire);
        assert_eq!(status.terminating_replicas, Some(1));
    }
}
