//! Aggregated discovery (`apidiscovery.k8s.io/v2` and `v2beta1`): every group, version and
//! resource in one document, `/api` for the core group and `/apis` for the named groups. kubectl
//! 1.26+ asks for it first and needs one request instead of one per group version.
//!
//! Upstream builds the document from the legacy resource lists, so both always agree: each
//! top-level entry becomes a resource, each `<resource>/<subresource>` entry is nested under its
//! parent, and a `responseKind` carries the entry's (often empty) group and version with its
//! kind. The document is served with an `ETag`, and a request whose `If-None-Match` carries it
//! is answered 304 with no body.

use super::DiscoveryRoot;
use super::groups::served_groups;
use super::resources::api_resources;
use crate::negotiation::DiscoveryVersion;
use crate::registry::ResourceTable;
use api_types::meta::v1::{
    APIGroupDiscovery, APIGroupDiscoveryList, APIResource, APIResourceDiscovery,
    APISubresourceDiscovery, APIVersionDiscovery, GroupVersionKind, ObjectMeta,
    discovery_freshness, resource_scope,
};
use sha2::{Digest, Sha512};
use std::fmt::Write;

/// One root's aggregated document with its entity tag, computed once and served in whichever
/// version the client asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct AggregatedDiscovery {
    groups: Vec<APIGroupDiscovery>,
    etag: String,
}

impl AggregatedDiscovery {
    /// The document of `root` over the resources of `table`.
    pub fn build(table: &ResourceTable, root: DiscoveryRoot) -> AggregatedDiscovery {
        let core = root == DiscoveryRoot::Api;
        let groups: Vec<APIGroupDiscovery> = served_groups(table, core)
            .into_iter()
            .map(|group| APIGroupDiscovery {
                metadata: ObjectMeta { name: group.name.clone(), ..Default::default() },
                versions: group
                    .versions
                    .iter()
                    .map(|version| APIVersionDiscovery {
                        version: version.clone(),
                        resources: nest(&api_resources(table, &group.name, version)),
                        freshness: discovery_freshness::CURRENT.to_string(),
                    })
                    .collect(),
                ..Default::default()
            })
            .collect();
        let etag = entity_tag(&groups);
        AggregatedDiscovery { groups, etag }
    }

    /// The `ETag` header value (quoted), the same for every version of the document. Upstream
    /// hashes the `v2` document without its type meta; so does this, so an unchanged resource
    /// table keeps its tag across restarts.
    pub fn etag(&self) -> &str {
        &self.etag
    }

    /// Whether a request's `If-None-Match` names this document, so the answer is 304. Upstream
    /// compares the header with the quoted tag as a whole.
    pub fn matches(&self, if_none_match: Option<&str>) -> bool {
        if_none_match == Some(self.etag.as_str())
    }

    /// The document as `version` writes it; only the type meta differs between versions.
    pub fn document(&self, version: DiscoveryVersion) -> APIGroupDiscoveryList {
        APIGroupDiscoveryList {
            api_version: version.api_version().to_string(),
            ..APIGroupDiscoveryList::new(self.groups.clone())
        }
    }
}

/// The quoted upper-case hex SHA-512 of the document's items as JSON (`{"metadata":{},
/// "items":[...]}`), upstream's entity tag.
fn entity_tag(groups: &[APIGroupDiscovery]) -> String {
    let untyped = APIGroupDiscoveryList { items: groups.to_vec(), ..Default::default() };
    let json = serde_json::to_vec(&untyped).expect("discovery documents always serialize");
    let mut tag = String::with_capacity(130);
    tag.push('"');
    for byte in Sha512::digest(&json) {
        write!(tag, "{byte:02X}").expect("writing to a String cannot fail");
    }
    tag.push('"');
    tag
}

