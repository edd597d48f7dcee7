//! Node defaults: a node that reports only its capacity can allocate all of it.

use crate::api::core::v1::Node;
use crate::defaults::ApplyDefaults;
use crate::defaults::resource_list::round_up_to_millis;

/// Upstream copies capacity only when allocatable is absent (a nil map); an explicitly empty
/// map reads the same as an absent one here, and is filled in too.
impl ApplyDefaults for Node {
    fn apply_defaults(&mut self) {
        let status = &mut self.status;
        if status.allocatable.is_empty() && !status.capacity.is_empty() {
            status.allocatable = status.capacity.clone();
        }
        round_up_to_millis(&mut status.capacity);
        round_up_to_millis(&mut status.allocatable);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::resource_list::resource_list;
    use crate::defaults::test_support::defaulted;
    use serde_json::json;

    #[test]
    fn allocatable_defaults_to_capacity() {
        let node: Node = defaulted(json!({
            "metadata": {"name": "node-1"},
            "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"}}
        }));
        assert_eq!(
            node.status.allocatable,
            resource_list(&[("cpu", "4"), ("memory", "8Gi"), ("pods", "110")])
        );
    }

    #[test]
    fn reported_allocatable_is_kept() {
        let node: Node = defaulted(json!({
            "metadata": {"name": "node-1"},
            "status": {
                "capacity": {"cpu": "4", "memory": "8Gi"},
                "allocatable": {"cpu": "3500m"}
            }
        }));
        assert_eq!(node.status.allocatable, resource_list(&[("cpu", "3500m")]));
    }

    #[test]
    fn capacity_and_allocatable_are_rounded_up_to_millis() {
        let node: Node = defaulted(json!({
            "metadata": {"name": "node-1"},
            "status": {"capacity": {"cpu": "3999999u"}, "allocatable": {"cpu": "1.0001"}}
        }));
        assert_eq!(node.status.capacity["cpu"].to_string(), "4");
        assert_eq!(node.status.allocatable["cpu"].to_string(), "1001m");
    }

    #[test]
    fn no_phase_or_external_id_is_invented() {
        // Both were defaulted by early releases and are no longer.
        let node: Node = defaulted(json!({"metadata": {"name": "node-1"}}));
        assert_eq!(node.status.phase, "");
        assert_eq!(node.spec.external_id, "");
        assert!(node.status.allocatable.is_empty());
    }
}
