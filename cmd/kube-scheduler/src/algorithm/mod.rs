//! The scheduling algorithm, free of I/O so it can be tested on plain objects (book 6.4.2):
//! predicates filter the nodes a pod may run on, priorities score the survivors, and the
//! generic scheduler ties them together and picks a node.
//!
//! Everything here works on a [`PodInfo`] (what the pod asks for, computed once) and
//! [`NodeInfo`]s (each node with what is already placed on it, from the cache).

pub mod generic;
pub mod node_info;
pub mod pod_info;
pub mod predicates;
pub mod priorities;
pub mod provider;
pub mod resources;

pub use generic::{FitError, Scheduled};
pub use node_info::NodeInfo;
pub use pod_info::PodInfo;
pub use provider::Algorithm;
