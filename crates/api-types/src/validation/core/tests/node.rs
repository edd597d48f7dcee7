use super::{findings, messages, object, only};
use crate::api::core::v1::{
    ConfigMapNodeConfigSource, Node, NodeAddress, NodeConfigSource, NodeConfigStatus, Taint,
};
use crate::validation::{ErrorType, Validate};
use serde_json::json;

fn node() -> Node {
    object(json!({
        "metadata": {"name": "node-1", "resourceVersion": "11"},
        "spec": {
            "podCIDR": "10.244.1.0/24",
            "podCIDRs": ["10.244.1.0/24", "fd00:10:244:1::/64"],
            "providerID": "kind://docker/kind/node-1",
            "taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
        },
        "status": {
            "capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
            "allocatable": {"cpu": "3800m", "memory": "7Gi", "pods": "110"},
            "addresses": [{"type": "InternalIP", "address": "172.18.0.2"}]
        }
    }))
}

fn taint(key: &str, effect: &str) -> Taint {
    Taint { key: key.into(), effect: effect.into(), ..Default::default() }
}

#[test]
fn a_registered_node_passes() {
    assert!(node().validate().is_empty());
    assert!(node().validate_update(&node()).is_empty());
}

#[test]
fn nodes_have_no_namespace() {
    let mut node = node();
    node.metadata.namespace = "default".into();
    only(&node.validate(), ErrorType::Forbidden, "metadata.namespace");
}

#[test]
fn taint_keys_values_and_effects() {
    let mut node = node();
    node.spec.taints = vec![Taint {
        key: "bad key".into(),
        value: "-x".into(),
        effect: String::new(),
        time_added: None,
    }];
    assert_eq!(
        findings(&node.validate()),
        [
            (ErrorType::Invalid, "metadata.taints[0].key"),
            (ErrorType::Invalid, "metadata.taints[0].value"),
            (ErrorType::Required, "metadata.taints[0].effect"),
        ]
    );
    node.spec.taints = vec![taint("dedicated", "NoAdmit")];
    assert_eq!(
        only(&node.validate(), ErrorType::NotSupported, "metadata.taints[0].effect"),
        r#"metadata.taints[0].effect: Unsupported value: "NoAdmit": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute""#
    );
}

