//! `PodFitsHostPorts` (the book's `PodFitsPorts`): a host port can be taken by one pod per node.

use super::{Predicate, Prepared, Reason, fail};
use crate::algorithm::{NodeInfo, PodInfo};

/// None of the pod's host ports may already be taken on the node.
pub struct PodFitsHostPorts;

impl Predicate for PodFitsHostPorts {
    fn name(&self) -> &str {
        "PodFitsHostPorts"
    }

    fn check(&self, pod: &PodInfo, _: &Prepared, node: &NodeInfo) -> Result<(), Vec<Reason>> {
        let taken = pod
            .host_ports
            .iter()
            .any(|wanted| node.used_ports().iter().any(|used| used.conflicts_with(wanted)));
        if taken {
            fail("node(s) didn't have free ports for the requested pod ports")
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::node_info::tests::{node, pod};
    use serde_json::json;
    use std::sync::Arc;

    fn with_port(name: &str, port: i32) -> api_types::api::core::v1::Pod {
        let mut pod = pod(name, "0", "0");
        pod.spec.containers[0].ports =
            serde_json::from_value(json!([{"containerPort": 80, "hostPort": port}])).unwrap();
        pod
    }

    #[test]
    fn a_taken_host_port_does_not_fit() {
        let info = NodeInfo::with_pods(node("n", "1", "1Gi", json!({})), [with_port("a", 80)]);
        let same = PodInfo::new(Arc::new(with_port("b", 80)));
        assert_eq!(
            PodFitsHostPorts.check(&same, &None, &info).unwrap_err(),
            vec!["node(s) didn't have free ports for the requested pod ports"]
        );
        let other = PodInfo::new(Arc::new(with_port("c", 81)));
        assert!(PodFitsHostPorts.check(&other, &None, &info).is_ok());
    }
}
