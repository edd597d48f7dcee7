//! PersistentVolumeClaims (and the claim templates of ephemeral volumes): access modes, the
//! storage request, class names and data sources; on update, a claim's spec is frozen except for
//! growing its storage request and binding it to a volume once.

use super::Validate;
use super::common::{
    FIELD_IMMUTABLE, invalid_each, validate_immutable, validate_labels, validate_positive_quantity,
};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::label_selector::validate_label_selector;
use super::meta::{
    validate_annotations, validate_core_object_meta, validate_core_object_meta_update,
};
use super::names::{dns1123_subdomain_errors, name_is_dns_label, name_is_dns_subdomain};
use super::resources::validate_resource_quantity;
use super::spec_diff::describe_changes;
use crate::api::core::v1::{
    PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeClaimTemplate,
};
use crate::meta::v1::ObjectMeta;

/// Access modes a volume can offer (sorted).
pub(crate) const ACCESS_MODES: [&str; 4] =
    ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

/// Volume modes (sorted).
pub(crate) const VOLUME_MODES: [&str; 2] = ["Block", "Filesystem"];

/// The annotation that named a claim's class before `storageClassName` existed.
const BETA_STORAGE_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

const BOUND_PHASE: &str = "Bound";

impl Validate for PersistentVolumeClaim {
    fn validate(&self) -> ErrorList {
        let mut errors = validate_core_object_meta(
            &self.metadata,
            true,
            name_is_dns_subdomain,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_claim_spec(&self.spec, &FieldPath::new("spec")));
        errors
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        );
        errors.append(self.validate());
        errors.append(validate_claim_spec_update(self, old));
        errors
    }
}

