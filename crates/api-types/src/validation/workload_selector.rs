//! The structured selector every apps/v1 controller requires: present, valid, selecting
//! something, and (since apps/v1) never changed after creation, because the controller would
//! otherwise lose track of the pods it already made.

use super::common::validate_immutable;
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::label_selector::{is_empty_selector, validate_label_selector};
use super::meta::{validate_core_object_meta, validate_core_object_meta_update};
use super::names::name_is_dns_subdomain;
use crate::meta::v1::{LabelSelector, ObjectMeta};

/// A new apps/v1 controller: namespaced metadata named as a DNS subdomain, then its spec's
/// findings.
pub(crate) fn validate_apps_controller(metadata: &ObjectMeta, spec_errors: ErrorList) -> ErrorList {
    let mut errors = validate_core_object_meta(
        metadata,
        true,
        name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    errors.append(spec_errors);
    errors
}

/// An update of an apps/v1 controller: the metadata update rules, the spec's findings, and a
/// selector that stays as it was.
pub(crate) fn validate_apps_controller_update(
    (metadata, old_metadata): (&ObjectMeta, &ObjectMeta),
    spec_errors: ErrorList,
    (selector, old_selector): (Option<&LabelSelector>, Option<&LabelSelector>),
) -> ErrorList {
    let mut errors =
        validate_core_object_meta_update(metadata, old_metadata, &FieldPath::new("metadata"));
    errors.append(spec_errors);
    errors.append(validate_selector_unchanged(selector, old_selector));
    errors
}

/// `spec.selector` of a Deployment or ReplicaSet: required, valid and not empty. `kind_word`
/// is the word upstream puts in the empty-selector message (`deployment` for both).
pub(crate) fn validate_required_selector(
    selector: Option<&LabelSelector>,
    kind_word: &str,
    path: &FieldPath,
) -> ErrorList {
    let Some(selector) = selector else {
        return FieldError::required(path, "").into();
    };
    let mut errors = validate_label_selector(Some(selector), path);
    if is_empty_selector(selector) {
        errors.push(FieldError::invalid(
            path,
            selector,
            format!("empty selector is invalid for {kind_word}"),
        ));
    }
    errors
}

/// The selector of an apps/v1 controller may not change on update.
pub(crate) fn validate_selector_unchanged(
    new: Option<&LabelSelector>,
    old: Option<&LabelSelector>,
) -> ErrorList {
    validate_immutable(&new, &old, &FieldPath::new("spec").child("selector"))
}
