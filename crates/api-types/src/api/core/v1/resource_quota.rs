//! `ResourceQuota`: aggregate limits on what a namespace may consume, enforced at admission and
//! tallied by the quota controller.

use crate::meta::v1::ObjectMeta;
use crate::quantity::Quantity;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A namespace's hard limits and, in status, how much of each is used.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ResourceQuota")]
#[serde(rename_all = "camelCase")]
pub struct ResourceQuota {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: ResourceQuotaSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: ResourceQuotaStatus,
}

crate::impl_resource!(
    ResourceQuota,
    group = "",
    version = "v1",
    kind = "ResourceQuota",
    plural = "resourcequotas",
    namespaced = true
);

/// The limits, and which objects they count (all, or those matching the scopes).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ResourceQuotaSpec")]
#[serde(rename_all = "camelCase")]
pub struct ResourceQuotaSpec {
    /// Limit per resource name (`pods`, `requests.cpu`, `count/deployments.apps`, ...).
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub hard: BTreeMap<String, Quantity>,
    /// `Terminating`, `NotTerminating`, `BestEffort`, `NotBestEffort`, `PriorityClass`, ...
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_selector: Option<ScopeSelector>,
}

/// Scope filters that must all match, for scopes that take values (`PriorityClass In (high)`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ScopeSelector")]
#[serde(rename_all = "camelCase")]
pub struct ScopeSelector {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<ScopedResourceSelectorRequirement>,
}

/// One scope filter: a scope name, an operator (`In`, `NotIn`, `Exists`, `DoesNotExist`) and
/// its values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ScopedResourceSelectorRequirement")]
#[serde(rename_all = "camelCase")]
pub struct ScopedResourceSelectorRequirement {
    #[serde(default, deserialize_with = "nullable")]
    pub scope_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub operator: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// The limits in force and the current usage against them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ResourceQuotaStatus")]
#[serde(rename_all = "camelCase")]
pub struct ResourceQuotaStatus {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub hard: BTreeMap<String, Quantity>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub used: BTreeMap<String, Quantity>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn kubectl_create_quota_round_trips() {
        // Output of `kubectl create quota compute --hard=cpu=4,memory=8Gi,pods=10
        // --dry-run=client -o json` (kubectl v1.32.4).
        let wire = json!({
            "kind": "ResourceQuota",
            "apiVersion": "v1",
            "metadata": {"name": "compute", "creationTimestamp": null},
            "spec": {"hard": {"cpu": "4", "memory": "8Gi", "pods": "10"}},
            "status": {}
        });
        let quota: ResourceQuota = assert_round_trip(&wire);
        assert_eq!(quota.spec.hard.len(), 3);
    }

    #[test]
    fn kubectl_create_quota_with_scopes_round_trips() {
        // Output of `kubectl create quota best-effort --hard=pods=5 --scopes=BestEffort
        // --dry-run=client -o json` (kubectl v1.32.4).
        let wire = json!({
            "kind": "ResourceQuota",
            "apiVersion": "v1",
            "metadata": {"name": "best-effort", "creationTimestamp": null},
            "spec": {"hard": {"pods": "5"}, "scopes": ["BestEffort"]},
            "status": {}
        });
        let quota: ResourceQuota = assert_round_trip(&wire);
        assert_eq!(quota.spec.scopes, ["BestEffort"]);
    }

    #[test]
    fn quota_with_selector_and_usage_round_trips() {
        // A priority-class quota after the quota controller has tallied usage.
        let wire = json!({
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": {
                "creationTimestamp": "2025-03-10T09:00:00Z",
                "name": "high-priority",
                "namespace": "team-a",
                "resourceVersion": "1207",
                "uid": "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"
            },
            "spec": {
                "hard": {"pods": "10", "requests.cpu": "4", "requests.memory": "8Gi"},
                "scopeSelector": {"matchExpressions": [
                    {"operator": "In", "scopeName": "PriorityClass", "values": ["high"]},
                    {"operator": "Exists", "scopeName": "CrossNamespacePodAffinity"}
                ]}
            },
            "status": {
                "hard": {"pods": "10", "requests.cpu": "4", "requests.memory": "8Gi"},
                "used": {"pods": "2", "requests.cpu": "500m", "requests.memory": "384Mi"}
            }
        });
        let quota: ResourceQuota = assert_round_trip(&wire);
        let selector = quota.spec.scope_selector.as_ref().unwrap();
        assert_eq!(selector.match_expressions[0].values, ["high"]);
        assert!(selector.match_expressions[1].values.is_empty());
        assert_eq!(
            serde_json::to_value(&quota.status.used["requests.cpu"]).unwrap(),
            json!("500m")
        );
    }

    #[test]
    fn nulls_read_as_empty() {
        let quota: ResourceQuota = serde_json::from_value(json!({
            "spec": {"hard": null, "scopes": null, "scopeSelector": null},
            "status": {"used": null}
        }))
        .unwrap();
        assert_eq!(quota, ResourceQuota::default());
        let requirement: ScopedResourceSelectorRequirement =
            serde_json::from_value(json!({"scopeName": null, "operator": null, "values": null}))
                .unwrap();
        assert_eq!(
            serde_json::to_value(requirement).unwrap(),
            json!({"scopeName": "", "operator": ""})
        );
    }

    #[test]
    fn identity() {
        assert_eq!(
            (
                ResourceQuota::API_VERSION,
                ResourceQuota::KIND,
                ResourceQuota::PLURAL,
                ResourceQuota::NAMESPACED
            ),
            ("v1", "ResourceQuota", "resourcequotas", true)
        );
        let mut object = ResourceQuota::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "ResourceQuota"));
    }
}
