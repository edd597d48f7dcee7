//! `metadata` on create and update, as upstream checks it for every kind: name and generateName
//! against the kind's name rule, namespace presence by scope, labels, annotations and their total
//! size, owner references, finalizers, managed fields, and on update the fields that never
//! change.
//!
//! Two flavours exist upstream and here: the generic rules (`validate_object_meta*`, used by
//! every group) and the core group's (`validate_core_object_meta*`), which also require each
//! finalizer to be either a standard Kubernetes name or domain-qualified.

use super::common::{validate_immutable, validate_labels, validate_nonnegative};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::names::{NameRule, name_is_dns_label};
use crate::go_fmt;
use crate::labels::qualified_name_errors;
use crate::meta::v1::{ManagedFieldsEntry, ObjectMeta, OwnerReference};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Upper bound on the summed length of all annotation keys and values.
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;
/// The finalizer that orphans dependents on delete.
pub const FINALIZER_ORPHAN_DEPENDENTS: &str = "orphan";
/// The finalizer that deletes dependents before the owner (foreground deletion).
pub const FINALIZER_DELETE_DEPENDENTS: &str = "foregroundDeletion";
/// Longest field manager name.
const FIELD_MANAGER_MAX_LENGTH: usize = 128;
/// Longest subresource name in a managed-fields entry.
const MAX_SUBRESOURCE_NAME_LENGTH: usize = 256;
/// Finalizer names that need no domain prefix.
const STANDARD_FINALIZERS: [&str; 3] =
    ["kubernetes", FINALIZER_ORPHAN_DEPENDENTS, FINALIZER_DELETE_DEPENDENTS];

/// The generic metadata rules for a new object. `namespaced` is the kind's scope; `name_rule`
/// its name format. Name generation has already run, so an empty name is an error even when
/// `generateName` is set.
pub fn validate_object_meta(
    meta: &ObjectMeta,
    namespaced: bool,
    name_rule: NameRule,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if !meta.generate_name.is_empty() {
        for message in name_rule(&meta.generate_name, true) {
            errors.push(FieldError::invalid(
                &path.child("generateName"),
                &meta.generate_name,
                message,
            ));
        }
    }
    if meta.name.is_empty() {
        errors.push(FieldError::required(&path.child("name"), "name or generateName is required"));
    } else {
        for message in name_rule(&meta.name, false) {
            errors.push(FieldError::invalid(&path.child("name"), &meta.name, message));
        }
    }
    let namespace_path = path.child("namespace");
    if namespaced {
        if meta.namespace.is_empty() {
            errors.push(FieldError::required(&namespace_path, ""));
        } else {
            for message in name_is_dns_label(&meta.namespace, false) {
                errors.push(FieldError::invalid(&namespace_path, &meta.namespace, message));
            }
        }
    } else if !meta.namespace.is_empty() {
        errors.push(FieldError::forbidden(&namespace_path, "not allowed on this type"));
    }
    errors.append(validate_nonnegative(meta.generation, &path.child("generation")));
    errors.append(validate_labels(&meta.labels, &path.child("labels")));
    errors.append(validate_annotations(&meta.annotations, &path.child("annotations")));
    errors
        .append(validate_owner_references(&meta.owner_references, &path.child("ownerReferences")));
    errors.append(validate_finalizers(&meta.finalizers, &path.child("finalizers")));
    errors.append(validate_managed_fields(&meta.managed_fields, &path.child("managedFields")));
    errors
}

/// The core group's metadata rules for a new object: the generic ones plus the finalizer-name
/// rule of [`validate_kube_finalizer_name`], per finalizer.
pub fn validate_core_object_meta(
    meta: &ObjectMeta,
    namespaced: bool,
    name_rule: NameRule,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = validate_object_meta(meta, namespaced, name_rule, path);
    errors.append(validate_each_kube_finalizer(&meta.finalizers, path));
    errors
}

