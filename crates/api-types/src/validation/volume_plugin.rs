//! The in-tree storage plugins a pod volume or a PersistentVolume can name directly: for each,
//! the fields the plugin cannot work without and the formats it insists on. PersistentVolume-only
//! variants (credentials in any namespace) live in `persistent_volume_source`.

use super::common::{invalid_each, validate_dns1123_label};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::names::{dns1123_subdomain_errors, inclusive_range_message, name_is_dns_subdomain};
use crate::api::core::v1::{
    AWSElasticBlockStoreVolumeSource, AzureDiskVolumeSource, AzureFileVolumeSource,
    CSIVolumeSource, CephFSVolumeSource, CinderVolumeSource, FCVolumeSource, FlexVolumeSource,
    FlockerVolumeSource, GCEPersistentDiskVolumeSource, GlusterfsVolumeSource, ISCSIVolumeSource,
    NFSVolumeSource, PhotonPersistentDiskVolumeSource, PortworxVolumeSource, QuobyteVolumeSource,
    RBDVolumeSource, ScaleIOVolumeSource, StorageOSVolumeSource, VsphereVirtualDiskVolumeSource,
};
use std::collections::BTreeMap;

/// Longest CSI driver name.
const CSI_DRIVER_NAME_MAX_LENGTH: usize = 63;

/// `Required` when `value` is empty.
pub(crate) fn require(value: &str, path: &FieldPath) -> ErrorList {
    if value.is_empty() { FieldError::required(path, "").into() } else { ErrorList::new() }
}

/// Disk partitions are numbered 0-255 (the message upstream shows says 1-255).
fn validate_partition(partition: i32, path: &FieldPath) -> ErrorList {
    if (0..=255).contains(&partition) {
        ErrorList::new()
    } else {
        FieldError::invalid(path, partition, inclusive_range_message(1, 255)).into()
    }
}

/// SCSI logical unit numbers are 0-255.
pub(crate) fn validate_lun(lun: i32, path: &FieldPath) -> ErrorList {
    if (0..=255).contains(&lun) {
        ErrorList::new()
    } else {
        FieldError::invalid(path, lun, inclusive_range_message(0, 255)).into()
    }
}

/// A GCE disk is named, and a partition number is in range.
pub(crate) fn validate_gce_persistent_disk(
    disk: &GCEPersistentDiskVolumeSource,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = require(&disk.pd_name, &path.child("pdName"));
    errors.append(validate_partition(disk.partition, &path.child("partition")));
    errors
}

/// An EBS volume is named by its ID, and a partition number is in range.
pub(crate) fn validate_aws_elastic_block_store(
    disk: &AWSElasticBlockStoreVolumeSource,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = require(&disk.volume_id, &path.child("volumeID"));
    errors.append(validate_partition(disk.partition, &path.child("partition")));
    errors
}

/// An NFS export: a server and an absolute exported path.
pub(crate) fn validate_nfs(nfs: &NFSVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&nfs.server, &path.child("server"));
    errors.append(require(&nfs.path, &path.child("path")));
    if !nfs.path.starts_with('/') {
        errors.push(FieldError::invalid(
            &path.child("path"),
            &nfs.path,
            "must be an absolute path",
        ));
    }
    errors
}

/// iSCSI names come in three formats, each recognisable by its prefix.
#[derive(Clone, Copy)]
pub(crate) enum IscsiNameKind {
    /// The pod-volume wording of a name that has none of the prefixes.
    Volume,
    /// The PersistentVolume wording (shorter, without the list of prefixes).
    PersistentVolume,
}

/// Problems with an iSCSI qualified name (`iqn.2001-04.com.example:storage`, `eui.<16 hex>`,
/// `naa.<32 hex>`).
pub(crate) fn iscsi_name_errors(name: &str, kind: IscsiNameKind) -> Option<&'static str> {
    const FORMAT: &str = "must be valid format";
    if name.starts_with("iqn") {
        (!is_iqn(name)).then_some(FORMAT)
    } else if name.starts_with("eui") {
        (!is_prefixed_alnum(name, 16)).then_some(FORMAT)
    } else if name.starts_with("naa") {
        (!is_prefixed_alnum(name, 32)).then_some(FORMAT)
    } else {
        Some(match kind {
            IscsiNameKind::Volume => "must be valid format starting with iqn, eui, or naa",
            IscsiNameKind::PersistentVolume => FORMAT,
        })
    }
}

