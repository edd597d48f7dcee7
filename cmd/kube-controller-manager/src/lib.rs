//! kube-controller-manager: the control loops that drive the cluster toward what its objects ask
//! for. Each controller lives in its own module; `controller` holds what they share.

pub mod controller;
pub mod deployment;
pub mod endpoints;
pub mod node_lifecycle;
pub mod options;
pub mod replication;
pub mod resource_quota;
