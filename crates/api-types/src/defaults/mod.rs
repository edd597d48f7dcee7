//! Defaults as upstream's v1 API applies them to incoming objects.
//!
//! The apiserver fills in every field a client may leave out before it validates and stores an
//! object, so what clients read back (and what controllers act on) carries the same values as a
//! real cluster's. [`ApplyDefaults`] is that step, one impl per kind, each walking its nested types
//! the way upstream's generated defaulters do: a pod template inside a Deployment gets the pod-spec,
//! container, probe and volume defaults, and so on down.
//!
//! Only the defaulters run here. Values the apiserver assigns elsewhere are deliberately absent:
//! - a Service's `clusterIP(s)`, `ipFamilies` and `ipFamilyPolicy` come from the IP allocator in
//!   the service registry, and node ports from the port allocator;
//! - a Namespace's `spec.finalizers: [kubernetes]` comes from the namespace registry strategy;
//! - a Pod's `priority` comes from the Priority admission plugin;
//! - `metadata` fields (uid, timestamps, generation) come from the generic registry.
//!
//! One conversion effect is included because clients observe it as a default: a pod spec's
//! deprecated `serviceAccount` and `serviceAccountName` are made equal, the new field winning.
//! Every resource list (requests, limits, capacities, quotas) is rounded up to millis, as
//! upstream's generated defaulters do for each one they reach.
//!
//! Left out: the pod-level resource defaults behind the PodLevelResources feature gate (see
//! the pod module).

mod apps;
mod core;
pub mod image_reference;
mod no_defaults;
pub mod pull_policy;
mod resource_list;

#[cfg(test)]
mod test_support;

use crate::resource::List;

/// Fills in what the apiserver defaults on create (and on every decode) of an object.
///
/// Applying defaults is idempotent: a defaulted object is its own default.
pub trait ApplyDefaults {
    /// Sets every unset field that upstream defaults, leaving set fields alone.
    fn apply_defaults(&mut self);
}

/// A list is defaulted item by item, as upstream's `SetObjectDefaults_<Kind>List` do.
impl<T: ApplyDefaults> ApplyDefaults for List<T> {
    fn apply_defaults(&mut self) {
        self.items.iter_mut().for_each(ApplyDefaults::apply_defaults);
    }
}

#[cfg(test)]
mod tests {
    use super::ApplyDefaults;
    use crate::api::apps::v1::{DaemonSet, Deployment, ReplicaSet};
    use crate::api::autoscaling::v1::Scale;
    use crate::api::coordination::v1::Lease;
    use crate::api::core::v1::*;
    use crate::resource::Resource;

    /// Defaults an empty object of kind `T`, checking that a second pass changes nothing.
    fn defaults_empty<T: Resource + ApplyDefaults + PartialEq + std::fmt::Debug>() -> T {
        let mut object = T::default();
        object.apply_defaults();
        let mut again = object.clone();
        again.apply_defaults();
        assert_eq!(again, object, "{}", T::KIND);
        object
    }

    #[test]
    fn every_kind_can_be_defaulted_from_empty() {
        defaults_empty::<Binding>();
        defaults_empty::<ComponentStatus>();
        defaults_empty::<ConfigMap>();
        defaults_empty::<Endpoints>();
        defaults_empty::<Event>();
        defaults_empty::<LimitRange>();
        defaults_empty::<Namespace>();
        defaults_empty::<Node>();
        defaults_empty::<PersistentVolume>();
        defaults_empty::<PersistentVolumeClaim>();
        defaults_empty::<Pod>();
        defaults_empty::<PodTemplate>();
        defaults_empty::<ReplicationController>();
        defaults_empty::<ResourceQuota>();
        defaults_empty::<Secret>();
        defaults_empty::<Service>();
        defaults_empty::<ServiceAccount>();
        defaults_empty::<Deployment>();
        defaults_empty::<ReplicaSet>();
        defaults_empty::<DaemonSet>();
        defaults_empty::<Scale>();
        defaults_empty::<Lease>();
    }
}
