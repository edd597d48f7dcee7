//! Computing a strategic merge patch from two versions of an object (upstream's `diffMaps`).
//!
//! Unlike a JSON merge patch, the diff of a merging list names only the elements that changed
//! (by merge key), deletes with `$patch: delete` elements or a `$deleteFromPrimitiveList` list,
//! and records the new order in `$setElementOrder`.

use super::directives::{
    DELETE_FROM_PRIMITIVE_LIST, PATCH, RETAIN_KEYS, SET_ELEMENT_ORDER, delete_element,
    parallel_list_key,
};
use super::elements::{ElementKind, deduplicate, element_kind, merge_key_value, sort_by_order};
use super::field::Field;
use crate::go_fmt::{go_string, go_type_name};
use crate::patch::PatchError;
use crate::patch::equality::json_equal;
use crate::patch::schema::TypeSchema;
use serde_json::{Map, Value};

type Object = Map<String, Value>;

/// Which parts of the difference a diff reports.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct DiffOptions {
    /// Emit `$setElementOrder` lists for merging lists whose content or order changed.
    pub(super) set_element_order: bool,
    /// Report only deletions.
    pub(super) ignore_changes_and_additions: bool,
    /// Report only changes and additions.
    pub(super) ignore_deletions: bool,
    /// Emit `$retainKeys` for this map (its field has a `retainKeys` strategy).
    pub(super) build_retain_keys: bool,
}

/// The patch that turns `original` into `modified`, both maps of the type `schema` describes.
pub(super) fn diff_maps(
    original: &Object,
    modified: &Object,
    schema: Option<&'static TypeSchema>,
    options: DiffOptions,
) -> Result<Object, PatchError> {
    let mut patch = Object::new();
    let mut retained = Vec::new();
    for (key, new_value) in modified {
        if options.build_retain_keys && !new_value.is_null() {
            retained.push(Value::String(key.clone()));
        }
        let Some(old_value) = original.get(key) else {
            if !options.ignore_changes_and_additions {
                patch.insert(key.clone(), new_value.clone());
            }
            continue;
        };
        if key == PATCH {
            diff_directive(old_value, new_value, modified, &mut patch)?;
            continue;
        }
        match (old_value, new_value) {
            (Value::Object(old), Value::Object(new)) => {
                diff_map_member(key, old, new, schema, options, &mut patch)?;
            }
            (Value::Array(old), Value::Array(new)) => {
                diff_list_member(key, old, new, schema, options, &mut patch)?;
            }
            (old, new) => {
                if !options.ignore_changes_and_additions && !json_equal(old, new) {
                    patch.insert(key.clone(), new.clone());
                }
            }
        }
    }
    if !options.ignore_deletions {
        for key in original.keys() {
            if !modified.contains_key(key) {
                patch.insert(key.clone(), Value::Null);
            }
        }
    }
    if !retained.is_empty() && (!patch.is_empty() || drops_a_field(original, modified)) {
        // `modified` iterates in key order, so the list is already sorted as upstream sorts it.
        patch.insert(RETAIN_KEYS.to_string(), Value::Array(retained));
    }
    Ok(patch)
}

/// A `$patch` key present in both versions (only possible when diffing patches).
fn diff_directive(
    old: &Value,
    new: &Value,
    modified: &Object,
    patch: &mut Object,
) -> Result<(), PatchError> {
    if !old.is_string() || !new.is_string() {
        return Err(PatchError::UnknownDirective {
            directive: go_string(if new.is_string() { old } else { new }),
            item: go_string(&Value::Object(modified.clone())),
        });
    }
    if old != new {
        patch.insert(PATCH.to_string(), new.clone());
    }
    Ok(())
}

fn diff_map_member(
    key: &str,
    old: &Object,
    new: &Object,
    schema: Option<&'static TypeSchema>,
    options: DiffOptions,
    patch: &mut Object,
) -> Result<(), PatchError> {
    let field = Field::lookup(schema, key);
    if field.replaces() {
        if !options.ignore_changes_and_additions && old != new {
            patch.insert(key.to_string(), Value::Object(new.clone()));
        }
        return Ok(());
    }
    let child_options = DiffOptions { build_retain_keys: field.retains_keys(), ..options };
    let child = diff_maps(old, new, field.schema, child_options)?;
    if !child.is_empty() {
        patch.insert(key.to_string(), Value::Object(child));
    }
    Ok(())
}

