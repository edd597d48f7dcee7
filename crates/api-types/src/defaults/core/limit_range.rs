//! LimitRange defaults: for container limits, the default limit falls back to the maximum and
//! the default request to the default limit, then to the minimum.

use crate::api::core::v1::{LimitRange, LimitRangeItem};
use crate::defaults::ApplyDefaults;
use crate::quantity::Quantity;
use std::collections::BTreeMap;

/// The only limit type whose defaults are filled in.
const LIMIT_TYPE_CONTAINER: &str = "Container";

impl ApplyDefaults for LimitRange {
    fn apply_defaults(&mut self) {
        self.spec
            .limits
            .iter_mut()
            .filter(|item| item.type_ == LIMIT_TYPE_CONTAINER)
            .for_each(default_container_item);
    }
}

fn default_container_item(item: &mut LimitRangeItem) {
    fill_missing(&mut item.default, &item.max);
    fill_missing(&mut item.default_request, &item.default);
    fill_missing(&mut item.default_request, &item.min);
}

/// Copies each resource of `from` that `into` does not name.
fn fill_missing(into: &mut BTreeMap<String, Quantity>, from: &BTreeMap<String, Quantity>) {
    for (resource, quantity) in from {
        into.entry(resource.clone())
            .or_insert_with(|| quantity.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::defaulted;
    use serde_json::json;

    fn quantities(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), Quantity(value.to_string())))
            .collect()
    }

    #[test]
    fn container_defaults_fall_back_to_max_then_min() {
        let range: LimitRange = defaulted(json!({
            "metadata": {"name": "limits"},
            "spec": {"limits": [{
                "type": "Container",
                "max": {"cpu": "2", "memory": "1Gi"},
                "min": {"cpu": "100m", "memory": "64Mi", "ephemeral-storage": "1Gi"},
                "default": {"memory": "512Mi"},
                "defaultRequest": {"memory": "256Mi"}
            }]}
        }));
        let item = &range.spec.limits[0];
        assert_eq!(
            item.default,
            quantities(&[("cpu", "2"), ("memory", "512Mi")])
        );
        assert_eq!(
            item.default_request,
            quantities(&[
                ("cpu", "2"),
                ("ephemeral-storage", "1Gi"),
                ("memory", "256Mi")
            ])
        );
    }

    #[test]
    fn pod_and_claim_limits_get_no_defaults() {
        let range: LimitRange = defaulted(json!({
            "metadata": {"name": "limits"},
            "spec": {"limits": [
                {"type": "Pod", "max": {"cpu": "4"}},
                {"type": "PersistentVolumeClaim", "min": {"storage": "1Gi"}}
            ]}
        }));
        for item in &range.spec.limits {
            assert!(item.default.is_empty() && item.default_request.is_empty());
        }
    }
}
