//! `PodFitsResources` (book 6.4.2): the pod's requests plus those of the pods already on the
//! node must fit in what the node offers, and the node must take one more pod.

use super::{Predicate, Prepared, Reason};
use crate::algorithm::{NodeInfo, PodInfo};

/// Requests against allocatable; pod count against the node's `pods`.
pub struct PodFitsResources;

impl Predicate for PodFitsResources {
    fn name(&self) -> &str {
        "PodFitsResources"
    }

    fn check(&self, pod: &PodInfo, _: &Prepared, node: &NodeInfo) -> Result<(), Vec<Reason>> {
        let mut reasons: Vec<Reason> = Vec::new();
        if node.pods().len() as i64 + 1 > node.allowed_pods() {
            reasons.push("Too many pods".into());
        }
        let wanted = &pod.requests;
        let used = node.requested();
        let offered = node.allocatable();
        if wanted.milli_cpu > 0 && offered.milli_cpu < used.milli_cpu + wanted.milli_cpu {
            reasons.push("Insufficient cpu".into());
        }
        if wanted.memory > 0 && offered.memory < used.memory + wanted.memory {
            reasons.push("Insufficient memory".into());
        }
        if wanted.ephemeral_storage > 0
            && offered.ephemeral_storage < used.ephemeral_storage + wanted.ephemeral_storage
        {
            reasons.push("Insufficient ephemeral-storage".into());
        }
        for (name, amount) in &wanted.scalar {
            let offered = offered.scalar.get(name).copied().unwrap_or(0);
            let used = used.scalar.get(name).copied().unwrap_or(0);
            if *amount > 0 && offered < used + amount {
                reasons.push(format!("Insufficient {name}").into());
            }
        }
        if reasons.is_empty() { Ok(()) } else { Err(reasons) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::node_info::tests::{node, pod};
    use serde_json::json;
    use std::sync::Arc;

    #[test]
    fn requests_must_fit_beside_what_is_there() {
        let info =
            NodeInfo::with_pods(node("n", "2", "4Gi", json!({})), [pod("a", "1500m", "1Gi")]);
        let fits = PodInfo::new(Arc::new(pod("b", "500m", "3Gi")));
        assert!(PodFitsResources.check(&fits, &None, &info).is_ok());
        let too_big = PodInfo::new(Arc::new(pod("c", "600m", "3500Mi")));
        assert_eq!(
            PodFitsResources.check(&too_big, &None, &info).unwrap_err(),
            vec!["Insufficient cpu", "Insufficient memory"]
        );
    }

    #[test]
    fn the_pod_count_is_limited_even_for_pods_requesting_nothing() {
        let mut full = node("n", "2", "4Gi", json!({}));
        full.status.allocatable.insert("pods".into(), "1".parse().unwrap());
        let info = NodeInfo::with_pods(full, [pod("a", "0", "0")]);
        let empty = PodInfo::new(Arc::new(pod("b", "0", "0")));
        assert_eq!(
            PodFitsResources.check(&empty, &None, &info).unwrap_err(),
            vec!["Too many pods"]
        );
    }

    #[test]
    fn extended_resources_are_counted_by_name() {
        let mut gpu = node("n", "2", "4Gi", json!({}));
        gpu.status.allocatable.insert("nvidia.com/gpu".into(), "1".parse().unwrap());
        let info = NodeInfo::new(Arc::new(gpu));
        let mut wants = pod("p", "0", "0");
        wants.spec.containers[0]
            .resources
            .requests
            .insert("nvidia.com/gpu".into(), "2".parse().unwrap());
        assert_eq!(
            PodFitsResources.check(&PodInfo::new(Arc::new(wants)), &None, &info).unwrap_err(),
            vec!["Insufficient nvidia.com/gpu"]
        );
    }
}
