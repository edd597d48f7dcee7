use super::{findings, messages, object, only};
use crate::api::core::v1::{ClientIPConfig, Service, ServicePort, SessionAffinityConfig};
use crate::validation::{ErrorType, Validate};
use serde_json::json;

/// A ClusterIP service as the apiserver holds it after defaulting and IP allocation.
fn cluster_ip() -> Service {
    object(json!({
        "metadata": {"name": "web", "namespace": "default", "resourceVersion": "5"},
        "spec": {
            "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080}],
            "selector": {"app": "web"},
            "clusterIP": "10.96.0.10",
            "clusterIPs": ["10.96.0.10"],
            "type": "ClusterIP",
            "sessionAffinity": "None",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "internalTrafficPolicy": "Cluster"
        }
    }))
}

fn node_port() -> Service {
    let mut service = cluster_ip();
    service.spec.type_ = "NodePort".into();
    service.spec.external_traffic_policy = "Cluster".into();
    service.spec.ports[0].node_port = 30080;
    service
}

fn load_balancer() -> Service {
    let mut service = node_port();
    service.spec.type_ = "LoadBalancer".into();
    service.spec.allocate_load_balancer_node_ports = Some(true);
    service
}

fn external_name() -> Service {
    object(json!({
        "metadata": {"name": "db", "namespace": "default", "resourceVersion": "5"},
        "spec": {"type": "ExternalName", "externalName": "db.example.com", "sessionAffinity": "None"}
    }))
}

fn headless() -> Service {
    let mut service = cluster_ip();
    service.spec.cluster_ip = "None".into();
    service.spec.cluster_ips = vec!["None".into()];
    service
}

fn port(name: &str, number: i32) -> ServicePort {
    ServicePort {
        name: name.into(),
        protocol: "TCP".into(),
        port: number,
        target_port: number.into(),
        ..Default::default()
    }
}

#[test]
fn defaulted_services_of_every_type_pass() {
    for service in [cluster_ip(), node_port(), load_balancer(), external_name(), headless()] {
        assert!(service.validate().is_empty(), "{:#?}", service.validate());
    }
    let mut no_ports = headless();
    no_ports.spec.ports.clear();
    assert!(no_ports.validate().is_empty(), "a headless service needs no ports");
}

#[test]
fn name_must_be_a_dns1035_label() {
    let mut service = cluster_ip();
    service.metadata.name = "1web".into();
    let text = only(&service.validate(), ErrorType::Invalid, "metadata.name");
    assert!(text.contains("a DNS-1035 label must consist of"), "{text}");
}

#[test]
fn ports_are_required_unless_headless_or_external_name() {
    let mut service = cluster_ip();
    service.spec.ports.clear();
    assert_eq!(
        only(&service.validate(), ErrorType::Required, "spec.ports"),
        "spec.ports: Required value"
    );
}

#[test]
fn node_ports_and_load_balancers_cannot_be_headless() {
    let mut service = node_port();
    service.spec.cluster_ip = "None".into();
    service.spec.cluster_ips = vec!["None".into()];
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.clusterIPs[0]"),
        r#"spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services"#
    );
    let mut service = load_balancer();
    service.spec.cluster_ip = "None".into();
    service.spec.cluster_ips = vec!["None".into()];
    assert!(service.validate()[0].detail.ends_with("for LoadBalancer services"));
}

#[test]
fn external_name_is_required_and_a_dns_name() {
    let mut service = external_name();
    service.spec.external_name = "db.example.com.".into();
    assert!(service.validate().is_empty(), "a trailing dot is allowed");
    service.spec.external_name.clear();
    only(&service.validate(), ErrorType::Required, "spec.externalName");
    service.spec.external_name = "DB_HOST".into();
    let text = only(&service.validate(), ErrorType::Invalid, "spec.externalName");
    assert!(text.starts_with(
        r#"spec.externalName: Invalid value: "DB_HOST": a lowercase RFC 1123 subdomain"#
    ));
}

