//! Resource names (`cpu`, `requests.memory`, `example.com/gpu`) and their quantities, as
//! LimitRange, ResourceQuota and Node capacity use them: which names are standard for which
//! purpose, which are countable, and upstream's errors for the rest.

use super::common::{IS_NOT_INTEGER, validate_nonnegative_quantity};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use crate::labels::qualified_name_errors;
use crate::quantity::Quantity;

const HUGE_PAGES_PREFIX: &str = "hugepages-";
const REQUESTS_HUGE_PAGES_PREFIX: &str = "requests.hugepages-";
const REQUESTS_PREFIX: &str = "requests.";
const KUBERNETES_DOMAIN: &str = "kubernetes.io/";

/// Resources a container may request or be limited on.
const CONTAINER_RESOURCES: [&str; 3] = ["cpu", "memory", "ephemeral-storage"];

/// Resources the quota system tracks.
const QUOTA_RESOURCES: [&str; 19] = [
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.storage",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "persistentvolumeclaims",
    "configmaps",
    "services.nodeports",
    "services.loadbalancers",
];

/// Every resource name known without a domain prefix.
const STANDARD_RESOURCES: [&str; 20] = [
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "storage",
    "requests.storage",
    "services.nodeports",
    "services.loadbalancers",
];

/// Resources counted in whole units (object counts).
const INTEGER_RESOURCES: [&str; 9] = [
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
];

/// Huge pages of one size (`hugepages-2Mi`).
pub fn is_huge_pages(name: &str) -> bool {
    name.starts_with(HUGE_PAGES_PREFIX)
}

fn is_quota_huge_pages(name: &str) -> bool {
    name.starts_with(HUGE_PAGES_PREFIX) || name.starts_with(REQUESTS_HUGE_PAGES_PREFIX)
}

/// A resource of Kubernetes itself: unprefixed, or in a `kubernetes.io/` domain.
pub fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains(KUBERNETES_DOMAIN)
}

/// A device-plugin style resource (`example.com/gpu`): prefixed outside `kubernetes.io`, not
/// `requests.`-prefixed, and still a qualified name once quota prefixes it with `requests.`.
pub fn is_extended(name: &str) -> bool {
    !is_native(name)
        && !name.starts_with(REQUESTS_PREFIX)
        && qualified_name_errors(&format!("{REQUESTS_PREFIX}{name}")).is_empty()
}

/// Whether requests may be below limits for this resource (not for huge pages or extended
/// resources, whose request must equal the limit).
pub fn is_overcommit_allowed(name: &str) -> bool {
    is_native(name) && !is_huge_pages(name)
}

/// Whether a container may request or be limited on this unprefixed resource.
pub fn is_standard_container_resource(name: &str) -> bool {
    CONTAINER_RESOURCES.contains(&name) || is_huge_pages(name)
}

/// Whether quota tracks this unprefixed resource.
pub fn is_standard_quota_resource(name: &str) -> bool {
    QUOTA_RESOURCES.contains(&name) || is_quota_huge_pages(name)
}

/// Whether this unprefixed resource is known at all.
pub fn is_standard_resource(name: &str) -> bool {
    STANDARD_RESOURCES.contains(&name) || is_quota_huge_pages(name)
}

/// Whether quantities of this resource must be whole numbers.
pub fn is_integer_resource(name: &str) -> bool {
    INTEGER_RESOURCES.contains(&name) || is_extended(name)
}

/// A resource name: a qualified name, and standard if it has no domain prefix.
pub fn validate_resource_name(name: &str, path: &FieldPath) -> ErrorList {
    let errors: ErrorList = qualified_name_errors(name)
        .into_iter()
        .map(|message| FieldError::invalid(path, name, message))
        .collect();
    if !errors.is_empty() {
        return errors;
    }
    if !name.contains('/') && !is_standard_resource(name) {
        return FieldError::invalid(
            path,
            name,
            "must be a standard resource type or fully qualified",
        )
        .into();
    }
    errors
}