/// `iqn.YYYY-MM.<naming authority>:<unique name>`, as upstream's (unanchored at the start)
/// pattern accepts it: the form may begin anywhere in the text but must run to its end.
fn is_iqn(text: &str) -> bool {
    text.match_indices("iqn.").any(|(start, _)| is_iqn_from(&text[start + 4..]))
}

fn is_iqn_from(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    let date_ok = bytes.len() > 8
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'.';
    if !date_ok {
        return false;
    }
    let Some((authority, unique)) = rest[8..].split_once(':') else {
        return false;
    };
    let authority_ok = !authority.is_empty()
        && authority
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.');
    let unique_ok = !unique.is_empty()
        && unique.chars().all(|c| {
            !matches!(c, ',' | ';' | '*' | '&' | '$' | '|' | ' ' | '\t' | '\n' | '\r' | '\u{c}')
        });
    authority_ok && unique_ok
}

/// A three-letter prefix, any one character, then exactly `digits` alphanumerics.
fn is_prefixed_alnum(text: &str, digits: usize) -> bool {
    let mut chars = text.chars().skip(3);
    chars.next().is_some_and(|separator| separator != '\n')
        && chars.clone().count() == digits
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// A pod's iSCSI disk: portal, target name and LUN, a secret for CHAP, a valid initiator.
pub(crate) fn validate_iscsi(iscsi: &ISCSIVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&iscsi.target_portal, &path.child("targetPortal"));
    if iscsi.iqn.is_empty() {
        errors.push(FieldError::required(&path.child("iqn"), ""));
    } else if let Some(message) = iscsi_name_errors(&iscsi.iqn, IscsiNameKind::Volume) {
        errors.push(FieldError::invalid(&path.child("iqn"), &iscsi.iqn, message));
    }
    errors.append(validate_lun(iscsi.lun, &path.child("lun")));
    if (iscsi.chap_auth_discovery || iscsi.chap_auth_session) && iscsi.secret_ref.is_none() {
        errors.push(FieldError::required(&path.child("secretRef"), ""));
    }
    if let Some(initiator) = &iscsi.initiator_name {
        errors.append(validate_initiator_name(
            initiator,
            IscsiNameKind::Volume,
            &path.child("initiatorname"),
        ));
    }
    errors
}

/// The initiator name takes the iSCSI name formats, with the wording of `kind`.
pub(crate) fn validate_initiator_name(
    initiator: &str,
    kind: IscsiNameKind,
    path: &FieldPath,
) -> ErrorList {
    match iscsi_name_errors(initiator, kind) {
        Some(message) => FieldError::invalid(path, initiator, message).into(),
        None => ErrorList::new(),
    }
}

/// A Gluster volume is reached through an Endpoints object and a volume path.
pub(crate) fn validate_glusterfs(glusterfs: &GlusterfsVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&glusterfs.endpoints_name, &path.child("endpoints"));
    errors.append(require(&glusterfs.path, &path.child("path")));
    errors
}

/// A Flocker dataset is named either by name or by UUID, not both.
pub(crate) fn validate_flocker(flocker: &FlockerVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let has_name = !flocker.dataset_name.is_empty();
    let has_uuid = !flocker.dataset_uuid.is_empty();
    if !has_name && !has_uuid {
        errors.push(FieldError::required(path, "one of datasetName and datasetUUID is required"));
    }
    if has_name && has_uuid {
        errors.push(FieldError::invalid(
            path,
            "resource",
            "datasetName and datasetUUID can not be specified simultaneously",
        ));
    }
    if flocker.dataset_name.contains('/') {
        errors.push(FieldError::invalid(
            &path.child("datasetName"),
            &flocker.dataset_name,
            "must not contain '/'",
        ));
    }
    errors
}

