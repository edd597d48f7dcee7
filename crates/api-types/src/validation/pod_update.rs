//! Updating a pod: a pod is a running process, so almost all of its spec is fixed once created.
//! Images may change (the kubelet restarts the container), the active deadline may be set or
//! shortened, tolerations may be added, scheduling gates removed, and (while gated) node
//! selectors added. Anything else is refused with upstream's "pod updates may not change fields
//! other than ..." message and a list of what changed.

use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::meta::validate_core_object_meta_update;
use super::names::inclusive_range_message;
use super::pod::{
    APP_ARMOR_ANNOTATION_PREFIX, MIRROR_POD_ANNOTATION, validate_pod_annotations,
    validate_pod_metadata_and_spec,
};
use super::scheduling::validate_only_added_tolerations;
use super::spec_diff::describe_changes;
use crate::api::core::v1::{Container, Pod, PodSchedulingGate};
use std::collections::BTreeMap;

/// The fields a pod update may change, as upstream lists them in its refusal.
const UPDATABLE_FIELDS: [&str; 5] = [
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

/// The opening of the refusal of any other change; the list of changes follows on new lines.
pub(crate) fn forbidden_change_message() -> String {
    format!("pod updates may not change fields other than {}", UPDATABLE_FIELDS.join(","))
}

/// Replacing `old` with `new`.
pub(crate) fn validate_pod_update(new: &Pod, old: &Pod) -> ErrorList {
    let metadata_path = FieldPath::new("metadata");
    let spec_path = FieldPath::new("spec");
    let mut errors = validate_core_object_meta_update(&new.metadata, &old.metadata, &metadata_path);
    errors.append(validate_pod_metadata_and_spec(new));
    errors.append(validate_annotation_updates(new, old, &metadata_path.child("annotations")));

    for (field, new_list, old_list) in [
        ("containers", &new.spec.containers, &old.spec.containers),
        ("initContainers", &new.spec.init_containers, &old.spec.init_containers),
    ] {
        match validate_container_updates(new_list, old_list, &spec_path.child(field)) {
            Ok(findings) => errors.append(findings),
            Err(refusal) => {
                errors.push(refusal);
                return errors;
            }
        }
    }

    let deadline_path = spec_path.child("activeDeadlineSeconds");
    match (new.spec.active_deadline_seconds, old.spec.active_deadline_seconds) {
        (Some(deadline), _) if !(0..=i64::from(i32::MAX)).contains(&deadline) => {
            errors.push(FieldError::invalid(
                &deadline_path,
                deadline,
                inclusive_range_message(0, i64::from(i32::MAX)),
            ));
            return errors;
        }
        (Some(deadline), Some(previous)) if previous < deadline => {
            errors.push(FieldError::invalid(
                &deadline_path,
                deadline,
                "must be less than or equal to previous value",
            ));
            return errors;
        }
        (None, Some(_)) => errors.push(FieldError::invalid(
            &deadline_path,
            serde_json::Value::Null,
            "must not update from a positive integer to nil value",
        )),
        _ => {}
    }

    errors.append(validate_only_added_tolerations(
        &new.spec.tolerations,
        &old.spec.tolerations,
        &spec_path.child("tolerations"),
    ));
    errors.append(validate_only_removed_gates(
        &new.spec.scheduling_gates,
        &old.spec.scheduling_gates,
        &spec_path.child("schedulingGates"),
    ));
    if new.spec == old.spec {
        return errors;
    }

    let mut allowed = new.spec.clone();
    restore_images(&mut allowed.containers, &old.spec.containers);
    restore_images(&mut allowed.init_containers, &old.spec.init_containers);
    allowed.active_deadline_seconds = old.spec.active_deadline_seconds;
    allowed.scheduling_gates = old.spec.scheduling_gates.clone();
    allowed.tolerations = old.spec.tolerations.clone();
    if old.spec.termination_grace_period_seconds.is_some_and(|seconds| seconds < 0)
        && allowed.termination_grace_period_seconds == Some(1)
    {
        allowed.termination_grace_period_seconds = old.spec.termination_grace_period_seconds;
    }
    if !old.spec.scheduling_gates.is_empty() && allowed.node_selector != old.spec.node_selector {
        errors.append(validate_node_selector_additions(
            &allowed.node_selector,
            &old.spec.node_selector,
            &spec_path.child("nodeSelector"),
        ));
        allowed.node_selector = old.spec.node_selector.clone();
    }
    if allowed != old.spec {
        errors.push(FieldError::forbidden(
            &spec_path,
            format!("{}\n{}", forbidden_change_message(), describe_changes(&old.spec, &allowed)),
        ));
    }
    errors
}

/// Container lists keep their length; each image stays set and unpadded. A changed length stops
/// the update's validation, as upstream does.
fn validate_container_updates(
    new: &[Container],
    old: &[Container],
    path: &FieldPath,
) -> Result<ErrorList, FieldError> {
    if new.len() != old.len() {
        return Err(FieldError::forbidden(path, "pod updates may not add or remove containers"));
    }
    let mut errors = ErrorList::new();
    for (index, container) in new.iter().enumerate() {
        let image_path = path.index(index).child("image");
        if container.image.is_empty() {
            errors.push(FieldError::required(&image_path, ""));
        }
        if container.image.trim() != container.image {
            errors.push(FieldError::invalid(
                &image_path,
                &container.image,
                "must not have leading or trailing whitespace",
            ));
        }
    }
    Ok(errors)
}

fn restore_images(containers: &mut [Container], old: &[Container]) {
    for (container, previous) in containers.iter_mut().zip(old) {
        container.image.clone_from(&previous.image);
    }
}

/// Scheduling gates may only be removed; a new one is reported at its own entry.
fn validate_only_removed_gates(
    new: &[PodSchedulingGate],
    old: &[PodSchedulingGate],
    path: &FieldPath,
) -> ErrorList {
    new.iter()
        .enumerate()
        .filter(|(_, gate)| !old.iter().any(|previous| previous.name == gate.name))
        .map(|(index, gate)| {
            FieldError::forbidden(
                &path.index(index).child("name"),
                format!("only deletion is allowed, but found new scheduling gate '{}'", gate.name),
            )
        })
        .collect()
}

/// While a pod is gated its node selector may grow, but existing entries stay as they are.
fn validate_node_selector_additions(
    new: &BTreeMap<String, String>,
    old: &BTreeMap<String, String>,
    path: &FieldPath,
) -> ErrorList {
    let kept = old.iter().all(|(key, value)| new.get(key) == Some(value));
    if kept {
        ErrorList::new()
    } else {
        FieldError::invalid(
            path,
            new,
            "only additions to spec.nodeSelector are allowed (no mutations or deletions)",
        )
        .into()
    }
}

/// The mirror-pod and AppArmor annotations are fixed at creation.
fn validate_annotation_updates(new: &Pod, old: &Pod, path: &FieldPath) -> ErrorList {
    let new_annotations = &new.metadata.annotations;
    let old_annotations = &old.metadata.annotations;
    let mut errors = ErrorList::new();
    for (key, old_value) in old_annotations {
        if new_annotations.get(key) == Some(old_value) {
            continue;
        }
        if key.starts_with(APP_ARMOR_ANNOTATION_PREFIX) {
            errors.push(FieldError::forbidden(
                &path.key(key),
                "may not remove or update AppArmor annotations",
            ));
        }
        if key == MIRROR_POD_ANNOTATION {
            errors.push(FieldError::forbidden(
                &path.key(key),
                "may not remove or update mirror pod annotation",
            ));
        }
    }
    for key in new_annotations.keys().filter(|key| !old_annotations.contains_key(*key)) {
        if key.starts_with(APP_ARMOR_ANNOTATION_PREFIX) {
            errors.push(FieldError::forbidden(&path.key(key), "may not add AppArmor annotations"));
        }
        if key == MIRROR_POD_ANNOTATION {
            errors.push(FieldError::forbidden(&path.key(key), "may not add mirror pod annotation"));
        }
    }
    errors.append(validate_pod_annotations(new_annotations, &new.spec, path));
    errors
}
