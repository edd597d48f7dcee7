//! PersistentVolume and PersistentVolumeClaim defaults: both start out `Pending`, volumes are
//! retained when released and mounted as filesystems, and the volume sources carry the same
//! in-tree defaults as their pod-volume counterparts.

use super::volume::{
    ISCSI_DEFAULT_INTERFACE, RBD_DEFAULT_KEYRING, RBD_DEFAULT_POOL, RBD_DEFAULT_USER,
    SCALE_IO_FS_TYPE, SCALE_IO_STORAGE_MODE, default_azure_disk, default_host_path, fill_if_empty,
};
use crate::api::core::v1::{
    PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeSource,
};
use crate::defaults::ApplyDefaults;
use crate::defaults::resource_list::round_up_to_millis;

/// The phase of a volume or claim nobody has bound yet.
const PHASE_PENDING: &str = "Pending";
/// Keep a released volume's data until an administrator reclaims it.
const RECLAIM_RETAIN: &str = "Retain";
/// Mount the volume as a filesystem rather than hand over the raw block device.
const VOLUME_MODE_FILESYSTEM: &str = "Filesystem";

impl ApplyDefaults for PersistentVolume {
    fn apply_defaults(&mut self) {
        fill_if_empty(&mut self.status.phase, PHASE_PENDING);
        let spec = &mut self.spec;
        fill_if_empty(&mut spec.persistent_volume_reclaim_policy, RECLAIM_RETAIN);
        spec.volume_mode.get_or_insert_with(|| VOLUME_MODE_FILESYSTEM.to_string());
        round_up_to_millis(&mut spec.capacity);
        default_volume_source(&mut spec.persistent_volume_source);
    }
}

impl ApplyDefaults for PersistentVolumeClaim {
    fn apply_defaults(&mut self) {
        fill_if_empty(&mut self.status.phase, PHASE_PENDING);
        default_claim_spec(&mut self.spec);
        round_up_to_millis(&mut self.status.capacity);
        round_up_to_millis(&mut self.status.allocated_resources);
    }
}

/// Shared by claims and the claim templates of ephemeral pod volumes.
pub(crate) fn default_claim_spec(spec: &mut PersistentVolumeClaimSpec) {
    spec.volume_mode.get_or_insert_with(|| VOLUME_MODE_FILESYSTEM.to_string());
    round_up_to_millis(&mut spec.resources.limits);
    round_up_to_millis(&mut spec.resources.requests);
}

fn default_volume_source(source: &mut PersistentVolumeSource) {
    if let Some(host_path) = &mut source.host_path {
        default_host_path(host_path);
    }
    if let Some(rbd) = &mut source.rbd {
        fill_if_empty(&mut rbd.pool, RBD_DEFAULT_POOL);
        fill_if_empty(&mut rbd.user, RBD_DEFAULT_USER);
        fill_if_empty(&mut rbd.keyring, RBD_DEFAULT_KEYRING);
    }
    if let Some(iscsi) = &mut source.iscsi {
        fill_if_empty(&mut iscsi.iscsi_interface, ISCSI_DEFAULT_INTERFACE);
    }
    if let Some(azure_disk) = &mut source.azure_disk {
        default_azure_disk(azure_disk);
    }
    if let Some(scale_io) = &mut source.scale_io {
        fill_if_empty(&mut scale_io.storage_mode, SCALE_IO_STORAGE_MODE);
        fill_if_empty(&mut scale_io.fs_type, SCALE_IO_FS_TYPE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::defaulted_wire;
    use serde_json::json;

    #[test]
    fn new_volume_is_pending_retained_filesystem() {
        let wire = defaulted_wire::<PersistentVolume>(json!({
            "metadata": {"name": "pv0001"},
            "spec": {
                "capacity": {"storage": "10Gi"},
                "accessModes": ["ReadWriteOnce"],
                "hostPath": {"path": "/tmp/data01"}
            }
        }));
        assert_eq!(
            wire["spec"],
            json!({
                "capacity": {"storage": "10Gi"},
                "hostPath": {"path": "/tmp/data01", "type": ""},
                "accessModes": ["ReadWriteOnce"],
                "persistentVolumeReclaimPolicy": "Retain",
                "volumeMode": "Filesystem"
            })
        );
        assert_eq!(wire["status"], json!({"phase": "Pending"}));
    }

    #[test]
    fn volume_sources_get_in_tree_defaults() {
        let wire = defaulted_wire::<PersistentVolume>(json!({
            "metadata": {"name": "pv"},
            "spec": {"rbd": {"monitors": ["m"], "image": "disk"}}
        }));
        assert_eq!(
            wire["spec"]["rbd"],
            json!({"monitors": ["m"], "image": "disk", "pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"})
        );
        let wire = defaulted_wire::<PersistentVolume>(json!({
            "metadata": {"name": "pv"},
            "spec": {"iscsi": {"targetPortal": "p", "iqn": "q", "lun": 0}}
        }));
        assert_eq!(wire["spec"]["iscsi"]["iscsiInterface"], "default");
        let wire = defaulted_wire::<PersistentVolume>(json!({
            "metadata": {"name": "pv"},
            "spec": {"scaleIO": {"gateway": "g", "system": "s", "secretRef": {"name": "x"}}}
        }));
        assert_eq!(wire["spec"]["scaleIO"]["storageMode"], "ThinProvisioned");
        assert_eq!(wire["spec"]["scaleIO"]["fsType"], "xfs");
        let wire = defaulted_wire::<PersistentVolume>(json!({
            "metadata": {"name": "pv"},
            "spec": {"azureDisk": {"diskName": "d", "diskURI": "u"}}
        }));
        assert_eq!(wire["spec"]["azureDisk"]["cachingMode"], "ReadWrite");
    }

    #[test]
    fn explicit_volume_values_are_kept() {
        let wire = json!({
            "metadata": {"name": "pv", "creationTimestamp": null},
            "spec": {
                "capacity": {"storage": "1Gi"},
                "nfs": {"server": "nfs.example.com", "path": "/exports"},
                "persistentVolumeReclaimPolicy": "Delete",
                "volumeMode": "Block"
            },
            "status": {"phase": "Bound"}
        });
        assert_eq!(defaulted_wire::<PersistentVolume>(wire.clone()), wire);
    }

    #[test]
    fn new_claim_is_pending_filesystem() {
        let wire = defaulted_wire::<PersistentVolumeClaim>(json!({
            "metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "8Gi"}}}
        }));
        assert_eq!(wire["spec"]["volumeMode"], "Filesystem");
        assert_eq!(wire["status"], json!({"phase": "Pending"}));
    }

    #[test]
    fn explicit_claim_values_are_kept_and_quantities_rounded() {
        let wire = defaulted_wire::<PersistentVolumeClaim>(json!({
            "metadata": {"name": "data"},
            "spec": {"volumeMode": "Block", "resources": {"requests": {"storage": "0.0001"}}},
            "status": {"phase": "Bound", "capacity": {"storage": "1Gi"}}
        }));
        assert_eq!(wire["spec"]["volumeMode"], "Block");
        assert_eq!(wire["spec"]["resources"]["requests"]["storage"], "1m");
        assert_eq!(wire["status"]["phase"], "Bound");
    }
}