/// A Ceph RBD image needs the monitors to reach the cluster and the image name.
pub(crate) fn validate_rbd(monitors: &[String], image: &str, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    if monitors.is_empty() {
        errors.push(FieldError::required(&path.child("monitors"), ""));
    }
    errors.append(require(image, &path.child("image")));
    errors
}

/// A pod's RBD volume (see [`validate_rbd`]).
pub(crate) fn validate_rbd_volume(rbd: &RBDVolumeSource, path: &FieldPath) -> ErrorList {
    validate_rbd(&rbd.monitors, &rbd.image, path)
}

/// A pod's Cinder volume: its ID, and a named secret when one is referenced.
pub(crate) fn validate_cinder(cinder: &CinderVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&cinder.volume_id, &path.child("volumeID"));
    if let Some(secret) = &cinder.secret_ref {
        errors.append(require(&secret.name, &path.child("secretRef").child("name")));
    }
    errors
}

/// CephFS needs the monitors to reach the cluster.
pub(crate) fn validate_cephfs(monitors: &[String], path: &FieldPath) -> ErrorList {
    if monitors.is_empty() {
        FieldError::required(&path.child("monitors"), "").into()
    } else {
        ErrorList::new()
    }
}

/// A pod's CephFS volume (see [`validate_cephfs`]).
pub(crate) fn validate_cephfs_volume(cephfs: &CephFSVolumeSource, path: &FieldPath) -> ErrorList {
    validate_cephfs(&cephfs.monitors, path)
}

/// Fibre Channel: target WWNs with a LUN, or WWIDs, never both.
pub(crate) fn validate_fc(fc: &FCVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let targets_path = path.child("targetWWNs");
    if fc.target_wwns.is_empty() && fc.wwids.is_empty() {
        errors.push(FieldError::required(
            &targets_path,
            "must specify either targetWWNs or wwids, but not both",
        ));
    }
    if !fc.target_wwns.is_empty() && !fc.wwids.is_empty() {
        errors.push(FieldError::invalid(
            &targets_path,
            &fc.target_wwns,
            "targetWWNs and wwids can not be specified simultaneously",
        ));
    }
    if !fc.target_wwns.is_empty() {
        match fc.lun {
            None => errors.push(FieldError::required(
                &path.child("lun"),
                "lun is required if targetWWNs is specified",
            )),
            Some(lun) => errors.append(validate_lun(lun, &path.child("lun"))),
        }
    }
    errors
}

/// Flex volume drivers get a free-form option map, but keys in the `kubernetes.io` and `k8s.io`
/// namespaces are reserved for the system.
pub(crate) fn validate_flex(
    driver: &str,
    options: &BTreeMap<String, String>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = require(driver, &path.child("driver"));
    for key in options.keys() {
        let namespace = key.split_once('/').map_or(key.as_str(), |(prefix, _)| prefix);
        let normalized = format!(".{}", namespace.to_lowercase());
        if normalized.ends_with(".kubernetes.io") || normalized.ends_with(".k8s.io") {
            errors.push(FieldError::invalid(
                &path.child("options").key(key),
                key,
                "kubernetes.io and k8s.io namespaces are reserved",
            ));
        }
    }
    errors
}

/// A pod's flex volume (see [`validate_flex`]).
pub(crate) fn validate_flex_volume(flex: &FlexVolumeSource, path: &FieldPath) -> ErrorList {
    validate_flex(&flex.driver, &flex.options, path)
}

/// An Azure file share needs the secret holding its account key and the share's name.
pub(crate) fn validate_azure_file(
    secret_name: &str,
    share_name: &str,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = require(secret_name, &path.child("secretName"));
    errors.append(require(share_name, &path.child("shareName")));
    errors
}

