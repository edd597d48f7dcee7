//! Bindings: a pod is bound to a named node.

use super::expect;
use crate::api::core::v1::{Binding, ObjectReference};
use crate::validation::{ErrorType, Validate};

fn binding(kind: &str, name: &str) -> Binding {
    let mut binding = Binding::default();
    binding.metadata.name = "web".into();
    binding.metadata.namespace = "default".into();
    binding.target = ObjectReference { kind: kind.into(), name: name.into(), ..Default::default() };
    binding
}

#[test]
fn a_node_target_is_valid_with_or_without_kind() {
    assert!(binding("Node", "node-1").validate().is_empty());
    assert!(binding("", "node-1").validate().is_empty());
}

#[test]
fn only_nodes_can_be_targets() {
    let errors = binding("Pod", "node-1").validate();
    assert_eq!(
        expect(&errors, "target.kind", ErrorType::NotSupported).to_string(),
        r#"target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>""#
    );
}

#[test]
fn the_target_needs_a_name() {
    let errors = binding("Node", "").validate();
    assert_eq!(
        expect(&errors, "target.name", ErrorType::Required).to_string(),
        "target.name: Required value"
    );
    let old = binding("Node", "node-1");
    assert_eq!(binding("Node", "").validate_update(&old).len(), 1);
}
