//! Test-only kinds: real api-types kinds in newtypes, each with a small `Strategy`.

use crate::registry::{ScaleView, Strategy};
use api_types::Resource;
use api_types::api::core::v1::{ConfigMap, Namespace, Pod, ReplicationController};
use api_types::defaults::ApplyDefaults;
use api_types::labels::Selector;
use api_types::meta::v1::{ObjectMeta, TableColumnDefinition};
use api_types::validation::{ErrorList, Validate};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Wraps `$inner` as `$wrapper`, serving exactly like it (same wire form, identity, defaults and
/// validation), so that the test module can give it a `Strategy` of its own.
macro_rules! test_kind {
    ($wrapper:ident, $inner:ty) => {
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub(super) struct $wrapper(pub(super) $inner);

        impl Resource for $wrapper {
            const GROUP: &'static str = <$inner as Resource>::GROUP;
            const VERSION: &'static str = <$inner as Resource>::VERSION;
            const API_VERSION: &'static str = <$inner as Resource>::API_VERSION;
            const KIND: &'static str = <$inner as Resource>::KIND;
            const PLURAL: &'static str = <$inner as Resource>::PLURAL;
            const NAMESPACED: bool = <$inner as Resource>::NAMESPACED;

            fn metadata(&self) -> &ObjectMeta {
                self.0.metadata()
            }
            fn metadata_mut(&mut self) -> &mut ObjectMeta {
                self.0.metadata_mut()
            }
            fn set_type_meta(&mut self) {
                self.0.set_type_meta()
            }
        }

        impl ApplyDefaults for $wrapper {
            fn apply_defaults(&mut self) {
                self.0.apply_defaults()
            }
        }

        impl Validate for $wrapper {
            fn validate(&self) -> ErrorList {
                self.0.validate()
            }
            fn validate_update(&self, old: &Self) -> ErrorList {
                self.0.validate_update(&old.0)
            }
        }
    };
}

test_kind!(TestConfigMap, ConfigMap);
test_kind!(TestReplicationController, ReplicationController);
test_kind!(TestPod, Pod);
test_kind!(TestNamespace, Namespace);

fn name_and_age_columns() -> Vec<TableColumnDefinition> {
    vec![
        TableColumnDefinition::new("Name", "string", 0),
        TableColumnDefinition::new("Age", "string", 0),
    ]
}

/// A plain namespaced kind: the generic behaviour with nothing overridden but the table.
impl Strategy for TestConfigMap {
    const SHORT_NAMES: &'static [&'static str] = &["cm"];

    fn table_columns() -> Vec<TableColumnDefinition> {
        let mut columns = name_and_age_columns();
        columns.insert(1, TableColumnDefinition::new("Data", "string", 0));
        columns
    }

    fn table_cells(&self) -> Vec<Value> {
        vec![json!(self.0.metadata.name), json!(self.0.data.len()), json!("<test>")]
    }
}

/// A workload: status subresource, generation, scale, and upstream's v1 default of orphaning
/// dependents.
impl Strategy for TestReplicationController {
    const SHORT_NAMES: &'static [&'static str] = &["rc"];
    const CATEGORIES: &'static [&'static str] = &["all"];
    const SUBRESOURCES: &'static [&'static str] = &["scale", "status"];
    const STATUS_SUBRESOURCE: bool = true;
    const TRACKS_GENERATION: bool = true;
    const ORPHAN_DEPENDENTS_BY_DEFAULT: bool = true;

    fn field_set(&self) -> BTreeMap<String, String> {
        let mut fields = BTreeMap::from([
            ("metadata.name".to_string(), self.0.metadata.name.clone()),
            ("metadata.namespace".to_string(), self.0.metadata.namespace.clone()),
        ]);
        fields.insert("status.replicas".to_string(), self.0.status.replicas.to_string());
        fields
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        name_and_age_columns()
    }

    fn table_cells(&self) -> Vec<Value> {
        vec![json!(self.0.metadata.name), json!("<test>")]
    }

    fn scale(&self) -> Option<ScaleView> {
        Some(ScaleView {
            desired_replicas: self.0.spec.replicas.unwrap_or(1),
            observed_replicas: self.0.status.replicas,
            selector: Selector::from_set(&self.0.spec.selector).to_string(),
        })
    }

    fn set_scale_replicas(&mut self, replicas: i32) {
        self.0.spec.replicas = Some(replicas);
    }
}

/// Graceful deletion as the Pod strategy does it, a status subresource, an initial phase, and
/// selectable spec and status fields.
impl Strategy for TestPod {
    const SHORT_NAMES: &'static [&'static str] = &["po"];
    const STATUS_SUBRESOURCE: bool = true;
    const GRACEFUL_DELETION: bool = true;

    fn prepare_for_create(&mut self) {
        self.0.status.phase = "Pending".to_string();
    }

    fn field_set(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("metadata.name".to_string(), self.0.metadata.name.clone()),
            ("metadata.namespace".to_string(), self.0.metadata.namespace.clone()),
            ("spec.nodeName".to_string(), self.0.spec.node_name.clone()),
            ("status.phase".to_string(), self.0.status.phase.clone()),
        ])
    }

    fn deletion_grace_period_seconds(&self, requested: Option<i64>) -> i64 {
        if self.0.spec.node_name.is_empty() {
            return 0;
        }
        requested.or(self.0.spec.termination_grace_period_seconds).unwrap_or(30)
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        name_and_age_columns()
    }

    fn table_cells(&self) -> Vec<Value> {
        vec![json!(self.0.metadata.name), json!("<test>")]
    }
}

/// A cluster-scoped kind.
impl Strategy for TestNamespace {
    const SHORT_NAMES: &'static [&'static str] = &["ns"];

    fn table_columns() -> Vec<TableColumnDefinition> {
        name_and_age_columns()
    }

    fn table_cells(&self) -> Vec<Value> {
        vec![json!(self.0.metadata.name), json!("<test>")]
    }
}
