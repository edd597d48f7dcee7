//! The type-erased interface between the HTTP layer and the generic store: objects travel as
//! JSON values, failures as upstream `Status` objects ready to be written to the client.

use super::ResourceInfo;
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, Status, Table,
    UpdateOptions, WatchEvent,
};
use async_trait::async_trait;
use serde_json::Value;
use tokio::sync::mpsc;

/// The events of one watch, each a `{"type","object"}` frame ready to be written; an `ERROR`
/// frame carries a `Status`. The stream ends when the watch times out or the store closes it;
/// dropping it ends the watch.
pub type WatchEvents = mpsc::Receiver<WatchEvent<Value>>;

/// Everything the HTTP layer can ask of one resource. `namespace` is `None` for cluster-scoped
/// resources and for requests across all namespaces; `subresource` is the path segment after the
/// name (`status`, `scale`, ...), `None` for the object itself.
#[async_trait]
pub trait RestResource: Send + Sync {
    fn info(&self) -> &ResourceInfo;

    /// POST: creates the object in `body` (defaulted, validated, `generateName` expanded),
    /// returning it as stored (201).
    async fn create(
        &self,
        _namespace: Option<&str>,
        _body: Value,
        _options: &CreateOptions,
    ) -> Result<Value, Status> {
        Err(not_served(self.info(), "create"))
    }

    /// GET of one object or one of its subresources.
    async fn get(
        &self,
        _namespace: Option<&str>,
        _name: &str,
        _subresource: Option<&str>,
        _options: &GetOptions,
    ) -> Result<Value, Status> {
        Err(not_served(self.info(), "get"))
    }

    /// GET of a collection: a typed list (`PodList`) with `metadata.resourceVersion` and, when
    /// paged, `continue`/`remainingItemCount`.
    async fn list(
        &self,
        _namespace: Option<&str>,
        _options: &ListOptions,
    ) -> Result<Value, Status> {
        Err(not_served(self.info(), "list"))
    }

    /// GET with `watch=true`: changes after `options.resource_version`, filtered by the
    /// selectors (an object leaving the selection is sent as DELETED, one entering as ADDED).
    /// From `""` or `"0"` the current state comes first, as ADDED events. `timeoutSeconds` ends
    /// the stream; unset or 0 means no end at this level, so the HTTP layer applies the server's
    /// default watch timeout itself.
    async fn watch(
        &self,
        _namespace: Option<&str>,
        _options: &ListOptions,
    ) -> Result<WatchEvents, Status> {
        Err(not_served(self.info(), "watch"))
    }

    /// PUT: replaces the object (or its subresource) under optimistic concurrency. Returns the
    /// stored object and whether it was created (upstream creates on PUT only for some kinds).
    async fn update(
        &self,
        _namespace: Option<&str>,
        _name: &str,
        _subresource: Option<&str>,
        _body: Value,
        _options: &UpdateOptions,
    ) -> Result<(Value, bool), Status> {
        Err(not_served(self.info(), "update"))
    }

    /// PATCH with one of the three patch formats.
    async fn patch(
        &self,
        _namespace: Option<&str>,
        _name: &str,
        _subresource: Option<&str>,
        _patch_type: PatchType,
        _patch: Value,
        _options: &PatchOptions,
    ) -> Result<Value, Status> {
        Err(not_served(self.info(), "patch"))
    }

    /// DELETE of one object: returns the object as deleted (or as it stands with its
    /// `deletionTimestamp` set, when graceful deletion or finalizers keep it for now).
    async fn delete(
        &self,
        _namespace: Option<&str>,
        _name: &str,
        _options: &DeleteOptions,
    ) -> Result<Value, Status> {
        Err(not_served(self.info(), "delete"))
    }

    /// DELETE of a collection: deletes every object the list options select, returning them
    /// as a list.
    async fn delete_collection(
        &self,
        _namespace: Option<&str>,
        _list_options: &ListOptions,
        _options: &DeleteOptions,
    ) -> Result<Value, Status> {
        Err(not_served(self.info(), "deletecollection"))
    }

    /// The server-side table (`kubectl get`) of `objects`, which are this resource's objects as
    /// returned by get or list (a single object or the items of a list), with the list's
    /// `metadata` when there is one. Each row's `object` is the object's
    /// `PartialObjectMetadata` (upstream's default `includeObject=Metadata`); the HTTP layer
    /// replaces it for `includeObject=Object` or `None`.
    fn table(&self, _objects: &[Value], _list_meta: Option<Value>) -> Result<Table, Status> {
        Err(not_served(self.info(), "get"))
    }
}

/// What a resource answers for a verb it does not serve: upstream's 405 naming the verb. The
/// trait's default for every verb, so a resource that serves only some (bindings are create-only,
/// componentstatuses read-only) implements just those.
pub fn not_served(info: &ResourceInfo, verb: &str) -> Status {
    Status::method_not_supported(info.group, info.plural, verb)
}
