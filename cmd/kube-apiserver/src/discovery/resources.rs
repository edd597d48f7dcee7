//! `/api/v1` and `/apis/<group>/<version>`: the resources of one group version, each
//! subresource as an entry of its own (`pods/status`). kubectl builds its REST mapping, short
//! names and `kubectl api-resources` from this list.

use super::subresources::SubresourceShape;
use crate::registry::{ResourceInfo, ResourceTable};
use api_types::meta::v1::{APIResource, APIResourceList};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// The resource list of `group`/`version`, or `None` when the table serves nothing there.
///
/// Upstream strips `apiVersion` from the core group's list (`{"kind":"APIResourceList",
/// "groupVersion":"v1",...}`), a compatibility quirk from release 1.1, and writes `v1` for every
/// named group.
pub fn resource_list(table: &ResourceTable, group: &str, version: &str) -> Option<APIResourceList> {
    let resources = api_resources(table, group, version);
    if resources.is_empty() {
        return None;
    }
    let group_version =
        if group.is_empty() { version.to_string() } else { format!("{group}/{version}") };
    Some(APIResourceList {
        kind: "APIResourceList".to_string(),
        api_version: if group.is_empty() { String::new() } else { "v1".to_string() },
        group_version,
        resources,
    })
}

/// Every resource and subresource of `group`/`version`, sorted by name as upstream registers
/// them (`pods`, `pods/attach`, ..., `pods/status`, `podtemplates`).
pub fn api_resources(table: &ResourceTable, group: &str, version: &str) -> Vec<APIResource> {
    let mut resources: Vec<APIResource> = table
        .iter()
        .map(|resource| resource.info())
        .filter(|info| info.group == group && info.version == version)
        .flat_map(entries)
        .collect();
    resources.sort_by(|a, b| a.name.cmp(&b.name));
    resources
}

/// A resource's own entry followed by one entry per subresource. Only stored resources have a
/// storage version hash, as upstream.
fn entries(info: &ResourceInfo) -> Vec<APIResource> {
    let hash = info.is_stored().then(|| storage_version_hash(info.group, info.version, info.kind));
    let own = APIResource { storage_version_hash: hash.unwrap_or_default(), ..info.api_resource() };
    let subresources = info.subresources.iter().map(|name| subresource_entry(info, name));
    std::iter::once(own).chain(subresources).collect()
}

/// `<plural>/<name>`: no singular name, the parent's scope, and a group and version only when
/// the kind returned lives elsewhere (`deployments/scale` is `autoscaling/v1`).
fn subresource_entry(info: &ResourceInfo, name: &str) -> APIResource {
    let shape = SubresourceShape::of(info, name);
    let foreign = (shape.kind.group, shape.kind.version) != (info.group, info.version);
    APIResource {
        name: format!("{}/{name}", info.plural),
        singular_name: String::new(),
        namespaced: info.namespaced,
        group: if foreign { shape.kind.group.to_string() } else { String::new() },
        version: if foreign { shape.kind.version.to_string() } else { String::new() },
        kind: shape.kind.kind.to_string(),
        verbs: shape.verbs.iter().map(|verb| verb.to_string()).collect(),
        ..Default::default()
    }
}

