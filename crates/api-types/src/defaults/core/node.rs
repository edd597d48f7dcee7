//! Node defaults: a node that reports only its capacity can allocate all of it.

use crate::api::core::v1::Node;
use crate::defaults::ApplyDefaults;

/// Upstream copies capacity only when allocatable is absent (a nil map); an explicitly empty
/// map reads the same as an absent one here, and is filled in too.
impl ApplyDefaults for Node {
    fn apply_defaults(&mut self) {
        let status = &mut self.status;
        if status.allocatable.is_empty() && !status.capacity.is_empty() {
            status.allocatable = status.capacity.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::defaulted;
    use crate::quantity::Quantity;
    use serde_json::json;

    #[test]
    fn allocatable_defaults_to_capacity() {
        let node: Node = defaulted(json!({
            "metadata": {"name": "node-1"},
            "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"}}
        }));
        assert_eq!(node.status.allocatable, node.status.capacity);
        assert_eq!(node.status.allocatable["memory"], Quantity("8Gi".into()));
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
        assert_eq!(node.status.allocatable.len(), 1);
        assert_eq!(node.status.allocatable["cpu"], Quantity("3500m".into()));
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