#[test]
fn external_name_services_have_no_cluster_ips_or_families() {
    let mut service = external_name();
    service.spec.cluster_ips = vec!["10.0.0.1".into()];
    service.spec.cluster_ip = "10.0.0.1".into();
    service.spec.ip_families = vec!["IPv4".into()];
    service.spec.ip_family_policy = Some("SingleStack".into());
    assert_eq!(
        messages(&service.validate()),
        [
            "spec.clusterIPs: Forbidden: may not be set for ExternalName services",
            "spec.ipFamilies: Forbidden: may not be set for ExternalName services",
            "spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services",
        ]
    );
}

#[test]
fn port_number_must_be_in_range() {
    let mut service = cluster_ip();
    service.spec.ports[0].port = 0;
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.ports[0].port"),
        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"
    );
}

#[test]
fn port_names_are_required_when_several_and_unique() {
    let mut service = cluster_ip();
    service.spec.ports.push(port("", 443));
    only(&service.validate(), ErrorType::Required, "spec.ports[1].name");
    service.spec.ports[1].name = "http".into();
    assert_eq!(
        only(&service.validate(), ErrorType::Duplicate, "spec.ports[1].name"),
        r#"spec.ports[1].name: Duplicate value: "http""#
    );
    service.spec.ports[1].name = "HTTPS".into();
    only(&service.validate(), ErrorType::Invalid, "spec.ports[1].name");
}

#[test]
fn port_protocol_is_required_and_known() {
    let mut service = cluster_ip();
    service.spec.ports[0].protocol.clear();
    only(&service.validate(), ErrorType::Required, "spec.ports[0].protocol");
    service.spec.ports[0].protocol = "HTTP".into();
    assert_eq!(
        only(&service.validate(), ErrorType::NotSupported, "spec.ports[0].protocol"),
        r#"spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP""#
    );
}

#[test]
fn target_port_is_a_number_or_a_port_name() {
    let mut service = cluster_ip();
    service.spec.ports[0].target_port = "metrics".into();
    assert!(service.validate().is_empty());
    service.spec.ports[0].target_port = 70000.into();
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.ports[0].targetPort"),
        "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
    );
    service.spec.ports[0].target_port = "too-long-port-name".into();
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.ports[0].targetPort"),
        r#"spec.ports[0].targetPort: Invalid value: "too-long-port-name": must be no more than 15 characters"#
    );
}

#[test]
fn app_protocol_is_a_qualified_name() {
    let mut service = cluster_ip();
    service.spec.ports[0].app_protocol = Some("kubernetes.io/h2c".into());
    assert!(service.validate().is_empty());
    service.spec.ports[0].app_protocol = Some("not valid".into());
    only(&service.validate(), ErrorType::Invalid, "spec.ports[0].appProtocol");
}

#[test]
fn selector_follows_label_rules() {
    let mut service = cluster_ip();
    service.spec.selector.insert("app".into(), "-bad-".into());
    only(&service.validate(), ErrorType::Invalid, "spec.selector");
}

#[test]
fn session_affinity_is_required_and_known() {
    let mut service = cluster_ip();
    service.spec.session_affinity.clear();
    only(&service.validate(), ErrorType::Required, "spec.sessionAffinity");
    service.spec.session_affinity = "Cookie".into();
    assert_eq!(
        only(&service.validate(), ErrorType::NotSupported, "spec.sessionAffinity"),
        r#"spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None""#
    );
}

#[test]
fn client_ip_affinity_needs_a_timeout_in_range() {
    let mut service = cluster_ip();
    service.spec.session_affinity = "ClientIP".into();
    assert_eq!(
        only(&service.validate(), ErrorType::Required, "spec.sessionAffinityConfig"),
        "spec.sessionAffinityConfig: Required value: when session affinity type is ClientIP"
    );
    service.spec.session_affinity_config = Some(SessionAffinityConfig { client_ip: None });
    only(&service.validate(), ErrorType::Required, "spec.sessionAffinityConfig.clientIP");
    service.spec.session_affinity_config =
        Some(SessionAffinityConfig { client_ip: Some(ClientIPConfig::default()) });
    only(
        &service.validate(),
        ErrorType::Required,
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
    );
    service.spec.session_affinity_config = Some(SessionAffinityConfig {
        client_ip: Some(ClientIPConfig { timeout_seconds: Some(86401) }),
    });
    assert_eq!(
        only(
            &service.validate(),
            ErrorType::Invalid,
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds"
        ),
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400"
    );
}

