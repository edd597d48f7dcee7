//! A pod's `volumes`: unique DNS-label names, exactly one source each, and the source's own rules
//! (host paths without `..`, projected file names that stay inside the volume, file modes in
//! range, ...). Returns the valid volumes by name so that container mounts can be matched.

use super::common::validate_dns1123_label;
use super::container::validate_pull_policy;
use super::env::{
    VOLUME_FIELD_PATHS, validate_object_field_selector, validate_resource_field_selector,
};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::label_selector::validate_label_selector;
use super::local_path::{
    validate_local_descending_path, validate_local_non_reserved_path, validate_no_backsteps,
};
use super::names::name_is_dns_subdomain;
use super::persistent_volume_claim::validate_claim_template;
use super::volume_plugin::{
    require, validate_aws_elastic_block_store, validate_azure_disk, validate_azure_file_volume,
    validate_cephfs_volume, validate_cinder, validate_csi_volume, validate_fc,
    validate_flex_volume, validate_flocker, validate_gce_persistent_disk, validate_glusterfs,
    validate_iscsi, validate_nfs, validate_photon, validate_portworx, validate_quobyte,
    validate_rbd_volume, validate_scale_io_volume, validate_storage_os_volume, validate_vsphere,
};
use super::volume_source::SourceUnion;
use crate::api::core::v1::{
    ConfigMapVolumeSource, DownwardAPIVolumeFile, DownwardAPIVolumeSource, EmptyDirVolumeSource,
    EphemeralVolumeSource, GitRepoVolumeSource, HostPathVolumeSource, ImageVolumeSource, KeyToPath,
    PersistentVolumeClaimVolumeSource, ProjectedVolumeSource, SecretVolumeSource, Volume,
    VolumeSource,
};
use crate::go_fmt::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Host path types (sorted; the empty string means "no check").
const HOST_PATH_TYPES: [&str; 8] = [
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
];

const FILE_MODE_RULE: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// Shortest and longest lifetime of a projected service-account token.
const MIN_TOKEN_EXPIRATION_SECONDS: i64 = 10 * 60;
const MAX_TOKEN_EXPIRATION_SECONDS: i64 = 1 << 32;

/// The volumes that passed validation, by name, for matching container mounts against.
pub(crate) type VolumesByName<'a> = BTreeMap<&'a str, &'a VolumeSource>;

/// Validates `volumes`; `pod_name` is given for a real pod, whose ephemeral volumes create PVCs
/// named `<pod>-<volume>`.
pub(crate) fn validate_volumes<'a>(
    volumes: &'a [Volume],
    pod_name: Option<&str>,
    path: &FieldPath,
) -> (VolumesByName<'a>, ErrorList) {
    let mut errors = ErrorList::new();
    let mut valid = VolumesByName::new();
    let mut names: BTreeSet<&str> = BTreeSet::new();
    let created_claims: BTreeSet<String> = match pod_name {
        Some(pod) if !pod.is_empty() => volumes
            .iter()
            .filter(|volume| volume.volume_source.ephemeral.is_some())
            .map(|volume| format!("{pod}-{}", volume.name))
            .collect(),
        _ => BTreeSet::new(),
    };
    for (index, volume) in volumes.iter().enumerate() {
        let entry_path = path.index(index);
        let name_path = entry_path.child("name");
        let mut findings =
            validate_volume_source(&volume.volume_source, &entry_path, &volume.name, pod_name);
        if volume.name.is_empty() {
            findings.push(FieldError::required(&name_path, ""));
        } else {
            findings.append(validate_dns1123_label(&volume.name, &name_path));
        }
        if names.contains(volume.name.as_str()) {
            findings.push(FieldError::duplicate(&name_path, &volume.name));
        }
        if findings.is_empty() {
            names.insert(&volume.name);
            valid.insert(&volume.name, &volume.volume_source);
        } else {
            errors.append(findings);
        }
        if let Some(claim) = &volume.volume_source.persistent_volume_claim
            && created_claims.contains(&claim.claim_name)
        {
            errors.push(FieldError::invalid(
                &entry_path.child("persistentVolumeClaim").child("claimName"),
                &claim.claim_name,
                "must not reference a PVC that gets created for an ephemeral volume",
            ));
        }
    }
    (valid, errors)
}

