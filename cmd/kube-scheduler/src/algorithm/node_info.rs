//! [`NodeInfo`]: one node and what is placed on it, as the predicates and priorities see it.

use super::resources::{HostPort, PODS, Resources, host_ports, non_zero_requests, pod_requests};
use api_types::api::core::v1::{Node, Pod};
use std::sync::Arc;

/// A node with the pods on it (bound or assumed) and their totals, kept up to date as pods
/// come and go so that checking a pod against the node never walks its pods.
#[derive(Clone, Debug, Default)]
pub struct NodeInfo {
    name: String,
    node: Option<Arc<Node>>,
    pods: Vec<Arc<Pod>>,
    requested: Resources,
    non_zero_requested: (i64, i64),
    used_ports: Vec<HostPort>,
    allocatable: Resources,
    allowed_pods: i64,
}

impl NodeInfo {
    /// A node without pods yet.
    pub fn new(node: Arc<Node>) -> NodeInfo {
        let mut info = NodeInfo { name: node.metadata.name.clone(), ..NodeInfo::default() };
        info.set_node(node);
        info
    }

    /// Pods seen on a node whose Node object has not arrived (or was deleted).
    pub fn without_node(name: &str) -> NodeInfo {
        NodeInfo { name: name.to_string(), ..NodeInfo::default() }
    }

    /// A node with `pods` already placed on it (for tests and benchmarks).
    pub fn with_pods(node: Node, pods: impl IntoIterator<Item = Pod>) -> NodeInfo {
        let mut info = NodeInfo::new(Arc::new(node));
        for pod in pods {
            info.add_pod(Arc::new(pod));
        }
        info
    }

    /// Replaces the Node object (its labels, taints, capacity changed).
    pub fn set_node(&mut self, node: Arc<Node>) {
        let status = &node.status;
        // Allocatable is what pods may use; a node reporting only capacity offers all of it.
        let list =
            if status.allocatable.is_empty() { &status.capacity } else { &status.allocatable };
        self.allocatable = Resources::from_list(list);
        self.allowed_pods = status
            .allocatable
            .get(PODS)
            .or_else(|| status.capacity.get(PODS))
            .map_or(0, |pods| pods.value());
        self.node = Some(node);
    }

    /// Forgets the Node object, keeping the pods (they may still be running there).
    pub fn clear_node(&mut self) {
        self.node = None;
        self.allocatable = Resources::default();
        self.allowed_pods = 0;
    }

    /// Counts `pod` as placed here.
    pub fn add_pod(&mut self, pod: Arc<Pod>) {
        self.requested.add(&pod_requests(&pod));
        let (cpu, memory) = non_zero_requests(&pod);
        self.non_zero_requested.0 += cpu;
        self.non_zero_requested.1 += memory;
        self.used_ports.extend(host_ports(&pod));
        self.pods.push(pod);
    }

    /// Stops counting the pod `namespace/name`; whether it was here.
    pub fn remove_pod(&mut self, namespace: &str, name: &str) -> bool {
        let Some(index) = self
            .pods
            .iter()
            .position(|pod| pod.metadata.name == name && pod.metadata.namespace == namespace)
        else {
            return false;
        };
        let pod = self.pods.swap_remove(index);
        self.requested.subtract(&pod_requests(&pod));
        let (cpu, memory) = non_zero_requests(&pod);
        self.non_zero_requested.0 -= cpu;
        self.non_zero_requested.1 -= memory;
        for port in host_ports(&pod) {
            if let Some(used) = self.used_ports.iter().position(|used| *used == port) {
                self.used_ports.swap_remove(used);
            }
        }
        true
    }

    /// The node's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The Node object, unless only its pods are known.
    pub fn node(&self) -> Option<&Node> {
        self.node.as_deref()
    }

    /// The pods placed on the node, bound or assumed.
    pub fn pods(&self) -> &[Arc<Pod>] {
        &self.pods
    }

    /// The sum of the requests of the pods here.
    pub fn requested(&self) -> &Resources {
        &self.requested
    }

    /// CPU and memory requested here, counting defaults for pods that request none (for the
    /// priorities).
    pub fn non_zero_requested(&self) -> (i64, i64) {
        self.non_zero_requested
    }

    /// What pods may use on the node (allocatable, or capacity when it reports none).
    pub fn allocatable(&self) -> &Resources {
        &self.allocatable
    }

    /// How many pods the node takes (its `pods` allocatable or capacity).
    pub fn allowed_pods(&self) -> i64 {
        self.allowed_pods
    }

    /// The host ports taken on the node.
    pub fn used_ports(&self) -> &[HostPort] {
        &self.used_ports
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// A node named `name` with `cpu`, `memory` and 110 pods allocatable and `labels`.
    pub fn node(name: &str, cpu: &str, memory: &str, labels: serde_json::Value) -> Node {
        serde_json::from_value(json!({
            "metadata": {"name": name, "labels": labels},
            "status": {"capacity": {"cpu": cpu, "memory": memory, "pods": "110"},
                       "allocatable": {"cpu": cpu, "memory": memory, "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True"}]}
        }))
        .unwrap()
    }

    /// A pod named `name` in `default` whose one container requests `cpu` and `memory`.
    pub fn pod(name: &str, cpu: &str, memory: &str) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": cpu, "memory": memory}}}]}
        }))
        .unwrap()
    }

    #[test]
    fn totals_follow_pods_added_and_removed() {
        let mut info = NodeInfo::new(Arc::new(node("n", "4", "8Gi", json!({}))));
        assert_eq!(info.allocatable().milli_cpu, 4000);
        assert_eq!(info.allowed_pods(), 110);
        info.add_pod(Arc::new(pod("a", "1", "1Gi")));
        info.add_pod(Arc::new(pod("b", "500m", "1Gi")));
        assert_eq!(info.requested().milli_cpu, 1500);
        assert!(info.remove_pod("default", "a"));
        assert!(!info.remove_pod("default", "a"));
        assert_eq!(info.requested().milli_cpu, 500);
        assert_eq!(info.requested().memory, 1 << 30);
        assert_eq!(info.pods().len(), 1);
    }
}
