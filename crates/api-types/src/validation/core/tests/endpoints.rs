use super::{findings, object, only};
use crate::api::core::v1::{EndpointPort, Endpoints};
use crate::validation::{ErrorType, Validate};
use serde_json::json;

fn endpoints() -> Endpoints {
    object(json!({
        "metadata": {"name": "web", "namespace": "default", "resourceVersion": "3"},
        "subsets": [{
            "addresses": [{"ip": "10.244.1.5", "hostname": "web-0", "nodeName": "node-1"}],
            "notReadyAddresses": [{"ip": "10.244.2.9"}],
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]
        }]
    }))
}

#[test]
fn controller_written_endpoints_pass() {
    assert!(endpoints().validate().is_empty());
    assert!(endpoints().validate_update(&endpoints()).is_empty());
}

#[test]
fn a_subset_needs_addresses() {
    let mut endpoints = endpoints();
    endpoints.subsets[0].addresses.clear();
    endpoints.subsets[0].not_ready_addresses.clear();
    assert_eq!(
        only(&endpoints.validate(), ErrorType::Required, "subsets[0]"),
        "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"
    );
}

#[test]
fn address_ip_must_be_valid() {
    let mut endpoints = endpoints();
    endpoints.subsets[0].addresses[0].ip = "10.244.1".into();
    assert_eq!(
        findings(&endpoints.validate()),
        [
            (ErrorType::Invalid, "subsets[0].addresses[0].ip"),
            (ErrorType::Invalid, "subsets[0].addresses[0].ip"),
        ],
        "upstream reports both the format and the special-address check"
    );
    assert_eq!(endpoints.validate()[1].detail, "must be a valid IP address");
}

#[test]
fn address_ip_may_not_be_special() {
    let mut endpoints = endpoints();
    endpoints.subsets[0].not_ready_addresses[0].ip = "169.254.169.254".into();
    assert_eq!(
        only(&endpoints.validate(), ErrorType::Invalid, "subsets[0].notReadyAddresses[0].ip"),
        r#"subsets[0].notReadyAddresses[0].ip: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)"#
    );
}

#[test]
fn hostname_and_node_name_are_dns_names() {
    let mut endpoints = endpoints();
    endpoints.subsets[0].addresses[0].hostname = "web.0".into();
    assert_eq!(
        only(&endpoints.validate(), ErrorType::Invalid, "subsets[0].addresses[0].hostname"),
        r#"subsets[0].addresses[0].hostname: Invalid value: "web.0": must not contain dots"#
    );
    let mut endpoints = self::endpoints();
    endpoints.subsets[0].addresses[0].node_name = Some("Node_1".into());
    only(&endpoints.validate(), ErrorType::Invalid, "subsets[0].addresses[0].nodeName");
}

#[test]
fn ports_are_named_when_several_and_valid() {
    let mut endpoints = endpoints();
    endpoints.subsets[0].ports.push(EndpointPort {
        port: 9090,
        protocol: "TCP".into(),
        ..Default::default()
    });
    only(&endpoints.validate(), ErrorType::Required, "subsets[0].ports[1].name");
    endpoints.subsets[0].ports[1].name = "metrics".into();
    endpoints.subsets[0].ports[1].port = 65536;
    only(&endpoints.validate(), ErrorType::Invalid, "subsets[0].ports[1].port");
    endpoints.subsets[0].ports[1].port = 9090;
    endpoints.subsets[0].ports[1].protocol = "ICMP".into();
    only(&endpoints.validate(), ErrorType::NotSupported, "subsets[0].ports[1].protocol");
    endpoints.subsets[0].ports[1].protocol = "UDP".into();
    endpoints.subsets[0].ports[1].app_protocol = Some("a b".into());
    only(&endpoints.validate(), ErrorType::Invalid, "subsets[0].ports[1].appProtocol");
}

#[test]
fn node_names_may_change_on_update() {
    let old = endpoints();
    let mut new = old.clone();
    new.subsets[0].addresses[0].node_name = Some("node-2".into());
    assert!(new.validate_update(&old).is_empty());
}
