//! RFC 6902 JSON patch (`application/json-patch+json`): a list of operations on JSON pointers.
//!
//! Decoding and applying are separate steps because upstream answers them differently: a body
//! that is not a list of operations is a 400, an operation that does not fit the object is a 422
//! (see [`PatchError::status_code`]).

use super::PatchError;
use super::equality::json_equal;
use super::json_pointer::{JsonPointer, array_index};
use serde_json::{Map, Value};

/// One decoded JSON patch operation.
#[derive(Clone, Debug, PartialEq)]
pub enum Operation {
    /// Inserts `value` at `path`: sets an object member, or inserts into an array (`-` appends).
    Add { path: JsonPointer, value: Value },
    /// Deletes the value at `path`, which must exist.
    Remove { path: JsonPointer },
    /// Overwrites the value at `path`, which must exist.
    Replace { path: JsonPointer, value: Value },
    /// Removes the value at `from` and adds it at `path`.
    Move { from: JsonPointer, path: JsonPointer },
    /// Adds a copy of the value at `from` at `path`.
    Copy { from: JsonPointer, path: JsonPointer },
    /// Fails the whole patch unless the value at `path` equals `value`.
    Test { path: JsonPointer, value: Value },
}

/// A decoded JSON patch document, ready to apply to any number of objects.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonPatch {
    /// The operations, applied in order.
    pub operations: Vec<Operation>,
}

impl JsonPatch {
    /// Decodes a patch body. Every error here is the client's malformed request (400).
    pub fn from_value(patch: &Value) -> Result<Self, PatchError> {
        let Value::Array(items) = patch else {
            return Err(PatchError::InvalidJsonPatch(
                "a JSON patch must be an array of operations".to_string(),
            ));
        };
        let operations = items
            .iter()
            .enumerate()
            .map(|(index, item)| decode_operation(index, item))
            .collect::<Result<_, _>>()?;
        Ok(JsonPatch { operations })
    }

    /// Applies every operation in order to a copy of `document`. Either all succeed and the
    /// copy is returned, or the first failure is returned and `document` is untouched.
    pub fn apply(&self, document: &Value) -> Result<Value, PatchError> {
        let mut patched = document.clone();
        for operation in &self.operations {
            apply_operation(&mut patched, operation)?;
        }
        Ok(patched)
    }
}

/// Decodes `patch` and applies it to `document`; the one call an apiserver needs.
pub fn apply_json_patch(document: &Value, patch: &Value) -> Result<Value, PatchError> {
    JsonPatch::from_value(patch)?.apply(document)
}

fn decode_operation(index: usize, item: &Value) -> Result<Operation, PatchError> {
    let invalid = |what: String| PatchError::InvalidJsonPatch(format!("operation {index}: {what}"));
    let Value::Object(fields) = item else {
        return Err(invalid("must be an object".to_string()));
    };
    let op = fields
        .get("op")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("missing string member \"op\"".to_string()))?;
    let pointer = |member: &str| -> Result<JsonPointer, PatchError> {
        let text = fields
            .get(member)
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(format!("{op} needs a string member {member:?}")))?;
        JsonPointer::parse(text).map_err(|err| invalid(err.to_string()))
    };
    // `value` may legitimately be `null`, so presence is what counts.
    let value = |fields: &Map<String, Value>| -> Result<Value, PatchError> {
        fields
            .get("value")
            .cloned()
            .ok_or_else(|| invalid(format!("{op} needs a member \"value\"")))
    };
    Ok(match op {
        "add" => Operation::Add { path: pointer("path")?, value: value(fields)? },
        "remove" => Operation::Remove { path: pointer("path")? },
        "replace" => Operation::Replace { path: pointer("path")?, value: value(fields)? },
        "move" => Operation::Move { from: pointer("from")?, path: pointer("path")? },
        "copy" => Operation::Copy { from: pointer("from")?, path: pointer("path")? },
        "test" => Operation::Test { path: pointer("path")?, value: value(fields)? },
        other => return Err(invalid(format!("unknown operation {other:?}"))),
    })
}

fn apply_operation(document: &mut Value, operation: &Operation) -> Result<(), PatchError> {
    match operation {
        Operation::Add { path, value } => add(document, path, value.clone(), "add"),
        Operation::Remove { path } => remove(document, path, "remove").map(drop),
        Operation::Replace { path, value } => {
            let target = path.resolve_mut(document).ok_or_else(|| missing("replace", path))?;
            *target = value.clone();
            Ok(())
        }
        Operation::Move { from, path } => {
            if from.is_proper_prefix_of(path) {
                return Err(PatchError::MoveIntoChild {
                    from: from.to_string(),
                    path: path.to_string(),
                });
            }
            if from == path {
                return from.resolve(document).map(drop).ok_or_else(|| missing("move", from));
            }
            let value = remove(document, from, "move")?;
            add(document, path, value, "move")
        }
        Operation::Copy { from, path } => {
            let value = from.resolve(document).cloned().ok_or_else(|| missing("copy", from))?;
            add(document, path, value, "copy")
        }
        Operation::Test { path, value } => {
            let actual = path.resolve(document).ok_or_else(|| missing("test", path))?;
            if json_equal(actual, value) {
                Ok(())
            } else {
                Err(PatchError::TestFailed { path: path.to_string() })
            }
        }
    }
}