fn validate_volume_source(
    source: &VolumeSource,
    path: &FieldPath,
    volume_name: &str,
    pod_name: Option<&str>,
) -> ErrorList {
    let mut union = SourceUnion::new(path);
    union.add("emptyDir", source.empty_dir.as_ref(), validate_empty_dir);
    union.add("hostPath", source.host_path.as_ref(), validate_host_path);
    union.add("gitRepo", source.git_repo.as_ref(), validate_git_repo);
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
    union.add("secret", source.secret.as_ref(), validate_secret);
    union.add("nfs", source.nfs.as_ref(), validate_nfs);
    union.add("iscsi", source.iscsi.as_ref(), validate_iscsi);
    if let Some(iscsi) = &source.iscsi
        && iscsi.initiator_name.is_some()
        && volume_name.len() + 1 + iscsi.target_portal.len() > 64
    {
        union.append(
            FieldError::invalid(
                &path.child("name"),
                volume_name,
                "Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.",
            )
            .into(),
        );
    }
    union.add("glusterfs", source.glusterfs.as_ref(), validate_glusterfs);
    union.add("flocker", source.flocker.as_ref(), validate_flocker);
    union.add(
        "persistentVolumeClaim",
        source.persistent_volume_claim.as_ref(),
        validate_claim_reference,
    );
    union.add("rbd", source.rbd.as_ref(), validate_rbd_volume);
    union.add("cinder", source.cinder.as_ref(), validate_cinder);
    union.add_checked_at("cephFS", "cephfs", source.cephfs.as_ref(), validate_cephfs_volume);
    union.add("quobyte", source.quobyte.as_ref(), validate_quobyte);
    // Upstream refuses a second source here under the misspelt name `downwarAPI`.
    union.add_checked_at(
        "downwarAPI",
        "downwardAPI",
        source.downward_api.as_ref(),
        validate_downward_api,
    );
    union.add("fc", source.fc.as_ref(), validate_fc);
    union.add("flexVolume", source.flex_volume.as_ref(), validate_flex_volume);
    union.add("configMap", source.config_map.as_ref(), validate_config_map);
    union.add("azureFile", source.azure_file.as_ref(), validate_azure_file_volume);
    union.add("vsphereVolume", source.vsphere_volume.as_ref(), validate_vsphere);
    union.add("photonPersistentDisk", source.photon_persistent_disk.as_ref(), validate_photon);
    union.add("portworxVolume", source.portworx_volume.as_ref(), validate_portworx);
    union.add("azureDisk", source.azure_disk.as_ref(), validate_azure_disk);
    union.add("storageos", source.storageos.as_ref(), validate_storage_os_volume);
    union.add("projected", source.projected.as_ref(), validate_projected);
    union.add("scaleIO", source.scale_io.as_ref(), validate_scale_io_volume);
    union.add("csi", source.csi.as_ref(), validate_csi_volume);
    union.add("ephemeral", source.ephemeral.as_ref(), |ephemeral, ephemeral_path| {
        let mut errors = validate_ephemeral(ephemeral, ephemeral_path);
        errors.append(validate_ephemeral_claim_name(pod_name, volume_name, path));
        errors
    });
    union.add("image", source.image.as_ref(), validate_image);
    union.finish()
}

fn validate_empty_dir(empty_dir: &EmptyDirVolumeSource, path: &FieldPath) -> ErrorList {
    match &empty_dir.size_limit {
        Some(limit) if limit.signum() < 0 => FieldError::forbidden(
            &path.child("sizeLimit"),
            "SizeLimit field must be a valid resource quantity",
        )
        .into(),
        _ => ErrorList::new(),
    }
}

/// A node path: required, without `..`, and of a known type. Shared with PersistentVolumes.
pub(crate) fn validate_host_path(host_path: &HostPathVolumeSource, path: &FieldPath) -> ErrorList {
    let path_path = path.child("path");
    if host_path.path.is_empty() {
        return FieldError::required(&path_path, "").into();
    }
    let mut errors = validate_no_backsteps(&host_path.path, &path_path);
    if let Some(kind) = &host_path.type_
        && !HOST_PATH_TYPES.contains(&kind.as_str())
    {
        errors.push(FieldError::not_supported(&path.child("type"), kind, &HOST_PATH_TYPES));
    }
    errors
}

