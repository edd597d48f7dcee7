//! ServiceAccount, ComponentStatus, Lease and Scale, whose rules are few.

use super::{findings, object, only};
use crate::api::autoscaling::v1::Scale;
use crate::api::coordination::v1::Lease;
use crate::api::core::v1::{ComponentStatus, ServiceAccount};
use crate::validation::{ErrorType, Validate};
use serde_json::json;

#[test]
fn service_accounts_need_a_subdomain_name_and_namespace() {
    let account: ServiceAccount = object(json!({
        "metadata": {"name": "builder", "namespace": "ci", "resourceVersion": "1"},
        "secrets": [{"name": "builder-token"}]
    }));
    assert!(account.validate().is_empty());
    assert!(account.validate_update(&account).is_empty());
    let mut bad = account.clone();
    bad.metadata.name = "Builder".into();
    only(&bad.validate(), ErrorType::Invalid, "metadata.name");
    let mut renamed = account.clone();
    renamed.metadata.name = "other".into();
    only(&renamed.validate_update(&account), ErrorType::Invalid, "metadata.name");
    let mut no_namespace = account;
    no_namespace.metadata.namespace.clear();
    only(&no_namespace.validate(), ErrorType::Required, "metadata.namespace");
}

#[test]
fn component_statuses_are_cluster_scoped() {
    let status: ComponentStatus = object(json!({
        "metadata": {"name": "etcd-0"},
        "conditions": [{"type": "Healthy", "status": "True"}]
    }));
    assert!(status.validate().is_empty());
    let mut namespaced = status;
    namespaced.metadata.namespace = "default".into();
    only(&namespaced.validate(), ErrorType::Forbidden, "metadata.namespace");
}

fn lease() -> Lease {
    object(json!({
        "metadata": {"name": "kube-scheduler", "namespace": "kube-system", "resourceVersion": "40"},
        "spec": {"holderIdentity": "node-1_abc", "leaseDurationSeconds": 15, "leaseTransitions": 2}
    }))
}

#[test]
fn leases_pass_and_keep_metadata_on_update() {
    assert!(lease().validate().is_empty());
    assert!(lease().validate_update(&lease()).is_empty());
    let mut moved = lease();
    moved.metadata.namespace = "default".into();
    only(&moved.validate_update(&lease()), ErrorType::Invalid, "metadata.namespace");
}

#[test]
fn lease_durations_and_transitions_are_bounded() {
    let mut lease = lease();
    lease.spec.lease_duration_seconds = Some(0);
    lease.spec.lease_transitions = Some(-1);
    assert_eq!(
        findings(&lease.validate()),
        [
            (ErrorType::Invalid, "spec.leaseDurationSeconds"),
            (ErrorType::Invalid, "spec.leaseTransitions"),
        ]
    );
    assert_eq!(
        lease.validate()[0].to_string(),
        "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"
    );
}

#[test]
fn lease_strategy_is_known_or_qualified() {
    let mut lease = lease();
    lease.spec.strategy = Some("OldestEmulationVersion".into());
    assert!(lease.validate().is_empty());
    lease.spec.strategy = Some("example.com/newest".into());
    assert!(lease.validate().is_empty());
    lease.spec.strategy = Some("Newest".into());
    assert_eq!(
        only(&lease.validate(), ErrorType::NotSupported, "spec.strategy.strategy"),
        r#"spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion""#
    );
}

#[test]
fn preferred_holder_needs_a_strategy() {
    let mut lease = lease();
    lease.spec.preferred_holder = Some("node-2".into());
    assert_eq!(
        only(&lease.validate(), ErrorType::Forbidden, "spec.preferredHolder"),
        "spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined"
    );
}

#[test]
fn lease_finalizers_follow_the_generic_rules_only() {
    let mut lease = lease();
    lease.metadata.finalizers = vec!["custom".into()];
    assert!(lease.validate().is_empty(), "outside the core group an unprefixed finalizer is fine");
}

#[test]
fn lease_errors_name_the_group_in_the_message() {
    let mut lease = lease();
    lease.spec.lease_duration_seconds = Some(-5);
    let invalid = lease.validate().to_status_for::<Lease>("kube-scheduler");
    assert_eq!(
        invalid.message,
        r#"Lease.coordination.k8s.io "kube-scheduler" is invalid: spec.leaseDurationSeconds: Invalid value: -5: must be greater than 0"#
    );
}

#[test]
fn scale_replicas_are_non_negative() {
    let scale: Scale = object(json!({
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": 3}
    }));
    assert!(scale.validate().is_empty());
    let mut negative = scale.clone();
    negative.spec.replicas = -1;
    assert_eq!(
        only(&negative.validate(), ErrorType::Invalid, "spec.replicas"),
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );
    only(&negative.validate_update(&scale), ErrorType::Invalid, "spec.replicas");
}
