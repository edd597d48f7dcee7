//! ResourceQuota defaults: only the rounding every resource list gets.

use crate::api::core::v1::ResourceQuota;
use crate::defaults::ApplyDefaults;
use crate::defaults::resource_list::round_up_to_millis;

impl ApplyDefaults for ResourceQuota {
    fn apply_defaults(&mut self) {
        round_up_to_millis(&mut self.spec.hard);
        round_up_to_millis(&mut self.status.hard);
        round_up_to_millis(&mut self.status.used);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::{defaulted, defaulted_wire};
    use serde_json::json;

    #[test]
    fn hard_and_used_are_rounded_up_to_millis() {
        let quota: ResourceQuota = defaulted(json!({
            "metadata": {"name": "q"},
            "spec": {"hard": {"requests.cpu": "0.0001", "pods": "10"}},
            "status": {"hard": {"requests.cpu": "0.0001"}, "used": {"requests.cpu": "5u"}}
        }));
        assert_eq!(quota.spec.hard["requests.cpu"].to_string(), "1m");
        assert_eq!(quota.spec.hard["pods"].to_string(), "10");
        assert_eq!(quota.status.hard["requests.cpu"].to_string(), "1m");
        assert_eq!(quota.status.used["requests.cpu"].to_string(), "1m");
    }

    #[test]
    fn nothing_else_is_defaulted() {
        let wire = json!({
            "metadata": {"name": "q", "creationTimestamp": null},
            "spec": {"hard": {"pods": "10"}},
            "status": {}
        });
        assert_eq!(defaulted_wire::<ResourceQuota>(wire.clone()), wire);
    }
}
