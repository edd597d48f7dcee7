//! PodTemplates: stored pod specs, counted in `metadata.generation` like workload specs.

use super::printing::{
    PrintRow, column, container_cells, container_columns, format_labels, name_column,
};
use crate::registry::Strategy;
use api_types::api::core::v1::PodTemplate;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;

impl Strategy for PodTemplate {
    /// Upstream counts template changes in the generation, starting at 1.
    const TRACKS_GENERATION: bool = true;

    fn table_columns() -> Vec<TableColumnDefinition> {
        let [containers, images] = container_columns(0);
        vec![
            name_column(),
            containers,
            images,
            column("Pod Labels", "string", 0, "The labels of pods made from the template."),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

/// Upstream's pod template row has no AGE column.
impl PrintRow for PodTemplate {
    fn cells_at(&self, _now: DateTime<Utc>) -> Vec<Value> {
        let [names, images] = container_cells(&self.template.spec.containers);
        vec![
            Value::from(self.metadata.name.clone()),
            names,
            images,
            Value::from(format_labels(&self.template.metadata.labels)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn row_lists_containers_and_pod_labels() {
        let template: PodTemplate = serde_json::from_value(json!({
            "metadata": {"name": "nginx-template"},
            "template": {"metadata": {"labels": {"tier": "fe", "app": "nginx"}},
                         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"},
                                                 {"name": "exporter", "image": "nginx-exporter:1.1"}]}}
        }))
        .unwrap();
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            template.cells_at(now),
            [
                "nginx-template",
                "nginx,exporter",
                "nginx:1.27,nginx-exporter:1.1",
                "app=nginx,tier=fe"
            ]
            .map(Value::from)
        );
        let names: Vec<_> = PodTemplate::table_columns().into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["Name", "Containers", "Images", "Pod Labels"]);
    }
}
