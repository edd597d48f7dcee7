//! ReplicaSets (`rs`): the replica keepers Deployments roll between.

use super::deployment::scale_view;
use super::printing::{
    PrintRow, age_cell, container_cells, format_label_selector, replica_columns,
};
use super::selectable::with_meta_fields;
use crate::registry::{ScaleView, Strategy};
use api_types::api::apps::v1::ReplicaSet;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

impl Strategy for ReplicaSet {
    const SHORT_NAMES: &'static [&'static str] = &["rs"];
    const CATEGORIES: &'static [&'static str] = &["all"];
    const SUBRESOURCES: &'static [&'static str] = &["status", "scale"];
    const STATUS_SUBRESOURCE: bool = true;
    const TRACKS_GENERATION: bool = true;

    fn scale(&self) -> Option<ScaleView> {
        Some(scale_view(self.spec.replicas, self.status.replicas, self.spec.selector.as_ref()))
    }

    fn set_scale_replicas(&mut self, replicas: i32) {
        self.spec.replicas = Some(replicas);
    }

    fn field_set(&self) -> BTreeMap<String, String> {
        with_meta_fields(self, [("status.replicas", self.status.replicas.to_string())])
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        replica_columns()
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for ReplicaSet {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        let [names, images] = container_cells(&self.spec.template.spec.containers);
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(i64::from(self.spec.replicas.unwrap_or(0))),
            Value::from(i64::from(self.status.replicas)),
            Value::from(i64::from(self.status.ready_replicas)),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
            names,
            images,
            Value::from(format_label_selector(self.spec.selector.as_ref())),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn replica_set() -> ReplicaSet {
        serde_json::from_value(json!({
            "metadata": {"name": "web-7d4b9c6f5", "namespace": "default",
                         "creationTimestamp": "2024-05-01T09:52:30Z"},
            "spec": {"replicas": 2,
                     "selector": {"matchLabels": {"app": "web", "pod-template-hash": "7d4b9c6f5"}},
                     "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}},
            "status": {"replicas": 2, "readyReplicas": 1}
        }))
        .unwrap()
    }

    #[test]
    fn row_matches_the_upstream_printer() {
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            replica_set().cells_at(now),
            vec![
                json!("web-7d4b9c6f5"),
                json!(2),
                json!(2),
                json!(1),
                json!("7m30s"),
                json!("web"),
                json!("nginx:1.27"),
                json!("app=web,pod-template-hash=7d4b9c6f5")
            ]
        );
    }

    #[test]
    fn field_set_has_replicas() {
        assert_eq!(replica_set().field_set()["status.replicas"], "2");
    }

    #[test]
    fn scale_reads_and_writes_replicas() {
        let mut rs = replica_set();
        let view = rs.scale().unwrap();
        assert_eq!((view.desired_replicas, view.observed_replicas), (2, 2));
        assert_eq!(view.selector, "app=web,pod-template-hash=7d4b9c6f5");
        rs.set_scale_replicas(0);
        assert_eq!(rs.spec.replicas, Some(0));
    }
}
