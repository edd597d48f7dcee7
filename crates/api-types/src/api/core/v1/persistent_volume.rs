//! `PersistentVolume`: a piece of storage provisioned by an administrator or a provisioner, at
//! cluster scope, which one claim binds to.

use super::{
    AWSElasticBlockStoreVolumeSource, AzureDiskVolumeSource, AzureFilePersistentVolumeSource,
    CSIPersistentVolumeSource, CephFSPersistentVolumeSource, CinderPersistentVolumeSource,
    FCVolumeSource, FlexPersistentVolumeSource, FlockerVolumeSource, GCEPersistentDiskVolumeSource,
    GlusterfsPersistentVolumeSource, HostPathVolumeSource, ISCSIPersistentVolumeSource,
    LocalVolumeSource, NFSVolumeSource, NodeSelector, ObjectReference,
    PhotonPersistentDiskVolumeSource, PortworxVolumeSource, QuobyteVolumeSource,
    RBDPersistentVolumeSource, ScaleIOPersistentVolumeSource, StorageOSPersistentVolumeSource,
    VsphereVirtualDiskVolumeSource,
};
use crate::meta::v1::{ObjectMeta, Time};
use crate::quantity::Quantity;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A cluster-scoped volume that claims bind to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PersistentVolume")]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolume {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: PersistentVolumeSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: PersistentVolumeStatus,
}

crate::impl_resource!(
    PersistentVolume,
    group = "",
    version = "v1",
    kind = "PersistentVolume",
    plural = "persistentvolumes",
    namespaced = false
);

/// What the volume is and how it may be used. The storage source's fields sit inline, as
/// upstream embeds `PersistentVolumeSource`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PersistentVolumeSpec")]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeSpec {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, Quantity>,
    #[serde(flatten)]
    pub persistent_volume_source: PersistentVolumeSource,
    /// `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    /// The claim this volume is bound (or pre-bound) to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_ref: Option<ObjectReference>,
    /// `Retain`, `Delete` or `Recycle`: what happens when the claim goes away.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub persistent_volume_reclaim_policy: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub storage_class_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub mount_options: Vec<String>,
    /// `Filesystem` or `Block`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<VolumeNodeAffinity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_attributes_class_name: Option<String>,
}

/// The storage behind a PersistentVolume; exactly one member is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PersistentVolumeSource")]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gce_persistent_disk: Option<GCEPersistentDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_elastic_block_store: Option<AWSElasticBlockStoreVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<HostPathVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glusterfs: Option<GlusterfsPersistentVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nfs: Option<NFSVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rbd: Option<RBDPersistentVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iscsi: Option<ISCSIPersistentVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cinder: Option<CinderPersistentVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cephfs: Option<CephFSPersistentVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fc: Option<FCVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flocker: Option<FlockerVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flex_volume: Option<FlexPersistentVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_file: Option<AzureFilePersistentVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vsphere_volume: Option<VsphereVirtualDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quobyte: Option<QuobyteVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_disk: Option<AzureDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photon_persistent_disk: Option<PhotonPersistentDiskVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portworx_volume: Option<PortworxVolumeSource>,
    #[serde(rename = "scaleIO", default, skip_serializing_if = "Option::is_none")]
    pub scale_io: Option<ScaleIOPersistentVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<LocalVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storageos: Option<StorageOSPersistentVolumeSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csi: Option<CSIPersistentVolumeSource>,
}

/// The nodes a volume can be reached from; the scheduler only places its pods there.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.VolumeNodeAffinity")]
#[serde(rename_all = "camelCase")]
pub struct VolumeNodeAffinity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<NodeSelector>,
}

/// Where the volume is in its lifecycle: `Pending`, `Available`, `Bound`, `Released`, `Failed`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PersistentVolumeStatus")]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeStatus {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub phase: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_phase_transition_time: Option<Time>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    /// A statically provisioned local PV bound to a claim, in the shape a real apiserver returns
    /// (`kubectl get pv local-pv-1 -o json`).
    #[test]
    fn bound_local_volume_round_trips() {
        let wire = json!({
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {
                "name": "local-pv-1",
                "uid": "0b6f5c2e-7d61-4c3b-9a2e-5b8c1f4d2e71",
                "resourceVersion": "90211",
                "creationTimestamp": "2024-05-02T09:14:07Z",
                "annotations": {"pv.kubernetes.io/bound-by-controller": "yes"},
                "finalizers": ["kubernetes.io/pv-protection"]
            },
            "spec": {
                "capacity": {"storage": "100Gi"},
                "local": {"path": "/mnt/disks/ssd1", "fsType": "ext4"},
                "accessModes": ["ReadWriteOnce"],
                "claimRef": {
                    "kind": "PersistentVolumeClaim",
                    "namespace": "default",
                    "name": "data-web-0",
                    "uid": "7e0d1f4a-3b2c-4d5e-8f9a-0b1c2d3e4f5a",
                    "apiVersion": "v1",
                    "resourceVersion": "90190"
                },
                "persistentVolumeReclaimPolicy": "Retain",
                "storageClassName": "local-storage",
                "mountOptions": ["noatime"],
                "volumeMode": "Filesystem",
                "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-1"]}
                ]}]}}
            },
            "status": {"phase": "Bound", "lastPhaseTransitionTime": "2024-05-02T09:15:00Z"}
        });
        let volume: PersistentVolume = assert_round_trip(&wire);
        assert_eq!(
            volume.spec.persistent_volume_source.local.as_ref().unwrap().path,
            "/mnt/disks/ssd1"
        );
        assert_eq!(volume.spec.claim_ref.as_ref().unwrap().name, "data-web-0");
    }

    #[test]
    fn cluster_scoped_identity() {
        assert_eq!(
            (PersistentVolume::PLURAL, PersistentVolume::NAMESPACED),
            ("persistentvolumes", false)
        );
        let mut volume = PersistentVolume::default();
        volume.set_type_meta();
        assert_eq!(
            serde_json::to_value(&volume).unwrap(),
            json!({
                "apiVersion": "v1",
                "kind": "PersistentVolume",
                "metadata": {"creationTimestamp": null},
                "spec": {},
                "status": {}
            })
        );
    }
}
