//! Secrets and ConfigMaps (`cm`): data for pods. A secret's `stringData` is write-only
//! convenience: it is merged into `data` (winning over equal keys) and never stored, as
//! upstream's conversion does. Immutability is validation's job.

use super::printing::{PrintRow, age_cell, age_column, column, name_column};
use super::selectable::with_meta_fields;
use crate::registry::Strategy;
use api_types::api::core::v1::{ConfigMap, Secret};
use api_types::meta::v1::TableColumnDefinition;
use api_types::serde_util::ByteString;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

impl Strategy for Secret {
    fn prepare_for_create(&mut self) {
        merge_string_data(self);
    }

    fn prepare_for_update(&mut self, _old: &Self) {
        merge_string_data(self);
    }

    fn field_set(&self) -> BTreeMap<String, String> {
        with_meta_fields(self, [("type", self.type_.clone())])
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Type", "string", 0, "The kind of data the secret holds."),
            column("Data", "string", 0, "How many keys the secret holds."),
            age_column(),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

fn merge_string_data(secret: &mut Secret) {
    let text = std::mem::take(&mut secret.string_data);
    secret.data.extend(text.into_iter().map(|(key, value)| (key, ByteString(value.into_bytes()))));
}

impl PrintRow for Secret {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(self.type_.clone()),
            Value::from(self.data.len()),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
        ]
    }
}

impl Strategy for ConfigMap {
    const SHORT_NAMES: &'static [&'static str] = &["cm"];

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Data", "string", 0, "How many keys the map holds."),
            age_column(),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for ConfigMap {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(self.data.len() + self.binary_data.len()),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2024-05-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn secret_row_and_fields() {
        let secret: Secret = serde_json::from_value(json!({
            "metadata": {"name": "registry-auth", "namespace": "ci", "creationTimestamp": "2024-05-01T07:30:00Z"},
            "type": "kubernetes.io/dockerconfigjson",
            "data": {".dockerconfigjson": "e30="}
        }))
        .unwrap();
        assert_eq!(
            secret.cells_at(now()),
            vec![
                json!("registry-auth"),
                json!("kubernetes.io/dockerconfigjson"),
                json!(1),
                json!("150m")
            ]
        );
        assert_eq!(secret.field_set()["type"], "kubernetes.io/dockerconfigjson");
        assert_eq!(secret.field_set().len(), 3);
    }

    #[test]
    fn string_data_is_merged_into_data() {
        let mut secret: Secret = serde_json::from_value(json!({
            "data": {"user": "YWRtaW4=", "password": "b2xk"},
            "stringData": {"password": "s3cr3t", "host": "db"}
        }))
        .unwrap();
        secret.prepare_for_create();
        assert_eq!(
            serde_json::to_value(&secret).unwrap(),
            json!({"metadata": {"creationTimestamp": null},
                   "data": {"host": "ZGI=", "password": "czNjcjN0", "user": "YWRtaW4="}})
        );
        let old = secret.clone();
        secret.string_data.insert("user".into(), "root".into());
        secret.prepare_for_update(&old);
        assert_eq!(secret.data["user"].0, b"root");
        assert!(secret.string_data.is_empty());
    }

    #[test]
    fn config_map_counts_text_and_binary_keys() {
        let map: ConfigMap = serde_json::from_value(json!({
            "metadata": {"name": "kube-root-ca.crt", "creationTimestamp": "2024-05-01T09:59:58Z"},
            "data": {"ca.crt": "-----BEGIN CERTIFICATE-----"},
            "binaryData": {"logo.png": "iVBORw=="}
        }))
        .unwrap();
        assert_eq!(map.cells_at(now()), vec![json!("kube-root-ca.crt"), json!(2), json!("2s")]);
        assert_eq!(map.field_set().len(), 2);
    }
}