/// A pod's Azure file volume (see [`validate_azure_file`]).
pub(crate) fn validate_azure_file_volume(
    azure: &AzureFileVolumeSource,
    path: &FieldPath,
) -> ErrorList {
    validate_azure_file(&azure.secret_name, &azure.share_name, path)
}

/// An Azure disk: name and URI, known caching mode and kind, and a URI that suits the kind.
pub(crate) fn validate_azure_disk(azure: &AzureDiskVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&azure.disk_name, &path.child("diskName"));
    errors.append(require(&azure.disk_uri, &path.child("diskURI")));
    if let Some(mode) = &azure.caching_mode
        && !["None", "ReadOnly", "ReadWrite"].contains(&mode.as_str())
    {
        errors.push(FieldError::not_supported(
            &path.child("cachingMode"),
            mode,
            &["None", "ReadOnly", "ReadWrite"],
        ));
    }
    if let Some(kind) = &azure.kind {
        if !["Dedicated", "Managed", "Shared"].contains(&kind.as_str()) {
            errors.push(FieldError::not_supported(
                &path.child("kind"),
                kind,
                &["Dedicated", "Managed", "Shared"],
            ));
        }
        let managed = kind == "Managed";
        if managed && !azure.disk_uri.starts_with("/subscriptions/") {
            errors.push(FieldError::not_supported(
                &path.child("diskURI"),
                &azure.disk_uri,
                &["/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"],
            ));
        }
        if !managed && !azure.disk_uri.starts_with("https://") {
            errors.push(FieldError::not_supported(
                &path.child("diskURI"),
                &azure.disk_uri,
                &["https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"],
            ));
        }
    }
    errors
}

/// A vSphere disk is named by its datastore path.
pub(crate) fn validate_vsphere(
    vsphere: &VsphereVirtualDiskVolumeSource,
    path: &FieldPath,
) -> ErrorList {
    require(&vsphere.volume_path, &path.child("volumePath"))
}

/// A Photon disk is named by its ID.
pub(crate) fn validate_photon(
    photon: &PhotonPersistentDiskVolumeSource,
    path: &FieldPath,
) -> ErrorList {
    require(&photon.pd_id, &path.child("pdID"))
}

/// A Portworx volume is named by its ID.
pub(crate) fn validate_portworx(portworx: &PortworxVolumeSource, path: &FieldPath) -> ErrorList {
    require(&portworx.volume_id, &path.child("volumeID"))
}

/// ScaleIO needs its gateway, storage system and volume name.
pub(crate) fn validate_scale_io(
    gateway: &str,
    system: &str,
    volume_name: &str,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = require(gateway, &path.child("gateway"));
    errors.append(require(system, &path.child("system")));
    errors.append(require(volume_name, &path.child("volumeName")));
    errors
}

/// A pod's ScaleIO volume (see [`validate_scale_io`]).
pub(crate) fn validate_scale_io_volume(
    scale_io: &ScaleIOVolumeSource,
    path: &FieldPath,
) -> ErrorList {
    validate_scale_io(&scale_io.gateway, &scale_io.system, &scale_io.volume_name, path)
}

/// StorageOS volume names and namespaces are DNS labels.
pub(crate) fn validate_storage_os_names(
    volume_name: &str,
    volume_namespace: &str,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let name_path = path.child("volumeName");
    if volume_name.is_empty() {
        errors.push(FieldError::required(&name_path, ""));
    } else {
        errors.append(validate_dns1123_label(volume_name, &name_path));
    }
    if !volume_namespace.is_empty() {
        errors.append(validate_dns1123_label(volume_namespace, &path.child("volumeNamespace")));
    }
    errors
}

/// A pod's StorageOS volume: valid names, and a named secret when one is referenced.
pub(crate) fn validate_storage_os_volume(
    storage_os: &StorageOSVolumeSource,
    path: &FieldPath,
) -> ErrorList {
    let mut errors =
        validate_storage_os_names(&storage_os.volume_name, &storage_os.volume_namespace, path);
    if let Some(secret) = &storage_os.secret_ref {
        errors.append(require(&secret.name, &path.child("secretRef").child("name")));
    }
    errors
}

