//! The source of a PersistentVolume: exactly one plugin, with the PV variants' extra rules
//! (credentials referenced by namespace and name, `local` disks that need node affinity).

use super::common::{invalid_each, validate_dns1123_label, validate_dns1123_subdomain};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::local_path::validate_no_backsteps;
use super::names::name_is_dns_label;
use super::volume::validate_host_path;
use super::volume_plugin::{
    IscsiNameKind, iscsi_name_errors, require, validate_aws_elastic_block_store,
    validate_azure_disk, validate_azure_file, validate_cephfs, validate_csi_driver_name,
    validate_fc, validate_flex, validate_flocker, validate_gce_persistent_disk,
    validate_initiator_name, validate_lun, validate_nfs, validate_photon, validate_portworx,
    validate_quobyte, validate_rbd, validate_scale_io, validate_storage_os_names, validate_vsphere,
};
use super::volume_source::SourceUnion;
use crate::api::core::v1::{
    AzureFilePersistentVolumeSource, CSIPersistentVolumeSource, CephFSPersistentVolumeSource,
    CinderPersistentVolumeSource, FlexPersistentVolumeSource, GlusterfsPersistentVolumeSource,
    ISCSIPersistentVolumeSource, LocalVolumeSource, PersistentVolumeSource,
    RBDPersistentVolumeSource, ScaleIOPersistentVolumeSource, SecretReference,
    StorageOSPersistentVolumeSource,
};

/// Exactly one source under `spec` (the PV's source fields sit inline in its spec).
/// `volume_name` is the PV's name; `has_node_affinity` says whether `spec.nodeAffinity` is set.
pub(crate) fn validate_persistent_volume_source(
    source: &PersistentVolumeSource,
    volume_name: &str,
    has_node_affinity: bool,
    spec_path: &FieldPath,
) -> ErrorList {
    let mut union = SourceUnion::new(spec_path);
    union.add("hostPath", source.host_path.as_ref(), validate_host_path);
    union.add_checked_at(
        "gcePersistentDisk",
        "persistentDisk",
        source.gce_persistent_disk.as_ref(),
        validate_gce_persistent_disk,
    );
    union.add(
        "awsElasticBlockStore",
        source.aws_elastic_block_store.as_ref(),
        validate_aws_elastic_block_store,
    );
    union.add("glusterfs", source.glusterfs.as_ref(), validate_glusterfs);
    union.add("flocker", source.flocker.as_ref(), validate_flocker);
    union.add("nfs", source.nfs.as_ref(), validate_nfs);
    union.add("rbd", source.rbd.as_ref(), |rbd: &RBDPersistentVolumeSource, path| {
        validate_rbd(&rbd.monitors, &rbd.image, path)
    });
    union.add("quobyte", source.quobyte.as_ref(), validate_quobyte);
    union.add_checked_at(
        "cephFS",
        "cephfs",
        source.cephfs.as_ref(),
        |cephfs: &CephFSPersistentVolumeSource, path| validate_cephfs(&cephfs.monitors, path),
    );
    union.add("iscsi", source.iscsi.as_ref(), |iscsi, path| {
        validate_iscsi(iscsi, volume_name, path)
    });
    union.add("cinder", source.cinder.as_ref(), validate_cinder);
    union.add("fc", source.fc.as_ref(), validate_fc);
    union.add_always(
        "flexVolume",
        source.flex_volume.as_ref(),
        |flex: &FlexPersistentVolumeSource, path| validate_flex(&flex.driver, &flex.options, path),
    );
    union.add("azureFile", source.azure_file.as_ref(), validate_azure_file_pv);
    union.add("vsphereVolume", source.vsphere_volume.as_ref(), validate_vsphere);
    union.add("photonPersistentDisk", source.photon_persistent_disk.as_ref(), validate_photon);
    union.add("portworxVolume", source.portworx_volume.as_ref(), validate_portworx);
    union.add("azureDisk", source.azure_disk.as_ref(), validate_azure_disk);
    union.add(
        "scaleIO",
        source.scale_io.as_ref(),
        |scale_io: &ScaleIOPersistentVolumeSource, path| {
            validate_scale_io(&scale_io.gateway, &scale_io.system, &scale_io.volume_name, path)
        },
    );
    union.add("local", source.local.as_ref(), |local, path| {
        let mut errors = validate_local(local, path);
        if !has_node_affinity {
            errors.push(FieldError::required(
                &spec_path.child("nodeAffinity"),
                "Local volume requires node affinity",
            ));
        }
        errors
    });
    union.add("storageos", source.storageos.as_ref(), validate_storage_os);
    union.add("csi", source.csi.as_ref(), validate_csi);
    union.finish()
}

