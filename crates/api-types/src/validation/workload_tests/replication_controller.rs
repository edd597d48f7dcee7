//! ReplicationControllers: replicas, selector, template, and the template seen as a pod spec at
//! `spec.template.spec`.

use super::{defaulted, expect, fields};
use crate::api::core::v1::ReplicationController;
use crate::validation::{ErrorType, Validate};
use std::collections::BTreeMap;

const FRONTEND: &str = "\
apiVersion: v1
kind: ReplicationController
metadata:
  name: frontend
  namespace: default
spec:
  replicas: 3
  selector:
    name: frontend
  template:
    metadata:
      labels:
        name: frontend
    spec:
      containers:
      - name: frontend
        image: kubeguide/guestbook-php-frontend
        ports:
        - containerPort: 80
";

fn frontend() -> ReplicationController {
    defaulted(FRONTEND)
}

#[test]
fn a_defaulted_controller_is_valid() {
    let errors = frontend().validate();
    assert!(errors.is_empty(), "{errors}");
}

#[test]
fn replicas_and_min_ready_seconds_are_not_negative() {
    let mut controller = frontend();
    controller.spec.replicas = Some(-1);
    controller.spec.min_ready_seconds = -5;
    let errors = controller.validate();
    assert_eq!(
        expect(&errors, "spec.replicas", ErrorType::Invalid).to_string(),
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );
    expect(&errors, "spec.minReadySeconds", ErrorType::Invalid);
}

#[test]
fn a_selector_is_required() {
    let mut controller = frontend();
    controller.spec.selector.clear();
    let errors = controller.validate();
    assert_eq!(
        expect(&errors, "spec.selector", ErrorType::Required).to_string(),
        "spec.selector: Required value"
    );
}

#[test]
fn a_template_is_required() {
    let mut controller = frontend();
    controller.spec.template = None;
    let errors = controller.validate();
    assert_eq!(fields(&errors), ["spec.template"]);
    assert_eq!(errors[0].kind, ErrorType::Required);
}

#[test]
fn the_selector_must_match_the_template_labels() {
    let mut controller = frontend();
    controller.spec.selector = BTreeMap::from([
        ("name".to_string(), "frontend".to_string()),
        ("tier".to_string(), "web".to_string()),
    ]);
    let errors = controller.validate();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        r#"spec.template.metadata.labels: Invalid value: {"name":"frontend"}: `selector` does not match template `labels`"#
    );
}

#[test]
fn template_containers_always_restart() {
    let mut controller = frontend();
    if let Some(template) = &mut controller.spec.template {
        template.spec.restart_policy = "OnFailure".into();
        template.spec.active_deadline_seconds = Some(60);
    }
    let errors = controller.validate();
    assert_eq!(
        expect(&errors, "spec.template.spec.restartPolicy", ErrorType::NotSupported).to_string(),
        r#"spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always""#
    );
    assert_eq!(
        expect(&errors, "spec.template.spec.activeDeadlineSeconds", ErrorType::Forbidden).detail,
        "activeDeadlineSeconds in ReplicationController is not Supported"
    );
}

#[test]
fn the_template_is_validated_as_a_pod_spec() {
    let mut controller = frontend();
    if let Some(template) = &mut controller.spec.template {
        template.spec.containers[0].ports[0].container_port = 70000;
    }
    let errors = controller.validate();
    assert_eq!(
        expect(
            &errors,
            "spec.template.spec.containers[0].ports[0].containerPort",
            ErrorType::Invalid
        )
        .to_string(),
        "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
    );
}

#[test]
fn template_host_ports_may_stay_unset_under_host_networking() {
    let mut controller = frontend();
    if let Some(template) = &mut controller.spec.template {
        template.spec.host_network = true;
    }
    assert!(controller.validate().is_empty());
    if let Some(template) = &mut controller.spec.template {
        template.spec.containers[0].ports[0].host_port = 8080;
    }
    expect(
        &controller.validate(),
        "spec.template.spec.containers[0].ports[0].hostPort",
        ErrorType::Invalid,
    );
}

#[test]
fn updates_revalidate_the_spec() {
    let mut old = frontend();
    old.metadata.resource_version = "7".into();
    let mut scaled = old.clone();
    scaled.spec.replicas = Some(5);
    assert!(scaled.validate_update(&old).is_empty());
    let mut broken = old.clone();
    broken.spec.replicas = Some(-1);
    expect(&broken.validate_update(&old), "spec.replicas", ErrorType::Invalid);
}
