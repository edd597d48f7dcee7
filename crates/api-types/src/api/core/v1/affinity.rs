//! Scheduling constraints: node affinity and node selectors (also used by PersistentVolumes),
//! inter-pod affinity and anti-affinity, and the topology selector terms of storage classes.

use crate::meta::v1::LabelSelector;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// A pod's affinity rules towards nodes and towards other pods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Affinity")]
#[serde(rename_all = "camelCase")]
pub struct Affinity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<NodeAffinity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_affinity: Option<PodAffinity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_anti_affinity: Option<PodAntiAffinity>,
}

/// Which nodes a pod must (required) or would rather (preferred, weighted) run on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeAffinity")]
#[serde(rename_all = "camelCase")]
pub struct NodeAffinity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub preferred_during_scheduling_ignored_during_execution: Vec<PreferredSchedulingTerm>,
}

/// Pods this pod should run near (same topology domain as).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodAffinity")]
#[serde(rename_all = "camelCase")]
pub struct PodAffinity {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub required_during_scheduling_ignored_during_execution: Vec<PodAffinityTerm>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub preferred_during_scheduling_ignored_during_execution: Vec<WeightedPodAffinityTerm>,
}

/// Pods this pod should keep away from (not share a topology domain with).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodAntiAffinity")]
#[serde(rename_all = "camelCase")]
pub struct PodAntiAffinity {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub required_during_scheduling_ignored_during_execution: Vec<PodAffinityTerm>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub preferred_during_scheduling_ignored_during_execution: Vec<WeightedPodAffinityTerm>,
}

/// A preferred pod (anti-)affinity term and its weight (1-100) in node scoring.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.WeightedPodAffinityTerm")]
#[serde(rename_all = "camelCase")]
pub struct WeightedPodAffinityTerm {
    #[serde(default, deserialize_with = "nullable")]
    pub weight: i32,
    #[serde(default, deserialize_with = "nullable")]
    pub pod_affinity_term: PodAffinityTerm,
}

/// A set of pods (by label selector and namespaces) and the node label (`topologyKey`) whose
/// value defines "the same place".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodAffinityTerm")]
#[serde(rename_all = "camelCase")]
pub struct PodAffinityTerm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub topology_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<LabelSelector>,
    /// Label keys whose values on the incoming pod are ANDed into `labelSelector` as `In`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub match_label_keys: Vec<String>,
    /// Label keys whose values on the incoming pod are ANDed into `labelSelector` as `NotIn`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub mismatch_label_keys: Vec<String>,
}

/// A preferred node selector term and its weight (1-100) in node scoring.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PreferredSchedulingTerm")]
#[serde(rename_all = "camelCase")]
pub struct PreferredSchedulingTerm {
    #[serde(default, deserialize_with = "nullable")]
    pub weight: i32,
    #[serde(default, deserialize_with = "nullable")]
    pub preference: NodeSelectorTerm,
}

/// The ORed node selector terms that a node must match.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeSelector")]
#[serde(rename_all = "camelCase")]
pub struct NodeSelector {
    #[serde(default, deserialize_with = "nullable")]
    pub node_selector_terms: Vec<NodeSelectorTerm>,
}

/// ANDed requirements on a node's labels and fields; an empty term matches no node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeSelectorTerm")]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorTerm {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<NodeSelectorRequirement>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub match_fields: Vec<NodeSelectorRequirement>,
}

/// One requirement on a node label or field: `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeSelectorRequirement")]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorRequirement {
    #[serde(default, deserialize_with = "nullable")]
    pub key: String,
    #[serde(default, deserialize_with = "nullable")]
    pub operator: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// ANDed label requirements restricting where a StorageClass may provision.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.TopologySelectorTerm")]
#[serde(rename_all = "camelCase")]
pub struct TopologySelectorTerm {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub match_label_expressions: Vec<TopologySelectorLabelRequirement>,
}

/// A label key and the values (ORed) it may take.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.TopologySelectorLabelRequirement")]
#[serde(rename_all = "camelCase")]
pub struct TopologySelectorLabelRequirement {
    #[serde(default, deserialize_with = "nullable")]
    pub key: String,
    #[serde(default, deserialize_with = "nullable")]
    pub values: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    #[test]
    fn every_affinity_term_round_trips() {
        let wire = json!({
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]}]},
                    {"matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["node-9"]}]}
                ]},
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 10, "preference": {"matchExpressions": [{"key": "disk", "operator": "Exists"}]}}
                ]
            },
            "podAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [{
                    "labelSelector": {"matchLabels": {"app": "cache"}},
                    "namespaces": ["infra"],
                    "topologyKey": "topology.kubernetes.io/zone",
                    "namespaceSelector": {},
                    "matchLabelKeys": ["pod-template-hash"]
                }]
            },
            "podAntiAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [{
                    "weight": 100,
                    "podAffinityTerm": {
                        "labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]},
                        "topologyKey": "kubernetes.io/hostname",
                        "mismatchLabelKeys": ["tenant"]
                    }
                }]
            }
        });
        let affinity: Affinity = assert_round_trip(&wire);
        let anti = affinity.pod_anti_affinity.as_ref().unwrap();
        assert_eq!(anti.preferred_during_scheduling_ignored_during_execution[0].weight, 100);
        assert_eq!(
            affinity
                .pod_affinity
                .as_ref()
                .unwrap()
                .required_during_scheduling_ignored_during_execution[0]
                .namespace_selector,
            Some(LabelSelector::default())
        );
    }

    #[test]
    fn required_lists_are_written_even_when_empty() {
        assert_eq!(
            serde_json::to_value(NodeSelector::default()).unwrap(),
            json!({"nodeSelectorTerms": []})
        );
        let term: TopologySelectorTerm = serde_json::from_value(json!({
            "matchLabelExpressions": [{"key": "topology.kubernetes.io/zone", "values": ["us-east-1a"]}]
        }))
        .unwrap();
        assert_eq!(term.match_label_expressions[0].values, ["us-east-1a"]);
    }
}
