//! Subresources that accept a new object on behalf of an existing one (upstream's
//! `NamedCreater`): `POST pods/<name>/binding` assigns the pod, `POST pods/<name>/eviction`
//! evicts it. Nothing of the posted kind is stored; the parent object changes instead.

use super::ResourceInfo;
use api_types::meta::v1::{CreateOptions, Status};
use async_trait::async_trait;
use serde_json::Value;

/// One subresource served by `POST <parent>/<name>/<subresource>`.
#[async_trait]
pub trait NamedCreate: Send + Sync {
    /// The kind the subresource accepts (its group, version and kind name decoding errors and
    /// discovery); `plural` is the subresource's path segment.
    fn accepts(&self) -> &ResourceInfo;

    /// Handles `body` (already decoded from JSON or YAML, its namespace agreeing with the URL's)
    /// for the parent object `name`, returning what the client gets with a 201: upstream answers
    /// both binding and eviction with a `Success` status.
    async fn create_named(
        &self,
        namespace: Option<&str>,
        name: &str,
        body: Value,
        options: &CreateOptions,
    ) -> Result<Value, Status>;
}

/// The `Success` status a named create answers with; `code` is the 201 it goes out with, as
/// upstream's create handler fills an unset code in.
pub fn created_status() -> Value {
    let mut status = Status::success();
    status.code = 201;
    serde_json::to_value(status).unwrap_or_default()
}
