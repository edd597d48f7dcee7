//! Resources for discovery tests: real kinds' discovery facts and a resource that serves
//! nothing.

use crate::registry::{ResourceInfo, ResourceTable, RestResource, WatchEvents};
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, Status, Table,
    UpdateOptions,
};
use async_trait::async_trait;
use serde_json::Value;
use std::sync::Arc;

/// A test double for discovery only: it answers [`RestResource::info`] and refuses every verb
/// with 405, so discovery tests can fill a [`ResourceTable`] without a store.
pub struct DiscoveryOnly(pub ResourceInfo);

impl DiscoveryOnly {
    fn refuse(&self, verb: &str) -> Status {
        Status::method_not_supported(self.0.group, self.0.plural, verb)
    }
}

#[async_trait]
impl RestResource for DiscoveryOnly {
    fn info(&self) -> &ResourceInfo {
        &self.0
    }

    async fn create(&self, _: Option<&str>, _: Value, _: &CreateOptions) -> Result<Value, Status> {
        Err(self.refuse("create"))
    }

    async fn get(
        &self,
        _: Option<&str>,
        _: &str,
        _: Option<&str>,
        _: &GetOptions,
    ) -> Result<Value, Status> {
        Err(self.refuse("get"))
    }

    async fn list(&self, _: Option<&str>, _: &ListOptions) -> Result<Value, Status> {
        Err(self.refuse("list"))
    }

    async fn watch(&self, _: Option<&str>, _: &ListOptions) -> Result<WatchEvents, Status> {
        Err(self.refuse("watch"))
    }

    async fn update(
        &self,
        _: Option<&str>,
        _: &str,
        _: Option<&str>,
        _: Value,
        _: &UpdateOptions,
    ) -> Result<(Value, bool), Status> {
        Err(self.refuse("update"))
    }

    async fn patch(
        &self,
        _: Option<&str>,
        _: &str,
        _: Option<&str>,
        _: PatchType,
        _: Value,
        _: &PatchOptions,
    ) -> Result<Value, Status> {
        Err(self.refuse("patch"))
    }

    async fn delete(&self, _: Option<&str>, _: &str, _: &DeleteOptions) -> Result<Value, Status> {
        Err(self.refuse("delete"))
    }

    async fn delete_collection(
        &self,
        _: Option<&str>,
        _: &ListOptions,
        _: &DeleteOptions,
    ) -> Result<Value, Status> {
        Err(self.refuse("deletecollection"))
    }

    fn table(&self, _: &[Value], _: Option<Value>) -> Result<Table, Status> {
        Err(self.refuse("table"))
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
    assert_eq!(refused.message, "table is not supported on resources of kind \"pods\"");
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let refused = runtime.block_on(resource.list(None, &ListOptions::default())).unwrap_err();
    assert_eq!(refused.message, "list is not supported on resources of kind \"pods\"");
}
