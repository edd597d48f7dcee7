//! Volume defaults: a volume with no source is an empty directory, file-projecting sources get
//! world-readable file modes, and the in-tree block-storage sources get their historical
//! defaults (iSCSI interface, Ceph pool and credentials, Azure disk caching, ScaleIO mode).

use super::container::default_field_selector;
use super::persistent_volume::default_claim_spec;
use crate::api::core::v1::{
    AzureDiskVolumeSource, DownwardAPIVolumeFile, HostPathVolumeSource, ProjectedVolumeSource,
    Volume, VolumeSource,
};
use crate::defaults::pull_policy::default_image_pull_policy;

/// `0644`: the mode of files projected from secrets, config maps, the downward API and
/// projected volumes when none is given.
pub(crate) const DEFAULT_FILE_MODE: i32 = 0o644;
/// A service-account token projected without an expiry lives one hour.
const TOKEN_EXPIRATION_SECONDS: i64 = 3600;
/// `hostPath.type` when unset: no check of what is at the path.
const HOST_PATH_UNSET: &str = "";
/// The iSCSI transport used when none is named: plain TCP.
pub(crate) const ISCSI_DEFAULT_INTERFACE: &str = "default";
/// Ceph RBD pool, user and keyring file when none are given.
pub(crate) const RBD_DEFAULT_POOL: &str = "rbd";
pub(crate) const RBD_DEFAULT_USER: &str = "admin";
pub(crate) const RBD_DEFAULT_KEYRING: &str = "/etc/ceph/keyring";
/// Azure disks are attached read-write cached, as shared blob disks, formatted ext4, writable.
const AZURE_DISK_CACHING_READ_WRITE: &str = "ReadWrite";
const AZURE_DISK_KIND_SHARED: &str = "Shared";
const AZURE_DISK_FS_TYPE: &str = "ext4";
/// ScaleIO volumes are thin-provisioned and formatted xfs unless told otherwise.
pub(crate) const SCALE_IO_STORAGE_MODE: &str = "ThinProvisioned";
pub(crate) const SCALE_IO_FS_TYPE: &str = "xfs";

/// Defaults one pod volume and whichever source it names.
pub(crate) fn default_volume(volume: &mut Volume) {
    let source = &mut volume.volume_source;
    if *source == VolumeSource::default() {
        source.empty_dir = Some(Default::default());
    }
    // Upstream defaults image volumes only with the ImageVolume feature gate on; with it off
    // the apiserver refuses or drops such volumes anyway, so the gate changes nothing stored.
    if let Some(image) = &mut source.image {
        if image.pull_policy.is_empty() {
            image.pull_policy = default_image_pull_policy(&image.reference).to_string();
        }
    }
    if let Some(host_path) = &mut source.host_path {
        default_host_path(host_path);
    }
    if let Some(secret) = &mut source.secret {
        secret.default_mode.get_or_insert(DEFAULT_FILE_MODE);
    }
    if let Some(iscsi) = &mut source.iscsi {
        fill_if_empty(&mut iscsi.iscsi_interface, ISCSI_DEFAULT_INTERFACE);
    }
    if let Some(rbd) = &mut source.rbd {
        fill_if_empty(&mut rbd.pool, RBD_DEFAULT_POOL);
        fill_if_empty(&mut rbd.user, RBD_DEFAULT_USER);
        fill_if_empty(&mut rbd.keyring, RBD_DEFAULT_KEYRING);
    }
    if let Some(downward_api) = &mut source.downward_api {
        downward_api.default_mode.get_or_insert(DEFAULT_FILE_MODE);
        downward_api.items.iter_mut().for_each(default_downward_api_file);
    }
    if let Some(config_map) = &mut source.config_map {
        config_map.default_mode.get_or_insert(DEFAULT_FILE_MODE);
    }
    if let Some(azure_disk) = &mut source.azure_disk {
        default_azure_disk(azure_disk);
    }
    if let Some(projected) = &mut source.projected {
        default_projected(projected);
    }
    if let Some(scale_io) = &mut source.scale_io {
        fill_if_empty(&mut scale_io.storage_mode, SCALE_IO_STORAGE_MODE);
        fill_if_empty(&mut scale_io.fs_type, SCALE_IO_FS_TYPE);
    }
    if let Some(template) =
        source.ephemeral.as_mut().and_then(|ephemeral| ephemeral.volume_claim_template.as_mut())
    {
        default_claim_spec(&mut template.spec);
    }
}

