//! `DaemonSet`: one pod on every (selected) node.

use crate::api::core::v1::PodTemplateSpec;
use crate::intstr::IntOrString;
use crate::meta::v1::{LabelSelector, ObjectMeta, Time};
use crate::serde_util::{is_zero, nullable};
use serde::{Deserialize, Serialize};

/// Runs a copy of its pod template on each node its template can schedule to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.DaemonSet")]
#[serde(rename_all = "camelCase")]
pub struct DaemonSet {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: DaemonSetSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: DaemonSetStatus,
}

crate::impl_resource!(
    DaemonSet,
    group = "apps",
    version = "v1",
    kind = "DaemonSet",
    plural = "daemonsets",
    namespaced = true
);

/// Which pods are the daemon's, what they look like, and how template changes roll out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.DaemonSetSpec")]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetSpec {
    /// A pointer without `omitempty` upstream: written as `null` when unset.
    #[serde(default)]
    pub selector: Option<LabelSelector>,
    #[serde(default, deserialize_with = "nullable")]
    pub template: PodTemplateSpec,
    /// A non-pointer struct upstream: always written.
    #[serde(default, deserialize_with = "nullable")]
    pub update_strategy: DaemonSetUpdateStrategy,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub min_ready_seconds: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
}

/// `RollingUpdate` (node by node, bounded by `rollingUpdate`) or `OnDelete` (only when a pod is
/// deleted by hand).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.DaemonSetUpdateStrategy")]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetUpdateStrategy {
    #[serde(
        rename = "type",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub type_: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDaemonSet>,
}

/// How many nodes may be without a ready daemon pod (`maxUnavailable`) or run an old and a new one
/// side by side (`maxSurge`) during a rolling update.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.RollingUpdateDaemonSet")]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateDaemonSet {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

/// Node counts the daemon set controller last observed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.DaemonSetStatus")]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetStatus {
    #[serde(default, deserialize_with = "nullable")]
    pub current_number_scheduled: i32,
    /// Nodes running the daemon pod that should not.
    #[serde(default, deserialize_with = "nullable")]
    pub number_misscheduled: i32,
    #[serde(default, deserialize_with = "nullable")]
    pub desired_number_scheduled: i32,
    #[serde(default, deserialize_with = "nullable")]
    pub number_ready: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub observed_generation: i64,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub updated_number_scheduled: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub number_available: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub number_unavailable: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<DaemonSetCondition>,
}

/// One observation about a daemon set; upstream defines no standard types yet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.apps.v1.DaemonSetCondition")]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetCondition {
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

    /// A node-agent DaemonSet with status, printed by kubectl v1.32.4's Go types: `kubectl set
    /// image --local -f daemonset.json agent=fluent-bit:3.1 -o json`.
    #[test]
    fn kubectl_encoded_daemon_set_round_trips() {
        let golden: Value = serde_json::from_str(include_str!("testdata/daemonset.json")).unwrap();
        let daemon_set: DaemonSet = assert_round_trip(&golden);
        let rolling = daemon_set.spec.update_strategy.rolling_update.as_ref().unwrap();
        assert_eq!(rolling.max_unavailable, Some(IntOrString::Int(1)));
        assert_eq!(daemon_set.status.desired_number_scheduled, 3);
        assert_eq!(DaemonSet::PLURAL, "daemonsets");
    }

    #[test]
    fn required_counters_are_always_written() {
        assert_eq!(
            serde_json::to_value(DaemonSetStatus::default()).unwrap(),
            json!({
                "currentNumberScheduled": 0,
                "numberMisscheduled": 0,
                "desiredNumberScheduled": 0,
                "numberReady": 0
            })
        );
    }
}
