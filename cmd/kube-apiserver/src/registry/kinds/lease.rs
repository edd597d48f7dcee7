//! Leases (coordination.k8s.io): leader election and node heartbeats.

use super::printing::{PrintRow, age_cell, age_column, column, name_column};
use crate::registry::Strategy;
use api_types::api::coordination::v1::Lease;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;

impl Strategy for Lease {
    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Holder", "string", 0, "The identity holding the lease."),
            age_column(),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for Lease {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(self.spec.holder_identity.clone().unwrap_or_default()),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn row_shows_the_holder() {
        let lease: Lease = serde_json::from_value(json!({
            "metadata": {"name": "kube-scheduler", "namespace": "kube-system",
                         "creationTimestamp": "2024-05-01T06:30:00Z"},
            "spec": {"holderIdentity": "kind-control-plane_6f1e", "leaseDurationSeconds": 15}
        }))
        .unwrap();
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            lease.cells_at(now),
            ["kube-scheduler", "kind-control-plane_6f1e", "3h30m"].map(Value::from)
        );
        assert_eq!(Lease::default().cells_at(now)[1], "");
    }
}
