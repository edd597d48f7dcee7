//! PersistentVolumes (`pv`) and PersistentVolumeClaims (`pvc`): storage and the requests
//! for it. Both select on a bare `name` besides `metadata.name`, a historical mistake upstream
//! keeps for compatibility.

use super::printing::{PrintRow, UNSET, age_cell, age_column, column, name_column};
use super::selectable::with_meta_fields;
use crate::registry::Strategy;
use api_types::Quantity;
use api_types::api::core::v1::{PersistentVolume, PersistentVolumeClaim, PersistentVolumeStatus};
use api_types::meta::v1::{ObjectMeta, TableColumnDefinition, Time};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// The beta annotation that named a storage class before `storageClassName`, still honoured.
const STORAGE_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

impl Strategy for PersistentVolume {
    const SHORT_NAMES: &'static [&'static str] = &["pv"];
    const SUBRESOURCES: &'static [&'static str] = &["status"];
    const STATUS_SUBRESOURCE: bool = true;

    /// A new volume (its status cleared by the store) is `Pending` since now.
    fn prepare_for_create(&mut self) {
        self.status = PersistentVolumeStatus {
            phase: "Pending".to_string(),
            last_phase_transition_time: Some(Time::now()),
            ..Default::default()
        };
    }

    fn field_set(&self) -> BTreeMap<String, String> {
        with_meta_fields(self, [("name", self.metadata.name.clone())])
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Capacity", "string", 0, "The volume's storage capacity."),
            column("Access Modes", "string", 0, "How the volume can be mounted."),
            column("Reclaim Policy", "string", 0, "What happens to the volume once released."),
            column("Status", "string", 0, "The volume's phase."),
            column("Claim", "string", 0, "The claim bound to the volume."),
            column("StorageClass", "string", 0, "The volume's storage class."),
            column("VolumeAttributesClass", "string", 0, "The volume's attributes class."),
            column("Reason", "string", 0, "Why the volume is in its phase."),
            age_column(),
            column("VolumeMode", "string", 1, "Filesystem or Block."),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for PersistentVolume {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        let spec = &self.spec;
        let claim = spec
            .claim_ref
            .as_ref()
            .map_or(String::new(), |claim| format!("{}/{}", claim.namespace, claim.name));
        let storage_class =
            annotated_storage_class(&self.metadata).unwrap_or(&spec.storage_class_name).to_string();
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(storage(&spec.capacity)),
            Value::from(access_modes(&spec.access_modes)),
            Value::from(spec.persistent_volume_reclaim_policy.clone()),
            Value::from(phase(&self.metadata, &self.status.phase)),
            Value::from(claim),
            Value::from(storage_class),
            Value::from(spec.volume_attributes_class_name.as_deref().unwrap_or(UNSET)),
            Value::from(self.status.reason.clone()),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
            Value::from(spec.volume_mode.as_deref().unwrap_or(UNSET)),
        ]
    }
}

impl Strategy for PersistentVolumeClaim {
    const SHORT_NAMES: &'static [&'static str] = &["pvc"];
    const SUBRESOURCES: &'static [&'static str] = &["status"];
    const STATUS_SUBRESOURCE: bool = true;

    fn field_set(&self) -> BTreeMap<String, String> {
        with_meta_fields(self, [("name", self.metadata.name.clone())])
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Status", "string", 0, "The claim's phase."),
            column("Volume", "string", 0, "The volume bound to the claim."),
            column("Capacity", "string", 0, "The bound volume's capacity."),
            column("Access Modes", "string", 0, "How the bound volume can be mounted."),
            column("StorageClass", "string", 0, "The claim's storage class."),
            column("VolumeAttributesClass", "string", 0, "The claim's attributes class."),
            age_column(),
            column("VolumeMode", "string", 1, "Filesystem or Block."),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for PersistentVolumeClaim {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        let spec = &self.spec;
        // Capacity and access modes are the bound volume's, shown once a volume is named.
        let (capacity, modes) = if spec.volume_name.is_empty() {
            (String::new(), String::new())
        } else {
            (storage(&self.status.capacity), access_modes(&self.status.access_modes))
        };
        let storage_class = annotated_storage_class(&self.metadata)
            .or(spec.storage_class_name.as_deref())
            .unwrap_or("")
            .to_string();
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(phase(&self.metadata, &self.status.phase)),
            Value::from(spec.volume_name.clone()),
            Value::from(capacity),
            Value::from(modes),
            Value::from(storage_class),
            Value::from(spec.volume_attributes_class_name.as_deref().unwrap_or(UNSET)),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
            Value::from(spec.volume_mode.as_deref().unwrap_or(UNSET)),
        ]
    }
}