/// The legacy entries of one group version (sorted, subresources as `parent/name`) as nested
/// aggregated resources, in the same order.
fn nest(entries: &[APIResource]) -> Vec<APIResourceDiscovery> {
    let mut resources: Vec<APIResourceDiscovery> = entries
        .iter()
        .filter(|entry| !entry.name.contains('/'))
        .map(|entry| APIResourceDiscovery {
            resource: entry.name.clone(),
            response_kind: Some(GroupVersionKind::new(&entry.group, &entry.version, &entry.kind)),
            scope: scope(entry.namespaced).to_string(),
            singular_resource: entry.singular_name.clone(),
            verbs: entry.verbs.clone(),
            short_names: entry.short_names.clone(),
            categories: entry.categories.clone(),
            subresources: Vec::new(),
        })
        .collect();
    for entry in entries {
        let Some((parent, subresource)) = entry.name.split_once('/') else { continue };
        let Some(parent) = resources.iter_mut().find(|resource| resource.resource == parent) else {
            continue;
        };
        parent.subresources.push(APISubresourceDiscovery {
            subresource: subresource.to_string(),
            response_kind: Some(GroupVersionKind::new(&entry.group, &entry.version, &entry.kind)),
            accepted_types: Vec::new(),
            verbs: entry.verbs.clone(),
        });
    }
    resources
}