fn add(
    document: &mut Value,
    path: &JsonPointer,
    value: Value,
    op: &'static str,
) -> Result<(), PatchError> {
    if path.is_root() {
        *document = value;
        return Ok(());
    }
    let (parent, token) = path.resolve_parent_mut(document).ok_or_else(|| missing(op, path))?;
    match parent {
        Value::Object(map) => {
            map.insert(token.to_string(), value);
            Ok(())
        }
        Value::Array(items) if token == "-" => {
            items.push(value);
            Ok(())
        }
        Value::Array(items) => {
            let index = array_index(token).ok_or_else(|| missing(op, path))?;
            if index > items.len() {
                return Err(out_of_range(op, path));
            }
            items.insert(index, value);
            Ok(())
        }
        _ => Err(missing(op, path)),
    }
}

fn remove(document: &mut Value, path: &JsonPointer, op: &'static str) -> Result<Value, PatchError> {
    let (parent, token) = path.resolve_parent_mut(document).ok_or_else(|| missing(op, path))?;
    match parent {
        Value::Object(map) => map.remove(token).ok_or_else(|| missing(op, path)),
        Value::Array(items) => {
            let index = array_index(token).ok_or_else(|| missing(op, path))?;
            if index >= items.len() {
                return Err(out_of_range(op, path));
            }
            Ok(items.remove(index))
        }
        _ => Err(missing(op, path)),
    }
}

fn missing(op: &'static str, path: &JsonPointer) -> PatchError {
    PatchError::MissingPath { op, path: path.to_string() }
}