fn diff_list_member(
    key: &str,
    old: &[Value],
    new: &[Value],
    schema: Option<&'static TypeSchema>,
    options: DiffOptions,
    patch: &mut Object,
) -> Result<(), PatchError> {
    let field = Field::lookup(schema, key);
    if !field.merges() {
        if !options.ignore_changes_and_additions && !json_equal_lists(old, new) {
            patch.insert(key.to_string(), Value::Array(new.to_vec()));
        }
        return Ok(());
    }
    let element_options = DiffOptions { build_retain_keys: field.retains_keys(), ..options };
    let diff = diff_lists(old, new, field, element_options)?;
    if !diff.changes.is_empty() {
        patch.insert(key.to_string(), Value::Array(diff.changes));
    }
    if !diff.deletions.is_empty() {
        patch.insert(
            parallel_list_key(DELETE_FROM_PRIMITIVE_LIST, key),
            Value::Array(diff.deletions),
        );
    }
    if !diff.order.is_empty() {
        patch.insert(parallel_list_key(SET_ELEMENT_ORDER, key), Value::Array(diff.order));
    }
    Ok(())
}

/// The diff of one merging list, in the three places a patch carries it.
#[derive(Default)]
struct ListDiff {
    /// The list's own entry: changed and added elements (and, for objects, delete directives).
    changes: Vec<Value>,
    /// `$deleteFromPrimitiveList`: removed primitives.
    deletions: Vec<Value>,
    /// `$setElementOrder`: the new list's identities in order.
    order: Vec<Value>,
}

fn diff_lists(
    original: &[Value],
    modified: &[Value],
    field: Field<'_>,
    options: DiffOptions,
) -> Result<ListDiff, PatchError> {
    if original.is_empty() {
        if modified.is_empty() || options.ignore_changes_and_additions {
            return Ok(ListDiff::default());
        }
        return Ok(ListDiff { changes: modified.to_vec(), ..ListDiff::default() });
    }
    match element_kind(&[original, modified])? {
        None => Ok(ListDiff::default()),
        Some(ElementKind::Object) => {
            let key = field
                .merge_key
                .ok_or_else(|| PatchError::ListWithoutMergeKey { field: field.name.to_string() })?;
            let (changes, deletions) = diff_keyed_lists(original, modified, key, field, options)?;
            let mut changes = sort_by_order(changes, modified, Some(key), ElementKind::Object)?;
            let same_order = same_key_order(original, modified, key)?;
            changes.extend(deletions);
            let content_or_order_changed = !changes.is_empty() || !same_order;
            let wants_order = options.set_element_order
                && ((!options.ignore_changes_and_additions && content_or_order_changed)
                    || (!options.ignore_deletions && !changes.is_empty()));
            let order = if wants_order {
                modified
                    .iter()
                    .map(|element| {
                        let mut identity = Object::new();
                        identity.insert(key.to_string(), merge_key_value(element, key)?.clone());
                        Ok(Value::Object(identity))
                    })
                    .collect::<Result<_, PatchError>>()?
            } else {
                Vec::new()
            };
            Ok(ListDiff { changes, deletions: Vec::new(), order })
        }
        Some(ElementKind::Primitive) => {
            let (added, deletions) = diff_primitive_lists(original, modified, options);
            let changes = sort_by_order(added, modified, None, ElementKind::Primitive)?;
            let wants_order = options.set_element_order
                && ((!options.ignore_deletions && !deletions.is_empty())
                    || (!options.ignore_changes_and_additions
                        && !json_equal_lists(original, modified)));
            Ok(ListDiff {
                changes,
                deletions,
                order: if wants_order { modified.to_vec() } else { Vec::new() },
            })
        }
    }
}