/// The generic metadata rules for replacing `old` with `new`: no new finalizers once deletion
/// started, a resourceVersion present, generation not decreasing, identity and deletion fields
/// unchanged, and labels, annotations and owner references still valid.
///
/// An update without a resourceVersion is rejected here as upstream rejects it; an apiserver that
/// allows unconditional updates fills in the stored version before validating, as upstream does.
pub fn validate_object_meta_update(
    new: &ObjectMeta,
    old: &ObjectMeta,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if old.deletion_timestamp.is_some() {
        errors.append(validate_no_new_finalizers(
            &new.finalizers,
            &old.finalizers,
            &path.child("finalizers"),
        ));
    }
    if new.resource_version.is_empty() {
        errors.push(FieldError::invalid(
            &path.child("resourceVersion"),
            &new.resource_version,
            "must be specified for an update",
        ));
    }
    if new.generation < old.generation {
        errors.push(FieldError::invalid(
            &path.child("generation"),
            new.generation,
            "must not be decremented",
        ));
    }
    errors.append(validate_immutable(&new.name, &old.name, &path.child("name")));
    errors.append(validate_immutable(&new.namespace, &old.namespace, &path.child("namespace")));
    errors.append(validate_immutable(&new.uid, &old.uid, &path.child("uid")));
    errors.append(validate_immutable(
        &new.creation_timestamp,
        &old.creation_timestamp,
        &path.child("creationTimestamp"),
    ));
    errors.append(validate_immutable(
        &new.deletion_timestamp,
        &old.deletion_timestamp,
        &path.child("deletionTimestamp"),
    ));
    errors.append(validate_immutable(
        &new.deletion_grace_period_seconds,
        &old.deletion_grace_period_seconds,
        &path.child("deletionGracePeriodSeconds"),
    ));
    errors.append(validate_labels(&new.labels, &path.child("labels")));
    errors.append(validate_annotations(&new.annotations, &path.child("annotations")));
    errors.append(validate_owner_references(&new.owner_references, &path.child("ownerReferences")));
    errors.append(validate_managed_fields(&new.managed_fields, &path.child("managedFields")));
    errors
}

/// The core group's metadata rules for an update: the generic ones plus the finalizer-name rule
/// on the new finalizers.
pub fn validate_core_object_meta_update(
    new: &ObjectMeta,
    old: &ObjectMeta,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = validate_object_meta_update(new, old, path);
    errors.append(validate_each_kube_finalizer(&new.finalizers, path));
    errors
}

/// Annotation keys are qualified names compared case-insensitively (reported at `path` with the
/// key as given), and all keys and values together may not exceed 256 KiB.
pub fn validate_annotations(annotations: &BTreeMap<String, String>, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    for key in annotations.keys() {
        for message in qualified_name_errors(&key.to_lowercase()) {
            errors.push(FieldError::invalid(path, key, message));
        }
    }
    let total: usize = annotations.iter().map(|(key, value)| key.len() + value.len()).sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errors.push(FieldError::too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    errors
}

/// Each owner reference must name its owner completely, Events may not own anything, and at most
/// one reference may be the controller.
pub fn validate_owner_references(references: &[OwnerReference], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut first_controller: Option<String> = None;
    for reference in references {
        errors.append(validate_owner_reference(reference, path));
        if reference.controller == Some(true) {
            let this_controller = format!("{}/{}", reference.kind, reference.name);
            match &first_controller {
                Some(first) => errors.push(FieldError::invalid(
                    path,
                    references,
                    format!(
                        "Only one reference can have Controller set to true. Found \"true\" in references for {first} and {this_controller}"
                    ),
                )),
                None => first_controller = Some(this_controller),
            }
        }
    }
    errors
}

fn validate_owner_reference(reference: &OwnerReference, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let (group, version) = split_api_version(&reference.api_version);
    if version.is_empty() {
        errors.push(FieldError::invalid(
            &path.child("apiVersion"),
            &reference.api_version,
            "version must not be empty",
        ));
    }
    if reference.kind.is_empty() {
        errors.push(FieldError::invalid(
            &path.child("kind"),
            &reference.kind,
            "kind must not be empty",
        ));
    }
    if reference.name.is_empty() {
        errors.push(FieldError::invalid(
            &path.child("name"),
            &reference.name,
            "name must not be empty",
        ));
    }
    if reference.uid.is_empty() {
        errors.push(FieldError::invalid(
            &path.child("uid"),
            &reference.uid,
            "uid must not be empty",
        ));
    }
    if group.is_empty() && version == "v1" && reference.kind == "Event" {
        errors.push(FieldError::invalid(
            path,
            reference,
            "/v1, Kind=Event is disallowed from being an owner",
        ));
    }
    errors
}

/// `group/version` or `version` into its parts; anything with more than one `/` has neither, as
/// upstream's parser fails on it.
fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        None => ("", api_version),
        Some((group, version)) if !version.contains('/') => (group, version),
        Some(_) => ("", ""),
    }
}

