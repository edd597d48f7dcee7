//! `core/v1` (the legacy group, `apiVersion: v1`): the kinds the book is built on.

mod component_status;
mod condition;
mod config;
mod endpoints;
mod event;
mod limit_range;
mod namespace;
mod node;
mod object_reference;
mod resource_quota;
mod service;
mod service_account;

pub use component_status::*;
pub use condition::*;
pub use config::*;
pub use endpoints::*;
pub use event::*;
pub use limit_range::*;
pub use namespace::*;
pub use node::*;
pub use object_reference::*;
pub use resource_quota::*;
pub use service::*;
pub use service_account::*;