/// Added and removed primitives, compared (as upstream does) by their Go `%v` text.
fn diff_primitive_lists(
    original: &[Value],
    modified: &[Value],
    options: DiffOptions,
) -> (Vec<Value>, Vec<Value>) {
    let sorted = |list: &[Value]| {
        let mut keyed: Vec<(String, Value)> =
            list.iter().map(|value| (go_string(value), value.clone())).collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed
    };
    let (old, new) = (sorted(original), sorted(modified));
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        match (old.get(i), new.get(j)) {
            (Some(o), Some(n)) if o.0 == n.0 => {
                i += 1;
                j += 1;
            }
            (Some(o), Some(n)) if o.0 < n.0 => {
                removed.push(o.1.clone());
                i += 1;
            }
            (Some(o), None) => {
                removed.push(o.1.clone());
                i += 1;
            }
            (_, Some(n)) => {
                added.push(n.1.clone());
                j += 1;
            }
            (None, None) => break,
        }
    }
    if options.ignore_changes_and_additions {
        added.clear();
    }
    if options.ignore_deletions {
        removed.clear();
    }
    (added, deduplicate(removed))
}

/// Changed-or-added elements and delete directives of two keyed lists, matched by the text of
/// their merge keys after sorting both by it.
fn diff_keyed_lists(
    original: &[Value],
    modified: &[Value],
    key: &str,
    field: Field<'_>,
    options: DiffOptions,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let sorted = |list: &[Value]| -> Result<Vec<(String, Value)>, PatchError> {
        let mut keyed = list
            .iter()
            .map(|element| Ok((go_string(merge_key_value(element, key)?), element.clone())))
            .collect::<Result<Vec<_>, PatchError>>()?;
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(keyed)
    };
    let (old, new) = (sorted(original)?, sorted(modified)?);
    let (mut changes, mut deletions) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        match (old.get(i), new.get(j)) {
            (Some((old_key, old_element)), Some((new_key, new_element))) if old_key == new_key => {
                let (Value::Object(old_map), Value::Object(new_map)) = (old_element, new_element)
                else {
                    return Err(PatchError::UnexpectedType {
                        expected: "map[string]interface {}",
                        found: go_type_name(old_element),
                    });
                };
                let mut element_patch = diff_maps(old_map, new_map, field.schema, options)?;
                if !element_patch.is_empty() {
                    element_patch
                        .insert(key.to_string(), merge_key_value(new_element, key)?.clone());
                    changes.push(Value::Object(element_patch));
                }
                i += 1;
                j += 1;
            }
            (Some((old_key, old_element)), Some((new_key, _))) if old_key < new_key => {
                if !options.ignore_deletions {
                    deletions.push(delete_element(key, merge_key_value(old_element, key)?));
                }
                i += 1;
            }
            (Some((_, old_element)), None) => {
                if !options.ignore_deletions {
                    deletions.push(delete_element(key, merge_key_value(old_element, key)?));
                }
                i += 1;
            }
            (_, Some((_, new_element))) => {
                if !options.ignore_changes_and_additions {
                    changes.push(new_element.clone());
                }
                j += 1;
            }
            (None, None) => break,
        }
    }
    Ok((changes, deletions))
}

/// Whether two keyed lists have the same merge keys in the same order.
fn same_key_order(original: &[Value], modified: &[Value], key: &str) -> Result<bool, PatchError> {
    if original.len() != modified.len() {
        return Ok(false);
    }
    for (old, new) in original.iter().zip(modified) {
        if !json_equal(merge_key_value(old, key)?, merge_key_value(new, key)?) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether `original` has a non-null member that `modified` lacks: then `$retainKeys` must be
/// sent even when nothing else changed, to clear it.
fn drops_a_field(original: &Object, modified: &Object) -> bool {
    original.iter().any(|(key, value)| !value.is_null() && !modified.contains_key(key))
}

fn json_equal_lists(left: &[Value], right: &[Value]) -> bool {
    left.len() == right.len() && left.iter().zip(right).all(|(a, b)| json_equal(a, b))
}