fn scope(namespaced: bool) -> &'static str {
    if namespaced { resource_scope::NAMESPACED } else { resource_scope::CLUSTER }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::test_support::{deployments, leases, namespaces, pods, table_of};
    use api_types::meta::v1::AGGREGATED_DISCOVERY_MEDIA_TYPE;

    /// `/api` under the aggregated `Accept` header, shaped like a real server's answer for the
    /// same resources: main resources carry an empty group and version in `responseKind`, as the
    /// legacy list does; subresources returning another group's kind name it.
    const CORE: &str = r#"{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[{"metadata":{"creationTimestamp":null},"versions":[{"version":"v1","resources":[{"resource":"namespaces","responseKind":{"group":"","version":"","kind":"Namespace"},"scope":"Cluster","singularResource":"namespace","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["ns"],"subresources":[{"subresource":"finalize","responseKind":{"group":"","version":"","kind":"Namespace"},"verbs":["update"]},{"subresource":"status","responseKind":{"group":"","version":"","kind":"Namespace"},"verbs":["get","patch","update"]}]},{"resource":"pods","responseKind":{"group":"","version":"","kind":"Pod"},"scope":"Namespaced","singularResource":"pod","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["po"],"categories":["all"],"subresources":[{"subresource":"attach","responseKind":{"group":"","version":"","kind":"PodAttachOptions"},"verbs":["create","get"]},{"subresource":"binding","responseKind":{"group":"","version":"","kind":"Binding"},"verbs":["create"]},{"subresource":"ephemeralcontainers","responseKind":{"group":"","version":"","kind":"Pod"},"verbs":["get","patch","update"]},{"subresource":"eviction","responseKind":{"group":"policy","version":"v1","kind":"Eviction"},"verbs":["create"]},{"subresource":"exec","responseKind":{"group":"","version":"","kind":"PodExecOptions"},"verbs":["create","get"]},{"subresource":"log","responseKind":{"group":"","version":"","kind":"Pod"},"verbs":["get"]},{"subresource":"portforward","responseKind":{"group":"","version":"","kind":"PodPortForwardOptions"},"verbs":["create","get"]},{"subresource":"proxy","responseKind":{"group":"","version":"","kind":"PodProxyOptions"},"verbs":["create","delete","get","patch","update"]},{"subresource":"status","responseKind":{"group":"","version":"","kind":"Pod"},"verbs":["get","patch","update"]}]}],"freshness":"Current"}]}]}"#;

    /// `/apis` for `apps` deployments and `coordination.k8s.io` leases, in upstream's group
    /// order.
    const APIS: &str = r#"{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[{"metadata":{"name":"apps","creationTimestamp":null},"versions":[{"version":"v1","resources":[{"resource":"deployments","responseKind":{"group":"","version":"","kind":"Deployment"},"scope":"Namespaced","singularResource":"deployment","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["deploy"],"categories":["all"],"subresources":[{"subresource":"scale","responseKind":{"group":"autoscaling","version":"v1","kind":"Scale"},"verbs":["get","patch","update"]},{"subresource":"status","responseKind":{"group":"","version":"","kind":"Deployment"},"verbs":["get","patch","update"]}]}],"freshness":"Current"}]},{"metadata":{"name":"coordination.k8s.io","creationTimestamp":null},"versions":[{"version":"v1","resources":[{"resource":"leases","responseKind":{"group":"","version":"","kind":"Lease"},"scope":"Namespaced","singularResource":"lease","verbs":["create","delete","deletecollection","get","list","patch","update","watch"]}],"freshness":"Current"}]}]}"#;

    #[test]
    fn core_document_matches_upstream() {
        let table = table_of(vec![pods(), namespaces(), deployments()]);
        let document = AggregatedDiscovery::build(&table, DiscoveryRoot::Api);
        let json = serde_json::to_string(&document.document(DiscoveryVersion::V2)).unwrap();
        assert_eq!(json, CORE);
    }

    #[test]
    fn apis_document_matches_upstream() {
        let table = table_of(vec![leases(), pods(), deployments()]);
        let document = AggregatedDiscovery::build(&table, DiscoveryRoot::Apis);
        let json = serde_json::to_string(&document.document(DiscoveryVersion::V2)).unwrap();
        assert_eq!(json, APIS);
    }

    #[test]
    fn v2beta1_differs_only_in_api_version() {
        let table = table_of(vec![pods(), deployments()]);
        let document = AggregatedDiscovery::build(&table, DiscoveryRoot::Apis);
        let v2 = document.document(DiscoveryVersion::V2);
        let v2beta1 = document.document(DiscoveryVersion::V2Beta1);
        assert_eq!(v2beta1.api_version, "apidiscovery.k8s.io/v2beta1");
        assert_eq!(v2beta1.kind, "APIGroupDiscoveryList");
        assert_eq!(v2beta1.items, v2.items);
        assert!(AGGREGATED_DISCOVERY_MEDIA_TYPE.contains("v=v2;"));
    }

    #[test]
    fn etag_is_the_upstream_hash_and_stable() {
        let table = table_of(vec![pods(), deployments()]);
        let first = AggregatedDiscovery::build(&table, DiscoveryRoot::Apis);
        let again =
            AggregatedDiscovery::build(&table_of(vec![deployments(), pods()]), DiscoveryRoot::Apis);
        assert_eq!(first.etag(), again.etag());
        assert_eq!(first.etag().len(), 130);
        assert!(first.etag().starts_with('"') && first.etag().ends_with('"'));

        // The tag is SHA-512 over the untyped document, recomputed here independently.
        let items = serde_json::to_string(&first.document(DiscoveryVersion::V2).items).unwrap();
        let untyped = format!(r#"{{"metadata":{{}},"items":{items}}}"#);
        let digest = Sha512::digest(untyped.as_bytes());
        let hex: String = digest.iter().map(|byte| format!("{byte:02X}")).collect();
        assert_eq!(first.etag(), format!("\"{hex}\""));

        let core = AggregatedDiscovery::build(&table, DiscoveryRoot::Api);
        assert_ne!(core.etag(), first.etag());
        let grown = AggregatedDiscovery::build(
            &table_of(vec![pods(), deployments(), leases()]),
            DiscoveryRoot::Apis,
        );
        assert_ne!(grown.etag(), first.etag());
    }

    #[test]
    fn if_none_match_compares_the_quoted_tag() {
        let document = AggregatedDiscovery::build(&table_of(vec![pods()]), DiscoveryRoot::Api);
        let tag = document.etag().to_string();
        assert!(document.matches(Some(&tag)));
        assert!(!document.matches(Some(tag.trim_matches('"'))));
        assert!(!document.matches(None));
    }

    #[test]
    fn empty_roots_are_empty_lists() {
        let document = AggregatedDiscovery::build(&table_of(vec![pods()]), DiscoveryRoot::Apis);
        let json = serde_json::to_string(&document.document(DiscoveryVersion::V2)).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[]}"#
        );
    }
}
