//! A container's environment: literal variables, variables read from the pod, its resources,
//! ConfigMaps, Secrets or env files, and whole ConfigMaps or Secrets imported at once. The field and
//! resource selectors are shared with downward-API volumes.

use super::LocalObjectReference;
use crate::quantity::Quantity;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// One environment variable: a literal `value` or a `valueFrom` source.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EnvVar")]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// May reference earlier variables as `$(NAME)`; the kubelet expands them.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<EnvVarSource>,
}

/// Where a variable's value comes from; exactly one member is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EnvVarSource")]
#[serde(rename_all = "camelCase")]
pub struct EnvVarSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_ref: Option<ObjectFieldSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_field_ref: Option<ResourceFieldSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_key_ref: Option<ConfigMapKeySelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key_ref: Option<SecretKeySelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_key_ref: Option<FileKeySelector>,
}

/// Reads one key of an env file that an init container wrote into a volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.FileKeySelector")]
#[serde(rename_all = "camelCase")]
pub struct FileKeySelector {
    #[serde(default, deserialize_with = "nullable")]
    pub volume_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub path: String,
    #[serde(default, deserialize_with = "nullable")]
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Selects a field of the pod itself (`metadata.name`, `status.podIP`, a label, ...): the downward
/// API's view of the pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ObjectFieldSelector")]
#[serde(rename_all = "camelCase")]
pub struct ObjectFieldSelector {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub field_path: String,
}

/// Selects a container's resource request or limit (`limits.memory`), scaled by `divisor`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ResourceFieldSelector")]
#[serde(rename_all = "camelCase")]
pub struct ResourceFieldSelector {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub container_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub resource: String,
    /// A non-pointer `Quantity` upstream: always written (`divisor: "0"` when unset).
    #[serde(default, deserialize_with = "nullable")]
    pub divisor: Quantity,
}

/// Selects one key of a ConfigMap in the pod's namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ConfigMapKeySelector")]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapKeySelector {
    #[serde(flatten)]
    pub local_object_reference: LocalObjectReference,
    #[serde(default, deserialize_with = "nullable")]
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Selects one key of a Secret in the pod's namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.SecretKeySelector")]
#[serde(rename_all = "camelCase")]
pub struct SecretKeySelector {
    #[serde(flatten)]
    pub local_object_reference: LocalObjectReference,
    #[serde(default, deserialize_with = "nullable")]
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Imports every key of a ConfigMap or Secret as variables, each name optionally prefixed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EnvFromSource")]
#[serde(rename_all = "camelCase")]
pub struct EnvFromSource {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_ref: Option<ConfigMapEnvSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretEnvSource>,
}

/// The ConfigMap an `envFrom` entry imports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ConfigMapEnvSource")]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapEnvSource {
    #[serde(flatten)]
    pub local_object_reference: LocalObjectReference,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// The Secret an `envFrom` entry imports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.SecretEnvSource")]
#[serde(rename_all = "camelCase")]
pub struct SecretEnvSource {
    #[serde(flatten)]
    pub local_object_reference: LocalObjectReference,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    #[test]
    fn every_value_source_round_trips() {
        let wire = json!([
            {"name": "GREETING", "value": "hello $(NAME)"},
            {"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}},
            {"name": "MEM_LIMIT", "valueFrom": {"resourceFieldRef": {
                "containerName": "web", "resource": "limits.memory", "divisor": "1Mi"}}},
            {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "mode", "optional": true}}},
            {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "token"}}},
            {"name": "FROM_FILE", "valueFrom": {"fileKeyRef": {
                "volumeName": "config", "path": "app.env", "key": "LEVEL", "optional": false}}}
        ]);
        let vars: Vec<EnvVar> = assert_round_trip(&wire);
        let secret = vars[4].value_from.as_ref().unwrap().secret_key_ref.as_ref().unwrap();
        assert_eq!(secret.local_object_reference.name, "creds");
        assert_eq!(secret.key, "token");
    }

    #[test]
    fn env_from_names_sit_inline() {
        let wire = json!([
            {"configMapRef": {"name": "settings"}},
            {"prefix": "DB_", "secretRef": {"name": "db", "optional": true}}
        ]);
        let sources: Vec<EnvFromSource> = assert_round_trip(&wire);
        assert_eq!(sources[1].secret_ref.as_ref().unwrap().local_object_reference.name, "db");
    }

    #[test]
    fn empty_value_is_omitted_and_null_tolerated() {
        let var: EnvVar = serde_json::from_value(json!({"name": "EMPTY", "value": null})).unwrap();
        assert_eq!(serde_json::to_value(&var).unwrap(), json!({"name": "EMPTY"}));
    }
}
