//! Priorities on resource use (book 6.4.2): `LeastRequestedPriority` spreads load,
//! `MostRequestedPriority` packs it, `BalancedResourceAllocation` keeps CPU and memory use of a
//! node in step. All count the pod being placed, and defaults for pods without requests.

use super::{MAX_PRIORITY, Priority};
use crate::algorithm::{NodeInfo, PodInfo};
use std::sync::Arc;

/// CPU and memory requested on `node` once `pod` is there, and the node's allocatable.
fn usage(pod: &PodInfo, node: &NodeInfo) -> ((i64, i64), (i64, i64)) {
    let (cpu, memory) = node.non_zero_requested();
    let requested = (cpu + pod.non_zero_requests.0, memory + pod.non_zero_requests.1);
    let allocatable = node.allocatable();
    (requested, (allocatable.milli_cpu, allocatable.memory))
}

/// `(capacity - requested) * 10 / capacity`; 0 when the node has none or is overcommitted.
fn unused_score(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    (capacity - requested) * MAX_PRIORITY / capacity
}

/// `requested * 10 / capacity`; 0 when the node has none or is overcommitted.
fn used_score(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    requested * MAX_PRIORITY / capacity
}

/// `LeastRequestedPriority`: the book's `((cpuCap - cpu)*10/cpuCap + (memCap - mem)*10/memCap) / 2`.
pub struct LeastRequested;

impl Priority for LeastRequested {
    fn name(&self) -> &str {
        "LeastRequestedPriority"
    }

    fn score(&self, pod: &PodInfo, nodes: &[Arc<NodeInfo>], _all: &[Arc<NodeInfo>]) -> Vec<i64> {
        nodes
            .iter()
            .map(|node| {
                let ((cpu, memory), (cpu_cap, memory_cap)) = usage(pod, node);
                (unused_score(cpu, cpu_cap) + unused_score(memory, memory_cap)) / 2
            })
            .collect()
    }
}

/// `MostRequestedPriority`: the opposite, packing pods onto the fullest nodes.
pub struct MostRequested;

impl Priority for MostRequested {
    fn name(&self) -> &str {
        "MostRequestedPriority"
    }

    fn score(&self, pod: &PodInfo, nodes: &[Arc<NodeInfo>], _all: &[Arc<NodeInfo>]) -> Vec<i64> {
        nodes
            .iter()
            .map(|node| {
                let ((cpu, memory), (cpu_cap, memory_cap)) = usage(pod, node);
                (used_score(cpu, cpu_cap) + used_score(memory, memory_cap)) / 2
            })
            .collect()
    }
}

/// `BalancedResourceAllocation`: the book's `10 - |cpuFraction - memFraction| * 10`, and 0 for
/// a node the pod would overcommit.
pub struct BalancedResourceAllocation;

impl Priority for BalancedResourceAllocation {
    fn name(&self) -> &str {
        "BalancedResourceAllocation"
    }

    fn score(&self, pod: &PodInfo, nodes: &[Arc<NodeInfo>], _all: &[Arc<NodeInfo>]) -> Vec<i64> {
        let fraction = |used: i64, capacity: i64| {
            if capacity == 0 { 1.0 } else { used as f64 / capacity as f64 }
        };
        nodes
            .iter()
            .map(|node| {
                let ((cpu, memory), (cpu_cap, memory_cap)) = usage(pod, node);
                let (cpu, memory) = (fraction(cpu, cpu_cap), fraction(memory, memory_cap));
                if cpu >= 1.0 || memory >= 1.0 {
                    0
                } else {
                    (MAX_PRIORITY as f64 - (cpu - memory).abs() * MAX_PRIORITY as f64) as i64
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::node_info::tests::{node, pod};
    use serde_json::json;

    fn nodes() -> Vec<Arc<NodeInfo>> {
        vec![
            // 4 cores, 10 GB: 3 cores and 5 GB used.
            Arc::new(NodeInfo::with_pods(
                node("busy", "4", "10G", json!({})),
                [pod("a", "3", "5G")],
            )),
            // 4 cores, 10 GB, empty.
            Arc::new(NodeInfo::new(Arc::new(node("idle", "4", "10G", json!({}))))),
        ]
    }

    #[test]
    fn least_requested_follows_the_books_formula() {
        let pod = PodInfo::new(Arc::new(pod("p", "1", "1G")));
        // busy: cpu (4000-4000)*10/4000 = 0, memory (10-6)*10/10 = 4 → 2.
        // idle: cpu (4000-1000)*10/4000 = 7, memory (10-1)*10/10 = 9 → 8.
        assert_eq!(LeastRequested.score(&pod, &nodes(), &[]), vec![2, 8]);
        assert_eq!(MostRequested.score(&pod, &nodes(), &[]), vec![8, 1]);
    }

    #[test]
    fn balanced_allocation_prefers_equal_fractions() {
        let pod = PodInfo::new(Arc::new(pod("p", "1", "1G")));
        // busy: cpu 1.0 → 0. idle: |0.25 - 0.1| * 10 = 1.5 → 8.
        assert_eq!(BalancedResourceAllocation.score(&pod, &nodes(), &[]), vec![0, 8]);
    }

    #[test]
    fn pods_without_requests_count_the_defaults() {
        let pod = PodInfo::new(Arc::new(pod("p", "0", "0")));
        let idle = &nodes()[1..];
        // cpu (4000-100)*10/4000 = 9, memory (10e9-200Mi)*10/10e9 = 9.
        assert_eq!(LeastRequested.score(&pod, idle, &[]), vec![9]);
    }
}
