//! Lists as strategic merge patch sees them: element types, identities and order.
//!
//! An element's identity is its merge key's value for lists of objects and the element itself
//! for lists of primitives. After a merge, upstream puts the elements named by the patch (or by
//! `$setElementOrder`) in the patch's order and keeps the live-only elements where they were
//! relative to them; [`normalize_element_order`] does that.

use super::directives::{is_delete_element, is_directive_element};
use crate::go_fmt::{go_string, go_type_name};
use crate::patch::PatchError;
use crate::patch::equality::json_equal;
use serde_json::Value;

/// What the elements of the lists being merged are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ElementKind {
    /// Objects, matched by merge key.
    Object,
    /// Strings, numbers, booleans (and nulls), matched by value.
    Primitive,
}

/// The kind shared by every element of `lists`, or `None` when they are all empty.
///
/// Like upstream, all elements must have the same JSON type (a list mixing strings and numbers
/// cannot be merged), and lists of lists are refused.
pub(super) fn element_kind(lists: &[&[Value]]) -> Result<Option<ElementKind>, PatchError> {
    let mut elements = lists.iter().flat_map(|list| list.iter());
    let Some(first) = elements.next() else {
        return Ok(None);
    };
    if first.is_array() {
        return Err(PatchError::ListOfLists);
    }
    let first_type = go_type_name(first);
    if elements.any(|element| go_type_name(element) != first_type) {
        let rendered: Vec<Value> = lists.iter().map(|list| Value::Array(list.to_vec())).collect();
        return Err(PatchError::MixedListElements { lists: go_string(&Value::Array(rendered)) });
    }
    Ok(Some(if first.is_object() { ElementKind::Object } else { ElementKind::Primitive }))
}

/// The value of `merge_key` in a list element, which must be an object that has it.
pub(super) fn merge_key_value<'v>(
    element: &'v Value,
    merge_key: &str,
) -> Result<&'v Value, PatchError> {
    let Value::Object(map) = element else {
        return Err(PatchError::UnexpectedType {
            expected: "map[string]interface {}",
            found: go_type_name(element),
        });
    };
    map.get(merge_key).ok_or_else(|| PatchError::MissingMergeKey {
        item: go_string(element),
        key: merge_key.to_string(),
    })
}

/// Whether two elements are the same list entry: equal merge keys, or equal values without one.
pub(super) fn same_element(left: &Value, right: &Value, merge_key: Option<&str>) -> bool {
    match merge_key {
        Some(key) => {
            let identity = |element: &Value| element.get(key).cloned().unwrap_or(Value::Null);
            json_equal(&identity(left), &identity(right))
        }
        None => json_equal(left, right),
    }
}

/// Where `element` is in `list`, by identity.
pub(super) fn position(list: &[Value], element: &Value, merge_key: Option<&str>) -> Option<usize> {
    list.iter().position(|candidate| same_element(candidate, element, merge_key))
}

/// Removes repeated primitives, keeping each value's first occurrence.
pub(super) fn deduplicate(values: Vec<Value>) -> Vec<Value> {
    let mut unique: Vec<Value> = Vec::with_capacity(values.len());
    for value in values {
        if !unique.iter().any(|kept| json_equal(kept, &value)) {
            unique.push(value);
        }
    }
    unique
}

/// Splits `merged` into the elements `by` names and the rest, keeping their relative order.
pub(super) fn partition(
    merged: Vec<Value>,
    by: &[Value],
    merge_key: Option<&str>,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    if merge_key.is_some() {
        if let Some(candidate) = by.iter().find(|candidate| !candidate.is_object()) {
            return Err(PatchError::UnexpectedType {
                expected: "map[string]interface {}",
                found: go_type_name(candidate),
            });
        }
    }
    let mut named = Vec::new();
    let mut rest = Vec::new();
    for element in merged {
        if let Some(key) = merge_key {
            merge_key_value(&element, key)?;
        }
        if position(by, &element, merge_key).is_some() {
            named.push(element);
        } else {
            rest.push(element);
        }
    }
    Ok((named, rest))
}

/// Sorts `elements` by where they appear in `order` (elements it does not name go last, in
/// their current order). For objects, every element must carry the merge key, and elements
/// that are `$patch: delete` directives are moved to the very end.
pub(super) fn sort_by_order(
    elements: Vec<Value>,
    order: &[Value],
    merge_key: Option<&str>,
    kind: ElementKind,
) -> Result<Vec<Value>, PatchError> {
    let (mut data, deletions): (Vec<Value>, Vec<Value>) = match (kind, merge_key) {
        (ElementKind::Object, Some(key)) => {
            for element in elements.iter().chain(order) {
                merge_key_value(element, key)?;
            }
            elements.into_iter().partition(|element| !is_delete_element(element))
        }
        _ => (elements, Vec::new()),
    };
    data.sort_by_key(|element| position(order, element, merge_key).unwrap_or(usize::MAX));
    data.extend(deletions);
    Ok(data)
}

