//! A container's `volumeMounts` and `volumeDevices`: each must name one of the pod's volumes, use
//! a path no other mount or device uses, and stay inside the volume with its sub-path. Block
//! devices can only come from claims.

use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::local_path::{validate_local_descending_path, validate_no_backsteps};
use super::volume::VolumesByName;
use crate::api::core::v1::{Container, VolumeDevice, VolumeMount};
use std::collections::{BTreeMap, BTreeSet};

const MOUNT_PROPAGATIONS: [&str; 3] = ["Bidirectional", "HostToContainer", "None"];
const RECURSIVE_READ_ONLY_MODES: [&str; 3] = ["Disabled", "Enabled", "IfPossible"];

/// Mount paths by volume name (the last mount of a volume wins, as upstream keys them).
fn paths_by_name<'a>(
    entries: impl Iterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<&'a str, &'a str> {
    entries.collect()
}

/// Both lists of one container, checked against each other and the pod's volumes.
pub(crate) fn validate_container_mounts(
    container: &Container,
    volumes: &VolumesByName<'_>,
    path: &FieldPath,
) -> ErrorList {
    let mounts = paths_by_name(
        container
            .volume_mounts
            .iter()
            .map(|mount| (mount.name.as_str(), mount.mount_path.as_str())),
    );
    let devices = paths_by_name(
        container
            .volume_devices
            .iter()
            .map(|device| (device.name.as_str(), device.device_path.as_str())),
    );
    let mut errors = validate_volume_mounts(
        &container.volume_mounts,
        &devices,
        volumes,
        container,
        &path.child("volumeMounts"),
    );
    errors.append(validate_volume_devices(
        &container.volume_devices,
        &mounts,
        volumes,
        &path.child("volumeDevices"),
    ));
    errors
}

