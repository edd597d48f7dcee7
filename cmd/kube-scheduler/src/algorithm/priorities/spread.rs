//! Spreading priorities: `SelectorSpreadPriority` (the book's `ServiceSpreadingPriority`,
//! extended to replication controllers and replica sets) puts the pods of one workload on
//! different nodes; `ServiceAntiAffinity` (policy argument `serviceAntiAffinity`) spreads a
//! service's pods over the values of a node label (racks, zones).

use super::{MAX_PRIORITY, Priority};
use crate::algorithm::{NodeInfo, PodInfo};
use std::collections::HashMap;
use std::sync::Arc;

/// `10 * (max - count) / max` where `count` is the pod's peers on the node and `max` the most on
/// any feasible node; every node 10 when there are none.
pub struct SelectorSpread;

impl Priority for SelectorSpread {
    fn name(&self) -> &str {
        "SelectorSpreadPriority"
    }

    fn score(&self, pod: &PodInfo, nodes: &[Arc<NodeInfo>], _all: &[Arc<NodeInfo>]) -> Vec<i64> {
        if pod.spread_selectors.is_empty() {
            return vec![MAX_PRIORITY; nodes.len()];
        }
        let counts: Vec<i64> = nodes
            .iter()
            .map(|node| node.pods().iter().filter(|other| pod.is_peer(other)).count() as i64)
            .collect();
        spread_scores(&counts)
    }
}

fn spread_scores(counts: &[i64]) -> Vec<i64> {
    let max = counts.iter().copied().max().unwrap_or(0);
    counts
        .iter()
        .map(|count| {
            if max == 0 {
                MAX_PRIORITY
            } else {
                ((max - count) as f64 / max as f64 * MAX_PRIORITY as f64) as i64
            }
        })
        .collect()
}

/// `10 * (total - count[value]) / total`, where `count[value]` is the service's pods on nodes
/// whose `label` has the node's value; nodes without the label score 0.
pub struct ServiceAntiAffinity {
    pub name: String,
    pub label: String,
}

impl Priority for ServiceAntiAffinity {
    fn name(&self) -> &str {
        &self.name
    }

    fn score(&self, pod: &PodInfo, nodes: &[Arc<NodeInfo>], all: &[Arc<NodeInfo>]) -> Vec<i64> {
        let value_of =
            |node: &NodeInfo| node.node().and_then(|n| n.metadata.labels.get(&self.label)).cloned();
        let mut per_value: HashMap<String, i64> = HashMap::new();
        let mut total = 0;
        if pod.service_selector.is_some() {
            for node in all {
                let peers =
                    node.pods().iter().filter(|other| pod.is_service_peer(other)).count() as i64;
                total += peers;
                if let Some(value) = value_of(node) {
                    *per_value.entry(value).or_default() += peers;
                }
            }
        }
        nodes
            .iter()
            .map(|node| match value_of(node) {
                None => 0,
                Some(_) if total == 0 => MAX_PRIORITY,
                Some(value) => {
                    let count = per_value.get(&value).copied().unwrap_or(0);
                    ((total - count) as f64 / total as f64 * MAX_PRIORITY as f64) as i64
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::node_info::tests::{node, pod};
    use api_types::labels::Selector;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn web(name: &str) -> api_types::api::core::v1::Pod {
        let mut pod = pod(name, "0", "0");
        pod.metadata.labels.insert("app".into(), "web".into());
        pod
    }

    fn newcomer() -> PodInfo {
        let mut info = PodInfo::new(Arc::new(web("new")));
        let selector = BTreeMap::from([("app".to_string(), "web".to_string())]);
        info.spread_selectors = vec![Selector::from_set(&selector)];
        info.service_selector = Some(selector);
        info
    }

    #[test]
    fn nodes_with_fewer_peers_score_higher() {
        let nodes = vec![
            Arc::new(NodeInfo::with_pods(node("a", "1", "1Gi", json!({})), [web("w1"), web("w2")])),
            Arc::new(NodeInfo::with_pods(
                node("b", "1", "1Gi", json!({})),
                [web("w3"), pod("x", "0", "0")],
            )),
            Arc::new(NodeInfo::new(Arc::new(node("c", "1", "1Gi", json!({}))))),
        ];
        assert_eq!(SelectorSpread.score(&newcomer(), &nodes, &nodes), vec![0, 5, 10]);
        let loner = PodInfo::new(Arc::new(pod("solo", "0", "0")));
        assert_eq!(SelectorSpread.score(&loner, &nodes, &nodes), vec![10, 10, 10]);
    }

    #[test]
    fn service_pods_spread_over_label_values() {
        let nodes = vec![
            Arc::new(NodeInfo::with_pods(
                node("a", "1", "1Gi", json!({"rack": "r1"})),
                [web("w1")],
            )),
            Arc::new(NodeInfo::with_pods(
                node("b", "1", "1Gi", json!({"rack": "r1"})),
                [web("w2")],
            )),
            Arc::new(NodeInfo::with_pods(
                node("c", "1", "1Gi", json!({"rack": "r2"})),
                [web("w3")],
            )),
            Arc::new(NodeInfo::new(Arc::new(node("d", "1", "1Gi", json!({}))))),
        ];
        let priority = ServiceAntiAffinity { name: "RackSpread".into(), label: "rack".into() };
        // 3 pods: r1 holds 2 → 3; r2 holds 1 → 6; unlabelled → 0.
        assert_eq!(priority.score(&newcomer(), &nodes, &nodes), vec![3, 3, 6, 0]);
    }
}
