//! `coordination.k8s.io/v1`: Lease, used for leader election and node heartbeats.

mod lease;

pub use lease::*;
