//! `Condition`: upstream's `metav1.Condition`, the standard condition shape newer status types
//! (Service `status.conditions`) use instead of a kind-specific condition struct.
//!
//! It lives here until `meta::v1` grows it; it has no core/v1 dependencies, so moving it is a
//! change of path only.

use crate::meta::v1::Time;
use crate::serde_util::{is_zero, nullable};
use serde::{Deserialize, Serialize};

/// One observation of an aspect of an object's state. Unlike the older per-kind conditions,
/// `reason` and `message` are always written, and `observedGeneration` ties the observation to
/// the spec generation it was made against.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Condition")]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub observed_generation: i64,
    /// A non-pointer `metav1.Time` upstream: written as `null` when unset.
    #[serde(default)]
    pub last_transition_time: Option<Time>,
    #[serde(default, deserialize_with = "nullable")]
    pub reason: String,
    #[serde(default, deserialize_with = "nullable")]
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    #[test]
    fn condition_round_trips_with_empty_message() {
        // Shape of a condition written by a Go controller through `meta.SetStatusCondition`.
        let wire = json!({
            "type": "LoadBalancerPortsError",
            "status": "True",
            "observedGeneration": 3,
            "lastTransitionTime": "2025-03-10T09:31:02Z",
            "reason": "LoadBalancerMixedProtocolNotSupported",
            "message": ""
        });
        let condition: Condition = assert_round_trip(&wire);
        assert_eq!(condition.type_, "LoadBalancerPortsError");
        assert_eq!(condition.observed_generation, 3);
    }

    #[test]
    fn unset_condition_writes_required_fields_like_go() {
        assert_eq!(
            serde_json::to_value(Condition::default()).unwrap(),
            json!({"type": "", "status": "", "lastTransitionTime": null, "reason": "", "message": ""})
        );
        let read: Condition = serde_json::from_value(json!({
            "type": "Ready", "status": "True", "lastTransitionTime": null,
            "reason": null, "message": null, "observedGeneration": null
        }))
        .unwrap();
        assert_eq!(read.last_transition_time, None);
        assert_eq!(read.reason, "");
    }
}