fn validate_git_repo(git_repo: &GitRepoVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&git_repo.repository, &path.child("repository"));
    errors.append(validate_local_descending_path(&git_repo.directory, &path.child("directory")));
    errors
}

fn validate_claim_reference(
    claim: &PersistentVolumeClaimVolumeSource,
    path: &FieldPath,
) -> ErrorList {
    require(&claim.claim_name, &path.child("claimName"))
}

/// Permission bits of a projected file: 0 to 0777.
fn validate_file_mode(mode: Option<i32>, path: &FieldPath) -> ErrorList {
    match mode {
        Some(mode) if !(0..=0o777).contains(&mode) => {
            FieldError::invalid(path, mode, FILE_MODE_RULE).into()
        }
        _ => ErrorList::new(),
    }
}

fn validate_secret(secret: &SecretVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&secret.secret_name, &path.child("secretName"));
    errors.append(validate_file_mode(secret.default_mode, &path.child("defaultMode")));
    errors.append(validate_items(&secret.items, &path.child("items")));
    errors
}

fn validate_config_map(config_map: &ConfigMapVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&config_map.local_object_reference.name, &path.child("name"));
    errors.append(validate_file_mode(config_map.default_mode, &path.child("defaultMode")));
    errors.append(validate_items(&config_map.items, &path.child("items")));
    errors
}

fn validate_items(items: &[KeyToPath], path: &FieldPath) -> ErrorList {
    items
        .iter()
        .enumerate()
        .flat_map(|(index, item)| validate_key_to_path(item, &path.index(index)))
        .collect()
}

/// A key projected to a file: both named, the file inside the volume, a valid mode.
fn validate_key_to_path(item: &KeyToPath, path: &FieldPath) -> ErrorList {
    let mut errors = require(&item.key, &path.child("key"));
    let file_path = path.child("path");
    errors.append(require(&item.path, &file_path));
    errors.append(validate_local_non_reserved_path(&item.path, &file_path));
    errors.append(validate_file_mode(item.mode, &path.child("mode")));
    errors
}

fn validate_downward_api(downward_api: &DownwardAPIVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = validate_file_mode(downward_api.default_mode, &path.child("defaultMode"));
    // Upstream reports file findings at the source, not at `items[i]`.
    for file in &downward_api.items {
        errors.append(validate_downward_api_file(file, path));
    }
    errors
}

fn validate_downward_api_file(file: &DownwardAPIVolumeFile, path: &FieldPath) -> ErrorList {
    let file_path = path.child("path");
    let mut errors = require(&file.path, &file_path);
    errors.append(validate_local_non_reserved_path(&file.path, &file_path));
    match (&file.field_ref, &file.resource_field_ref) {
        (Some(field), resource) => {
            errors.append(validate_object_field_selector(
                field,
                &VOLUME_FIELD_PATHS,
                &path.child("fieldRef"),
            ));
            if resource.is_some() {
                errors.push(FieldError::invalid(
                    path,
                    "resource",
                    "fieldRef and resourceFieldRef can not be specified simultaneously",
                ));
            }
        }
        (None, Some(resource)) => errors.append(validate_resource_field_selector(
            resource,
            true,
            &path.child("resourceFieldRef"),
        )),
        (None, None) => errors
            .push(FieldError::required(path, "one of fieldRef and resourceFieldRef is required")),
    }
    errors.append(validate_file_mode(file.mode, &path.child("mode")));
    errors
}

