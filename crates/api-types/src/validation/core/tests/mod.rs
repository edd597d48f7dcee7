//! Tests of the core kinds' rules: one or more per rule, each pinning the field path and error
//! type, and the message where upstream's wording is distinctive. Objects are written as JSON
//! manifests, the way clients send them.

mod config;
mod endpoints;
mod event;
mod limit_range;
mod namespace;
mod node;
mod resource_quota;
mod service;
mod small_kinds;

use crate::validation::{ErrorList, ErrorType};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// An object from its JSON manifest.
fn object<T: DeserializeOwned>(manifest: Value) -> T {
    serde_json::from_value(manifest).expect("test manifest must deserialize")
}

/// Each finding as (type, field), in order.
fn findings(errors: &ErrorList) -> Vec<(ErrorType, &str)> {
    errors.iter().map(|error| (error.kind, error.field.as_str())).collect()
}

/// Each finding as upstream's text, in order.
fn messages(errors: &ErrorList) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

/// The only finding, which must have the given type and field; returned for further checks.
fn only(errors: &ErrorList, kind: ErrorType, field: &str) -> String {
    assert_eq!(findings(errors), [(kind, field)], "{errors:#?}");
    errors[0].to_string()
}
