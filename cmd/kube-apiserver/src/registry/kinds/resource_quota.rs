//! ResourceQuotas (`quota`): per-namespace totals, with usage kept in status by the quota
//! controller.

use super::printing::{PrintRow, age_cell, age_column, column, name_column};
use crate::registry::Strategy;
use api_types::Quantity;
use api_types::api::core::v1::ResourceQuota;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;

impl Strategy for ResourceQuota {
    const SHORT_NAMES: &'static [&'static str] = &["quota"];
    const SUBRESOURCES: &'static [&'static str] = &["status"];
    const STATUS_SUBRESOURCE: bool = true;

    /// The column order of current upstream (older servers printed AGE second).
    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Request", "string", 0, "Used out of hard, for every resource but limits."),
            column("Limit", "string", 0, "Used out of hard, for the limits.* resources."),
            age_column(),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for ResourceQuota {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        let (mut requests, mut limits) = (Vec::new(), Vec::new());
        let zero = Quantity::default();
        for (resource, hard) in &self.status.hard {
            let used = self.status.used.get(resource).unwrap_or(&zero);
            let entry = format!("{resource}: {used}/{hard}");
            let is_limit = resource.split_once('.').is_some_and(|(prefix, _)| prefix == "limits");
            if is_limit { limits.push(entry) } else { requests.push(entry) }
        }
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(requests.join(", ")),
            Value::from(limits.join(", ")),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn row_splits_requests_and_limits() {
        let quota: ResourceQuota = serde_json::from_value(json!({
            "metadata": {"name": "compute", "creationTimestamp": "2024-05-01T09:00:00Z"},
            "spec": {"hard": {"pods": "10"}},
            "status": {
                "hard": {"limits.cpu": "4", "limits.memory": "8Gi", "pods": "10", "requests.cpu": "2"},
                "used": {"limits.cpu": "1500m", "pods": "3", "requests.cpu": "500m"}
            }
        }))
        .unwrap();
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            quota.cells_at(now),
            [
                "compute",
                "pods: 3/10, requests.cpu: 500m/2",
                "limits.cpu: 1500m/4, limits.memory: 0/8Gi",
                "60m"
            ]
            .map(Value::from)
        );
    }
}
