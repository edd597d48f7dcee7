//! `PodSpec`, wherever it appears: in a Pod, or in the template of a controller. Containers and
//! volumes are checked by their own modules; this one checks the pod-level settings (restart and
//! DNS policies, host networking, scheduling constraints, names of referenced objects) and ties
//! the parts together.

use super::common::{
    invalid_each, validate_dns1123_label, validate_dns1123_subdomain, validate_labels,
    validate_qualified_name,
};
use super::container::{
    ContainerContext, validate_containers, validate_ephemeral_containers, validate_init_containers,
};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::names::{inclusive_range_message, name_is_dns_subdomain};
use super::network::validate_ip;
use super::resource_requirements::validate_resource_lists;
use super::scheduling::{
    validate_affinity, validate_tolerations, validate_topology_spread_constraints,
};
use super::security_context::{validate_host_users, validate_os, validate_pod_security};
use super::volume::validate_volumes;
use crate::api::core::v1::{HostAlias, PodDNSConfig, PodResourceClaim, PodSpec};
use std::collections::{BTreeMap, BTreeSet};

const RESTART_POLICIES: [&str; 3] = ["Always", "OnFailure", "Never"];
const DNS_POLICIES: [&str; 4] = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const PREEMPTION_POLICIES: [&str; 2] = ["PreemptLowerPriority", "Never"];

/// Limits of the resolver configuration a pod can ask for (from libc's name resolution).
const MAX_DNS_NAMESERVERS: usize = 3;
const MAX_DNS_SEARCH_PATHS: usize = 32;
const MAX_DNS_SEARCH_LIST_CHARS: usize = 2048;

/// Where the spec being checked lives.
#[derive(Clone, Copy)]
pub(crate) enum SpecOwner<'a> {
    /// A Pod's own spec; the pod's name (for the claims its ephemeral volumes create).
    Pod(&'a str),
    /// A template's spec, turned into pods later (host ports may still be defaulted then).
    Template,
}

