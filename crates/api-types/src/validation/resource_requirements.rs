//! Compute resources: which resource names a container (or a pod, through `overhead`) may ask
//! for, which quantities are acceptable, and how requests relate to limits. The scheduler packs
//! by requests and the kubelet enforces limits, so a request above its limit, a fractional count
//! of a countable resource or an unknown unprefixed name must never be stored.

use super::common::validate_dns1123_label;
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::resources::{
    is_huge_pages, is_overcommit_allowed, validate_container_resource_name,
    validate_resource_quantity,
};
use crate::api::core::v1::{ResourceClaim, ResourceRequirements};
use crate::quantity::Quantity;
use std::collections::{BTreeMap, BTreeSet};

const HUGE_PAGES_PREFIX: &str = "hugepages-";

/// Huge pages are allocated in pages, so a quantity must be a whole number of the page size that
/// the resource name carries (`hugepages-2Mi`).
fn huge_pages_value_error(name: &str, quantity: &Quantity) -> Option<String> {
    let divisible = name
        .strip_prefix(HUGE_PAGES_PREFIX)
        .and_then(|size| Quantity::parse(size).ok())
        .filter(|page| page.signum() > 0 && page.milli_value() % 1000 == 0)
        .is_some_and(|page| quantity.value() % page.value() == 0);
    (!divisible).then(|| format!("{quantity} is not positive integer multiple of {name}"))
}

/// A container's requests, limits and claims. `pod_claim_names` are the names declared in the
/// pod's `resourceClaims`, which `claims` may refer to.
pub(crate) fn validate_resource_requirements(
    requirements: &ResourceRequirements,
    pod_claim_names: &BTreeSet<&str>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = validate_resource_lists(&requirements.limits, &requirements.requests, path);
    errors.append(validate_resource_claim_names(
        &requirements.claims,
        pod_claim_names,
        &path.child("claims"),
    ));
    errors
}

/// Requests and limits of compute resources (also a pod's `overhead`, checked as limits).
pub(crate) fn validate_resource_lists(
    limits: &BTreeMap<String, Quantity>,
    requests: &BTreeMap<String, Quantity>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let limits_path = path.child("limits");
    let requests_path = path.child("requests");
    let is_qos_resource = |name: &str| name == "cpu" || name == "memory";
    let mut has_cpu_or_memory = false;
    let mut has_huge_pages = false;
    for (name, quantity) in limits {
        let entry_path = limits_path.key(name);
        errors.append(validate_container_resource_name(name, &entry_path));
        errors.append(validate_resource_quantity(name, quantity, &entry_path));
        if is_huge_pages(name) {
            has_huge_pages = true;
            if let Some(message) = huge_pages_value_error(name, quantity) {
                errors.push(FieldError::invalid(&entry_path, quantity.to_string(), message));
            }
        }
        has_cpu_or_memory |= is_qos_resource(name);
    }
    for (name, quantity) in requests {
        let entry_path = requests_path.key(name);
        errors.append(validate_container_resource_name(name, &entry_path));
        errors.append(validate_resource_quantity(name, quantity, &entry_path));
        match limits.get(name) {
            Some(limit) if quantity != limit && !is_overcommit_allowed(name) => {
                errors.push(FieldError::invalid(
                    &requests_path,
                    quantity.to_string(),
                    format!("must be equal to {name} limit of {limit}"),
                ));
            }
            Some(limit) if quantity > limit => {
                errors.push(FieldError::invalid(
                    &requests_path,
                    quantity.to_string(),
                    format!("must be less than or equal to {name} limit of {limit}"),
                ));
            }
            Some(_) => {}
            None if !is_overcommit_allowed(name) => errors.push(FieldError::required(
                &limits_path,
                "Limit must be set for non overcommitable resources",
            )),
            None => {}
        }
        if is_huge_pages(name) {
            has_huge_pages = true;
            if let Some(message) = huge_pages_value_error(name, quantity) {
                errors.push(FieldError::invalid(&entry_path, quantity.to_string(), message));
            }
        }
        has_cpu_or_memory |= is_qos_resource(name);
    }
    if has_huge_pages && !has_cpu_or_memory {
        errors.push(FieldError::forbidden(path, "HugePages require cpu or memory"));
    }
    errors
}

