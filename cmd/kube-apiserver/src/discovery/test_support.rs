//! Resources for discovery tests: real kinds' discovery facts and a resource that serves
//! nothing.

use crate::registry::{ResourceInfo, ResourceTable, RestResource};
use api_types::meta::v1::ListOptions;
use async_trait::async_trait;
use std::sync::Arc;

/// A test double for discovery only: it answers [`RestResource::info`] and refuses every verb
/// with 405, so discovery tests can fill a [`ResourceTable`] without a store.
pub struct DiscoveryOnly(pub ResourceInfo);

#[async_trait]
impl RestResource for DiscoveryOnly {
    fn info(&self) -> &ResourceInfo {
        &self.0
    }
}

/// A table serving `resources`.
pub fn table_of(resources: Vec<ResourceInfo>) -> ResourceTable {
    let mut table = ResourceTable::default();
    for info in resources {
        table.insert(Arc::new(DiscoveryOnly(info)));
    }
    table
}

/// Pods with the subresources a real cluster serves, declared out of order on purpose.
pub fn pods() -> ResourceInfo {
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "Pod",
        plural: "pods",
        singular: "pod".to_string(),
        namespaced: true,
        short_names: &["po"],
        categories: &["all"],
        subresources: &[
            "status",
            "binding",
            "eviction",
            "log",
            "exec",
            "attach",
            "portforward",
            "proxy",
            "ephemeralcontainers",
        ],
        verbs: ResourceInfo::ALL_VERBS,
    }
}

/// Namespaces: cluster-scoped, with `finalize`.
pub fn namespaces() -> ResourceInfo {
    ResourceInfo {
        group: "",
        version: "v1",
        kind: "Namespace",
        plural: "namespaces",
        singular: "namespace".to_string(),
        namespaced: false,
        short_names: &["ns"],
        categories: &[],
        subresources: &["status", "finalize"],
        verbs: &["create", "delete", "get", "list", "patch", "update", "watch"],
    }
}

/// Deployments, whose `scale` returns `autoscaling/v1` `Scale`.
pub fn deployments() -> ResourceInfo {
    ResourceInfo {
        group: "apps",
        version: "v1",
        kind: "Deployment",
        plural: "deployments",
        singular: "deployment".to_string(),
        namespaced: true,
        short_names: &["deploy"],
        categories: &["all"],
        subresources: &["status", "scale"],
        verbs: ResourceInfo::ALL_VERBS,
    }
}

/// Leases: a second named group, with no subresources, short names or categories.
pub fn leases() -> ResourceInfo {
    ResourceInfo {
        group: "coordination.k8s.io",
        version: "v1",
        kind: "Lease",
        plural: "leases",
        singular: "lease".to_string(),
        namespaced: true,
        short_names: &[],
        categories: &[],
        subresources: &[],
        verbs: ResourceInfo::ALL_VERBS,
    }
}

#[test]
fn the_double_refuses_every_verb() {
    let resource = DiscoveryOnly(pods());
    let refused = resource.table(&[], None).unwrap_err();
    assert_eq!(refused.code, 405);
    assert_eq!(refused.message, "get is not supported on resources of kind \"pods\"");
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let refused = runtime.block_on(resource.list(None, &ListOptions::default())).unwrap_err();
    assert_eq!(refused.message, "list is not supported on resources of kind \"pods\"");
}