/// The phase, or `Terminating` once deletion has begun.
fn phase(meta: &ObjectMeta, phase: &str) -> String {
    if meta.deletion_timestamp.is_some() { "Terminating".to_string() } else { phase.to_string() }
}

/// The `storage` quantity, `0` when absent.
fn storage(resources: &BTreeMap<String, Quantity>) -> String {
    resources.get("storage").cloned().unwrap_or_default().to_string()
}

fn annotated_storage_class(meta: &ObjectMeta) -> Option<&str> {
    meta.annotations.get(STORAGE_CLASS_ANNOTATION).map(String::as_str)
}

/// Upstream's `GetAccessModesAsString`: the short forms in a fixed order, duplicates dropped.
fn access_modes(modes: &[String]) -> String {
    let short = [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ];
    let present = short.iter().filter(|(mode, _)| modes.iter().any(|m| m == mode));
    present.map(|(_, abbreviation)| *abbreviation).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2024-05-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn bound_volume_row() {
        let volume: PersistentVolume = serde_json::from_value(json!({
            "metadata": {"name": "pv-data", "creationTimestamp": "2024-05-01T04:00:00Z"},
            "spec": {"capacity": {"storage": "10Gi"},
                     "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
                     "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "standard",
                     "claimRef": {"namespace": "db", "name": "data-postgres-0"},
                     "hostPath": {"path": "/data"}},
            "status": {"phase": "Bound"}
        }))
        .unwrap();
        assert_eq!(
            volume.cells_at(now()),
            [
                "pv-data",
                "10Gi",
                "RWO,RWX",
                "Retain",
                "Bound",
                "db/data-postgres-0",
                "standard",
                "<unset>",
                "",
                "6h",
                "<unset>"
            ]
            .map(Value::from)
        );
        assert_eq!(volume.field_set()["name"], "pv-data");
        assert_eq!(volume.field_set().len(), 2);
    }

    #[test]
    fn volume_details_and_termination() {
        let volume: PersistentVolume = serde_json::from_value(json!({
            "metadata": {"name": "pv", "deletionTimestamp": "2024-05-01T09:00:00Z",
                         "annotations": {"volume.beta.kubernetes.io/storage-class": "legacy"}},
            "spec": {"storageClassName": "standard", "volumeMode": "Block",
                     "volumeAttributesClassName": "gold"},
            "status": {"phase": "Released", "reason": "Reclaiming"}
        }))
        .unwrap();
        let row = volume.cells_at(now());
        assert_eq!(row[1..3], ["0", ""].map(Value::from));
        assert_eq!(row[4..9], ["Terminating", "", "legacy", "gold", "Reclaiming"].map(Value::from));
        assert_eq!(row[10], "Block");
    }

    #[test]
    fn volume_create_is_pending_since_now() {
        let mut volume: PersistentVolume =
            serde_json::from_value(json!({"status": {"phase": "Bound", "message": "x"}})).unwrap();
        volume.prepare_for_create();
        assert_eq!(volume.status.phase, "Pending");
        let since = volume.status.last_phase_transition_time.unwrap();
        assert!((Utc::now() - since.0).num_seconds() < 5);
        assert!(volume.status.message.is_empty());
    }

    #[test]
    fn claim_rows_show_the_bound_volume() {
        let bound: PersistentVolumeClaim = serde_json::from_value(json!({
            "metadata": {"name": "data-postgres-0", "namespace": "db",
                         "creationTimestamp": "2024-05-01T09:58:00Z"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "8Gi"}},
                     "volumeName": "pvc-1f2e3d", "storageClassName": "standard", "volumeMode": "Filesystem"},
            "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}
        }))
        .unwrap();
        assert_eq!(
            bound.cells_at(now()),
            [
                "data-postgres-0",
                "Bound",
                "pvc-1f2e3d",
                "10Gi",
                "RWO",
                "standard",
                "<unset>",
                "2m",
                "Filesystem"
            ]
            .map(Value::from)
        );
        let pending: PersistentVolumeClaim = serde_json::from_value(json!({
            "metadata": {"name": "scratch"},
            "spec": {"resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": "Pending"}
        }))
        .unwrap();
        assert_eq!(pending.cells_at(now())[1..6], ["Pending", "", "", "", ""].map(Value::from));
        let fields: Vec<_> = bound.field_set().into_keys().collect();
        assert_eq!(fields, ["metadata.name", "metadata.namespace", "name"]);
    }
}
