//! `Table`: the server-side rendering behind `kubectl get`. kubectl asks for it with
//! `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` and prints the rows as they come, so
//! column names, cell values and the per-row object are what users see.

use super::ListMeta;
use super::query::{QueryBuilder, QueryError, QueryParameters, QueryParams};
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// `includeObject` values: how much of each object a row carries.
pub mod include_object {
    /// No object; the row's `object` is `null`.
    pub const NONE: &str = "None";
    /// A `PartialObjectMetadata` (the default when unset).
    pub const METADATA: &str = "Metadata";
    /// The full object.
    pub const OBJECT: &str = "Object";
}

/// The only row condition type upstream defines: the row's object has run to completion (a
/// finished pod or job), which printers may dim.
pub const ROW_COMPLETED: &str = "Completed";

/// Upstream's `metav1.Table` (`kind: Table`, `apiVersion: meta.k8s.io/v1`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ListMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub column_definitions: Vec<TableColumnDefinition>,
    #[serde(default, deserialize_with = "nullable")]
    pub rows: Vec<TableRow>,
}

impl Table {
    /// A table with its type meta set, as the apiserver returns it.
    pub fn new(
        columns: Vec<TableColumnDefinition>,
        rows: Vec<TableRow>,
        metadata: ListMeta,
    ) -> Self {
        Table {
            kind: "Table".to_string(),
            api_version: "meta.k8s.io/v1".to_string(),
            metadata,
            column_definitions: columns,
            rows,
        }
    }
}

/// One column. Every field is always written, even empty, as upstream's tags have no
/// `omitempty`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableColumnDefinition {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// An OpenAPI type: `string`, `integer`, `number`, `boolean`, ...
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    /// An OpenAPI format; `name` marks the column holding the object's name.
    #[serde(default, deserialize_with = "nullable")]
    pub format: String,
    #[serde(default, deserialize_with = "nullable")]
    pub description: String,
    /// 0 for the columns `kubectl get` always shows; higher ones appear with `-o wide`.
    #[serde(default, deserialize_with = "nullable")]
    pub priority: i32,
}

impl TableColumnDefinition {
    /// A column with the given name, type and priority; format and description empty.
    pub fn new(name: &str, type_: &str, priority: i32) -> Self {
        TableColumnDefinition {
            name: name.to_string(),
            type_: type_.to_string(),
            priority,
            ..Default::default()
        }
    }
}

/// One row: a cell per column, in column order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableRow {
    /// Strings, numbers, booleans, small maps or lists, or `null`.
    #[serde(default, deserialize_with = "nullable")]
    pub cells: Vec<serde_json::Value>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<TableRowCondition>,
    /// The object the row describes, as chosen by `includeObject`. Go writes an absent object as
    /// `null` rather than omitting it, and so does this field.
    #[serde(default)]
    pub object: serde_json::Value,
}

/// A condition on a row (only [`ROW_COMPLETED`] is defined).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableRowCondition {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// The query options of a Table request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableOptions {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// One of [`include_object`]; empty means `Metadata`. Kept as sent so validation can reject
    /// other values by name.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub include_object: String,
}

impl QueryParameters for TableOptions {
    fn from_params(params: &QueryParams) -> Result<Self, QueryError> {
        Ok(TableOptions { include_object: params.string("includeObject"), ..Default::default() })
    }

    fn write_params(&self, query: &mut QueryBuilder) {
        query.string("includeObject", &self.include_object);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Shaped like the Table `kubectl get pods` receives (columns and cells as upstream's pod printer
    /// writes them, descriptions shortened); written from upstream's types, not captured.
    const POD_TABLE: &str = r#"{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"5120"},"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace.","priority":0},{"name":"Ready","type":"string","format":"","description":"The aggregate readiness state of this pod for accepting traffic.","priority":0},{"name":"Status","type":"string","format":"","description":"The aggregate status of the containers in this pod.","priority":0},{"name":"Restarts","type":"string","format":"","description":"The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.","priority":0},{"name":"Age","type":"string","format":"","description":"CreationTimestamp is a timestamp representing the server time when this object was created.","priority":0},{"name":"IP","type":"string","format":"","description":"podIP address allocated to the pod.","priority":1},{"name":"Node","type":"string","format":"","description":"NodeName indicates in which node this pod is scheduled.","priority":1}],"rows":[{"cells":["web-7d4b9c6f5-x2k8p","1/1","Running","0","3m12s","10.244.0.12","kind-control-plane"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"web-7d4b9c6f5-x2k8p","generateName":"web-7d4b9c6f5-","namespace":"default","uid":"5f0c8a1e-9b2d-4c3e-8f7a-6d5e4c3b2a19","resourceVersion":"5098","creationTimestamp":"2024-05-01T09:30:00Z","labels":{"app":"web","pod-template-hash":"7d4b9c6f5"}}}},{"cells":["migrate-h7q2z","0/1","Completed","0","10m","10.244.0.9","kind-control-plane"],"conditions":[{"type":"Completed","status":"True"}],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"migrate-h7q2z","namespace":"default","uid":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","resourceVersion":"4011","creationTimestamp":"2024-05-01T09:23:00Z"}}}]}"#;

    #[test]
    fn real_pod_table_round_trips() {
        let table: Table = serde_json::from_str(POD_TABLE).unwrap();
        assert_eq!(table.column_definitions.len(), 7);
        assert_eq!(table.column_definitions[0].format, "name");
        assert_eq!(table.column_definitions[5].priority, 1);
        assert_eq!(table.rows[0].cells[2], json!("Running"));
        assert_eq!(table.rows[1].conditions[0].type_, ROW_COMPLETED);
        assert_eq!(table.rows[0].object["kind"], "PartialObjectMetadata");
        let original: serde_json::Value = serde_json::from_str(POD_TABLE).unwrap();
        assert_eq!(serde_json::to_value(&table).unwrap(), original);
    }

    #[test]
    fn rows_without_objects_write_null_and_columns_write_empty_fields() {
        let table = Table::new(
            vec![TableColumnDefinition::new("Name", "string", 0)],
            vec![TableRow { cells: vec![json!("a"), json!(3), json!(null)], ..Default::default() }],
            ListMeta::default(),
        );
        assert_eq!(
            serde_json::to_value(&table).unwrap(),
            json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {},
                   "columnDefinitions": [{"name": "Name", "type": "string", "format": "",
                                          "description": "", "priority": 0}],
                   "rows": [{"cells": ["a", 3, null], "object": null}]})
        );
        let empty = Table::new(vec![], vec![], ListMeta::default());
        assert_eq!(
            serde_json::to_value(&empty).unwrap(),
            json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {},
                   "columnDefinitions": [], "rows": []})
        );
    }

    #[test]
    fn table_options_read_include_object() {
        let options = TableOptions::from_query("includeObject=Object").unwrap();
        assert_eq!(options.include_object, include_object::OBJECT);
        assert_eq!(options.to_query(), "includeObject=Object");
        assert_eq!(TableOptions::from_query("").unwrap().include_object, "");
    }
}
