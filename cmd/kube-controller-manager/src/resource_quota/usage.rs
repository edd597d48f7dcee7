//! What a namespace uses of the resources a ResourceQuota limits (book 5.x quota; upstream's
//! quota evaluators): object counts, node ports and load balancers, and the CPU and memory that
//! its pods request and are limited to.
//!
//! A pod counts while it is not finished. Its compute usage is upstream's effective request:
//! the sum over its containers, or the largest init container if that is larger, plus the pod's
//! overhead. Quota scopes narrow which pods count (`Terminating`, `NotTerminating`,
//! `BestEffort`, `NotBestEffort`).

use api_types::api::core::v1::{Pod, Service};
use api_types::quantity::{Format, Quantity};
use std::collections::BTreeMap;

/// The objects of one namespace a quota is judged against.
#[derive(Clone, Debug, Default)]
pub struct NamespaceObjects<'a> {
    pub pods: &'a [Pod],
    pub services: &'a [Service],
    /// How many objects of other kinds exist, by quota resource name (`secrets`,
    /// `configmaps`, `replicationcontrollers`, `resourcequotas`, `persistentvolumeclaims`, and
    /// `count/<plural>[.<group>]` for any kind).
    pub counts: BTreeMap<String, usize>,
}

/// The usage of every resource named in `hard`, for the pods the `scopes` select.
pub fn usage(
    hard: &BTreeMap<String, Quantity>,
    scopes: &[String],
    objects: &NamespaceObjects<'_>,
) -> BTreeMap<String, Quantity> {
    let pods: Vec<&Pod> = objects
        .pods
        .iter()
        .filter(|pod| counts_toward_quota(pod) && in_scopes(pod, scopes))
        .collect();
    hard.keys().map(|resource| (resource.clone(), usage_of(resource, &pods, objects))).collect()
}

/// The usage of one resource.
fn usage_of(resource: &str, pods: &[&Pod], objects: &NamespaceObjects<'_>) -> Quantity {
    let count =
        |n: usize| Quantity::from_int(i64::try_from(n).unwrap_or(i64::MAX), Format::DecimalSI);
    match resource {
        "pods" | "count/pods" => count(pods.len()),
        "services" | "count/services" => count(objects.services.len()),
        "services.nodeports" => count(
            objects
                .services
                .iter()
                .filter(|service| {
                    matches!(service.spec.type_.as_str(), "NodePort" | "LoadBalancer")
                })
                .map(|service| service.spec.ports.iter().filter(|port| port.node_port != 0).count())
                .sum(),
        ),
        "services.loadbalancers" => count(
            objects.services.iter().filter(|service| service.spec.type_ == "LoadBalancer").count(),
        ),
        "cpu" | "requests.cpu" => sum_pods(pods, "cpu", Requirement::Requests),
        "memory" | "requests.memory" => sum_pods(pods, "memory", Requirement::Requests),
        "ephemeral-storage" | "requests.ephemeral-storage" => {
            sum_pods(pods, "ephemeral-storage", Requirement::Requests)
        }
        "limits.cpu" => sum_pods(pods, "cpu", Requirement::Limits),
        "limits.memory" => sum_pods(pods, "memory", Requirement::Limits),
        "limits.ephemeral-storage" => sum_pods(pods, "ephemeral-storage", Requirement::Limits),
        other => {
            let plain = other.strip_prefix("count/").unwrap_or(other);
            count(
                objects
                    .counts
                    .get(plain)
                    .or_else(|| objects.counts.get(other))
                    .copied()
                    .unwrap_or(0),
            )
        }
    }
}

/// Requests or limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Requirement {
    Requests,
    Limits,
}

/// The pods' effective total of `resource`.
fn sum_pods(pods: &[&Pod], resource: &str, requirement: Requirement) -> Quantity {
    pods.iter().fold(Quantity::from_int(0, Format::DecimalSI), |total, pod| {
        total + pod_amount(pod, resource, requirement)
    })
}

/// One pod's effective `resource`: its containers' sum or its largest init container, plus
/// overhead.
fn pod_amount(pod: &Pod, resource: &str, requirement: Requirement) -> Quantity {
    let amount_of = |container: &api_types::api::core::v1::Container| {
        let map = match requirement {
            Requirement::Requests => &container.resources.requests,
            Requirement::Limits => &container.resources.limits,
        };
        map.get(resource).cloned()
    };
    let zero = Quantity::from_int(0, Format::DecimalSI);
    let containers =
        pod.spec.containers.iter().filter_map(amount_of).fold(zero.clone(), |total, q| total + q);
    let largest_init = pod.spec.init_containers.iter().filter_map(amount_of).max().unwrap_or(zero);
    let effective = containers.max(largest_init);
    match pod.spec.overhead.get(resource) {
        Some(overhead) if !effective.is_zero() || requirement == Requirement::Requests => {
            effective + overhead.clone()
        }
        _ => effective,
    }
}

