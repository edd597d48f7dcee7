//! The server-side conversions a client can ask for with `Accept: ...;as=<Kind>`: a `Table` for
//! `kubectl get`, or metadata only (`PartialObjectMetadata[List]`) for metadata informers.

use crate::negotiation::MetaVersion;
use crate::registry::RestResource;
use api_types::meta::v1::{Status, Table, include_object};
use serde_json::{Map, Value, json};

/// `object` reduced to its metadata, typed as `PartialObjectMetadata` of `version`.
pub fn partial_metadata(object: &Value, version: MetaVersion) -> Value {
    let metadata = object.get("metadata").cloned().unwrap_or_else(|| json!({}));
    json!({
        "kind": "PartialObjectMetadata",
        "apiVersion": version.api_version(),
        "metadata": metadata,
    })
}

/// A list reduced to its items' metadata, typed as `PartialObjectMetadataList`.
pub fn partial_metadata_list(list: &Value, version: MetaVersion) -> Value {
    let items: Vec<Value> =
        list_items(list).iter().map(|item| partial_metadata(item, version)).collect();
    let metadata = list.get("metadata").cloned().unwrap_or_else(|| json!({}));
    json!({
        "kind": "PartialObjectMetadataList",
        "apiVersion": version.api_version(),
        "metadata": metadata,
        "items": items,
    })
}

/// The items of a list object (empty when it has none).
pub fn list_items(list: &Value) -> &[Value] {
    list.get("items").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// What each table row carries besides its cells, from the `includeObject` query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeObject {
    /// No object (`null`).
    None,
    /// The object's metadata as a `PartialObjectMetadata` (the default).
    Metadata,
    /// The whole object.
    Object,
}

impl IncludeObject {
    /// Reads `includeObject`; an empty value is the default. An unknown value is a 400, with
    /// upstream's message.
    pub fn parse(value: &str) -> Result<Self, Status> {
        match value {
            "" | include_object::METADATA => Ok(IncludeObject::Metadata),
            include_object::NONE => Ok(IncludeObject::None),
            include_object::OBJECT => Ok(IncludeObject::Object),
            other => Err(Status::bad_request(format!(
                "unrecognized includeObject value: {}",
                serde_json::Value::from(other)
            ))),
        }
    }
}

/// A resource's table of `objects` as `meta.k8s.io/<version>`, each row carrying the object as
/// `include` says. `list_metadata` is the list's metadata (resourceVersion, continue) when the
/// objects came from a list.
pub fn table(
    resource: &dyn RestResource,
    objects: &[Value],
    list_metadata: Option<Value>,
    version: MetaVersion,
    include: IncludeObject,
) -> Result<Table, Status> {
    let mut table = resource.table(objects, list_metadata)?;
    table.kind = "Table".to_string();
    table.api_version = version.api_version().to_string();
    for (row, object) in table.rows.iter_mut().zip(objects) {
        row.object = match include {
            IncludeObject::None => Value::Null,
            IncludeObject::Metadata => partial_metadata(object, version),
            IncludeObject::Object => object.clone(),
        };
    }
    Ok(table)
}

/// Sets `metadata.<field>` of an object, creating `metadata` when missing.
pub fn set_metadata_field(object: &mut Value, field: &str, value: Value) {
    if let Value::Object(map) = object {
        let metadata = map.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
        if !metadata.is_object() {
            *metadata = Value::Object(Map::new());
        }
        if let Value::Object(metadata) = metadata {
            metadata.insert(field.to_string(), value);
        }
    }
}

/// `metadata.<field>` of an object as a string, empty when absent.
pub fn metadata_str<'a>(object: &'a Value, field: &str) -> &'a str {
    object
        .get("metadata")
        .and_then(|metadata| metadata.get(field))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_metadata_keeps_only_metadata() {
        let pod = json!({"kind": "Pod", "apiVersion": "v1",
                         "metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {}});
        assert_eq!(
            partial_metadata(&pod, MetaVersion::V1),
            json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                   "metadata": {"name": "web", "labels": {"app": "web"}}})
        );
        let list = json!({"kind": "PodList", "apiVersion": "v1",
                          "metadata": {"resourceVersion": "7"}, "items": [pod]});
        let partial = partial_metadata_list(&list, MetaVersion::V1Beta1);
        assert_eq!(partial["kind"], "PartialObjectMetadataList");
        assert_eq!(partial["apiVersion"], "meta.k8s.io/v1beta1");
        assert_eq!(partial["metadata"]["resourceVersion"], "7");
        assert_eq!(partial["items"][0]["metadata"]["name"], "web");
        assert_eq!(partial["items"][0]["apiVersion"], "meta.k8s.io/v1beta1");
        assert!(partial["items"][0].get("spec").is_none());
    }

    #[test]
    fn include_object_values() {
        assert_eq!(IncludeObject::parse(""), Ok(IncludeObject::Metadata));
        assert_eq!(IncludeObject::parse("None"), Ok(IncludeObject::None));
        assert_eq!(IncludeObject::parse("Object"), Ok(IncludeObject::Object));
        let status = IncludeObject::parse("All").unwrap_err();
        assert_eq!(status.code, 400);
        assert_eq!(status.message, "unrecognized includeObject value: \"All\"");
    }

    #[test]
    fn metadata_fields() {
        let mut object = json!({"kind": "ConfigMap"});
        set_metadata_field(&mut object, "namespace", json!("default"));
        assert_eq!(metadata_str(&object, "namespace"), "default");
        assert_eq!(metadata_str(&object, "name"), "");
        let mut broken = json!({"metadata": 3});
        set_metadata_field(&mut broken, "name", json!("x"));
        assert_eq!(metadata_str(&broken, "name"), "x");
    }
}