#[test]
fn no_affinity_config_without_affinity() {
    let mut service = cluster_ip();
    service.spec.session_affinity_config = Some(SessionAffinityConfig::default());
    assert_eq!(
        only(&service.validate(), ErrorType::Forbidden, "spec.sessionAffinityConfig"),
        "spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None"
    );
}

#[test]
fn cluster_ip_and_cluster_ips_agree() {
    let mut service = cluster_ip();
    service.spec.cluster_ips.clear();
    only(&service.validate(), ErrorType::Required, "spec.clusterIPs");
    service.spec.cluster_ips = vec!["10.96.0.11".into()];
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.clusterIPs"),
        r#"spec.clusterIPs: Invalid value: ["10.96.0.11"]: first value must match `clusterIP`"#
    );
    service.spec.cluster_ip.clear();
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.clusterIPs").split(": ").last(),
        Some("must be empty when `clusterIP` is not specified")
    );
}

#[test]
fn cluster_ips_are_valid_addresses_or_a_lone_none() {
    let mut service = cluster_ip();
    service.spec.cluster_ip = "10.96.0".into();
    service.spec.cluster_ips = vec!["10.96.0".into()];
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.clusterIPs[0]"),
        r#"spec.clusterIPs[0]: Invalid value: "10.96.0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#
    );
    service.spec.cluster_ip = "None".into();
    service.spec.cluster_ips = vec!["None".into(), "fd00::1".into()];
    service.spec.ip_families.clear();
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.clusterIPs").split(": ").last(),
        Some("'None' must be the first and only value")
    );
}

#[test]
fn cluster_ips_hold_one_address_per_family_at_most_two() {
    let mut service = cluster_ip();
    service.spec.cluster_ips = vec!["10.96.0.10".into(), "10.96.0.11".into()];
    service.spec.ip_families.clear();
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.clusterIPs").split(": ").last(),
        Some("may specify no more than one IP for each IP family")
    );
    service.spec.cluster_ips = vec!["10.96.0.10".into(), "fd00::a".into(), "10.96.0.12".into()];
    assert_eq!(findings(&service.validate()), [(ErrorType::Invalid, "spec.clusterIPs")]);
    assert_eq!(service.validate()[0].detail, "may only hold up to 2 values");
}

#[test]
fn cluster_ips_match_their_families() {
    let mut service = cluster_ip();
    service.spec.ip_families = vec!["IPv6".into()];
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.clusterIPs[0]"),
        r#"spec.clusterIPs[0]: Invalid value: "10.96.0.10": expected an IPv6 value as indicated by `ipFamilies[0]`"#
    );
}

#[test]
fn ip_families_and_policy_are_known_values() {
    let mut service = cluster_ip();
    service.spec.ip_families = vec!["IPv4".into(), "IPv4".into()];
    only(&service.validate(), ErrorType::Duplicate, "spec.ipFamilies[1]");
    service.spec.ip_families = vec!["IPv5".into()];
    assert_eq!(
        only(&service.validate(), ErrorType::NotSupported, "spec.ipFamilies[0]"),
        r#"spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6""#
    );
    let mut service = cluster_ip();
    service.spec.ip_family_policy = Some("DualStack".into());
    assert_eq!(
        only(&service.validate(), ErrorType::NotSupported, "spec.ipFamilyPolicy"),
        r#"spec.ipFamilyPolicy: Unsupported value: "DualStack": supported values: "PreferDualStack", "RequireDualStack", "SingleStack""#
    );
}

