//! The node lifecycle controller (book 6.3): marks silent nodes `Unknown` and evicts the pods of
//! nodes that stay unhealthy. `health` judges heartbeats.

pub mod controller;
pub mod health;
