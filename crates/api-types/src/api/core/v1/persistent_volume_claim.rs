//! `PersistentVolumeClaim`: a namespaced request for storage that binds to one PersistentVolume.

use super::TypedLocalObjectReference;
use crate::meta::v1::{LabelSelector, ObjectMeta, Time};
use crate::quantity::Quantity;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A user's claim on storage; pods mount the volume it is bound to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PersistentVolumeClaim")]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaim {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: PersistentVolumeClaimSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: PersistentVolumeClaimStatus,
}

crate::impl_resource!(
    PersistentVolumeClaim,
    group = "",
    version = "v1",
    kind = "PersistentVolumeClaim",
    plural = "persistentvolumeclaims",
    namespaced = true
);

/// What storage is asked for: size, access modes, class, mode, and where to populate it from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PersistentVolumeClaimSpec")]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimSpec {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// A non-pointer struct upstream: always written, as `resources: {}` when empty.
    #[serde(default, deserialize_with = "nullable")]
    pub resources: VolumeResourceRequirements,
    /// The PersistentVolume this claim is bound to.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub volume_name: String,
    /// A pointer upstream: unset asks for the default class, `""` for no class at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_source: Option<TypedLocalObjectReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_source_ref: Option<TypedObjectReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_attributes_class_name: Option<String>,
}

/// Names the object (snapshot, claim, populator resource) a new volume is filled from, possibly
/// in another namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.TypedObjectReference")]
#[serde(rename_all = "camelCase")]
pub struct TypedObjectReference {
    /// A pointer without `omitempty` upstream: written as `null` when unset.
    #[serde(default)]
    pub api_group: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// The storage a claim requests; unlike container resources it has no `claims`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.VolumeResourceRequirements")]
#[serde(rename_all = "camelCase")]
pub struct VolumeResourceRequirements {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub limits: BTreeMap<String, Quantity>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub requests: BTreeMap<String, Quantity>,
}

/// The observed state of a claim: phase, what was actually provisioned, and resize progress.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PersistentVolumeClaimStatus")]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimStatus {
    /// `Pending`, `Bound` or `Lost`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub phase: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, Quantity>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<PersistentVolumeClaimCondition>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub allocated_resources: BTreeMap<String, Quantity>,
    /// Per resource, the resize state (`ControllerResizeInProgress`, `NodeResizePending`, ...).
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub allocated_resource_statuses: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_volume_attributes_class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modify_volume_status: Option<ModifyVolumeStatus>,
}

/// One observation about a claim, such as `Resizing` or `FileSystemResizePending`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PersistentVolumeClaimCondition")]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimCondition {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// A non-pointer time upstream: written as `null` when unset.
    #[serde(default)]
    pub last_probe_time: Option<Time>,
    #[serde(default)]
    pub last_transition_time: Option<Time>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// Progress of changing a claim's VolumeAttributesClass.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ModifyVolumeStatus")]
#[serde(rename_all = "camelCase")]
pub struct ModifyVolumeStatus {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub target_volume_attributes_class_name: String,
    /// `Pending`, `InProgress` or `Infeasible`.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    /// A dynamically provisioned claim mid-resize, in the shape a real apiserver returns.
    #[test]
    fn bound_claim_with_resize_round_trips() {
        let wire = json!({
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {
                "name": "data-web-0",
                "namespace": "default",
                "uid": "7e0d1f4a-3b2c-4d5e-8f9a-0b1c2d3e4f5a",
                "resourceVersion": "90412",
                "creationTimestamp": "2024-05-02T09:14:02Z",
                "labels": {"app": "web"},
                "annotations": {
                    "pv.kubernetes.io/bind-completed": "yes",
                    "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com"
                },
                "finalizers": ["kubernetes.io/pvc-protection"]
            },
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "selector": {"matchLabels": {"tier": "ssd"}},
                "resources": {"requests": {"storage": "20Gi"}},
                "volumeName": "pvc-7e0d1f4a-3b2c-4d5e-8f9a-0b1c2d3e4f5a",
                "storageClassName": "gp3",
                "volumeMode": "Filesystem",
                "dataSource": {"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "nightly"},
                "dataSourceRef": {"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "nightly"},
                "volumeAttributesClassName": "fast"
            },
            "status": {
                "phase": "Bound",
                "accessModes": ["ReadWriteOnce"],
                "capacity": {"storage": "10Gi"},
                "conditions": [{
                    "type": "FileSystemResizePending",
                    "status": "True",
                    "lastProbeTime": null,
                    "lastTransitionTime": "2024-05-03T11:00:00Z",
                    "message": "Waiting for user to (re-)start a pod to finish file system resize of volume on node."
                }],
                "allocatedResources": {"storage": "20Gi"},
                "allocatedResourceStatuses": {"storage": "NodeResizePending"},
                "currentVolumeAttributesClassName": "standard",
                "modifyVolumeStatus": {"targetVolumeAttributesClassName": "fast", "status": "InProgress"}
            }
        });
        let claim: PersistentVolumeClaim = assert_round_trip(&wire);
        assert_eq!(claim.status.conditions[0].last_probe_time, None);
        assert_eq!(claim.spec.storage_class_name.as_deref(), Some("gp3"));
        assert_eq!(
            (PersistentVolumeClaim::PLURAL, PersistentVolumeClaim::NAMESPACED),
            ("persistentvolumeclaims", true)
        );
    }

    #[test]
    fn explicit_empty_class_survives() {
        let spec: PersistentVolumeClaimSpec =
            serde_json::from_value(json!({"storageClassName": ""})).unwrap();
        assert_eq!(spec.storage_class_name.as_deref(), Some(""));
        assert_eq!(
            serde_json::to_value(&spec).unwrap(),
            json!({"resources": {}, "storageClassName": ""})
        );
    }

    #[test]
    fn cross_namespace_data_source_ref_round_trips() {
        let wire = json!({"apiGroup": null, "kind": "PersistentVolumeClaim", "name": "golden", "namespace": "images"});
        let reference: TypedObjectReference = assert_round_trip(&wire);
        assert_eq!(reference.namespace.as_deref(), Some("images"));
    }
}
