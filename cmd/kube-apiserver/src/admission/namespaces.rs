//! [`NamespaceAdmission`]: the namespace plugins around one resource.

use super::{Plugin, SYSTEM_NAMESPACES};
use crate::registry::{ResourceInfo, RestResource, WatchEvents};
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, Status,
    StatusReason, Table, UpdateOptions,
};
use async_trait::async_trait;
use serde_json::{Value, json};
use std::sync::Arc;

/// A resource whose creates (when namespaced) and deletes (when it is the Namespace resource)
/// pass the namespace plugins first; every other verb goes straight to `inner`.
pub struct NamespaceAdmission {
    inner: Arc<dyn RestResource>,
    /// The Namespace resource, to look namespaces up and to create them on demand.
    namespaces: Arc<dyn RestResource>,
    plugins: Vec<Plugin>,
}

impl NamespaceAdmission {
    /// `inner` behind `plugins`, looking namespaces up in `namespaces`.
    pub fn new(
        inner: Arc<dyn RestResource>,
        namespaces: Arc<dyn RestResource>,
        plugins: Vec<Plugin>,
    ) -> Self {
        NamespaceAdmission { inner, namespaces, plugins }
    }

    fn runs(&self, plugin: Plugin) -> bool {
        self.plugins.contains(&plugin)
    }

    /// The namespace `name`, read as upstream's plugin reads it: from the watch cache (no
    /// storage round trip per create), and live only when the cache does not have it yet (a
    /// namespace created a moment ago).
    async fn namespace(&self, name: &str) -> Result<Option<Value>, Status> {
        let cached = GetOptions { resource_version: "0".to_string(), ..Default::default() };
        for options in [cached, GetOptions::default()] {
            match self.namespaces.get(None, name, None, &options).await {
                Ok(namespace) => return Ok(Some(namespace)),
                Err(status) if status.is(StatusReason::NotFound) => continue,
                Err(status) => return Err(status),
            }
        }
        Ok(None)
    }

    /// Runs the plugins, in order, for a create of `object` in `namespace`.
    async fn admit_create(&self, namespace: &str, object: &Value) -> Result<(), Status> {
        for plugin in &self.plugins {
            match plugin {
                Plugin::AlwaysAdmit => {}
                Plugin::NamespaceAutoProvision => {
                    if self.namespace(namespace).await?.is_none() {
                        let body = json!({
                            "apiVersion": "v1",
                            "kind": "Namespace",
                            "metadata": {"name": namespace},
                        });
                        match self.namespaces.create(None, body, &CreateOptions::default()).await {
                            Ok(_) => {}
                            Err(status) if status.is(StatusReason::AlreadyExists) => {}
                            Err(status) => return Err(status),
                        }
                    }
                }
                Plugin::NamespaceExists => {
                    if self.namespace(namespace).await?.is_none() {
                        return Err(Status::not_found("", "namespaces", namespace));
                    }
                }
                Plugin::NamespaceLifecycle => {
                    let Some(found) = self.namespace(namespace).await? else {
                        return Err(Status::not_found("", "namespaces", namespace));
                    };
                    let terminating = found["status"]["phase"] == "Terminating"
                        || !found["metadata"]["deletionTimestamp"].is_null();
                    if terminating {
                        let info = self.inner.info();
                        let name = object["metadata"]["name"].as_str().unwrap_or_default();
                        return Err(Status::forbidden(
                            info.group,
                            info.plural,
                            name,
                            format!(
                                "unable to create new content in namespace {namespace} because \
                                 it is being terminated"
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether this is the Namespace resource and `NamespaceLifecycle` guards its deletes.
    fn protects_system_namespaces(&self) -> bool {
        let info = self.inner.info();
        info.group.is_empty()
            && info.plural == "namespaces"
            && self.runs(Plugin::NamespaceLifecycle)
    }
}

fn system_namespace_forbidden(name: &str) -> Status {
    Status::forbidden("", "namespaces", name, "this namespace may not be deleted")
}

#[async_trait]
impl RestResource for NamespaceAdmission {
    fn info(&self) -> &ResourceInfo {
        self.inner.info()
    }

    async fn create(
        &self,
        namespace: Option<&str>,
        body: Value,
        options: &CreateOptions,
    ) -> Result<Value, Status> {
        if let Some(namespace) = namespace.filter(|namespace| !namespace.is_empty())
            && self.inner.info().namespaced
        {
            self.admit_create(namespace, &body).await?;
        }
        self.inner.create(namespace, body, options).await
    }

    async fn get(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        options: &GetOptions,
    ) -> Result<Value, Status> {
        self.inner.get(namespace, name, subresource, options).await
    }

    async fn list(&self, namespace: Option<&str>, options: &ListOptions) -> Result<Value, Status> {
        self.inner.list(namespace, options).await
    }

    async fn watch(
        &self,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<WatchEvents, Status> {
        self.inner.watch(namespace, options).await
    }

    async fn update(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        body: Value,
        options: &UpdateOptions,
    ) -> Result<(Value, bool), Status> {
        self.inner.update(namespace, name, subresource, body, options).await
    }

    async fn patch(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        patch_type: PatchType,
        patch: Value,
        options: &PatchOptions,
    ) -> Result<Value, Status> {
        self.inner.patch(namespace, name, subresource, patch_type, patch, options).await
    }

    async fn delete(
        &self,
        namespace: Option<&str>,
        name: &str,
        options: &DeleteOptions,
    ) -> Result<Value, Status> {
        if self.protects_system_namespaces() && SYSTEM_NAMESPACES.contains(&name) {
            return Err(system_namespace_forbidden(name));
        }
        self.inner.delete(namespace, name, options).await
    }

    async fn delete_collection(
        &self,
        namespace: Option<&str>,
        list_options: &ListOptions,
        options: &DeleteOptions,
    ) -> Result<Value, Status> {
        // Namespaces serve no deletecollection (their verbs leave it out, as upstream), so the
        // system namespaces need no guard here.
        self.inner.delete_collection(namespace, list_options, options).await
    }

    fn table(&self, objects: &[Value], list_meta: Option<Value>) -> Result<Table, Status> {
        self.inner.table(objects, list_meta)
    }
}
