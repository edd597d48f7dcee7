//! The pod subresources that change a pod on behalf of another kind of request: `binding` (the
//! scheduler's assignment, also served as the legacy `bindings` collection) and `eviction`
//! (`kubectl drain`). Each reuses the generic pod store for its reads and writes and adds only
//! its own rules, as upstream's `BindingREST` and `EvictionREST` wrap the pod store.

mod binding;
mod eviction;

pub use binding::PodBindings;
pub use eviction::Evictions;

use super::ResourceInfo;
use api_types::meta::v1::Status;

/// The 405 of a verb a create-only resource does not serve. Routing refuses these before they
/// reach the resource (its discovery verbs say so); this answers direct callers the same way.
fn unsupported(info: &ResourceInfo, verb: &str) -> Status {
    Status::method_not_supported(info.group, info.plural, verb)
}

/// Upstream's 400 for a body naming another object than the URL.
fn name_mismatch(kind: &str) -> Status {
    Status::bad_request(format!("name in URL does not match name in {kind} object"))
}
