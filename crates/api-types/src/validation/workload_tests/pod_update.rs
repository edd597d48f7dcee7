//! Pod updates: which fields may change, and the refusal for the others.

use super::{WEB_POD, defaulted, expect};
use crate::api::core::v1::{Container, Pod, PodSchedulingGate, Toleration};
use crate::validation::pod_update::forbidden_change_message;
use crate::validation::{ErrorType, Validate};
use std::collections::BTreeMap;

/// The web pod as stored: defaulted and versioned.
fn stored_pod() -> Pod {
    let mut pod: Pod = defaulted(WEB_POD);
    pod.metadata.resource_version = "42".into();
    pod
}

fn toleration(seconds: Option<i64>) -> Toleration {
    Toleration {
        key: "node.kubernetes.io/unreachable".into(),
        operator: "Exists".into(),
        effect: "NoExecute".into(),
        toleration_seconds: seconds,
        ..Default::default()
    }
}

#[test]
fn upstreams_refusal_names_the_mutable_fields() {
    assert_eq!(
        forbidden_change_message(),
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
    );
}

#[test]
fn images_may_change() {
    let old = stored_pod();
    let mut new = old.clone();
    new.spec.containers[0].image = "nginx:1.28".into();
    new.metadata.labels.insert("track".into(), "canary".into());
    let errors = new.validate_update(&old);
    assert!(errors.is_empty(), "{errors}");
}

#[test]
fn other_spec_changes_are_forbidden_with_the_changes_listed() {
    let old = stored_pod();
    let mut new = old.clone();
    new.spec.containers[0].ports[0].container_port = 8080;
    let errors = new.validate_update(&old);
    let error = expect(&errors, "spec", ErrorType::Forbidden);
    assert_eq!(
        error.detail,
        format!(
            "{}\n- containers[0].ports[0].containerPort: 80\n+ containers[0].ports[0].containerPort: 8080",
            forbidden_change_message()
        )
    );
    assert!(error.to_string().starts_with(
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
    ));
}

#[test]
fn containers_may_not_be_added_or_removed() {
    let old = stored_pod();
    let mut new = old.clone();
    new.spec
        .containers
        .push(Container { name: "sidecar".into(), ..new.spec.containers[0].clone() });
    new.spec.containers[1].ports.clear();
    let errors = new.validate_update(&old);
    assert_eq!(errors.len(), 1, "{errors}");
    assert_eq!(
        errors[0].to_string(),
        "spec.containers: Forbidden: pod updates may not add or remove containers"
    );
}

#[test]
fn images_stay_required() {
    let old = stored_pod();
    let mut new = old.clone();
    new.spec.containers[0].image.clear();
    let errors = new.validate_update(&old);
    assert_eq!(errors.len(), 2, "{errors}");
    assert!(errors.iter().all(|error| error.field == "spec.containers[0].image"));
    assert!(errors.iter().all(|error| error.kind == ErrorType::Required));
}

#[test]
fn active_deadline_may_be_set_or_shortened_only() {
    let old = stored_pod();
    let mut set = old.clone();
    set.spec.active_deadline_seconds = Some(600);
    assert!(set.validate_update(&old).is_empty());
    let mut shorter = set.clone();
    shorter.spec.active_deadline_seconds = Some(300);
    assert!(shorter.validate_update(&set).is_empty());
    let mut longer = set.clone();
    longer.spec.active_deadline_seconds = Some(900);
    let errors = longer.validate_update(&set);
    assert_eq!(
        expect(&errors, "spec.activeDeadlineSeconds", ErrorType::Invalid).to_string(),
        "spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value"
    );
    let errors = old.clone().validate_update(&set);
    let removal: Vec<_> =
        errors.iter().filter(|error| error.field == "spec.activeDeadlineSeconds").collect();
    assert_eq!(
        removal[0].to_string(),
        "spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"
    );
}

