//! ResourceQuota: quota-trackable resource names with non-negative (and for counts, whole)
//! quantities, known scopes that fit the limited resources and do not contradict each other, a
//! well-formed scope selector; on update, scopes that do not change.
//!
//! Resources are checked in name order (upstream walks a Go map, so its order varies).

use crate::api::core::v1::{ResourceQuota, ResourceQuotaSpec, ResourceQuotaStatus};
use crate::quantity::Quantity;
use crate::validation::common::FIELD_IMMUTABLE;
use crate::validation::meta::{validate_core_object_meta, validate_core_object_meta_update};
use crate::validation::names::name_is_dns_subdomain;
use crate::validation::resources::{
    is_standard_quota_resource, validate_quota_resource_name, validate_resource_quantity,
};
use crate::validation::{ErrorList, FieldError, FieldPath, Validate};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const SCOPE_TERMINATING: &str = "Terminating";
const SCOPE_NOT_TERMINATING: &str = "NotTerminating";
const SCOPE_BEST_EFFORT: &str = "BestEffort";
const SCOPE_NOT_BEST_EFFORT: &str = "NotBestEffort";
const SCOPE_PRIORITY_CLASS: &str = "PriorityClass";
const SCOPE_CROSS_NAMESPACE_POD_AFFINITY: &str = "CrossNamespacePodAffinity";
const SCOPE_VOLUME_ATTRIBUTES_CLASS: &str = "VolumeAttributesClass";
const STANDARD_SCOPES: [&str; 7] = [
    SCOPE_TERMINATING,
    SCOPE_NOT_TERMINATING,
    SCOPE_BEST_EFFORT,
    SCOPE_NOT_BEST_EFFORT,
    SCOPE_PRIORITY_CLASS,
    SCOPE_CROSS_NAMESPACE_POD_AFFINITY,
    SCOPE_VOLUME_ATTRIBUTES_CLASS,
];
/// Scopes that only say whether a pod matches, so their selector operator must be `Exists`.
const PRESENCE_SCOPES: [&str; 5] = [
    SCOPE_BEST_EFFORT,
    SCOPE_NOT_BEST_EFFORT,
    SCOPE_TERMINATING,
    SCOPE_NOT_TERMINATING,
    SCOPE_CROSS_NAMESPACE_POD_AFFINITY,
];
const CONFLICTING_SCOPES: [[&str; 2]; 2] =
    [[SCOPE_BEST_EFFORT, SCOPE_NOT_BEST_EFFORT], [SCOPE_TERMINATING, SCOPE_NOT_TERMINATING]];
const POD_COMPUTE_RESOURCES: [&str; 6] =
    ["cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory"];
const CLAIM_RESOURCES: [&str; 2] = ["persistentvolumeclaims", "requests.storage"];

impl Validate for ResourceQuota {
    fn validate(&self) -> ErrorList {
        let mut errors = validate_core_object_meta(
            &self.metadata,
            true,
            name_is_dns_subdomain,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_spec(&self.spec));
        errors.append(validate_status(&self.status));
        errors
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_spec(&self.spec));
        let new_scopes: BTreeSet<&String> = self.spec.scopes.iter().collect();
        let old_scopes: BTreeSet<&String> = old.spec.scopes.iter().collect();
        if new_scopes != old_scopes {
            errors.push(FieldError::invalid(
                &FieldPath::new("spec").child("scopes"),
                scopes_value(&self.spec),
                FIELD_IMMUTABLE,
            ));
        }
        errors
    }
}

/// An update through `resourcequotas/{name}/status`: the recorded hard limits and usage must be
/// valid quantities of quota resources.
pub fn validate_resource_quota_status_update(
    new: &ResourceQuota,
    old: &ResourceQuota,
) -> ErrorList {
    let mut errors =
        validate_core_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"));
    if new.metadata.resource_version.is_empty() {
        errors.push(FieldError::required(&FieldPath::new("resourceVersion"), ""));
    }
    errors.append(validate_status(&new.status));
    errors
}

fn validate_resources(resources: &BTreeMap<String, Quantity>, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    for (name, quantity) in resources {
        let resource_path = path.key(name);
        errors.append(validate_quota_resource_name(name, &resource_path));
        errors.append(validate_resource_quantity(name, quantity, &resource_path));
    }
    errors
}

fn validate_spec(spec: &ResourceQuotaSpec) -> ErrorList {
    let spec_path = FieldPath::new("spec");
    let mut errors = validate_resources(&spec.hard, &spec_path.child("hard"));
    errors.append(validate_scopes(spec, &spec_path));
    errors.append(validate_scope_selector(spec, &spec_path));
    errors
}

