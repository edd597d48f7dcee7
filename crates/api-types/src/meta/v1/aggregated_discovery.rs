//! Aggregated discovery (`apidiscovery.k8s.io/v2`): every group, version and resource in one
//! document, served at `/api` and `/apis` when the client asks for it with
//! [`AGGREGATED_DISCOVERY_MEDIA_TYPE`]. kubectl 1.30+ asks for it first and falls back to the
//! legacy documents of [`discovery`](super::discovery) only when the server does not offer it.

use super::{GroupVersionKind, ListMeta, ObjectMeta};
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// The `Accept` media type (and response `Content-Type`) selecting the aggregated document.
pub const AGGREGATED_DISCOVERY_MEDIA_TYPE: &str =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/// `scope` values of an [`APIResourceDiscovery`].
pub mod resource_scope {
    pub const CLUSTER: &str = "Cluster";
    pub const NAMESPACED: &str = "Namespaced";
}

/// `freshness` values of an [`APIVersionDiscovery`].
pub mod discovery_freshness {
    /// The document was refreshed recently.
    pub const CURRENT: &str = "Current";
    /// The serving apiserver could not be reached; the entry may be out of date.
    pub const STALE: &str = "Stale";
}

/// The whole document: one entry per group, in priority order (the core group alone at `/api`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIGroupDiscoveryList {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ListMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub items: Vec<APIGroupDiscovery>,
}

impl APIGroupDiscoveryList {
    /// A document of `groups` with its type meta set.
    pub fn new(groups: Vec<APIGroupDiscovery>) -> Self {
        APIGroupDiscoveryList {
            kind: "APIGroupDiscoveryList".to_string(),
            api_version: "apidiscovery.k8s.io/v2".to_string(),
            metadata: ListMeta::default(),
            items: groups,
        }
    }
}

/// One group: its name is `metadata.name` (empty for the core group), its versions are most
/// preferred first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIGroupDiscovery {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// Only `name` is set; upstream still writes `creationTimestamp: null` here.
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<APIVersionDiscovery>,
}

/// The resources of one version of a group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIVersionDiscovery {
    #[serde(default, deserialize_with = "nullable")]
    pub version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<APIResourceDiscovery>,
    /// One of [`discovery_freshness`].
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub freshness: String,
}

/// One resource, with its subresources nested rather than listed as `pods/status` entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIResourceDiscovery {
    /// The plural used in URLs.
    #[serde(default, deserialize_with = "nullable")]
    pub resource: String,
    /// The kind a request on the resource returns; absent when only subresources are served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_kind: Option<GroupVersionKind>,
    /// One of [`resource_scope`].
    #[serde(default, deserialize_with = "nullable")]
    pub scope: String,
    #[serde(default, deserialize_with = "nullable")]
    pub singular_resource: String,
    #[serde(default, deserialize_with = "nullable")]
    pub verbs: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub short_names: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub subresources: Vec<APISubresourceDiscovery>,
}

/// A subresource such as `status`, `scale` or `log`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APISubresourceDiscovery {
    #[serde(default, deserialize_with = "nullable")]
    pub subresource: String,
    /// The kind returned, which may belong to another group (`scale` returns
    /// `autoscaling/v1 Scale`); absent for subresources such as `exec` that return no object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_kind: Option<GroupVersionKind>,
    /// The kinds the subresource accepts in a body, when it defines them.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub accepted_types: Vec<GroupVersionKind>,
    #[serde(default, deserialize_with = "nullable")]
    pub verbs: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// Shaped like `/api` under the aggregated `Accept` header, trimmed to two resources; written
    /// from upstream's types, not captured.
    const CORE_DOCUMENT: &str = r#"{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[{"metadata":{"creationTimestamp":null},"versions":[{"version":"v1","resources":[{"resource":"bindings","responseKind":{"group":"","version":"v1","kind":"Binding"},"scope":"Namespaced","singularResource":"binding","verbs":["create"]},{"resource":"pods","responseKind":{"group":"","version":"v1","kind":"Pod"},"scope":"Namespaced","singularResource":"pod","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["po"],"categories":["all"],"subresources":[{"subresource":"binding","responseKind":{"group":"","version":"v1","kind":"Binding"},"verbs":["create"]},{"subresource":"exec","responseKind":{"group":"","version":"v1","kind":"PodExecOptions"},"verbs":["create","get"]},{"subresource":"log","responseKind":{"group":"","version":"v1","kind":"Pod"},"verbs":["get"]},{"subresource":"status","responseKind":{"group":"","version":"v1","kind":"Pod"},"verbs":["get","patch","update"]}]}],"freshness":"Current"}]}]}"#;

    /// Shaped like `/apis` under the aggregated `Accept` header, trimmed to `apps` deployments.
    const APIS_DOCUMENT: &str = r#"{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[{"metadata":{"name":"apps","creationTimestamp":null},"versions":[{"version":"v1","resources":[{"resource":"deployments","responseKind":{"group":"apps","version":"v1","kind":"Deployment"},"scope":"Namespaced","singularResource":"deployment","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["deploy"],"categories":["all"],"subresources":[{"subresource":"scale","responseKind":{"group":"autoscaling","version":"v1","kind":"Scale"},"verbs":["get","patch","update"]},{"subresource":"status","responseKind":{"group":"apps","version":"v1","kind":"Deployment"},"verbs":["get","patch","update"]}]}],"freshness":"Current"}]}]}"#;

    #[test]
    fn core_document_round_trips_byte_for_byte() {
        let document: APIGroupDiscoveryList = serde_json::from_str(CORE_DOCUMENT).unwrap();
        let group = &document.items[0];
        assert_eq!(group.metadata.name, "");
        let pods = &group.versions[0].resources[1];
        assert_eq!(pods.response_kind, Some(GroupVersionKind::new("", "v1", "Pod")));
        assert_eq!(pods.scope, resource_scope::NAMESPACED);
        assert_eq!(pods.subresources.len(), 4);
        assert_eq!(serde_json::to_string(&document).unwrap(), CORE_DOCUMENT);
    }

    #[test]
    fn apis_document_round_trips_byte_for_byte() {
        let document: APIGroupDiscoveryList = serde_json::from_str(APIS_DOCUMENT).unwrap();
        let apps = &document.items[0];
        assert_eq!(apps.metadata.name, "apps");
        assert_eq!(apps.versions[0].freshness, discovery_freshness::CURRENT);
        let scale = &apps.versions[0].resources[0].subresources[0];
        assert_eq!(scale.response_kind.as_ref().unwrap().api_version(), "autoscaling/v1");
        assert_eq!(serde_json::to_string(&document).unwrap(), APIS_DOCUMENT);
    }

    #[test]
    fn empty_entries_keep_required_fields() {
        let document = APIGroupDiscoveryList::new(vec![APIGroupDiscovery {
            versions: vec![APIVersionDiscovery {
                version: "v1".into(),
                resources: vec![APIResourceDiscovery {
                    resource: "nodes".into(),
                    scope: resource_scope::CLUSTER.into(),
                    subresources: vec![APISubresourceDiscovery {
                        subresource: "proxy".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }]);
        let expected: Value = json!({
            "kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {},
            "items": [{"metadata": {"creationTimestamp": null}, "versions": [{"version": "v1",
                "resources": [{"resource": "nodes", "scope": "Cluster", "singularResource": "",
                    "verbs": [], "subresources": [{"subresource": "proxy", "verbs": []}]}]}]}]
        });
        assert_eq!(serde_json::to_value(&document).unwrap(), expected);
    }
}
