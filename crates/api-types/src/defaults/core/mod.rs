//! Defaulters for the `core/v1` kinds, one module per kind or family of nested types.

mod config;
mod container;
mod endpoints;
mod limit_range;
mod namespace;
mod node;
mod persistent_volume;
mod pod;
mod replication_controller;
mod resource_quota;
mod service;
mod volume;

pub(crate) use pod::default_pod_spec;
