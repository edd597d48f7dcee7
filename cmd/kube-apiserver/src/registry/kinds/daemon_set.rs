//! DaemonSets (`ds`): one pod per node. Besides `metadata.generation`, upstream counts template
//! changes in the `deprecated.daemonset.template.generation` annotation (its internal
//! `templateGeneration`, which apps/v1 carries as an annotation); older pods are matched by it.

use super::printing::{
    PrintRow, age_cell, age_column, column, container_cells, container_columns,
    format_label_selector, format_labels, name_column,
};
use crate::registry::Strategy;
use api_types::api::apps::v1::DaemonSet;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Where apps/v1 keeps the template generation.
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

impl Strategy for DaemonSet {
    const SHORT_NAMES: &'static [&'static str] = &["ds"];
    const CATEGORIES: &'static [&'static str] = &["all"];
    const SUBRESOURCES: &'static [&'static str] = &["status"];
    const STATUS_SUBRESOURCE: bool = true;
    const TRACKS_GENERATION: bool = true;

    fn prepare_for_create(&mut self) {
        set_template_generation(self, template_generation(self).max(1));
    }

    /// The template generation is the stored one, plus one when the template changed.
    fn prepare_for_update(&mut self, old: &Self) {
        let changed = self.spec.template != old.spec.template;
        set_template_generation(self, template_generation(old) + i64::from(changed));
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        let [containers, images] = container_columns(1);
        vec![
            name_column(),
            column("Desired", "integer", 0, "Nodes that should run the daemon pod."),
            column("Current", "integer", 0, "Nodes running at least one daemon pod."),
            column("Ready", "integer", 0, "Nodes with a ready daemon pod."),
            column("Up-to-date", "integer", 0, "Nodes running the current template."),
            column("Available", "integer", 0, "Nodes with an available daemon pod."),
            column("Node Selector", "string", 0, "The template's node selector."),
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

/// The annotation's value; absent or unparsable counts as 0, as an unset internal field would.
fn template_generation(daemon_set: &DaemonSet) -> i64 {
    let annotations = &daemon_set.metadata.annotations;
    annotations.get(TEMPLATE_GENERATION_ANNOTATION).and_then(|v| v.parse().ok()).unwrap_or(0)
}

fn set_template_generation(daemon_set: &mut DaemonSet, generation: i64) {
    let annotations = &mut daemon_set.metadata.annotations;
    annotations.insert(TEMPLATE_GENERATION_ANNOTATION.to_string(), generation.to_string());
}

impl PrintRow for DaemonSet {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        let (template, status) = (&self.spec.template, &self.status);
        let [names, images] = container_cells(&template.spec.containers);
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(i64::from(status.desired_number_scheduled)),
            Value::from(i64::from(status.current_number_scheduled)),
            Value::from(i64::from(status.number_ready)),
            Value::from(i64::from(status.updated_number_scheduled)),
            Value::from(i64::from(status.number_available)),
            Value::from(format_labels(&template.spec.node_selector)),
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

    fn daemon_set() -> DaemonSet {
        serde_json::from_value(json!({
            "metadata": {"name": "kube-proxy", "namespace": "kube-system", "generation": 2,
                         "annotations": {"deprecated.daemonset.template.generation": "2"},
                         "creationTimestamp": "2023-11-01T10:00:00Z"},
            "spec": {"selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
                     "template": {"metadata": {"labels": {"k8s-app": "kube-proxy"}},
                                  "spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
                                           "containers": [{"name": "kube-proxy",
                                                           "image": "registry.k8s.io/kube-proxy:v1.30.0"}]}}},
            "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 3,
                       "updatedNumberScheduled": 2, "numberAvailable": 3, "numberMisscheduled": 0}
        }))
        .unwrap()
    }

    #[test]
    fn row_matches_the_upstream_printer() {
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            daemon_set().cells_at(now),
            vec![
                json!("kube-proxy"),
                json!(3),
                json!(3),
                json!(3),
                json!(2),
                json!(3),
                json!("kubernetes.io/os=linux"),
                json!("182d"),
                json!("kube-proxy"),
                json!("registry.k8s.io/kube-proxy:v1.30.0"),
                json!("k8s-app=kube-proxy")
            ]
        );
    }

    #[test]
    fn create_starts_the_template_generation() {
        let mut created = daemon_set();
        created.metadata.annotations.clear();
        created.prepare_for_create();
        assert_eq!(created.metadata.annotations[TEMPLATE_GENERATION_ANNOTATION], "1");
        let mut restored = daemon_set();
        restored.prepare_for_create();
        assert_eq!(restored.metadata.annotations[TEMPLATE_GENERATION_ANNOTATION], "2");
    }

    #[test]
    fn template_changes_advance_the_template_generation() {
        let old = daemon_set();
        let mut retagged = old.clone();
        retagged.spec.template.spec.containers[0].image =
            "registry.k8s.io/kube-proxy:v1.30.1".into();
        retagged.metadata.annotations.insert(TEMPLATE_GENERATION_ANNOTATION.into(), "9".into());
        retagged.prepare_for_update(&old);
        assert_eq!(retagged.metadata.annotations[TEMPLATE_GENERATION_ANNOTATION], "3");
        let mut tuned = old.clone();
        tuned.spec.min_ready_seconds = 10;
        tuned.metadata.annotations.remove(TEMPLATE_GENERATION_ANNOTATION);
        tuned.prepare_for_update(&old);
        assert_eq!(tuned.metadata.annotations[TEMPLATE_GENERATION_ANNOTATION], "2");
    }
}