/// Every rule of a pod spec, with paths under `path`.
pub(crate) fn validate_pod_spec(
    spec: &PodSpec,
    owner: SpecOwner<'_>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if spec.termination_grace_period_seconds.is_none() {
        errors.push(FieldError::required(&path.child("terminationGracePeriodSeconds"), ""));
    }
    let pod_name = match owner {
        SpecOwner::Pod(name) => Some(name),
        SpecOwner::Template => None,
    };
    let (volumes, volume_errors) =
        validate_volumes(&spec.volumes, pod_name, &path.child("volumes"));
    errors.append(volume_errors);
    let claim_names: BTreeSet<&str> = spec
        .resource_claims
        .iter()
        .map(|claim| claim.name.as_str())
        .filter(|name| !name.is_empty())
        .collect();
    errors
        .append(validate_pod_resource_claims(&spec.resource_claims, &path.child("resourceClaims")));
    let context = ContainerContext {
        volumes: &volumes,
        claim_names: &claim_names,
        grace_period: spec.termination_grace_period_seconds,
        restart_policy: &spec.restart_policy,
        host_users: spec.host_users != Some(false),
    };
    errors.append(validate_containers(&spec.containers, &context, &path.child("containers")));
    errors.append(validate_init_containers(
        &spec.init_containers,
        &spec.containers,
        &context,
        &path.child("initContainers"),
    ));
    errors.append(validate_ephemeral_containers(
        &spec.ephemeral_containers,
        &spec.containers,
        &spec.init_containers,
        &context,
        &path.child("ephemeralContainers"),
    ));
    errors.append(validate_host_network_ports(spec, owner, path));
    errors.append(validate_enumerated(
        &spec.restart_policy,
        &RESTART_POLICIES,
        &path.child("restartPolicy"),
    ));
    errors.append(validate_enumerated(&spec.dns_policy, &DNS_POLICIES, &path.child("dnsPolicy")));
    errors.append(validate_labels(&spec.node_selector, &path.child("nodeSelector")));
    errors.append(validate_pod_security(spec, path));
    errors.append(validate_affinity(spec.affinity.as_ref(), &path.child("affinity")));
    errors.append(validate_dns_config(
        spec.dns_config.as_ref(),
        &spec.dns_policy,
        &path.child("dnsConfig"),
    ));
    let gates_path = path.child("readinessGates");
    for (index, gate) in spec.readiness_gates.iter().enumerate() {
        errors.append(validate_qualified_name(
            &gate.condition_type,
            &gates_path.index(index).child("conditionType"),
        ));
    }
    errors.append(validate_scheduling_gates(spec, &path.child("schedulingGates")));
    errors.append(validate_topology_spread_constraints(
        &spec.topology_spread_constraints,
        &path.child("topologySpreadConstraints"),
    ));
    errors.append(validate_host_users(spec, path));
    errors.append(validate_referenced_name(
        &spec.service_account_name,
        &path.child("serviceAccountName"),
    ));
    errors.append(validate_referenced_name(&spec.node_name, &path.child("nodeName")));
    if let Some(deadline) = spec.active_deadline_seconds
        && !(1..=i64::from(i32::MAX)).contains(&deadline)
    {
        errors.push(FieldError::invalid(
            &path.child("activeDeadlineSeconds"),
            deadline,
            inclusive_range_message(1, i64::from(i32::MAX)),
        ));
    }
    if !spec.hostname.is_empty() {
        errors.append(validate_dns1123_label(&spec.hostname, &path.child("hostname")));
    }
    if !spec.subdomain.is_empty() {
        errors.append(validate_dns1123_label(&spec.subdomain, &path.child("subdomain")));
    }
    errors.append(validate_tolerations(&spec.tolerations, &path.child("tolerations")));
    errors.append(validate_host_aliases(&spec.host_aliases, &path.child("hostAliases")));
    errors.append(validate_referenced_name(
        &spec.priority_class_name,
        &path.child("priorityClassName"),
    ));
    if let Some(runtime_class) = &spec.runtime_class_name {
        errors.append(invalid_each(
            &path.child("runtimeClassName"),
            runtime_class,
            name_is_dns_subdomain(runtime_class, false),
        ));
    }
    if let Some(policy) = &spec.preemption_policy {
        errors.append(validate_enumerated(
            policy,
            &PREEMPTION_POLICIES,
            &path.child("preemptionPolicy"),
        ));
    }
    if !spec.overhead.is_empty() {
        errors.append(validate_resource_lists(
            &spec.overhead,
            &BTreeMap::new(),
            &path.child("overhead"),
        ));
    }
    errors.append(validate_os(spec, path));
    errors
}

/// A value from a fixed set that defaulting always fills: empty is `Required`.
fn validate_enumerated(value: &str, supported: &[&str], path: &FieldPath) -> ErrorList {
    if value.is_empty() {
        FieldError::required(path, "").into()
    } else if supported.contains(&value) {
        ErrorList::new()
    } else {
        FieldError::not_supported(path, value, supported).into()
    }
}

/// The name of another object (service account, node, priority class), when given.
fn validate_referenced_name(name: &str, path: &FieldPath) -> ErrorList {
    if name.is_empty() {
        ErrorList::new()
    } else {
        invalid_each(path, name, name_is_dns_subdomain(name, false))
    }
}

/// On the host network a container port is a host port, so the two must agree. Templates may
/// leave `hostPort` unset for defaulting to fill when the pod is made.
fn validate_host_network_ports(
    spec: &PodSpec,
    owner: SpecOwner<'_>,
    path: &FieldPath,
) -> ErrorList {
    if !spec.host_network {
        return ErrorList::new();
    }
    let is_pod = matches!(owner, SpecOwner::Pod(_));
    let mut errors = ErrorList::new();
    let containers_path = path.child("containers");
    for (container_index, container) in spec.containers.iter().enumerate() {
        let ports_path = containers_path.index(container_index).child("ports");
        for (port_index, port) in container.ports.iter().enumerate() {
            if (is_pod || port.host_port != 0) && port.host_port != port.container_port {
                errors.push(FieldError::invalid(
                    &ports_path.index(port_index).child("hostPort"),
                    port.host_port,
                    "must match `containerPort` when `hostNetwork` is true",
                ));
            }
        }
    }
    errors
}