/// Shared by pod volumes and persistent volumes.
pub(crate) fn default_host_path(host_path: &mut HostPathVolumeSource) {
    host_path.type_.get_or_insert_with(|| HOST_PATH_UNSET.to_string());
}

/// Shared by pod volumes and persistent volumes.
pub(crate) fn default_azure_disk(disk: &mut AzureDiskVolumeSource) {
    disk.caching_mode.get_or_insert_with(|| AZURE_DISK_CACHING_READ_WRITE.to_string());
    disk.kind.get_or_insert_with(|| AZURE_DISK_KIND_SHARED.to_string());
    disk.fs_type.get_or_insert_with(|| AZURE_DISK_FS_TYPE.to_string());
    disk.read_only.get_or_insert(false);
}

fn default_projected(projected: &mut ProjectedVolumeSource) {
    projected.default_mode.get_or_insert(DEFAULT_FILE_MODE);
    for source in &mut projected.sources {
        if let Some(downward_api) = &mut source.downward_api {
            downward_api.items.iter_mut().for_each(default_downward_api_file);
        }
        if let Some(token) = &mut source.service_account_token {
            token.expiration_seconds.get_or_insert(TOKEN_EXPIRATION_SECONDS);
        }
    }
}

fn default_downward_api_file(file: &mut DownwardAPIVolumeFile) {
    if let Some(field_ref) = &mut file.field_ref {
        default_field_selector(field_ref);
    }
}