/// Quobyte registries are `host:port` pairs, separated by commas.
pub(crate) fn validate_quobyte(quobyte: &QuobyteVolumeSource, path: &FieldPath) -> ErrorList {
    const REGISTRY_RULE: &str = "must be a host:port pair or multiple pairs separated by commas";
    let mut errors = ErrorList::new();
    let registry_path = path.child("registry");
    if quobyte.registry.is_empty() {
        errors.push(FieldError::required(&registry_path, REGISTRY_RULE));
    } else if quobyte.tenant.len() >= 65 {
        errors.push(FieldError::required(
            &path.child("tenant"),
            "must be a UUID and may not exceed a length of 64 characters",
        ));
    } else {
        for pair in quobyte.registry.split(',') {
            if !is_host_port(pair) {
                errors.push(FieldError::invalid(&registry_path, &quobyte.registry, REGISTRY_RULE));
            }
        }
    }
    errors.append(require(&quobyte.volume, &path.child("volume")));
    errors
}

/// Whether `text` splits into a host and a port as Go's `net.SplitHostPort` accepts it:
/// `host:port` or `[ipv6]:port`, with no stray colons or brackets (either part may be empty).
fn is_host_port(text: &str) -> bool {
    let Some(last_colon) = text.rfind(':') else {
        return false;
    };
    let (host_start, port_start) = if text.starts_with('[') {
        let Some(close) = text.find(']') else {
            return false;
        };
        if close + 1 != last_colon {
            return false;
        }
        (1, close + 1)
    } else {
        if text[..last_colon].contains(':') {
            return false;
        }
        (0, 0)
    };
    !text[host_start..].contains('[') && !text[port_start..].contains(']')
}

/// CSI driver names are DNS subdomains (compared case-insensitively) of at most 63 characters.
pub(crate) fn validate_csi_driver_name(driver: &str, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    if driver.is_empty() {
        errors.push(FieldError::required(path, ""));
    }
    if driver.len() > CSI_DRIVER_NAME_MAX_LENGTH {
        errors.push(FieldError::too_long(path, CSI_DRIVER_NAME_MAX_LENGTH));
    }
    errors.append(invalid_each(path, driver, dns1123_subdomain_errors(&driver.to_lowercase())));
    errors
}

