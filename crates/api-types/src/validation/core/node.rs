//! Node: taints, pod CIDRs, resource quantities in status, the legacy config source; and on
//! update, the fields that are set once (pod CIDRs, provider ID, external ID).
//!
//! The legacy alpha annotations that carried taints and "prefer avoid pods" as JSON are not
//! interpreted.

use crate::api::core::v1::{ConfigMapNodeConfigSource, Node, NodeConfigSource, Taint};
use crate::labels::label_value_errors;
use crate::validation::common::validate_qualified_name;
use crate::validation::meta::{validate_core_object_meta, validate_core_object_meta_update};
use crate::validation::names::{config_map_key_errors, name_is_dns_label, name_is_dns_subdomain};
use crate::validation::network::{is_dual_stack, parse_cidr, validate_cidr};
use crate::validation::resources::validate_resource_quantity;
use crate::validation::{ErrorList, FieldError, FieldPath, Validate};
use serde_json::json;
use std::collections::BTreeSet;

const TAINT_EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
const POD_CIDR_CHANGE: &str = "node updates may not change podCIDR except from \"\" to valid";

impl Validate for Node {
    fn validate(&self) -> ErrorList {
        let meta_path = FieldPath::new("metadata");
        let mut errors =
            validate_core_object_meta(&self.metadata, false, name_is_dns_subdomain, &meta_path);
        // Upstream reports taints under `metadata`, not `spec`.
        errors.append(validate_taints(&self.spec.taints, &meta_path.child("taints")));
        errors.append(validate_node_resources(self));
        errors.append(validate_pod_cidrs(&pod_cidrs(self)));
        errors
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let meta_path = FieldPath::new("metadata");
        let mut errors =
            validate_core_object_meta_update(&self.metadata, &old.metadata, &meta_path);
        errors.append(validate_node_resources(self));

        let addresses_path = FieldPath::new("status").child("addresses");
        let mut seen = BTreeSet::new();
        for (index, address) in self.status.addresses.iter().enumerate() {
            if !seen.insert((&address.type_, &address.address)) {
                // Shown as upstream's internal NodeAddress, with Go's field names.
                errors.push(FieldError::duplicate(
                    &addresses_path.index(index),
                    json!({"Type": address.type_, "Address": address.address}),
                ));
            }
        }

        // A controller may assign pod CIDRs to a node that has none; after that they are fixed.
        let (new_cidrs, old_cidrs) = (pod_cidrs(self), pod_cidrs(old));
        let cidrs_path = FieldPath::new("spec").child("podCIDRs");
        if !old_cidrs.is_empty() {
            if old_cidrs.len() != new_cidrs.len() {
                errors.push(FieldError::forbidden(&cidrs_path, POD_CIDR_CHANGE));
            } else {
                for (old_cidr, new_cidr) in old_cidrs.iter().zip(&new_cidrs) {
                    if old_cidr != new_cidr {
                        errors.push(FieldError::forbidden(&cidrs_path, POD_CIDR_CHANGE));
                    }
                }
            }
        }
        if !old.spec.provider_id.is_empty() && old.spec.provider_id != self.spec.provider_id {
            errors.push(FieldError::forbidden(
                &FieldPath::new("spec").child("providerID"),
                "node updates may not change providerID except from \"\" to valid",
            ));
        }
        if let Some(source) = &self.spec.config_source {
            errors.append(validate_config_source(
                source,
                ConfigSourceUse::Spec,
                &FieldPath::new("spec").child("configSource"),
            ));
        }
        if let Some(config) = &self.status.config {
            let config_path = FieldPath::new("status").child("config");
            for (source, name) in [
                (&config.assigned, "assigned"),
                (&config.active, "active"),
                (&config.last_known_good, "lastKnownGood"),
            ] {
                if let Some(source) = source {
                    errors.append(validate_config_source(
                        source,
                        ConfigSourceUse::Status,
                        &config_path.child(name),
                    ));
                }
            }
        }
        errors.append(validate_taints(&self.spec.taints, &meta_path.child("taints")));
        if self.spec.external_id != old.spec.external_id {
            errors.push(FieldError::forbidden(
                &FieldPath::new("spec").child("externalID"),
                "may not be updated",
            ));
        }
        errors
    }
}

/// The node's pod CIDRs as the API server sees them: `podCIDRs`, or the single legacy `podCIDR`
/// when only that is set.
fn pod_cidrs(node: &Node) -> Vec<String> {
    if node.spec.pod_cidrs.is_empty() && !node.spec.pod_cidr.is_empty() {
        vec![node.spec.pod_cidr.clone()]
    } else {
        node.spec.pod_cidrs.clone()
    }
}

