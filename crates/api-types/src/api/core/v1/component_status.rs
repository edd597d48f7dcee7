//! `ComponentStatus`: the (deprecated) health of control-plane components, still served for
//! `kubectl get componentstatuses`.

use crate::meta::v1::ObjectMeta;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// The health of one component (`scheduler`, `controller-manager`, `etcd-0`), computed when read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ComponentStatus")]
#[serde(rename_all = "camelCase")]
pub struct ComponentStatus {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ComponentCondition>,
}

crate::impl_resource!(
    ComponentStatus,
    group = "",
    version = "v1",
    kind = "ComponentStatus",
    plural = "componentstatuses",
    namespaced = false
);

/// One health check result; the only type is `Healthy`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ComponentCondition")]
#[serde(rename_all = "camelCase")]
pub struct ComponentCondition {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub error: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn component_statuses_round_trip() {
        // The shapes upstream's apiserver serves at /api/v1/componentstatuses/<name>: computed
        // on read, so no uid or resourceVersion, and a null creationTimestamp.
        let healthy = json!({
            "kind": "ComponentStatus",
            "apiVersion": "v1",
            "metadata": {"name": "etcd-0", "creationTimestamp": null},
            "conditions": [{"type": "Healthy", "status": "True", "message": "ok"}]
        });
        let unhealthy = json!({
            "kind": "ComponentStatus",
            "apiVersion": "v1",
            "metadata": {"name": "scheduler", "creationTimestamp": null},
            "conditions": [{
                "type": "Healthy",
                "status": "False",
                "error": "Get \"https://127.0.0.1:10259/healthz\": dial tcp 127.0.0.1:10259: connect: connection refused"
            }]
        });
        let etcd: ComponentStatus = assert_round_trip(&healthy);
        assert_eq!(etcd.conditions[0].message, "ok");
        let scheduler: ComponentStatus = assert_round_trip(&unhealthy);
        assert!(scheduler.conditions[0].error.contains("connection refused"));
    }

    #[test]
    fn nulls_read_as_empty() {
        let status: ComponentStatus = serde_json::from_value(json!({
            "conditions": [{"type": null, "status": null, "message": null, "error": null}]
        }))
        .unwrap();
        assert_eq!(status.conditions, [ComponentCondition::default()]);
        assert_eq!(
            serde_json::to_value(&status.conditions[0]).unwrap(),
            json!({"type": "", "status": ""})
        );
    }

    #[test]
    fn identity() {
        assert_eq!(
            (
                ComponentStatus::API_VERSION,
                ComponentStatus::KIND,
                ComponentStatus::PLURAL,
                ComponentStatus::NAMESPACED
            ),
            ("v1", "ComponentStatus", "componentstatuses", false)
        );
        let mut object = ComponentStatus::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "ComponentStatus"));
    }
}