/// Managed-fields entries (kept as opaque JSON) must record an `Apply` or `Update` operation,
/// the `FieldsV1` format when one is named, a short printable manager name and a short
/// subresource name.
pub fn validate_managed_fields(entries: &[ManagedFieldsEntry], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    for (index, entry) in entries.iter().enumerate() {
        let entry_path = path.index(index);
        let text = |field: &str| entry.get(field).and_then(Value::as_str).unwrap_or_default();
        let operation = text("operation");
        if operation != "Apply" && operation != "Update" {
            errors.push(FieldError::invalid(
                &entry_path.child("operation"),
                operation,
                "must be `Apply` or `Update`",
            ));
        }
        let fields_type = text("fieldsType");
        if !fields_type.is_empty() && fields_type != "FieldsV1" {
            errors.push(FieldError::invalid(
                &entry_path.child("fieldsType"),
                fields_type,
                "must be `FieldsV1`",
            ));
        }
        errors.append(validate_field_manager(text("manager"), &entry_path.child("manager")));
        if text("subresource").len() > MAX_SUBRESOURCE_NAME_LENGTH {
            errors.push(FieldError::too_long(
                &entry_path.child("subresource"),
                MAX_SUBRESOURCE_NAME_LENGTH,
            ));
        }
    }
    errors
}

/// A field manager name: at most 128 bytes, printable characters only.
pub fn validate_field_manager(manager: &str, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    if manager.len() > FIELD_MANAGER_MAX_LENGTH {
        errors.push(FieldError::too_long(path, FIELD_MANAGER_MAX_LENGTH));
    }
    for (position, c) in manager.char_indices() {
        if !go_fmt::is_printable(c) {
            errors.push(FieldError::invalid(
                path,
                manager,
                format!("invalid character U+{:04X} (at position {position})", c as u32),
            ));
        }
    }
    errors
}

/// Finalizer names are qualified names, and `orphan` and `foregroundDeletion` exclude each
/// other. As upstream, name findings are reported at `path` without an index.
pub fn validate_finalizers(finalizers: &[String], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    for finalizer in finalizers {
        errors.append(validate_finalizer_name(finalizer, path));
    }
    let has = |name: &str| finalizers.iter().any(|finalizer| finalizer == name);
    if has(FINALIZER_ORPHAN_DEPENDENTS) && has(FINALIZER_DELETE_DEPENDENTS) {
        errors.push(FieldError::invalid(
            path,
            finalizers,
            format!(
                "finalizer {FINALIZER_ORPHAN_DEPENDENTS} and {FINALIZER_DELETE_DEPENDENTS} cannot be both set"
            ),
        ));
    }
    errors
}

/// A finalizer name must be a qualified name.
pub fn validate_finalizer_name(name: &str, path: &FieldPath) -> ErrorList {
    super::common::invalid_each(path, name, qualified_name_errors(name))
}

