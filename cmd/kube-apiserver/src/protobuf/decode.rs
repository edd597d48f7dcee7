//! Protobuf → JSON: walks a message with its table and builds the object the JSON decoder would
//! have built, so the rest of the server (defaults, validation, storage) sees one form. A field
//! the table does not know is an error, never dropped.

use super::schema::{Field, Kind, Message};
use super::special;
use super::wire::{RawValue, Reader};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value};

/// Why a message could not be read, with the JSON path to the failing field.
#[derive(Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// JSON field names from the top, like `spec.template.spec`.
    pub path: Vec<&'static str>,
    pub message: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path.join("."), self.message)
        }
    }
}

impl DecodeError {
    fn new(message: impl Into<String>) -> DecodeError {
        DecodeError { path: Vec::new(), message: message.into() }
    }

    fn within(mut self, json: &'static str) -> DecodeError {
        self.path.insert(0, json);
        self
    }
}

/// Reads `bytes` as `message` into a JSON object.
pub fn decode_message(
    message: &'static Message,
    bytes: &[u8],
) -> Result<Map<String, Value>, DecodeError> {
    let mut object = Map::new();
    let mut reader = Reader::new(bytes);
    loop {
        let next = reader
            .next_field()
            .map_err(|error| DecodeError::new(format!("malformed {}: {error}", message.name)))?;
        let Some((number, raw)) = next else { break };
        let field = message.field(number).ok_or_else(|| {
            DecodeError::new(format!(
                "field number {number} of protobuf message {} is not known to this server",
                message.name
            ))
        })?;
        decode_field(message, field, raw, &mut object).map_err(|error| match field.ty.kind {
            // An inlined struct has no key of its own in the JSON path.
            Kind::Inline(_) => error,
            _ => error.within(field.json),
        })?;
    }
    Ok(object)
}

/// Places one wire field into `object`: inlined, as a map entry, appended to a list or set.
fn decode_field(
    message: &'static Message,
    field: &'static Field,
    raw: RawValue<'_>,
    object: &mut Map<String, Value>,
) -> Result<(), DecodeError> {
    match field.ty.kind {
        Kind::Inline(inner) => {
            let bytes = length_delimited(message, field, raw)?;
            object.extend(decode_message(inner, bytes)?);
        }
        Kind::StringMap | Kind::BytesMap | Kind::QuantityMap => {
            let bytes = length_delimited(message, field, raw)?;
            let (key, value) = decode_map_entry(field.ty.kind, bytes)?;
            let map = object.entry(field.json).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(map) = map {
                map.insert(key, value);
            }
        }
        kind if field.ty.repeated => {
            let values = match (kind, raw) {
                (
                    Kind::Bool | Kind::Int32 | Kind::Int64 | Kind::Double,
                    RawValue::Bytes(packed),
                ) => unpack(message, field, packed)?,
                _ => vec![single(message, field, raw)?],
            };
            let list = object.entry(field.json).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                list.extend(values);
            }
        }
        _ => {
            let value = single(message, field, raw)?;
            if value.is_null() {
                object.remove(field.json);
            } else {
                object.insert(field.json.to_string(), value);
            }
        }
    }
    Ok(())
}

/// One value of a field of a non-map kind.
fn single(
    message: &'static Message,
    field: &'static Field,
    raw: RawValue<'_>,
) -> Result<Value, DecodeError> {
    let kind = field.ty.kind;
    match (kind, raw) {
        (Kind::Bool, RawValue::Varint(value)) => Ok(Value::Bool(value != 0)),
        (Kind::Int32, RawValue::Varint(value)) => Ok(Value::from(value as i64 as i32)),
        (Kind::Int64, RawValue::Varint(value)) => Ok(Value::from(value as i64)),
        (Kind::Double, RawValue::Fixed64(bits)) => {
            serde_json::Number::from_f64(f64::from_bits(bits))
                .map(Value::Number)
                .ok_or_else(|| DecodeError::new("not a finite number"))
        }
        (Kind::Bool | Kind::Int32 | Kind::Int64 | Kind::Double, _) => {
            Err(mistyped(message, field, raw))
        }
        (_, RawValue::Bytes(bytes)) => decode_bytes(kind, bytes),
        _ => Err(mistyped(message, field, raw)),
    }
}

