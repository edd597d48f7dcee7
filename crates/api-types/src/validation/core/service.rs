//! Service: ports, type-dependent fields, cluster IPs and families, session affinity, external
//! IPs, source ranges, traffic policies; and on update, which of the allocated addresses may
//! change.
//!
//! Node ports are checked for their relation to the service type and for duplicates only: that a
//! node port lies in the cluster's node-port range (30000-32767 by default) is decided by the
//! apiserver's port allocator, not by validation, as upstream does.

use crate::api::core::v1::{Service, ServicePort, SessionAffinityConfig};
use crate::validation::common::{
    validate_dns1123_label, validate_dns1123_subdomain, validate_labels,
    validate_port_number_or_name, validate_protocol, validate_qualified_name,
};
use crate::validation::meta::{validate_core_object_meta, validate_core_object_meta_update};
use crate::validation::names::{name_is_dns1035_label, port_number_errors};
use crate::validation::network::{
    is_dual_stack, is_ipv6, parse_ip, validate_cidr, validate_ip, validate_non_special_ip,
};
use crate::validation::{ErrorList, FieldError, FieldPath, Validate};
use serde_json::json;
use std::collections::BTreeSet;

const TYPE_CLUSTER_IP: &str = "ClusterIP";
const TYPE_NODE_PORT: &str = "NodePort";
const TYPE_LOAD_BALANCER: &str = "LoadBalancer";
const TYPE_EXTERNAL_NAME: &str = "ExternalName";
const SERVICE_TYPES: [&str; 4] =
    [TYPE_CLUSTER_IP, TYPE_EXTERNAL_NAME, TYPE_LOAD_BALANCER, TYPE_NODE_PORT];
const AFFINITY_CLIENT_IP: &str = "ClientIP";
const AFFINITY_NONE: &str = "None";
const SESSION_AFFINITIES: [&str; 2] = [AFFINITY_CLIENT_IP, AFFINITY_NONE];
const IP_FAMILIES: [&str; 2] = ["IPv4", "IPv6"];
const SINGLE_STACK: &str = "SingleStack";
const IP_FAMILY_POLICIES: [&str; 3] = ["PreferDualStack", "RequireDualStack", SINGLE_STACK];
const TRAFFIC_POLICY_LOCAL: &str = "Local";
const TRAFFIC_POLICIES: [&str; 2] = ["Cluster", TRAFFIC_POLICY_LOCAL];
const TRAFFIC_DISTRIBUTIONS: [&str; 1] = ["PreferClose"];
/// The longest client-IP affinity, one day.
const MAX_CLIENT_IP_AFFINITY_SECONDS: i32 = 86400;
const CLUSTER_IP_NONE: &str = "None";
const ANNOTATION_TOPOLOGY_HINTS: &str = "service.kubernetes.io/topology-aware-hints";
const ANNOTATION_TOPOLOGY_MODE: &str = "service.kubernetes.io/topology-mode";
const ANNOTATION_SOURCE_RANGES: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

impl Validate for Service {
    fn validate(&self) -> ErrorList {
        validate_service(self)
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_cluster_ips_update(old, self));
        errors.append(validate_ip_families_update(old, self));
        errors.append(validate_load_balancer_class(Some(old), self));
        if needs_health_check(old)
            && needs_health_check(self)
            && self.spec.health_check_node_port != old.spec.health_check_node_port
        {
            errors.push(FieldError::forbidden(
                &spec().child("healthCheckNodePort"),
                "field is immutable",
            ));
        }
        errors.append(validate_service(self));
        errors
    }
}

fn spec() -> FieldPath {
    FieldPath::new("spec")
}

/// A headless service has the single cluster IP `None`.
fn is_headless(service: &Service) -> bool {
    matches!(service.spec.cluster_ips.as_slice(), [only] if only == CLUSTER_IP_NONE)
}

/// Reachable from outside the cluster: node ports, a load balancer, or external IPs.
fn is_externally_accessible(service: &Service) -> bool {
    let kind = service.spec.type_.as_str();
    kind == TYPE_LOAD_BALANCER
        || kind == TYPE_NODE_PORT
        || (kind == TYPE_CLUSTER_IP && !service.spec.external_ips.is_empty())
}

