//! Field selectors: `?fieldSelector=metadata.name=web,status.phase!=Running`, with upstream's
//! escaping (`\,` `\=` `\\`), ordering, error messages and "absent is empty" matching.

mod error;
mod escape;
mod selector;

#[cfg(test)]
mod tests;

pub use error::FieldSelectorError;
pub use escape::{escape_value, unescape_value};
pub use selector::{FieldOperator, FieldRequirement, FieldSelector};
