//! `policy/v1`: Eviction, the body of the `pods/eviction` subresource (`kubectl drain`).

mod eviction;

pub use eviction::*;
