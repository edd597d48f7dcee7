//! The replication manager (book 2.2, 6.3): keeps the number of pods that ReplicationControllers
//! and ReplicaSets ask for. `kind` reads both kinds alike; `plan` decides one sync.

pub mod controller;
pub mod kind;
pub mod plan;
