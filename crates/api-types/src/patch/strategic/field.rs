//! Patch metadata of one map key, resolved against the schema of the map's type.

use crate::patch::schema::{PatchStrategy, TypeSchema};

/// What the schema says about one key: how to merge it and what type its value has.
///
/// A key the schema does not list (or any key under an unknown type) resolves to the default:
/// no strategy, no merge key, no schema below it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Field<'a> {
    pub(super) name: &'a str,
    pub(super) strategy: Option<PatchStrategy>,
    pub(super) merge_key: Option<&'static str>,
    pub(super) schema: Option<&'static TypeSchema>,
}

impl<'a> Field<'a> {
    pub(super) fn lookup(parent: Option<&'static TypeSchema>, name: &'a str) -> Self {
        let meta = parent.and_then(|schema| schema.field(name));
        Field {
            name,
            strategy: meta.and_then(|meta| meta.strategy),
            merge_key: meta.and_then(|meta| meta.merge_key),
            schema: meta.and_then(|meta| meta.schema),
        }
    }

    /// Whether a list under this key merges with the live list instead of replacing it.
    pub(super) fn merges(&self) -> bool {
        self.strategy.is_some_and(PatchStrategy::merges)
    }

    /// Whether an object under this key is replaced whole instead of merged.
    pub(super) fn replaces(&self) -> bool {
        self.strategy == Some(PatchStrategy::Replace)
    }

    /// Whether diffs of this key's objects carry `$retainKeys`.
    pub(super) fn retains_keys(&self) -> bool {
        self.strategy.is_some_and(PatchStrategy::retains_keys)
    }
}
