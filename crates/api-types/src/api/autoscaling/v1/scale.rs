//! `Scale`: the `/scale` subresource of replicated workloads, through which `kubectl scale` and
//! autoscalers read and set a replica count without knowing the workload's kind.

use crate::meta::v1::ObjectMeta;
use crate::serde_util::{is_zero, nullable};
use serde::{Deserialize, Serialize};

/// A kind-neutral view of a workload's desired and observed replica count.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.autoscaling.v1.Scale")]
#[serde(rename_all = "camelCase")]
pub struct Scale {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// The metadata of the scaled object itself (name, namespace, uid, resourceVersion).
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: ScaleSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: ScaleStatus,
}

// Scale exists only as a subresource (`deployments/scale`); its "plural" is that path segment.
crate::impl_resource!(
    Scale,
    group = "autoscaling",
    version = "v1",
    kind = "Scale",
    plural = "scale",
    namespaced = true
);

/// The replica count asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.autoscaling.v1.ScaleSpec")]
#[serde(rename_all = "camelCase")]
pub struct ScaleSpec {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub replicas: i32,
}

/// The replica count observed, and the pod selector in query-string form (`app=web`) so that
/// autoscalers can find the pods without understanding the workload's selector type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.autoscaling.v1.ScaleStatus")]
#[serde(rename_all = "camelCase")]
pub struct ScaleStatus {
    #[serde(default, deserialize_with = "nullable")]
    pub replicas: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub selector: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn deployment_scale_round_trips() {
        // The body upstream serves at /apis/apps/v1/namespaces/default/deployments/web/scale.
        let wire = json!({
            "kind": "Scale",
            "apiVersion": "autoscaling/v1",
            "metadata": {
                "name": "web",
                "namespace": "default",
                "uid": "4b3a2c1d-0e9f-4a8b-7c6d-5e4f3a2b1c0d",
                "resourceVersion": "2301",
                "creationTimestamp": "2025-03-10T09:20:04Z"
            },
            "spec": {"replicas": 3},
            "status": {"replicas": 3, "selector": "app=web"}
        });
        let scale: Scale = assert_round_trip(&wire);
        assert_eq!(scale.spec.replicas, 3);
        assert_eq!(scale.status.selector, "app=web");
    }

    #[test]
    fn scaled_to_zero_omits_spec_replicas_but_not_status_replicas() {
        // `kubectl scale --replicas=0` as Go writes it: spec.replicas is omitempty,
        // status.replicas is not.
        let wire = json!({
            "kind": "Scale",
            "apiVersion": "autoscaling/v1",
            "metadata": {"name": "web", "namespace": "default", "creationTimestamp": null},
            "spec": {},
            "status": {"replicas": 0}
        });
        let scale: Scale = assert_round_trip(&wire);
        assert_eq!(scale.spec.replicas, 0);
        let from_nulls: Scale =
            serde_json::from_value(json!({"spec": {"replicas": null}, "status": null})).unwrap();
        assert_eq!(from_nulls, Scale::default());
    }

    #[test]
    fn identity() {
        assert_eq!(
            (Scale::API_VERSION, Scale::KIND, Scale::PLURAL, Scale::NAMESPACED),
            ("autoscaling/v1", "Scale", "scale", true)
        );
        let mut object = Scale::default();
        object.set_type_meta();
        assert_eq!(
            (object.api_version.as_str(), object.kind.as_str()),
            ("autoscaling/v1", "Scale")
        );
    }
}
