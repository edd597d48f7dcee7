//! Defaulters for the `core/v1` kinds, one module per kind or family of nested types.

mod config;
mod endpoints;
mod limit_range;
mod namespace;
mod node;
mod resource_quota;
mod service;
