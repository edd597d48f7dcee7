//! A pod's quality-of-service class, fixed at creation in `status.qosClass`: the kubelet sizes
//! cgroups and orders evictions by it, and `kubectl describe` shows it.

use api_types::Quantity;
use api_types::api::core::v1::{Pod, ResourceRequirements};
use std::collections::{BTreeMap, BTreeSet};

/// Every container's CPU and memory requests equal its limits.
pub const GUARANTEED: &str = "Guaranteed";
/// Some request or limit is set, but not as Guaranteed requires.
pub const BURSTABLE: &str = "Burstable";
/// No container sets a CPU or memory request or limit.
pub const BEST_EFFORT: &str = "BestEffort";

/// Only these resources decide the class.
const QOS_RESOURCES: [&str; 2] = ["cpu", "memory"];

/// Upstream's `ComputePodQOS`, on a defaulted pod (requests default to limits). Pod-level
/// `spec.resources`, when they name CPU or memory, decide alone; otherwise the regular and init
/// containers do (ephemeral containers cannot set resources). Guaranteed needs CPU and memory
/// limits everywhere and summed requests equal to summed limits.
pub fn compute_qos_class(pod: &Pod) -> &'static str {
    let mut requests = BTreeMap::new();
    let mut limits = BTreeMap::new();
    let mut limits_everywhere = true;
    let pod_level = pod.spec.resources.as_ref().filter(|resources| sets_qos_resources(resources));
    let sources: Vec<&ResourceRequirements> = match pod_level {
        Some(resources) => vec![resources],
        None => {
            let containers = pod.spec.containers.iter().chain(&pod.spec.init_containers);
            containers.map(|container| &container.resources).collect()
        }
    };
    for resources in sources {
        add_positive(&mut requests, &resources.requests);
        let limited = add_positive(&mut limits, &resources.limits);
        // A pod-level limit list that is empty does not count against Guaranteed.
        let checked = pod_level.is_none() || !resources.limits.is_empty();
        if checked && !QOS_RESOURCES.iter().all(|name| limited.contains(name)) {
            limits_everywhere = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return BEST_EFFORT;
    }
    let requests_match = requests.iter().all(|(name, request)| limits.get(name) == Some(request));
    if limits_everywhere && requests_match && requests.len() == limits.len() {
        GUARANTEED
    } else {
        BURSTABLE
    }
}

/// Whether pod-level resources name CPU or memory, which makes them decide the class.
fn sets_qos_resources(resources: &ResourceRequirements) -> bool {
    resources.requests.keys().chain(resources.limits.keys()).any(|name| is_qos_resource(name))
}

fn is_qos_resource(name: &str) -> bool {
    QOS_RESOURCES.contains(&name)
}

/// Adds the positive CPU and memory quantities of `list` to `totals`, returning their names.
fn add_positive<'a>(
    totals: &mut BTreeMap<&'a str, Quantity>,
    list: &'a BTreeMap<String, Quantity>,
) -> BTreeSet<&'a str> {
    let zero = Quantity::default();
    let mut found = BTreeSet::new();
    for (name, quantity) in list {
        if is_qos_resource(name) && *quantity > zero {
            found.insert(name.as_str());
            *totals.entry(name.as_str()).or_default() += quantity;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::api::core::v1::{Container, PodSpec};

    fn resources(requests: &[(&str, &str)], limits: &[(&str, &str)]) -> ResourceRequirements {
        let list = |entries: &[(&str, &str)]| {
            entries.iter().map(|(name, value)| (name.to_string(), value.parse().unwrap())).collect()
        };
        ResourceRequirements {
            requests: list(requests),
            limits: list(limits),
            ..Default::default()
        }
    }

    fn pod(containers: Vec<ResourceRequirements>) -> Pod {
        let containers = containers
            .into_iter()
            .enumerate()
            .map(|(index, resources)| Container {
                name: format!("c{index}"),
                resources,
                ..Default::default()
            })
            .collect();
        Pod { spec: PodSpec { containers, ..Default::default() }, ..Default::default() }
    }

    #[test]
    fn no_requests_or_limits_is_best_effort() {
        assert_eq!(compute_qos_class(&pod(vec![ResourceRequirements::default()])), BEST_EFFORT);
        let zero_and_other = resources(&[("cpu", "0")], &[("nvidia.com/gpu", "1")]);
        assert_eq!(compute_qos_class(&pod(vec![zero_and_other])), BEST_EFFORT);
    }

    #[test]
    fn equal_cpu_and_memory_everywhere_is_guaranteed() {
        let exact = resources(
            &[("cpu", "500m"), ("memory", "1Gi")],
            &[("cpu", "0.5"), ("memory", "1024Mi")],
        );
        assert_eq!(compute_qos_class(&pod(vec![exact.clone(), exact.clone()])), GUARANTEED);
    }

    #[test]
    fn partial_or_unequal_settings_are_burstable() {
        // Undefaulted, limits alone are Burstable; prepare_for_create therefore classifies the
        // defaulted pod, whose requests were copied from the limits.
        let limits_only = resources(&[], &[("cpu", "1"), ("memory", "64Mi")]);
        assert_eq!(compute_qos_class(&pod(vec![limits_only])), BURSTABLE);
        let cpu_only = resources(&[("cpu", "1")], &[("cpu", "1")]);
        assert_eq!(compute_qos_class(&pod(vec![cpu_only])), BURSTABLE);
        let lower_request =
            resources(&[("cpu", "1"), ("memory", "1Gi")], &[("cpu", "2"), ("memory", "1Gi")]);
        assert_eq!(compute_qos_class(&pod(vec![lower_request])), BURSTABLE);
        let exact =
            resources(&[("cpu", "1"), ("memory", "1Gi")], &[("cpu", "1"), ("memory", "1Gi")]);
        let bare = ResourceRequirements::default();
        assert_eq!(compute_qos_class(&pod(vec![exact, bare])), BURSTABLE);
    }

    #[test]
    fn init_containers_count() {
        let exact =
            resources(&[("cpu", "1"), ("memory", "1Gi")], &[("cpu", "1"), ("memory", "1Gi")]);
        let mut guaranteed = pod(vec![exact]);
        guaranteed.spec.init_containers = vec![Container {
            name: "init".into(),
            resources: resources(&[("memory", "1Gi")], &[]),
            ..Default::default()
        }];
        assert_eq!(compute_qos_class(&guaranteed), BURSTABLE);
    }

    #[test]
    fn pod_level_resources_decide_alone() {
        let mut with_pod_level = pod(vec![ResourceRequirements::default()]);
        with_pod_level.spec.resources =
            Some(resources(&[("cpu", "1"), ("memory", "1Gi")], &[("cpu", "1"), ("memory", "1Gi")]));
        assert_eq!(compute_qos_class(&with_pod_level), GUARANTEED);
        with_pod_level.spec.resources = Some(resources(&[("cpu", "1")], &[]));
        assert_eq!(compute_qos_class(&with_pod_level), BURSTABLE);
        // Pod-level resources without CPU or memory leave the decision to the containers.
        with_pod_level.spec.resources = Some(resources(&[("hugepages-2Mi", "2Mi")], &[]));
        assert_eq!(compute_qos_class(&with_pod_level), BEST_EFFORT);
    }
}