/// A resource name for containers and pods: also one containers can use, and extended names
/// well-formed.
pub fn validate_container_resource_name(name: &str, path: &FieldPath) -> ErrorList {
    let mut errors = validate_resource_name(name, path);
    if !name.contains('/') {
        if !is_standard_container_resource(name) {
            errors.push(FieldError::invalid(
                path,
                name,
                "must be a standard resource for containers",
            ));
        }
    } else if !is_native(name) && !is_extended(name) {
        errors.push(FieldError::invalid(
            path,
            name,
            "doesn't follow extended resource name standard",
        ));
    }
    errors
}

/// A resource name in a quota: also one quota can track.
pub fn validate_quota_resource_name(name: &str, path: &FieldPath) -> ErrorList {
    let mut errors = validate_resource_name(name, path);
    if !name.contains('/') && !is_standard_quota_resource(name) {
        errors.push(FieldError::invalid(path, name, "must be a standard resource for quota"));
    }
    errors
}

/// A quantity of `resource`: not negative, and whole for countable resources.
pub fn validate_resource_quantity(resource: &str, value: &Quantity, path: &FieldPath) -> ErrorList {
    let mut errors = validate_nonnegative_quantity(value, path);
    if is_integer_resource(resource) && value.milli_value() % 1000 != 0 {
        errors.push(FieldError::invalid(path, value, IS_NOT_INTEGER));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> FieldPath {
        FieldPath::new("spec").child("hard").key("x")
    }

    fn details(errors: ErrorList) -> Vec<String> {
        errors.into_iter().map(|error| error.detail).collect()
    }

    #[test]
    fn classification() {
        assert!(is_native("cpu") && is_native("kubernetes.io/foo"));
        assert!(!is_native("example.com/gpu"));
        assert!(is_extended("example.com/gpu"));
        assert!(!is_extended("requests.example.com/gpu") && !is_extended("cpu"));
        assert!(is_overcommit_allowed("memory"));
        assert!(!is_overcommit_allowed("hugepages-2Mi"));
        assert!(!is_overcommit_allowed("example.com/gpu"));
        assert!(is_integer_resource("pods") && is_integer_resource("example.com/gpu"));
        assert!(!is_integer_resource("cpu"));
        assert!(is_standard_quota_resource("requests.hugepages-1Gi"));
    }

    #[test]
    fn resource_names() {
        assert!(validate_resource_name("storage", &path()).is_empty());
        assert!(validate_resource_name("example.com/thing", &path()).is_empty());
        assert_eq!(
            details(validate_resource_name("widgets", &path())),
            ["must be a standard resource type or fully qualified"]
        );
        assert_eq!(validate_resource_name("bad name", &path()).len(), 1);
        assert_eq!(
            details(validate_container_resource_name("pods", &path())),
            ["must be a standard resource for containers"]
        );
        assert!(validate_container_resource_name("hugepages-2Mi", &path()).is_empty());
        assert!(validate_container_resource_name("example.com/gpu", &path()).is_empty());
        assert_eq!(
            details(validate_quota_resource_name("storage", &path())),
            ["must be a standard resource for quota"]
        );
        assert!(validate_quota_resource_name("count/deployments.apps", &path()).is_empty());
        assert!(validate_quota_resource_name("services.nodeports", &path()).is_empty());
    }

    #[test]
    fn quantities_of_countable_resources_are_whole() {
        let half: Quantity = "500m".parse().unwrap();
        let errors = validate_resource_quantity("pods", &half, &path());
        assert_eq!(
            errors[0].to_string(),
            r#"spec.hard[x]: Invalid value: "500m": must be an integer"#
        );
        assert!(validate_resource_quantity("cpu", &half, &path()).is_empty());
        let negative: Quantity = "-1".parse().unwrap();
        assert_eq!(
            details(validate_resource_quantity("pods", &negative, &path())),
            ["must be greater than or equal to 0"]
        );
    }
}
