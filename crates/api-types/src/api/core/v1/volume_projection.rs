//! Volumes assembled from several sources into one directory (projected volumes), and the
//! downward API, which writes the pod's own fields and resources as files.

use super::{KeyToPath, LocalObjectReference, ObjectFieldSelector, ResourceFieldSelector};
use crate::meta::v1::LabelSelector;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Several sources (Secrets, ConfigMaps, downward API, service-account tokens, trust bundles,
/// pod certificates) merged into one volume; the kube-apiserver's token volume is one of these.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ProjectedVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct ProjectedVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub sources: Vec<VolumeProjection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
}

/// One source of a projected volume; exactly one member is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.VolumeProjection")]
#[serde(rename_all = "camelCase")]
pub struct VolumeProjection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretProjection>,
    #[serde(rename = "downwardAPI", default, skip_serializing_if = "Option::is_none")]
    pub downward_api: Option<DownwardAPIProjection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<ConfigMapProjection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_token: Option<ServiceAccountTokenProjection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_trust_bundle: Option<ClusterTrustBundleProjection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_certificate: Option<PodCertificateProjection>,
}

/// A Secret's keys inside a projected volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.SecretProjection")]
#[serde(rename_all = "camelCase")]
pub struct SecretProjection {
    #[serde(flatten)]
    pub local_object_reference: LocalObjectReference,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<KeyToPath>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// A ConfigMap's keys inside a projected volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ConfigMapProjection")]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapProjection {
    #[serde(flatten)]
    pub local_object_reference: LocalObjectReference,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<KeyToPath>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Downward-API files inside a projected volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.DownwardAPIProjection")]
#[serde(rename_all = "camelCase")]
pub struct DownwardAPIProjection {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<DownwardAPIVolumeFile>,
}

/// A bound, auto-rotated service-account token written at `path`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ServiceAccountTokenProjection")]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccountTokenProjection {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub audience: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_seconds: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    pub path: String,
}

/// The certificates of selected ClusterTrustBundles, written as one PEM file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ClusterTrustBundleProjection")]
#[serde(rename_all = "camelCase")]
pub struct ClusterTrustBundleProjection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub path: String,
}

/// A kubelet-generated key and a certificate issued for the pod by `signerName`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodCertificateProjection")]
#[serde(rename_all = "camelCase")]
pub struct PodCertificateProjection {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub signer_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub key_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_expiration_seconds: Option<i32>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub credential_bundle_path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub key_path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub certificate_chain_path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub user_annotations: BTreeMap<String, String>,
}

/// A volume of files holding the pod's own metadata and resources.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.DownwardAPIVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct DownwardAPIVolumeSource {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<DownwardAPIVolumeFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
}

/// One downward-API file: a pod field or a container resource written at `path`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.DownwardAPIVolumeFile")]
#[serde(rename_all = "camelCase")]
pub struct DownwardAPIVolumeFile {
    #[serde(default, deserialize_with = "nullable")]
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_ref: Option<ObjectFieldSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_field_ref: Option<ResourceFieldSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::Volume;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    /// The `kube-api-access-*` volume the ServiceAccount admission plugin adds to every pod, as a
    /// real apiserver returns it.
    #[test]
    fn service_account_token_volume_round_trips() {
        let wire = json!({
            "name": "kube-api-access-7xq2k",
            "projected": {
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                    {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}
                ],
                "defaultMode": 420
            }
        });
        let volume: Volume = assert_round_trip(&wire);
        let projected = volume.volume_source.projected.as_ref().unwrap();
        assert_eq!(projected.sources.len(), 3);
        assert_eq!(
            projected.sources[0].service_account_token.as_ref().unwrap().expiration_seconds,
            Some(3607)
        );
    }

    #[test]
    fn newer_projections_round_trip() {
        let wire = json!({
            "sources": [
                {"secret": {"name": "extra", "items": [{"key": "a", "path": "a.txt", "mode": 384}], "optional": true}},
                {"serviceAccountToken": {"audience": "vault", "expirationSeconds": 600, "path": "vault-token"}},
                {"clusterTrustBundle": {"signerName": "example.com/signer", "labelSelector": {"matchLabels": {"trust": "yes"}}, "optional": true, "path": "bundle.pem"}},
                {"podCertificate": {
                    "signerName": "example.com/pods", "keyType": "ED25519", "maxExpirationSeconds": 86400,
                    "credentialBundlePath": "creds.pem", "keyPath": "tls.key", "certificateChainPath": "tls.crt",
                    "userAnnotations": {"example.com/team": "web"}
                }}
            ]
        });
        let source: ProjectedVolumeSource = assert_round_trip(&wire);
        let certificate = source.sources[3].pod_certificate.as_ref().unwrap();
        assert_eq!(certificate.max_expiration_seconds, Some(86400));
    }

    #[test]
    fn downward_api_volume_round_trips() {
        let wire = json!({
            "items": [
                {"path": "labels", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"}},
                {"path": "cpu_limit", "resourceFieldRef": {"containerName": "web", "resource": "limits.cpu", "divisor": "1m"}, "mode": 292}
            ],
            "defaultMode": 420
        });
        let source: DownwardAPIVolumeSource = assert_round_trip(&wire);
        assert_eq!(source.items[1].mode, Some(292));
    }

    #[test]
    fn projected_sources_are_always_written() {
        let source = ProjectedVolumeSource::default();
        assert_eq!(serde_json::to_value(&source).unwrap(), json!({"sources": []}));
    }
}
