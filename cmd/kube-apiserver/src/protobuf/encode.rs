//! JSON → protobuf from the same tables the decoder reads: fields in number order, map entries
//! in key order, as Go's generated marshallers write them. A JSON field the table does not know
//! is an error, so nothing is dropped on the way to a protobuf client.

use super::schema::{Field, Kind, Message};
use super::special;
use super::wire::Writer;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value};

/// Writes `object` as `message`; the error names the JSON path of the field that does not fit.
pub fn encode_message(
    message: &'static Message,
    object: &Map<String, Value>,
) -> Result<Vec<u8>, String> {
    check_known(message, object)?;
    encode_fields(message, object)
}

/// Writes the fields of `message` found in `object`, which may hold other keys (those of the
/// parent, when `message` is inlined).
fn encode_fields(
    message: &'static Message,
    object: &Map<String, Value>,
) -> Result<Vec<u8>, String> {
    let mut fields: Vec<&'static Field> = message.fields.iter().collect();
    fields.sort_by_key(|field| field.number);
    let mut writer = Writer::new();
    for field in fields {
        encode_field(field, object, &mut writer)
            .map_err(|error| format!("{}{error}", prefix(field)))?;
    }
    Ok(writer.into_bytes())
}

fn prefix(field: &Field) -> String {
    match field.ty.kind {
        Kind::Inline(_) => String::new(),
        _ => format!("{}: ", field.json),
    }
}

/// Every non-null key of `object` must be a field of `message` (or of a message it inlines).
fn check_known(message: &'static Message, object: &Map<String, Value>) -> Result<(), String> {
    for (key, value) in object {
        if !value.is_null() && !knows(message, key) {
            return Err(format!("{key}: no field of protobuf message {} carries it", message.name));
        }
    }
    Ok(())
}

fn knows(message: &'static Message, key: &str) -> bool {
    message.fields.iter().any(|field| match field.ty.kind {
        Kind::Inline(inner) => knows(inner, key),
        _ => field.json == key,
    })
}

fn encode_field(
    field: &'static Field,
    object: &Map<String, Value>,
    writer: &mut Writer,
) -> Result<(), String> {
    if let Kind::Inline(inner) = field.ty.kind {
        // Go always writes an embedded struct, even an empty one.
        writer.bytes_field(field.number, &encode_fields(inner, object)?);
        return Ok(());
    }
    let Some(value) = object.get(field.json).filter(|value| !value.is_null()) else {
        return Ok(());
    };
    match field.ty.kind {
        Kind::StringMap | Kind::BytesMap | Kind::QuantityMap => {
            let map =
                value.as_object().ok_or_else(|| format!("expected an object, found {value}"))?;
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                let entry = encode_map_entry(field.ty.kind, key, &map[key])
                    .map_err(|error| format!("{key}: {error}"))?;
                writer.bytes_field(field.number, &entry);
            }
        }
        kind if field.ty.repeated => {
            let items =
                value.as_array().ok_or_else(|| format!("expected a list, found {value}"))?;
            for (index, item) in items.iter().enumerate() {
                single(kind, field.number, item, writer)
                    .map_err(|error| format!("[{index}]: {error}"))?;
            }
        }
        kind => single(kind, field.number, value, writer)?,
    }
    Ok(())
}

/// One value of a non-map kind as field `number`.
fn single(kind: Kind, number: u32, value: &Value, writer: &mut Writer) -> Result<(), String> {
    match kind {
        Kind::Bool => {
            let flag =
                value.as_bool().ok_or_else(|| format!("expected a boolean, found {value}"))?;
            writer.varint_field(number, u64::from(flag));
        }
        Kind::Int32 => {
            let int = value
                .as_i64()
                .and_then(|int| i32::try_from(int).ok())
                .ok_or_else(|| format!("expected a 32-bit integer, found {value}"))?;
            writer.varint_field(number, int as i64 as u64);
        }
        Kind::Int64 => {
            let int =
                value.as_i64().ok_or_else(|| format!("expected an integer, found {value}"))?;
            writer.varint_field(number, int as u64);
        }
        Kind::Double => {
            let float =
                value.as_f64().ok_or_else(|| format!("expected a number, found {value}"))?;
            writer.fixed64_field(number, float.to_bits());
        }
        kind => writer.bytes_field(number, &encode_bytes(kind, value)?),
    }
    Ok(())
}

/// The length-delimited payload of a value of `kind`.
fn encode_bytes(kind: Kind, value: &Value) -> Result<Vec<u8>, String> {
    match kind {
        Kind::String => value
            .as_str()
            .map(|text| text.as_bytes().to_vec())
            .ok_or_else(|| format!("expected a string, found {value}")),
        Kind::Bytes => {
            let text =
                value.as_str().ok_or_else(|| format!("expected base64 text, found {value}"))?;
            BASE64.decode(text).map_err(|error| format!("invalid base64: {error}"))
        }
        Kind::Message(inner) => {
            let object =
                value.as_object().ok_or_else(|| format!("expected an object, found {value}"))?;
            encode_message(inner, object)
        }
        Kind::Time => special::encode_time(value, false),
        Kind::MicroTime => special::encode_time(value, true),
        Kind::Duration => special::encode_duration(value),
        Kind::Quantity => special::encode_quantity(value),
        Kind::IntOrString => special::encode_int_or_string(value),
        Kind::RawJson => special::encode_raw_json(value),
        other => Err(format!("a {other:?} value is not length-delimited")),
    }
}

fn encode_map_entry(kind: Kind, key: &str, value: &Value) -> Result<Vec<u8>, String> {
    let value_kind = match kind {
        Kind::BytesMap => Kind::Bytes,
        Kind::QuantityMap => Kind::Quantity,
        _ => Kind::String,
    };
    let mut entry = Writer::new();
    entry.bytes_field(1, key.as_bytes());
    entry.bytes_field(2, &encode_bytes(value_kind, value)?);
    Ok(entry.into_bytes())
}
