//! Namespaces (`ns`): created `Active` with the `kubernetes` finalizer, which only the
//! `finalize` subresource (the namespace controller, once the contents are gone) may remove. A
//! delete turns a namespace with finalizers `Terminating`; the `finalize` write that empties
//! them deletes it.

use super::printing::{PrintRow, age_cell, age_column, column, name_column};
use super::selectable::with_meta_fields;
use crate::registry::Strategy;
use api_types::api::core::v1::{Namespace, NamespaceStatus};
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// The finalizer that makes the namespace controller empty a namespace before it goes.
pub const KUBERNETES_FINALIZER: &str = "kubernetes";

impl Strategy for Namespace {
    const SHORT_NAMES: &'static [&'static str] = &["ns"];
    const SUBRESOURCES: &'static [&'static str] = &["status", "finalize"];
    const STATUS_SUBRESOURCE: bool = true;
    const VERBS: &'static [&'static str] =
        &["create", "delete", "get", "list", "patch", "update", "watch"];

    fn prepare_for_create(&mut self) {
        self.status = NamespaceStatus { phase: "Active".to_string(), ..Default::default() };
        if !self.spec.finalizers.iter().any(|f| f == KUBERNETES_FINALIZER) {
            self.spec.finalizers.push(KUBERNETES_FINALIZER.to_string());
        }
    }

    /// Ordinary writes cannot change `spec.finalizers`; only the `finalize` subresource, which
    /// skips this preparation, may.
    fn prepare_for_update(&mut self, old: &Self) {
        self.spec.finalizers = old.spec.finalizers.clone();
    }

    fn finalizing(&self) -> bool {
        !self.spec.finalizers.is_empty()
    }

    fn prepare_for_deletion(&mut self) {
        self.status.phase = "Terminating".to_string();
    }

    /// Upstream also accepts a bare `name`, a historical mistake it keeps for compatibility.
    fn field_set(&self) -> BTreeMap<String, String> {
        with_meta_fields(
            self,
            [("status.phase", self.status.phase.clone()), ("name", self.metadata.name.clone())],
        )
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![name_column(), column("Status", "string", 0, "The namespace's phase."), age_column()]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for Namespace {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(self.status.phase.clone()),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn namespace(value: serde_json::Value) -> Namespace {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn create_is_active_with_the_kubernetes_finalizer() {
        let mut created = namespace(json!({"metadata": {"name": "team-a"},
                                           "status": {"phase": "Terminating"}}));
        created.prepare_for_create();
        assert_eq!(
            serde_json::to_value(&created).unwrap(),
            json!({"metadata": {"name": "team-a", "creationTimestamp": null},
                   "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
        );
        let mut custom = namespace(json!({"spec": {"finalizers": ["example.com/cleanup"]}}));
        custom.prepare_for_create();
        assert_eq!(custom.spec.finalizers, ["example.com/cleanup", "kubernetes"]);
        let mut already = namespace(json!({"spec": {"finalizers": ["kubernetes"]}}));
        already.prepare_for_create();
        assert_eq!(already.spec.finalizers, ["kubernetes"]);
    }

    #[test]
    fn update_keeps_the_finalizers() {
        let old = namespace(json!({"spec": {"finalizers": ["kubernetes"]}}));
        let mut stripped = namespace(json!({"metadata": {"labels": {"team": "a"}}}));
        stripped.prepare_for_update(&old);
        assert_eq!(stripped.spec.finalizers, ["kubernetes"]);
    }

    #[test]
    fn spec_finalizers_hold_a_deletion_that_turns_it_terminating() {
        let mut held = namespace(json!({"spec": {"finalizers": ["kubernetes"]},
                                        "status": {"phase": "Active"}}));
        assert!(held.finalizing());
        held.prepare_for_deletion();
        assert_eq!(held.status.phase, "Terminating");
        assert!(!namespace(json!({"spec": {"finalizers": []}})).finalizing());
    }

    #[test]
    fn row_and_field_set() {
        let ns = namespace(
            json!({"metadata": {"name": "kube-system", "creationTimestamp": "2024-03-02T10:00:00Z"},
                                  "status": {"phase": "Active"}}),
        );
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(ns.cells_at(now), ["kube-system", "Active", "60d"].map(Value::from));
        let fields: Vec<_> = ns.field_set().into_iter().collect();
        assert_eq!(
            fields,
            [
                ("metadata.name".into(), "kube-system".into()),
                ("name".into(), "kube-system".into()),
                ("status.phase".into(), "Active".into())
            ]
        );
    }
}