fn validate_glusterfs(glusterfs: &GlusterfsPersistentVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&glusterfs.endpoints_name, &path.child("endpoints"));
    errors.append(require(&glusterfs.path, &path.child("path")));
    if let Some(namespace) = &glusterfs.endpoints_namespace {
        let namespace_path = path.child("endpointsNamespace");
        if namespace.is_empty() {
            errors.push(FieldError::invalid(
                &namespace_path,
                namespace,
                "if the endpointnamespace is set, it must be a valid namespace name",
            ));
        } else {
            errors.append(invalid_each(
                &namespace_path,
                namespace,
                name_is_dns_label(namespace, false),
            ));
        }
    }
    errors
}

fn validate_iscsi(
    iscsi: &ISCSIPersistentVolumeSource,
    volume_name: &str,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = require(&iscsi.target_portal, &path.child("targetPortal"));
    if iscsi.initiator_name.is_some() && volume_name.len() + 1 + iscsi.target_portal.len() > 64 {
        errors.push(FieldError::invalid(
            &path.child("targetportal"),
            &iscsi.target_portal,
            "Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.",
        ));
    }
    if iscsi.iqn.is_empty() {
        errors.push(FieldError::required(&path.child("iqn"), ""));
    } else if let Some(message) = iscsi_name_errors(&iscsi.iqn, IscsiNameKind::PersistentVolume) {
        errors.push(FieldError::invalid(&path.child("iqn"), &iscsi.iqn, message));
    }
    errors.append(validate_lun(iscsi.lun, &path.child("lun")));
    if (iscsi.chap_auth_discovery || iscsi.chap_auth_session) && iscsi.secret_ref.is_none() {
        errors.push(FieldError::required(&path.child("secretRef"), ""));
    }
    if let Some(secret) = &iscsi.secret_ref {
        errors.append(require(&secret.name, &path.child("secretRef").child("name")));
    }
    if let Some(initiator) = &iscsi.initiator_name {
        errors.append(validate_initiator_name(
            initiator,
            IscsiNameKind::PersistentVolume,
            &path.child("initiatorname"),
        ));
    }
    errors
}

/// A PV secret reference must say both where (namespace) and what (name).
fn require_secret_name_and_namespace(secret: &SecretReference, path: &FieldPath) -> ErrorList {
    let mut errors = require(&secret.name, &path.child("name"));
    errors.append(require(&secret.namespace, &path.child("namespace")));
    errors
}

fn validate_cinder(cinder: &CinderPersistentVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&cinder.volume_id, &path.child("volumeID"));
    if let Some(secret) = &cinder.secret_ref {
        errors.append(require_secret_name_and_namespace(secret, &path.child("secretRef")));
    }
    errors
}

fn validate_azure_file_pv(azure: &AzureFilePersistentVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = validate_azure_file(&azure.secret_name, &azure.share_name, path);
    if azure.secret_namespace.as_deref() == Some("") {
        errors.push(FieldError::required(&path.child("secretNamespace"), ""));
    }
    errors
}

fn validate_local(local: &LocalVolumeSource, path: &FieldPath) -> ErrorList {
    let path_path = path.child("path");
    if local.path.is_empty() {
        return FieldError::required(&path_path, "").into();
    }
    validate_no_backsteps(&local.path, &path_path)
}

fn validate_storage_os(
    storage_os: &StorageOSPersistentVolumeSource,
    path: &FieldPath,
) -> ErrorList {
    let mut errors =
        validate_storage_os_names(&storage_os.volume_name, &storage_os.volume_namespace, path);
    if let Some(secret) = &storage_os.secret_ref {
        let secret_path = path.child("secretRef");
        errors.append(require(&secret.name, &secret_path.child("name")));
        errors.append(require(&secret.namespace, &secret_path.child("namespace")));
    }
    errors
}

