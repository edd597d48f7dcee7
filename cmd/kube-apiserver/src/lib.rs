//! kube-apiserver: the only door to the cluster's state.
//!
//! - [`storage`]: the `Storage` trait over a revisioned key-value store, and its backends
//!   (embedded SQLite, etcd3).
//! - [`registry`]: the generic registry serving every kind over storage, declared per kind by a
//!   small `Strategy`.

pub mod registry;
pub mod storage;
