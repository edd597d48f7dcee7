//! Objects as the cache keeps them: decoded once when they arrive from storage, and encoded once,
//! so that filtering a list or a watch reads typed fields and sending one copies JSON, with no
//! decoding or encoding per request or per watcher.

use crate::registry::Strategy;
use crate::registry::store::convert::{decode_at, to_json};
use crate::storage::{KeyValue, Revision};
use api_types::meta::v1::Status;
use serde_json::Value;

/// One object at one revision, typed (for selectors) and as the JSON clients receive.
#[derive(Debug)]
pub struct CachedObject<T> {
    /// The storage key, which orders lists as storage orders them.
    pub key: String,
    /// The object as clients see it (defaulted, with `apiVersion`, `kind` and
    /// `resourceVersion`).
    pub object: T,
    /// `object` as JSON.
    pub json: Value,
}

impl<T: Strategy> CachedObject<T> {
    /// A stored value as clients see it at `revision` (its own modification, or the delete that
    /// removed it).
    pub fn decode(stored: &KeyValue, revision: Revision) -> Result<Self, Status> {
        let object: T = decode_at(stored, revision)?;
        let json = to_json(&object)?;
        Ok(CachedObject { key: stored.key.clone(), object, json })
    }

    /// The same object reported at another revision, as a DELETED event reports the last state
    /// at the revision of the delete.
    pub fn at_revision(&self, revision: Revision) -> Self {
        let mut object = self.object.clone();
        object.metadata_mut().resource_version = revision.to_string();
        CachedObject { key: self.key.clone(), object, json: json_at_revision(&self.json, revision) }
    }
}

/// `json` with its `metadata.resourceVersion` set to `revision`.
pub fn json_at_revision(json: &Value, revision: Revision) -> Value {
    let mut json = json.clone();
    if let Some(metadata) = json.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.insert("resourceVersion".to_string(), Value::String(revision.to_string()));
    }
    json
}
