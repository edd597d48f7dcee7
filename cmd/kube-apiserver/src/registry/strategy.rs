//! The per-kind part of the registry: what upstream's `RESTCreateStrategy`/`RESTUpdateStrategy`
//! and friends say about one type. Everything else about serving a kind is generic.

use super::ResourceInfo;
use api_types::Resource;
use api_types::defaults::ApplyDefaults;
use api_types::meta::v1::{TableColumnDefinition, TableRowCondition};
use api_types::validation::Validate;
use std::collections::BTreeMap;

/// The replica count and pod selector of a scalable kind, from which the generic store builds
/// the `autoscaling/v1` `Scale` of its `scale` subresource.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScaleView {
    /// The replica count asked for (`spec.replicas`).
    pub desired_replicas: i32,
    /// The replica count observed (`status.replicas`).
    pub observed_replicas: i32,
    /// The pod selector in query-string form (`app=web,tier=fe`), so that autoscalers can find
    /// the pods without knowing the kind's selector type.
    pub selector: String,
}

/// Declares how the generic store serves one kind. Every method has upstream's generic
/// behaviour as its default, so a kind overrides only what makes it special.
///
/// The store runs the hooks in upstream's order, so each sees a defaulted object. Create: decode,
/// [`ApplyDefaults`], status cleared when [`STATUS_SUBRESOURCE`](Strategy::STATUS_SUBRESOURCE) (unless
/// [`KEEPS_STATUS_ON_CREATE`](Strategy::KEEPS_STATUS_ON_CREATE)),
/// system fields (uid, creationTimestamp, generation),
/// [`prepare_for_create`](Strategy::prepare_for_create), [`Validate::validate`]. Update: decode, [`ApplyDefaults`], the stored status (or, for the
/// `status` subresource, everything but the status) carried over, metadata the client may not
/// change carried over, [`prepare_for_update`](Strategy::prepare_for_update), the generation
/// bump, [`Validate::validate_update`].
pub trait Strategy: Resource + ApplyDefaults + Validate {
    /// Short names for kubectl (`po`, `svc`), as upstream's discovery lists them.
    const SHORT_NAMES: &'static [&'static str] = &[];
    /// Discovery categories; upstream puts the workload kinds in `all`.
    const CATEGORIES: &'static [&'static str] = &[];
    /// Subresources served besides the object (`status`, `scale`, `binding`, `log`, ...).
    const SUBRESOURCES: &'static [&'static str] = &[];
    /// The verbs served on the resource itself, sorted; upstream serves all eight for most
    /// kinds (namespaces have no `deletecollection`).
    const VERBS: &'static [&'static str] = ResourceInfo::ALL_VERBS;
    /// Whether `status` is its own subresource: then a write to the object keeps the stored
    /// status, a write to `/status` changes only the status, and a create starts from an empty
    /// status (upstream's `PrepareForCreate`/`PrepareForUpdate` of kinds with a status).
    const STATUS_SUBRESOURCE: bool = false;
    /// Whether a create keeps the status the client sent, for a kind with a status subresource.
    /// Upstream's node strategy does (a kubelet registers its node with addresses, capacity and
    /// conditions); every other kind starts from an empty status.
    const KEEPS_STATUS_ON_CREATE: bool = false;
    /// Whether a change of anything but metadata and status bumps `metadata.generation`, which
    /// then starts at 1 on create (upstream sets it for kinds with a spec that something acts
    /// on: the workload controllers, and pods since 1.33; a ConfigMap has none).
    const TRACKS_GENERATION: bool = false;
    /// Whether a delete only marks the object (`deletionTimestamp` = now + grace period,
    /// `deletionGracePeriodSeconds` = the period) and keeps it, so that whoever runs it can stop
    /// it gracefully and then delete it for good with a grace period of 0: upstream's graceful
    /// deletion, used by Pods (the kubelet does the final delete). A period of 0 deletes at once.
    /// See [`Strategy::deletion_grace_period_seconds`].
    const GRACEFUL_DELETION: bool = false;
    /// Whether a delete that names no propagation policy orphans the object's dependents (adds
    /// the `orphan` finalizer), as upstream's core/v1 ReplicationController does for backward
    /// compatibility. Otherwise dependents are deleted in the background by the garbage
    /// collector, the default of every other kind.
    const ORPHAN_DEPENDENTS_BY_DEFAULT: bool = false;

    /// Kind-specific changes before defaulting and validation of a create (a new Pod's phase
    /// is `Pending`, a Namespace gets the `kubernetes` finalizer, ...).
    fn prepare_for_create(&mut self) {}

    /// Kind-specific changes before validation of an update, given the stored object. Not
    /// called for writes to the `status` subresource, which change nothing but the status.
    fn prepare_for_update(&mut self, _old: &Self) {}

    /// Whether finalizers of the kind's own still hold this object's deletion, besides
    /// `metadata.finalizers`: a Namespace's `spec.finalizers`, which the namespace controller
    /// clears through the `finalize` subresource once the namespace is empty. While this holds, a
    /// delete only marks the object, and the update that makes it false (with no
    /// `metadata.finalizers` left) deletes it, as upstream's namespace storage does.
    fn finalizing(&self) -> bool {
        false
    }

    /// Kind-specific changes when a delete marks the object and keeps it for its finalizers (a
    /// Namespace turns `Terminating`).
    fn prepare_for_deletion(&mut self) {}

    /// The grace period, in seconds, of a delete of this object when
    /// [`GRACEFUL_DELETION`](Strategy::GRACEFUL_DELETION) is set, given the one the client asked
    /// for (negative requests arrive as 1, as upstream reads them). A Pod answers with the request,
    /// else its `terminationGracePeriodSeconds`, and 0 when it never ran on a node.
    fn deletion_grace_period_seconds(&self, requested: Option<i64>) -> i64 {
        requested.unwrap_or(0)
    }

    /// The replica count and selector behind the `scale` subresource, for kinds that list
    /// `scale` in [`SUBRESOURCES`](Strategy::SUBRESOURCES) (ReplicationController, Deployment,
    /// ReplicaSet). `None` (the default) serves no `scale`: requests for it get 404.
    fn scale(&self) -> Option<ScaleView> {
        None
    }

    /// Sets the desired replica count, for a write to the `scale` subresource. The write then
    /// goes through the kind's own update path (preparation, generation bump, validation).
    fn set_scale_replicas(&mut self, _replicas: i32) {}

    /// The values field selectors match against. Every kind supports `metadata.name` and (when
    /// namespaced) `metadata.namespace`; a kind adds its own (`spec.nodeName`, `status.phase`).
    /// A field selector naming a field not in this set is rejected with 400, as upstream does;
    /// the store learns the supported names from `Self::default()`, so every object must return
    /// the same keys.
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

    /// Conditions on this object's table row; kubectl reads `Completed` to tell finished pods
    /// apart. None by default.
    fn table_row_conditions(&self) -> Vec<TableRowCondition> {
        Vec::new()
    }
}
