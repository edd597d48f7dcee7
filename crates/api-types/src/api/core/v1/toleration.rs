//! `Toleration`: lets a pod schedule onto (or stay on) nodes carrying matching taints.

use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// Matches taints by key, value and effect. With `operator: Exists` and no key it tolerates
/// everything; `tolerationSeconds` bounds how long a `NoExecute` taint is tolerated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Toleration")]
#[serde(rename_all = "camelCase")]
pub struct Toleration {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// `Equal` (the default when empty), `Exists`, `Lt` or `Gt`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub operator: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`; empty matches every effect.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub effect: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    /// The two tolerations the DefaultTolerationSeconds admission plugin adds to every pod.
    #[test]
    fn default_not_ready_tolerations_round_trip() {
        let wire = json!([
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
        ]);
        let tolerations: Vec<Toleration> = assert_round_trip(&wire);
        assert_eq!(tolerations[0].toleration_seconds, Some(300));
    }

    #[test]
    fn tolerate_everything_is_just_exists() {
        let toleration: Toleration = serde_json::from_value(json!({"operator": "Exists"})).unwrap();
        assert!(toleration.key.is_empty() && toleration.effect.is_empty());
        assert_eq!(serde_json::to_value(&toleration).unwrap(), json!({"operator": "Exists"}));
    }
}
