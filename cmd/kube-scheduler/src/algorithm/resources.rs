//! What a pod asks for: resource requests as the scheduler counts them, and host ports.

use api_types::api::core::v1::{Container, Pod};
use api_types::quantity::Quantity;
use std::collections::BTreeMap;

/// `cpu`.
pub const CPU: &str = "cpu";
/// `memory`.
pub const MEMORY: &str = "memory";
/// `ephemeral-storage`.
pub const EPHEMERAL_STORAGE: &str = "ephemeral-storage";
/// `pods`: how many pods a node takes (a capacity, never a request).
pub const PODS: &str = "pods";

/// The CPU a pod without a CPU request is counted as using by the priorities (upstream's
/// `DefaultMilliCPURequest`), so that many such pods still spread.
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
/// The memory a pod without a memory request is counted as using by the priorities (upstream's
/// `DefaultMemoryRequest`, 200 MiB).
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;

/// Amounts of resources: CPU in millicores, memory and storage in bytes, any other resource
/// (extended resources such as `nvidia.com/gpu`) in whole units.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    pub milli_cpu: i64,
    pub memory: i64,
    pub ephemeral_storage: i64,
    pub scalar: BTreeMap<String, i64>,
}

impl Resources {
    /// The resources of a `ResourceList` (`pods` is left out: it is a count, not an amount).
    pub fn from_list(list: &BTreeMap<String, Quantity>) -> Resources {
        let mut resources = Resources::default();
        for (name, quantity) in list {
            resources.set(name, quantity);
        }
        resources
    }

    fn set(&mut self, name: &str, quantity: &Quantity) {
        match name {
            CPU => self.milli_cpu = quantity.milli_value(),
            MEMORY => self.memory = quantity.value(),
            EPHEMERAL_STORAGE => self.ephemeral_storage = quantity.value(),
            PODS => {}
            other => {
                self.scalar.insert(other.to_string(), quantity.value());
            }
        }
    }

    /// Adds `other` to these amounts.
    pub fn add(&mut self, other: &Resources) {
        self.milli_cpu += other.milli_cpu;
        self.memory += other.memory;
        self.ephemeral_storage += other.ephemeral_storage;
        for (name, value) in &other.scalar {
            *self.scalar.entry(name.clone()).or_default() += value;
        }
    }

    /// Subtracts `other` from these amounts.
    pub fn subtract(&mut self, other: &Resources) {
        self.milli_cpu -= other.milli_cpu;
        self.memory -= other.memory;
        self.ephemeral_storage -= other.ephemeral_storage;
        for (name, value) in &other.scalar {
            *self.scalar.entry(name.clone()).or_default() -= value;
        }
    }

    /// Each amount the larger of the two (an init container runs alone, before the others).
    fn max(&mut self, other: &Resources) {
        self.milli_cpu = self.milli_cpu.max(other.milli_cpu);
        self.memory = self.memory.max(other.memory);
        self.ephemeral_storage = self.ephemeral_storage.max(other.ephemeral_storage);
        for (name, value) in &other.scalar {
            let entry = self.scalar.entry(name.clone()).or_default();
            *entry = (*entry).max(*value);
        }
    }
}

/// A container's requests; a resource with a limit but no request is requested at its limit,
/// as the apiserver's defaulting has it.
fn container_requests(container: &Container) -> Resources {
    let mut resources = Resources::from_list(&container.resources.limits);
    for (name, quantity) in &container.resources.requests {
        resources.set(name, quantity);
    }
    resources
}

/// What the pod requests as the scheduler counts it: the sum over its containers, or the
/// largest init container when that is more.
pub fn pod_requests(pod: &Pod) -> Resources {
    let mut total = Resources::default();
    for container in &pod.spec.containers {
        total.add(&container_requests(container));
    }
    for container in &pod.spec.init_containers {
        total.max(&container_requests(container));
    }
    total
}

