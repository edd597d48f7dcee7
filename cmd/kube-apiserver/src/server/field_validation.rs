//! Server-side field validation (`?fieldValidation=`): what happens to fields a body names that
//! the kind's schema does not declare, and to fields a JSON body names twice. `Strict` refuses
//! the request, `Warn` (upstream's default when the parameter is absent) stores the object
//! without them and says so in one `Warning: 299` header per field, `Ignore` drops them
//! silently. Create and update bodies, and the objects merge, strategic-merge and JSON patches
//! produce, are all checked, as upstream checks them.

use super::response::ResponseBody;
use crate::registry::ResourceInfo;
use api_types::meta::v1::{PatchType, Status};
use api_types::patch::{apply_json_patch, merge_patch, strategic_merge_patch};
use api_types::validation::{ErrorList, FieldError, FieldPath};
use hyper::Response;
use hyper::header::{HeaderValue, WARNING};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

/// The values `fieldValidation` takes (the empty string means the default, `Warn`).
const DIRECTIVES: [&str; 4] = ["", "Ignore", "Strict", "Warn"];

/// Upstream caps one warning's text; longer ones are cut, as its recorder cuts them.
const MAX_WARNING_CHARS: usize = 4 * 1024;

/// What to do about unknown and duplicate fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Directive {
    Ignore,
    Warn,
    Strict,
}

impl Directive {
    /// The request's directive; an unsupported value is upstream's 422 on the verb's options
    /// (`CreateOptions`, `UpdateOptions`, `PatchOptions`).
    pub fn parse(value: Option<&str>, options_kind: &str) -> Result<Directive, Status> {
        match value.unwrap_or_default() {
            "" | "Warn" => Ok(Directive::Warn),
            "Ignore" => Ok(Directive::Ignore),
            "Strict" => Ok(Directive::Strict),
            other => {
                let path = FieldPath::new("fieldValidation");
                Err(ErrorList::from(FieldError::not_supported(&path, other, &DIRECTIVES))
                    .to_status("meta.k8s.io", options_kind, ""))
            }
        }
    }

    /// Whether fields must be checked at all.
    pub fn checks(self) -> bool {
        self != Directive::Ignore
    }
}

/// Warnings for the response, each sent as its own `Warning` header.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Warnings(Vec<String>);

impl Warnings {
    /// The texts, in the order they are sent.
    #[cfg(test)]
    pub fn texts(&self) -> &[String] {
        &self.0
    }

    /// Adds the warnings to `response` as `299 - "<text>"` headers, duplicates once.
    pub fn attach(&self, response: &mut Response<ResponseBody>) {
        let mut sent = HashSet::new();
        for text in &self.0 {
            if sent.insert(text.as_str()) {
                if let Ok(value) = HeaderValue::from_str(&warning_header(text)) {
                    response.headers_mut().append(WARNING, value);
                }
            }
        }
    }
}

/// RFC 7234's warning form with upstream's code and agent: `299 - "<text>"`, the text quoted
/// with `"` and `\` escaped and control characters replaced by spaces.
pub fn warning_header(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 8);
    quoted.push_str("299 - \"");
    for character in text.chars().take(MAX_WARNING_CHARS) {
        match character {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(character);
            }
            character if character.is_control() => quoted.push(' '),
            character => quoted.push(character),
        }
    }
    quoted.push('"');
    quoted
}

/// The strict-decoding problems of a create or update body: fields named twice in its JSON
/// (`raw`, when it was JSON), then fields the kind's schema lacks, worded as upstream's decoder
/// words them (`duplicate field "metadata.name"`, `unknown field "spec.foo"`).
pub fn body_problems(raw: Option<&[u8]>, object: &Value, info: &ResourceInfo) -> Vec<String> {
    let mut problems: Vec<String> = raw
        .map(duplicate_fields)
        .unwrap_or_default()
        .iter()
        .map(|path| format!("duplicate field {path:?}"))
        .collect();
    problems.extend(unknown_fields(object, info));
    problems
}

/// Applies the directive to a create or update body's problems: 400 under `Strict` (upstream's
/// `strict decoding error: ...`), warnings under `Warn`, nothing under `Ignore`.
pub fn judge_body(
    directive: Directive,
    raw: Option<&[u8]>,
    object: &Value,
    info: &ResourceInfo,
) -> Result<Warnings, Status> {
    if !directive.checks() {
        return Ok(Warnings::default());
    }
    let problems = body_problems(raw, object, info);
    if directive == Directive::Strict && !problems.is_empty() {
        return Err(Status::bad_request(format!(
            "{} in version {:?} cannot be handled as a {}: strict decoding error: {}",
            info.kind,
            info.version,
            info.kind,
            problems.join(", ")
        )));
    }
    Ok(Warnings(problems))
}

