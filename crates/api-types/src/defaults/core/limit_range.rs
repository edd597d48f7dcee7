//! LimitRange defaults: for container limits, the default limit falls back to the maximum and
//! the default request to the default limit, then to the minimum.

use crate::api::core::v1::{LimitRange, LimitRangeItem};
use crate::defaults::ApplyDefaults;
use crate::defaults::resource_list::{ResourceList, round_up_to_millis};

/// The only limit type whose defaults are filled in.
const LIMIT_TYPE_CONTAINER: &str = "Container";

impl ApplyDefaults for LimitRange {
    fn apply_defaults(&mut self) {
        for item in &mut self.spec.limits {
            if item.type_ == LIMIT_TYPE_CONTAINER {
                default_container_item(item);
            }
            for list in [
                &mut item.max,
                &mut item.min,
                &mut item.default,
                &mut item.default_request,
                &mut item.max_limit_request_ratio,
            ] {
                round_up_to_millis(list);
            }
        }
    }
}

fn default_container_item(item: &mut LimitRangeItem) {
    fill_missing(&mut item.default, &item.max);
    fill_missing(&mut item.default_request, &item.default);
    fill_missing(&mut item.default_request, &item.min);
}

/// Copies each resource of `from` that `into` does not name.
fn fill_missing(into: &mut ResourceList, from: &ResourceList) {
    for (resource, quantity) in from {
        into.entry(resource.clone()).or_insert_with(|| quantity.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::resource_list::resource_list;
    use crate::defaults::test_support::defaulted;
    use serde_json::json;

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
        assert_eq!(item.default, resource_list(&[("cpu", "2"), ("memory", "512Mi")]));
        assert_eq!(
            item.default_request,
            resource_list(&[("cpu", "2"), ("ephemeral-storage", "1Gi"), ("memory", "256Mi")])
        );
    }

    #[test]
    fn default_request_falls_back_to_min_without_max_or_default() {
        let range: LimitRange = defaulted(json!({
            "metadata": {"name": "limits"},
            "spec": {"limits": [{"type": "Container", "min": {"cpu": "100m"}}]}
        }));
        let item = &range.spec.limits[0];
        assert!(item.default.is_empty());
        assert_eq!(item.default_request, resource_list(&[("cpu", "100m")]));
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

    #[test]
    fn every_list_is_rounded_up_to_millis() {
        let range: LimitRange = defaulted(json!({
            "metadata": {"name": "limits"},
            "spec": {"limits": [{
                "type": "Pod",
                "max": {"cpu": "0.0001"},
                "min": {"cpu": "1u"},
                "maxLimitRequestRatio": {"cpu": "1.0005"}
            }]}
        }));
        let item = &range.spec.limits[0];
        assert_eq!(item.max["cpu"].to_string(), "1m");
        assert_eq!(item.min["cpu"].to_string(), "1m");
        assert_eq!(item.max_limit_request_ratio["cpu"].to_string(), "1001m");
    }
}
