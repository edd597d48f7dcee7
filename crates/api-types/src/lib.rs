//! The Kubernetes API as data.
//!
//! Every process of the cluster speaks this API, and real clients (kubectl, the official Python
//! client, Helm) must read what we write. The structs here therefore serialize exactly like
//! upstream's Go types: the mapping from Go's `json` tags to serde attributes is fixed and written
//! down in `docs/api-types.md`, so that every field in the crate follows one rule.
//!
//! Layout follows upstream's packages:
//! - [`meta::v1`]: object metadata, lists, `Status`, watch events, options, discovery, tables.
//! - [`api`]: the resource groups (`core/v1`, `apps/v1`, `autoscaling/v1`, `coordination.k8s.io/v1`,
//!   `policy/v1`).
//! - [`quantity`] and [`intstr`]: the two scalar types with their own wire forms.
//! - [`labels`] and [`fields`]: selector parsing, matching and printing.
//! - [`defaults`], [`validation`], [`patch`]: what the apiserver applies to incoming objects.

pub mod api;
pub mod defaults;
pub mod fields;
mod go_fmt;
pub mod intstr;
pub mod labels;
pub mod meta;
pub mod openapi;
pub mod patch;
pub mod quantity;
pub mod resource;
pub mod serde_util;
pub mod validation;

pub use intstr::IntOrString;
pub use quantity::Quantity;
pub use resource::{List, Resource};
