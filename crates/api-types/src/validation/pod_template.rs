//! Pod templates: the stand-alone `PodTemplate` kind, and the templates controllers stamp pods
//! from. A controller's template must carry labels its selector matches (otherwise the controller
//! would never see the pods it creates and would create them forever) and must restart its
//! containers, since the controller replaces pods rather than letting them finish.

use super::Validate;
use super::common::validate_labels;
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::meta::{
    validate_annotations, validate_core_object_meta, validate_core_object_meta_update,
};
use super::names::name_is_dns_subdomain;
use super::pod::validate_pod_annotations;
use super::pod_spec::{SpecOwner, validate_pod_spec};
use crate::api::core::v1::{PodTemplate, PodTemplateSpec};
use crate::labels::Selector;

impl Validate for PodTemplate {
    fn validate(&self) -> ErrorList {
        let mut errors = validate_core_object_meta(
            &self.metadata,
            true,
            name_is_dns_subdomain,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_pod_template_spec(&self.template, &FieldPath::new("template")));
        errors
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_pod_template_spec(&self.template, &FieldPath::new("template")));
        errors
    }
}

/// A template's labels, annotations and spec. As upstream, label and annotation findings are
/// reported at `<template>.labels` and `<template>.annotations` (without `metadata`).
pub(crate) fn validate_pod_template_spec(
    template: &PodTemplateSpec,
    path: &FieldPath,
) -> ErrorList {
    let metadata = &template.metadata;
    let mut errors = validate_labels(&metadata.labels, &path.child("labels"));
    let annotations_path = path.child("annotations");
    errors.append(validate_annotations(&metadata.annotations, &annotations_path));
    errors.append(validate_pod_annotations(
        &metadata.annotations,
        &template.spec,
        &annotations_path,
    ));
    let spec_path = path.child("spec");
    errors.append(validate_pod_spec(&template.spec, SpecOwner::Template, &spec_path));
    if !template.spec.ephemeral_containers.is_empty() {
        errors.push(FieldError::forbidden(
            &spec_path.child("ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
    errors
}

/// The template of a replicating controller (`kind` names it in messages): present, matched by
/// the controller's selector (unless that selects everything), valid, restarting its
/// containers, and without a deadline that would kill every pod the controller makes.
pub(crate) fn validate_controller_template(
    template: Option<&PodTemplateSpec>,
    selector: &Selector,
    kind: &str,
    path: &FieldPath,
) -> ErrorList {
    let Some(template) = template else {
        return FieldError::required(path, "").into();
    };
    let mut errors = ErrorList::new();
    if !selector.is_empty() && !selector.matches(&template.metadata.labels) {
        errors.push(FieldError::invalid(
            &path.child("metadata").child("labels"),
            &template.metadata.labels,
            "`selector` does not match template `labels`",
        ));
    }
    errors.append(validate_pod_template_spec(template, path));
    errors.append(validate_always_restarts(template, kind, &path.child("spec")));
    errors
}

/// Controllers replace pods instead of letting them end: `restartPolicy: Always`, no deadline.
pub(crate) fn validate_always_restarts(
    template: &PodTemplateSpec,
    kind: &str,
    spec_path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if template.spec.restart_policy != "Always" {
        errors.push(FieldError::not_supported(
            &spec_path.child("restartPolicy"),
            &template.spec.restart_policy,
            &["Always"],
        ));
    }
    if template.spec.active_deadline_seconds.is_some() {
        errors.push(FieldError::forbidden(
            &spec_path.child("activeDeadlineSeconds"),
            format!("activeDeadlineSeconds in {kind} is not Supported"),
        ));
    }
    errors
}
