//! Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), which kubectl 1.32+
//! uses for the objects its generator commands build (`create namespace`, `create deployment`,
//! ...) and client-go's controllers use throughout.
//!
//! A body is the `k8s\0` envelope around the object's message ([`envelope`]); messages are read
//! and written from declarative tables of upstream's field numbers ([`schema`], `messages/`) by
//! one generic decoder and encoder over the wire format ([`wire`]), with apimachinery's special
//! types in [`special`]. The server's one object form stays JSON: a protobuf body is turned into
//! the JSON the client would have sent, and a response into protobuf at the very end.

mod decode;
mod encode;
mod envelope;
mod messages;
mod schema;
mod special;
mod wire;

use serde_json::{Map, Value};
use std::fmt;

/// The media type of protobuf bodies.
pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";

/// Why a protobuf body could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtobufError {
    /// The envelope names a kind this server has no tables for.
    Unsupported { api_version: String, kind: String },
    /// The bytes are not a valid message of the kind the envelope names.
    Malformed(String),
}

impl fmt::Display for ProtobufError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtobufError::Unsupported { api_version, kind } => {
                write!(f, "no protobuf encoding of {kind} in {api_version} is known to this server")
            }
            ProtobufError::Malformed(error) => f.write_str(error),
        }
    }
}

/// Whether objects of `kind` in `api_version` can be read and written in protobuf.
pub fn serves(api_version: &str, kind: &str) -> bool {
    messages::message_for(api_version, kind).is_some()
}

/// Decodes a protobuf body into the JSON object it stands for, `apiVersion` and `kind` taken
/// from the envelope.
pub fn decode(bytes: &[u8]) -> Result<Value, ProtobufError> {
    let envelope = envelope::read(bytes).map_err(ProtobufError::Malformed)?;
    if !envelope.content_encoding.is_empty() {
        return Err(ProtobufError::Malformed(format!(
            "content encoding {:?} is not supported",
            envelope.content_encoding
        )));
    }
    let message =
        messages::message_for(&envelope.api_version, &envelope.kind).ok_or_else(|| {
            ProtobufError::Unsupported {
                api_version: envelope.api_version.clone(),
                kind: envelope.kind.clone(),
            }
        })?;
    let fields = decode::decode_message(message, envelope.raw)
        .map_err(|error| ProtobufError::Malformed(error.to_string()))?;
    let mut object = Map::new();
    if !envelope.api_version.is_empty() {
        object.insert("apiVersion".into(), Value::from(envelope.api_version));
    }
    if !envelope.kind.is_empty() {
        object.insert("kind".into(), Value::from(envelope.kind));
    }
    object.extend(fields);
    Ok(Value::Object(object))
}

/// Encodes a JSON object (or a list of objects, `<Kind>List`) of a kind with tables into a
/// protobuf body. Fails when the kind has no tables or the object has a field they lack.
pub fn encode(value: &Value) -> Result<Vec<u8>, String> {
    let object = value.as_object().ok_or("only objects can be encoded")?;
    let api_version = object.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or_default();
    let raw = match messages::message_for(api_version, kind) {
        Some(message) => encode::encode_message(message, &without_type_meta(object))?,
        None => {
            let item =
                kind.strip_suffix("List").and_then(|item| messages::message_for(api_version, item));
            let Some(item) = item else {
                return Err(format!(
                    "no protobuf encoding of {kind} in {api_version} is known to this server"
                ));
            };
            encode_list(item, object)?
        }
    };
    Ok(envelope::write(api_version, kind, &raw))
}

/// A list: `metadata` (field 1) and `items` (field 2), the shape of every upstream list kind.
fn encode_list(
    item: &'static schema::Message,
    list: &Map<String, Value>,
) -> Result<Vec<u8>, String> {
    if let Some(key) =
        list.keys().find(|key| !["apiVersion", "kind", "metadata", "items"].contains(&key.as_str()))
    {
        return Err(format!("{key}: not a field of a list"));
    }
    let mut writer = wire::Writer::new();
    let metadata = list.get("metadata").and_then(Value::as_object).cloned().unwrap_or_default();
    writer.bytes_field(1, &encode::encode_message(&messages::LIST_META, &metadata)?);
    let items = list.get("items").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (index, item_value) in items.iter().enumerate() {
        let item_object =
            item_value.as_object().ok_or_else(|| format!("items[{index}]: not an object"))?;
        let bytes = encode::encode_message(item, &without_type_meta(item_object))
            .map_err(|error| format!("items[{index}].{error}"))?;
        writer.bytes_field(2, &bytes);
    }
    Ok(writer.into_bytes())
}

/// The object without `apiVersion` and `kind`, which the envelope carries instead.
fn without_type_meta(object: &Map<String, Value>) -> Map<String, Value> {
    let mut fields = object.clone();
    fields.remove("apiVersion");
    fields.remove("kind");
    fields
}

#[cfg(test)]
mod tests;