/// A projected volume merges several sources into one directory, so every file path must be
/// unique across them, and each source entry must name exactly one kind of source.
fn validate_projected(projected: &ProjectedVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = validate_file_mode(projected.default_mode, &path.child("defaultMode"));
    let mut paths: BTreeSet<String> = BTreeSet::new();
    let mut claim_path = |file: &str, shown: &str, errors: &mut ErrorList| {
        if !paths.insert(file.to_string()) {
            errors.push(FieldError::invalid(path, shown, "conflicting duplicate paths"));
        }
    };
    let sources_path = path.child("sources");
    for (index, source) in projected.sources.iter().enumerate() {
        let source_path = sources_path.index(index);
        let mut kinds = 0;
        if let Some(secret) = &source.secret {
            kinds += 1;
            let secret_path = source_path.child("secret");
            errors.append(require(&secret.local_object_reference.name, &secret_path.child("name")));
            let items_path = secret_path.child("items");
            for (item_index, item) in secret.items.iter().enumerate() {
                errors.append(validate_key_to_path(item, &items_path.index(item_index)));
                if !item.path.is_empty() {
                    claim_path(&item.path, &secret.local_object_reference.name, &mut errors);
                }
            }
        }
        if let Some(config_map) = &source.config_map {
            kinds += 1;
            let config_map_path = source_path.child("configMap");
            errors.append(require(
                &config_map.local_object_reference.name,
                &config_map_path.child("name"),
            ));
            let items_path = config_map_path.child("items");
            for (item_index, item) in config_map.items.iter().enumerate() {
                errors.append(validate_key_to_path(item, &items_path.index(item_index)));
                if !item.path.is_empty() {
                    claim_path(&item.path, &config_map.local_object_reference.name, &mut errors);
                }
            }
        }
        if let Some(downward_api) = &source.downward_api {
            kinds += 1;
            let downward_path = source_path.child("downwardAPI");
            for file in &downward_api.items {
                errors.append(validate_downward_api_file(file, &downward_path));
                if !file.path.is_empty() {
                    claim_path(&file.path, &file.path, &mut errors);
                }
            }
        }
        if let Some(token) = &source.service_account_token {
            kinds += 1;
            let token_path = source_path.child("serviceAccountToken");
            if let Some(seconds) = token.expiration_seconds {
                let seconds_path = token_path.child("expirationSeconds");
                if seconds < MIN_TOKEN_EXPIRATION_SECONDS {
                    errors.push(FieldError::invalid(
                        &seconds_path,
                        seconds,
                        "may not specify a duration less than 10 minutes",
                    ));
                }
                if seconds > MAX_TOKEN_EXPIRATION_SECONDS {
                    errors.push(FieldError::invalid(
                        &seconds_path,
                        seconds,
                        "may not specify a duration larger than 2^32 seconds",
                    ));
                }
            }
            // Upstream reports the token's path at the projected volume, not at the source.
            if token.path.is_empty() {
                errors.push(FieldError::required(&path.child("path"), ""));
            } else {
                errors.append(validate_local_non_reserved_path(&token.path, &path.child("path")));
            }
        }
        if let Some(bundle) = &source.cluster_trust_bundle {
            kinds += 1;
            let bundle_path = source_path.child("clusterTrustBundle");
            match (&bundle.name, &bundle.signer_name) {
                (Some(_), Some(_)) => errors.push(FieldError::invalid(
                    &bundle_path,
                    bundle,
                    "only one of name and signerName may be used",
                )),
                (Some(name), None) => {
                    if name.is_empty() {
                        errors.push(FieldError::required(
                            &bundle_path.child("name"),
                            "must be a valid object name",
                        ));
                    }
                    if let Some(selector) = &bundle.label_selector {
                        errors.push(FieldError::invalid(
                            &bundle_path.child("labelSelector"),
                            selector,
                            "labelSelector must be unset if name is specified",
                        ));
                    }
                }
                (None, Some(signer)) => {
                    if signer.is_empty() {
                        errors.push(FieldError::required(
                            &bundle_path.child("signerName"),
                            "must be a valid signer name",
                        ));
                    }
                    errors.append(validate_label_selector(
                        bundle.label_selector.as_ref(),
                        &bundle_path.child("labelSelector"),
                    ));
                }
                (None, None) => errors.push(FieldError::required(
                    &bundle_path,
                    "either name or signerName must be specified",
                )),
            }
            let file_path = bundle_path.child("path");
            errors.append(require(&bundle.path, &file_path));
            errors.append(validate_local_non_reserved_path(&bundle.path, &file_path));
            claim_path(&bundle.path, &bundle.path, &mut errors);
        }
        if kinds > 1 {
            errors.push(FieldError::forbidden(
                &source_path,
                "may not specify more than 1 volume type per source",
            ));
        }
    }
    errors
}

