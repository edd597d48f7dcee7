//! Predicates (book 6.4.2, "预选"): each says whether a pod may run on a node, and if not why,
//! in the words upstream's scheduler uses so that the `FailedScheduling` message reads the same.
//!
//! A node must pass every predicate; checking stops at the first that fails.

pub mod node;
pub mod ports;
pub mod resources;
pub mod selector;
pub mod service_affinity;
pub mod volumes;

use super::{NodeInfo, PodInfo};
use std::any::Any;
use std::borrow::Cow;
use std::sync::Arc;

/// Why a node does not fit, as counted in the failure message ("Insufficient cpu").
pub type Reason = Cow<'static, str>;

/// What a predicate computed once for a pod before the nodes are checked.
pub type Prepared = Option<Box<dyn Any + Send + Sync>>;

/// One filter rule.
pub trait Predicate: Send + Sync {
    /// The name policies and providers know it by.
    fn name(&self) -> &str;

    /// Work done once per pod (over every node when it needs the whole cluster) before the
    /// nodes are checked; most predicates need none.
    fn prepare(&self, _pod: &PodInfo, _nodes: &[Arc<NodeInfo>]) -> Prepared {
        None
    }

    /// `Ok` when the pod may run on `node`, else every reason it may not.
    fn check(&self, pod: &PodInfo, prepared: &Prepared, node: &NodeInfo)
    -> Result<(), Vec<Reason>>;
}

/// A failure with one reason.
pub(crate) fn fail(reason: impl Into<Reason>) -> Result<(), Vec<Reason>> {
    Err(vec![reason.into()])
}
