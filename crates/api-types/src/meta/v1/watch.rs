//! `WatchEvent`: one frame of a watch stream, `{"type":"ADDED","object":{...}}`.
//!
//! The apiserver writes one per line (JSON) and clients decode them one by one. An `ERROR` frame
//! carries a [`Status`] instead of the watched kind, so typed decoding goes through
//! [`WatchEvent::into_typed`], which turns it into an error.

use super::Status;
use crate::resource::Resource;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The annotation the `BOOKMARK` closing the initial replay of a `sendInitialEvents` watch carries
/// (value `"true"`), telling a reflector its cache is complete.
pub const INITIAL_EVENTS_END_ANNOTATION: &str = "k8s.io/initial-events-end";

/// What happened to the object of a watch event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
    /// No change; the object carries only the `resourceVersion` the stream has reached.
    Bookmark,
    /// The watch failed; the object is a [`Status`] and the stream ends.
    Error,
}

impl WatchEventType {
    /// The wire spelling (`ADDED`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            WatchEventType::Added => "ADDED",
            WatchEventType::Modified => "MODIFIED",
            WatchEventType::Deleted => "DELETED",
            WatchEventType::Bookmark => "BOOKMARK",
            WatchEventType::Error => "ERROR",
        }
    }
}

/// One watch event. `T` is the watched kind for typed use, or `serde_json::Value` (the default)
/// when a frame must be inspected before its object can be decoded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WatchEvent<T = serde_json::Value> {
    #[serde(rename = "type")]
    pub type_: WatchEventType,
    pub object: T,
}

/// Why a raw watch frame could not become a typed event.
#[derive(Debug, thiserror::Error)]
pub enum WatchEventError {
    /// The server ended the watch with this `Status` (a 410 `Expired` asks the client to relist).
    #[error("watch failed: {0}")]
    Server(Box<Status>),
    /// The object did not decode as the watched kind (or, for `ERROR`, as a `Status`).
    #[error("decoding watch event object: {0}")]
    Decode(#[from] serde_json::Error),
}

impl<T> WatchEvent<T> {
    /// An event of `type_` about `object`.
    pub fn new(type_: WatchEventType, object: T) -> Self {
        WatchEvent { type_, object }
    }
}

impl<T: Resource> WatchEvent<T> {
    /// The `BOOKMARK` the apiserver sends for kind `T`: an empty object of the kind holding only
    /// `resource_version`, plus [`INITIAL_EVENTS_END_ANNOTATION`] when it closes the initial replay.
    pub fn bookmark(resource_version: &str, initial_events_end: bool) -> Self {
        let mut object = T::default();
        object.set_type_meta();
        let metadata = object.metadata_mut();
        metadata.resource_version = resource_version.to_string();
        if initial_events_end {
            metadata.annotations.insert(INITIAL_EVENTS_END_ANNOTATION.to_string(), "true".into());
        }
        WatchEvent::new(WatchEventType::Bookmark, object)
    }
}

impl WatchEvent<serde_json::Value> {
    /// The `ERROR` frame that ends a watch with `status`.
    pub fn error(status: &Status) -> Self {
        let object = serde_json::to_value(status).expect("a Status always serializes to JSON");
        WatchEvent::new(WatchEventType::Error, object)
    }

    /// Decodes the object as the watched kind; an `ERROR` frame becomes
    /// [`WatchEventError::Server`] with its `Status`.
    pub fn into_typed<T: DeserializeOwned>(self) -> Result<WatchEvent<T>, WatchEventError> {
        if self.type_ == WatchEventType::Error {
            return Err(WatchEventError::Server(serde_json::from_value(self.object)?));
        }
        Ok(WatchEvent::new(self.type_, serde_json::from_value(self.object)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::ConfigMap;
    use crate::meta::v1::StatusReason;
    use serde_json::json;

    #[test]
    fn real_added_frame_decodes_typed() {
        let frame = r#"{"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"settings","namespace":"default","uid":"b1f3d6a2-3c7e-4a55-9d1e-2f0a6c8e7b14","resourceVersion":"1187","creationTimestamp":"2024-05-01T09:30:00Z"},"data":{"mode":"fast"}}}"#;
        let original: serde_json::Value = serde_json::from_str(frame).unwrap();
        let raw: WatchEvent = serde_json::from_str(frame).unwrap();
        assert_eq!(raw.type_, WatchEventType::Added);
        assert_eq!(serde_json::to_value(&raw).unwrap(), original);

        let typed: WatchEvent<ConfigMap> = raw.into_typed().unwrap();
        assert_eq!(typed.object.metadata.resource_version, "1187");
        assert_eq!(typed.object.data["mode"], "fast");
        assert_eq!(serde_json::to_value(&typed).unwrap(), original);
    }

    #[test]
    fn every_type_has_its_upper_case_spelling() {
        for (type_, text) in [
            (WatchEventType::Added, "ADDED"),
            (WatchEventType::Modified, "MODIFIED"),
            (WatchEventType::Deleted, "DELETED"),
            (WatchEventType::Bookmark, "BOOKMARK"),
            (WatchEventType::Error, "ERROR"),
        ] {
            assert_eq!(serde_json::to_value(type_).unwrap(), json!(text));
            assert_eq!(type_.as_str(), text);
            assert_eq!(serde_json::from_value::<WatchEventType>(json!(text)).unwrap(), type_);
        }
        assert!(serde_json::from_value::<WatchEventType>(json!("added")).is_err());
    }

    #[test]
    fn error_frame_carries_a_status_and_fails_typed_decoding() {
        let frame = r#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 12 (340)","reason":"Expired","code":410}}"#;
        let built = WatchEvent::error(&Status::too_old_resource_version(12, 340));
        let original: serde_json::Value = serde_json::from_str(frame).unwrap();
        assert_eq!(serde_json::to_value(&built).unwrap(), original);

        let raw: WatchEvent = serde_json::from_str(frame).unwrap();
        match raw.into_typed::<ConfigMap>() {
            Err(WatchEventError::Server(status)) => assert!(status.is(StatusReason::Expired)),
            other => panic!("expected a server error, got {other:?}"),
        }
    }

    #[test]
    fn bookmarks_carry_only_the_resource_version() {
        let bookmark = WatchEvent::<ConfigMap>::bookmark("2201", false);
        assert_eq!(
            serde_json::to_value(&bookmark).unwrap(),
            json!({"type": "BOOKMARK", "object": {"kind": "ConfigMap", "apiVersion": "v1",
                   "metadata": {"resourceVersion": "2201", "creationTimestamp": null}}})
        );
        let closing = WatchEvent::<ConfigMap>::bookmark("2201", true);
        assert_eq!(closing.object.metadata.annotations[INITIAL_EVENTS_END_ANNOTATION], "true");
    }

    #[test]
    fn mistyped_objects_are_decode_errors() {
        let raw: WatchEvent =
            serde_json::from_value(json!({"type": "MODIFIED", "object": {"metadata": 7}})).unwrap();
        assert!(matches!(raw.into_typed::<ConfigMap>(), Err(WatchEventError::Decode(_))));
    }
}