#[test]
fn external_ips_are_valid_and_not_special() {
    let mut service = cluster_ip();
    service.spec.external_traffic_policy = "Cluster".into();
    service.spec.external_ips = vec!["198.51.100.7".into()];
    assert!(service.validate().is_empty());
    service.spec.external_ips.push("300.1.1.1".into());
    only(&service.validate(), ErrorType::Invalid, "spec.externalIPs[1]");
    service.spec.external_ips[1] = "127.0.0.1".into();
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.externalIPs[1]"),
        r#"spec.externalIPs[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)"#
    );
}

#[test]
fn type_is_required_and_known() {
    let mut service = cluster_ip();
    service.spec.type_ = "Foo".into();
    assert_eq!(
        only(&service.validate(), ErrorType::NotSupported, "spec.type"),
        r#"spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort""#
    );
    service.spec.type_.clear();
    only(&service.validate(), ErrorType::Required, "spec.type");
}

#[test]
fn node_ports_are_not_for_cluster_ip_services() {
    let mut service = cluster_ip();
    service.spec.ports[0].node_port = 30080;
    assert_eq!(
        only(&service.validate(), ErrorType::Forbidden, "spec.ports[0].nodePort"),
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
    );
}

#[test]
fn node_ports_are_unique_per_protocol() {
    let mut service = node_port();
    let mut second = port("https", 443);
    second.node_port = 30080;
    service.spec.ports.push(second.clone());
    assert_eq!(
        only(&service.validate(), ErrorType::Duplicate, "spec.ports[1].nodePort"),
        "spec.ports[1].nodePort: Duplicate value: 30080"
    );
    service.spec.ports[1].protocol = "UDP".into();
    assert!(service.validate().is_empty());
}

#[test]
fn ports_are_unique_per_protocol() {
    let mut service = cluster_ip();
    service.spec.ports.push(port("other", 80));
    let text = only(&service.validate(), ErrorType::Duplicate, "spec.ports[1]");
    assert!(text.starts_with("spec.ports[1]: Duplicate value: {"), "{text}");
    assert!(text.contains(r#""Port":80"#) && text.contains(r#""Protocol":"TCP""#));
    service.spec.ports[1].protocol = "UDP".into();
    assert!(service.validate().is_empty());
}

#[test]
fn source_ranges_only_for_load_balancers_and_valid_cidrs() {
    let mut service = load_balancer();
    service.spec.load_balancer_source_ranges = vec![" 203.0.113.0/24 ".into()];
    assert!(service.validate().is_empty(), "ranges may be space-padded");
    service.spec.load_balancer_source_ranges.push("203.0.113.0".into());
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.LoadBalancerSourceRanges[1]"),
        r#"spec.LoadBalancerSourceRanges[1]: Invalid value: "203.0.113.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"#
    );
    let mut service = node_port();
    service.spec.load_balancer_source_ranges = vec!["203.0.113.0/24".into()];
    only(&service.validate(), ErrorType::Forbidden, "spec.LoadBalancerSourceRanges");
}

#[test]
fn source_ranges_annotation_is_checked_like_the_field() {
    let mut service = node_port();
    service.metadata.annotations.insert(
        "service.beta.kubernetes.io/load-balancer-source-ranges".into(),
        "10.0.0.0/8, bad".into(),
    );
    assert_eq!(
        findings(&service.validate()),
        [
            (
                ErrorType::Forbidden,
                "metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]"
            ),
            (
                ErrorType::Invalid,
                "metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]"
            ),
        ]
    );
}

#[test]
fn allocate_load_balancer_node_ports_belongs_to_load_balancers() {
    let mut service = node_port();
    service.spec.allocate_load_balancer_node_ports = Some(false);
    only(&service.validate(), ErrorType::Forbidden, "spec.allocateLoadBalancerNodePorts");
    let mut service = load_balancer();
    service.spec.allocate_load_balancer_node_ports = None;
    assert_eq!(
        only(&service.validate(), ErrorType::Required, "allocateLoadBalancerNodePorts"),
        "allocateLoadBalancerNodePorts: Required value"
    );
}

#[test]
fn load_balancer_class_only_for_load_balancers_and_qualified() {
    let mut service = load_balancer();
    service.spec.load_balancer_class = Some("example.com/internal".into());
    assert!(service.validate().is_empty());
    service.spec.load_balancer_class = Some("bad class".into());
    only(&service.validate(), ErrorType::Invalid, "spec.loadBalancerClass");
    let mut service = node_port();
    service.spec.load_balancer_class = Some("example.com/internal".into());
    assert_eq!(
        only(&service.validate(), ErrorType::Forbidden, "spec.loadBalancerClass"),
        "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"
    );
}

#[test]
fn external_traffic_policy_only_for_reachable_services() {
    let mut service = cluster_ip();
    service.spec.external_traffic_policy = "Local".into();
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.externalTrafficPolicy"),
        r#"spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services"#
    );
    let mut service = node_port();
    service.spec.external_traffic_policy.clear();
    only(&service.validate(), ErrorType::Required, "spec.externalTrafficPolicy");
    service.spec.external_traffic_policy = "Everywhere".into();
    only(&service.validate(), ErrorType::NotSupported, "spec.externalTrafficPolicy");
}