/// A length-delimited value of `kind`.
fn decode_bytes(kind: Kind, bytes: &[u8]) -> Result<Value, DecodeError> {
    let special = |result: Result<Value, String>| result.map_err(DecodeError::new);
    match kind {
        Kind::String => std::str::from_utf8(bytes)
            .map(Value::from)
            .map_err(|_| DecodeError::new("string field is not valid UTF-8")),
        Kind::Bytes => Ok(Value::from(BASE64.encode(bytes))),
        Kind::Message(inner) => decode_message(inner, bytes).map(Value::Object),
        Kind::Time => special(special::decode_time(bytes, false)),
        Kind::MicroTime => special(special::decode_time(bytes, true)),
        Kind::Duration => special(special::decode_duration(bytes)),
        Kind::Quantity => special(special::decode_quantity(bytes)),
        Kind::IntOrString => special(special::decode_int_or_string(bytes)),
        Kind::RawJson => special(special::decode_raw_json(bytes)),
        other => Err(DecodeError::new(format!("a {other:?} value cannot be length-delimited"))),
    }
}

/// One `{key: 1, value: 2}` entry of a map field.
fn decode_map_entry(kind: Kind, bytes: &[u8]) -> Result<(String, Value), DecodeError> {
    let value_kind = match kind {
        Kind::BytesMap => Kind::Bytes,
        Kind::QuantityMap => Kind::Quantity,
        _ => Kind::String,
    };
    let (mut key, mut value) = (String::new(), None);
    let mut reader = Reader::new(bytes);
    while let Some((number, raw)) = reader
        .next_field()
        .map_err(|error| DecodeError::new(format!("malformed map entry: {error}")))?
    {
        match (number, raw) {
            (1, RawValue::Bytes(text)) => {
                key = String::from_utf8(text.to_vec())
                    .map_err(|_| DecodeError::new("map key is not valid UTF-8"))?;
            }
            (2, RawValue::Bytes(bytes)) => value = Some(decode_bytes(value_kind, bytes)?),
            (number, _) => {
                return Err(DecodeError::new(format!("map entry field {number} is not known")));
            }
        }
    }
    let value = match value {
        Some(value) => value,
        None => decode_bytes(value_kind, &[])?,
    };
    Ok((key, value))
}

/// The values of a packed repeated scalar field.
fn unpack(
    message: &'static Message,
    field: &'static Field,
    packed: &[u8],
) -> Result<Vec<Value>, DecodeError> {
    let mut reader = Reader::new(packed);
    let mut values = Vec::new();
    while !reader.is_empty() {
        let raw = if matches!(field.ty.kind, Kind::Double) {
            RawValue::Fixed64(reader.fixed64().map_err(|error| DecodeError::new(error.0))?)
        } else {
            RawValue::Varint(reader.varint().map_err(|error| DecodeError::new(error.0))?)
        };
        values.push(single(message, field, raw)?);
    }
    Ok(values)
}

fn length_delimited<'a>(
    message: &'static Message,
    field: &'static Field,
    raw: RawValue<'a>,
) -> Result<&'a [u8], DecodeError> {
    match raw {
        RawValue::Bytes(bytes) => Ok(bytes),
        other => Err(mistyped(message, field, other)),
    }
}

fn mistyped(message: &'static Message, field: &'static Field, raw: RawValue<'_>) -> DecodeError {
    DecodeError::new(format!(
        "field number {} of protobuf message {} has wire type {:?}, which does not fit its type",
        field.number,
        message.name,
        raw.wire_type()
    ))
}
