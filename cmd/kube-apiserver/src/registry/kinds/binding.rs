//! Bindings: the scheduler's "put this pod on that node". Upstream serves them create-only (as
//! `pods/binding` and the legacy `bindings` collection), setting the pod's `spec.nodeName`
//! instead of storing anything, so `resource_table` does not give them a generic store; the
//! strategy exists for the binding handler's validation and discovery facts.

use super::printing::{PrintRow, age_cell, age_column, name_column};
use crate::registry::Strategy;
use api_types::api::core::v1::Binding;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;

impl Strategy for Binding {
    /// Bindings are only ever created, as upstream serves them.
    const VERBS: &'static [&'static str] = &["create"];

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![name_column(), age_column()]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for Binding {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        vec![
            Value::from(self.metadata.name.clone()),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_have_only_namespace_and_name_fields() {
        let mut binding = Binding::default();
        binding.metadata.name = "web-0".into();
        binding.metadata.namespace = "prod".into();
        let fields: Vec<_> = binding.field_set().into_iter().collect();
        assert_eq!(
            fields,
            [
                ("metadata.name".to_string(), "web-0".to_string()),
                ("metadata.namespace".to_string(), "prod".to_string())
            ]
        );
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(binding.cells_at(now), ["web-0", "<unknown>"].map(Value::from));
    }
}
