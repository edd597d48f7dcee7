//! [`WatchStream`]: the events of one watch request, decoded frame by frame as the apiserver
//! writes them (one JSON object per event). This is the raw stream: it ends when the server ends
//! the request; resuming and relisting are the watcher's job, built on top.

use crate::error::{Error, Result};
use api_types::meta::v1::{Status, WatchEvent, WatchEventType};
use bytes::{Buf, BytesMut};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::marker::PhantomData;

/// The largest frame accepted; a bigger one means the stream is not a watch (or is corrupt).
const MAX_FRAME_BYTES: usize = 64 * 1024 * 1024;

/// One watch's events in order. An `ERROR` event comes out as [`Error::Api`] with the server's
/// `Status` (a 410 asks for a relist) and ends the stream.
pub struct WatchStream<K> {
    body: Option<Incoming>,
    buffer: BytesMut,
    kind: PhantomData<fn() -> K>,
}

impl<K: DeserializeOwned> WatchStream<K> {
    /// Decodes the events of a watch response body.
    pub fn new(body: Incoming) -> Self {
        WatchStream { body: Some(body), buffer: BytesMut::new(), kind: PhantomData }
    }

    /// The next event; `None` when the server ended the watch.
    pub async fn next(&mut self) -> Option<Result<WatchEvent<K>>> {
        loop {
            match next_frame(&mut self.buffer) {
                Ok(Some(frame)) => {
                    let event = decode_event(frame);
                    if event.is_err() {
                        self.body = None;
                    }
                    return Some(event);
                }
                Ok(None) => {}
                Err(error) => {
                    self.body = None;
                    return Some(Err(error));
                }
            }
            let body = self.body.as_mut()?;
            match body.frame().await {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        self.buffer.extend_from_slice(&data);
                    }
                }
                Some(Err(error)) => {
                    self.body = None;
                    return Some(Err(Error::Transport(format!("watch stream: {error}"))));
                }
                None => {
                    self.body = None;
                    let rest = std::mem::take(&mut self.buffer);
                    if rest.iter().all(u8::is_ascii_whitespace) {
                        return None;
                    }
                    return Some(Err(Error::Transport(
                        "watch stream ended inside an event".into(),
                    )));
                }
            }
        }
    }
}

/// Takes the first complete JSON value out of `buffer`, if one is there yet.
fn next_frame(buffer: &mut BytesMut) -> Result<Option<Value>> {
    let start = buffer.iter().position(|byte| !byte.is_ascii_whitespace());
    let Some(start) = start else {
        buffer.clear();
        return Ok(None);
    };
    buffer.advance(start);
    let mut values = serde_json::Deserializer::from_slice(buffer).into_iter::<Value>();
    match values.next() {
        Some(Ok(value)) => {
            let used = values.byte_offset();
            buffer.advance(used);
            Ok(Some(value))
        }
        Some(Err(error)) if error.is_eof() => {
            if buffer.len() > MAX_FRAME_BYTES {
                return Err(Error::Transport(format!(
                    "watch event larger than {MAX_FRAME_BYTES} bytes"
                )));
            }
            Ok(None)
        }
        Some(Err(error)) => Err(Error::Decode(error)),
        None => Ok(None),
    }
}

/// A frame as a typed event; `ERROR` frames become the server's `Status` error.
fn decode_event<K: DeserializeOwned>(frame: Value) -> Result<WatchEvent<K>> {
    let event: WatchEvent<Value> = serde_json::from_value(frame)?;
    if event.type_ == WatchEventType::Error {
        let status: Status = serde_json::from_value(event.object)?;
        return Err(Error::from(status));
    }
    Ok(WatchEvent { type_: event.type_, object: serde_json::from_value(event.object)? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::api::core::v1::Pod;

    #[test]
    fn frames_are_cut_at_value_boundaries_whatever_the_chunking() {
        let stream = br#"{"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a"}}}
{"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"b"}}}"#;
        for split in 1..stream.len() {
            let mut buffer = BytesMut::new();
            let mut names = Vec::new();
            for chunk in [&stream[..split], &stream[split..]] {
                buffer.extend_from_slice(chunk);
                while let Some(frame) = next_frame(&mut buffer).unwrap() {
                    let event: WatchEvent<Pod> = decode_event(frame).unwrap();
                    names.push(event.object.metadata.name);
                }
            }
            assert_eq!(names, ["a", "b"], "split at {split}");
        }
    }

    #[test]
    fn error_events_carry_the_status() {
        let frame: Value = serde_json::from_str(
            r#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure",
                "message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#,
        )
        .unwrap();
        let error = decode_event::<Pod>(frame).unwrap_err();
        assert!(error.is_gone());
        assert_eq!(error.to_string(), "too old resource version: 1 (5)");
        let mut garbage = BytesMut::from(&b"{\"type\": nope}"[..]);
        assert!(matches!(next_frame(&mut garbage), Err(Error::Decode(_))));
    }
}
