//! Legacy (unaggregated) discovery: what `/api`, `/apis`, `/apis/<group>` and `/api/v1`,
//! `/apis/<group>/<version>` return. kubectl builds its resource mapping (short names, scope,
//! verbs) from these documents, so fields upstream always writes are always written here too,
//! even when empty: `singularName`, `namespaced`, `kind`, `verbs`.

use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// `/`: the paths the server serves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootPaths {
    #[serde(default, deserialize_with = "nullable")]
    pub paths: Vec<String>,
}

/// `/api`: the versions of the legacy core group (only `v1`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIVersions {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub versions: Vec<String>,
    #[serde(rename = "serverAddressByClientCIDRs", default, deserialize_with = "nullable")]
    pub server_address_by_client_cidrs: Vec<ServerAddressByClientCIDR>,
}

/// Which server address clients from a network should use; the apiserver advertises its own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerAddressByClientCIDR {
    #[serde(rename = "clientCIDR", default, deserialize_with = "nullable")]
    pub client_cidr: String,
    /// `host`, `host:port`, `ip` or `ip:port`.
    #[serde(default, deserialize_with = "nullable")]
    pub server_address: String,
}

/// `/apis`: every named group with its versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIGroupList {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub groups: Vec<APIGroup>,
}

/// One group; also the body of `/apis/<group>` (then with `kind: APIGroup`, `apiVersion: v1`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIGroup {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// Most preferred first.
    #[serde(default, deserialize_with = "nullable")]
    pub versions: Vec<GroupVersionForDiscovery>,
    /// A struct in Go, so written even when empty.
    #[serde(default, deserialize_with = "nullable")]
    pub preferred_version: GroupVersionForDiscovery,
    #[serde(
        rename = "serverAddressByClientCIDRs",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub server_address_by_client_cidrs: Vec<ServerAddressByClientCIDR>,
}

/// A version of a group, both as `group/version` and as the bare version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupVersionForDiscovery {
    #[serde(default, deserialize_with = "nullable")]
    pub group_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub version: String,
}

impl GroupVersionForDiscovery {
    /// The entry for `version` of `group` (`apps`, `v1` gives `apps/v1`); the core group's
    /// entry is just `v1`.
    pub fn new(group: &str, version: &str) -> Self {
        let group_version =
            if group.is_empty() { version.to_string() } else { format!("{group}/{version}") };
        GroupVersionForDiscovery { group_version, version: version.to_string() }
    }
}

/// `/api/v1`, `/apis/<group>/<version>`: the resources one group version serves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIResourceList {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub group_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub resources: Vec<APIResource>,
}

/// One resource or subresource (`pods`, `pods/status`) of a group version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIResource {
    /// The plural, with `/subresource` appended for subresources.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// Empty for subresources, but written all the same.
    #[serde(default, deserialize_with = "nullable")]
    pub singular_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub namespaced: bool,
    /// Set only when it differs from the list's group (`deployments/scale` is `autoscaling`).
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Set only when it differs from the list's version.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub kind: String,
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, ...
    #[serde(default, deserialize_with = "nullable")]
    pub verbs: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub short_names: Vec<String>,
    /// Groupings such as `all`, which `kubectl get all` expands.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Opaque hash of the storage version; clients only compare it for equality.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub storage_version_hash: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn assert_round_trip<T>(body: &str) -> T
    where
        T: Serialize + serde::de::DeserializeOwned,
    {
        let decoded: T = serde_json::from_str(body).unwrap();
        let original: Value = serde_json::from_str(body).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), original);
        decoded
    }

    #[test]
    fn real_api_versions_round_trip() {
        let body = r#"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"172.18.0.2:6443"}]}"#;
        let versions: APIVersions = assert_round_trip(body);
        assert_eq!(versions.server_address_by_client_cidrs[0].server_address, "172.18.0.2:6443");
        assert_eq!(serde_json::to_string(&versions).unwrap(), body);
    }

    #[test]
    fn real_group_list_round_trips() {
        let body = r#"{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apiregistration.k8s.io","versions":[{"groupVersion":"apiregistration.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apiregistration.k8s.io/v1","version":"v1"}},{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},{"name":"autoscaling","versions":[{"groupVersion":"autoscaling/v2","version":"v2"},{"groupVersion":"autoscaling/v1","version":"v1"}],"preferredVersion":{"groupVersion":"autoscaling/v2","version":"v2"}}]}"#;
        let list: APIGroupList = assert_round_trip(body);
        assert_eq!(
            list.groups[2].preferred_version,
            GroupVersionForDiscovery::new("autoscaling", "v2")
        );
        assert_eq!(serde_json::to_string(&list).unwrap(), body);
    }

    #[test]
    fn real_resource_list_keeps_always_written_fields() {
        let body = r#"{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[{"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["deploy"],"categories":["all"],"storageVersionHash":"8aSe+NMegvE="},{"name":"deployments/scale","singularName":"","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale","verbs":["get","patch","update"]},{"name":"deployments/status","singularName":"","namespaced":true,"kind":"Deployment","verbs":["get","patch","update"]}]}"#;
        let list: APIResourceList = assert_round_trip(body);
        assert_eq!(list.resources[1].group, "autoscaling");
        assert_eq!(serde_json::to_string(&list).unwrap(), body);

        let cluster_scoped =
            APIResource { name: "bindings".into(), kind: "Binding".into(), ..Default::default() };
        assert_eq!(
            serde_json::to_value(&cluster_scoped).unwrap(),
            json!({"name": "bindings", "singularName": "", "namespaced": false,
                   "kind": "Binding", "verbs": []})
        );
    }

    #[test]
    fn group_document_and_root_paths() {
        let body = r#"{"kind":"APIGroup","apiVersion":"v1","name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}"#;
        let group: APIGroup = assert_round_trip(body);
        assert_eq!(serde_json::to_string(&group).unwrap(), body);

        let roots: RootPaths =
            assert_round_trip(r#"{"paths":["/api","/api/v1","/apis","/healthz","/version"]}"#);
        assert_eq!(roots.paths.len(), 5);
        assert_eq!(GroupVersionForDiscovery::new("", "v1").group_version, "v1");
    }
}