/// Whether a pod still uses quota: finished pods release theirs.
fn counts_toward_quota(pod: &Pod) -> bool {
    !matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
}

/// Whether the pod falls in every scope (upstream's scope matchers).
fn in_scopes(pod: &Pod, scopes: &[String]) -> bool {
    scopes.iter().all(|scope| match scope.as_str() {
        "Terminating" => pod.spec.active_deadline_seconds.is_some(),
        "NotTerminating" => pod.spec.active_deadline_seconds.is_none(),
        "BestEffort" => is_best_effort(pod),
        "NotBestEffort" => !is_best_effort(pod),
        _ => true,
    })
}

/// A pod with no requests or limits at all in any container.
fn is_best_effort(pod: &Pod) -> bool {
    pod.spec.containers.iter().chain(&pod.spec.init_containers).all(|container| {
        container.resources.requests.is_empty() && container.resources.limits.is_empty()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(resources: serde_json::Value, phase: &str) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "a", "image": "i", "resources": resources},
                                    {"name": "b", "image": "i", "resources": resources}],
                     "initContainers": [{"name": "init", "image": "i",
                                         "resources": {"requests": {"cpu": "300m"}}}]},
            "status": {"phase": phase}
        }))
        .unwrap()
    }

    fn hard(keys: &[&str]) -> BTreeMap<String, Quantity> {
        keys.iter().map(|key| (key.to_string(), Quantity::parse("100").unwrap())).collect()
    }

    #[test]
    fn pods_count_their_effective_requests_and_limits() {
        let resources = json!({"requests": {"cpu": "100m", "memory": "64Mi"},
                               "limits": {"cpu": "200m", "memory": "128Mi"}});
        let pods = [
            pod(resources.clone(), "Running"),
            pod(resources, "Succeeded"),
            pod(json!({}), "Pending"),
        ];
        let objects = NamespaceObjects { pods: &pods, ..Default::default() };
        let used = usage(
            &hard(&["pods", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]),
            &[],
            &objects,
        );
        let text: BTreeMap<_, _> = used.iter().map(|(k, v)| (k.as_str(), v.to_string())).collect();
        // Running pod: containers 200m vs init 300m → 300m; the best-effort pod's init 300m.
        assert_eq!(text["pods"], "2");
        assert_eq!(text["requests.cpu"], "600m");
        assert_eq!(text["requests.memory"], "128Mi");
        assert_eq!(text["limits.cpu"], "400m");
        assert_eq!(text["limits.memory"], "256Mi");
    }

    #[test]
    fn scopes_select_pods() {
        let mut pods =
            [pod(json!({"requests": {"cpu": "1"}}), "Running"), pod(json!({}), "Running")];
        for pod in &mut pods {
            pod.spec.init_containers.clear();
        }
        let objects = NamespaceObjects { pods: &pods, ..Default::default() };
        let best_effort = usage(&hard(&["pods"]), &["BestEffort".into()], &objects);
        assert_eq!(best_effort["pods"].to_string(), "1");
        let terminating = usage(&hard(&["pods"]), &["Terminating".into()], &objects);
        assert_eq!(terminating["pods"].to_string(), "0");
    }

    #[test]
    fn object_counts_node_ports_and_load_balancers() {
        let services: Vec<Service> = [
            json!({"spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30001},
                                                          {"port": 81, "nodePort": 30002}]}}),
            json!({"spec": {"type": "LoadBalancer", "ports": [{"port": 80, "nodePort": 30003}]}}),
            json!({"spec": {"type": "ClusterIP", "ports": [{"port": 80}]}}),
        ]
        .into_iter()
        .map(|value| serde_json::from_value(value).unwrap())
        .collect();
        let objects = NamespaceObjects {
            services: &services,
            counts: BTreeMap::from([("secrets".into(), 4), ("deployments.apps".into(), 2)]),
            ..Default::default()
        };
        let used = usage(
            &hard(&[
                "services",
                "services.nodeports",
                "services.loadbalancers",
                "secrets",
                "count/deployments.apps",
                "configmaps",
            ]),
            &[],
            &objects,
        );
        let text: BTreeMap<_, _> = used.iter().map(|(k, v)| (k.as_str(), v.to_string())).collect();
        assert_eq!(text["services"], "3");
        assert_eq!(text["services.nodeports"], "3");
        assert_eq!(text["services.loadbalancers"], "1");
        assert_eq!(text["secrets"], "4");
        assert_eq!(text["count/deployments.apps"], "2");
        assert_eq!(text["configmaps"], "0");
    }
}
