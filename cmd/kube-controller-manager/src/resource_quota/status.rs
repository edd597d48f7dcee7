//! What a ResourceQuota's status should say (upstream's `syncResourceQuota` without the API
//! calls): `hard` is the spec's, `used` is the usage of every resource it limits; and which
//! `count/<resource>.<group>` keys need a list because no informer counts them.

use super::usage::{NamespaceObjects, usage};
use api_types::api::core::v1::{ResourceQuota, ResourceQuotaStatus};

/// The core kinds the controller watches with informers, by quota resource name: their counts
/// come from the caches; any other `count/` key is listed at sync time.
pub const WATCHED_KINDS: &[&str] = &[
    "pods",
    "services",
    "secrets",
    "configmaps",
    "replicationcontrollers",
    "resourcequotas",
    "persistentvolumeclaims",
];

/// The status `quota` should have for the namespace's `objects`.
pub fn desired_status(
    quota: &ResourceQuota,
    objects: &NamespaceObjects<'_>,
) -> ResourceQuotaStatus {
    ResourceQuotaStatus {
        hard: quota.spec.hard.clone(),
        used: usage(&quota.spec.hard, &quota.spec.scopes, objects),
    }
}

/// A resource an object-count key names: its plural and group (`count/deployments.apps` →
/// `deployments`, `apps`; `count/widgets` → `widgets` in the core group).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CountedResource {
    /// The key of the count in [`NamespaceObjects::counts`] (`deployments.apps`).
    pub key: String,
    pub plural: String,
    pub group: String,
}

/// The `count/` keys of `quota` that no informer counts, to be listed.
pub fn listed_counts(quota: &ResourceQuota) -> Vec<CountedResource> {
    quota
        .spec
        .hard
        .keys()
        .filter_map(|key| key.strip_prefix("count/"))
        .filter(|resource| !WATCHED_KINDS.contains(resource))
        .map(|resource| {
            let (plural, group) = resource.split_once('.').unwrap_or((resource, ""));
            CountedResource {
                key: resource.to_string(),
                plural: plural.to_string(),
                group: group.to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::api::core::v1::Pod;
    use api_types::quantity::Quantity;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn quota(hard: serde_json::Value) -> ResourceQuota {
        serde_json::from_value(json!({"metadata": {"name": "q"}, "spec": {"hard": hard}})).unwrap()
    }

    #[test]
    fn the_status_mirrors_hard_and_counts_used() {
        let quota = quota(json!({"pods": "10", "requests.cpu": "2", "secrets": "5"}));
        let pods: Vec<Pod> = vec![
            serde_json::from_value(json!({"spec": {"containers": [
                {"name": "c", "resources": {"requests": {"cpu": "250m"}}}]}}))
            .unwrap(),
        ];
        let objects = NamespaceObjects {
            pods: &pods,
            counts: BTreeMap::from([("secrets".to_string(), 3)]),
            ..Default::default()
        };
        let status = desired_status(&quota, &objects);
        assert_eq!(status.hard, quota.spec.hard);
        let used: BTreeMap<_, _> =
            status.used.iter().map(|(key, value)| (key.as_str(), value.to_string())).collect();
        assert_eq!(
            used,
            BTreeMap::from([
                ("pods", "1".into()),
                ("requests.cpu", "250m".into()),
                ("secrets", "3".into())
            ])
        );
        // Equal quantities spelled differently are the same status: no write needed.
        let mut respelled = status.clone();
        respelled.used.insert("requests.cpu".into(), Quantity::parse("0.25").unwrap());
        assert_eq!(respelled, status);
    }

    #[test]
    fn only_unwatched_count_keys_are_listed() {
        let quota = quota(json!({"count/deployments.apps": "2", "count/widgets": "1",
                                 "count/secrets": "4", "pods": "3"}));
        assert_eq!(
            listed_counts(&quota),
            [
                CountedResource {
                    key: "deployments.apps".into(),
                    plural: "deployments".into(),
                    group: "apps".into()
                },
                CountedResource {
                    key: "widgets".into(),
                    plural: "widgets".into(),
                    group: "".into()
                },
            ]
        );
    }
}
