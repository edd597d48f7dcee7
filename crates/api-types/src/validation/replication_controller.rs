//! ReplicationControllers: a non-negative replica count, a non-empty equality selector, and a
//! template whose labels that selector matches. A template the selector does not match would
//! make the controller create pods it never counts, without end; it is refused here.

use super::Validate;
use super::common::validate_nonnegative;
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::meta::{validate_core_object_meta, validate_core_object_meta_update};
use super::names::name_is_dns_subdomain;
use super::pod_template::validate_controller_template;
use crate::api::core::v1::{ReplicationController, ReplicationControllerSpec};
use crate::labels::Selector;

impl Validate for ReplicationController {
    fn validate(&self) -> ErrorList {
        let mut errors = validate_core_object_meta(
            &self.metadata,
            true,
            name_is_dns_subdomain,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_controller_spec(&self.spec, &FieldPath::new("spec")));
        errors
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_controller_spec(&self.spec, &FieldPath::new("spec")));
        errors
    }
}

fn validate_controller_spec(spec: &ReplicationControllerSpec, path: &FieldPath) -> ErrorList {
    let mut errors =
        validate_nonnegative(i64::from(spec.min_ready_seconds), &path.child("minReadySeconds"));
    if spec.selector.is_empty() {
        errors.push(FieldError::required(&path.child("selector"), ""));
    }
    if let Some(replicas) = spec.replicas {
        errors.append(validate_nonnegative(i64::from(replicas), &path.child("replicas")));
    }
    errors.append(validate_controller_template(
        spec.template.as_ref(),
        &Selector::from_set(&spec.selector),
        "ReplicationController",
        &path.child("template"),
    ));
    errors
}
