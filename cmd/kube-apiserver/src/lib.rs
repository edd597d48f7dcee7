//! kube-apiserver: the only door to the cluster's state.
//!
//! - [`storage`]: the `Storage` trait over a revisioned key-value store, and its backends
//!   (embedded SQLite, etcd3).
//! - [`registry`]: the generic registry serving every kind over storage, declared per kind by a
//!   small `Strategy`.
//! - [`discovery`]: `/api`, `/apis` and the resource lists, legacy and aggregated, built from the
//!   registry's resource table.
//! - [`negotiation`]: which representation an `Accept` header asks for.

pub mod discovery;
pub mod negotiation;
pub mod registry;
pub mod storage;
