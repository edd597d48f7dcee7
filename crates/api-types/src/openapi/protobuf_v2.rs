//! The Swagger 2.0 document in gnostic's protobuf encoding (`openapi.v2.Document`), the only
//! form in which kubectl 1.27 and 1.28 read `/openapi/v2`.
//!
//! Only the messages and fields our documents use are written: the document's swagger version,
//! info, paths (operations with their parameters, responses and extensions) and definitions
//! (schemas with references, types, descriptions, formats, required fields, properties, items,
//! `allOf`, `additionalProperties`, enums and extensions). Extension and enum values travel as
//! YAML text (`Any.yaml`); JSON is valid YAML, so they are written as JSON.

use serde_json::{Map, Value};

/// Encodes a v2 document made by [`super::v2_document`].
pub fn encode_v2(document: &Value) -> Vec<u8> {
    let mut out = Message::default();
    out.string(1, str_of(document, "swagger"));
    if let Some(info) = document.get("info") {
        let mut message = Message::default();
        message.string(1, str_of(info, "title"));
        message.string(2, str_of(info, "version"));
        out.message(2, message);
    }
    if let Some(paths) = document.get("paths").and_then(Value::as_object) {
        let mut message = Message::default();
        for (name, item) in paths {
            message.message(2, named(name, path_item(item)));
        }
        out.message(8, message);
    }
    if let Some(definitions) = document.get("definitions").and_then(Value::as_object) {
        let mut message = Message::default();
        for (name, definition) in definitions {
            message.message(1, named(name, schema(definition)));
        }
        out.message(9, message);
    }
    out.bytes
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A `Named*` pair: name 1, value 2.
fn named(name: &str, value: Message) -> Message {
    let mut message = Message::default();
    message.string(1, name);
    message.message(2, value);
    message
}

fn path_item(item: &Value) -> Message {
    let mut message = Message::default();
    for (method, field) in [("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("patch", 8)] {
        if let Some(operation_value) = item.get(method) {
            message.message(field, operation(operation_value));
        }
    }
    message
}

fn operation(operation: &Value) -> Message {
    let mut message = Message::default();
    message.string(5, str_of(operation, "operationId"));
    for (key, field) in [("produces", 6), ("consumes", 7)] {
        for media_type in operation.get(key).and_then(Value::as_array).into_iter().flatten() {
            message.string(field, media_type.as_str().unwrap_or_default());
        }
    }
    for parameter_value in
        operation.get("parameters").and_then(Value::as_array).into_iter().flatten()
    {
        let mut parameter_message = Message::default();
        parameter_message.message(1, parameter(parameter_value));
        message.message(8, parameter_message);
    }
    if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
        let mut responses_message = Message::default();
        for (code, response) in responses {
            let mut response_message = Message::default();
            response_message.string(1, str_of(response, "description"));
            if let Some(schema_value) = response.get("schema") {
                let mut schema_item = Message::default();
                schema_item.message(1, schema(schema_value));
                response_message.message(2, schema_item);
            }
            let mut value = Message::default();
            value.message(1, response_message);
            responses_message.message(1, named(code, value));
        }
        message.message(9, responses_message);
    }
    extensions(&mut message, 13, operation.as_object());
    message
}

/// A `Parameter`: a body parameter, or a query or path one.
fn parameter(parameter: &Value) -> Message {
    let location = str_of(parameter, "in");
    let required = parameter.get("required").and_then(Value::as_bool).unwrap_or(false);
    let mut message = Message::default();
    if location == "body" {
        let mut body = Message::default();
        body.string(2, str_of(parameter, "name"));
        body.string(3, location);
        body.boolean(4, required);
        if let Some(schema_value) = parameter.get("schema") {
            body.message(5, schema(schema_value));
        }
        message.message(1, body);
        return message;
    }
    // Query (3) and path (4) sub-schemas share their first fields: required 1, in 2, name 4;
    // `type` is 6 for a query parameter and 5 for a path one.
    let mut sub_schema = Message::default();
    sub_schema.boolean(1, required);
    sub_schema.string(2, location);
    sub_schema.string(4, str_of(parameter, "name"));
    let (kind_field, type_field) = if location == "path" { (4, 5) } else { (3, 6) };
    sub_schema.string(type_field, str_of(parameter, "type"));
    let mut non_body = Message::default();
    non_body.message(kind_field, sub_schema);
    message.message(2, non_body);
    message
}

fn schema(schema_value: &Value) -> Message {
    let mut message = Message::default();
    let Some(fields) = schema_value.as_object() else {
        return message;
    };
    message.string(1, fields.get("$ref").and_then(Value::as_str).unwrap_or_default());
    message.string(2, fields.get("format").and_then(Value::as_str).unwrap_or_default());
    message.string(4, fields.get("description").and_then(Value::as_str).unwrap_or_default());
    for required in fields.get("required").and_then(Value::as_array).into_iter().flatten() {
        message.string(19, required.as_str().unwrap_or_default());
    }
    for value in fields.get("enum").and_then(Value::as_array).into_iter().flatten() {
        message.message(20, yaml_any(value));
    }
    match fields.get("additionalProperties") {
        Some(Value::Bool(allowed)) => {
            let mut item = Message::default();
            item.boolean(2, *allowed);
            message.message(21, item);
        }
        Some(values @ Value::Object(_)) => {
            let mut item = Message::default();
            item.message(1, schema(values));
            message.message(21, item);
        }
        _ => {}
    }
    let types: Vec<&str> = match fields.get("type") {
        Some(Value::String(single)) => vec![single.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        let mut type_item = Message::default();
        types.iter().for_each(|ty| type_item.string(1, ty));
        message.message(22, type_item);
    }
    if let Some(items) = fields.get("items") {
        let mut items_item = Message::default();
        items_item.message(1, schema(items));
        message.message(23, items_item);
    }
    for part in fields.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        message.message(24, schema(part));
    }
    if let Some(properties) = fields.get("properties").and_then(Value::as_object) {
        let mut properties_message = Message::default();
        for (name, property) in properties {
            properties_message.message(1, named(name, schema(property)));
        }
        message.message(25, properties_message);
    }
    extensions(&mut message, 31, Some(fields));
    message
}

/// Writes the `x-` members of `fields` as `NamedAny` entries in `field`.
fn extensions(message: &mut Message, field: u32, fields: Option<&Map<String, Value>>) {
    for (name, value) in fields.into_iter().flatten() {
        if name.starts_with("x-") {
            message.message(field, named(name, yaml_any(value)));
        }
    }
}

/// An `Any` carrying a value as YAML text (field 2).
fn yaml_any(value: &Value) -> Message {
    let mut message = Message::default();
    message.string(2, &value.to_string());
    message
}

/// A protobuf message being written: fields in the order they are added.
#[derive(Default)]
struct Message {
    bytes: Vec<u8>,
}

impl Message {
    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    fn key(&mut self, field: u32, wire_type: u8) {
        self.varint(u64::from(field) << 3 | u64::from(wire_type));
    }

    fn length_delimited(&mut self, field: u32, bytes: &[u8]) {
        self.key(field, 2);
        self.varint(bytes.len() as u64);
        self.bytes.extend_from_slice(bytes);
    }

    /// A string field; proto3 leaves the empty string out.
    fn string(&mut self, field: u32, value: &str) {
        if !value.is_empty() {
            self.length_delimited(field, value.as_bytes());
        }
    }

    /// A bool field; proto3 leaves `false` out.
    fn boolean(&mut self, field: u32, value: bool) {
        if value {
            self.key(field, 0);
            self.varint(1);
        }
    }

    fn message(&mut self, field: u32, message: Message) {
        self.length_delimited(field, &message.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_fields_with_their_numbers() {
        let document = json!({ "swagger": "2.0", "definitions": { "A": { "type": "string" } } });
        let expected: Vec<u8> = [
            &[0x0a, 3][..],
            b"2.0",
            // definitions (9) > additional_properties (1) > NamedSchema: name (1), value (2)
            &[0x4a, 18, 0x0a, 16, 0x0a, 1, b'A', 0x12, 11],
            // Schema.type (22) > TypeItem.value (1)
            &[0xb2, 0x01, 8, 0x0a, 6],
            b"string",
        ]
        .concat();
        assert_eq!(encode_v2(&document), expected);
    }

    #[test]
    fn extensions_travel_as_yaml_text() {
        let document = json!({ "definitions": { "A": { "x-kubernetes-int-or-string": true } } });
        let encoded = encode_v2(&document);
        let text = String::from_utf8_lossy(&encoded);
        assert!(text.contains("x-kubernetes-int-or-string"), "{text}");
        // Any.yaml (2) holding "true"
        assert!(encoded.windows(6).any(|w| w == [0x12, 4, b't', b'r', b'u', b'e']));
    }
}
