//! The generic registry: one store serving every kind (DESIGN.md decision 1).
//!
//! A kind is declared once, by implementing [`Strategy`] for its api-types struct (its short
//! names, subresources, field selectors, table columns and the few hooks upstream's per-type
//! strategies have). [`GenericStore`] turns any `Strategy` into a [`RestResource`]: the
//! type-erased create/get/list/update/patch/delete/watch interface the HTTP layer routes to, with
//! no per-kind handler code. [`ResourceTable`] holds every served resource, for routing and
//! discovery. Each store serves lists and watches from its resource's watch cache (`cache`).
//!
//! What a store cannot express is a small piece over it, as upstream's registries wrap their
//! stores: [`PodBindings`] and [`Evictions`] ([`NamedCreate`]s: `POST pods/<name>/binding`,
//! `.../eviction`) change pods through the pod store, and [`ComponentStatuses`] computes its
//! objects by probing the control plane.

// `Status` is the error of every verb: it goes to the client as it is, so it travels by value.
// Failures are rare next to successes, and a boxed `Status` would only move the cost around.
#![allow(clippy::result_large_err)]

mod cache;
mod component_statuses;
mod kinds;
mod named_create;
mod resource_info;
mod rest;
mod store;
mod strategy;
mod subresources;
mod table;

pub use cache::CacheSettings;
pub use component_statuses::{
    CONTROLLER_MANAGER_HEALTHZ, Component, ComponentStatuses, EMBEDDED_STORAGE_NAME, HealthCheck,
    SCHEDULER_HEALTHZ,
};
pub use kinds::resource_table;
pub use named_create::{NamedCreate, created_status};
pub use resource_info::ResourceInfo;
pub use rest::{RestResource, WatchEvents, not_served};
pub use store::GenericStore;
pub use strategy::{ScaleView, Strategy};
pub use subresources::{Evictions, PodBindings};
pub use table::ResourceTable;