/// An inline CSI volume: a valid driver, and a named secret if one is referenced. (Upstream
/// reports a badly formed secret name at `csi.name`.)
pub(crate) fn validate_csi_volume(csi: &CSIVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = validate_csi_driver_name(&csi.driver, &path.child("driver"));
    if let Some(secret) = &csi.node_publish_secret_ref {
        if secret.name.is_empty() {
            errors
                .push(FieldError::required(&path.child("nodePublishSecretRef").child("name"), ""));
        } else {
            errors.append(invalid_each(
                &path.child("name"),
                &secret.name,
                name_is_dns_subdomain(&secret.name, false),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::LocalObjectReference;
    use crate::validation::ErrorType;

    fn source_path(name: &str) -> FieldPath {
        FieldPath::new("spec").child("volumes").index(0).child(name)
    }

    fn fields(errors: &ErrorList) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    #[test]
    fn nfs_needs_server_and_absolute_path() {
        let errors = validate_nfs(&NFSVolumeSource::default(), &source_path("nfs"));
        assert_eq!(
            fields(&errors),
            ["spec.volumes[0].nfs.server", "spec.volumes[0].nfs.path", "spec.volumes[0].nfs.path",]
        );
        assert_eq!(errors[2].detail, "must be an absolute path");
        let ok = NFSVolumeSource {
            server: "nfs.example.com".into(),
            path: "/exports".into(),
            read_only: false,
        };
        assert!(validate_nfs(&ok, &source_path("nfs")).is_empty());
    }

    #[test]
    fn iscsi_names() {
        assert_eq!(iscsi_name_errors("iqn.2015-02.example.com:test", IscsiNameKind::Volume), None);
        assert_eq!(iscsi_name_errors("eui.02004567A425678D", IscsiNameKind::Volume), None);
        assert_eq!(
            iscsi_name_errors("naa.62004567BA64678D0123456789ABCDEF", IscsiNameKind::Volume),
            None
        );
        assert_eq!(
            iscsi_name_errors("iqn.2015-02.example.com", IscsiNameKind::Volume),
            Some("must be valid format")
        );
        assert_eq!(
            iscsi_name_errors("eui.0200", IscsiNameKind::Volume),
            Some("must be valid format")
        );
        assert_eq!(
            iscsi_name_errors("foo", IscsiNameKind::Volume),
            Some("must be valid format starting with iqn, eui, or naa")
        );
        assert_eq!(
            iscsi_name_errors("foo", IscsiNameKind::PersistentVolume),
            Some("must be valid format")
        );
    }

    #[test]
    fn iscsi_needs_portal_iqn_and_secret_for_chap() {
        let iscsi = ISCSIVolumeSource { lun: 300, chap_auth_session: true, ..Default::default() };
        let errors = validate_iscsi(&iscsi, &source_path("iscsi"));
        assert_eq!(
            fields(&errors),
            [
                "spec.volumes[0].iscsi.targetPortal",
                "spec.volumes[0].iscsi.iqn",
                "spec.volumes[0].iscsi.lun",
                "spec.volumes[0].iscsi.secretRef",
            ]
        );
        assert_eq!(errors[2].detail, "must be between 0 and 255, inclusive");
    }

    #[test]
    fn partitions_and_luns() {
        let disk = GCEPersistentDiskVolumeSource {
            pd_name: "disk".into(),
            partition: 256,
            ..Default::default()
        };
        let errors = validate_gce_persistent_disk(&disk, &source_path("persistentDisk"));
        assert_eq!(
            errors[0].to_string(),
            "spec.volumes[0].persistentDisk.partition: Invalid value: 256: must be between 1 and 255, inclusive"
        );
        let fc =
            FCVolumeSource { target_wwns: vec!["500a0982991b8dc5".into()], ..Default::default() };
        let errors = validate_fc(&fc, &source_path("fc"));
        assert_eq!(errors[0].field, "spec.volumes[0].fc.lun");
        assert_eq!(errors[0].kind, ErrorType::Required);
    }

    #[test]
    fn flocker_wants_exactly_one_identifier() {
        let both = FlockerVolumeSource { dataset_name: "a/b".into(), dataset_uuid: "uuid".into() };
        let errors = validate_flocker(&both, &source_path("flocker"));
        assert_eq!(
            errors[0].to_string(),
            r#"spec.volumes[0].flocker: Invalid value: "resource": datasetName and datasetUUID can not be specified simultaneously"#
        );
        assert_eq!(errors[1].field, "spec.volumes[0].flocker.datasetName");
        let neither = validate_flocker(&FlockerVolumeSource::default(), &source_path("flocker"));
        assert_eq!(neither[0].kind, ErrorType::Required);
    }

    #[test]
    fn flex_options_may_not_use_reserved_namespaces() {
        let options = BTreeMap::from([
            ("kubernetes.io/secret".to_string(), "x".to_string()),
            ("example.com/option".to_string(), "y".to_string()),
        ]);
        let errors = validate_flex("example/driver", &options, &source_path("flexVolume"));
        assert_eq!(fields(&errors), ["spec.volumes[0].flexVolume.options[kubernetes.io/secret]"]);
    }

    #[test]
    fn azure_disk_values() {
        let disk = AzureDiskVolumeSource {
            disk_name: "d".into(),
            disk_uri: "https://account.blob.core.windows.net/c/d.vhd".into(),
            caching_mode: Some("Sometimes".into()),
            kind: Some("Managed".into()),
            ..Default::default()
        };
        let errors = validate_azure_disk(&disk, &source_path("azureDisk"));
        assert_eq!(
            fields(&errors),
            ["spec.volumes[0].azureDisk.cachingMode", "spec.volumes[0].azureDisk.diskURI"]
        );
        assert_eq!(errors[0].detail, r#"supported values: "None", "ReadOnly", "ReadWrite""#);
    }

    #[test]
    fn quobyte_registry_is_host_port_pairs() {
        assert!(is_host_port("registry:7861"));
        assert!(is_host_port("[::1]:7861"));
        assert!(!is_host_port("registry"));
        assert!(!is_host_port("a:b:c"));
        let quobyte = QuobyteVolumeSource {
            registry: "good:1,bad".into(),
            volume: "v".into(),
            ..Default::default()
        };
        let errors = validate_quobyte(&quobyte, &source_path("quobyte"));
        assert_eq!(
            errors[0].to_string(),
            r#"spec.volumes[0].quobyte.registry: Invalid value: "good:1,bad": must be a host:port pair or multiple pairs separated by commas"#
        );
    }

    #[test]
    fn csi_driver_and_secret() {
        let csi = CSIVolumeSource {
            driver: String::new(),
            node_publish_secret_ref: Some(LocalObjectReference { name: "Bad_Name".into() }),
            ..Default::default()
        };
        let errors = validate_csi_volume(&csi, &source_path("csi"));
        assert_eq!(
            fields(&errors),
            [
                "spec.volumes[0].csi.driver",
                "spec.volumes[0].csi.driver",
                "spec.volumes[0].csi.name",
            ]
        );
        let long_driver = "a".repeat(64);
        let errors = validate_csi_driver_name(&long_driver, &source_path("csi").child("driver"));
        assert_eq!(errors[0].kind, ErrorType::TooLong);
    }

    #[test]
    fn storage_os_names_are_dns_labels() {
        let errors = validate_storage_os_names("Vol", "ns.x", &source_path("storageos"));
        assert_eq!(
            fields(&errors),
            ["spec.volumes[0].storageos.volumeName", "spec.volumes[0].storageos.volumeNamespace"]
        );
        assert_eq!(errors[1].detail, "must not contain dots");
    }

    #[test]
    fn simple_required_fields() {
        let cases: Vec<(ErrorList, &str)> = vec![
            (
                validate_aws_elastic_block_store(
                    &Default::default(),
                    &source_path("awsElasticBlockStore"),
                ),
                "spec.volumes[0].awsElasticBlockStore.volumeID",
            ),
            (
                validate_glusterfs(&Default::default(), &source_path("glusterfs")),
                "spec.volumes[0].glusterfs.endpoints",
            ),
            (
                validate_rbd_volume(&Default::default(), &source_path("rbd")),
                "spec.volumes[0].rbd.monitors",
            ),
            (
                validate_cinder(&Default::default(), &source_path("cinder")),
                "spec.volumes[0].cinder.volumeID",
            ),
            (
                validate_cephfs_volume(&Default::default(), &source_path("cephfs")),
                "spec.volumes[0].cephfs.monitors",
            ),
            (
                validate_azure_file_volume(&Default::default(), &source_path("azureFile")),
                "spec.volumes[0].azureFile.secretName",
            ),
            (
                validate_vsphere(&Default::default(), &source_path("vsphereVolume")),
                "spec.volumes[0].vsphereVolume.volumePath",
            ),
            (
                validate_photon(&Default::default(), &source_path("photonPersistentDisk")),
                "spec.volumes[0].photonPersistentDisk.pdID",
            ),
            (
                validate_portworx(&Default::default(), &source_path("portworxVolume")),
                "spec.volumes[0].portworxVolume.volumeID",
            ),
            (
                validate_scale_io_volume(&Default::default(), &source_path("scaleIO")),
                "spec.volumes[0].scaleIO.gateway",
            ),
            (
                validate_storage_os_volume(&Default::default(), &source_path("storageos")),
                "spec.volumes[0].storageos.volumeName",
            ),
        ];
        for (errors, first_field) in cases {
            assert_eq!(errors[0].field, first_field);
            assert_eq!(errors[0].kind, ErrorType::Required);
        }
    }
}
