//! `CalculateNodeLabelPriority` (policy argument `labelPreference`, book 6.4.2): nodes with (or
//! without) a label are preferred.

use super::{MAX_PRIORITY, Priority};
use crate::algorithm::{NodeInfo, PodInfo};
use std::sync::Arc;

/// 10 when the node's having `label` agrees with `presence`, else 0.
pub struct NodeLabelPriority {
    pub name: String,
    pub label: String,
    pub presence: bool,
}

impl Priority for NodeLabelPriority {
    fn name(&self) -> &str {
        &self.name
    }

    fn score(&self, _pod: &PodInfo, nodes: &[Arc<NodeInfo>], _all: &[Arc<NodeInfo>]) -> Vec<i64> {
        nodes
            .iter()
            .map(|node| {
                let has = node.node().is_some_and(|n| n.metadata.labels.contains_key(&self.label));
                if has == self.presence { MAX_PRIORITY } else { 0 }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::node_info::tests::{node, pod};
    use serde_json::json;

    #[test]
    fn labelled_nodes_score_by_presence() {
        let nodes = vec![
            Arc::new(NodeInfo::new(Arc::new(node("a", "1", "1Gi", json!({"ssd": "true"}))))),
            Arc::new(NodeInfo::new(Arc::new(node("b", "1", "1Gi", json!({}))))),
        ];
        let pod = PodInfo::new(Arc::new(pod("p", "0", "0")));
        let prefer = NodeLabelPriority { name: "ssd".into(), label: "ssd".into(), presence: true };
        assert_eq!(prefer.score(&pod, &nodes, &nodes), vec![10, 0]);
        let avoid =
            NodeLabelPriority { name: "no-ssd".into(), label: "ssd".into(), presence: false };
        assert_eq!(avoid.score(&pod, &nodes, &nodes), vec![0, 10]);
    }
}
