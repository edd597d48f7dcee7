//! Deployments (`deploy`): rolling updates over ReplicaSets. Annotation changes count in
//! `metadata.generation` too, because the controller copies annotations to its ReplicaSets.

use super::printing::{
    PrintRow, age_cell, age_column, column, container_cells, container_columns, name_column,
};
use crate::registry::{ScaleView, Strategy};
use api_types::api::apps::v1::Deployment;
use api_types::labels::Selector;
use api_types::meta::v1::{LabelSelector, TableColumnDefinition};
use chrono::{DateTime, Utc};
use serde_json::Value;

impl Strategy for Deployment {
    const SHORT_NAMES: &'static [&'static str] = &["deploy"];
    const CATEGORIES: &'static [&'static str] = &["all"];
    const SUBRESOURCES: &'static [&'static str] = &["status", "scale"];
    const STATUS_SUBRESOURCE: bool = true;
    const TRACKS_GENERATION: bool = true;

    /// Spec changes are counted by the store (`TRACKS_GENERATION`); annotation changes here.
    fn prepare_for_update(&mut self, old: &Self) {
        if self.metadata.annotations != old.metadata.annotations {
            self.metadata.generation = old.metadata.generation + 1;
        }
    }

    fn scale(&self) -> Option<ScaleView> {
        Some(scale_view(self.spec.replicas, self.status.replicas, self.spec.selector.as_ref()))
    }

    fn set_scale_replicas(&mut self, replicas: i32) {
        self.spec.replicas = Some(replicas);
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        let [containers, images] = container_columns(1);
        vec![
            name_column(),
            column("Ready", "string", 0, "Ready replicas out of those asked for."),
            column("Up-to-date", "string", 0, "Replicas running the current template."),
            column("Available", "string", 0, "Replicas available to users."),
            age_column(),
            containers,
            images,
            column("Selector", "string", 1, "The label query over its pods."),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

/// The `scale` of an apps/v1 workload with a structured selector. A selector that does not
/// convert (validation keeps them out of storage) reads as empty.
pub fn scale_view(
    desired: Option<i32>,
    observed: i32,
    selector: Option<&LabelSelector>,
) -> ScaleView {
    ScaleView {
        desired_replicas: desired.unwrap_or(0),
        observed_replicas: observed,
        selector: Selector::from_label_selector(selector)
            .map(|selector| selector.to_string())
            .unwrap_or_default(),
    }
}

impl PrintRow for Deployment {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        let (spec, status) = (&self.spec, &self.status);
        let [names, images] = container_cells(&spec.template.spec.containers);
        // Unlike the other workloads, an empty selector prints empty and a broken one `<invalid>`.
        let selector = Selector::from_label_selector(spec.selector.as_ref())
            .map_or_else(|_| "<invalid>".to_string(), |selector| selector.to_string());
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(format!("{}/{}", status.ready_replicas, spec.replicas.unwrap_or(0))),
            Value::from(i64::from(status.updated_replicas)),
            Value::from(i64::from(status.available_replicas)),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
            names,
            images,
            Value::from(selector),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment() -> Deployment {
        serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default", "generation": 4,
                         "annotations": {"deployment.kubernetes.io/revision": "2"},
                         "creationTimestamp": "2024-04-30T20:00:00Z"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "web", "image": "nginx:1.27"},
                                                          {"name": "envoy", "image": "envoy:1.30"}]}}},
            "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 2}
        }))
        .unwrap()
    }

    #[test]
    fn row_matches_the_upstream_printer() {
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            deployment().cells_at(now),
            vec![
                json!("web"),
                json!("2/3"),
                json!(3),
                json!(2),
                json!("14h"),
                json!("web,envoy"),
                json!("nginx:1.27,envoy:1.30"),
                json!("app=web")
            ]
        );
        let mut unselective = deployment();
        unselective.spec.selector = None;
        assert_eq!(unselective.cells_at(now)[7], "");
        let names: Vec<_> = Deployment::table_columns().into_iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"]
        );
    }

    #[test]
    fn annotation_changes_bump_the_generation() {
        let old = deployment();
        let mut annotated = old.clone();
        annotated.metadata.annotations.insert("kubernetes.io/change-cause".into(), "v2".into());
        annotated.prepare_for_update(&old);
        assert_eq!(annotated.metadata.generation, 5);
        let mut scaled = old.clone();
        scaled.spec.replicas = Some(5);
        scaled.prepare_for_update(&old);
        assert_eq!(scaled.metadata.generation, 4, "spec changes are the store's to count");
    }

    #[test]
    fn scale_reads_and_writes_replicas() {
        let mut web = deployment();
        let expected = ScaleView {
            desired_replicas: 3,
            observed_replicas: 3,
            selector: "app=web".to_string(),
        };
        assert_eq!(web.scale(), Some(expected));
        web.set_scale_replicas(10);
        assert_eq!(web.spec.replicas, Some(10));
    }
}
