//! kube-apiserver: the only door to the cluster's state.
//!
//! Today this crate holds the storage layer ([`storage`]): the `Storage` trait every backend
//! implements and the backends themselves. The REST server is built on top of it.

pub mod storage;
