//! Validation with field paths, as upstream, producing causes for a 422 `Status`.
//!
//! Every kind implements [`Validate`]: `validate` for a create, `validate_update` for an update
//! against the stored object. Both return an [`ErrorList`] of [`FieldError`]s whose text,
//! reasons and field paths are upstream's, so that a client sees the same rejection it would get
//! from a Go apiserver; [`ErrorList::to_status`] turns a non-empty list into the 422 reply.
//!
//! As upstream, validation runs on an object that the registry has already prepared: name
//! generated from `generateName`, defaults applied, a Service's `clusterIPs` derived from its
//! `clusterIP`, an update's missing resourceVersion filled in when unconditional updates are
//! allowed. Fields that defaulting always fills (a Service's `type`, `sessionAffinity`, a port's
//! `protocol`) are therefore reported as required when missing.
//!
//! Messages are upstream's, byte for byte, with one known difference: where upstream shows a Go
//! struct as the bad value (a duplicate Service port or taint), it prints the fields in
//! declaration order, while the JSON here has its keys sorted.
//!
//! Layout:
//! - [`FieldPath`], [`FieldError`], [`ErrorList`]: the vocabulary (upstream's
//!   `k8s.io/apimachinery/pkg/util/validation/field`).
//! - [`ErrorList::to_status`]: the 422 `Status` (upstream's `NewInvalid`).
//! - [`names`], [`network`], [`common`]: format rules and the field errors built from them.
//! - [`meta`]: `metadata` on create and update; [`resources`]: resource names and quantities.
//! - [`core`], `coordination` (Lease), `autoscaling` (Scale): the [`Validate`] impls per kind.
//! - Workloads and storage (Pod, PodTemplate, Binding, ReplicationController, PersistentVolume,
//!   PersistentVolumeClaim, apps/v1 Deployment, ReplicaSet, DaemonSet): `pod`, `pod_update`,
//!   `pod_template`, `replication_controller`, `persistent_volume`, `persistent_volume_claim`,
//!   `deployment`, `replica_set`, `daemon_set`, built on the pod-spec parts (`pod_spec`,
//!   `container`, `env`, `probe`, `volume`, `volume_mount`, `volume_plugin`, `scheduling`,
//!   `resource_requirements`, ...).

mod autoscaling;
pub mod common;
mod container;
mod coordination;
pub mod core;
mod daemon_set;
mod deployment;
mod env;
mod errors;
mod field_path;
mod go_json;
mod int_or_percent;
mod invalid;
mod label_selector;
mod local_path;
pub mod meta;
pub mod names;
pub mod network;
mod persistent_volume;
mod persistent_volume_claim;
mod persistent_volume_source;
mod pod;
mod pod_spec;
mod pod_template;
mod pod_update;
mod probe;
mod replica_set;
mod replication_controller;
mod resource_requirements;
pub mod resources;
mod scheduling;
mod security_context;
mod spec_diff;
mod volume;
mod volume_mount;
mod volume_plugin;
mod volume_source;
mod workload_selector;
#[cfg(test)]
mod workload_tests;

pub use errors::{ErrorList, ErrorType, FieldError};
pub use field_path::FieldPath;

/// Checks an object the way the apiserver does before storing it.
pub trait Validate {
    /// The findings for a new object (create). Name generation and defaulting have already run.
    fn validate(&self) -> ErrorList;

    /// The findings for replacing `old` with `self` (update): the create rules that still apply
    /// plus upstream's update rules (immutable metadata, the kind's own immutable fields).
    fn validate_update(&self, old: &Self) -> ErrorList;
}