fn out_of_range(op: &'static str, path: &JsonPointer) -> PatchError {
    PatchError::IndexOutOfRange { op, path: path.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or_else(|err| panic!("bad test JSON {text}: {err}"))
    }

    /// Appendix A of RFC 6902: (name, document, patch, expected result or `None` for an error).
    const RFC6902_APPENDIX_A: &[(&str, &str, &str, Option<&str>)] = &[
        (
            "A.1 adding an object member",
            r#"{"foo":"bar"}"#,
            r#"[{"op":"add","path":"/baz","value":"qux"}]"#,
            Some(r#"{"baz":"qux","foo":"bar"}"#),
        ),
        (
            "A.2 adding an array element",
            r#"{"foo":["bar","baz"]}"#,
            r#"[{"op":"add","path":"/foo/1","value":"qux"}]"#,
            Some(r#"{"foo":["bar","qux","baz"]}"#),
        ),
        (
            "A.3 removing an object member",
            r#"{"baz":"qux","foo":"bar"}"#,
            r#"[{"op":"remove","path":"/baz"}]"#,
            Some(r#"{"foo":"bar"}"#),
        ),
        (
            "A.4 removing an array element",
            r#"{"foo":["bar","qux","baz"]}"#,
            r#"[{"op":"remove","path":"/foo/1"}]"#,
            Some(r#"{"foo":["bar","baz"]}"#),
        ),
        (
            "A.5 replacing a value",
            r#"{"baz":"qux","foo":"bar"}"#,
            r#"[{"op":"replace","path":"/baz","value":"boo"}]"#,
            Some(r#"{"baz":"boo","foo":"bar"}"#),
        ),
        (
            "A.6 moving a value",
            r#"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
            r#"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
            Some(r#"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        ),
        (
            "A.7 moving an array element",
            r#"{"foo":["all","grass","cows","eat"]}"#,
            r#"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#,
            Some(r#"{"foo":["all","cows","eat","grass"]}"#),
        ),
        (
            "A.8 testing a value: success",
            r#"{"baz":"qux","foo":["a",2,"c"]}"#,
            r#"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
            Some(r#"{"baz":"qux","foo":["a",2,"c"]}"#),
        ),
        (
            "A.9 testing a value: error",
            r#"{"baz":"qux"}"#,
            r#"[{"op":"test","path":"/baz","value":"bar"}]"#,
            None,
        ),
        (
            "A.10 adding a nested member object",
            r#"{"foo":"bar"}"#,
            r#"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
            Some(r#"{"foo":"bar","child":{"grandchild":{}}}"#),
        ),
        (
            "A.11 ignoring unrecognized elements",
            r#"{"foo":"bar"}"#,
            r#"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#,
            Some(r#"{"foo":"bar","baz":"qux"}"#),
        ),
        (
            "A.12 adding to a nonexistent target",
            r#"{"foo":"bar"}"#,
            r#"[{"op":"add","path":"/baz/bat","value":"qux"}]"#,
            None,
        ),
        (
            "A.14 ~ escape ordering",
            r#"{"/":9,"~1":10}"#,
            r#"[{"op":"test","path":"/~01","value":10}]"#,
            Some(r#"{"/":9,"~1":10}"#),
        ),
        (
            "A.15 comparing strings and numbers",
            r#"{"/":9,"~1":10}"#,
            r#"[{"op":"test","path":"/~01","value":"10"}]"#,
            None,
        ),
        (
            "A.16 adding an array value",
            r#"{"foo":["bar"]}"#,
            r#"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#,
            Some(r#"{"foo":["bar",["abc","def"]]}"#),
        ),
    ];

    #[test]
    fn rfc6902_appendix_a() {
        for (name, document, patch, expected) in RFC6902_APPENDIX_A {
            let document = json(document);
            let result = apply_json_patch(&document, &json(patch));
            match expected {
                Some(expected) => assert_eq!(result, Ok(json(expected)), "{name}"),
                None => {
                    let err = result.expect_err(name);
                    assert_eq!(err.status_code(), 422, "{name}: {err}");
                }
            }
        }
    }

    /// Operations on Kubernetes-shaped objects: (name, document, patch, expected).
    const OBJECT_CASES: &[(&str, &str, &str, &str)] = &[
        (
            "replace replicas",
            r#"{"spec":{"replicas":1}}"#,
            r#"[{"op":"replace","path":"/spec/replicas","value":3}]"#,
            r#"{"spec":{"replicas":3}}"#,
        ),
        (
            "label key with a slash uses ~1",
            r#"{"metadata":{"labels":{}}}"#,
            r#"[{"op":"add","path":"/metadata/labels/app.kubernetes.io~1name","value":"web"}]"#,
            r#"{"metadata":{"labels":{"app.kubernetes.io/name":"web"}}}"#,
        ),
        (
            "annotation key with a tilde uses ~0",
            r#"{"metadata":{"annotations":{"a~b":"x"}}}"#,
            r#"[{"op":"remove","path":"/metadata/annotations/a~0b"}]"#,
            r#"{"metadata":{"annotations":{}}}"#,
        ),
        (
            "append a container with -",
            r#"{"spec":{"containers":[{"name":"a"}]}}"#,
            r#"[{"op":"add","path":"/spec/containers/-","value":{"name":"b"}}]"#,
            r#"{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#,
        ),
        (
            "add at the end index equals append",
            r#"{"a":[1]}"#,
            r#"[{"op":"add","path":"/a/1","value":2}]"#,
            r#"{"a":[1,2]}"#,
        ),
        (
            "add replaces an existing member",
            r#"{"a":1}"#,
            r#"[{"op":"add","path":"/a","value":2}]"#,
            r#"{"a":2}"#,
        ),
        (
            "copy then modify the copy",
            r#"{"spec":{"containers":[{"name":"a","image":"x"}]}}"#,
            r#"[{"op":"copy","from":"/spec/containers/0","path":"/spec/containers/-"},
                {"op":"replace","path":"/spec/containers/1/name","value":"b"}]"#,
            r#"{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"x"}]}}"#,
        ),
        (
            "replace the root",
            r#"{"a":1}"#,
            r#"[{"op":"replace","path":"","value":{"b":2}}]"#,
            r#"{"b":2}"#,
        ),
        (
            "add a null value",
            r#"{}"#,
            r#"[{"op":"add","path":"/a","value":null}]"#,
            r#"{"a":null}"#,
        ),
        (
            "test numbers by value",
            r#"{"a":1.0}"#,
            r#"[{"op":"test","path":"/a","value":1}]"#,
            r#"{"a":1.0}"#,
        ),
        (
            "move onto itself is a no-op",
            r#"{"a":{"b":1}}"#,
            r#"[{"op":"move","from":"/a","path":"/a"}]"#,
            r#"{"a":{"b":1}}"#,
        ),
        ("empty patch", r#"{"a":1}"#, r#"[]"#, r#"{"a":1}"#),
    ];

    #[test]
    fn operations_on_objects() {
        for (name, document, patch, expected) in OBJECT_CASES {
            assert_eq!(
                apply_json_patch(&json(document), &json(patch)),
                Ok(json(expected)),
                "{name}"
            );
        }
    }

    /// Failures while applying: (name, document, patch, expected error).
    #[test]
    fn application_errors() {
        let cases = [
            (
                "remove a missing member",
                r#"{"a":1}"#,
                r#"[{"op":"remove","path":"/b"}]"#,
                PatchError::MissingPath { op: "remove", path: "/b".into() },
            ),
            (
                "replace a missing member",
                r#"{"a":1}"#,
                r#"[{"op":"replace","path":"/b","value":2}]"#,
                PatchError::MissingPath { op: "replace", path: "/b".into() },
            ),
            (
                "add past the end of an array",
                r#"{"a":[1]}"#,
                r#"[{"op":"add","path":"/a/5","value":2}]"#,
                PatchError::IndexOutOfRange { op: "add", path: "/a/5".into() },
            ),
            (
                "remove past the end of an array",
                r#"{"a":[1]}"#,
                r#"[{"op":"remove","path":"/a/1"}]"#,
                PatchError::IndexOutOfRange { op: "remove", path: "/a/1".into() },
            ),
            (
                "remove with - is not an element",
                r#"{"a":[1]}"#,
                r#"[{"op":"remove","path":"/a/-"}]"#,
                PatchError::MissingPath { op: "remove", path: "/a/-".into() },
            ),
            (
                "add into a scalar",
                r#"{"a":1}"#,
                r#"[{"op":"add","path":"/a/b","value":2}]"#,
                PatchError::MissingPath { op: "add", path: "/a/b".into() },
            ),
            (
                "remove the root",
                r#"{"a":1}"#,
                r#"[{"op":"remove","path":""}]"#,
                PatchError::MissingPath { op: "remove", path: "".into() },
            ),
            (
                "move into its own child",
                r#"{"a":{"b":1}}"#,
                r#"[{"op":"move","from":"/a","path":"/a/b/c"}]"#,
                PatchError::MoveIntoChild { from: "/a".into(), path: "/a/b/c".into() },
            ),
            (
                "copy from a missing member",
                r#"{"a":1}"#,
                r#"[{"op":"copy","from":"/x","path":"/y"}]"#,
                PatchError::MissingPath { op: "copy", path: "/x".into() },
            ),
            (
                "test a missing member",
                r#"{"a":1}"#,
                r#"[{"op":"test","path":"/x","value":1}]"#,
                PatchError::MissingPath { op: "test", path: "/x".into() },
            ),
        ];
        for (name, document, patch, expected) in cases {
            assert_eq!(apply_json_patch(&json(document), &json(patch)), Err(expected), "{name}");
        }
    }

    #[test]
    fn a_failing_operation_leaves_the_document_untouched() {
        let document = json(r#"{"metadata":{"labels":{"a":"1"}},"spec":{"replicas":1}}"#);
        let before = document.clone();
        let patch = json(
            r#"[{"op":"replace","path":"/spec/replicas","value":5},
                {"op":"add","path":"/metadata/labels/b","value":"2"},
                {"op":"test","path":"/spec/replicas","value":1}]"#,
        );
        let err = apply_json_patch(&document, &patch).unwrap_err();
        assert_eq!(err, PatchError::TestFailed { path: "/spec/replicas".into() });
        assert_eq!(document, before);
    }

    #[test]
    fn malformed_patches_are_bad_requests() {
        let cases = [
            r#"{"op":"add","path":"/a","value":1}"#,
            r#"[1]"#,
            r#"[{"path":"/a"}]"#,
            r#"[{"op":"frobnicate","path":"/a"}]"#,
            r#"[{"op":"add","path":"/a"}]"#,
            r#"[{"op":"replace","path":"/a"}]"#,
            r#"[{"op":"test","path":"/a"}]"#,
            r#"[{"op":"move","path":"/a"}]"#,
            r#"[{"op":"copy","from":"/a"}]"#,
            r#"[{"op":"remove","path":"a"}]"#,
            r#"[{"op":"remove","path":"/a~2"}]"#,
            r#"[{"op":"remove","path":5}]"#,
        ];
        for patch in cases {
            let err = JsonPatch::from_value(&json(patch)).unwrap_err();
            assert!(matches!(err, PatchError::InvalidJsonPatch(_)), "{patch}: {err}");
            assert_eq!(err.status_code(), 400, "{patch}");
        }
    }

    #[test]
    fn a_decoded_patch_applies_to_many_documents() {
        let patch = JsonPatch::from_value(&json(
            r#"[{"op":"add","path":"/metadata/labels/role","value":"db"}]"#,
        ))
        .unwrap();
        assert_eq!(patch.operations.len(), 1);
        for name in ["a", "b"] {
            let document = json(&format!(r#"{{"metadata":{{"name":"{name}","labels":{{}}}}}}"#));
            let patched = patch.apply(&document).unwrap();
            assert_eq!(patched["metadata"]["labels"]["role"], "db");
            assert_eq!(patched["metadata"]["name"], name);
        }
    }
}