/// Applies the directive to a patch: the fields the patch body names twice, and the fields the
/// patched object (`current` with the patch applied) has that the kind lacks. `Strict` is
/// upstream's 422 on `patch`; a patch that does not apply is left for the store to refuse.
pub fn judge_patch(
    directive: Directive,
    current: &Value,
    patch_type: PatchType,
    raw: &[u8],
    patch: &Value,
    info: &ResourceInfo,
) -> Result<Warnings, Status> {
    if !directive.checks() {
        return Ok(Warnings::default());
    }
    let patched = match patch_type {
        PatchType::Json => apply_json_patch(current, patch),
        PatchType::Merge => Ok(merge_patch(current, patch)),
        PatchType::StrategicMerge => strategic_merge_patch(current, patch, info.kind),
        PatchType::Apply => return Ok(Warnings::default()),
    };
    let Ok(patched) = patched else {
        return Ok(Warnings::default());
    };
    let prefix = if patch_type == PatchType::Json { "json patch " } else { "" };
    let mut problems: Vec<String> = duplicate_fields(raw)
        .iter()
        .map(|path| format!("{prefix}duplicate field {path:?}"))
        .collect();
    problems.extend(unknown_fields(&patched, info));
    if directive == Directive::Strict && !problems.is_empty() {
        // Upstream shows the patched object for JSON-based patches and Go's rendering of the
        // patch map for strategic ones.
        let shown = match patch_type {
            PatchType::StrategicMerge => go_value(patch),
            _ => patched.to_string(),
        };
        let detail = format!("strict decoding error: {}", problems.join(", "));
        let error = FieldError::invalid(&FieldPath::new("patch"), shown, detail);
        return Err(ErrorList::from(error).to_status("", "", ""));
    }
    Ok(Warnings(problems))
}

/// `unknown field "<path>"` for every field of `object` the kind's schema does not declare.
fn unknown_fields(object: &Value, info: &ResourceInfo) -> Vec<String> {
    api_types::openapi::unknown_fields(info.group, info.version, info.kind, object)
        .iter()
        .map(|path| format!("unknown field {path:?}"))
        .collect()
}

/// The paths (`spec.containers[0].name`) of object keys a JSON document repeats, in document
/// order; none when the bytes are not JSON (the decoder has refused those already).
pub fn duplicate_fields(raw: &[u8]) -> Vec<String> {
    let found = RefCell::new(Vec::new());
    let mut deserializer = serde_json::Deserializer::from_slice(raw);
    let scan = Scan { path: String::new(), found: &found };
    if scan.deserialize(&mut deserializer).is_err() {
        return Vec::new();
    }
    found.into_inner()
}

/// Walks a JSON document without building it, recording repeated keys under their paths.
struct Scan<'a> {
    path: String,
    found: &'a RefCell<Vec<String>>,
}

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            let path = format!("{}[{index}]", self.path);
            if items.next_element_seed(Scan { path, found: self.found })?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut fields: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = fields.next_key::<String>()? {
            let path =
                if self.path.is_empty() { key.clone() } else { format!("{}.{key}", self.path) };
            if !seen.insert(key) {
                self.found.borrow_mut().push(path.clone());
            }
            fields.next_value_seed(Scan { path, found: self.found })?;
        }
        Ok(())
    }
}

