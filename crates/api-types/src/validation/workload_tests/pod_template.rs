//! The stand-alone PodTemplate kind.

use super::{defaulted, expect, fields};
use crate::api::core::v1::{EphemeralContainer, PodTemplate};
use crate::validation::{ErrorType, Validate};

const TEMPLATE: &str = "\
apiVersion: v1
kind: PodTemplate
metadata:
  name: web-template
  namespace: default
template:
  metadata:
    labels:
      app: web
  spec:
    containers:
    - name: web
      image: nginx:1.27
";

#[test]
fn a_defaulted_template_is_valid() {
    let template: PodTemplate = defaulted(TEMPLATE);
    assert!(template.validate().is_empty());
    let mut stored = template.clone();
    stored.metadata.resource_version = "1".into();
    let mut updated = stored.clone();
    updated.template.spec.containers[0].image = "nginx:1.28".into();
    assert!(updated.validate_update(&stored).is_empty());
}

#[test]
fn template_labels_and_spec_are_checked_under_template() {
    let mut template: PodTemplate = defaulted(TEMPLATE);
    template.template.metadata.labels.insert("app".into(), "-web-".into());
    template.template.spec.containers[0].name = "Web".into();
    let errors = template.validate();
    assert_eq!(fields(&errors), ["template.labels", "template.spec.containers[0].name"]);
}

#[test]
fn templates_may_not_hold_ephemeral_containers() {
    let mut template: PodTemplate = defaulted(TEMPLATE);
    let mut debugger = template.template.spec.containers[0].clone();
    debugger.name = "debugger".into();
    template.template.spec.ephemeral_containers =
        vec![EphemeralContainer { common: debugger, target_container_name: String::new() }];
    let errors = template.validate();
    assert_eq!(
        expect(&errors, "template.spec.ephemeralContainers", ErrorType::Forbidden).detail,
        "ephemeral containers not allowed in pod template"
    );
}
