//! RFC 7386 JSON merge patch (`application/merge-patch+json`), and the diff that produces one.
//!
//! A merge patch is a partial document: objects merge member by member, `null` deletes a member,
//! and anything else (strings, numbers, lists) replaces what was there. Applying one cannot fail,
//! so these functions return plain values. (Upstream also answers a body that is not JSON, or is
//! `null`, with a 400; that happens while the apiserver reads the body, before this module.)

use serde_json::{Map, Value};

/// Applies `patch` to a copy of `target` as RFC 7386 section 2 defines.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    let mut result = target.clone();
    merge_into(&mut result, patch);
    result
}

/// Applies `patch` to `target` in place.
pub fn merge_into(target: &mut Value, patch: &Value) {
    let Value::Object(patch_members) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(target_members) = target else {
        unreachable!("target was just made an object");
    };
    for (name, value) in patch_members {
        if value.is_null() {
            target_members.remove(name);
        } else {
            merge_into(target_members.entry(name.clone()).or_insert(Value::Null), value);
        }
    }
}

/// The merge patch that turns `original` into `modified`: `merge_patch(original,
/// create_merge_patch(original, modified)) == modified`.
///
/// Members missing from `modified` become `null`; objects present in both are diffed member by
/// member; every other change carries the new value whole. A `null` member inside `modified`
/// cannot be expressed by a merge patch (it means "delete"), so such members end up absent.
pub fn create_merge_patch(original: &Value, modified: &Value) -> Value {
    match (original, modified) {
        (Value::Object(original), Value::Object(modified)) => {
            Value::Object(diff_objects(original, modified))
        }
        // A non-object patch replaces the target whole, whatever it was.
        _ => modified.clone(),
    }
}

