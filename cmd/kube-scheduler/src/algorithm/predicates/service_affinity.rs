//! `CheckServiceAffinity` (policy argument `serviceAffinity`, book 6.4.2): the pods of one
//! service go to nodes that agree on the named labels (one region, one zone). The values come
//! from the pod's own node selector, else from the node where a pod of the same service runs.

use super::{Predicate, Prepared, Reason, fail};
use crate::algorithm::{NodeInfo, PodInfo};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The node's values of `labels` must equal those of the pod's service peers.
pub struct ServiceAffinity {
    pub name: String,
    pub labels: Vec<String>,
}

impl Predicate for ServiceAffinity {
    fn name(&self) -> &str {
        &self.name
    }

    /// The label values the node must have: those the pod selects itself, completed from the
    /// node of the first peer found (a walk over placed pods, once per pod, only when this
    /// predicate is configured and the pod belongs to a service).
    fn prepare(&self, pod: &PodInfo, nodes: &[Arc<NodeInfo>]) -> Prepared {
        let selector = &pod.pod.spec.node_selector;
        let mut wanted: BTreeMap<String, String> = self
            .labels
            .iter()
            .filter_map(|label| selector.get(label).map(|value| (label.clone(), value.clone())))
            .collect();
        if wanted.len() < self.labels.len() && pod.service_selector.is_some() {
            let peer_node = nodes.iter().find(|node| {
                node.node().is_some()
                    && node.pods().iter().any(|other| {
                        pod.is_service_peer(other) && other.metadata.uid != pod.pod.metadata.uid
                    })
            });
            if let Some(labels) = peer_node.and_then(|node| node.node()).map(|n| &n.metadata.labels)
            {
                for label in &self.labels {
                    if let (false, Some(value)) = (wanted.contains_key(label), labels.get(label)) {
                        wanted.insert(label.clone(), value.clone());
                    }
                }
            }
        }
        Some(Box::new(wanted))
    }

    fn check(
        &self,
        _pod: &PodInfo,
        prepared: &Prepared,
        node: &NodeInfo,
    ) -> Result<(), Vec<Reason>> {
        let wanted = prepared.as_ref().and_then(|p| p.downcast_ref::<BTreeMap<String, String>>());
        let labels = node.node().map(|node| &node.metadata.labels);
        let fits = wanted.is_none_or(|wanted| {
            wanted.iter().all(|(key, value)| labels.and_then(|l| l.get(key)) == Some(value))
        });
        if fits { Ok(()) } else { fail("node(s) didn't match service affinity") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::node_info::tests::{node, pod};
    use serde_json::json;

    #[test]
    fn pods_of_a_service_follow_the_first_ones_region() {
        let mut peer = pod("web-1", "0", "0");
        peer.metadata.labels.insert("app".into(), "web".into());
        peer.metadata.uid = "1".into();
        let east =
            Arc::new(NodeInfo::with_pods(node("a", "1", "1Gi", json!({"region": "east"})), [peer]));
        let west =
            Arc::new(NodeInfo::new(Arc::new(node("b", "1", "1Gi", json!({"region": "west"})))));
        let nodes = vec![east.clone(), west.clone()];
        let predicate = ServiceAffinity { name: "Region".into(), labels: vec!["region".into()] };

        let mut newcomer = pod("web-2", "0", "0");
        newcomer.metadata.labels.insert("app".into(), "web".into());
        let mut info = PodInfo::new(Arc::new(newcomer));
        info.service_selector = Some(BTreeMap::from([("app".into(), "web".into())]));
        let prepared = predicate.prepare(&info, &nodes);
        assert!(predicate.check(&info, &prepared, &east).is_ok());
        assert_eq!(
            predicate.check(&info, &prepared, &west).unwrap_err(),
            vec!["node(s) didn't match service affinity"]
        );

        // Without a service, any node will do; the pod's own selector wins over peers.
        let loner = PodInfo::new(Arc::new(pod("other", "0", "0")));
        let prepared = predicate.prepare(&loner, &nodes);
        assert!(predicate.check(&loner, &prepared, &west).is_ok());
        let mut pinned = pod("web-3", "0", "0");
        pinned.spec.node_selector.insert("region".into(), "west".into());
        let mut pinned = PodInfo { pod: Arc::new(pinned), ..info };
        pinned.service_selector = Some(BTreeMap::from([("app".into(), "web".into())]));
        let prepared = predicate.prepare(&pinned, &nodes);
        assert!(predicate.check(&pinned, &prepared, &west).is_ok());
        assert!(predicate.check(&pinned, &prepared, &east).is_err());
    }
}
