//! ReplicationControllers (`rc`): the original replica keeper, with a map selector.

use super::printing::{PrintRow, age_cell, container_cells, format_labels, replica_columns};
use super::selectable::with_meta_fields;
use crate::registry::{ScaleView, Strategy};
use api_types::api::core::v1::ReplicationController;
use api_types::labels::Selector;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

impl Strategy for ReplicationController {
    const SHORT_NAMES: &'static [&'static str] = &["rc"];
    const CATEGORIES: &'static [&'static str] = &["all"];
    const SUBRESOURCES: &'static [&'static str] = &["status", "scale"];
    const STATUS_SUBRESOURCE: bool = true;
    const TRACKS_GENERATION: bool = true;
    /// core/v1 kept the pre-garbage-collector behaviour: deleting an RC leaves its pods.
    const ORPHAN_DEPENDENTS_BY_DEFAULT: bool = true;

    fn scale(&self) -> Option<ScaleView> {
        Some(ScaleView {
            desired_replicas: self.spec.replicas.unwrap_or(0),
            observed_replicas: self.status.replicas,
            selector: Selector::from_set(&self.spec.selector).to_string(),
        })
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

impl PrintRow for ReplicationController {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        let containers = self.spec.template.as_ref().map_or(&[][..], |t| &t.spec.containers);
        let [names, images] = container_cells(containers);
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(i64::from(self.spec.replicas.unwrap_or(0))),
            Value::from(i64::from(self.status.replicas)),
            Value::from(i64::from(self.status.ready_replicas)),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
            names,
            images,
            Value::from(format_labels(&self.spec.selector)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn controller() -> ReplicationController {
        serde_json::from_value(json!({
            "metadata": {"name": "nginx", "namespace": "default", "generation": 3,
                         "creationTimestamp": "2024-04-28T09:00:00Z"},
            "spec": {"replicas": 3, "selector": {"app": "nginx"},
                     "template": {"metadata": {"labels": {"app": "nginx"}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}},
            "status": {"replicas": 3, "readyReplicas": 2, "availableReplicas": 2, "observedGeneration": 3}
        }))
        .unwrap()
    }

    #[test]
    fn row_matches_the_upstream_printer() {
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            controller().cells_at(now),
            vec![
                json!("nginx"),
                json!(3),
                json!(3),
                json!(2),
                json!("3d1h"),
                json!("nginx"),
                json!("nginx:1.27"),
                json!("app=nginx")
            ]
        );
        let names: Vec<_> = ReplicationController::table_columns()
            .into_iter()
            .map(|c| (c.name, c.priority))
            .collect();
        assert_eq!(
            names[1..5],
            [("Desired".into(), 0), ("Current".into(), 0), ("Ready".into(), 0), ("Age".into(), 0)]
        );
        assert_eq!(names[7], ("Selector".into(), 1));
    }

    #[test]
    fn scale_reads_and_writes_replicas() {
        let mut rc = controller();
        let expected = ScaleView {
            desired_replicas: 3,
            observed_replicas: 3,
            selector: "app=nginx".to_string(),
        };
        assert_eq!(rc.scale(), Some(expected));
        rc.set_scale_replicas(5);
        assert_eq!(rc.spec.replicas, Some(5));
    }

    #[test]
    fn field_set_has_status_replicas() {
        let fields = controller().field_set();
        assert_eq!(fields["status.replicas"], "3");
        assert_eq!(fields["metadata.namespace"], "default");
        assert_eq!(fields.len(), 3);
    }
}