fn diff_objects(
    original: &Map<String, Value>,
    modified: &Map<String, Value>,
) -> Map<String, Value> {
    let mut patch = Map::new();
    for name in original.keys() {
        if !modified.contains_key(name) {
            patch.insert(name.clone(), Value::Null);
        }
    }
    for (name, new_value) in modified {
        match (original.get(name), new_value) {
            (Some(Value::Object(old)), Value::Object(new)) => {
                let nested = diff_objects(old, new);
                if !nested.is_empty() {
                    patch.insert(name.clone(), Value::Object(nested));
                }
            }
            (Some(old), new) if old == new => {}
            (_, new) => {
                patch.insert(name.clone(), new.clone());
            }
        }
    }
    patch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or_else(|err| panic!("bad test JSON {text}: {err}"))
    }

    /// Appendix A of RFC 7386: (original, patch, result).
    const RFC7386_APPENDIX_A: &[(&str, &str, &str)] = &[
        (r#"{"a":"b"}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
        (r#"{"a":"b"}"#, r#"{"b":"c"}"#, r#"{"a":"b","b":"c"}"#),
        (r#"{"a":"b"}"#, r#"{"a":null}"#, r#"{}"#),
        (r#"{"a":"b","b":"c"}"#, r#"{"a":null}"#, r#"{"b":"c"}"#),
        (r#"{"a":["b"]}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
        (r#"{"a":"c"}"#, r#"{"a":["b"]}"#, r#"{"a":["b"]}"#),
        (r#"{"a":{"b":"c"}}"#, r#"{"a":{"b":"d","c":null}}"#, r#"{"a":{"b":"d"}}"#),
        (r#"{"a":[{"b":"c"}]}"#, r#"{"a":[1]}"#, r#"{"a":[1]}"#),
        (r#"["a","b"]"#, r#"["c","d"]"#, r#"["c","d"]"#),
        (r#"{"a":"b"}"#, r#"["c"]"#, r#"["c"]"#),
        (r#"{"a":"foo"}"#, r#"null"#, r#"null"#),
        (r#"{"a":"foo"}"#, r#""bar""#, r#""bar""#),
        (r#"{"e":null}"#, r#"{"a":1}"#, r#"{"e":null,"a":1}"#),
        (r#"[1,2]"#, r#"{"a":"b","c":null}"#, r#"{"a":"b"}"#),
        (r#"{}"#, r#"{"a":{"bb":{"ccc":null}}}"#, r#"{"a":{"bb":{}}}"#),
    ];

    #[test]
    fn rfc7386_appendix_a() {
        for (original, patch, expected) in RFC7386_APPENDIX_A {
            assert_eq!(
                merge_patch(&json(original), &json(patch)),
                json(expected),
                "{original} + {patch}"
            );
        }
    }

    /// RFC 7386 section 3: the worked example.
    #[test]
    fn rfc7386_section_3_example() {
        let original = json(
            r#"{"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},
                "tags":["example","sample"],"content":"This will be unchanged"}"#,
        );
        let patch = json(
            r#"{"title":"Hello!","phoneNumber":"+01-123-456-7890",
                "author":{"familyName":null},"tags":["example"]}"#,
        );
        let expected = json(
            r#"{"title":"Hello!","author":{"givenName":"John"},"tags":["example"],
                "content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}"#,
        );
        assert_eq!(merge_patch(&original, &patch), expected);
    }

    /// The book's label edit and node cordon, sent as merge patches: (original, patch, result).
    const OBJECT_CASES: &[(&str, &str, &str)] = &[
        (
            r#"{"metadata":{"name":"x","labels":{"app":"web"}}}"#,
            r#"{"metadata":{"labels":{"role":"db"}}}"#,
            r#"{"metadata":{"name":"x","labels":{"app":"web","role":"db"}}}"#,
        ),
        (
            r#"{"metadata":{"name":"x","labels":{"app":"web","role":"db"}}}"#,
            r#"{"metadata":{"labels":{"role":null}}}"#,
            r#"{"metadata":{"name":"x","labels":{"app":"web"}}}"#,
        ),
        (
            r#"{"metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24"}}"#,
            r#"{"spec":{"unschedulable":true}}"#,
            r#"{"metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24","unschedulable":true}}"#,
        ),
        (
            // Lists are replaced whole: merge patch has no notion of merge keys.
            r#"{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}"#,
            r#"{"spec":{"containers":[{"name":"a","image":"z"}]}}"#,
            r#"{"spec":{"containers":[{"name":"a","image":"z"}]}}"#,
        ),
    ];

    #[test]
    fn object_edits() {
        for (original, patch, expected) in OBJECT_CASES {
            assert_eq!(merge_patch(&json(original), &json(patch)), json(expected), "{patch}");
        }
    }

    /// (original, modified, expected patch); every patch must also reproduce `modified`.
    const DIFF_CASES: &[(&str, &str, &str)] = &[
        (r#"{"a":1}"#, r#"{"a":1}"#, r#"{}"#),
        (r#"{"a":1}"#, r#"{"a":2}"#, r#"{"a":2}"#),
        (r#"{"a":1,"b":2}"#, r#"{"a":1}"#, r#"{"b":null}"#),
        (r#"{}"#, r#"{"a":{"b":1}}"#, r#"{"a":{"b":1}}"#),
        (r#"{"a":{"b":1,"c":2}}"#, r#"{"a":{"b":1,"c":3,"d":4}}"#, r#"{"a":{"c":3,"d":4}}"#),
        (r#"{"a":{"b":1}}"#, r#"{"a":{}}"#, r#"{"a":{"b":null}}"#),
        (r#"{"a":[1,2]}"#, r#"{"a":[2,1]}"#, r#"{"a":[2,1]}"#),
        (r#"{"a":"x"}"#, r#"{"a":{"b":1}}"#, r#"{"a":{"b":1}}"#),
        (r#"{"a":{"b":1}}"#, r#"{"a":"x"}"#, r#"{"a":"x"}"#),
        (r#"[1]"#, r#"{"a":1}"#, r#"{"a":1}"#),
        (r#"{"a":1}"#, r#"[1]"#, r#"[1]"#),
        (r#"{"a":1}"#, r#""text""#, r#""text""#),
    ];

    #[test]
    fn create_merge_patch_round_trips() {
        for (original, modified, expected) in DIFF_CASES {
            let (original, modified) = (json(original), json(modified));
            let patch = create_merge_patch(&original, &modified);
            assert_eq!(patch, json(expected), "{original} -> {modified}");
            assert_eq!(merge_patch(&original, &patch), modified, "apply {patch}");
        }
    }

    #[test]
    fn nulls_inside_modified_cannot_survive() {
        let original = json(r#"{"a":{"b":1}}"#);
        let modified = json(r#"{"a":{"b":null}}"#);
        let patch = create_merge_patch(&original, &modified);
        assert_eq!(merge_patch(&original, &patch), json(r#"{"a":{}}"#));
    }
}
