//! The per-kind part of the registry: what upstream's `RESTCreateStrategy`/`RESTUpdateStrategy`
//! and friends say about one type. Everything else about serving a kind is generic.

use api_types::Resource;
use api_types::defaults::ApplyDefaults;
use api_types::meta::v1::TableColumnDefinition;
use api_types::validation::Validate;
use std::collections::BTreeMap;

/// Declares how the generic store serves one kind. Every method has upstream's generic
/// behaviour as its default, so a kind overrides only what makes it special.
pub trait Strategy: Resource + ApplyDefaults + Validate {
    /// Short names for kubectl (`po`, `svc`), as upstream's discovery lists them.
    const SHORT_NAMES: &'static [&'static str] = &[];
    /// Discovery categories; upstream puts the workload kinds in `all`.
    const CATEGORIES: &'static [&'static str] = &[];
    /// Subresources served besides the object (`status`, `scale`, `binding`, `log`, ...).
    const SUBRESOURCES: &'static [&'static str] = &[];
    /// Whether `status` is its own subresource: then a write to the object keeps the stored
    /// status, a write to `/status` changes only the status, and a create starts from an empty
    /// status (upstream's `PrepareForCreate`/`PrepareForUpdate` of kinds with a status).
    const STATUS_SUBRESOURCE: bool = false;
    /// Whether a change of anything but metadata and status bumps `metadata.generation`.
    const TRACKS_GENERATION: bool = false;

    /// Kind-specific changes before defaulting and validation of a create (a new Pod's phase
    /// is `Pending`, a Namespace gets the `kubernetes` finalizer, ...).
    fn prepare_for_create(&mut self) {}

    /// Kind-specific changes before validation of an update, given the stored object.
    fn prepare_for_update(&mut self, _old: &Self) {}

    /// The values field selectors match against. Every kind supports `metadata.name` and (when
    /// namespaced) `metadata.namespace`; a kind adds its own (`spec.nodeName`, `status.phase`).
    /// A field selector naming a field not in this set is rejected with 400, as upstream does.
    fn field_set(&self) -> BTreeMap<String, String> {
        let meta = self.metadata();
        let mut fields = BTreeMap::from([("metadata.name".to_string(), meta.name.clone())]);
        if Self::NAMESPACED {
            fields.insert("metadata.namespace".to_string(), meta.namespace.clone());
        }
        fields
    }

    /// Every column of `kubectl get` for this kind (server-side `Table`), NAME first, in
    /// upstream's printer order and with its priorities (priority 1 columns show with `-o wide`).
    /// The default is upstream's generic NAME and AGE.
    fn table_columns() -> Vec<TableColumnDefinition>;

    /// This object's cells for [`Strategy::table_columns`], one per column, in order. AGE cells
    /// are the time since `creationTimestamp` in upstream's short form (`5m`, `3d`), computed
    /// when the table is served.
    fn table_cells(&self) -> Vec<serde_json::Value>;
}