/// The core group's extra rule: a finalizer without a domain prefix must be one of the standard
/// names (`kubernetes`, `orphan`, `foregroundDeletion`).
pub fn validate_kube_finalizer_name(name: &str, path: &FieldPath) -> ErrorList {
    if !name.contains('/') && !STANDARD_FINALIZERS.contains(&name) {
        FieldError::invalid(
            path,
            name,
            "name is neither a standard finalizer name nor is it fully qualified",
        )
        .into()
    } else {
        ErrorList::new()
    }
}

fn validate_each_kube_finalizer(finalizers: &[String], meta_path: &FieldPath) -> ErrorList {
    let path = meta_path.child("finalizers");
    finalizers
        .iter()
        .enumerate()
        .flat_map(|(index, finalizer)| validate_kube_finalizer_name(finalizer, &path.index(index)))
        .collect()
}

/// Once deletion has started, finalizers may only be removed.
fn validate_no_new_finalizers(new: &[String], old: &[String], path: &FieldPath) -> ErrorList {
    let added: BTreeSet<&String> = new.iter().filter(|name| !old.contains(name)).collect();
    if added.is_empty() {
        return ErrorList::new();
    }
    let listed: Vec<String> = added.iter().map(|name| go_fmt::quote(name)).collect();
    FieldError::forbidden(
        path,
        format!(
            "no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}",
            listed.join(", ")
        ),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::v1::Time;
    use crate::validation::ErrorType;
    use crate::validation::names::name_is_dns_subdomain;

    fn metadata() -> FieldPath {
        FieldPath::new("metadata")
    }

    fn valid_meta() -> ObjectMeta {
        ObjectMeta { name: "web".into(), namespace: "default".into(), ..Default::default() }
    }

    fn rendered(errors: &ErrorList) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_valid_object_passes() {
        assert!(
            validate_core_object_meta(&valid_meta(), true, name_is_dns_subdomain, &metadata())
                .is_empty()
        );
    }

    #[test]
    fn name_is_required() {
        let meta = ObjectMeta {
            namespace: "default".into(),
            generate_name: "web-".into(),
            ..Default::default()
        };
        let errors = validate_object_meta(&meta, true, name_is_dns_subdomain, &metadata());
        assert_eq!(
            rendered(&errors),
            ["metadata.name: Required value: name or generateName is required"]
        );
        assert_eq!(errors[0].kind, ErrorType::Required);
    }

    #[test]
    fn name_and_generate_name_follow_the_kinds_rule() {
        let meta = ObjectMeta {
            name: "Web".into(),
            generate_name: "Web-".into(),
            namespace: "default".into(),
            ..Default::default()
        };
        let errors = validate_object_meta(&meta, true, name_is_dns_subdomain, &metadata());
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["metadata.generateName", "metadata.name"]);
        assert!(
            errors[1].to_string().starts_with(
                r#"metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain"#
            )
        );
    }

    #[test]
    fn namespace_required_iff_namespaced() {
        let mut meta = valid_meta();
        meta.namespace.clear();
        assert_eq!(
            rendered(&validate_object_meta(&meta, true, name_is_dns_subdomain, &metadata())),
            ["metadata.namespace: Required value"]
        );
        meta.namespace = "default".into();
        assert_eq!(
            rendered(&validate_object_meta(&meta, false, name_is_dns_subdomain, &metadata())),
            ["metadata.namespace: Forbidden: not allowed on this type"]
        );
        meta.namespace = "Bad.NS".into();
        let errors = validate_object_meta(&meta, true, name_is_dns_subdomain, &metadata());
        assert_eq!(errors[0].field, "metadata.namespace");
        assert_eq!(errors[0].kind, ErrorType::Invalid);
    }

    #[test]
    fn generation_may_not_be_negative() {
        let meta = ObjectMeta { generation: -1, ..valid_meta() };
        assert_eq!(
            rendered(&validate_object_meta(&meta, true, name_is_dns_subdomain, &metadata())),
            ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"]
        );
    }

    #[test]
    fn annotation_keys_and_total_size() {
        let mut meta = valid_meta();
        meta.annotations.insert("Example.COM/Key".into(), "v".into());
        assert!(
            validate_object_meta(&meta, true, name_is_dns_subdomain, &metadata()).is_empty(),
            "annotation keys are checked in lower case"
        );
        meta.annotations.insert("bad key".into(), "v".into());
        let errors = validate_object_meta(&meta, true, name_is_dns_subdomain, &metadata());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "metadata.annotations");
        assert_eq!(errors[0].bad_value, Some("bad key".into()));

        let mut big = valid_meta();
        big.annotations.insert("a".into(), "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT));
        assert_eq!(
            rendered(&validate_object_meta(&big, true, name_is_dns_subdomain, &metadata())),
            ["metadata.annotations: Too long: may not be more than 262144 bytes"]
        );
        big.annotations.insert("a".into(), "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT - 1));
        assert!(validate_object_meta(&big, true, name_is_dns_subdomain, &metadata()).is_empty());
    }

    #[test]
    fn owner_references_must_be_complete() {
        let mut meta = valid_meta();
        meta.owner_references.push(OwnerReference::default());
        let errors = validate_object_meta(&meta, true, name_is_dns_subdomain, &metadata());
        assert_eq!(
            rendered(&errors),
            [
                r#"metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty"#,
                r#"metadata.ownerReferences.kind: Invalid value: "": kind must not be empty"#,
                r#"metadata.ownerReferences.name: Invalid value: "": name must not be empty"#,
                r#"metadata.ownerReferences.uid: Invalid value: "": uid must not be empty"#,
            ]
        );
        let too_many_slashes = OwnerReference {
            api_version: "a/b/c".into(),
            kind: "K".into(),
            name: "n".into(),
            uid: "u".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_owner_references(&[too_many_slashes], &metadata())[0].detail,
            "version must not be empty"
        );
    }

    #[test]
    fn events_cannot_own_and_only_one_controller() {
        let event = OwnerReference {
            api_version: "v1".into(),
            kind: "Event".into(),
            name: "e".into(),
            uid: "1".into(),
            ..Default::default()
        };
        assert_eq!(
            rendered(&validate_owner_references(&[event], &metadata().child("ownerReferences"))),
            [
                r#"metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"1"}: /v1, Kind=Event is disallowed from being an owner"#
            ]
        );
        let controller = |name: &str| OwnerReference {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            name: name.into(),
            uid: name.into(),
            controller: Some(true),
            ..Default::default()
        };
        let errors = validate_owner_references(
            &[controller("a"), controller("b")],
            &metadata().child("ownerReferences"),
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].detail,
            r#"Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b"#
        );
    }

    #[test]
    fn finalizers() {
        let mut meta = valid_meta();
        meta.finalizers = vec!["orphan".into(), "foregroundDeletion".into()];
        assert_eq!(
            rendered(&validate_core_object_meta(&meta, true, name_is_dns_subdomain, &metadata())),
            [
                r#"metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set"#
            ]
        );
        meta.finalizers = vec!["custom".into(), "example.com/cleanup".into()];
        assert!(
            validate_object_meta(&meta, true, name_is_dns_subdomain, &metadata()).is_empty(),
            "the generic rules accept any qualified name"
        );
        assert_eq!(
            rendered(&validate_core_object_meta(&meta, true, name_is_dns_subdomain, &metadata())),
            [
                r#"metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified"#
            ]
        );
        meta.finalizers = vec!["bad name".into()];
        let errors = validate_core_object_meta(&meta, true, name_is_dns_subdomain, &metadata());
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["metadata.finalizers", "metadata.finalizers[0]"]);
    }

    #[test]
    fn managed_fields_entries() {
        let mut meta = valid_meta();
        meta.managed_fields = vec![
            serde_json::json!({"manager": "kubectl", "operation": "Update", "fieldsType": "FieldsV1"}),
            serde_json::json!({"manager": "bad\u{7}", "operation": "Patch", "fieldsType": "FieldsV2"}),
        ];
        assert_eq!(
            rendered(&validate_object_meta(&meta, true, name_is_dns_subdomain, &metadata())),
            [
                r#"metadata.managedFields[1].operation: Invalid value: "Patch": must be `Apply` or `Update`"#,
                r#"metadata.managedFields[1].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`"#,
                r#"metadata.managedFields[1].manager: Invalid value: "bad\a": invalid character U+0007 (at position 3)"#,
            ]
        );
        let long = serde_json::json!({"manager": "m".repeat(129), "operation": "Apply"});
        assert_eq!(
            rendered(&validate_managed_fields(&[long], &metadata().child("managedFields"))),
            ["metadata.managedFields[0].manager: Too long: may not be more than 128 bytes"]
        );
    }

    fn stored() -> ObjectMeta {
        ObjectMeta {
            name: "web".into(),
            namespace: "default".into(),
            uid: "u-1".into(),
            resource_version: "7".into(),
            generation: 2,
            creation_timestamp: "2025-01-02T03:04:05Z".parse().ok(),
            ..Default::default()
        }
    }

    #[test]
    fn an_unchanged_update_passes() {
        assert!(validate_core_object_meta_update(&stored(), &stored(), &metadata()).is_empty());
    }

    #[test]
    fn identity_fields_are_immutable() {
        let new = ObjectMeta {
            name: "other".into(),
            namespace: "kube-system".into(),
            uid: "u-2".into(),
            creation_timestamp: "2025-02-02T03:04:05Z".parse::<Time>().ok(),
            deletion_timestamp: "2025-03-02T03:04:05Z".parse::<Time>().ok(),
            deletion_grace_period_seconds: Some(30),
            ..stored()
        };
        assert_eq!(
            rendered(&validate_object_meta_update(&new, &stored(), &metadata())),
            [
                r#"metadata.name: Invalid value: "other": field is immutable"#,
                r#"metadata.namespace: Invalid value: "kube-system": field is immutable"#,
                r#"metadata.uid: Invalid value: "u-2": field is immutable"#,
                r#"metadata.creationTimestamp: Invalid value: "2025-02-02T03:04:05Z": field is immutable"#,
                r#"metadata.deletionTimestamp: Invalid value: "2025-03-02T03:04:05Z": field is immutable"#,
                "metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable",
            ]
        );
    }

    #[test]
    fn resource_version_and_generation_on_update() {
        let new = ObjectMeta { resource_version: String::new(), generation: 1, ..stored() };
        assert_eq!(
            rendered(&validate_object_meta_update(&new, &stored(), &metadata())),
            [
                r#"metadata.resourceVersion: Invalid value: "": must be specified for an update"#,
                "metadata.generation: Invalid value: 1: must not be decremented",
            ]
        );
    }

    #[test]
    fn no_new_finalizers_while_deleting() {
        let old = ObjectMeta {
            deletion_timestamp: "2025-03-02T03:04:05Z".parse::<Time>().ok(),
            finalizers: vec!["kubernetes".into()],
            ..stored()
        };
        let new = ObjectMeta {
            finalizers: vec!["kubernetes".into(), "b.io/y".into(), "a.io/x".into()],
            ..old.clone()
        };
        assert_eq!(
            rendered(&validate_object_meta_update(&new, &old, &metadata())),
            [
                r#"metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"a.io/x", "b.io/y"}"#
            ]
        );
        let removing = ObjectMeta { finalizers: Vec::new(), ..old.clone() };
        assert!(validate_object_meta_update(&removing, &old, &metadata()).is_empty());
    }

    #[test]
    fn core_update_checks_finalizer_names() {
        let new = ObjectMeta { finalizers: vec!["custom".into()], ..stored() };
        let errors = validate_core_object_meta_update(&new, &stored(), &metadata());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "metadata.finalizers[0]");
    }
}
