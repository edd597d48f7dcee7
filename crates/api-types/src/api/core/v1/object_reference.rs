//! `ObjectReference` and `LocalObjectReference`: the loose pointers core/v1 uses to name another
//! object (an event's subject, an endpoint's pod, a service account's secrets).

use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// Points at any object by kind, namespace and name, optionally pinned to a uid, resourceVersion
/// or a field inside it (`spec.containers{web}`). Every field is optional on the wire, so a
/// reference carries exactly what its writer knew.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ObjectReference")]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub field_path: String,
}

/// Names an object in the referrer's own namespace whose kind is implied by the field holding it
/// (`imagePullSecrets`, `secretRef`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.LocalObjectReference")]
#[serde(rename_all = "camelCase")]
pub struct LocalObjectReference {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    #[test]
    fn container_reference_from_a_kubelet_event_round_trips() {
        // The `involvedObject` a kubelet writes when it pulls an image for a container.
        let wire = json!({
            "kind": "Pod",
            "namespace": "default",
            "name": "web-7c9d8b5f4-x2l9q",
            "uid": "0b7e2f4a-61c3-4d0e-9a59-1f3e8c2d7a10",
            "apiVersion": "v1",
            "resourceVersion": "2190",
            "fieldPath": "spec.containers{web}"
        });
        let reference: ObjectReference = assert_round_trip(&wire);
        assert_eq!(reference.field_path, "spec.containers{web}");
    }

    #[test]
    fn empty_fields_are_omitted_and_nulls_accepted() {
        let reference: ObjectReference =
            serde_json::from_value(json!({"name": "builder-token", "kind": null, "uid": null}))
                .unwrap();
        assert_eq!(serde_json::to_value(&reference).unwrap(), json!({"name": "builder-token"}));
        let local: LocalObjectReference = serde_json::from_value(json!({"name": null})).unwrap();
        assert_eq!(serde_json::to_value(&local).unwrap(), json!({}));
    }
}
