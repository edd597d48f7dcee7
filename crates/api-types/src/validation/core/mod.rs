//! The core group's (`v1`) kinds, one module per kind or pair of kinds, mirroring upstream's
//! `pkg/apis/core/validation`.
//!
//! Each module implements [`super::Validate`] for its kinds; rules shared with kinds added later
//! (port protocols, taints) are crate-visible from the module that owns them.

mod component_status;
mod config;
mod endpoints;
mod event;
mod limit_range;
mod namespace;
mod node;
mod resource_quota;
mod service;
mod service_account;

pub use config::MAX_DATA_SIZE;
pub use namespace::{validate_namespace_finalize_update, validate_namespace_status_update};
pub use resource_quota::validate_resource_quota_status_update;

#[cfg(test)]
mod tests;
