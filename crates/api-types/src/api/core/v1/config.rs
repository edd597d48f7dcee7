//! `Secret` and `ConfigMap`: named bags of data that pods consume as files or environment.

use crate::meta::v1::ObjectMeta;
use crate::serde_util::{ByteString, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Sensitive data (passwords, tokens, keys), held as bytes and written as base64.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Secret")]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// When true, `data` can no longer change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<bool>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, ByteString>,
    /// Write-only convenience input in plain text; the registry merges it into `data` and never
    /// returns it. Kept verbatim here: the merge is the registry's job.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub string_data: BTreeMap<String, String>,
    /// `Opaque`, `kubernetes.io/tls`, `kubernetes.io/dockerconfigjson`, ...
    #[serde(
        rename = "type",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub type_: String,
}

crate::impl_resource!(
    Secret,
    group = "",
    version = "v1",
    kind = "Secret",
    plural = "secrets",
    namespaced = true
);

/// Non-sensitive configuration: UTF-8 text in `data`, anything else in `binaryData`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ConfigMap")]
#[serde(rename_all = "camelCase")]
pub struct ConfigMap {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// When true, `data` and `binaryData` can no longer change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<bool>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub binary_data: BTreeMap<String, ByteString>,
}

crate::impl_resource!(
    ConfigMap,
    group = "",
    version = "v1",
    kind = "ConfigMap",
    plural = "configmaps",
    namespaced = true
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn kubectl_create_secret_generic_round_trips_and_decodes() {
        // Output of `kubectl create secret generic db-creds --from-literal=username=admin
        // --from-literal='password=s3cr3t!' --dry-run=client -o json` (kubectl v1.32.4).
        let wire = json!({
            "kind": "Secret",
            "apiVersion": "v1",
            "metadata": {"name": "db-creds", "creationTimestamp": null},
            "data": {"password": "czNjcjN0IQ==", "username": "YWRtaW4="}
        });
        let secret: Secret = assert_round_trip(&wire);
        assert_eq!(secret.data["username"].0, b"admin");
        assert_eq!(secret.data["password"].0, b"s3cr3t!");
        assert_eq!(secret.type_, "");
    }

    #[test]
    fn kubectl_create_secret_docker_registry_round_trips() {
        // Output of `kubectl create secret docker-registry regcred
        // --docker-server=registry.example.com --docker-username=u --docker-password=p
        // --dry-run=client -o json` (kubectl v1.32.4).
        let wire = json!({
            "kind": "Secret",
            "apiVersion": "v1",
            "metadata": {"name": "regcred", "creationTimestamp": null},
            "data": {
                ".dockerconfigjson": "eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0="
            },
            "type": "kubernetes.io/dockerconfigjson"
        });
        let secret: Secret = assert_round_trip(&wire);
        let config: serde_json::Value =
            serde_json::from_slice(&secret.data[".dockerconfigjson"].0).unwrap();
        assert_eq!(config["auths"]["registry.example.com"]["auth"], "dTpw");
    }

    #[test]
    fn secret_bytes_need_not_be_utf8() {
        let mut secret = Secret { immutable: Some(true), ..Default::default() };
        secret.data.insert("key.der".to_string(), ByteString(vec![0x00, 0xff, 0x80, 0x0a]));
        let written = serde_json::to_value(&secret).unwrap();
        assert_eq!(
            written,
            json!({"metadata": {"creationTimestamp": null}, "immutable": true, "data": {"key.der": "AP+ACg=="}})
        );
        let read: Secret = serde_json::from_value(written).unwrap();
        assert_eq!(read, secret);
    }

    #[test]
    fn secret_rejects_invalid_base64() {
        let err = serde_json::from_value::<Secret>(json!({"data": {"password": "not base64!"}}))
            .unwrap_err();
        assert!(err.to_string().contains("illegal base64"), "{err}");
    }

    #[test]
    fn secret_string_data_is_kept_as_sent() {
        // As `kubectl apply` sends a manifest that uses stringData: plain text, next to data.
        let wire = json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "mixed", "namespace": "default"},
            "data": {"a": "YQ=="},
            "stringData": {"b": "plain text, not base64"},
            "type": "Opaque"
        });
        let secret: Secret = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(secret.string_data["b"], "plain text, not base64");
        let mut expected = wire;
        expected["metadata"]["creationTimestamp"] = json!(null);
        assert_eq!(serde_json::to_value(&secret).unwrap(), expected);
    }

    #[test]
    fn kubectl_create_configmap_round_trips() {
        // Output of `kubectl create configmap app-config --from-literal=mode=prod
        // --from-literal=replicas=3 --dry-run=client -o json` (kubectl v1.32.4).
        let wire = json!({
            "kind": "ConfigMap",
            "apiVersion": "v1",
            "metadata": {"name": "app-config", "creationTimestamp": null},
            "data": {"mode": "prod", "replicas": "3"}
        });
        let config_map: ConfigMap = assert_round_trip(&wire);
        assert_eq!(config_map.data["replicas"], "3");
    }

    #[test]
    fn kubectl_create_configmap_with_binary_file_round_trips() {
        // Output of `kubectl create configmap bins --from-file=blob.bin=/tmp/blob.bin
        // --from-literal=note=hi --dry-run=client -o json`, where blob.bin holds the four bytes
        // 00 01 fe ff (kubectl v1.32.4 puts non-UTF-8 files in binaryData).
        let wire = json!({
            "kind": "ConfigMap",
            "apiVersion": "v1",
            "metadata": {"name": "bins", "creationTimestamp": null},
            "data": {"note": "hi"},
            "binaryData": {"blob.bin": "AAH+/w=="}
        });
        let config_map: ConfigMap = assert_round_trip(&wire);
        assert_eq!(config_map.binary_data["blob.bin"].0, [0x00, 0x01, 0xfe, 0xff]);
    }

    #[test]
    fn nulls_read_as_empty() {
        let secret: Secret = serde_json::from_value(json!({
            "metadata": {"name": "s"}, "data": null, "stringData": null, "type": null, "immutable": null
        }))
        .unwrap();
        assert!(secret.data.is_empty() && secret.type_.is_empty() && secret.immutable.is_none());
        let config_map: ConfigMap = serde_json::from_str(
            r#"{"metadata": null, "data": null, "binaryData": {"empty": null}}"#,
        )
        .unwrap();
        assert!(config_map.binary_data["empty"].0.is_empty());
    }

    #[test]
    fn identity() {
        assert_eq!(
            (Secret::API_VERSION, Secret::KIND, Secret::PLURAL, Secret::NAMESPACED),
            ("v1", "Secret", "secrets", true)
        );
        let mut object = Secret::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "Secret"));
        assert_eq!(
            (ConfigMap::API_VERSION, ConfigMap::KIND, ConfigMap::PLURAL, ConfigMap::NAMESPACED),
            ("v1", "ConfigMap", "configmaps", true)
        );
        let mut object = ConfigMap::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "ConfigMap"));
    }
}