fn validate_ephemeral(ephemeral: &EphemeralVolumeSource, path: &FieldPath) -> ErrorList {
    let template_path = path.child("volumeClaimTemplate");
    match &ephemeral.volume_claim_template {
        None => FieldError::required(&template_path, "").into(),
        Some(template) => validate_claim_template(template, &template_path),
    }
}

/// The PVC an ephemeral volume creates is named `<pod>-<volume>` and must be a valid name.
fn validate_ephemeral_claim_name(
    pod_name: Option<&str>,
    volume_name: &str,
    volume_path: &FieldPath,
) -> ErrorList {
    let Some(pod_name) = pod_name.filter(|name| !name.is_empty()) else {
        return ErrorList::new();
    };
    if volume_name.is_empty() {
        return ErrorList::new();
    }
    let claim_name = format!("{pod_name}-{volume_name}");
    name_is_dns_subdomain(&claim_name, false)
        .into_iter()
        .map(|message| {
            FieldError::invalid(
                &volume_path.child("name"),
                volume_name,
                format!("PVC name {}: {message}", quote(&claim_name)),
            )
        })
        .collect()
}

fn validate_image(image: &ImageVolumeSource, path: &FieldPath) -> ErrorList {
    let mut errors = require(&image.reference, &path.child("reference"));
    errors.append(validate_pull_policy(&image.pull_policy, &path.child("pullPolicy")));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::{
        ISCSIVolumeSource, NFSVolumeSource, PersistentVolumeClaimTemplate, SecretProjection,
        ServiceAccountTokenProjection, VolumeProjection,
    };
    use crate::validation::ErrorType;

    fn volumes_path() -> FieldPath {
        FieldPath::new("spec").child("volumes")
    }

    fn empty_dir(name: &str) -> Volume {
        Volume {
            name: name.into(),
            volume_source: VolumeSource {
                empty_dir: Some(EmptyDirVolumeSource::default()),
                ..Default::default()
            },
        }
    }

    fn with_source(source: VolumeSource) -> Volume {
        Volume { name: "data".into(), volume_source: source }
    }

    fn check(volumes: &[Volume]) -> ErrorList {
        validate_volumes(volumes, None, &volumes_path()).1
    }

    fn host_path(path: &str) -> VolumeSource {
        VolumeSource {
            host_path: Some(HostPathVolumeSource { path: path.into(), type_: None }),
            ..Default::default()
        }
    }

    #[test]
    fn valid_volumes_are_returned_by_name() {
        let volumes = [empty_dir("cache"), with_source(host_path("/data"))];
        let (valid, errors) = validate_volumes(&volumes, None, &volumes_path());
        assert!(errors.is_empty());
        assert_eq!(valid.keys().copied().collect::<Vec<_>>(), ["cache", "data"]);
    }

    #[test]
    fn names_are_required_unique_dns_labels() {
        let volumes =
            [empty_dir("cache"), empty_dir("cache"), empty_dir("Bad_Name"), empty_dir("")];
        let (valid, errors) = validate_volumes(&volumes, None, &volumes_path());
        assert_eq!(valid.len(), 1);
        let rendered: Vec<String> =
            errors.iter().map(|error| format!("{} {:?}", error.field, error.kind)).collect();
        assert_eq!(
            rendered,
            [
                "spec.volumes[1].name Duplicate",
                "spec.volumes[2].name Invalid",
                "spec.volumes[3].name Required",
            ]
        );
    }

    #[test]
    fn exactly_one_source() {
        let none = check(&[with_source(VolumeSource::default())]);
        assert_eq!(
            none[0].to_string(),
            "spec.volumes[0]: Required value: must specify a volume type"
        );
        let mut two = host_path("/data");
        two.empty_dir = Some(EmptyDirVolumeSource::default());
        let errors = check(&[with_source(two)]);
        assert_eq!(
            errors[0].to_string(),
            "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"
        );
    }

    #[test]
    fn host_path_rules() {
        let errors = check(&[with_source(host_path(""))]);
        assert_eq!(errors[0].field, "spec.volumes[0].hostPath.path");
        assert_eq!(errors[0].kind, ErrorType::Required);
        let errors = check(&[with_source(host_path("/data/../etc"))]);
        assert_eq!(errors[0].detail, "must not contain '..'");
        let mut typed = host_path("/data");
        if let Some(host) = &mut typed.host_path {
            host.type_ = Some("Folder".into());
        }
        let errors = check(&[with_source(typed)]);
        assert_eq!(errors[0].field, "spec.volumes[0].hostPath.type");
        assert_eq!(errors[0].kind, ErrorType::NotSupported);
    }

    #[test]
    fn nfs_server_and_path() {
        let source = VolumeSource { nfs: Some(NFSVolumeSource::default()), ..Default::default() };
        let errors = check(&[with_source(source)]);
        assert_eq!(errors[0].field, "spec.volumes[0].nfs.server");
        assert_eq!(errors[1].field, "spec.volumes[0].nfs.path");
    }

    #[test]
    fn secret_needs_name_items_and_modes() {
        let source = VolumeSource {
            secret: Some(SecretVolumeSource {
                secret_name: String::new(),
                items: vec![KeyToPath {
                    key: String::new(),
                    path: "/abs".into(),
                    mode: Some(0o1000),
                }],
                default_mode: Some(-1),
                optional: None,
            }),
            ..Default::default()
        };
        let errors = check(&[with_source(source)]);
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spec.volumes[0].secret.secretName",
                "spec.volumes[0].secret.defaultMode",
                "spec.volumes[0].secret.items[0].key",
                "spec.volumes[0].secret.items[0].path",
                "spec.volumes[0].secret.items[0].mode",
            ]
        );
        assert_eq!(
            errors[1].to_string(),
            "spec.volumes[0].secret.defaultMode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive"
        );
        assert_eq!(errors[3].detail, "must be a relative path");
    }

    #[test]
    fn config_map_items_may_not_climb_out() {
        let source = VolumeSource {
            config_map: Some(ConfigMapVolumeSource {
                local_object_reference: Default::default(),
                items: vec![KeyToPath { key: "k".into(), path: "../k".into(), mode: None }],
                ..Default::default()
            }),
            ..Default::default()
        };
        let errors = check(&[with_source(source)]);
        assert_eq!(errors[0].field, "spec.volumes[0].configMap.name");
        assert_eq!(errors[1].field, "spec.volumes[0].configMap.items[0].path");
        assert_eq!(errors[1].detail, "must not contain '..'");
    }

    #[test]
    fn downward_api_files_report_at_the_source() {
        let source = VolumeSource {
            downward_api: Some(DownwardAPIVolumeSource {
                items: vec![DownwardAPIVolumeFile::default()],
                default_mode: None,
            }),
            ..Default::default()
        };
        let errors = check(&[with_source(source)]);
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["spec.volumes[0].downwardAPI.path", "spec.volumes[0].downwardAPI"]);
        assert_eq!(errors[1].detail, "one of fieldRef and resourceFieldRef is required");
    }

    #[test]
    fn projected_paths_are_unique_and_sources_single() {
        let secret = |name: &str| SecretProjection {
            local_object_reference: crate::api::core::v1::LocalObjectReference {
                name: name.into(),
            },
            items: vec![KeyToPath { key: "k".into(), path: "same".into(), mode: None }],
            optional: None,
        };
        let source = VolumeSource {
            projected: Some(ProjectedVolumeSource {
                sources: vec![
                    VolumeProjection { secret: Some(secret("a")), ..Default::default() },
                    VolumeProjection {
                        secret: Some(secret("b")),
                        service_account_token: Some(ServiceAccountTokenProjection {
                            audience: String::new(),
                            expiration_seconds: Some(60),
                            path: "token".into(),
                        }),
                        ..Default::default()
                    },
                ],
                default_mode: None,
            }),
            ..Default::default()
        };
        let errors = check(&[with_source(source)]);
        let rendered: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                r#"spec.volumes[0].projected: Invalid value: "b": conflicting duplicate paths"#,
                "spec.volumes[0].projected.sources[1].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes",
                "spec.volumes[0].projected.sources[1]: Forbidden: may not specify more than 1 volume type per source",
            ]
        );
    }

    #[test]
    fn ephemeral_volumes_need_a_template_and_a_valid_claim_name() {
        let missing = VolumeSource {
            ephemeral: Some(EphemeralVolumeSource::default()),
            ..Default::default()
        };
        let errors = check(&[with_source(missing)]);
        assert_eq!(errors[0].field, "spec.volumes[0].ephemeral.volumeClaimTemplate");
        let long_pod = "p".repeat(250);
        let mut template = PersistentVolumeClaimTemplate::default();
        template.spec.access_modes = vec!["ReadWriteOnce".into()];
        template.spec.resources.requests =
            BTreeMap::from([("storage".to_string(), "1Gi".parse().unwrap())]);
        let ephemeral = VolumeSource {
            ephemeral: Some(EphemeralVolumeSource { volume_claim_template: Some(template) }),
            ..Default::default()
        };
        let volumes = [with_source(ephemeral)];
        let (_, errors) = validate_volumes(&volumes, Some(&long_pod), &volumes_path());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "spec.volumes[0].name");
        assert!(errors[0].detail.starts_with("PVC name \"ppp"));
        assert!(errors[0].detail.ends_with(": must be no more than 253 characters"));
    }

    #[test]
    fn claims_created_for_ephemeral_volumes_may_not_be_mounted_directly() {
        let mut template = PersistentVolumeClaimTemplate::default();
        template.spec.access_modes = vec!["ReadWriteOnce".into()];
        template.spec.resources.requests =
            BTreeMap::from([("storage".to_string(), "1Gi".parse().unwrap())]);
        let volumes = [
            Volume {
                name: "scratch".into(),
                volume_source: VolumeSource {
                    ephemeral: Some(EphemeralVolumeSource {
                        volume_claim_template: Some(template),
                    }),
                    ..Default::default()
                },
            },
            Volume {
                name: "claim".into(),
                volume_source: VolumeSource {
                    persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                        claim_name: "web-scratch".into(),
                        read_only: false,
                    }),
                    ..Default::default()
                },
            },
        ];
        let (_, errors) = validate_volumes(&volumes, Some("web"), &volumes_path());
        assert_eq!(errors[0].field, "spec.volumes[1].persistentVolumeClaim.claimName");
    }

    #[test]
    fn iscsi_initiator_length_is_checked_at_the_volume_name() {
        let source = VolumeSource {
            iscsi: Some(ISCSIVolumeSource {
                target_portal: format!("{}:3260", "1".repeat(60)),
                iqn: "iqn.2015-02.example.com:test".into(),
                initiator_name: Some("iqn.2015-02.example.com:init".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let errors = check(&[with_source(source)]);
        assert_eq!(errors[0].field, "spec.volumes[0].name");
        assert!(errors[0].detail.starts_with("Total length of <volume name>:<iscsi.targetPortal>"));
    }

    #[test]
    fn empty_dir_size_limit_and_image_reference() {
        let source = VolumeSource {
            empty_dir: Some(EmptyDirVolumeSource {
                medium: String::new(),
                size_limit: Some("-1Gi".parse().unwrap()),
            }),
            ..Default::default()
        };
        let errors = check(&[with_source(source)]);
        assert_eq!(errors[0].field, "spec.volumes[0].emptyDir.sizeLimit");
        assert_eq!(errors[0].kind, ErrorType::Forbidden);
        let image = VolumeSource {
            image: Some(ImageVolumeSource {
                reference: String::new(),
                pull_policy: "Sometimes".into(),
            }),
            ..Default::default()
        };
        let errors = check(&[with_source(image)]);
        assert_eq!(errors[0].field, "spec.volumes[0].image.reference");
        assert_eq!(errors[1].field, "spec.volumes[0].image.pullPolicy");
    }
}
