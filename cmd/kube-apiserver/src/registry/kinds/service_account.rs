//! ServiceAccounts (`sa`): pod identities.

use super::printing::{PrintRow, age_cell, age_column, column, name_column};
use crate::registry::Strategy;
use api_types::api::core::v1::ServiceAccount;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;

impl Strategy for ServiceAccount {
    const SHORT_NAMES: &'static [&'static str] = &["sa"];

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Secrets", "string", 0, "How many secrets the account lists."),
            age_column(),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for ServiceAccount {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(self.secrets.len()),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn row_counts_secrets() {
        let account: ServiceAccount = serde_json::from_value(json!({
            "metadata": {"name": "default", "creationTimestamp": "2024-05-01T09:00:00Z"},
            "secrets": [{"name": "default-token-x2k8p"}]
        }))
        .unwrap();
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(account.cells_at(now), vec![json!("default"), json!(1), json!("60m")]);
    }
}