/// The in-tree sources' string defaults: an empty string means unset.
pub(crate) fn fill_if_empty(field: &mut String, default: &str) {
    if field.is_empty() {
        *field = default.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn defaulted(volume: Value) -> Value {
        let mut typed: Volume = serde_json::from_value(volume).unwrap();
        default_volume(&mut typed);
        let mut again = typed.clone();
        default_volume(&mut again);
        assert_eq!(again, typed, "defaulting twice changed the volume");
        serde_json::to_value(typed).unwrap()
    }

    #[test]
    fn a_volume_without_a_source_is_an_empty_dir() {
        assert_eq!(
            defaulted(json!({"name": "scratch"})),
            json!({"name": "scratch", "emptyDir": {}})
        );
        let memory = json!({"name": "shm", "emptyDir": {"medium": "Memory"}});
        assert_eq!(defaulted(memory.clone()), memory);
    }

    #[test]
    fn projected_files_default_to_mode_0644() {
        assert_eq!(
            defaulted(json!({"name": "s", "secret": {"secretName": "tls"}})),
            json!({"name": "s", "secret": {"secretName": "tls", "defaultMode": 420}})
        );
        assert_eq!(
            defaulted(json!({"name": "c", "configMap": {"name": "cfg"}})),
            json!({"name": "c", "configMap": {"name": "cfg", "defaultMode": 420}})
        );
        assert_eq!(
            defaulted(json!({"name": "d", "downwardAPI": {"items": [
                {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}
            ]}})),
            json!({"name": "d", "downwardAPI": {
                "items": [{"path": "labels", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"}}],
                "defaultMode": 420
            }})
        );
    }

    #[test]
    fn projected_volume_sources_are_walked() {
        let volume = defaulted(json!({"name": "p", "projected": {"sources": [
            {"serviceAccountToken": {"path": "token"}},
            {"downwardAPI": {"items": [{"path": "ns", "fieldRef": {"fieldPath": "metadata.namespace"}}]}},
            {"configMap": {"name": "ca"}}
        ]}}));
        assert_eq!(
            volume["projected"],
            json!({
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3600, "path": "token"}},
                    {"downwardAPI": {"items": [{"path": "ns", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
                    {"configMap": {"name": "ca"}}
                ],
                "defaultMode": 420
            })
        );
    }

    #[test]
    fn in_tree_block_sources_get_their_defaults() {
        assert_eq!(
            defaulted(json!({"name": "h", "hostPath": {"path": "/var/log"}}))["hostPath"],
            json!({"path": "/var/log", "type": ""})
        );
        assert_eq!(
            defaulted(
                json!({"name": "i", "iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.x", "lun": 0}})
            )["iscsi"]["iscsiInterface"],
            "default"
        );
        let rbd = defaulted(
            json!({"name": "r", "rbd": {"monitors": ["10.0.0.1:6789"], "image": "disk"}}),
        );
        assert_eq!(
            (&rbd["rbd"]["pool"], &rbd["rbd"]["user"], &rbd["rbd"]["keyring"]),
            (&json!("rbd"), &json!("admin"), &json!("/etc/ceph/keyring"))
        );
        assert_eq!(
            defaulted(json!({"name": "a", "azureDisk": {"diskName": "d", "diskURI": "uri"}}))["azureDisk"],
            json!({"diskName": "d", "diskURI": "uri", "cachingMode": "ReadWrite", "fsType": "ext4", "readOnly": false, "kind": "Shared"})
        );
        let scale_io = defaulted(
            json!({"name": "s", "scaleIO": {"gateway": "g", "system": "s", "secretRef": {"name": "x"}}}),
        );
        assert_eq!(
            (&scale_io["scaleIO"]["storageMode"], &scale_io["scaleIO"]["fsType"]),
            (&json!("ThinProvisioned"), &json!("xfs"))
        );
    }

    #[test]
    fn ephemeral_claim_templates_get_claim_spec_defaults() {
        let volume = defaulted(json!({"name": "e", "ephemeral": {"volumeClaimTemplate": {
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
        }}}));
        assert_eq!(volume["ephemeral"]["volumeClaimTemplate"]["spec"]["volumeMode"], "Filesystem");
    }

    #[test]
    fn image_volumes_get_the_image_pull_policy_rule() {
        let floating = defaulted(json!({"name": "m", "image": {"reference": "models/llm"}}));
        assert_eq!(floating["image"]["pullPolicy"], "Always");
        let pinned = defaulted(json!({"name": "m", "image": {"reference": "models/llm:v2"}}));
        assert_eq!(pinned["image"]["pullPolicy"], "IfNotPresent");
    }

    #[test]
    fn explicit_values_are_kept() {
        for volume in [
            json!({"name": "s", "secret": {"secretName": "tls", "defaultMode": 256}}),
            json!({"name": "c", "configMap": {"name": "cfg", "defaultMode": 493}}),
            json!({"name": "h", "hostPath": {"path": "/dev/kvm", "type": "CharDevice"}}),
            json!({"name": "i", "iscsi": {"targetPortal": "p", "iqn": "q", "lun": 1, "iscsiInterface": "tcp"}}),
            json!({"name": "r", "rbd": {"monitors": ["m"], "image": "d", "pool": "kube", "user": "k", "keyring": "/k"}}),
            json!({"name": "a", "azureDisk": {"diskName": "d", "diskURI": "u", "cachingMode": "None", "fsType": "xfs", "readOnly": true, "kind": "Managed"}}),
            json!({"name": "s", "scaleIO": {"gateway": "g", "system": "s", "secretRef": {"name": "x"}, "storageMode": "ThickProvisioned", "fsType": "ext4"}}),
            json!({"name": "p", "projected": {"sources": [{"serviceAccountToken": {"expirationSeconds": 600, "path": "t"}}], "defaultMode": 256}}),
            json!({"name": "m", "image": {"reference": "models/llm", "pullPolicy": "Never"}}),
        ] {
            assert_eq!(defaulted(volume.clone()), volume);
        }
    }
}