/// A load balancer that only sends traffic to nodes with local endpoints needs a health check
/// port to find them.
fn needs_health_check(service: &Service) -> bool {
    service.spec.type_ == TYPE_LOAD_BALANCER
        && service.spec.external_traffic_policy == TRAFFIC_POLICY_LOCAL
}

fn validate_service(service: &Service) -> ErrorList {
    let meta_path = FieldPath::new("metadata");
    let mut errors =
        validate_core_object_meta(&service.metadata, true, name_is_dns1035_label, &meta_path);
    let annotations = &service.metadata.annotations;
    if let (Some(mode), Some(hints)) =
        (annotations.get(ANNOTATION_TOPOLOGY_MODE), annotations.get(ANNOTATION_TOPOLOGY_HINTS))
        && mode != hints
    {
        errors.push(FieldError::invalid(
            &meta_path.child("annotations").key(ANNOTATION_TOPOLOGY_MODE),
            mode,
            format!("must match annotations[{ANNOTATION_TOPOLOGY_HINTS}] when both are specified"),
        ));
    }

    let spec_path = spec();
    let service_spec = &service.spec;
    let headless = is_headless(service);
    if service_spec.ports.is_empty() && !headless && service_spec.type_ != TYPE_EXTERNAL_NAME {
        errors.push(FieldError::required(&spec_path.child("ports"), ""));
    }
    match service_spec.type_.as_str() {
        TYPE_LOAD_BALANCER | TYPE_NODE_PORT if headless => {
            errors.push(FieldError::invalid(
                &spec_path.child("clusterIPs").index(0),
                &service_spec.cluster_ips[0],
                format!("may not be set to 'None' for {} services", service_spec.type_),
            ));
        }
        TYPE_EXTERNAL_NAME => errors.append(validate_external_name_fields(service)),
        _ => {}
    }

    let ports_path = spec_path.child("ports");
    let mut port_names = BTreeSet::new();
    let require_names = service_spec.ports.len() > 1;
    for (index, port) in service_spec.ports.iter().enumerate() {
        errors.append(validate_service_port(
            port,
            require_names,
            &mut port_names,
            &ports_path.index(index),
        ));
    }

    errors.append(validate_labels(&service_spec.selector, &spec_path.child("selector")));

    let affinity_path = spec_path.child("sessionAffinity");
    match service_spec.session_affinity.as_str() {
        "" => errors.push(FieldError::required(&affinity_path, "")),
        AFFINITY_CLIENT_IP => errors.append(validate_client_ip_affinity(
            service_spec.session_affinity_config.as_ref(),
            &spec_path.child("sessionAffinityConfig"),
        )),
        AFFINITY_NONE => {
            if service_spec.session_affinity_config.is_some() {
                errors.push(FieldError::forbidden(
                    &spec_path.child("sessionAffinityConfig"),
                    format!("must not be set when session affinity is {AFFINITY_NONE}"),
                ));
            }
        }
        other => errors.push(FieldError::not_supported(&affinity_path, other, &SESSION_AFFINITIES)),
    }

    errors.append(validate_cluster_ips_and_families(service));

    let external_ips_path = spec_path.child("externalIPs");
    for (index, address) in service_spec.external_ips.iter().enumerate() {
        let path = external_ips_path.index(index);
        let invalid = validate_ip(&path, address);
        if invalid.is_empty() {
            errors.append(validate_non_special_ip(&path, address));
        } else {
            errors.append(invalid);
        }
    }

    let type_path = spec_path.child("type");
    if service_spec.type_.is_empty() {
        errors.push(FieldError::required(&type_path, ""));
    } else if !SERVICE_TYPES.contains(&service_spec.type_.as_str()) {
        errors.push(FieldError::not_supported(&type_path, &service_spec.type_, &SERVICE_TYPES));
    }

    if service_spec.type_ == TYPE_CLUSTER_IP {
        for (index, port) in service_spec.ports.iter().enumerate() {
            if port.node_port != 0 {
                errors.push(FieldError::forbidden(
                    &ports_path.index(index).child("nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    errors.append(validate_unique_ports(&service_spec.ports, &ports_path));
    errors.append(validate_source_ranges(service));

    if service_spec.allocate_load_balancer_node_ports.is_some()
        && service_spec.type_ != TYPE_LOAD_BALANCER
    {
        errors.push(FieldError::forbidden(
            &spec_path.child("allocateLoadBalancerNodePorts"),
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    if service_spec.type_ == TYPE_LOAD_BALANCER
        && service_spec.allocate_load_balancer_node_ports.is_none()
    {
        // Upstream reports this one without the `spec.` prefix.
        errors.push(FieldError::required(&FieldPath::new("allocateLoadBalancerNodePorts"), ""));
    }

    errors.append(validate_load_balancer_class(None, service));
    errors.append(validate_external_traffic(service));
    errors.append(validate_internal_traffic(service));
    if let Some(distribution) = &service_spec.traffic_distribution
        && !TRAFFIC_DISTRIBUTIONS.contains(&distribution.as_str())
    {
        errors.push(FieldError::not_supported(
            &spec_path.child("trafficDistribution"),
            distribution,
            &TRAFFIC_DISTRIBUTIONS,
        ));
    }
    errors
}

/// An ExternalName service is a DNS alias: no cluster IPs or families, and a valid name (which
/// may end in a dot to mark it fully qualified).
fn validate_external_name_fields(service: &Service) -> ErrorList {
    let spec_path = spec();
    let service_spec = &service.spec;
    let mut errors = ErrorList::new();
    if !service_spec.cluster_ips.is_empty() {
        errors.push(FieldError::forbidden(
            &spec_path.child("clusterIPs"),
            "may not be set for ExternalName services",
        ));
    }
    if !service_spec.ip_families.is_empty() {
        errors.push(FieldError::forbidden(
            &spec_path.child("ipFamilies"),
            "may not be set for ExternalName services",
        ));
    }
    if service_spec.ip_family_policy.is_some() {
        errors.push(FieldError::forbidden(
            &spec_path.child("ipFamilyPolicy"),
            "may not be set for ExternalName services",
        ));
    }
    let name = service_spec.external_name.strip_suffix('.').unwrap_or(&service_spec.external_name);
    let name_path = spec_path.child("externalName");
    if name.is_empty() {
        errors.push(FieldError::required(&name_path, ""));
    } else {
        errors.append(validate_dns1123_subdomain(name, &name_path));
    }
    errors
}

fn validate_service_port(
    port: &ServicePort,
    require_name: bool,
    seen_names: &mut BTreeSet<String>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let name_path = path.child("name");
    if require_name && port.name.is_empty() {
        errors.push(FieldError::required(&name_path, ""));
    } else if !port.name.is_empty() {
        errors.append(validate_dns1123_label(&port.name, &name_path));
        if !seen_names.insert(port.name.clone()) {
            errors.push(FieldError::duplicate(&name_path, &port.name));
        }
    }
    for message in port_number_errors(i64::from(port.port)) {
        errors.push(FieldError::invalid(&path.child("port"), port.port, message));
    }
    errors.append(validate_protocol(&port.protocol, &path.child("protocol")));
    errors.append(validate_port_number_or_name(&port.target_port, &path.child("targetPort")));
    if let Some(app_protocol) = &port.app_protocol {
        errors.append(validate_qualified_name(app_protocol, &path.child("appProtocol")));
    }
    errors
}

fn validate_client_ip_affinity(
    config: Option<&SessionAffinityConfig>,
    path: &FieldPath,
) -> ErrorList {
    let detail = format!("when session affinity type is {AFFINITY_CLIENT_IP}");
    let Some(config) = config else {
        return FieldError::required(path, detail).into();
    };
    let client_ip_path = path.child("clientIP");
    let Some(client_ip) = &config.client_ip else {
        return FieldError::required(&client_ip_path, detail).into();
    };
    let timeout_path = client_ip_path.child("timeoutSeconds");
    match client_ip.timeout_seconds {
        None => FieldError::required(&timeout_path, detail).into(),
        Some(timeout) if timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS => {
            FieldError::invalid(
                &timeout_path,
                timeout,
                format!("must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"),
            )
            .into()
        }
        Some(_) => ErrorList::new(),
    }
}

/// No two ports may share a node port or a port number under the same protocol.
fn validate_unique_ports(ports: &[ServicePort], ports_path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut node_ports = BTreeSet::new();
    for (index, port) in ports.iter().enumerate() {
        if port.node_port != 0 && !node_ports.insert((port.protocol.as_str(), port.node_port)) {
            errors.push(FieldError::duplicate(
                &ports_path.index(index).child("nodePort"),
                port.node_port,
            ));
        }
    }
    let mut numbers = BTreeSet::new();
    for (index, port) in ports.iter().enumerate() {
        if !numbers.insert((port.protocol.as_str(), port.port)) {
            // Upstream shows the (protocol, port) key as its internal ServicePort, with Go's
            // field names.
            let key = json!({
                "Name": "",
                "Protocol": port.protocol,
                "AppProtocol": null,
                "Port": port.port,
                "TargetPort": 0,
                "NodePort": 0,
            });
            errors.push(FieldError::duplicate(&ports_path.index(index), key));
        }
    }
    errors
}

/// Source ranges, from the field or (for old clients) the annotation, only for load balancers
/// and only as CIDRs; values may be padded with spaces, a historical allowance.
fn validate_source_ranges(service: &Service) -> ErrorList {
    let mut errors = ErrorList::new();
    let is_load_balancer = service.spec.type_ == TYPE_LOAD_BALANCER;
    let only_load_balancers = "may only be used when `type` is 'LoadBalancer'";
    if !service.spec.load_balancer_source_ranges.is_empty() {
        // Upstream spells this path with a capital L.
        let path = spec().child("LoadBalancerSourceRanges");
        if !is_load_balancer {
            errors.push(FieldError::forbidden(&path, only_load_balancers));
        }
        for (index, range) in service.spec.load_balancer_source_ranges.iter().enumerate() {
            errors.append(validate_cidr(&path.index(index), range.trim()));
        }
    } else if let Some(ranges) = service.metadata.annotations.get(ANNOTATION_SOURCE_RANGES) {
        let path = FieldPath::new("metadata").child("annotations").key(ANNOTATION_SOURCE_RANGES);
        if !is_load_balancer {
            errors.push(FieldError::forbidden(&path, only_load_balancers));
        }
        let ranges = ranges.trim();
        if !ranges.is_empty() {
            for range in ranges.split(',') {
                errors.append(validate_cidr(&path, range.trim()));
            }
        }
    }
    errors
}

fn validate_load_balancer_class(old: Option<&Service>, service: &Service) -> ErrorList {
    let mut errors = ErrorList::new();
    let path = spec().child("loadBalancerClass");
    let is_load_balancer = |service: &Service| service.spec.type_ == TYPE_LOAD_BALANCER;
    if let Some(old) = old
        && is_load_balancer(old)
        && is_load_balancer(service)
        && old.spec.load_balancer_class != service.spec.load_balancer_class
    {
        errors.push(FieldError::invalid(
            &path,
            &service.spec.load_balancer_class,
            "may not change once set",
        ));
    }
    match &service.spec.load_balancer_class {
        Some(class) if is_load_balancer(service) => {
            errors.append(validate_qualified_name(class, &path));
        }
        Some(_) => errors
            .push(FieldError::forbidden(&path, "may only be used when `type` is 'LoadBalancer'")),
        None => {}
    }
    errors
}

fn validate_external_traffic(service: &Service) -> ErrorList {
    let mut errors = ErrorList::new();
    let service_spec = &service.spec;
    let policy_path = spec().child("externalTrafficPolicy");
    let policy = service_spec.external_traffic_policy.as_str();
    if !is_externally_accessible(service) {
        if !policy.is_empty() {
            errors.push(FieldError::invalid(
                &policy_path,
                policy,
                "may only be set for externally-accessible services",
            ));
        }
    } else if policy.is_empty() {
        errors.push(FieldError::required(&policy_path, ""));
    } else if !TRAFFIC_POLICIES.contains(&policy) {
        errors.push(FieldError::not_supported(&policy_path, policy, &TRAFFIC_POLICIES));
    }

    let port_path = spec().child("healthCheckNodePort");
    let port = service_spec.health_check_node_port;
    if !needs_health_check(service) {
        if port != 0 {
            errors.push(FieldError::invalid(
                &port_path,
                port,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            ));
        }
    } else if port == 0 {
        errors.push(FieldError::required(&port_path, ""));
    } else {
        for message in port_number_errors(i64::from(port)) {
            errors.push(FieldError::invalid(&port_path, port, message));
        }
    }
    errors
}

fn validate_internal_traffic(service: &Service) -> ErrorList {
    let path = spec().child("internalTrafficPolicy");
    match &service.spec.internal_traffic_policy {
        // Not required for ExternalName services, for compatibility with objects stored before
        // the field existed.
        None if [TYPE_NODE_PORT, TYPE_LOAD_BALANCER, TYPE_CLUSTER_IP]
            .contains(&service.spec.type_.as_str()) =>
        {
            FieldError::required(&path, "").into()
        }
        Some(policy) if !TRAFFIC_POLICIES.contains(&policy.as_str()) => {
            FieldError::not_supported(&path, policy, &TRAFFIC_POLICIES).into()
        }
        _ => ErrorList::new(),
    }
}

/// `clusterIP` and `clusterIPs` agree; families and the family policy are known values; the
/// addresses are valid (or a lone `None`), at most one per family, and match their families.
fn validate_cluster_ips_and_families(service: &Service) -> ErrorList {
    let service_spec = &service.spec;
    if service_spec.type_ == TYPE_EXTERNAL_NAME {
        // Checked (all must be unset) with the other ExternalName rules.
        return ErrorList::new();
    }
    let mut errors = ErrorList::new();
    let spec_path = spec();
    let ips_path = spec_path.child("clusterIPs");
    let families_path = spec_path.child("ipFamilies");
    let ips = &service_spec.cluster_ips;

    if !service_spec.cluster_ip.is_empty() {
        match ips.first() {
            None => errors.push(FieldError::required(&ips_path, "")),
            Some(first) if *first != service_spec.cluster_ip => errors.push(FieldError::invalid(
                &ips_path,
                ips,
                "first value must match `clusterIP`",
            )),
            Some(_) => {}
        }
    } else if !ips.is_empty() {
        errors.push(FieldError::invalid(
            &ips_path,
            ips,
            "must be empty when `clusterIP` is not specified",
        ));
    }

    let mut seen_families = BTreeSet::new();
    for (index, family) in service_spec.ip_families.iter().enumerate() {
        if !IP_FAMILIES.contains(&family.as_str()) {
            errors.push(FieldError::not_supported(
                &families_path.index(index),
                family,
                &IP_FAMILIES,
            ));
        }
        if !seen_families.insert(family.as_str()) {
            errors.push(FieldError::duplicate(&families_path.index(index), family));
        }
    }
    if let Some(policy) = &service_spec.ip_family_policy
        && !IP_FAMILY_POLICIES.contains(&policy.as_str())
    {
        errors.push(FieldError::not_supported(
            &spec_path.child("ipFamilyPolicy"),
            policy,
            &IP_FAMILY_POLICIES,
        ));
    }

    let mut has_invalid_ips = false;
    for (index, address) in ips.iter().enumerate() {
        if index == 0 && address == CLUSTER_IP_NONE {
            if ips.len() > 1 {
                has_invalid_ips = true;
                errors.push(FieldError::invalid(
                    &ips_path,
                    ips,
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        let invalid = validate_ip(&ips_path.index(index), address);
        has_invalid_ips |= !invalid.is_empty();
        errors.append(invalid);
    }
    if ips.len() > 2 {
        errors.push(FieldError::invalid(&ips_path, ips, "may only hold up to 2 values"));
    }
    // Family checks on addresses already reported as bad would only repeat the problem.
    if has_invalid_ips {
        return errors;
    }

    if ips.len() > 1 {
        let addresses: Vec<_> = ips.iter().filter_map(|address| parse_ip(address)).collect();
        if !is_dual_stack(&addresses) {
            errors.push(FieldError::invalid(
                &ips_path,
                ips,
                "may specify no more than one IP for each IP family",
            ));
        }
    }
    if !is_headless(service) {
        for (index, (address, family)) in ips.iter().zip(&service_spec.ip_families).enumerate() {
            let address_is_ipv6 = parse_ip(address).is_some_and(is_ipv6);
            let expected = match family.as_str() {
                "IPv4" if address_is_ipv6 => "IPv4",
                "IPv6" if !address_is_ipv6 => "IPv6",
                _ => continue,
            };
            errors.push(FieldError::invalid(
                &ips_path.index(index),
                address,
                format!("expected an {expected} value as indicated by `ipFamilies[{index}]`"),
            ));
        }
    }
    errors
}

/// Allocated cluster IPs stay: same count means unchanged; fewer means the primary is kept and
/// the policy becomes SingleStack; more means the primary is kept. ExternalName services, and
/// headless services staying headless, are exempt.
fn validate_cluster_ips_update(old: &Service, new: &Service) -> ErrorList {
    let mut errors = ErrorList::new();
    if new.spec.type_ == TYPE_EXTERNAL_NAME || old.spec.type_ == TYPE_EXTERNAL_NAME {
        return errors;
    }
    if is_headless(old) && is_headless(new) {
        return errors;
    }
    let path = spec().child("clusterIPs");
    let (old_ips, new_ips) = (&old.spec.cluster_ips, &new.spec.cluster_ips);
    let primary_changed =
        matches!((old_ips.first(), new_ips.first()), (Some(old), Some(new)) if old != new);
    if old_ips.len() == new_ips.len() {
        for (index, (old_ip, new_ip)) in old_ips.iter().zip(new_ips).enumerate() {
            if old_ip != new_ip {
                errors.push(FieldError::invalid(
                    &path.index(index),
                    new_ips,
                    "may not change once set",
                ));
            }
        }
    } else if old_ips.len() > new_ips.len() {
        if new_ips.is_empty() {
            errors.push(FieldError::invalid(
                &path.index(0),
                new_ips,
                "primary clusterIP can not be unset",
            ));
        }
        if primary_changed {
            errors.push(FieldError::invalid(&path.index(0), new_ips, "may not change once set"));
        }
        if new_ips.len() == 1 && new.spec.ip_family_policy.as_deref() != Some(SINGLE_STACK) {
            errors.push(FieldError::invalid(
                &spec().child("ipFamilyPolicy"),
                &new.spec.ip_family_policy,
                "must be set to 'SingleStack' when releasing the secondary clusterIP",
            ));
        }
    } else if primary_changed {
        errors.push(FieldError::invalid(&path.index(0), new_ips, "may not change once set"));
    }
    errors
}

/// IP families follow the same rules as the addresses, except around headless services, which
/// may change families freely. The values shown in some messages are upstream's (the cluster IPs,
/// not the families).
fn validate_ip_families_update(old: &Service, new: &Service) -> ErrorList {
    let mut errors = ErrorList::new();
    if new.spec.type_ == TYPE_EXTERNAL_NAME || old.spec.type_ == TYPE_EXTERNAL_NAME {
        return errors;
    }
    if is_headless(old) || is_headless(new) {
        return errors;
    }
    let path = spec().child("ipFamilies").index(0);
    let (old_families, new_families) = (&old.spec.ip_families, &new.spec.ip_families);
    let primary_changed = matches!((old_families.first(), new_families.first()), (Some(old), Some(new)) if old != new);
    if old_families.len() == new_families.len() {
        for (old_family, new_family) in old_families.iter().zip(new_families) {
            if old_family != new_family {
                errors.push(FieldError::invalid(&path, new_families, "may not change once set"));
            }
        }
    } else if old_families.len() > new_families.len() {
        if new.spec.cluster_ips.is_empty() {
            errors.push(FieldError::invalid(
                &path,
                new_families,
                "primary ipFamily can not be unset",
            ));
        }
        if primary_changed {
            errors.push(FieldError::invalid(
                &path,
                &new.spec.cluster_ips,
                "may not change once set",
            ));
        }
        if new_families.len() == 1 && new.spec.ip_family_policy.as_deref() != Some(SINGLE_STACK) {
            errors.push(FieldError::invalid(
                &spec().child("ipFamilyPolicy"),
                &new.spec.ip_family_policy,
                "must be set to 'SingleStack' when releasing the secondary ipFamily",
            ));
        }
    } else if primary_changed {
        errors.push(FieldError::invalid(&path, &new.spec.cluster_ips, "may not change once set"));
    }
    errors
}
