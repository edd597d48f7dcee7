//! The deployment controller (rolling updates and recreates through ReplicaSets, revisions,
//! rollback by template, pause). `template_hash` names revisions; `rolling` bounds each step.

pub mod revision;
pub mod rolling;
pub mod status;
pub mod template_hash;
