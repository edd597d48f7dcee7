//! The paths of the documents: each kind's collection and item URLs with their verbs and the
//! `x-kubernetes-action` / `x-kubernetes-group-version-kind` extensions kubectl looks up.

use super::kinds::KindInfo;
use super::schemas::{Flavor, PATCH, STATUS, gvk, list_definition};
use serde_json::{Map, Value, json};

/// The patch content types the server accepts.
const PATCH_TYPES: &[&str] = &[
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
];

/// Adds the kind's paths to `paths`.
pub fn add_kind_paths(paths: &mut Map<String, Value>, flavor: Flavor, kind: &KindInfo) {
    let prefix = format!("/{}", kind.group_version_path());
    let scope = if kind.namespaced { "/namespaces/{namespace}" } else { "" };
    let collection = format!("{prefix}{scope}/{}", kind.plural);
    let item = format!("{collection}/{{name}}");
    let op = |verb: &str, action: &str, params: &[&str], body: Option<&str>, response: &str| {
        operation(flavor, kind, Operation { verb, action, params, body, response })
    };
    let list = list_definition(kind);
    let scoped: &[&str] = if kind.namespaced { &["namespace"] } else { &[] };
    let named: &[&str] = if kind.namespaced { &["namespace", "name"] } else { &["name"] };

    paths.insert(
        collection,
        json!({
            "get": op("list", "list", scoped, None, &list),
            "post": op("create", "post", scoped, Some(kind.definition), kind.definition),
            "delete": op("deletecollection", "deletecollection", scoped, None, STATUS),
        }),
    );
    paths.insert(
        item,
        json!({
            "get": op("read", "get", named, None, kind.definition),
            "put": op("replace", "put", named, Some(kind.definition), kind.definition),
            "patch": op("patch", "patch", named, Some(PATCH), kind.definition),
            "delete": op("delete", "delete", named, None, STATUS),
        }),
    );
    if kind.namespaced {
        paths.insert(
            format!("{prefix}/{}", kind.plural),
            json!({ "get": op("listForAllNamespaces", "list", &[], None, &list) }),
        );
    }
}

struct Operation<'a> {
    verb: &'a str,
    action: &'a str,
    params: &'a [&'a str],
    body: Option<&'a str>,
    response: &'a str,
}

fn operation(flavor: Flavor, kind: &KindInfo, op: Operation) -> Value {
    let mut parameters: Vec<Value> =
        op.params.iter().map(|name| parameter(flavor, name, "path", true)).collect();
    if op.body.is_some() {
        for name in ["dryRun", "fieldManager", "fieldValidation"] {
            parameters.push(parameter(flavor, name, "query", false));
        }
    }
    let content_types: Vec<&str> =
        if op.action == "patch" { PATCH_TYPES.to_vec() } else { vec!["application/json"] };
    let mut operation = json!({
        "operationId": operation_id(op.verb, kind),
        "x-kubernetes-action": op.action,
        "x-kubernetes-group-version-kind": gvk(kind, kind.kind)[0].clone(),
    });
    let response_schema = flavor.reference(op.response);
    match flavor {
        Flavor::V2 => {
            if let Some(body) = op.body {
                parameters.push(json!({
                    "name": "body", "in": "body", "required": true,
                    "schema": flavor.reference(body)
                }));
            }
            operation["consumes"] = json!(content_types);
            operation["produces"] = json!(["application/json", "application/yaml"]);
            operation["responses"] =
                json!({ "200": { "description": "OK", "schema": response_schema } });
        }
        Flavor::V3 => {
            if let Some(body) = op.body {
                let content: Map<String, Value> = content_types
                    .iter()
                    .map(|ty| (ty.to_string(), json!({ "schema": flavor.reference(body) })))
                    .collect();
                operation["requestBody"] = json!({ "content": content, "required": true });
            }
            operation["responses"] = json!({
                "200": {
                    "description": "OK",
                    "content": { "application/json": { "schema": response_schema } }
                }
            });
        }
    }
    operation["parameters"] = Value::Array(parameters);
    operation
}

fn parameter(flavor: Flavor, name: &str, location: &str, required: bool) -> Value {
    match flavor {
        Flavor::V2 => {
            json!({ "name": name, "in": location, "required": required, "type": "string" })
        }
        Flavor::V3 => json!({
            "name": name, "in": location, "required": required, "schema": { "type": "string" }
        }),
    }
}

/// Upstream's operation id shape: `listCoreV1NamespacedPod`, `createAppsV1NamespacedDeployment`.
fn operation_id(verb: &str, kind: &KindInfo) -> String {
    let group: String = if kind.group.is_empty() {
        "Core".to_string()
    } else {
        kind.group
            .split('.')
            .next()
            .map(|first| {
                let mut chars = first.chars();
                chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
            })
            .unwrap_or_default()
    };
    let version = {
        let mut chars = kind.version.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
    };
    let scope = if kind.namespaced && verb != "listForAllNamespaces" { "Namespaced" } else { "" };
    let (verb, suffix) = match verb {
        "listForAllNamespaces" => ("list", "ForAllNamespaces"),
        other => (other, ""),
    };
    format!("{verb}{group}{version}{scope}{}{suffix}", kind.kind)
}
