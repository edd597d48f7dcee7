//! LimitRanges (`limits`): per-namespace resource defaults and bounds. Upstream gives them no
//! printer, so their table is the generic one: NAME and CREATED AT (a date, not an age).

use super::printing::{PrintRow, column, name_column};
use crate::registry::Strategy;
use api_types::api::core::v1::LimitRange;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

/// What Go prints for an unset `metav1.Time`.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

impl Strategy for LimitRange {
    const SHORT_NAMES: &'static [&'static str] = &["limits"];

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![name_column(), column("Created At", "date", 0, "When the object was created.")]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for LimitRange {
    fn cells_at(&self, _now: DateTime<Utc>) -> Vec<Value> {
        let created = self.metadata.creation_timestamp.as_ref().map_or_else(
            || ZERO_TIME.to_string(),
            |at| at.0.to_rfc3339_opts(SecondsFormat::Secs, true),
        );
        vec![Value::from(self.metadata.name.clone()), Value::from(created)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn generic_row_has_name_and_creation_date() {
        let limits: LimitRange = serde_json::from_value(json!({
            "metadata": {"name": "cpu-defaults", "creationTimestamp": "2024-04-30T22:15:00+02:00"},
            "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m"}}]}
        }))
        .unwrap();
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(limits.cells_at(now), ["cpu-defaults", "2024-04-30T20:15:00Z"].map(Value::from));
        assert_eq!(LimitRange::default().cells_at(now)[1], ZERO_TIME);
        let columns = LimitRange::table_columns();
        assert_eq!((columns[1].name.as_str(), columns[1].type_.as_str()), ("Created At", "date"));
    }
}