/// CPU (millicores) and memory (bytes) for the priorities: like [`pod_requests`], but a
/// container that requests none counts the defaults.
pub fn non_zero_requests(pod: &Pod) -> (i64, i64) {
    pod.spec.containers.iter().map(container_requests).fold((0, 0), |(cpu, memory), requests| {
        let container_cpu =
            if requests.milli_cpu == 0 { DEFAULT_MILLI_CPU_REQUEST } else { requests.milli_cpu };
        let container_memory =
            if requests.memory == 0 { DEFAULT_MEMORY_REQUEST } else { requests.memory };
        (cpu + container_cpu, memory + container_memory)
    })
}

/// A port of the node a pod's container takes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HostPort {
    /// `TCP` (when empty on the wire), `UDP` or `SCTP`.
    pub protocol: String,
    /// The host IP; `0.0.0.0` (when empty on the wire) takes the port on every address.
    pub ip: String,
    pub port: i32,
}

impl HostPort {
    /// Whether both cannot be bound at once: same protocol and port, and the same address or
    /// either on every address.
    pub fn conflicts_with(&self, other: &HostPort) -> bool {
        self.port == other.port
            && self.protocol == other.protocol
            && (self.ip == other.ip || self.ip == WILDCARD_IP || other.ip == WILDCARD_IP)
    }
}

const WILDCARD_IP: &str = "0.0.0.0";

/// The host ports the pod's containers ask for (ports with `hostPort` 0 take none).
pub fn host_ports(pod: &Pod) -> Vec<HostPort> {
    pod.spec
        .containers
        .iter()
        .flat_map(|container| &container.ports)
        .filter(|port| port.host_port > 0)
        .map(|port| HostPort {
            protocol: if port.protocol.is_empty() { "TCP".into() } else { port.protocol.clone() },
            ip: if port.host_ip.is_empty() { WILDCARD_IP.into() } else { port.host_ip.clone() },
            port: port.host_port,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(spec: serde_json::Value) -> Pod {
        serde_json::from_value(json!({"metadata": {"name": "p"}, "spec": spec})).unwrap()
    }

    #[test]
    fn requests_sum_containers_and_take_the_largest_init_container() {
        let pod = pod(json!({
            "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "2", "memory": "1Mi"}}}],
            "containers": [
                {"name": "a", "resources": {"requests": {"cpu": "500m", "memory": "64Mi"}}},
                {"name": "b", "resources": {"limits": {"cpu": "250m", "nvidia.com/gpu": "1"}}}
            ]
        }));
        let requests = pod_requests(&pod);
        assert_eq!(requests.milli_cpu, 2000);
        assert_eq!(requests.memory, 64 * 1024 * 1024);
        assert_eq!(requests.scalar.get("nvidia.com/gpu"), Some(&1));
    }

    #[test]
    fn priorities_count_defaults_for_containers_without_requests() {
        let pod = pod(json!({"containers": [
            {"name": "a"},
            {"name": "b", "resources": {"requests": {"cpu": "1"}}}
        ]}));
        assert_eq!(non_zero_requests(&pod), (1100, 2 * DEFAULT_MEMORY_REQUEST));
    }

    #[test]
    fn host_ports_default_protocol_and_address_and_conflict_on_the_wildcard() {
        let pod = pod(json!({"containers": [{"name": "a", "ports": [
            {"containerPort": 80, "hostPort": 8080},
            {"containerPort": 53, "hostPort": 53, "protocol": "UDP", "hostIP": "10.0.0.1"},
            {"containerPort": 9090}
        ]}]}));
        let ports = host_ports(&pod);
        assert_eq!(ports.len(), 2);
        assert_eq!((ports[0].protocol.as_str(), ports[0].ip.as_str()), ("TCP", "0.0.0.0"));
        let specific = HostPort { protocol: "TCP".into(), ip: "10.0.0.2".into(), port: 8080 };
        assert!(ports[0].conflicts_with(&specific));
        let udp = HostPort { protocol: "UDP".into(), ip: "10.0.0.2".into(), port: 53 };
        assert!(!ports[1].conflicts_with(&udp), "different addresses do not collide");
    }
}
