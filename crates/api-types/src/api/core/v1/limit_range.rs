//! `LimitRange`: per-namespace bounds and defaults for the resources of each pod, container or
//! claim, applied by the LimitRanger admission plugin.

use crate::meta::v1::ObjectMeta;
use crate::quantity::Quantity;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The resource limits enforced (and defaults injected) in one namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.LimitRange")]
#[serde(rename_all = "camelCase")]
pub struct LimitRange {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: LimitRangeSpec,
}

crate::impl_resource!(
    LimitRange,
    group = "",
    version = "v1",
    kind = "LimitRange",
    plural = "limitranges",
    namespaced = true
);

/// The list of limits; always written, as `[]` when empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.LimitRangeSpec")]
#[serde(rename_all = "camelCase")]
pub struct LimitRangeSpec {
    #[serde(default, deserialize_with = "nullable")]
    pub limits: Vec<LimitRangeItem>,
}

/// Bounds and defaults for one kind of object, each keyed by resource name (`cpu`, `memory`,
/// `storage`, ...).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.LimitRangeItem")]
#[serde(rename_all = "camelCase")]
pub struct LimitRangeItem {
    /// `Pod`, `Container` or `PersistentVolumeClaim`.
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub max: BTreeMap<String, Quantity>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub min: BTreeMap<String, Quantity>,
    /// The limit given to a container that sets none.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub default: BTreeMap<String, Quantity>,
    /// The request given to a container that sets none.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub default_request: BTreeMap<String, Quantity>,
    /// The largest allowed limit-to-request ratio.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub max_limit_request_ratio: BTreeMap<String, Quantity>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn stored_limit_range_round_trips() {
        // A LimitRange as the apiserver returns it: container bounds and defaults plus a
        // claim size range, quantities in the canonical form upstream writes.
        let wire = json!({
            "apiVersion": "v1",
            "kind": "LimitRange",
            "metadata": {
                "creationTimestamp": "2025-03-10T09:00:00Z",
                "name": "limits",
                "namespace": "team-a",
                "resourceVersion": "901",
                "uid": "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"
            },
            "spec": {
                "limits": [
                    {
                        "default": {"cpu": "500m", "memory": "512Mi"},
                        "defaultRequest": {"cpu": "250m", "memory": "256Mi"},
                        "max": {"cpu": "2", "memory": "1Gi"},
                        "maxLimitRequestRatio": {"cpu": "4"},
                        "min": {"cpu": "100m", "memory": "64Mi"},
                        "type": "Container"
                    },
                    {"max": {"storage": "10Gi"}, "min": {"storage": "1Gi"}, "type": "PersistentVolumeClaim"}
                ]
            }
        });
        let limit_range: LimitRange = assert_round_trip(&wire);
        let container = &limit_range.spec.limits[0];
        assert_eq!(container.type_, "Container");
        assert_eq!(serde_json::to_value(&container.default["cpu"]).unwrap(), json!("500m"));
        assert_eq!(limit_range.spec.limits[1].max.len(), 1);
    }

    #[test]
    fn limits_and_type_are_always_written() {
        assert_eq!(
            serde_json::to_value(LimitRange::default()).unwrap(),
            json!({"metadata": {"creationTimestamp": null}, "spec": {"limits": []}})
        );
        assert_eq!(serde_json::to_value(LimitRangeItem::default()).unwrap(), json!({"type": ""}));
    }

    #[test]
    fn nulls_read_as_empty() {
        let limit_range: LimitRange = serde_json::from_value(json!({
            "spec": {"limits": [{"type": "Pod", "max": null, "default": null}]}
        }))
        .unwrap();
        assert!(limit_range.spec.limits[0].max.is_empty());
        let empty: LimitRange = serde_json::from_value(json!({"spec": null})).unwrap();
        assert!(empty.spec.limits.is_empty());
    }

    #[test]
    fn identity() {
        assert_eq!(
            (LimitRange::API_VERSION, LimitRange::KIND, LimitRange::PLURAL, LimitRange::NAMESPACED),
            ("v1", "LimitRange", "limitranges", true)
        );
        let mut object = LimitRange::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "LimitRange"));
    }
}
