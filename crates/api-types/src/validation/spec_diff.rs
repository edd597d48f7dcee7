//! The change list appended to "may not change" messages (pod and claim updates, volume sources):
//! upstream prints a Go struct diff there so the user sees which field they touched. The text
//! here is our own, one `-`/`+` line pair per changed field, in the object's JSON field names.

use serde::Serialize;
use serde_json::Value;

/// The fields that differ between `old` and `new`, one `- path: old` / `+ path: new` pair per
/// changed leaf, fields in name order. Empty when they serialize alike.
pub(crate) fn describe_changes<T: Serialize>(old: &T, new: &T) -> String {
    let old = serde_json::to_value(old).unwrap_or(Value::Null);
    let new = serde_json::to_value(new).unwrap_or(Value::Null);
    let mut lines = Vec::new();
    collect_changes("", &old, &new, &mut lines);
    lines.join("\n")
}

fn collect_changes(path: &str, old: &Value, new: &Value, lines: &mut Vec<String>) {
    if old == new {
        return;
    }
    match (old, new) {
        (Value::Object(old_fields), Value::Object(new_fields)) => {
            let mut keys: Vec<&String> = old_fields.keys().collect();
            keys.extend(new_fields.keys().filter(|key| !old_fields.contains_key(*key)));
            for key in keys {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                collect_changes(
                    &child,
                    old_fields.get(key).unwrap_or(&Value::Null),
                    new_fields.get(key).unwrap_or(&Value::Null),
                    lines,
                );
            }
        }
        (Value::Array(old_items), Value::Array(new_items))
            if old_items.len() == new_items.len() =>
        {
            for (index, (old_item, new_item)) in old_items.iter().zip(new_items).enumerate() {
                collect_changes(&format!("{path}[{index}]"), old_item, new_item, lines);
            }
        }
        _ => {
            lines.push(format!("- {path}: {old}"));
            lines.push(format!("+ {path}: {new}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changed_leaves_are_listed_with_their_paths() {
        let old = json!({"nodeName": "a", "containers": [{"name": "web", "image": "nginx"}]});
        let new = json!({"nodeName": "b", "containers": [{"name": "web", "image": "nginx:2"}], "hostname": "h"});
        assert_eq!(
            describe_changes(&old, &new),
            "- containers[0].image: \"nginx\"\n+ containers[0].image: \"nginx:2\"\n- nodeName: \"a\"\n+ nodeName: \"b\"\n- hostname: null\n+ hostname: \"h\""
        );
    }

    #[test]
    fn lists_of_other_lengths_are_shown_whole() {
        let old = json!({"tolerations": [1]});
        let new = json!({"tolerations": [1, 2]});
        assert_eq!(describe_changes(&old, &new), "- tolerations: [1]\n+ tolerations: [1,2]");
        assert_eq!(describe_changes(&old, &old), "");
    }
}
