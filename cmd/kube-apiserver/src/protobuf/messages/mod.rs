//! The message tables, one file per API group (core split by topic), and which message each
//! kind's objects are written with.

mod apps;
mod autoscaling;
mod coordination;
mod core_objects;
mod core_pod;
mod core_volume;
mod meta;

use super::schema::Message;

pub use meta::LIST_META;

/// Each kind's top-level message, by `apiVersion` and `kind`.
static KINDS: [(&str, &str, &Message); 24] = [
    ("v1", "Pod", &core_pod::POD),
    ("v1", "PodTemplate", &core_pod::POD_TEMPLATE),
    ("v1", "ReplicationController", &core_objects::REPLICATION_CONTROLLER),
    ("v1", "Service", &core_objects::SERVICE),
    ("v1", "Endpoints", &core_objects::ENDPOINTS),
    ("v1", "Node", &core_objects::NODE),
    ("v1", "Namespace", &core_objects::NAMESPACE),
    ("v1", "Event", &core_objects::EVENT),
    ("v1", "Secret", &core_objects::SECRET),
    ("v1", "ConfigMap", &core_objects::CONFIG_MAP),
    ("v1", "ServiceAccount", &core_objects::SERVICE_ACCOUNT),
    ("v1", "LimitRange", &core_objects::LIMIT_RANGE),
    ("v1", "ResourceQuota", &core_objects::RESOURCE_QUOTA),
    ("v1", "PersistentVolume", &core_volume::PERSISTENT_VOLUME),
    ("v1", "PersistentVolumeClaim", &core_volume::PERSISTENT_VOLUME_CLAIM),
    ("v1", "Binding", &core_objects::BINDING),
    ("v1", "ComponentStatus", &core_objects::COMPONENT_STATUS),
    ("apps/v1", "Deployment", &apps::DEPLOYMENT),
    ("apps/v1", "ReplicaSet", &apps::REPLICA_SET),
    ("apps/v1", "DaemonSet", &apps::DAEMON_SET),
    ("autoscaling/v1", "Scale", &autoscaling::SCALE),
    ("coordination.k8s.io/v1", "Lease", &coordination::LEASE),
    // `Status` and `DeleteOptions` are written in every group's version; see `message_for`.
    ("v1", "Status", &meta::STATUS),
    ("meta.k8s.io/v1", "DeleteOptions", &meta::DELETE_OPTIONS),
];

/// The message objects of `kind` in `api_version` are written with, when this server has its
/// table. `Status` and `DeleteOptions` belong to every group version, as upstream registers
/// them.
pub fn message_for(api_version: &str, kind: &str) -> Option<&'static Message> {
    match kind {
        "Status" => Some(&meta::STATUS),
        "DeleteOptions" => Some(&meta::DELETE_OPTIONS),
        _ => KINDS
            .iter()
            .find(|(version, name, _)| *version == api_version && *name == kind)
            .map(|(_, _, message)| *message),
    }
}

/// Every kind with a table, for tests that go through them all.
#[cfg(test)]
pub fn all_kinds() -> impl Iterator<Item = (&'static str, &'static str)> {
    KINDS.iter().map(|(version, kind, _)| (*version, *kind))
}