fn validate_csi(csi: &CSIPersistentVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = validate_csi_driver_name(&csi.driver, &path.child("driver"));
    errors.append(require(&csi.volume_handle, &path.child("volumeHandle")));
    let secrets = [
        ("controllerPublishSecretRef", &csi.controller_publish_secret_ref),
        ("controllerExpandSecretRef", &csi.controller_expand_secret_ref),
        ("nodePublishSecretRef", &csi.node_publish_secret_ref),
        ("nodeExpandSecretRef", &csi.node_expand_secret_ref),
    ];
    for (field, secret) in secrets {
        if let Some(secret) = secret {
            errors.append(validate_secret_reference(secret, &path.child(field)));
        }
    }
    errors
}

/// A secret in any namespace: a subdomain name in a label namespace, both required.
fn validate_secret_reference(secret: &SecretReference, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let name_path = path.child("name");
    if secret.name.is_empty() {
        errors.push(FieldError::required(&name_path, ""));
    } else {
        errors.append(validate_dns1123_subdomain(&secret.name, &name_path));
    }
    let namespace_path = path.child("namespace");
    if secret.namespace.is_empty() {
        errors.push(FieldError::required(&namespace_path, ""));
    } else {
        errors.append(validate_dns1123_label(&secret.namespace, &namespace_path));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::ErrorType;

    fn spec_path() -> FieldPath {
        FieldPath::new("spec")
    }

    fn fields(errors: &ErrorList) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    #[test]
    fn csi_needs_driver_handle_and_complete_secret_references() {
        let source = PersistentVolumeSource {
            csi: Some(CSIPersistentVolumeSource {
                driver: "csi.example.com".into(),
                node_publish_secret_ref: Some(SecretReference {
                    name: "creds".into(),
                    namespace: String::new(),
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let errors = validate_persistent_volume_source(&source, "pv", false, &spec_path());
        assert_eq!(
            fields(&errors),
            ["spec.csi.volumeHandle", "spec.csi.nodePublishSecretRef.namespace"]
        );
    }

    #[test]
    fn glusterfs_endpoint_namespace() {
        let source = PersistentVolumeSource {
            glusterfs: Some(GlusterfsPersistentVolumeSource {
                endpoints_name: "ep".into(),
                path: "vol".into(),
                read_only: false,
                endpoints_namespace: Some(String::new()),
            }),
            ..Default::default()
        };
        let errors = validate_persistent_volume_source(&source, "pv", false, &spec_path());
        assert_eq!(errors[0].field, "spec.glusterfs.endpointsNamespace");
        assert_eq!(
            errors[0].detail,
            "if the endpointnamespace is set, it must be a valid namespace name"
        );
    }

    #[test]
    fn iscsi_pv_rules() {
        let source = PersistentVolumeSource {
            iscsi: Some(ISCSIPersistentVolumeSource {
                target_portal: "10.0.0.1:3260".into(),
                iqn: "bogus".into(),
                secret_ref: Some(SecretReference::default()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let errors = validate_persistent_volume_source(&source, "pv", false, &spec_path());
        assert_eq!(fields(&errors), ["spec.iscsi.iqn", "spec.iscsi.secretRef.name"]);
        assert_eq!(errors[0].detail, "must be valid format");
    }

    #[test]
    fn flex_is_always_counted() {
        let source = PersistentVolumeSource {
            flex_volume: Some(FlexPersistentVolumeSource::default()),
            local: Some(LocalVolumeSource { path: "/mnt".into(), fs_type: None }),
            ..Default::default()
        };
        let errors = validate_persistent_volume_source(&source, "pv", true, &spec_path());
        assert_eq!(fields(&errors), ["spec.flexVolume.driver", "spec.local"]);
        assert_eq!(errors[1].kind, ErrorType::Forbidden);
    }

    #[test]
    fn cinder_and_storage_os_secrets_need_namespaces() {
        let source = PersistentVolumeSource {
            cinder: Some(CinderPersistentVolumeSource {
                volume_id: "v".into(),
                secret_ref: Some(SecretReference { name: "s".into(), namespace: String::new() }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let errors = validate_persistent_volume_source(&source, "pv", false, &spec_path());
        assert_eq!(fields(&errors), ["spec.cinder.secretRef.namespace"]);
    }
}
