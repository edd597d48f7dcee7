//! The PersistentVolume-only storage sources: node-local disks, and the PV variants of plugins
//! whose credentials are a `SecretReference` (any namespace) instead of a pod-local Secret name.

use super::{ObjectReference, SecretReference};
use crate::serde_util::{is_false, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A disk or directory attached to one node; pair it with `nodeAffinity` on the PV.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.LocalVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct LocalVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_type: Option<String>,
}

/// A GlusterFS volume whose Endpoints may live in another namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.GlusterfsPersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct GlusterfsPersistentVolumeSource {
    #[serde(rename = "endpoints", default, deserialize_with = "nullable")]
    pub endpoints_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints_namespace: Option<String>,
}

/// A Ceph RBD image, credentials from a Secret in any namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.RBDPersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct RBDPersistentVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub monitors: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub image: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub pool: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub keyring: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// An iSCSI LUN, CHAP credentials from a Secret in any namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ISCSIPersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct ISCSIPersistentVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub target_portal: String,
    #[serde(default, deserialize_with = "nullable")]
    pub iqn: String,
    #[serde(default, deserialize_with = "nullable")]
    pub lun: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub iscsi_interface: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub portals: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub chap_auth_discovery: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub chap_auth_session: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_name: Option<String>,
}

/// An OpenStack Cinder volume, credentials from a Secret in any namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.CinderPersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct CinderPersistentVolumeSource {
    #[serde(rename = "volumeID", default, deserialize_with = "nullable")]
    pub volume_id: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
}

/// A CephFS mount, credentials from a Secret in any namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.CephFSPersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct CephFSPersistentVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub monitors: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub secret_file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A FlexVolume, driver secret from any namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.FlexPersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct FlexPersistentVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub driver: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretReference>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// An Azure Files share whose account Secret may live in another namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.AzureFilePersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct AzureFilePersistentVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub secret_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub share_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// A pointer without `omitempty` upstream: written as `null` when unset.
    #[serde(default)]
    pub secret_namespace: Option<String>,
}

/// A ScaleIO volume, credentials from a Secret in any namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ScaleIOPersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct ScaleIOPersistentVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub gateway: String,
    #[serde(default, deserialize_with = "nullable")]
    pub system: String,
    /// A pointer without `omitempty` upstream: written as `null` when unset.
    #[serde(default)]
    pub secret_ref: Option<SecretReference>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub ssl_enabled: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub protection_domain: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub storage_pool: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub storage_mode: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub volume_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A StorageOS volume, API credentials from any object reference.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.StorageOSPersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct StorageOSPersistentVolumeSource {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub volume_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub volume_namespace: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<ObjectReference>,
}

/// A volume managed by a CSI driver: the usual backing of dynamically provisioned PVs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.CSIPersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct CSIPersistentVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub driver: String,
    /// The driver's own id for the volume, returned by its CreateVolume.
    #[serde(default, deserialize_with = "nullable")]
    pub volume_handle: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub volume_attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller_publish_secret_ref: Option<SecretReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_stage_secret_ref: Option<SecretReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_publish_secret_ref: Option<SecretReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller_expand_secret_ref: Option<SecretReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_expand_secret_ref: Option<SecretReference>,
}

#[cfg(test)]
mod tests {
    use crate::api::core::v1::PersistentVolumeSpec;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    #[test]
    fn csi_volume_spec_round_trips() {
        let wire = json!({
            "capacity": {"storage": "20Gi"},
            "csi": {
                "driver": "ebs.csi.aws.com",
                "volumeHandle": "vol-0a1b2c3d4e5f",
                "fsType": "ext4",
                "volumeAttributes": {"storage.kubernetes.io/csiProvisionerIdentity": "1714640000000-8081-ebs.csi.aws.com"},
                "controllerPublishSecretRef": {"name": "a", "namespace": "kube-system"},
                "nodeStageSecretRef": {"name": "b", "namespace": "kube-system"},
                "nodePublishSecretRef": {"name": "c", "namespace": "kube-system"},
                "controllerExpandSecretRef": {"name": "d", "namespace": "kube-system"},
                "nodeExpandSecretRef": {"name": "e", "namespace": "kube-system"}
            },
            "accessModes": ["ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Delete",
            "storageClassName": "gp3",
            "volumeMode": "Filesystem",
            "volumeAttributesClassName": "fast"
        });
        let spec: PersistentVolumeSpec = assert_round_trip(&wire);
        let csi = spec.persistent_volume_source.csi.as_ref().unwrap();
        assert_eq!(csi.volume_handle, "vol-0a1b2c3d4e5f");
    }

    #[test]
    fn secret_reference_plugins_round_trip() {
        let wire = json!({
            "glusterfs": {"endpoints": "gluster", "path": "vol", "endpointsNamespace": "storage"},
            "rbd": {"monitors": ["10.0.0.1:6789"], "image": "img", "secretRef": {"name": "ceph", "namespace": "rook"}, "readOnly": true},
            "iscsi": {"targetPortal": "10.0.0.5", "iqn": "iqn.x", "lun": 1, "secretRef": {"name": "chap", "namespace": "storage"}},
            "cinder": {"volumeID": "c-1", "secretRef": {"name": "os"}},
            "cephfs": {"monitors": ["10.0.0.1:6789"], "user": "admin", "secretRef": {"name": "ceph"}},
            "flexVolume": {"driver": "example/nfs", "secretRef": {"name": "flex"}, "options": {"a": "b"}},
            "azureFile": {"secretName": "az", "shareName": "s", "secretNamespace": null},
            "scaleIO": {"gateway": "https://gw", "system": "sys", "secretRef": {"name": "sio", "namespace": "storage"},
                        "protectionDomain": "pd", "storagePool": "sp", "volumeName": "vol", "fsType": "xfs"},
            "storageos": {"volumeName": "v", "secretRef": {"kind": "Secret", "namespace": "storage", "name": "sos"}}
        });
        let spec: PersistentVolumeSpec = assert_round_trip(&wire);
        let source = &spec.persistent_volume_source;
        assert_eq!(source.rbd.as_ref().unwrap().secret_ref.as_ref().unwrap().namespace, "rook");
        assert_eq!(source.azure_file.as_ref().unwrap().secret_namespace, None);
    }
}
