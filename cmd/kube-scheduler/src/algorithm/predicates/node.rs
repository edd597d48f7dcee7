//! Predicates on the node itself, applied whatever the policy says (upstream lists only
//! schedulable, ready nodes to the algorithm; today these are the NodeUnschedulable and
//! TaintToleration plugins): not ready, cordoned, or tainted against the pod.

use super::{Predicate, Prepared, Reason, fail};
use crate::algorithm::{NodeInfo, PodInfo};
use api_types::api::core::v1::{Taint, Toleration};

/// `CheckNodeCondition`: a node whose `Ready` condition is not `True` takes no pods.
pub struct NodeReady;

impl Predicate for NodeReady {
    fn name(&self) -> &str {
        "CheckNodeCondition"
    }

    fn check(&self, _pod: &PodInfo, _: &Prepared, node: &NodeInfo) -> Result<(), Vec<Reason>> {
        let not_ready = node.node().is_some_and(|node| {
            node.status.conditions.iter().any(|c| c.type_ == "Ready" && c.status != "True")
        });
        if not_ready { fail("node(s) were not ready") } else { Ok(()) }
    }
}

/// `CheckNodeUnschedulable`: a cordoned node (`spec.unschedulable`) takes no new pods, unless
/// the pod tolerates the `node.kubernetes.io/unschedulable` taint.
pub struct NodeUnschedulable;

const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

impl Predicate for NodeUnschedulable {
    fn name(&self) -> &str {
        "CheckNodeUnschedulable"
    }

    fn check(&self, pod: &PodInfo, _: &Prepared, node: &NodeInfo) -> Result<(), Vec<Reason>> {
        let cordoned = node.node().is_some_and(|node| node.spec.unschedulable);
        let taint = Taint {
            key: UNSCHEDULABLE_TAINT.into(),
            effect: "NoSchedule".into(),
            ..Taint::default()
        };
        if cordoned && !pod.pod.spec.tolerations.iter().any(|t| tolerates(t, &taint)) {
            fail("node(s) were unschedulable")
        } else {
            Ok(())
        }
    }
}

/// `PodToleratesNodeTaints`: every `NoSchedule` and `NoExecute` taint of the node must be
/// tolerated by the pod (`PreferNoSchedule` only lowers preference, elsewhere).
pub struct TaintToleration;

impl Predicate for TaintToleration {
    fn name(&self) -> &str {
        "PodToleratesNodeTaints"
    }

    fn check(&self, pod: &PodInfo, _: &Prepared, node: &NodeInfo) -> Result<(), Vec<Reason>> {
        let Some(node) = node.node() else { return Ok(()) };
        let tolerations = &pod.pod.spec.tolerations;
        let untolerated = node.spec.taints.iter().find(|taint| {
            (taint.effect == "NoSchedule" || taint.effect == "NoExecute")
                && !tolerations.iter().any(|toleration| tolerates(toleration, taint))
        });
        match untolerated {
            Some(taint) => {
                fail(format!("node(s) had untolerated taint {{{}: {}}}", taint.key, taint.value))
            }
            None => Ok(()),
        }
    }
}

/// Whether `toleration` tolerates `taint`: same effect (or any), same key (or any, with
/// `Exists`), and with `Equal` (the default) the same value.
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    if !toleration.effect.is_empty() && toleration.effect != taint.effect {
        return false;
    }
    if !toleration.key.is_empty() && toleration.key != taint.key {
        return false;
    }
    match toleration.operator.as_str() {
        "Exists" => true,
        "" | "Equal" => toleration.value == taint.value,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::node_info::tests::{node, pod};
    use serde_json::json;
    use std::sync::Arc;

    fn info(patch: impl FnOnce(&mut api_types::api::core::v1::Node)) -> NodeInfo {
        let mut node = node("n", "1", "1Gi", json!({}));
        patch(&mut node);
        NodeInfo::new(Arc::new(node))
    }

    fn tolerating(tolerations: serde_json::Value) -> PodInfo {
        let mut pod = pod("p", "0", "0");
        pod.spec.tolerations = serde_json::from_value(tolerations).unwrap();
        PodInfo::new(Arc::new(pod))
    }

    #[test]
    fn cordoned_nodes_take_only_pods_tolerating_it() {
        let cordoned = info(|node| node.spec.unschedulable = true);
        let plain = tolerating(json!([]));
        assert_eq!(
            NodeUnschedulable.check(&plain, &None, &cordoned).unwrap_err(),
            vec!["node(s) were unschedulable"]
        );
        let tolerant = tolerating(json!([{"key": UNSCHEDULABLE_TAINT, "operator": "Exists"}]));
        assert!(NodeUnschedulable.check(&tolerant, &None, &cordoned).is_ok());
        assert!(NodeUnschedulable.check(&plain, &None, &info(|_| {})).is_ok());
    }

    #[test]
    fn not_ready_nodes_fail() {
        let sick = info(|node| node.status.conditions[0].status = "Unknown".into());
        let pod = tolerating(json!([]));
        assert!(NodeReady.check(&pod, &None, &sick).is_err());
        assert!(NodeReady.check(&pod, &None, &info(|_| {})).is_ok());
    }

    #[test]
    fn hard_taints_need_a_toleration_and_soft_ones_do_not() {
        let tainted = info(|node| {
            node.spec.taints = serde_json::from_value(json!([
                {"key": "dedicated", "value": "db", "effect": "NoSchedule"},
                {"key": "slow", "effect": "PreferNoSchedule"}
            ]))
            .unwrap()
        });
        let plain = tolerating(json!([]));
        assert_eq!(
            TaintToleration.check(&plain, &None, &tainted).unwrap_err(),
            vec!["node(s) had untolerated taint {dedicated: db}"]
        );
        let equal =
            tolerating(json!([{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]));
        assert!(TaintToleration.check(&equal, &None, &tainted).is_ok());
        let wrong = tolerating(json!([{"key": "dedicated", "value": "web"}]));
        assert!(TaintToleration.check(&wrong, &None, &tainted).is_err());
        let everything = tolerating(json!([{"operator": "Exists"}]));
        assert!(TaintToleration.check(&everything, &None, &tainted).is_ok());
    }
}