/// Each claim a container uses must be declared by the pod, once per claim or claim request.
fn validate_resource_claim_names(
    claims: &[ResourceClaim],
    pod_claim_names: &BTreeSet<&str>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (index, claim) in claims.iter().enumerate() {
        let entry_path = path.index(index);
        if claim.name.is_empty() {
            errors.push(FieldError::required(&entry_path, ""));
            continue;
        }
        if seen.contains(&claim.name) {
            errors.push(FieldError::duplicate(&entry_path, &claim.name));
        } else {
            let mut key = claim.name.clone();
            if !claim.request.is_empty() {
                errors.append(validate_dns1123_label(&claim.request, &entry_path.child("request")));
                key = format!("{}/{}", claim.name, claim.request);
            }
            if seen.contains(&key) {
                errors.push(FieldError::duplicate(&entry_path, &key));
            } else if claim.request.is_empty() {
                let whole_claim_prefix = format!("{}/", claim.name);
                for _ in seen.iter().filter(|seen| seen.starts_with(&whole_claim_prefix)) {
                    errors.push(FieldError::duplicate(&entry_path, &claim.name));
                }
            }
            seen.insert(key);
        }
        if !pod_claim_names.contains(claim.name.as_str()) {
            let mut error = FieldError::not_found(&entry_path, &claim.name);
            error.detail = if pod_claim_names.is_empty() {
                "must be one of the names in pod.spec.resourceClaims which is empty".to_string()
            } else {
                let names: Vec<&str> = pod_claim_names.iter().copied().collect();
                format!("must be one of the names in pod.spec.resourceClaims: {}", names.join(", "))
            };
            errors.push(error);
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::ErrorType;

    fn resources_path() -> FieldPath {
        FieldPath::new("spec").child("containers").index(0).child("resources")
    }

    fn list(entries: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
        entries.iter().map(|(name, value)| (name.to_string(), value.parse().unwrap())).collect()
    }

    fn requirements(limits: &[(&str, &str)], requests: &[(&str, &str)]) -> ResourceRequirements {
        ResourceRequirements { limits: list(limits), requests: list(requests), claims: Vec::new() }
    }

    fn check(requirements: &ResourceRequirements) -> ErrorList {
        validate_resource_requirements(requirements, &BTreeSet::new(), &resources_path())
    }

    #[test]
    fn requests_within_limits_pass() {
        let ok = requirements(
            &[("cpu", "1"), ("memory", "1Gi")],
            &[("cpu", "500m"), ("memory", "512Mi")],
        );
        assert!(check(&ok).is_empty());
    }

    #[test]
    fn request_above_limit_is_reported_at_requests() {
        let errors = check(&requirements(&[("cpu", "500m")], &[("cpu", "1")]));
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            r#"spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m"#
        );
    }

    #[test]
    fn negative_quantities_are_invalid() {
        let errors = check(&requirements(&[("memory", "-1Gi")], &[]));
        assert_eq!(errors[0].field, "spec.containers[0].resources.limits[memory]");
        assert_eq!(errors[0].detail, "must be greater than or equal to 0");
    }

    #[test]
    fn unknown_unprefixed_names_are_rejected() {
        let errors = check(&requirements(&[], &[("gpu", "1")]));
        let details: Vec<&str> = errors.iter().map(|error| error.detail.as_str()).collect();
        assert_eq!(
            details,
            [
                "must be a standard resource type or fully qualified",
                "must be a standard resource for containers",
            ]
        );
        assert_eq!(errors[0].field, "spec.containers[0].resources.requests[gpu]");
        let quota_name = check(&requirements(&[("pods", "1")], &[]));
        assert_eq!(quota_name[0].detail, "must be a standard resource for containers");
    }

    #[test]
    fn extended_resources_are_whole_and_not_overcommitted() {
        let fractional = check(&requirements(&[("example.com/gpu", "500m")], &[]));
        assert_eq!(fractional[0].detail, "must be an integer");
        let below_limit =
            check(&requirements(&[("example.com/gpu", "2")], &[("example.com/gpu", "1")]));
        assert_eq!(below_limit[0].detail, "must be equal to example.com/gpu limit of 2");
        let no_limit = check(&requirements(&[], &[("example.com/gpu", "1")]));
        assert_eq!(no_limit[0].kind, ErrorType::Required);
        assert_eq!(no_limit[0].field, "spec.containers[0].resources.limits");
    }

    #[test]
    fn huge_pages_need_whole_pages_and_cpu_or_memory() {
        let errors = check(&requirements(&[("hugepages-2Mi", "3Mi")], &[]));
        let details: Vec<&str> = errors.iter().map(|error| error.detail.as_str()).collect();
        assert_eq!(
            details,
            [
                "3Mi is not positive integer multiple of hugepages-2Mi",
                "HugePages require cpu or memory",
            ]
        );
        assert_eq!(errors[1].kind, ErrorType::Forbidden);
    }

    #[test]
    fn claims_must_be_declared_by_the_pod() {
        let mut with_claims = requirements(&[], &[]);
        with_claims.claims = vec![
            ResourceClaim { name: "gpu".into(), request: String::new() },
            ResourceClaim { name: "gpu".into(), request: String::new() },
        ];
        let declared = BTreeSet::from(["gpu"]);
        let errors = validate_resource_requirements(&with_claims, &declared, &resources_path());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, ErrorType::Duplicate);
        let undeclared =
            validate_resource_requirements(&with_claims, &BTreeSet::new(), &resources_path());
        assert_eq!(undeclared[0].kind, ErrorType::NotFound);
        assert_eq!(
            undeclared[0].detail,
            "must be one of the names in pod.spec.resourceClaims which is empty"
        );
    }
}