/// A JSON value as Go's `%+v` prints the map it decodes to: `map[a:1 b:[x y]]`, keys sorted,
/// `<nil>` for null.
fn go_value(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::String(text) => text.clone(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(go_value).collect();
            format!("[{}]", items.join(" "))
        }
        Value::Object(fields) => {
            let mut entries: Vec<(&String, &Value)> = fields.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let entries: Vec<String> =
                entries.iter().map(|(key, value)| format!("{key}:{}", go_value(value))).collect();
            format!("map[{}]", entries.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::test_support;
    use serde_json::json;

    fn config_maps() -> ResourceInfo {
        ResourceInfo {
            group: "",
            version: "v1",
            kind: "ConfigMap",
            plural: "configmaps",
            singular: "configmap".into(),
            namespaced: true,
            short_names: &["cm"],
            categories: &[],
            subresources: &[],
            verbs: ResourceInfo::ALL_VERBS,
        }
    }

    #[test]
    fn directives_default_to_warn_and_refuse_unknown_values() {
        assert_eq!(Directive::parse(None, "CreateOptions"), Ok(Directive::Warn));
        assert_eq!(Directive::parse(Some(""), "CreateOptions"), Ok(Directive::Warn));
        assert_eq!(Directive::parse(Some("Ignore"), "CreateOptions"), Ok(Directive::Ignore));
        assert_eq!(Directive::parse(Some("Strict"), "CreateOptions"), Ok(Directive::Strict));
        let refused = Directive::parse(Some("Loud"), "PatchOptions").unwrap_err();
        assert_eq!(refused.code, 422);
        assert_eq!(
            refused.message,
            r#"PatchOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn""#
        );
    }

    #[test]
    fn duplicates_are_found_at_every_depth() {
        let raw = br#"{"a":1,"b":{"c":[{"d":1,"d":2}],"c":[]},"a":3}"#;
        assert_eq!(duplicate_fields(raw), ["b.c[0].d", "b.c", "a"]);
        assert!(duplicate_fields(br#"{"a":{"a":1}}"#).is_empty());
        assert!(duplicate_fields(b"{").is_empty());
    }

    #[test]
    fn bodies_are_judged_by_the_directive() {
        let raw = br#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","name":"a"},"datta":{}}"#;
        let object: Value = serde_json::from_slice(raw).unwrap();
        let info = config_maps();
        let warned = judge_body(Directive::Warn, Some(raw), &object, &info).unwrap();
        assert_eq!(
            warned.texts(),
            [r#"duplicate field "metadata.name""#, r#"unknown field "datta""#]
        );
        assert!(
            judge_body(Directive::Ignore, Some(raw), &object, &info).unwrap().texts().is_empty()
        );
        let refused = judge_body(Directive::Strict, Some(raw), &object, &info).unwrap_err();
        assert_eq!(refused.code, 400);
        assert_eq!(
            refused.message,
            r#"ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", unknown field "datta""#
        );
    }

    #[test]
    fn patches_are_judged_on_the_patched_object() {
        let info = test_support::pods();
        let current = json!({
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "db", "image": "redis"}, {"name": "web", "image": "nginx"}]},
        });
        // The strategic merge puts `web` at index 1, whatever its place in the patch.
        let patch = json!({"spec": {"containers": [{"name": "web", "imagee": "x"}]}});
        let raw = serde_json::to_vec(&patch).unwrap();
        let warned =
            judge_patch(Directive::Warn, &current, PatchType::StrategicMerge, &raw, &patch, &info)
                .unwrap();
        assert_eq!(warned.texts(), [r#"unknown field "spec.containers[1].imagee""#]);
        let refused = judge_patch(
            Directive::Strict,
            &current,
            PatchType::StrategicMerge,
            &raw,
            &patch,
            &info,
        )
        .unwrap_err();
        assert_eq!(refused.code, 422);
        assert_eq!(
            refused.message,
            r#" "" is invalid: patch: Invalid value: "map[spec:map[containers:[map[imagee:x name:web]]]]": strict decoding error: unknown field "spec.containers[1].imagee""#
        );

        let merge = br#"{"metadata":{"labels":{"a":"b"}},"spec":{"foo":1},"spec":{"foo":2}}"#;
        let patch: Value = serde_json::from_slice(merge).unwrap();
        let warned =
            judge_patch(Directive::Warn, &current, PatchType::Merge, merge, &patch, &info).unwrap();
        assert_eq!(warned.texts(), [r#"duplicate field "spec""#, r#"unknown field "spec.foo""#]);
        let refused =
            judge_patch(Directive::Strict, &current, PatchType::Merge, merge, &patch, &info)
                .unwrap_err();
        assert!(refused.message.contains(r#"strict decoding error: duplicate field "spec""#));

        // A patch that does not apply is the store's to refuse.
        let broken = json!([{"op": "test", "path": "/metadata/name", "value": "q"}]);
        let raw = serde_json::to_vec(&broken).unwrap();
        assert!(
            judge_patch(Directive::Strict, &current, PatchType::Json, &raw, &broken, &info).is_ok()
        );
    }

    #[test]
    fn warning_headers_quote_their_text() {
        assert_eq!(
            warning_header(r#"unknown field "spec.foo""#),
            r#"299 - "unknown field \"spec.foo\"""#
        );
        assert_eq!(warning_header("a\\b\nc"), r#"299 - "a\\b c""#);
        let mut response = Response::new(super::super::response::empty_body());
        Warnings(vec!["x".into(), "y".into(), "x".into()]).attach(&mut response);
        let sent: Vec<&str> =
            response.headers().get_all(WARNING).iter().map(|v| v.to_str().unwrap()).collect();
        assert_eq!(sent, [r#"299 - "x""#, r#"299 - "y""#]);
    }
}
