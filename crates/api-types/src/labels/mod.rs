//! Label selectors: the string syntax of `?labelSelector=` and `kubectl -l`
//! (`app=web,tier in (fe,be),!canary,replicas>2`), the structured `LabelSelector` of workloads,
//! and plain key/value selectors of ReplicationControllers and Services, all as one [`Selector`]
//! with upstream's parsing rules, error messages, matching semantics and printed form.

mod error;
mod lexer;
mod parser;
mod requirement;
mod selector;
mod syntax;

#[cfg(test)]
mod tests;

pub use error::SelectorError;
pub use requirement::{Operator, Requirement};
pub use selector::Selector;
pub use syntax::{label_value_errors, qualified_name_errors};