fn validate_volume_mounts(
    mounts: &[VolumeMount],
    devices: &BTreeMap<&str, &str>,
    volumes: &VolumesByName<'_>,
    container: &Container,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut mount_paths: BTreeSet<&str> = BTreeSet::new();
    for (index, mount) in mounts.iter().enumerate() {
        let entry_path = path.index(index);
        let name_path = entry_path.child("name");
        let mount_path = entry_path.child("mountPath");
        if mount.name.is_empty() {
            errors.push(FieldError::required(&name_path, ""));
        }
        let volume = volumes.get(mount.name.as_str());
        if volume.is_none() {
            errors.push(FieldError::not_found(&name_path, &mount.name));
        }
        if mount.mount_path.is_empty() {
            errors.push(FieldError::required(&mount_path, ""));
        }
        if !mount_paths.insert(&mount.mount_path) {
            errors.push(FieldError::invalid(&mount_path, &mount.mount_path, "must be unique"));
        }
        if devices.contains_key(mount.name.as_str()) {
            errors.push(FieldError::invalid(
                &name_path,
                &mount.name,
                "must not already exist in volumeDevices",
            ));
        }
        if devices.values().any(|device_path| *device_path == mount.mount_path) {
            errors.push(FieldError::invalid(
                &mount_path,
                &mount.mount_path,
                "must not already exist as a path in volumeDevices",
            ));
        }
        if volume.is_some_and(|source| source.image.is_some()) {
            for (field, value) in
                [("subPath", &mount.sub_path), ("subPathExpr", &mount.sub_path_expr)]
            {
                if !value.is_empty() {
                    errors.push(FieldError::invalid(
                        &entry_path.child(field),
                        value,
                        "not allowed in image volume sources",
                    ));
                }
            }
        }
        // Upstream reports sub-path and propagation findings at the list, not the entry.
        if !mount.sub_path.is_empty() {
            errors.append(validate_local_descending_path(&mount.sub_path, &path.child("subPath")));
        }
        if !mount.sub_path_expr.is_empty() {
            if !mount.sub_path.is_empty() {
                errors.push(FieldError::invalid(
                    &entry_path.child("subPathExpr"),
                    &mount.sub_path_expr,
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            errors.append(validate_local_descending_path(
                &mount.sub_path_expr,
                &path.child("subPathExpr"),
            ));
        }
        if let Some(propagation) = &mount.mount_propagation {
            errors.append(validate_mount_propagation(
                propagation,
                container,
                &path.child("mountPropagation"),
            ));
        }
        errors.append(validate_recursive_read_only(mount, &path.child("recursiveReadOnly")));
    }
    errors
}

/// Bidirectional propagation lets the container mount into the host, which only privileged
/// containers may do.
fn validate_mount_propagation(
    propagation: &str,
    container: &Container,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if !MOUNT_PROPAGATIONS.contains(&propagation) {
        errors.push(FieldError::not_supported(path, propagation, &MOUNT_PROPAGATIONS));
    }
    let privileged =
        container.security_context.as_ref().and_then(|context| context.privileged).unwrap_or(false);
    if propagation == "Bidirectional" && !privileged {
        errors.push(FieldError::forbidden(
            path,
            "Bidirectional mount propagation is available only to privileged containers",
        ));
    }
    errors
}

/// Recursive read-only mounts make sense only for read-only mounts that do not propagate.
fn validate_recursive_read_only(mount: &VolumeMount, path: &FieldPath) -> ErrorList {
    let Some(mode) = &mount.recursive_read_only else {
        return ErrorList::new();
    };
    let mut errors = ErrorList::new();
    match mode.as_str() {
        "Disabled" => {}
        "Enabled" | "IfPossible" => {
            if !mount.read_only {
                errors.push(FieldError::forbidden(
                    path,
                    "may only be specified when readOnly is true",
                ));
            }
            if mount.mount_propagation.as_deref().is_some_and(|propagation| propagation != "None") {
                errors.push(FieldError::forbidden(
                    path,
                    "may only be specified when mountPropagation is None or not specified",
                ));
            }
        }
        other => errors.push(FieldError::not_supported(path, other, &RECURSIVE_READ_ONLY_MODES)),
    }
    errors
}

fn validate_volume_devices(
    devices: &[VolumeDevice],
    mounts: &BTreeMap<&str, &str>,
    volumes: &VolumesByName<'_>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut device_paths: BTreeSet<&str> = BTreeSet::new();
    let mut device_names: BTreeSet<&str> = BTreeSet::new();
    for (index, device) in devices.iter().enumerate() {
        let entry_path = path.index(index);
        let name_path = entry_path.child("name");
        let device_path = entry_path.child("devicePath");
        let name = device.name.as_str();
        let source = volumes.get(name);
        if name.is_empty() {
            errors.push(FieldError::required(&name_path, ""));
        }
        if device_names.contains(name) {
            errors.push(FieldError::invalid(&name_path, name, "must be unique"));
        }
        match source {
            Some(source)
                if source.persistent_volume_claim.is_none() && source.ephemeral.is_none() =>
            {
                errors.push(FieldError::invalid(
                    &name_path,
                    name,
                    "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
                ));
            }
            Some(_) => {}
            None => errors.push(FieldError::not_found(&name_path, name)),
        }
        if device.device_path.is_empty() {
            errors.push(FieldError::required(&device_path, ""));
        }
        if device_paths.contains(device.device_path.as_str()) {
            errors.push(FieldError::invalid(&device_path, &device.device_path, "must be unique"));
        }
        if !device.device_path.is_empty()
            && !validate_no_backsteps(&device.device_path, &device_path).is_empty()
        {
            errors.push(FieldError::invalid(
                &device_path,
                &device.device_path,
                "can not contain backsteps ('..')",
            ));
        } else {
            device_paths.insert(&device.device_path);
        }
        if mounts.contains_key(name) {
            errors.push(FieldError::invalid(
                &name_path,
                name,
                "must not already exist in volumeMounts",
            ));
        }
        if mounts.values().any(|mount_path| *mount_path == device.device_path) {
            errors.push(FieldError::invalid(
                &device_path,
                &device.device_path,
                "must not already exist as a path in volumeMounts",
            ));
        }
        if !name.is_empty() {
            device_names.insert(name);
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::{
        EmptyDirVolumeSource, PersistentVolumeClaimVolumeSource, SecurityContext, VolumeSource,
    };
    use crate::validation::ErrorType;

    fn container_path() -> FieldPath {
        FieldPath::new("spec").child("containers").index(0)
    }

    fn sources() -> (VolumeSource, VolumeSource) {
        (
            VolumeSource { empty_dir: Some(EmptyDirVolumeSource::default()), ..Default::default() },
            VolumeSource {
                persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                    claim_name: "block".into(),
                    read_only: false,
                }),
                ..Default::default()
            },
        )
    }

    fn mount(name: &str, path: &str) -> VolumeMount {
        VolumeMount { name: name.into(), mount_path: path.into(), ..Default::default() }
    }

    fn check(container: &Container) -> ErrorList {
        let (scratch, claim) = sources();
        let volumes = VolumesByName::from([("scratch", &scratch), ("claim", &claim)]);
        validate_container_mounts(container, &volumes, &container_path())
    }

    #[test]
    fn mounts_of_known_volumes_pass() {
        let container = Container {
            volume_mounts: vec![mount("scratch", "/data")],
            volume_devices: vec![VolumeDevice {
                name: "claim".into(),
                device_path: "/dev/xvda".into(),
            }],
            ..Default::default()
        };
        assert!(check(&container).is_empty());
    }

    #[test]
    fn mounts_must_name_a_volume_and_a_unique_path() {
        let container = Container {
            volume_mounts: vec![
                mount("missing", "/data"),
                mount("scratch", "/data"),
                mount("scratch", ""),
            ],
            ..Default::default()
        };
        let errors = check(&container);
        let rendered: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                r#"spec.containers[0].volumeMounts[0].name: Not found: "missing""#,
                r#"spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique"#,
                "spec.containers[0].volumeMounts[2].mountPath: Required value",
            ]
        );
    }

    #[test]
    fn sub_paths_stay_inside_the_volume() {
        let mut escaping = mount("scratch", "/data");
        escaping.sub_path = "../etc".into();
        escaping.sub_path_expr = "$(POD)".into();
        let container = Container { volume_mounts: vec![escaping], ..Default::default() };
        let errors = check(&container);
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spec.containers[0].volumeMounts.subPath",
                "spec.containers[0].volumeMounts[0].subPathExpr",
            ]
        );
    }

    #[test]
    fn bidirectional_propagation_needs_privilege() {
        let mut propagating = mount("scratch", "/data");
        propagating.mount_propagation = Some("Bidirectional".into());
        let mut container = Container { volume_mounts: vec![propagating], ..Default::default() };
        let errors = check(&container);
        assert_eq!(errors[0].kind, ErrorType::Forbidden);
        assert_eq!(errors[0].field, "spec.containers[0].volumeMounts.mountPropagation");
        container.security_context =
            Some(SecurityContext { privileged: Some(true), ..Default::default() });
        assert!(check(&container).is_empty());
    }

    #[test]
    fn recursive_read_only_needs_read_only() {
        let mut recursive = mount("scratch", "/data");
        recursive.recursive_read_only = Some("Enabled".into());
        let container = Container { volume_mounts: vec![recursive], ..Default::default() };
        let errors = check(&container);
        assert_eq!(
            errors[0].to_string(),
            "spec.containers[0].volumeMounts.recursiveReadOnly: Forbidden: may only be specified when readOnly is true"
        );
    }

    #[test]
    fn devices_come_from_claims_and_do_not_clash_with_mounts() {
        let container = Container {
            volume_mounts: vec![mount("claim", "/dev/xvda")],
            volume_devices: vec![
                VolumeDevice { name: "claim".into(), device_path: "/dev/xvda".into() },
                VolumeDevice { name: "scratch".into(), device_path: "/dev/../xvdb".into() },
            ],
            ..Default::default()
        };
        let errors = check(&container);
        let details: Vec<&str> = errors.iter().map(|error| error.detail.as_str()).collect();
        assert_eq!(
            details,
            [
                "must not already exist in volumeDevices",
                "must not already exist as a path in volumeDevices",
                "must not already exist in volumeMounts",
                "must not already exist as a path in volumeMounts",
                "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
                "can not contain backsteps ('..')",
            ]
        );
    }
}
