//! JSON in and out of the store: request bodies decoded as the served kind, stored values read
//! back with their revision as `resourceVersion`, and the JSON-level status/spec split that lets
//! one generic store serve every kind's `status` subresource.

use crate::registry::Strategy;
use crate::storage::{KeyValue, Revision};
use api_types::Resource;
use api_types::meta::v1::Status;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes a request body as kind `R`: 400 if it names another `apiVersion` or `kind`, or if its
/// fields do not fit the kind, worded as upstream's decoder words it.
pub(in crate::registry) fn decode_body<R: Resource>(body: Value) -> Result<R, Status> {
    let text_field = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or("").to_string();
    let (api_version, kind) = (text_field("apiVersion"), text_field("kind"));
    if !api_version.is_empty() && api_version != R::API_VERSION {
        return Err(Status::bad_request(format!(
            "the API version in the data ({api_version}) does not match the expected API version ({})",
            R::API_VERSION
        )));
    }
    let shown_kind = if kind.is_empty() { R::KIND } else { kind.as_str() };
    let cannot_handle = |cause: String| {
        Status::bad_request(format!(
            "{shown_kind} in version \"{}\" cannot be handled as a {}: {cause}",
            R::VERSION,
            R::KIND
        ))
    };
    if !body.is_object() {
        return Err(cannot_handle(format!("expected a JSON object, found {}", json_type(&body))));
    }
    if shown_kind != R::KIND {
        let internal = if R::GROUP.is_empty() {
            "core"
        } else {
            R::GROUP.split('.').next().unwrap_or(R::GROUP)
        };
        return Err(cannot_handle(format!(
            "converting ({}.{shown_kind}) to ({internal}.{}): unknown conversion",
            R::VERSION,
            R::KIND
        )));
    }
    serde_json::from_value(body).map_err(|error| cannot_handle(error.to_string()))
}

/// The JSON type of `value`, as error messages name it.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A stored value as the object clients see: defaulted (stored objects may predate a default),
/// with `apiVersion`/`kind` and its last-modified revision as `resourceVersion`.
pub(super) fn decode_stored<T: Strategy>(stored: &KeyValue) -> Result<T, Status> {
    decode_at(stored, stored.mod_revision)
}

/// Like [`decode_stored`] with `revision` as the resourceVersion: a deleted object reported by a
/// watch carries the revision of its deletion, as upstream's watchers report it.
pub(in crate::registry) fn decode_at<T: Strategy>(
    stored: &KeyValue,
    revision: Revision,
) -> Result<T, Status> {
    let mut object: T = serde_json::from_slice(&stored.value).map_err(|error| {
        Status::internal_error(format!("decoding the stored value of {}: {error}", stored.key))
    })?;
    object.apply_defaults();
    object.set_type_meta();
    object.metadata_mut().resource_version = revision.to_string();
    Ok(object)
}

/// The bytes to store for `object`: its JSON with `apiVersion`/`kind` and without
/// `resourceVersion`, which storage keeps as the key's revision instead (as upstream's etcd store
/// does).
pub(super) fn encode_for_storage<T: Resource>(object: &T) -> Result<Vec<u8>, Status> {
    serde_json::to_vec(&storable(object)).map_err(Status::internal_error)
}

/// `object` as it is stored, for comparing two versions of it.
fn storable<T: Resource>(object: &T) -> T {
    let mut object = object.clone();
    object.set_type_meta();
    object.metadata_mut().resource_version.clear();
    object
}

/// Whether writing `new` over `old` would store the same bytes: upstream skips such writes, so
/// a no-op update neither advances the resourceVersion nor wakes watchers.
pub(super) fn same_stored_form<T: Resource>(new: &T, old: &T) -> Result<bool, Status> {
    Ok(to_json(&storable(new))? == to_json(&storable(old))?)
}

/// Any API value as JSON; API types always serialize, so a failure is an internal error.
pub(in crate::registry) fn to_json<S: Serialize>(value: &S) -> Result<Value, Status> {
    serde_json::to_value(value).map_err(Status::internal_error)
}

/// `object` with `apiVersion`/`kind` set, as JSON: what every verb returns.
pub(super) fn to_response<T: Resource>(mut object: T) -> Result<Value, Status> {
    object.set_type_meta();
    to_json(&object)
}

/// `target` with the `status` of `source`: how a write to the object keeps the stored status,
/// and a write to the `status` subresource changes nothing else.
pub(super) fn with_status_of<T: DeserializeOwned + Serialize>(
    target: &T,
    source: &T,
) -> Result<T, Status> {
    let mut merged = to_json(target)?;
    let status = to_json(source)?.get("status").cloned();
    if let Some(fields) = merged.as_object_mut() {
        match status {
            Some(status) => fields.insert("status".to_string(), status),
            None => fields.remove("status"),
        };
    }
    serde_json::from_value(merged).map_err(Status::internal_error)
}

/// Whether anything but metadata and status differs: what bumps `metadata.generation` of kinds
/// that track it.
pub(super) fn spec_differs<T: Serialize>(new: &T, old: &T) -> Result<bool, Status> {
    let without_meta_and_status = |object: &T| -> Result<Value, Status> {
        let mut value = to_json(object)?;
        if let Some(fields) = value.as_object_mut() {
            for ignored in ["apiVersion", "kind", "metadata", "status"] {
                fields.remove(ignored);
            }
        }
        Ok(value)
    };
    Ok(without_meta_and_status(new)? != without_meta_and_status(old)?)
}
