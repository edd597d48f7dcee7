//! The in-tree network and cloud storage plugins a pod volume (and, for most, a PersistentVolume)
//! can name directly. Most are deprecated upstream in favour of CSI, but objects using them must
//! still read and write back unchanged. PV-only variants live in `persistent_volume`.

use super::LocalObjectReference;
use crate::serde_util::{is_false, is_zero, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An NFS export mounted into the pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NFSVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct NFSVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub server: String,
    #[serde(default, deserialize_with = "nullable")]
    pub path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// An iSCSI LUN attached to the node and mounted into the pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ISCSIVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct ISCSIVolumeSource {
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
    pub secret_ref: Option<LocalObjectReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_name: Option<String>,
}

/// A GlusterFS volume mounted into the pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.GlusterfsVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct GlusterfsVolumeSource {
    /// The Endpoints object listing the Gluster servers.
    #[serde(rename = "endpoints", default, deserialize_with = "nullable")]
    pub endpoints_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A Ceph RBD image mapped on the node and mounted into the pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.RBDVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct RBDVolumeSource {
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
    pub secret_ref: Option<LocalObjectReference>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A volume attached by an exec-based FlexVolume driver on the node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.FlexVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct FlexVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub driver: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// An OpenStack Cinder volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.CinderVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct CinderVolumeSource {
    #[serde(rename = "volumeID", default, deserialize_with = "nullable")]
    pub volume_id: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
}

/// A CephFS mount.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.CephFSVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct CephFSVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub monitors: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub secret_file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A Flocker dataset, by name or UUID.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.FlockerVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct FlockerVolumeSource {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub dataset_name: String,
    #[serde(
        rename = "datasetUUID",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub dataset_uuid: String,
}

/// A Fibre Channel LUN, by target WWNs and LUN or by WWIDs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.FCVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct FCVolumeSource {
    #[serde(
        rename = "targetWWNs",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub target_wwns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lun: Option<i32>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub wwids: Vec<String>,
}

/// An Azure Files share; the storage account key comes from `secretName`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.AzureFileVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct AzureFileVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub secret_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub share_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// An Azure data disk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.AzureDiskVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct AzureDiskVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub disk_name: String,
    #[serde(rename = "diskURI", default, deserialize_with = "nullable")]
    pub disk_uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caching_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// `Shared`, `Dedicated` or `Managed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A GCE persistent disk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.GCEPersistentDiskVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct GCEPersistentDiskVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub pd_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub partition: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// An AWS EBS volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct AWSElasticBlockStoreVolumeSource {
    #[serde(rename = "volumeID", default, deserialize_with = "nullable")]
    pub volume_id: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub partition: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A vSphere VMDK.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct VsphereVirtualDiskVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub volume_path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub storage_policy_name: String,
    #[serde(
        rename = "storagePolicyID",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub storage_policy_id: String,
}

/// A Quobyte volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.QuobyteVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct QuobyteVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub registry: String,
    #[serde(default, deserialize_with = "nullable")]
    pub volume: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub group: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub tenant: String,
}

/// A Photon Controller persistent disk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct PhotonPersistentDiskVolumeSource {
    #[serde(rename = "pdID", default, deserialize_with = "nullable")]
    pub pd_id: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
}

/// A Portworx volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PortworxVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct PortworxVolumeSource {
    #[serde(rename = "volumeID", default, deserialize_with = "nullable")]
    pub volume_id: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
}

/// A ScaleIO volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ScaleIOVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct ScaleIOVolumeSource {
    #[serde(default, deserialize_with = "nullable")]
    pub gateway: String,
    #[serde(default, deserialize_with = "nullable")]
    pub system: String,
    /// A pointer without `omitempty` upstream: written as `null` when unset.
    #[serde(default)]
    pub secret_ref: Option<LocalObjectReference>,
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

