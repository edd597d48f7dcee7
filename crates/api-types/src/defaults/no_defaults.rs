//! Kinds upstream's defaulters leave as they are. Each still implements [`ApplyDefaults`] so
//! the apiserver can default every kind through one interface.

use super::ApplyDefaults;
use crate::api::autoscaling::v1::Scale;
use crate::api::coordination::v1::Lease;
use crate::api::core::v1::{Binding, ComponentStatus, Event, ServiceAccount};

macro_rules! without_defaults {
    ($($kind:ty),* $(,)?) => {
        $(
            impl ApplyDefaults for $kind {
                fn apply_defaults(&mut self) {}
            }
        )*
    };
}

without_defaults!(Binding, ComponentStatus, Event, Lease, Scale, ServiceAccount);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::defaulted_wire;
    use serde_json::json;

    #[test]
    fn objects_come_back_unchanged() {
        let event = json!({
            "metadata": {"name": "e", "creationTimestamp": null},
            "involvedObject": {"kind": "Pod", "name": "p"},
            "source": {},
            "firstTimestamp": null,
            "lastTimestamp": null,
            "eventTime": null,
            "reportingComponent": "",
            "reportingInstance": ""
        });
        assert_eq!(defaulted_wire::<Event>(event.clone()), event);
        let account = json!({"metadata": {"name": "default", "creationTimestamp": null}});
        assert_eq!(defaulted_wire::<ServiceAccount>(account.clone()), account);
        let lease = json!({"metadata": {"name": "l", "creationTimestamp": null}, "spec": {}});
        assert_eq!(defaulted_wire::<Lease>(lease.clone()), lease);
    }
}
