use super::{findings, object, only};
use crate::api::core::v1::Namespace;
use crate::validation::core::{
    validate_namespace_finalize_update, validate_namespace_status_update,
};
use crate::validation::{ErrorType, Validate};
use serde_json::json;

fn namespace() -> Namespace {
    object(json!({
        "metadata": {"name": "team-a", "resourceVersion": "9"},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"}
    }))
}

#[test]
fn a_namespace_passes() {
    assert!(namespace().validate().is_empty());
    assert!(namespace().validate_update(&namespace()).is_empty());
}

#[test]
fn name_must_be_a_dns_label() {
    let mut namespace = namespace();
    namespace.metadata.name = "team.a".into();
    assert_eq!(
        only(&namespace.validate(), ErrorType::Invalid, "metadata.name"),
        r#"metadata.name: Invalid value: "team.a": must not contain dots"#
    );
}

#[test]
fn namespaces_have_no_namespace() {
    let mut namespace = namespace();
    namespace.metadata.namespace = "default".into();
    only(&namespace.validate(), ErrorType::Forbidden, "metadata.namespace");
}

#[test]
fn spec_finalizers_are_standard_or_qualified() {
    let mut namespace = namespace();
    namespace.spec.finalizers = vec!["example.com/cleanup".into()];
    assert!(namespace.validate().is_empty());
    namespace.spec.finalizers = vec!["cleanup".into()];
    assert_eq!(
        only(&namespace.validate(), ErrorType::Invalid, "spec.finalizers"),
        r#"spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified"#
    );
}

#[test]
fn finalize_checks_each_finalizer_by_index() {
    let old = namespace();
    let mut new = old.clone();
    new.spec.finalizers = vec!["kubernetes".into(), "bad name".into()];
    assert_eq!(
        findings(&validate_namespace_finalize_update(&new, &old)),
        [(ErrorType::Invalid, "spec.finalizers[1]"), (ErrorType::Invalid, "spec.finalizers[1]"),]
    );
}

#[test]
fn status_phase_follows_deletion() {
    let old = namespace();
    let mut new = old.clone();
    new.status.phase = "Terminating".into();
    assert_eq!(
        only(&validate_namespace_status_update(&new, &old), ErrorType::Invalid, "status.Phase"),
        r#"status.Phase: Invalid value: "Terminating": may only be 'Active' if `deletionTimestamp` is empty"#
    );
    let mut deleting = old.clone();
    deleting.metadata.deletion_timestamp = "2025-01-01T00:00:00Z".parse().ok();
    let mut new = deleting.clone();
    new.status.phase = "Active".into();
    assert_eq!(
        validate_namespace_status_update(&new, &deleting)[0].detail,
        "may only be 'Terminating' if `deletionTimestamp` is not empty"
    );
}
