//! Predicates on node labels and names: `MatchNodeSelector` (the book's `PodSelectorMatches`,
//! plus required node affinity), `HostName` (`PodFitsHost`) and `CheckNodeLabelPresence`.

use super::{Predicate, Prepared, Reason, fail};
use crate::algorithm::{NodeInfo, PodInfo};
use api_types::api::core::v1::{Node, NodeSelectorRequirement, NodeSelectorTerm, Pod};
use std::collections::BTreeMap;

/// The pod's `nodeSelector` must be a subset of the node's labels, and its required node
/// affinity must match the node.
pub struct MatchNodeSelector;

impl Predicate for MatchNodeSelector {
    fn name(&self) -> &str {
        "MatchNodeSelector"
    }

    fn check(&self, pod: &PodInfo, _: &Prepared, node: &NodeInfo) -> Result<(), Vec<Reason>> {
        match node.node() {
            Some(node) if pod_matches_node(&pod.pod, node) => Ok(()),
            _ => fail("node(s) didn't match Pod's node affinity/selector"),
        }
    }
}

/// Whether `node` satisfies the pod's node selector and required node affinity.
pub fn pod_matches_node(pod: &Pod, node: &Node) -> bool {
    let labels = &node.metadata.labels;
    let selected = pod.spec.node_selector.iter().all(|(key, value)| labels.get(key) == Some(value));
    let required =
        pod.spec.affinity.as_ref().and_then(|affinity| affinity.node_affinity.as_ref()).and_then(
            |affinity| affinity.required_during_scheduling_ignored_during_execution.as_ref(),
        );
    selected
        && required.is_none_or(|required| {
            required.node_selector_terms.iter().any(|term| term_matches(term, node))
        })
}

/// A term matches when all its requirements do; an empty term matches nothing.
pub fn term_matches(term: &NodeSelectorTerm, node: &Node) -> bool {
    if term.match_expressions.is_empty() && term.match_fields.is_empty() {
        return false;
    }
    let fields = BTreeMap::from([("metadata.name".to_string(), node.metadata.name.clone())]);
    term.match_expressions.iter().all(|r| requirement_matches(r, &node.metadata.labels))
        && term.match_fields.iter().all(|r| requirement_matches(r, &fields))
}

