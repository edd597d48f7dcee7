//! Discovery: which resources the apiserver serves, with their verbs, read from `/api` and
//! `/apis` as kubectl and upstream's controllers read them. The namespace controller deletes
//! "everything in a namespace" and the garbage collector watches "every kind with owners" by
//! asking this, so a kind added to the apiserver needs no change in them.

use crate::api::ApiResource;
use crate::client::Client;
use crate::error::Result;
use api_types::meta::v1::{APIGroupList, APIResourceList, APIVersions};
use hyper::Method;

/// One served resource (not a subresource) and what can be done with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoveredResource {
    pub resource: ApiResource,
    pub verbs: Vec<String>,
    pub short_names: Vec<String>,
}

impl DiscoveredResource {
    /// Whether the resource supports `verb` (`list`, `watch`, `deletecollection`, ...).
    pub fn supports(&self, verb: &str) -> bool {
        self.verbs.iter().any(|candidate| candidate == verb)
    }
}

/// Every resource of every group's preferred version, core group first.
pub async fn server_preferred_resources(client: &Client) -> Result<Vec<DiscoveredResource>> {
    let mut group_versions = Vec::new();
    let core: APIVersions = client.request(Method::GET, "/api", None).await?;
    if let Some(version) = core.versions.first() {
        group_versions.push((String::new(), version.clone(), format!("/api/{version}")));
    }
    let groups: APIGroupList = client.request(Method::GET, "/apis", None).await?;
    for group in groups.groups {
        let preferred = if group.preferred_version.version.is_empty() {
            group.versions.first().map(|version| version.version.clone())
        } else {
            Some(group.preferred_version.version.clone())
        };
        if let Some(version) = preferred {
            let path = format!("/apis/{}/{version}", group.name);
            group_versions.push((group.name, version, path));
        }
    }
    let mut resources = Vec::new();
    for (group, version, path) in group_versions {
        let list: APIResourceList = client.request(Method::GET, &path, None).await?;
        resources.extend(list.resources.into_iter().filter(|r| !r.name.contains('/')).map(|r| {
            DiscoveredResource {
                resource: ApiResource {
                    group: if r.group.is_empty() { group.clone() } else { r.group.clone() },
                    version: if r.version.is_empty() { version.clone() } else { r.version.clone() },
                    kind: r.kind,
                    plural: r.name,
                    namespaced: r.namespaced,
                },
                verbs: r.verbs,
                short_names: r.short_names,
            }
        }));
    }
    Ok(resources)
}