/// Combines the patch-named elements (already in patch order) with the live-only elements
/// (already in live order): a live-only element goes before a patch element exactly when the
/// live list had it earlier.
fn interleave(
    live_only: Vec<Value>,
    from_patch: Vec<Value>,
    live_order: &[Value],
    merge_key: Option<&str>,
) -> Vec<Value> {
    let mut result = Vec::with_capacity(live_only.len() + from_patch.len());
    let mut live_only = live_only.into_iter().peekable();
    let mut from_patch = from_patch.into_iter().peekable();
    loop {
        let take_live = match (live_only.peek(), from_patch.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(live), Some(patched)) => {
                match (
                    position(live_order, live, merge_key),
                    position(live_order, patched, merge_key),
                ) {
                    (Some(live_at), Some(patched_at)) => live_at < patched_at,
                    _ => false,
                }
            }
        };
        let next = if take_live { live_only.next() } else { from_patch.next() };
        result.extend(next);
    }
    result
}

/// Orders a merged list: patch-named elements by `patch_order`, live-only elements by
/// `live_order`, then interleaved as the live list had them.
pub(super) fn normalize_element_order(
    from_patch: Vec<Value>,
    live_only: Vec<Value>,
    patch_order: &[Value],
    live_order: &[Value],
    merge_key: Option<&str>,
    kind: ElementKind,
) -> Result<Vec<Value>, PatchError> {
    let from_patch = sort_by_order(from_patch, patch_order, merge_key, kind)?;
    let live_only = sort_by_order(live_only, live_order, merge_key, kind)?;
    Ok(interleave(live_only, from_patch, live_order, merge_key))
}

/// Checks that the data elements of a patch list appear in the order its `$setElementOrder`
/// list gives (the order list may name more elements than the patch carries).
pub(super) fn check_patch_follows_order(
    patch_list: &[Value],
    order: &[Value],
    merge_key: Option<&str>,
) -> Result<(), PatchError> {
    if patch_list.is_empty() || order.is_empty() {
        return Ok(());
    }
    let mut data = Vec::with_capacity(patch_list.len());
    for element in patch_list {
        if merge_key.is_some() && !element.is_object() {
            return Err(PatchError::UnexpectedType {
                expected: "map[string]interface {}",
                found: go_type_name(element),
            });
        }
        if !is_directive_element(element) {
            data.push(element);
        }
    }
    let mut next_data = 0;
    for ordered in order {
        let Some(element) = data.get(next_data) else {
            break;
        };
        let matches = match merge_key {
            Some(key) => json_equal(merge_key_value(element, key)?, merge_key_value(ordered, key)?),
            None => json_equal(element, ordered),
        };
        if matches {
            next_data += 1;
        }
    }
    if next_data < data.len() {
        return Err(PatchError::SetElementOrderMismatch {
            patch: go_string(&Value::Array(patch_list.to_vec())),
            order: go_string(&Value::Array(order.to_vec())),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list(value: Value) -> Vec<Value> {
        value.as_array().cloned().unwrap()
    }

    #[test]
    fn element_kinds() {
        assert_eq!(element_kind(&[&[], &[]]), Ok(None));
        assert_eq!(
            element_kind(&[&list(json!(["a"])), &list(json!(["b"]))]),
            Ok(Some(ElementKind::Primitive))
        );
        assert_eq!(
            element_kind(&[&[], &list(json!([{"name": "a"}]))]),
            Ok(Some(ElementKind::Object))
        );
        assert_eq!(element_kind(&[&list(json!([[1]]))]), Err(PatchError::ListOfLists));
        assert_eq!(
            element_kind(&[&list(json!(["a"])), &list(json!([1]))]),
            Err(PatchError::MixedListElements { lists: "[[a] [1]]".into() })
        );
    }

    #[test]
    fn live_only_elements_keep_their_place() {
        // Live [1, 2, 3]; the patch names 3 then 1, so 2 (live only) stays before 3.
        let ordered = normalize_element_order(
            list(json!([{"name": 1}, {"name": 3}])),
            list(json!([{"name": 2}])),
            &list(json!([{"name": 3}, {"name": 1}])),
            &list(json!([{"name": 1}, {"name": 2}, {"name": 3}])),
            Some("name"),
            ElementKind::Object,
        )
        .unwrap();
        assert_eq!(ordered, list(json!([{"name": 2}, {"name": 3}, {"name": 1}])));
    }

    #[test]
    fn new_elements_come_before_later_live_ones() {
        let ordered = normalize_element_order(
            list(json!(["new"])),
            list(json!(["a", "b"])),
            &list(json!(["new"])),
            &list(json!(["a", "b"])),
            None,
            ElementKind::Primitive,
        )
        .unwrap();
        assert_eq!(ordered, list(json!(["new", "a", "b"])));
    }

    #[test]
    fn order_check_allows_gaps_but_not_reordering() {
        let order = list(json!([{"name": "a"}, {"name": "b"}, {"name": "c"}]));
        let in_order =
            list(json!([{"name": "a"}, {"name": "c"}, {"name": "x", "$patch": "delete"}]));
        assert_eq!(check_patch_follows_order(&in_order, &order, Some("name")), Ok(()));
        let reordered = list(json!([{"name": "c"}, {"name": "a"}]));
        assert!(matches!(
            check_patch_follows_order(&reordered, &order, Some("name")),
            Err(PatchError::SetElementOrderMismatch { .. })
        ));
    }

    #[test]
    fn deduplicates_by_value() {
        assert_eq!(deduplicate(list(json!([1, 2, 1.0, "1", 2]))), list(json!([1, 2, "1"])));
    }
}
