//! Strict field validation: the fields of an object that its kind's schema does not know.
//!
//! Upstream's strict decoder (`fieldValidation=Strict`) rejects them; our serde types ignore
//! them, so the server asks this walk over the generated schemas instead.

use super::kinds::kinds;
use super::schemas::{Flavor, definitions};
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// The schema definitions, generated on first use.
static DEFINITIONS: LazyLock<Map<String, Value>> = LazyLock::new(|| definitions(Flavor::V3));

/// The paths of every field in `object` that the schema of `group`/`version`/`kind` does not
/// declare, spelled as upstream's strict decoder reports them (`spec.containers[0].imagee`), in
/// document order. A kind without a schema has no unknown fields.
pub fn unknown_fields(group: &str, version: &str, kind: &str, object: &Value) -> Vec<String> {
    let Some(definition) = kinds()
        .into_iter()
        .find(|info| info.group == group && info.version == version && info.kind == kind)
        .and_then(|info| DEFINITIONS.get(info.definition))
    else {
        return Vec::new();
    };
    let mut unknown = Vec::new();
    walk(definition, object, "", &mut unknown);
    unknown
}

/// Follows a `$ref`, directly or through the `allOf` wrapper a described reference gets.
fn resolve(schema: &Value) -> &Value {
    let reference = schema.get("$ref").or_else(|| schema.pointer("/allOf/0/$ref"));
    reference
        .and_then(Value::as_str)
        .and_then(|reference| reference.rsplit('/').next())
        .and_then(|name| DEFINITIONS.get(name))
        .unwrap_or(schema)
}

fn walk(schema: &Value, value: &Value, path: &str, unknown: &mut Vec<String>) {
    let schema = resolve(schema);
    match value {
        Value::Object(fields) => {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, field) in fields {
                    let field_path =
                        if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                    match properties.get(name) {
                        Some(field_schema) => walk(field_schema, field, &field_path, unknown),
                        None => unknown.push(field_path),
                    }
                }
            } else if let Some(values) =
                schema.get("additionalProperties").filter(|s| s.is_object())
            {
                for (name, field) in fields {
                    let field_path =
                        if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                    walk(values, field, &field_path, unknown);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    walk(item_schema, item, &format!("{path}[{index}]"), unknown);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_misspelled_fields_by_path() {
        let pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": { "name": "a", "labels": { "app": "x" }, "nmae": "b" },
            "spec": { "containers": [
                { "name": "c", "image": "nginx", "resources": { "limits": { "cpu": "1" } } },
                { "name": "d", "imagee": "nginx" }
            ] }
        });
        assert_eq!(
            unknown_fields("", "v1", "Pod", &pod),
            ["metadata.nmae", "spec.containers[1].imagee"]
        );
    }

    #[test]
    fn known_fields_and_unknown_kinds_pass() {
        let deployment = json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "a" },
            "spec": { "replicas": 2, "selector": { "matchLabels": { "a": "b" } },
                      "strategy": { "rollingUpdate": { "maxSurge": "25%" } },
                      "template": { "spec": { "containers": [{ "name": "c" }] } } }
        });
        assert!(unknown_fields("apps", "v1", "Deployment", &deployment).is_empty());
        assert!(unknown_fields("example.com", "v1", "Widget", &json!({ "x": 1 })).is_empty());
    }
}
