//! The `$`-keys a strategic merge patch carries besides data, and how they are spelled.

use serde_json::{Map, Value};

/// `$patch`: `replace`, `delete` or `merge` the map (or, as a list element, the list) it is in.
pub(super) const PATCH: &str = "$patch";
/// `$retainKeys`: the keys of a union object that survive; all others are cleared.
pub(super) const RETAIN_KEYS: &str = "$retainKeys";
/// `$deleteFromPrimitiveList/<field>`: values to remove from the primitive list `<field>`.
pub(super) const DELETE_FROM_PRIMITIVE_LIST: &str = "$deleteFromPrimitiveList";
/// `$setElementOrder/<field>`: the order the merged list `<field>` must end up in.
pub(super) const SET_ELEMENT_ORDER: &str = "$setElementOrder";

/// The field a parallel-list key such as `$setElementOrder/containers` is about, or `None` when
/// the key starts with `prefix` but is not `prefix/<field>`.
pub(super) fn parallel_list_target<'k>(key: &'k str, prefix: &str) -> Option<&'k str> {
    let (head, field) = key.split_once('/')?;
    (head == prefix).then_some(field)
}

/// The parallel-list key for `field`, e.g. `$setElementOrder/containers`.
pub(super) fn parallel_list_key(prefix: &str, field: &str) -> String {
    format!("{prefix}/{field}")
}

/// Whether a list element is a directive (`{"$patch": ...}`) rather than data.
pub(super) fn is_directive_element(item: &Value) -> bool {
    item.as_object().is_some_and(|map| map.contains_key(PATCH))
}

/// Whether a list element asks for the live element with its merge key to be deleted.
pub(super) fn is_delete_element(item: &Value) -> bool {
    item.get(PATCH).and_then(Value::as_str) == Some("delete")
}

/// The list element that deletes the live element whose `merge_key` is `value`.
pub(super) fn delete_element(merge_key: &str, value: &Value) -> Value {
    let mut element = Map::new();
    element.insert(merge_key.to_string(), value.clone());
    element.insert(PATCH.to_string(), Value::String("delete".to_string()));
    Value::Object(element)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parallel_list_keys_name_their_field() {
        assert_eq!(
            parallel_list_target("$setElementOrder/containers", SET_ELEMENT_ORDER),
            Some("containers")
        );
        assert_eq!(
            parallel_list_target("$deleteFromPrimitiveList/a/b", DELETE_FROM_PRIMITIVE_LIST),
            Some("a/b")
        );
        assert_eq!(parallel_list_target("$setElementOrder", SET_ELEMENT_ORDER), None);
        assert_eq!(parallel_list_target("$setElementOrderX/a", SET_ELEMENT_ORDER), None);
        assert_eq!(parallel_list_key(SET_ELEMENT_ORDER, "env"), "$setElementOrder/env");
    }

    #[test]
    fn recognises_directive_elements() {
        assert!(is_directive_element(&json!({"$patch": "replace"})));
        assert!(is_delete_element(&json!({"name": "a", "$patch": "delete"})));
        assert!(!is_delete_element(&json!({"name": "a"})));
        assert!(!is_directive_element(&json!("a")));
        assert_eq!(delete_element("name", &json!("a")), json!({"name": "a", "$patch": "delete"}));
    }
}