#[test]
fn health_check_node_port_only_for_local_load_balancers() {
    let mut service = node_port();
    service.spec.health_check_node_port = 31000;
    assert_eq!(
        only(&service.validate(), ErrorType::Invalid, "spec.healthCheckNodePort"),
        "spec.healthCheckNodePort: Invalid value: 31000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
    );
    let mut service = load_balancer();
    service.spec.external_traffic_policy = "Local".into();
    only(&service.validate(), ErrorType::Required, "spec.healthCheckNodePort");
    service.spec.health_check_node_port = 31000;
    assert!(service.validate().is_empty());
}

#[test]
fn internal_traffic_policy_is_required_and_known() {
    let mut service = cluster_ip();
    service.spec.internal_traffic_policy = None;
    only(&service.validate(), ErrorType::Required, "spec.internalTrafficPolicy");
    service.spec.internal_traffic_policy = Some("Node".into());
    only(&service.validate(), ErrorType::NotSupported, "spec.internalTrafficPolicy");
    let mut service = external_name();
    service.spec.internal_traffic_policy = None;
    assert!(service.validate().is_empty(), "not required for ExternalName");
}

#[test]
fn traffic_distribution_is_known() {
    let mut service = cluster_ip();
    service.spec.traffic_distribution = Some("PreferClose".into());
    assert!(service.validate().is_empty());
    service.spec.traffic_distribution = Some("Random".into());
    assert_eq!(
        only(&service.validate(), ErrorType::NotSupported, "spec.trafficDistribution"),
        r#"spec.trafficDistribution: Unsupported value: "Random": supported values: "PreferClose""#
    );
}

#[test]
fn topology_annotations_must_agree() {
    let mut service = cluster_ip();
    let annotations = &mut service.metadata.annotations;
    annotations.insert("service.kubernetes.io/topology-mode".into(), "Auto".into());
    annotations.insert("service.kubernetes.io/topology-aware-hints".into(), "Disabled".into());
    assert_eq!(
        only(
            &service.validate(),
            ErrorType::Invalid,
            "metadata.annotations[service.kubernetes.io/topology-mode]"
        ),
        r#"metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Auto": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified"#
    );
}

#[test]
fn several_findings_keep_upstreams_order_and_make_one_message() {
    let mut service = cluster_ip();
    service.metadata.name.clear();
    service.spec.ports[0].port = 0;
    service.spec.type_ = "Foo".into();
    let errors = service.validate();
    assert_eq!(
        findings(&errors),
        [
            (ErrorType::Required, "metadata.name"),
            (ErrorType::Invalid, "spec.ports[0].port"),
            (ErrorType::NotSupported, "spec.type"),
        ]
    );
    let invalid = errors.to_status_for::<Service>("web");
    assert_eq!(
        invalid.message,
        r#"Service "web" is invalid: [metadata.name: Required value: name or generateName is required, spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]"#
    );
    let details = invalid.details.expect("details");
    let causes: Vec<(&str, &str)> =
        details.causes.iter().map(|cause| (cause.type_.as_str(), cause.field.as_str())).collect();
    assert_eq!(
        causes,
        [
            ("FieldValueRequired", "metadata.name"),
            ("FieldValueInvalid", "spec.ports[0].port"),
            ("FieldValueNotSupported", "spec.type"),
        ]
    );
}