#[test]
fn tolerations_may_only_be_added() {
    let mut old = stored_pod();
    old.spec.tolerations = vec![toleration(Some(300))];
    let mut added = old.clone();
    added.spec.tolerations.push(Toleration {
        key: "dedicated".into(),
        operator: "Equal".into(),
        value: "gpu".into(),
        effect: "NoSchedule".into(),
        toleration_seconds: None,
    });
    added.spec.tolerations[0].toleration_seconds = Some(60);
    assert!(added.validate_update(&old).is_empty());
    let mut removed = old.clone();
    removed.spec.tolerations.clear();
    let errors = removed.validate_update(&old);
    assert_eq!(
        expect(&errors, "spec.tolerations", ErrorType::Forbidden).detail,
        "existing toleration can not be modified except its tolerationSeconds"
    );
}

#[test]
fn scheduling_gates_may_only_be_removed() {
    let mut old = stored_pod();
    old.spec.scheduling_gates = vec![PodSchedulingGate { name: "example.com/quota".into() }];
    let mut cleared = old.clone();
    cleared.spec.scheduling_gates.clear();
    assert!(cleared.validate_update(&old).is_empty());
    let mut added = old.clone();
    added.spec.scheduling_gates.push(PodSchedulingGate { name: "example.com/other".into() });
    let errors = added.validate_update(&old);
    assert_eq!(
        expect(&errors, "spec.schedulingGates[1].name", ErrorType::Forbidden).detail,
        "only deletion is allowed, but found new scheduling gate 'example.com/other'"
    );
}

#[test]
fn gated_pods_may_gain_node_selectors() {
    let mut old = stored_pod();
    old.spec.scheduling_gates = vec![PodSchedulingGate { name: "example.com/quota".into() }];
    old.spec.node_selector = BTreeMap::from([("zone".to_string(), "a".to_string())]);
    let mut added = old.clone();
    added.spec.node_selector.insert("disk".into(), "ssd".into());
    assert!(added.validate_update(&old).is_empty());
    let mut changed = old.clone();
    changed.spec.node_selector.insert("zone".into(), "b".into());
    let errors = changed.validate_update(&old);
    assert_eq!(
        expect(&errors, "spec.nodeSelector", ErrorType::Invalid).detail,
        "only additions to spec.nodeSelector are allowed (no mutations or deletions)"
    );
    let mut ungated = stored_pod();
    ungated.spec.node_selector.insert("disk".into(), "ssd".into());
    expect(&ungated.validate_update(&stored_pod()), "spec", ErrorType::Forbidden);
}

#[test]
fn a_negative_grace_period_may_be_fixed_to_one() {
    let mut old = stored_pod();
    old.spec.termination_grace_period_seconds = Some(-5);
    let mut fixed = old.clone();
    fixed.spec.termination_grace_period_seconds = Some(1);
    assert!(fixed.validate_update(&old).is_empty());
    let mut other = old.clone();
    other.spec.termination_grace_period_seconds = Some(10);
    expect(&other.validate_update(&old), "spec", ErrorType::Forbidden);
}

#[test]
fn mirror_pod_annotation_cannot_be_added() {
    let old = stored_pod();
    let mut new = old.clone();
    new.spec.node_name.clear();
    new.metadata.annotations.insert("kubernetes.io/config.mirror".into(), "hash".into());
    let errors = new.validate_update(&old);
    let at_key: Vec<_> = errors
        .iter()
        .filter(|error| error.field == "metadata.annotations[kubernetes.io/config.mirror]")
        .map(|error| error.detail.as_str())
        .collect();
    assert!(at_key.contains(&"may not add mirror pod annotation"), "{errors}");
}

#[test]
fn metadata_rules_apply_to_updates() {
    let old = stored_pod();
    let mut renamed = old.clone();
    renamed.metadata.name = "other".into();
    let errors = renamed.validate_update(&old);
    assert_eq!(expect(&errors, "metadata.name", ErrorType::Invalid).detail, "field is immutable");
}
