//! Pod volumes: `Volume` names one `VolumeSource`, and the Kubernetes-native sources (host path,
//! emptyDir, Secret, ConfigMap, PVC, generic ephemeral, CSI, image) live here. Network and cloud
//! storage plugins are in `volume_plugin`, projections and the downward API in
//! `volume_projection`.

use super::{
    AWSElasticBlockStoreVolumeSource, AzureDiskVolumeSource, AzureFileVolumeSource,
    CephFSVolumeSource, CinderVolumeSource, DownwardAPIVolumeSource, FCVolumeSource,
    FlexVolumeSource, FlockerVolumeSource, GCEPersistentDiskVolumeSource, GlusterfsVolumeSource,
    ISCSIVolumeSource, LocalObjectReference, NFSVolumeSource, PersistentVolumeClaimSpec,
    PhotonPersistentDiskVolumeSource, PortworxVolumeSource, ProjectedVolumeSource,
    QuobyteVolumeSource, RBDVolumeSource, ScaleIOVolumeSource, StorageOSVolumeSource,
    VsphereVirtualDiskVolumeSource,
};
use crate::meta::v1::ObjectMeta;
use crate::quantity::Quantity;
use crate::serde_util::{is_false, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A named volume of a pod; containers mount it by name. The source's fields sit inline next to
/// `name`, as upstream embeds `VolumeSource`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Volume")]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(flatten)]
    pub volume_source: VolumeSource,
}

/// Where a pod volume's data comes from; exactly one member is set (validation enforces it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.VolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct VolumeSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<HostPathVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<EmptyDirVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gce_persistent_disk: Option<GCEPersistentDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_elastic_block_store: Option<AWSElasticBlockStoreVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_repo: Option<GitRepoVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nfs: Option<NFSVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iscsi: Option<ISCSIVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glusterfs: Option<GlusterfsVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim: Option<PersistentVolumeClaimVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rbd: Option<RBDVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flex_volume: Option<FlexVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cinder: Option<CinderVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cephfs: Option<CephFSVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flocker: Option<FlockerVolumeSource>,
    #[serde(rename = "downwardAPI", default, skip_serializing_if = "Option::is_none")]
    pub downward_api: Option<DownwardAPIVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fc: Option<FCVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_file: Option<AzureFileVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<ConfigMapVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vsphere_volume: Option<VsphereVirtualDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quobyte: Option<QuobyteVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_disk: Option<AzureDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photon_persistent_disk: Option<PhotonPersistentDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projected: Option<ProjectedVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portworx_volume: Option<PortworxVolumeSource>,
    #[serde(rename = "scaleIO", default, skip_serializing_if = "Option::is_none")]
    pub scale_io: Option<ScaleIOVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storageos: Option<StorageOSVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csi: Option<CSIVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral: Option<EphemeralVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageVolumeSource>,
}

/// A file or directory of the node mounted into the pod; `type` (`Directory`, `FileOrCreate`,
/// `Socket`, ...) says what must exist there.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.HostPathVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct HostPathVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub path: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
}

/// Scratch space that lives as long as the pod, on the node's disk or (`medium: Memory`) tmpfs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EmptyDirVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct EmptyDirVolumeSource {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub medium: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_limit: Option<Quantity>,
}

/// A git checkout made before the pod starts (deprecated upstream in favour of init containers).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.GitRepoVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct GitRepoVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub repository: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub revision: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub directory: String,
}

/// A Secret's keys presented as files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.SecretVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct SecretVolumeSource {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub secret_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<KeyToPath>,
    /// File mode bits (decimal on the wire, 0644 = 420 by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// A ConfigMap's keys presented as files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ConfigMapVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapVolumeSource {
    #[serde(flatten)]
    pub local_object_reference: LocalObjectReference,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<KeyToPath>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// Projects one key of a Secret or ConfigMap to a chosen relative path, with its own mode.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.KeyToPath")]
#[serde(rename_all = "camelCase")]
pub struct KeyToPath {
    #[serde(default, deserialize_with = "nullable")]
    pub key: String,
    #[serde(default, deserialize_with = "nullable")]
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<i32>,
}

/// Mounts the volume bound to a PersistentVolumeClaim of the pod's namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub claim_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// Inline ephemeral storage served by a CSI driver, without a PVC.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.CSIVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct CSIVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub driver: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_type: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub volume_attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_publish_secret_ref: Option<LocalObjectReference>,
}

/// A PVC created for the pod from a template and deleted with it: per-pod storage from a
/// provisioner.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EphemeralVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct EphemeralVolumeSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_claim_template: Option<PersistentVolumeClaimTemplate>,
}

/// The claim an ephemeral volume creates: labels and annotations plus a full claim spec.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PersistentVolumeClaimTemplate")]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimTemplate {
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: PersistentVolumeClaimSpec,
}

/// An OCI image or artifact mounted read-only as a volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ImageVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct ImageVolumeSource {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reference: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub pull_policy: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    /// Volumes as a real apiserver returns them after defaulting (mode bits in decimal, `emptyDir:
    /// {}`, the projected service-account token volume the admission plugin injects).
    #[test]
    fn defaulted_pod_volumes_round_trip() {
        let wire = json!([
            {"name": "cache", "emptyDir": {}},
            {"name": "shm", "emptyDir": {"medium": "Memory", "sizeLimit": "256Mi"}},
            {"name": "host-logs", "hostPath": {"path": "/var/log", "type": "Directory"}},
            {"name": "tls", "secret": {
                "secretName": "web-tls",
                "items": [{"key": "tls.crt", "path": "cert.pem", "mode": 256}],
                "defaultMode": 420,
                "optional": false
            }},
            {"name": "config", "configMap": {"name": "web-config", "defaultMode": 420}},
            {"name": "data", "persistentVolumeClaim": {"claimName": "web-data", "readOnly": true}},
            {"name": "inline", "csi": {
                "driver": "secrets-store.csi.k8s.io",
                "readOnly": true,
                "volumeAttributes": {"secretProviderClass": "vault"},
                "nodePublishSecretRef": {"name": "vault-creds"}
            }},
            {"name": "models", "image": {"reference": "registry.example/models:v1", "pullPolicy": "IfNotPresent"}},
            {"name": "checkout", "gitRepo": {"repository": "https://example.com/site.git", "revision": "main", "directory": "."}}
        ]);
        let volumes: Vec<Volume> = assert_round_trip(&wire);
        assert_eq!(volumes[0].volume_source.empty_dir, Some(EmptyDirVolumeSource::default()));
        let config = volumes[4].volume_source.config_map.as_ref().unwrap();
        assert_eq!(config.local_object_reference.name, "web-config");
    }

    #[test]
    fn generic_ephemeral_volume_round_trips() {
        let wire = json!({
            "name": "scratch",
            "ephemeral": {"volumeClaimTemplate": {
                "metadata": {"labels": {"type": "scratch"}, "creationTimestamp": null},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                    "storageClassName": "fast",
                    "volumeMode": "Filesystem"
                }
            }}
        });
        let volume: Volume = assert_round_trip(&wire);
        let template = volume.volume_source.ephemeral.as_ref().unwrap();
        let spec = &template.volume_claim_template.as_ref().unwrap().spec;
        assert_eq!(spec.storage_class_name.as_deref(), Some("fast"));
    }

    #[test]
    fn volume_without_source_keeps_only_its_name() {
        let volume: Volume = serde_yaml_ng::from_str("name: empty\nsecret:\n").unwrap();
        assert_eq!(volume.volume_source, VolumeSource::default());
        assert_eq!(serde_json::to_value(&volume).unwrap(), json!({"name": "empty"}));
    }
}