fn requirement_matches(
    requirement: &NodeSelectorRequirement,
    labels: &BTreeMap<String, String>,
) -> bool {
    let value = labels.get(&requirement.key);
    let number = |text: &str| text.parse::<i64>().ok();
    let bound = || requirement.values.first().and_then(|v| number(v));
    match requirement.operator.as_str() {
        "In" => value.is_some_and(|value| requirement.values.contains(value)),
        "NotIn" => value.is_none_or(|value| !requirement.values.contains(value)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" => matches!((value.and_then(|v| number(v)), bound()), (Some(v), Some(b)) if v > b),
        "Lt" => matches!((value.and_then(|v| number(v)), bound()), (Some(v), Some(b)) if v < b),
        _ => false,
    }
}

/// A pod naming its node (`spec.nodeName`) fits only that node.
pub struct HostName;

impl Predicate for HostName {
    fn name(&self) -> &str {
        "HostName"
    }

    fn check(&self, pod: &PodInfo, _: &Prepared, node: &NodeInfo) -> Result<(), Vec<Reason>> {
        let wanted = &pod.pod.spec.node_name;
        if wanted.is_empty() || wanted == node.name() {
            Ok(())
        } else {
            fail("node(s) didn't match the requested node name")
        }
    }
}

/// `CheckNodeLabelPresence` (policy argument `labelsPresence`): with `presence` the node must
/// carry every label named; without, none of them.
pub struct NodeLabelPresence {
    pub name: String,
    pub labels: Vec<String>,
    pub presence: bool,
}

impl Predicate for NodeLabelPresence {
    fn name(&self) -> &str {
        &self.name
    }

    fn check(&self, _pod: &PodInfo, _: &Prepared, node: &NodeInfo) -> Result<(), Vec<Reason>> {
        let Some(node) = node.node() else {
            return fail("node(s) didn't have the requested labels");
        };
        let labels = &node.metadata.labels;
        let violated = self.labels.iter().any(|label| labels.contains_key(label) != self.presence);
        if violated { fail("node(s) didn't have the requested labels") } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::node_info::tests::{node, pod};
    use serde_json::json;
    use std::sync::Arc;

    fn node_info(name: &str, labels: serde_json::Value) -> NodeInfo {
        NodeInfo::new(Arc::new(node(name, "1", "1Gi", labels)))
    }

    fn pod_with(spec: serde_json::Value) -> PodInfo {
        let mut pod = pod("p", "0", "0");
        let mut value = serde_json::to_value(&pod.spec).unwrap();
        value.as_object_mut().unwrap().extend(spec.as_object().unwrap().clone());
        pod.spec = serde_json::from_value(value).unwrap();
        PodInfo::new(Arc::new(pod))
    }

    #[test]
    fn node_selectors_need_every_label() {
        let ssd = node_info("a", json!({"disk": "ssd", "zone": "z1"}));
        let hdd = node_info("b", json!({"disk": "hdd"}));
        let pod = pod_with(json!({"nodeSelector": {"disk": "ssd"}}));
        assert!(MatchNodeSelector.check(&pod, &None, &ssd).is_ok());
        assert_eq!(
            MatchNodeSelector.check(&pod, &None, &hdd).unwrap_err(),
            vec!["node(s) didn't match Pod's node affinity/selector"]
        );
        assert!(MatchNodeSelector.check(&pod_with(json!({})), &None, &hdd).is_ok());
    }

    #[test]
    fn required_node_affinity_ors_terms_and_ands_requirements() {
        let pod = pod_with(
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["z1", "z2"]},
                                      {"key": "gpu", "operator": "DoesNotExist"}]},
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["special"]}]}
            ]}}}}),
        );
        assert!(
            MatchNodeSelector.check(&pod, &None, &node_info("a", json!({"zone": "z2"}))).is_ok()
        );
        let gpu = node_info("b", json!({"zone": "z1", "gpu": "yes"}));
        assert!(MatchNodeSelector.check(&pod, &None, &gpu).is_err());
        assert!(MatchNodeSelector.check(&pod, &None, &node_info("special", json!({}))).is_ok());
        let cores = pod_with(
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["8"]}]}]}}}}),
        );
        assert!(
            MatchNodeSelector.check(&cores, &None, &node_info("c", json!({"cores": "16"}))).is_ok()
        );
        assert!(
            MatchNodeSelector.check(&cores, &None, &node_info("d", json!({"cores": "4"}))).is_err()
        );
    }

    #[test]
    fn a_named_node_is_the_only_fit() {
        let pod = pod_with(json!({"nodeName": "a"}));
        assert!(HostName.check(&pod, &None, &node_info("a", json!({}))).is_ok());
        assert_eq!(
            HostName.check(&pod, &None, &node_info("b", json!({}))).unwrap_err(),
            vec!["node(s) didn't match the requested node name"]
        );
    }

    #[test]
    fn label_presence_follows_the_books_rule() {
        let present =
            NodeLabelPresence { name: "zoned".into(), labels: vec!["zone".into()], presence: true };
        let absent = NodeLabelPresence {
            name: "unzoned".into(),
            labels: vec!["zone".into()],
            presence: false,
        };
        let zoned = node_info("a", json!({"zone": "z1"}));
        let bare = node_info("b", json!({}));
        let pod = pod_with(json!({}));
        assert!(present.check(&pod, &None, &zoned).is_ok());
        assert!(present.check(&pod, &None, &bare).is_err());
        assert!(absent.check(&pod, &None, &zoned).is_err());
        assert!(absent.check(&pod, &None, &bare).is_ok());
    }
}
