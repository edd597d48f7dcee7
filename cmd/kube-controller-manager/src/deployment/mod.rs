//! The deployment controller (rolling updates and recreates through ReplicaSets, revisions,
//! rollback by template, pause). `template_hash` names revisions; `rolling` bounds each step;
//! `replica_sets` decides what the ReplicaSets should look like; `status` reports progress;
//! `rollout` carries out one sync and `controller` runs the loop.

pub mod controller;
pub mod replica_sets;
pub mod revision;
pub mod rolling;
mod rollout;
pub mod status;
pub mod template_hash;