/// Upstream's opaque storage version hash: the first 8 bytes of the SHA-256 of
/// `<group>/<version>/<Kind>` (`/v1/Pod` for the core group), in standard base64. Clients
/// compare it to notice that a resource's storage version changed.
pub fn storage_version_hash(group: &str, version: &str, kind: &str) -> String {
    let digest = Sha256::digest(format!("{group}/{version}/{kind}").as_bytes());
    STANDARD.encode(&digest[..8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::test_support::{deployments, pods, table_of};
    use serde_json::{Value, json};

    #[test]
    fn storage_version_hashes_match_real_clusters() {
        // Values from the discovery documents of real v1.31 clusters.
        assert_eq!(storage_version_hash("", "v1", "Pod"), "xPOwRZ+Yhw8=");
        assert_eq!(storage_version_hash("", "v1", "Namespace"), "Q3oi5N2YM8M=");
        assert_eq!(storage_version_hash("", "v1", "ConfigMap"), "qFsyl6wFWjQ=");
        assert_eq!(storage_version_hash("apps", "v1", "Deployment"), "8aSe+NMegvE=");
    }

    /// The `pods` entries of a real v1.31 `/api/v1`, trimmed to the table's resources.
    const REAL_CORE_V1: &str = r#"{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["po"],"categories":["all"],"storageVersionHash":"xPOwRZ+Yhw8="},{"name":"pods/attach","singularName":"","namespaced":true,"kind":"PodAttachOptions","verbs":["create","get"]},{"name":"pods/binding","singularName":"","namespaced":true,"kind":"Binding","verbs":["create"]},{"name":"pods/ephemeralcontainers","singularName":"","namespaced":true,"kind":"Pod","verbs":["get","patch","update"]},{"name":"pods/eviction","singularName":"","namespaced":true,"group":"policy","version":"v1","kind":"Eviction","verbs":["create"]},{"name":"pods/exec","singularName":"","namespaced":true,"kind":"PodExecOptions","verbs":["create","get"]},{"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]},{"name":"pods/portforward","singularName":"","namespaced":true,"kind":"PodPortForwardOptions","verbs":["create","get"]},{"name":"pods/proxy","singularName":"","namespaced":true,"kind":"PodProxyOptions","verbs":["create","delete","get","patch","update"]},{"name":"pods/status","singularName":"","namespaced":true,"kind":"Pod","verbs":["get","patch","update"]}]}"#;

    /// A real `/apis/apps/v1`, trimmed to deployments.
    const REAL_APPS_V1: &str = r#"{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[{"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["deploy"],"categories":["all"],"storageVersionHash":"8aSe+NMegvE="},{"name":"deployments/scale","singularName":"","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale","verbs":["get","patch","update"]},{"name":"deployments/status","singularName":"","namespaced":true,"kind":"Deployment","verbs":["get","patch","update"]}]}"#;

    #[test]
    fn core_list_is_byte_for_byte_upstream() {
        let table = table_of(vec![pods(), deployments()]);
        let list = resource_list(&table, "", "v1").unwrap();
        assert_eq!(serde_json::to_string(&list).unwrap(), REAL_CORE_V1);
    }

    #[test]
    fn named_group_list_is_byte_for_byte_upstream() {
        let table = table_of(vec![pods(), deployments()]);
        let list = resource_list(&table, "apps", "v1").unwrap();
        assert_eq!(serde_json::to_string(&list).unwrap(), REAL_APPS_V1);
    }

    #[test]
    fn subresources_sort_among_resources_by_full_name() {
        // `pod-templates` sorts before `pods/...` ('-' < '/'), as upstream's sorted paths do.
        let mut templates = pods();
        templates.plural = "pod-templates";
        templates.kind = "PodTemplate";
        templates.subresources = &[];
        let table = table_of(vec![pods(), templates]);
        let names: Vec<String> =
            api_resources(&table, "", "v1").into_iter().map(|r| r.name).collect();
        assert_eq!(&names[..3], ["pod-templates", "pods", "pods/attach"]);
    }

    #[test]
    fn unserved_group_versions_have_no_list() {
        let table = table_of(vec![pods()]);
        assert_eq!(resource_list(&table, "apps", "v1"), None);
        assert_eq!(resource_list(&table, "", "v2"), None);
        let cluster_scoped = crate::discovery::test_support::namespaces();
        let table = table_of(vec![cluster_scoped]);
        let list: Value = serde_json::to_value(resource_list(&table, "", "v1").unwrap()).unwrap();
        assert_eq!(
            list["resources"][1],
            json!({"name": "namespaces/finalize", "singularName": "", "namespaced": false,
                   "kind": "Namespace", "verbs": ["update"]})
        );
    }

    #[test]
    fn computed_and_create_only_resources_have_no_storage_version_hash() {
        let bindings = ResourceInfo {
            plural: "bindings",
            kind: "Binding",
            singular: "binding".into(),
            short_names: &[],
            categories: &[],
            subresources: &[],
            verbs: &["create"],
            ..pods()
        };
        let statuses = ResourceInfo {
            plural: "componentstatuses",
            kind: "ComponentStatus",
            singular: "componentstatus".into(),
            short_names: &["cs"],
            subresources: &[],
            verbs: &["get", "list"],
            ..crate::discovery::test_support::namespaces()
        };
        let table = table_of(vec![bindings, statuses]);
        let list = serde_json::to_string(&resource_list(&table, "", "v1").unwrap()).unwrap();
        // As upstream's /api/v1 lists them.
        assert_eq!(
            list,
            r#"{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"bindings","singularName":"binding","namespaced":true,"kind":"Binding","verbs":["create"]},{"name":"componentstatuses","singularName":"componentstatus","namespaced":false,"kind":"ComponentStatus","verbs":["get","list"],"shortNames":["cs"]}]}"#
        );
    }
}