/// Access modes present, known and not mixing `ReadWriteOncePod` with others. Shared with
/// PersistentVolumes, which phrase the missing case without a detail.
pub(crate) fn validate_access_modes(modes: &[String], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut read_write_once_pod = false;
    let mut other_mode = false;
    for mode in modes {
        if !ACCESS_MODES.contains(&mode.as_str()) {
            errors.push(FieldError::not_supported(path, mode, &ACCESS_MODES));
        } else if mode == "ReadWriteOncePod" {
            read_write_once_pod = true;
        } else {
            other_mode = true;
        }
    }
    if read_write_once_pod && other_mode {
        errors.push(FieldError::forbidden(
            path,
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
    errors
}

/// A storage or attributes class name: a DNS subdomain.
pub(crate) fn validate_class_name(name: &str, path: &FieldPath) -> ErrorList {
    invalid_each(path, name, name_is_dns_subdomain(name, false))
}

/// A claim's spec, alone or inside a template.
pub(crate) fn validate_claim_spec(spec: &PersistentVolumeClaimSpec, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let modes_path = path.child("accessModes");
    if spec.access_modes.is_empty() {
        errors.push(FieldError::required(&modes_path, "at least 1 access mode is required"));
    }
    errors.append(validate_label_selector(spec.selector.as_ref(), &path.child("selector")));
    errors.append(validate_access_modes(&spec.access_modes, &modes_path));
    let storage_path = path.child("resources").key("storage");
    match spec.resources.requests.get("storage") {
        None => errors.push(FieldError::required(&storage_path, "")),
        Some(storage) => {
            let positive = validate_positive_quantity(storage, &storage_path);
            if positive.is_empty() {
                errors.append(validate_resource_quantity("storage", storage, &storage_path));
            } else {
                errors.append(positive);
            }
        }
    }
    if let Some(class) = spec.storage_class_name.as_deref().filter(|name| !name.is_empty()) {
        errors.append(validate_class_name(class, &path.child("storageClassName")));
    }
    if let Some(mode) = &spec.volume_mode
        && !VOLUME_MODES.contains(&mode.as_str())
    {
        errors.push(FieldError::not_supported(&path.child("volumeMode"), mode, &VOLUME_MODES));
    }
    if let Some(source) = &spec.data_source {
        errors.append(validate_data_source(
            &source.name,
            &source.kind,
            source.api_group.as_deref(),
            &path.child("dataSource"),
        ));
    }
    if let Some(reference) = &spec.data_source_ref {
        let reference_path = path.child("dataSourceRef");
        errors.append(validate_data_source(
            &reference.name,
            &reference.kind,
            reference.api_group.as_deref(),
            &reference_path,
        ));
        if let Some(namespace) = reference.namespace.as_deref().filter(|ns| !ns.is_empty()) {
            errors.append(invalid_each(
                &reference_path.child("namespace"),
                namespace,
                name_is_dns_label(namespace, false),
            ));
        }
    }
    let data_source_path = path.child("dataSource").to_string();
    match (&spec.data_source, &spec.data_source_ref) {
        (Some(_), Some(reference))
            if reference.namespace.as_deref().is_some_and(|ns| !ns.is_empty()) =>
        {
            errors.push(FieldError::invalid(
                path,
                &data_source_path,
                "may not be specified when dataSourceRef.namespace is specified",
            ));
        }
        (Some(source), Some(reference))
            if reference.namespace.as_deref().is_none_or(str::is_empty)
                && (source.api_group != reference.api_group
                    || source.kind != reference.kind
                    || source.name != reference.name) =>
        {
            errors.push(FieldError::invalid(path, &data_source_path, "must match dataSourceRef"));
        }
        _ => {}
    }
    if let Some(class) =
        spec.volume_attributes_class_name.as_deref().filter(|name| !name.is_empty())
    {
        errors.append(validate_class_name(class, &path.child("volumeAttributesClassName")));
    }
    errors
}

/// Where a new claim's data comes from: a named object of a kind, a PVC unless an API group says
/// otherwise.
fn validate_data_source(
    name: &str,
    kind: &str,
    api_group: Option<&str>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if name.is_empty() {
        errors.push(FieldError::required(&path.child("name"), ""));
    }
    if kind.is_empty() {
        errors.push(FieldError::required(&path.child("kind"), ""));
    }
    let group = api_group.unwrap_or_default();
    if group.is_empty() && kind != "PersistentVolumeClaim" {
        errors.push(FieldError::invalid(
            path,
            kind,
            "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        ));
    }
    if !group.is_empty() {
        errors.append(invalid_each(
            &path.child("apiGroup"),
            group,
            dns1123_subdomain_errors(group),
        ));
    }
    errors
}

/// The claim an ephemeral volume creates: labels and annotations only in its metadata, and a
/// valid claim spec.
pub(crate) fn validate_claim_template(
    template: &PersistentVolumeClaimTemplate,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = validate_template_object_meta(&template.metadata, &path.child("metadata"));
    errors.append(validate_claim_spec(&template.spec, &path.child("spec")));
    errors
}

/// Template metadata may carry labels and annotations; anything else would be silently dropped
/// when the object is created, so it is refused (named as upstream lowercases the Go field).
fn validate_template_object_meta(meta: &ObjectMeta, path: &FieldPath) -> ErrorList {
    let mut errors = validate_annotations(&meta.annotations, &path.child("annotations"));
    errors.append(validate_labels(&meta.labels, &path.child("labels")));
    let set_fields = [
        ("name", !meta.name.is_empty()),
        ("generateName", !meta.generate_name.is_empty()),
        ("namespace", !meta.namespace.is_empty()),
        ("selfLink", !meta.self_link.is_empty()),
        ("uID", !meta.uid.is_empty()),
        ("resourceVersion", !meta.resource_version.is_empty()),
        ("generation", meta.generation != 0),
        ("creationTimestamp", meta.creation_timestamp.is_some()),
        ("deletionTimestamp", meta.deletion_timestamp.is_some()),
        ("deletionGracePeriodSeconds", meta.deletion_grace_period_seconds.is_some()),
        ("ownerReferences", !meta.owner_references.is_empty()),
        ("finalizers", !meta.finalizers.is_empty()),
        ("managedFields", !meta.managed_fields.is_empty()),
    ];
    for (field, set) in set_fields {
        if set {
            errors.push(FieldError::forbidden(&path.child(field), "cannot be set"));
        }
    }
    errors
}

/// A claim may be bound to a volume once, may grow its storage request while bound, and may move
/// from the beta class annotation (or from no class) to `storageClassName`; nothing else in its
/// spec changes.
fn validate_claim_spec_update(
    new: &PersistentVolumeClaim,
    old: &PersistentVolumeClaim,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut new_spec = new.spec.clone();
    let mut old_spec = old.spec.clone();
    if old.spec.volume_name.is_empty() {
        old_spec.volume_name = new_spec.volume_name.clone();
    }
    let old_annotation = old.metadata.annotations.get(BETA_STORAGE_CLASS_ANNOTATION);
    let new_annotation = new.metadata.annotations.get(BETA_STORAGE_CLASS_ANNOTATION);
    let upgrades_from_annotation = old_annotation.is_some_and(|old_class| {
        old.spec.storage_class_name.is_none()
            && new.spec.storage_class_name.as_ref() == Some(old_class)
            && new_annotation.is_none_or(|new_class| new_class == old_class)
    });
    if upgrades_from_annotation {
        new_spec.storage_class_name = None;
    } else {
        let empty = String::new();
        let (new_value, old_value) =
            (new_annotation.unwrap_or(&empty), old_annotation.unwrap_or(&empty));
        if new_value != old_value {
            errors.push(FieldError::invalid(
                &FieldPath::new("metadata")
                    .child("annotations")
                    .child(BETA_STORAGE_CLASS_ANNOTATION),
                new_value,
                FIELD_IMMUTABLE,
            ));
        }
        let upgrades_from_nil = new.spec.storage_class_name.as_ref().is_some_and(|class| {
            old.spec.storage_class_name.is_none()
                && old_annotation.is_none_or(|old_class| old_class == class)
        });
        if upgrades_from_nil {
            new_spec.storage_class_name = old_spec.storage_class_name.clone();
        }
    }
    let bound = new.status.phase == BOUND_PHASE;
    if bound && !new_spec.resources.requests.is_empty() {
        let old_storage = old.spec.resources.requests.get("storage").cloned();
        new_spec.resources.requests.insert("storage".to_string(), old_storage.unwrap_or_default());
    }
    if bound && new_spec.volume_attributes_class_name.is_some() {
        new_spec.volume_attributes_class_name = old_spec.volume_attributes_class_name.clone();
    }
    if new_spec != old_spec {
        errors.push(FieldError::forbidden(
            &FieldPath::new("spec"),
            format!(
                "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n{}",
                describe_changes(&old_spec, &new_spec)
            ),
        ));
    }
    let zero = Default::default();
    let old_size = old.spec.resources.requests.get("storage").unwrap_or(&zero);
    let new_size = new.spec.resources.requests.get("storage").unwrap_or(&zero);
    if new_size < old_size {
        errors.push(FieldError::forbidden(
            &FieldPath::new("spec").child("resources").child("requests").child("storage"),
            "field can not be less than previous value",
        ));
    }
    errors.append(validate_immutable(
        &new.spec.volume_mode,
        &old.spec.volume_mode,
        &FieldPath::new("volumeMode"),
    ));
    if let Some(old_class) = &old.spec.volume_attributes_class_name
        && new.spec.volume_attributes_class_name.as_ref() != Some(old_class)
    {
        let path = FieldPath::new("spec").child("volumeAttributesClassName");
        match &new.spec.volume_attributes_class_name {
            None => errors.push(FieldError::forbidden(
                &path,
                "update from non-nil value to nil is forbidden",
            )),
            Some(class) if class.is_empty() => errors.push(FieldError::forbidden(
                &path,
                "update from non-nil value to an empty string is forbidden",
            )),
            Some(_) => {}
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::{TypedLocalObjectReference, TypedObjectReference};
    use crate::validation::ErrorType;
    use std::collections::BTreeMap;

    fn claim() -> PersistentVolumeClaim {
        let mut claim = PersistentVolumeClaim::default();
        claim.metadata.name = "data".into();
        claim.metadata.namespace = "default".into();
        claim.spec.access_modes = vec!["ReadWriteOnce".into()];
        claim.spec.resources.requests =
            BTreeMap::from([("storage".to_string(), "1Gi".parse().unwrap())]);
        claim
    }

    fn stored(mut claim: PersistentVolumeClaim) -> PersistentVolumeClaim {
        claim.metadata.resource_version = "7".into();
        claim
    }

    fn fields(errors: &ErrorList) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    #[test]
    fn a_plain_claim_is_valid() {
        assert!(claim().validate().is_empty());
    }

    #[test]
    fn access_modes_are_required_and_known() {
        let mut missing = claim();
        missing.spec.access_modes.clear();
        let errors = missing.validate();
        assert_eq!(
            errors[0].to_string(),
            "spec.accessModes: Required value: at least 1 access mode is required"
        );
        let mut unknown = claim();
        unknown.spec.access_modes = vec!["ReadWriteSometimes".into(), "ReadWriteOncePod".into()];
        let errors = unknown.validate();
        assert_eq!(
            errors[0].to_string(),
            r#"spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod""#
        );
        let mut mixed = claim();
        mixed.spec.access_modes = vec!["ReadWriteOnce".into(), "ReadWriteOncePod".into()];
        assert_eq!(mixed.validate()[0].kind, ErrorType::Forbidden);
    }

    #[test]
    fn storage_request_is_required_and_positive() {
        let mut missing = claim();
        missing.spec.resources.requests.clear();
        let errors = missing.validate();
        assert_eq!(errors[0].to_string(), "spec.resources[storage]: Required value");
        let mut zero = claim();
        zero.spec.resources.requests =
            BTreeMap::from([("storage".to_string(), "0".parse().unwrap())]);
        assert_eq!(zero.validate()[0].detail, "must be greater than zero");
    }

    #[test]
    fn class_and_mode_and_namespace() {
        let mut claim = claim();
        claim.metadata.namespace.clear();
        claim.spec.storage_class_name = Some("Fast_SSD".into());
        claim.spec.volume_mode = Some("Raw".into());
        let errors = claim.validate();
        assert_eq!(
            fields(&errors),
            ["metadata.namespace", "spec.storageClassName", "spec.volumeMode"]
        );
    }

    #[test]
    fn data_sources() {
        let mut claim = claim();
        claim.spec.data_source = Some(TypedLocalObjectReference {
            api_group: None,
            kind: "VolumeSnapshot".into(),
            name: "snap".into(),
        });
        claim.spec.data_source_ref = Some(TypedObjectReference {
            api_group: None,
            kind: "PersistentVolumeClaim".into(),
            name: "other".into(),
            namespace: None,
        });
        let errors = claim.validate();
        let details: Vec<&str> = errors.iter().map(|error| error.detail.as_str()).collect();
        assert_eq!(
            details,
            [
                "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
                "must match dataSourceRef",
            ]
        );
        assert_eq!(fields(&errors), ["spec.dataSource", "spec"]);
    }

    #[test]
    fn template_metadata_allows_only_labels_and_annotations() {
        let mut template = PersistentVolumeClaimTemplate::default();
        template.metadata.name = "x".into();
        template.metadata.uid = "u".into();
        template.spec = claim().spec;
        let errors = validate_claim_template(&template, &FieldPath::new("t"));
        assert_eq!(fields(&errors), ["t.metadata.name", "t.metadata.uID"]);
        assert_eq!(errors[0].detail, "cannot be set");
    }

    #[test]
    fn spec_is_immutable_except_growing_a_bound_claim() {
        let old = stored(claim());
        let mut grown = old.clone();
        grown.status.phase = BOUND_PHASE.into();
        grown.spec.resources.requests =
            BTreeMap::from([("storage".to_string(), "2Gi".parse().unwrap())]);
        assert!(grown.validate_update(&old).is_empty());

        let mut shrunk = grown.clone();
        shrunk.spec.resources.requests =
            BTreeMap::from([("storage".to_string(), "512Mi".parse().unwrap())]);
        let errors = shrunk.validate_update(&old);
        assert_eq!(
            errors[0].to_string(),
            "spec.resources.requests.storage: Forbidden: field can not be less than previous value"
        );

        let mut changed = old.clone();
        changed.spec.access_modes = vec!["ReadOnlyMany".into()];
        let errors = changed.validate_update(&old);
        assert_eq!(errors[0].field, "spec");
        assert!(errors[0].detail.starts_with(
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n- accessModes[0]: \"ReadWriteOnce\"\n+ accessModes[0]: \"ReadOnlyMany\""
        ));
    }

    #[test]
    fn volume_name_may_be_set_once() {
        let old = stored(claim());
        let mut bound = old.clone();
        bound.spec.volume_name = "pv-1".into();
        assert!(bound.validate_update(&old).is_empty());
        let mut rebound = bound.clone();
        rebound.spec.volume_name = "pv-2".into();
        assert_eq!(rebound.validate_update(&bound)[0].kind, ErrorType::Forbidden);
    }

    #[test]
    fn class_moves_from_the_beta_annotation() {
        let mut old = stored(claim());
        old.metadata.annotations.insert(BETA_STORAGE_CLASS_ANNOTATION.into(), "fast".into());
        let mut upgraded = old.clone();
        upgraded.spec.storage_class_name = Some("fast".into());
        assert!(upgraded.validate_update(&old).is_empty());
        let mut renamed = old.clone();
        renamed.metadata.annotations.insert(BETA_STORAGE_CLASS_ANNOTATION.into(), "slow".into());
        let errors = renamed.validate_update(&old);
        assert_eq!(
            errors[0].to_string(),
            r#"metadata.annotations.volume.beta.kubernetes.io/storage-class: Invalid value: "slow": field is immutable"#
        );
    }

    #[test]
    fn volume_mode_is_immutable() {
        let old = stored(claim());
        let mut block = old.clone();
        block.spec.volume_mode = Some("Block".into());
        let errors = block.validate_update(&old);
        assert!(fields(&errors).contains(&"volumeMode"));
    }
}
