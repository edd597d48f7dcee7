//! `meta/v1`: object and list metadata, time, label selectors, and the API's envelope types.

mod label_selector;
mod object_meta;
mod time;

pub use label_selector::{LabelSelector, LabelSelectorRequirement};
pub use object_meta::{ListMeta, ManagedFieldsEntry, ObjectMeta, OwnerReference, TypeMeta};
pub use time::{MicroTime, Time};
