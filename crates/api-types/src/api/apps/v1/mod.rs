//! `apps/v1`: Deployment, ReplicaSet and DaemonSet.

mod daemon_set;
pub use daemon_set::*;
mod deployment;
pub use deployment::*;
mod replica_set;
pub use replica_set::*;
