//! apps/v1 ReplicaSets: a replica count, a required selector that matches the template, and a
//! selector that never changes.

use super::Validate;
use super::common::validate_nonnegative;
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::pod_template::validate_controller_template;
use super::workload_selector::{
    validate_apps_controller, validate_apps_controller_update, validate_required_selector,
};
use crate::api::apps::v1::{ReplicaSet, ReplicaSetSpec};
use crate::api::core::v1::PodTemplateSpec;
use crate::labels::Selector;
use crate::meta::v1::LabelSelector;

impl Validate for ReplicaSet {
    fn validate(&self) -> ErrorList {
        validate_apps_controller(
            &self.metadata,
            validate_replica_set_spec(&self.spec, &FieldPath::new("spec")),
        )
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        validate_apps_controller_update(
            (&self.metadata, &old.metadata),
            validate_replica_set_spec(&self.spec, &FieldPath::new("spec")),
            (self.spec.selector.as_ref(), old.spec.selector.as_ref()),
        )
    }
}

fn validate_replica_set_spec(spec: &ReplicaSetSpec, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    if let Some(replicas) = spec.replicas {
        errors.append(validate_nonnegative(i64::from(replicas), &path.child("replicas")));
    }
    errors.append(validate_nonnegative(
        i64::from(spec.min_ready_seconds),
        &path.child("minReadySeconds"),
    ));
    errors.append(validate_replicated_template(spec.selector.as_ref(), &spec.template, path));
    errors
}

/// The selector and template of a ReplicaSet or Deployment. The template is only checked once
/// the selector converts (as upstream does), against the selector, with the ReplicaSet wording
/// (a Deployment's template becomes a ReplicaSet's).
pub(crate) fn validate_replicated_template(
    selector: Option<&LabelSelector>,
    template: &PodTemplateSpec,
    spec_path: &FieldPath,
) -> ErrorList {
    let selector_path = spec_path.child("selector");
    let mut errors = validate_required_selector(selector, "deployment", &selector_path);
    match Selector::from_label_selector(selector) {
        Ok(matcher) => errors.append(validate_controller_template(
            Some(template),
            &matcher,
            "ReplicaSet",
            &spec_path.child("template"),
        )),
        Err(_) => {
            errors.push(FieldError::invalid(&selector_path, selector, "invalid label selector"))
        }
    }
    errors
}
