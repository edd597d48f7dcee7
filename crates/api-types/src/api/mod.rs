//! The resource groups, one module per group, one submodule per version, as upstream's `k8s.io/api`.

pub mod apps;
pub mod autoscaling;
pub mod coordination;
pub mod core;
pub mod policy;

#[cfg(test)]
pub(crate) mod wire_test;