fn validate_status(status: &ResourceQuotaStatus) -> ErrorList {
    let status_path = FieldPath::new("status");
    let mut errors = validate_resources(&status.hard, &status_path.child("hard"));
    errors.append(validate_resources(&status.used, &status_path.child("used")));
    errors
}

/// The scopes as upstream shows them in messages: a JSON list, or `null` when there are none.
fn scopes_value(spec: &ResourceQuotaSpec) -> Value {
    if spec.scopes.is_empty() { Value::Null } else { json!(spec.scopes) }
}

/// Whether quota under `scope` can count `resource`.
fn scope_fits_resource(scope: &str, resource: &str) -> bool {
    match scope {
        SCOPE_TERMINATING
        | SCOPE_NOT_TERMINATING
        | SCOPE_NOT_BEST_EFFORT
        | SCOPE_PRIORITY_CLASS
        | SCOPE_CROSS_NAMESPACE_POD_AFFINITY => {
            resource == "pods" || POD_COMPUTE_RESOURCES.contains(&resource)
        }
        SCOPE_BEST_EFFORT => resource == "pods",
        SCOPE_VOLUME_ATTRIBUTES_CLASS => CLAIM_RESOURCES.contains(&resource),
        _ => true,
    }
}

/// The standard hard limits that quota under `scope` cannot count; upstream reports one error
/// per such limit.
fn hard_limits_outside_scope<'a>(
    scope: &str,
    spec: &'a ResourceQuotaSpec,
) -> impl Iterator<Item = &'a String> {
    spec.hard.keys().filter(move |resource| {
        is_standard_quota_resource(resource) && !scope_fits_resource(scope, resource)
    })
}

fn validate_scopes(spec: &ResourceQuotaSpec, spec_path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    if spec.scopes.is_empty() {
        return errors;
    }
    let path = spec_path.child("scopes");
    for scope in &spec.scopes {
        if !STANDARD_SCOPES.contains(&scope.as_str()) {
            errors.push(FieldError::invalid(&path, scopes_value(spec), "unsupported scope"));
        }
        for _ in hard_limits_outside_scope(scope, spec) {
            errors.push(FieldError::invalid(
                &path,
                scopes_value(spec),
                "unsupported scope applied to resource",
            ));
        }
    }
    let present: BTreeSet<&str> = spec.scopes.iter().map(String::as_str).collect();
    for pair in CONFLICTING_SCOPES {
        if pair.iter().all(|scope| present.contains(scope)) {
            errors.push(FieldError::invalid(&path, scopes_value(spec), "conflicting scopes"));
        }
    }
    errors
}

fn validate_scope_selector(spec: &ResourceQuotaSpec, spec_path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let Some(selector) = &spec.scope_selector else {
        return errors;
    };
    // Upstream reports every expression at the list path, without an index.
    let path = spec_path.child("scopeSelector").child("matchExpressions");
    // Shown as upstream's internal ScopeSelector, with Go's field names.
    let selector_value = json!({
        "MatchExpressions": selector.match_expressions.iter().map(|requirement| json!({
            "ScopeName": requirement.scope_name,
            "Operator": requirement.operator,
            "Values": if requirement.values.is_empty() { Value::Null } else { json!(requirement.values) },
        })).collect::<Vec<_>>(),
    });
    let mut present = BTreeSet::new();
    for requirement in &selector.match_expressions {
        let scope = requirement.scope_name.as_str();
        if !STANDARD_SCOPES.contains(&scope) {
            errors.push(FieldError::invalid(&path.child("scopeName"), scope, "unsupported scope"));
        }
        for _ in hard_limits_outside_scope(scope, spec) {
            errors.push(FieldError::invalid(
                &path,
                &selector_value,
                "unsupported scope applied to resource",
            ));
        }
        let operator = requirement.operator.as_str();
        if PRESENCE_SCOPES.contains(&scope) && operator != "Exists" {
            errors.push(FieldError::invalid(
                &path.child("operator"),
                operator,
                "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
            ));
        }
        match operator {
            "In" | "NotIn" => {
                if requirement.values.is_empty() {
                    errors.push(FieldError::required(
                        &path.child("values"),
                        "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
                    ));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !requirement.values.is_empty() {
                    errors.push(FieldError::invalid(
                        &path.child("values"),
                        &requirement.values,
                        "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
                    ));
                }
            }
            _ => errors.push(FieldError::invalid(
                &path.child("operator"),
                operator,
                "not a valid selector operator",
            )),
        }
        present.insert(scope);
    }
    for pair in CONFLICTING_SCOPES {
        if pair.iter().all(|scope| present.contains(scope)) {
            // Upstream shows `spec.scopes` here, not the selector.
            errors.push(FieldError::invalid(&path, scopes_value(spec), "conflicting scopes"));
        }
    }
    errors
}