/// Taints: a label-key key, a label-value value, a known effect, and unique by key and effect.
pub(crate) fn validate_taints(taints: &[Taint], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut seen = BTreeSet::new();
    for (index, taint) in taints.iter().enumerate() {
        let taint_path = path.index(index);
        errors.append(validate_qualified_name(&taint.key, &taint_path.child("key")));
        let value_errors = label_value_errors(&taint.value);
        if !value_errors.is_empty() {
            errors.push(FieldError::invalid(
                &taint_path.child("value"),
                &taint.value,
                value_errors.join(";"),
            ));
        }
        errors.append(validate_taint_effect(&taint.effect, &taint_path.child("effect")));
        if !seen.insert((taint.effect.as_str(), taint.key.as_str())) {
            // Shown as upstream's internal Taint, with Go's field names.
            let mut duplicate = FieldError::duplicate(
                &taint_path,
                json!({
                    "Key": taint.key,
                    "Value": taint.value,
                    "Effect": taint.effect,
                    "TimeAdded": taint.time_added,
                }),
            );
            duplicate.detail = "taints must be unique by key and effect pair".to_string();
            errors.push(duplicate);
        }
    }
    errors
}

fn validate_taint_effect(effect: &str, path: &FieldPath) -> ErrorList {
    if effect.is_empty() {
        FieldError::required(path, "").into()
    } else if !TAINT_EFFECTS.contains(&effect) {
        FieldError::not_supported(path, effect, &TAINT_EFFECTS).into()
    } else {
        ErrorList::new()
    }
}

/// Capacity and allocatable quantities, reported at `status.capacity.<name>` as upstream does.
fn validate_node_resources(node: &Node) -> ErrorList {
    let mut errors = ErrorList::new();
    let status_path = FieldPath::new("status");
    for (name, resources) in
        [("capacity", &node.status.capacity), ("allocatable", &node.status.allocatable)]
    {
        for (resource, quantity) in resources {
            errors.append(validate_resource_quantity(
                resource,
                quantity,
                &status_path.child(name).child(resource),
            ));
        }
    }
    errors
}

/// Each CIDR valid; more than one only as one IPv4 and one IPv6 range, without repeats.
fn validate_pod_cidrs(cidrs: &[String]) -> ErrorList {
    let mut errors = ErrorList::new();
    if cidrs.is_empty() {
        return errors;
    }
    let path = FieldPath::new("spec").child("podCIDRs");
    for (index, cidr) in cidrs.iter().enumerate() {
        errors.append(validate_cidr(&path.index(index), cidr));
    }
    if cidrs.len() > 1 {
        let mut parsed = Vec::with_capacity(cidrs.len());
        for cidr in cidrs {
            match parse_cidr(cidr) {
                Some(parsed_cidr) => parsed.push(parsed_cidr.address),
                None => {
                    errors.push(FieldError::internal(
                        &path,
                        format!(
                            "invalid PodCIDRs. failed to check with dual stack with error:failed to parse cidr value:{} with error:invalid CIDR address: {cidr}",
                            crate::go_fmt::quote(cidr)
                        ),
                    ));
                    parsed.clear();
                    break;
                }
            }
        }
        if !is_dual_stack(&parsed) || cidrs.len() > 2 {
            errors.push(FieldError::invalid(
                &path,
                cidrs,
                "may specify no more than one CIDR for each IP family",
            ));
        }
        let mut seen = BTreeSet::new();
        for (index, cidr) in cidrs.iter().enumerate() {
            if !seen.insert(cidr) {
                errors.push(FieldError::duplicate(&path.index(index), cidr));
            }
        }
    }
    errors
}

/// A format rule for one field of a config source reference.
type NameCheck = fn(&str) -> Vec<String>;

/// Where a config source appears: in the spec it must not carry the uid and resourceVersion of
/// the ConfigMap, in the status it must.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ConfigSourceUse {
    Spec,
    Status,
}

fn validate_config_source(
    source: &NodeConfigSource,
    usage: ConfigSourceUse,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    match &source.config_map {
        Some(config_map) => {
            errors.append(validate_config_map_source(config_map, usage, &path.child("configMap")));
        }
        None => errors.push(FieldError::invalid(
            path,
            json!({"ConfigMap": null}),
            "exactly one reference subfield must be non-nil",
        )),
    }
    errors
}

fn validate_config_map_source(
    source: &ConfigMapNodeConfigSource,
    usage: ConfigSourceUse,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    match usage {
        ConfigSourceUse::Spec => {
            if !source.uid.is_empty() {
                errors
                    .push(FieldError::forbidden(&path.child("uid"), "uid must not be set in spec"));
            }
            if !source.resource_version.is_empty() {
                errors.push(FieldError::forbidden(
                    &path.child("resourceVersion"),
                    "resourceVersion must not be set in spec",
                ));
            }
        }
        ConfigSourceUse::Status => {
            if source.uid.is_empty() {
                errors.push(FieldError::required(&path.child("uid"), "uid must be set in status"));
            }
            if source.resource_version.is_empty() {
                errors.push(FieldError::required(
                    &path.child("resourceVersion"),
                    "resourceVersion must be set in status",
                ));
            }
        }
    }
    let checks: [(&str, &str, NameCheck); 3] = [
        ("namespace", &source.namespace, |name| name_is_dns_label(name, false)),
        ("name", &source.name, |name| name_is_dns_subdomain(name, false)),
        ("kubeletConfigKey", &source.kubelet_config_key, config_map_key_errors),
    ];
    for (field, value, rule) in checks {
        let field_path = path.child(field);
        if value.is_empty() {
            errors.push(FieldError::required(&field_path, format!("{field} must be set")));
        } else {
            for message in rule(value) {
                errors.push(FieldError::invalid(&field_path, value, message));
            }
        }
    }
    errors
}
