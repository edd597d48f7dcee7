//! The pod subresources that change a pod on behalf of another kind of request: `binding` (the
//! scheduler's assignment, also served as the legacy `bindings` collection) and `eviction`
//! (`kubectl drain`). Each reuses the generic pod store for its reads and writes and adds only
//! its own rules, as upstream's `BindingREST` and `EvictionREST` wrap the pod store.

mod binding;
mod eviction;

pub use binding::PodBindings;
pub use eviction::Evictions;

use api_types::meta::v1::Status;

/// Upstream's 400 for a body naming another object than the URL.
fn name_mismatch(kind: &str) -> Status {
    Status::bad_request(format!("name in URL does not match name in {kind} object"))
}