#[test]
fn taints_are_unique_by_key_and_effect() {
    let mut node = node();
    node.spec.taints = vec![
        taint("dedicated", "NoSchedule"),
        taint("dedicated", "NoExecute"),
        taint("dedicated", "NoSchedule"),
    ];
    let text = only(&node.validate(), ErrorType::Duplicate, "metadata.taints[2]");
    assert!(text.ends_with(": taints must be unique by key and effect pair"), "{text}");
    assert!(text.contains(r#""Key":"dedicated""#), "{text}");
}

#[test]
fn pod_cidrs_are_valid_one_per_family() {
    let mut node = node();
    node.spec.pod_cidrs = vec!["10.244.1.0/33".into()];
    assert_eq!(
        only(&node.validate(), ErrorType::Invalid, "spec.podCIDRs[0]"),
        r#"spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#
    );
    node.spec.pod_cidrs = vec!["10.244.1.0/24".into(), "10.245.1.0/24".into()];
    assert_eq!(
        only(&node.validate(), ErrorType::Invalid, "spec.podCIDRs"),
        r#"spec.podCIDRs: Invalid value: ["10.244.1.0/24","10.245.1.0/24"]: may specify no more than one CIDR for each IP family"#
    );
    node.spec.pod_cidrs = vec!["10.244.1.0/24".into(), "10.244.1.0/24".into()];
    assert_eq!(
        findings(&node.validate()),
        [(ErrorType::Invalid, "spec.podCIDRs"), (ErrorType::Duplicate, "spec.podCIDRs[1]"),]
    );
}

#[test]
fn legacy_pod_cidr_alone_is_checked() {
    let mut node = node();
    node.spec.pod_cidrs.clear();
    node.spec.pod_cidr = "bad".into();
    only(&node.validate(), ErrorType::Invalid, "spec.podCIDRs[0]");
}

#[test]
fn an_unparsable_cidr_among_several_is_an_internal_error_too() {
    let mut node = node();
    node.spec.pod_cidrs = vec!["10.244.1.0/24".into(), "x".into()];
    assert_eq!(
        messages(&node.validate()),
        [
            r#"spec.podCIDRs[1]: Invalid value: "x": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#,
            r#"spec.podCIDRs: Internal error: invalid PodCIDRs. failed to check with dual stack with error:failed to parse cidr value:"x" with error:invalid CIDR address: x"#,
            r#"spec.podCIDRs: Invalid value: ["10.244.1.0/24","x"]: may specify no more than one CIDR for each IP family"#,
        ]
    );
}

#[test]
fn status_quantities_are_non_negative_and_counts_whole() {
    let mut node = node();
    node.status.capacity.insert("pods".into(), "1500m".parse().unwrap());
    node.status.allocatable.insert("memory".into(), "-1Gi".parse().unwrap());
    assert_eq!(
        messages(&node.validate()),
        [
            r#"status.capacity.pods: Invalid value: "1500m": must be an integer"#,
            r#"status.allocatable.memory: Invalid value: "-1Gi": must be greater than or equal to 0"#,
        ]
    );
}

#[test]
fn pod_cidrs_are_fixed_once_assigned() {
    let mut old = node();
    old.spec.pod_cidrs.clear();
    old.spec.pod_cidr.clear();
    let new = node();
    assert!(new.validate_update(&old).is_empty(), "assigning is allowed");
    let mut changed = node();
    changed.spec.pod_cidrs[0] = "10.244.9.0/24".into();
    changed.spec.pod_cidr = "10.244.9.0/24".into();
    assert_eq!(
        only(&changed.validate_update(&new), ErrorType::Forbidden, "spec.podCIDRs"),
        r#"spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid"#
    );
}

#[test]
fn provider_id_is_fixed_once_set() {
    let old = node();
    let mut new = node();
    new.spec.provider_id = "aws:///i-123".into();
    only(&new.validate_update(&old), ErrorType::Forbidden, "spec.providerID");
}

#[test]
fn external_id_may_not_change() {
    let old = node();
    let mut new = node();
    new.spec.external_id = "i-123".into();
    assert_eq!(
        only(&new.validate_update(&old), ErrorType::Forbidden, "spec.externalID"),
        "spec.externalID: Forbidden: may not be updated"
    );
}

#[test]
fn status_addresses_are_unique() {
    let old = node();
    let mut new = node();
    new.status
        .addresses
        .push(NodeAddress { type_: "InternalIP".into(), address: "172.18.0.2".into() });
    only(&new.validate_update(&old), ErrorType::Duplicate, "status.addresses[1]");
}

#[test]
fn config_sources_reference_one_config_map() {
    let old = node();
    let mut new = node();
    new.spec.config_source = Some(NodeConfigSource { config_map: None });
    assert_eq!(
        only(&new.validate_update(&old), ErrorType::Invalid, "spec.configSource"),
        r#"spec.configSource: Invalid value: {"ConfigMap":null}: exactly one reference subfield must be non-nil"#
    );
    new.spec.config_source = Some(NodeConfigSource {
        config_map: Some(ConfigMapNodeConfigSource { uid: "u".into(), ..Default::default() }),
    });
    assert_eq!(
        findings(&new.validate_update(&old)),
        [
            (ErrorType::Forbidden, "spec.configSource.configMap.uid"),
            (ErrorType::Required, "spec.configSource.configMap.namespace"),
            (ErrorType::Required, "spec.configSource.configMap.name"),
            (ErrorType::Required, "spec.configSource.configMap.kubeletConfigKey"),
        ]
    );
    let mut new = node();
    new.status.config = Some(NodeConfigStatus {
        active: Some(NodeConfigSource {
            config_map: Some(ConfigMapNodeConfigSource {
                namespace: "kube-system".into(),
                name: "kubelet".into(),
                kubelet_config_key: "kubelet".into(),
                ..Default::default()
            }),
        }),
        ..Default::default()
    });
    assert_eq!(
        messages(&new.validate_update(&old)),
        [
            "status.config.active.configMap.uid: Required value: uid must be set in status",
            "status.config.active.configMap.resourceVersion: Required value: resourceVersion must be set in status",
        ]
    );
}