#[test]
fn an_unchanged_update_passes() {
    for service in [cluster_ip(), load_balancer(), external_name(), headless()] {
        assert!(service.validate_update(&service).is_empty());
    }
}

#[test]
fn update_applies_metadata_rules() {
    let old = cluster_ip();
    let mut new = old.clone();
    new.metadata.namespace = "other".into();
    assert_eq!(
        only(&new.validate_update(&old), ErrorType::Invalid, "metadata.namespace"),
        r#"metadata.namespace: Invalid value: "other": field is immutable"#
    );
}

#[test]
fn cluster_ip_may_not_change() {
    let old = cluster_ip();
    let mut new = old.clone();
    new.spec.cluster_ip = "10.96.0.99".into();
    new.spec.cluster_ips = vec!["10.96.0.99".into()];
    assert_eq!(
        only(&new.validate_update(&old), ErrorType::Invalid, "spec.clusterIPs[0]"),
        r#"spec.clusterIPs[0]: Invalid value: ["10.96.0.99"]: may not change once set"#
    );
}

#[test]
fn cluster_ip_may_change_to_and_from_external_name() {
    let old = external_name();
    let mut new = cluster_ip();
    new.metadata = old.metadata.clone();
    assert!(new.validate_update(&old).is_empty());
    let mut back = external_name();
    back.metadata = old.metadata.clone();
    assert!(back.validate_update(&new).is_empty());
}

#[test]
fn releasing_the_secondary_cluster_ip_requires_single_stack() {
    let mut old = cluster_ip();
    old.spec.cluster_ips.push("fd00::a".into());
    old.spec.ip_families.push("IPv6".into());
    old.spec.ip_family_policy = Some("PreferDualStack".into());
    let mut new = cluster_ip();
    new.spec.ip_family_policy = Some("PreferDualStack".into());
    assert_eq!(
        findings(&new.validate_update(&old)),
        [(ErrorType::Invalid, "spec.ipFamilyPolicy"), (ErrorType::Invalid, "spec.ipFamilyPolicy"),]
    );
    assert_eq!(
        new.validate_update(&old)[0].to_string(),
        r#"spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be set to 'SingleStack' when releasing the secondary clusterIP"#
    );
    new.spec.ip_family_policy = Some("SingleStack".into());
    assert!(new.validate_update(&old).is_empty());
}

#[test]
fn primary_ip_family_may_not_change() {
    let old = cluster_ip();
    let mut new = old.clone();
    new.spec.ip_families = vec!["IPv6".into()];
    let errors = new.validate_update(&old);
    assert_eq!(findings(&errors)[0], (ErrorType::Invalid, "spec.ipFamilies[0]"));
    assert_eq!(errors[0].detail, "may not change once set");
}

#[test]
fn load_balancer_class_may_not_change() {
    let mut old = load_balancer();
    old.spec.load_balancer_class = Some("example.com/a".into());
    let mut new = old.clone();
    new.spec.load_balancer_class = Some("example.com/b".into());
    assert_eq!(
        only(&new.validate_update(&old), ErrorType::Invalid, "spec.loadBalancerClass"),
        r#"spec.loadBalancerClass: Invalid value: "example.com/b": may not change once set"#
    );
}

#[test]
fn health_check_node_port_may_not_change() {
    let mut old = load_balancer();
    old.spec.external_traffic_policy = "Local".into();
    old.spec.health_check_node_port = 31000;
    let mut new = old.clone();
    new.spec.health_check_node_port = 31001;
    assert_eq!(
        only(&new.validate_update(&old), ErrorType::Forbidden, "spec.healthCheckNodePort"),
        "spec.healthCheckNodePort: Forbidden: field is immutable"
    );
}