/// `dnsPolicy: None` needs a resolver configuration with a nameserver; any configuration must
/// fit libc's limits and name valid domains.
fn validate_dns_config(config: Option<&PodDNSConfig>, policy: &str, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    if policy == "None" {
        match config {
            None => {
                return FieldError::required(
                    path,
                    "must provide `dnsConfig` when `dnsPolicy` is None",
                )
                .into();
            }
            Some(config) if config.nameservers.is_empty() => {
                return FieldError::required(
                    &path.child("nameservers"),
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                )
                .into();
            }
            Some(_) => {}
        }
    }
    let Some(config) = config else {
        return errors;
    };
    let nameservers_path = path.child("nameservers");
    if config.nameservers.len() > MAX_DNS_NAMESERVERS {
        errors.push(FieldError::invalid(
            &nameservers_path,
            &config.nameservers,
            format!("must not have more than {MAX_DNS_NAMESERVERS} nameservers"),
        ));
    }
    for (index, nameserver) in config.nameservers.iter().enumerate() {
        errors.append(validate_ip(&nameservers_path.index(index), nameserver));
    }
    let searches_path = path.child("searches");
    if config.searches.len() > MAX_DNS_SEARCH_PATHS {
        errors.push(FieldError::invalid(
            &searches_path,
            &config.searches,
            format!("must not have more than {MAX_DNS_SEARCH_PATHS} search paths"),
        ));
    }
    if config.searches.join(" ").len() > MAX_DNS_SEARCH_LIST_CHARS {
        errors.push(FieldError::invalid(
            &searches_path,
            &config.searches,
            format!(
                "must not have more than {MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list"
            ),
        ));
    }
    for (index, search) in config.searches.iter().enumerate() {
        let domain = search.strip_suffix('.').unwrap_or(search);
        errors.append(validate_dns1123_subdomain(domain, &searches_path.index(index)));
    }
    let options_path = path.child("options");
    for (index, option) in config.options.iter().enumerate() {
        if option.name.is_empty() {
            errors.push(FieldError::required(&options_path.index(index), "must not be empty"));
        }
    }
    errors
}

/// Scheduling gates are qualified names, each listed once.
fn validate_scheduling_gates(spec: &PodSpec, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (index, gate) in spec.scheduling_gates.iter().enumerate() {
        let gate_path = path.index(index);
        errors.append(validate_qualified_name(&gate.name, &gate_path));
        if !seen.insert(&gate.name) {
            errors.push(FieldError::duplicate(&gate_path, &gate.name));
        }
    }
    errors
}

/// `/etc/hosts` entries: an IP address and valid host names.
fn validate_host_aliases(aliases: &[HostAlias], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    for (index, alias) in aliases.iter().enumerate() {
        let alias_path = path.index(index);
        errors.append(validate_ip(&alias_path.child("ip"), &alias.ip));
        let hostnames_path = alias_path.child("hostnames");
        for (host_index, hostname) in alias.hostnames.iter().enumerate() {
            errors.append(validate_dns1123_subdomain(hostname, &hostnames_path.index(host_index)));
        }
    }
    errors
}

/// Resource claims containers can use: uniquely named (DNS labels), each naming exactly one of a
/// claim or a claim template.
fn validate_pod_resource_claims(claims: &[PodResourceClaim], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (index, claim) in claims.iter().enumerate() {
        let claim_path = path.index(index);
        let name_path = claim_path.child("name");
        if claim.name.is_empty() {
            errors.push(FieldError::required(&name_path, ""));
        } else if names.contains(claim.name.as_str()) {
            errors.push(FieldError::duplicate(&name_path, &claim.name));
        } else {
            errors.append(validate_dns1123_label(&claim.name, &name_path));
            names.insert(&claim.name);
        }
        match (&claim.resource_claim_name, &claim.resource_claim_template_name) {
            (Some(_), Some(_)) => errors.push(FieldError::invalid(
                &claim_path,
                claim,
                "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified",
            )),
            (None, None) => errors.push(FieldError::invalid(
                &claim_path,
                claim,
                "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`",
            )),
            _ => {}
        }
        if let Some(name) = &claim.resource_claim_name {
            errors.append(invalid_each(
                &claim_path.child("resourceClaimName"),
                name,
                name_is_dns_subdomain(name, false),
            ));
        }
        if let Some(name) = &claim.resource_claim_template_name {
            errors.append(invalid_each(
                &claim_path.child("resourceClaimTemplateName"),
                name,
                name_is_dns_subdomain(name, false),
            ));
        }
    }
    errors
}
