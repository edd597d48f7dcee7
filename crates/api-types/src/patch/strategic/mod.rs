//! Strategic merge patch (`application/strategic-merge-patch+json`), as upstream's
//! `k8s.io/apimachinery/pkg/util/strategicpatch` applies and computes it.
//!
//! It is a JSON merge patch that knows the object's type (from [`crate::patch::schema`]):
//!
//! - Maps merge recursively and `null` deletes a member.
//! - Lists with a `merge` strategy and a merge key merge element by element: a patch element
//!   is merged into the live element with the same key, or appended. Lists of primitives with a
//!   `merge` strategy are unioned without duplicates. Other lists are replaced.
//! - After a merge, the elements the patch names come in the patch's order and live-only
//!   elements keep their place relative to them.
//!
//! Directives:
//!
//! - `"$patch": "replace"` in a map replaces the map with the rest of the patch map; as a list
//!   element (`{"$patch": "replace"}`) it replaces the list with the other patch elements.
//! - `"$patch": "delete"` in a map empties it; in a keyed list element (`{"name": "x",
//!   "$patch": "delete"}`) it removes the live elements with that key.
//! - `"$patch": "merge"` in a map asks for the default and is accepted (upstream rejects it with
//!   "unknown patch type"); as a list element it is refused, as upstream does.
//! - `"$deleteFromPrimitiveList/<field>": [...]` removes values from a primitive list (of any
//!   strategy).
//! - `"$setElementOrder/<field>": [...]` gives the final order of a merged list (primitives, or
//!   objects carrying just their merge key); live elements it does not name keep their place.
//! - `"$retainKeys": [...]` clears every key of the map it does not list (unions such as
//!   `DeploymentSpec.strategy` and `Volume`); the patch may not set a key outside the list.
//!
//! Kinds: the entry points take the object's `kind`. A kind without a schema (custom resources,
//! anything unknown) is patched with no metadata at all: maps merge recursively, `null` deletes,
//! every list is replaced whole, and directives still work. That is what upstream's algorithm
//! does for fields it has no tags for; upstream's apiserver refuses strategic patches to custom
//! resources outright (415), a choice left to the caller.
//!
//! Where a patch value lands on nothing (a new member, a new list element, a change of JSON
//! type), applying merges it into emptiness: its `null` members are dropped and its directives
//! carried out, so no `$`-key ever reaches the stored object. Upstream strips only `$patch` maps
//! there (dropping even a `$patch: replace` map), relying on typed decoding to discard the rest.

mod apply;
mod diff;
mod directives;
mod elements;
mod field;

#[cfg(test)]
mod tests;

use super::PatchError;
use super::schema::{TypeSchema, schema_for_kind};
use apply::{Merger, Mode};
use diff::{DiffOptions, diff_maps};
use serde_json::{Map, Value};

/// Applies a strategic merge `patch` to `original`, an object of the given `kind`, and returns
/// the patched object. `original` is never modified; on error nothing is returned.
pub fn strategic_merge_patch(
    original: &Value,
    patch: &Value,
    kind: &str,
) -> Result<Value, PatchError> {
    apply_with_schema(original, patch, schema_for_kind(kind))
}

/// [`strategic_merge_patch`] with an explicit schema (`None`: no metadata).
pub fn apply_with_schema(
    original: &Value,
    patch: &Value,
    schema: Option<&'static TypeSchema>,
) -> Result<Value, PatchError> {
    let (original, patch) = (as_object(original)?, as_object(patch)?);
    let merged = Merger::new(Mode::Apply).merge_map(original.clone(), patch.clone(), schema)?;
    Ok(Value::Object(merged))
}

/// The strategic merge patch that turns `original` into `modified` (both objects of `kind`):
/// `strategic_merge_patch(original, &patch, kind) == modified`. Merging lists carry only their
/// changed elements, with `$setElementOrder` when content or order changed; what `kubectl`
/// sends for `kubectl edit` and `kubectl apply` on a fresh object.
pub fn create_two_way_merge_patch(
    original: &Value,
    modified: &Value,
    kind: &str,
) -> Result<Value, PatchError> {
    two_way_with_schema(original, modified, schema_for_kind(kind))
}

/// [`create_two_way_merge_patch`] with an explicit schema.
pub fn two_way_with_schema(
    original: &Value,
    modified: &Value,
    schema: Option<&'static TypeSchema>,
) -> Result<Value, PatchError> {
    let options = DiffOptions { set_element_order: true, ..DiffOptions::default() };
    let patch = diff_maps(as_object(original)?, as_object(modified)?, schema, options)?;
    Ok(Value::Object(patch))
}

/// The patch `kubectl apply` sends: it moves `current` (the live object) to `modified` (the new
/// configuration) while deleting only what `original` (the last applied configuration) had and
/// `modified` dropped. Fields others set on the live object survive.
///
/// This is upstream's `CreateThreeWayMergePatch` with `overwrite` set, kubectl's default: where
/// the live object changed a field the configuration also changes, the configuration wins.
/// Conflict detection (`overwrite: false`) is not provided.
pub fn create_three_way_merge_patch(
    original: &Value,
    modified: &Value,
    current: &Value,
    kind: &str,
) -> Result<Value, PatchError> {
    three_way_with_schema(original, modified, current, schema_for_kind(kind))
}

/// [`create_three_way_merge_patch`] with an explicit schema.
pub fn three_way_with_schema(
    original: &Value,
    modified: &Value,
    current: &Value,
    schema: Option<&'static TypeSchema>,
) -> Result<Value, PatchError> {
    let (original, modified, current) =
        (as_object(original)?, as_object(modified)?, as_object(current)?);
    let delta = diff_maps(
        current,
        modified,
        schema,
        DiffOptions { set_element_order: true, ignore_deletions: true, ..DiffOptions::default() },
    )?;
    let deletions = diff_maps(
        original,
        modified,
        schema,
        DiffOptions {
            set_element_order: true,
            ignore_changes_and_additions: true,
            ..DiffOptions::default()
        },
    )?;
    let patch = Merger::new(Mode::Combine).merge_map(deletions, delta, schema)?;
    Ok(Value::Object(patch))
}

fn as_object(value: &Value) -> Result<&Map<String, Value>, PatchError> {
    value.as_object().ok_or(PatchError::InvalidJsonDocument)
}
