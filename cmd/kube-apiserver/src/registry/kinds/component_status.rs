//! ComponentStatuses (`cs`): upstream computes them on each read by probing etcd, the scheduler
//! and the controller manager, and serves them read-only (get and list), so `resource_table`
//! does not give them a generic store (`registry::ComponentStatuses` serves them); the strategy
//! carries their discovery facts and table.

use super::printing::{PrintRow, column, name_column};
use crate::registry::Strategy;
use api_types::api::core::v1::ComponentStatus;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;

impl Strategy for ComponentStatus {
    const SHORT_NAMES: &'static [&'static str] = &["cs"];
    /// Computed on read, never written: upstream serves only get and list.
    const VERBS: &'static [&'static str] = &["get", "list"];

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Status", "string", 0, "Healthy, Unhealthy or Unknown."),
            column("Message", "string", 0, "What the health check returned."),
            column("Error", "string", 0, "Why the health check failed."),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

/// The `Healthy` condition decides the status, message and error; upstream's row has no AGE.
impl PrintRow for ComponentStatus {
    fn cells_at(&self, _now: DateTime<Utc>) -> Vec<Value> {
        let healthy = self.conditions.iter().find(|c| c.type_ == "Healthy");
        let (status, message, error) = match healthy {
            Some(c) if c.status == "True" => ("Healthy", c.message.as_str(), c.error.as_str()),
            Some(c) => ("Unhealthy", c.message.as_str(), c.error.as_str()),
            None => ("Unknown", "", ""),
        };
        [self.metadata.name.as_str(), status, message, error].map(Value::from).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_follow_the_healthy_condition() {
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        let etcd: ComponentStatus = serde_json::from_value(json!({
            "metadata": {"name": "etcd-0"},
            "conditions": [{"type": "Healthy", "status": "True", "message": "ok"}]
        }))
        .unwrap();
        assert_eq!(etcd.cells_at(now), ["etcd-0", "Healthy", "ok", ""].map(Value::from));
        let scheduler: ComponentStatus = serde_json::from_value(json!({
            "metadata": {"name": "scheduler"},
            "conditions": [{"type": "Healthy", "status": "False",
                            "error": "Get \"https://127.0.0.1:10259/healthz\": connection refused"}]
        }))
        .unwrap();
        assert_eq!(scheduler.cells_at(now)[1], "Unhealthy");
        assert_eq!(
            scheduler.cells_at(now)[3],
            "Get \"https://127.0.0.1:10259/healthz\": connection refused"
        );
        let unknown: ComponentStatus =
            serde_json::from_value(json!({"metadata": {"name": "x"}})).unwrap();
        assert_eq!(unknown.cells_at(now), ["x", "Unknown", "", ""].map(Value::from));
    }
}
