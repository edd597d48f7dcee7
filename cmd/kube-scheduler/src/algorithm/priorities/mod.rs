//! Priorities (book 6.4.2, "优选"): each scores the nodes that passed the predicates from 0 to
//! [`MAX_PRIORITY`]; the generic scheduler sums the scores times each priority's weight.

pub mod labels;
pub mod resources;
pub mod spread;

use super::{NodeInfo, PodInfo};
use std::sync::Arc;

/// The best score a priority gives (upstream v1.x's 0-10 scale, as the book's formulas use).
pub const MAX_PRIORITY: i64 = 10;

/// One scoring rule.
pub trait Priority: Send + Sync {
    /// The name policies and providers know it by.
    fn name(&self) -> &str;

    /// A score from 0 to [`MAX_PRIORITY`] for each of `nodes` (the feasible ones, in order);
    /// `all` is every node, for rules that look at the whole cluster.
    fn score(&self, pod: &PodInfo, nodes: &[Arc<NodeInfo>], all: &[Arc<NodeInfo>]) -> Vec<i64>;
}

/// `EqualPriority`: every node the same (registered, in no provider by default).
pub struct EqualPriority;

impl Priority for EqualPriority {
    fn name(&self) -> &str {
        "EqualPriority"
    }

    fn score(&self, _pod: &PodInfo, nodes: &[Arc<NodeInfo>], _all: &[Arc<NodeInfo>]) -> Vec<i64> {
        vec![1; nodes.len()]
    }
}
