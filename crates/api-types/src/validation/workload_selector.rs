//! The structured selector every apps/v1 controller requires: present, valid, selecting
//! something, and (since apps/v1) never changed after creation, because the controller would
//! otherwise lose track of the pods it already made.

use super::common::validate_immutable;
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::label_selector::{is_empty_selector, validate_label_selector};
use crate::meta::v1::LabelSelector;

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