/// A StorageOS volume.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.StorageOSVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct StorageOSVolumeSource {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub volume_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub volume_namespace: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub fs_type: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::Volume;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    #[test]
    fn plugin_volumes_keep_upstream_key_names() {
        let wire = json!([
            {"name": "nfs", "nfs": {"server": "nfs.example", "path": "/exports", "readOnly": true}},
            {"name": "iscsi", "iscsi": {
                "targetPortal": "10.0.0.5:3260", "iqn": "iqn.2001-04.com.example:storage", "lun": 0,
                "iscsiInterface": "default", "fsType": "ext4", "portals": ["10.0.0.6:3260"],
                "chapAuthDiscovery": true, "chapAuthSession": true,
                "secretRef": {"name": "chap"}, "initiatorName": "iqn.1994-05.com.example:node1"
            }},
            {"name": "gluster", "glusterfs": {"endpoints": "glusterfs-cluster", "path": "vol1"}},
            {"name": "rbd", "rbd": {"monitors": ["10.0.0.1:6789"], "image": "foo", "pool": "kube", "user": "admin", "keyring": "/etc/ceph/keyring"}},
            {"name": "flex", "flexVolume": {"driver": "example/lvm", "options": {"size": "1G"}}},
            {"name": "cinder", "cinder": {"volumeID": "8f3c", "fsType": "ext4"}},
            {"name": "cephfs", "cephfs": {"monitors": ["10.0.0.1:6789"], "path": "/", "secretFile": "/etc/ceph/secret"}},
            {"name": "flocker", "flocker": {"datasetUUID": "1f3a"}},
            {"name": "flocker-by-name", "flocker": {"datasetName": "web-data"}},
            {"name": "fc", "fc": {"targetWWNs": ["500a0982991b8dc5"], "lun": 2, "fsType": "ext4"}},
            {"name": "fc-by-wwid", "fc": {"readOnly": true, "wwids": ["3600508b400105e210000900000490000"]}},
            {"name": "azfile", "azureFile": {"secretName": "azure-secret", "shareName": "share"}},
            {"name": "azdisk", "azureDisk": {"diskName": "d1", "diskURI": "https://disk", "cachingMode": "ReadWrite", "fsType": "ext4", "readOnly": false, "kind": "Managed"}},
            {"name": "gce", "gcePersistentDisk": {"pdName": "disk-1", "fsType": "ext4", "partition": 1}},
            {"name": "ebs", "awsElasticBlockStore": {"volumeID": "vol-0abc", "fsType": "ext4"}},
            {"name": "vsphere", "vsphereVolume": {"volumePath": "[ds] v.vmdk", "storagePolicyName": "gold", "storagePolicyID": "p-1"}},
            {"name": "quobyte", "quobyte": {"registry": "reg:7861", "volume": "v", "user": "u", "group": "g", "tenant": "t"}},
            {"name": "photon", "photonPersistentDisk": {"pdID": "p-9", "fsType": "ext4"}},
            {"name": "px", "portworxVolume": {"volumeID": "px-1", "fsType": "xfs"}},
            {"name": "sio", "scaleIO": {"gateway": "https://gw", "system": "sys", "secretRef": null, "sslEnabled": true, "protectionDomain": "pd", "storagePool": "sp", "storageMode": "ThinProvisioned", "volumeName": "vol", "fsType": "xfs", "readOnly": true}},
            {"name": "sos", "storageos": {"volumeName": "v", "volumeNamespace": "ns", "secretRef": {"name": "sos"}}}
        ]);
        let volumes: Vec<Volume> = assert_round_trip(&wire);
        assert_eq!(
            volumes[2].volume_source.glusterfs.as_ref().unwrap().endpoints_name,
            "glusterfs-cluster"
        );
    }

    #[test]
    fn required_lists_are_written_even_when_empty() {
        let rbd = RBDVolumeSource { image: "img".into(), ..Default::default() };
        assert_eq!(serde_json::to_value(&rbd).unwrap(), json!({"monitors": [], "image": "img"}));
    }
}
