//! [`GenericStore`]: every verb of the REST API for any kind declared by a [`Strategy`], over
//! a [`Storage`], with upstream's generic registry semantics (`registry/generic/registry/store.go`
//! and `registry/rest/{create,update,delete}.go`).
//!
//! One file per concern:
//! - `create`, `read` (get), `list`, `watch`, `update` (PUT and the shared optimistic-concurrency
//!   loop), `patch`, `delete` (and delete-collection), `scale`, `table`: the verbs;
//! - `stored_update`: the write without strategy hooks that subresources like `binding` use;
//! - `convert`: JSON in and out (request bodies, stored values, the status/spec split);
//! - `options`: checks of the verbs' options (dryRun, list and delete options, resourceVersion);
//! - `filter`: label and field selectors;
//! - `errors`: storage failures as upstream `Status` errors;
//! - `random`: uids and generated names.

pub(super) mod convert;
mod create;
mod delete;
mod errors;
mod filter;
mod list;
mod options;
mod patch;
mod random;
mod read;
mod scale;
mod stored_update;
mod table;
mod update;
mod watch;

#[cfg(test)]
mod tests;

pub(in crate::registry) use convert::decode_body;
pub(in crate::registry) use options::dry_run;

use super::cache::{CacheSettings, WatchCache};
use super::{ResourceInfo, RestResource, Strategy, WatchEvents};
use crate::storage::{Storage, keys};
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, Status, Table,
    UpdateOptions,
};
use async_trait::async_trait;
use serde_json::Value;
use std::marker::PhantomData;
use std::sync::Arc;

/// Serves kind `T` from storage: the one implementation of [`RestResource`] behind every
/// resource, so that adding a kind needs a [`Strategy`] and nothing else. Lists and watches are
/// served from the resource's watch cache when it can serve them, else from storage.
pub struct GenericStore<T: Strategy> {
    storage: Arc<dyn Storage>,
    /// Every object of the kind and its recent changes, fed by one storage watch.
    cache: WatchCache<T>,
    /// The storage key prefix (`--etcd-prefix`, `/registry` by default).
    prefix: String,
    info: ResourceInfo,
    kind: PhantomData<fn() -> T>,
}

impl<T: Strategy> GenericStore<T> {
    /// A store for `T` keeping its objects under `<prefix>/<plural>/...` in `storage`. Its watch
    /// cache starts with the first list or watch.
    pub fn new(storage: Arc<dyn Storage>, prefix: &str) -> Self {
        Self::with_cache_settings(storage, prefix, CacheSettings::default())
    }

    /// Like [`GenericStore::new`], with the watch cache's limits and timings chosen.
    pub fn with_cache_settings(
        storage: Arc<dyn Storage>,
        prefix: &str,
        cache_settings: CacheSettings,
    ) -> Self {
        let info = ResourceInfo::of::<T>();
        let prefix = prefix.trim_end_matches('/').to_string();
        let cache_prefix = keys::list_prefix(&prefix, T::PLURAL, None);
        GenericStore {
            cache: WatchCache::new(&storage, cache_prefix, cache_settings),
            storage,
            prefix,
            info,
            kind: PhantomData,
        }
    }

    /// The key of one object, refusing what upstream's key functions refuse: a namespaced kind
    /// without a namespace, an empty name, or a name that is not a safe path segment.
    fn object_key(&self, namespace: Option<&str>, name: &str) -> Result<String, Status> {
        let namespace = if T::NAMESPACED {
            match namespace.filter(|namespace| !namespace.is_empty()) {
                Some(namespace) => Some(namespace),
                None => return Err(Status::bad_request("Namespace parameter required.")),
            }
        } else {
            None
        };
        if name.is_empty() {
            return Err(Status::bad_request("Name parameter required."));
        }
        let problems = path_segment_problems(name);
        if !problems.is_empty() {
            let quoted = serde_json::to_string(name).unwrap_or_default();
            return Err(Status::bad_request(format!(
                "Name parameter invalid: {quoted}: {}",
                problems.join(";")
            )));
        }
        Ok(keys::object_key(&self.prefix, T::PLURAL, namespace, name))
    }

    /// The prefix holding every object a list or watch may return: one namespace's, or all of
    /// them when no namespace is given (or the kind is cluster-scoped).
    fn collection_prefix(&self, namespace: Option<&str>) -> String {
        let namespace = namespace.filter(|namespace| T::NAMESPACED && !namespace.is_empty());
        keys::list_prefix(&self.prefix, T::PLURAL, namespace)
    }
}

/// Why `name` cannot be one path segment of a URL or key (upstream's `IsValidPathSegmentName`).
fn path_segment_problems(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .into_iter()
        .filter(|forbidden| name.contains(forbidden))
        .map(|forbidden| format!("may not contain '{forbidden}'"))
        .collect()
}

#[async_trait]
impl<T: Strategy> RestResource for GenericStore<T> {
    fn info(&self) -> &ResourceInfo {
        &self.info
    }

    async fn create(
        &self,
        namespace: Option<&str>,
        body: Value,
        options: &CreateOptions,
    ) -> Result<Value, Status> {
        self.create_object(namespace, body, options).await
    }

    async fn get(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        options: &GetOptions,
    ) -> Result<Value, Status> {
        self.get_object(namespace, name, subresource, options).await
    }

    async fn list(&self, namespace: Option<&str>, options: &ListOptions) -> Result<Value, Status> {
        self.list_objects(namespace, options).await
    }

    async fn watch(
        &self,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<WatchEvents, Status> {
        self.watch_objects(namespace, options).await
    }

    async fn update(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        body: Value,
        options: &UpdateOptions,
    ) -> Result<(Value, bool), Status> {
        let updated = self.update_object(namespace, name, subresource, body, options).await?;
        Ok((updated, false))
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
        self.patch_object(namespace, name, subresource, patch_type, patch, options).await
    }

    async fn delete(
        &self,
        namespace: Option<&str>,
        name: &str,
        options: &DeleteOptions,
    ) -> Result<Value, Status> {
        self.delete_object(namespace, name, options).await
    }

    async fn delete_collection(
        &self,
        namespace: Option<&str>,
        list_options: &ListOptions,
        options: &DeleteOptions,
    ) -> Result<Value, Status> {
        self.delete_objects(namespace, list_options, options).await
    }

    fn table(&self, objects: &[Value], list_meta: Option<Value>) -> Result<Table, Status> {
        table::build::<T>(objects, list_meta)
    }
}
