//! `ObjectMeta`, `ListMeta`, `TypeMeta` and `OwnerReference`: the metadata of every object.

use super::Time;
use crate::serde_util::{is_zero, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `kind` and `apiVersion`, which every top-level object and list carries on the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.apimachinery.pkg.apis.meta.v1.TypeMeta")]
#[serde(rename_all = "camelCase")]
pub struct TypeMeta {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
}

/// One `metadata.managedFields` entry, kept as opaque JSON: server-side apply is not modelled, but
/// clients that send the field must get it back unchanged.
pub type ManagedFieldsEntry = serde_json::Value;

/// Upstream's `metav1.ObjectMeta`, with every field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub generate_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub self_link: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub generation: i64,
    /// A non-pointer `metav1.Time` in Go: serialized as `null` when unset, as upstream does.
    #[serde(default)]
    pub creation_timestamp: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<i64>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub owner_references: Vec<OwnerReference>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub finalizers: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub managed_fields: Vec<ManagedFieldsEntry>,
}

/// Upstream's `metav1.ListMeta`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta")]
#[serde(rename_all = "camelCase")]
pub struct ListMeta {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub self_link: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    #[serde(
        rename = "continue",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub continue_: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_item_count: Option<i64>,
}

/// Points from a dependent to its owner; the garbage collector and controllers follow it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference")]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    #[serde(default, deserialize_with = "nullable")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub uid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_owner_deletion: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_meta_continue_keeps_its_wire_name() {
        let meta: ListMeta =
            serde_json::from_value(json!({"resourceVersion": "7", "continue": "abc"})).unwrap();
        assert_eq!(meta.continue_, "abc");
        assert_eq!(
            serde_json::to_value(&meta).unwrap(),
            json!({"resourceVersion": "7", "continue": "abc"})
        );
    }

    #[test]
    fn unset_creation_timestamp_is_null_like_upstream() {
        let meta = ObjectMeta { name: "web".into(), ..Default::default() };
        assert_eq!(
            serde_json::to_value(&meta).unwrap(),
            json!({"name": "web", "creationTimestamp": null})
        );
    }
}
