//! `Namespace`: the scope for names, and the unit the namespace controller empties on deletion.

use crate::meta::v1::{ObjectMeta, Time};
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// A named scope for namespaced objects; cluster-scoped itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Namespace")]
#[serde(rename_all = "camelCase")]
pub struct Namespace {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: NamespaceSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: NamespaceStatus,
}

crate::impl_resource!(
    Namespace,
    group = "",
    version = "v1",
    kind = "Namespace",
    plural = "namespaces",
    namespaced = false
);

/// Holds the namespace's own finalizers (`kubernetes`), which gate its removal until its
/// contents are gone; distinct from `metadata.finalizers`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NamespaceSpec")]
#[serde(rename_all = "camelCase")]
pub struct NamespaceSpec {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub finalizers: Vec<String>,
}

/// Whether the namespace is `Active` or `Terminating`, and why a deletion is stuck.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NamespaceStatus")]
#[serde(rename_all = "camelCase")]
pub struct NamespaceStatus {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub phase: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<NamespaceCondition>,
}

/// A report from the namespace deleter (`NamespaceContentRemaining`,
/// `NamespaceDeletionDiscoveryFailure`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NamespaceCondition")]
#[serde(rename_all = "camelCase")]
pub struct NamespaceCondition {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// A non-pointer `metav1.Time` upstream: written as `null` when unset.
    #[serde(default)]
    pub last_transition_time: Option<Time>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn kubectl_create_namespace_round_trips() {
        // Output of `kubectl create namespace team-a --dry-run=client -o json` (kubectl v1.32.4).
        let wire = json!({
            "kind": "Namespace",
            "apiVersion": "v1",
            "metadata": {"name": "team-a", "creationTimestamp": null},
            "spec": {},
            "status": {}
        });
        let namespace: Namespace = assert_round_trip(&wire);
        assert_eq!(namespace.metadata.name, "team-a");
    }

    #[test]
    fn terminating_namespace_round_trips() {
        // A namespace stuck in deletion, with the conditions upstream's namespace deleter sets.
        let wire = json!({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "creationTimestamp": "2025-03-10T09:00:00Z",
                "deletionTimestamp": "2025-03-10T10:00:00Z",
                "labels": {"kubernetes.io/metadata.name": "team-a"},
                "name": "team-a",
                "resourceVersion": "4410",
                "uid": "6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2910"
            },
            "spec": {"finalizers": ["kubernetes"]},
            "status": {
                "conditions": [
                    {
                        "lastTransitionTime": "2025-03-10T10:00:05Z",
                        "message": "All resources successfully discovered",
                        "reason": "ResourcesDiscovered",
                        "status": "False",
                        "type": "NamespaceDeletionDiscoveryFailure"
                    },
                    {
                        "lastTransitionTime": "2025-03-10T10:00:05Z",
                        "message": "Some resources are remaining: pods. has 2 resource instances",
                        "reason": "SomeResourcesRemain",
                        "status": "True",
                        "type": "NamespaceContentRemaining"
                    }
                ],
                "phase": "Terminating"
            }
        });
        let namespace: Namespace = assert_round_trip(&wire);
        assert_eq!(namespace.spec.finalizers, ["kubernetes"]);
        assert_eq!(namespace.status.phase, "Terminating");
        assert_eq!(namespace.status.conditions[1].reason, "SomeResourcesRemain");
    }

    #[test]
    fn nulls_read_as_empty() {
        let namespace: Namespace = serde_json::from_value(json!({
            "metadata": {"name": "x"}, "spec": {"finalizers": null}, "status": null
        }))
        .unwrap();
        assert_eq!(
            serde_json::to_value(&namespace).unwrap(),
            json!({"metadata": {"name": "x", "creationTimestamp": null}, "spec": {}, "status": {}})
        );
    }

    #[test]
    fn identity() {
        assert_eq!(
            (Namespace::API_VERSION, Namespace::KIND, Namespace::PLURAL, Namespace::NAMESPACED),
            ("v1", "Namespace", "namespaces", false)
        );
        let mut object = Namespace::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "Namespace"));
    }
}
