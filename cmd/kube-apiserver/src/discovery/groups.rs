//! `/apis` and `/apis/<group>`: the named groups, their versions and the preferred one.

use super::priority::{OrderedGroup, order_groups};
use crate::registry::ResourceTable;
use api_types::meta::v1::{APIGroup, APIGroupList, GroupVersionForDiscovery};
use std::collections::BTreeMap;

/// Every group the table serves, with its versions, in upstream's discovery order. The core
/// group is included when `include_core` is set (the aggregated `/api` document lists it; the
/// legacy `/apis` never does).
pub(super) fn served_groups(table: &ResourceTable, include_core: bool) -> Vec<OrderedGroup> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for resource in table.iter() {
        let info = resource.info();
        if info.group.is_empty() != include_core {
            continue;
        }
        let versions = groups.entry(info.group.to_string()).or_default();
        if !versions.iter().any(|version| version == info.version) {
            versions.push(info.version.to_string());
        }
    }
    order_groups(groups.into_iter().collect())
}

/// The `/apis` document: every named group, highest priority first.
pub fn group_list(table: &ResourceTable) -> APIGroupList {
    let groups = served_groups(table, false).into_iter().map(|group| api_group(&group)).collect();
    APIGroupList { kind: "APIGroupList".to_string(), api_version: "v1".to_string(), groups }
}

/// The `/apis/<group>` document, or `None` when the table serves nothing in `group`.
pub fn group(table: &ResourceTable, name: &str) -> Option<APIGroup> {
    if name.is_empty() {
        return None;
    }
    let group = served_groups(table, false).into_iter().find(|group| group.name == name)?;
    Some(APIGroup {
        kind: "APIGroup".to_string(),
        api_version: "v1".to_string(),
        ..api_group(&group)
    })
}

/// A group as an entry of `/apis` (no type meta); the preferred version is the first.
fn api_group(group: &OrderedGroup) -> APIGroup {
    let versions: Vec<GroupVersionForDiscovery> = group
        .versions
        .iter()
        .map(|version| GroupVersionForDiscovery::new(&group.name, version))
        .collect();
    APIGroup {
        name: group.name.clone(),
        preferred_version: versions.first().cloned().unwrap_or_default(),
        versions,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::test_support::{deployments, leases, pods, table_of};

    #[test]
    fn group_list_matches_upstream_shape_and_order() {
        let mut hpa_v2 = deployments();
        hpa_v2.group = "autoscaling";
        hpa_v2.version = "v2";
        hpa_v2.kind = "HorizontalPodAutoscaler";
        hpa_v2.plural = "horizontalpodautoscalers";
        let mut hpa_v1 = hpa_v2.clone();
        hpa_v1.version = "v1";
        let table = table_of(vec![leases(), pods(), hpa_v1, deployments(), hpa_v2]);

        let expected = r#"{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},{"name":"autoscaling","versions":[{"groupVersion":"autoscaling/v2","version":"v2"},{"groupVersion":"autoscaling/v1","version":"v1"}],"preferredVersion":{"groupVersion":"autoscaling/v2","version":"v2"}},{"name":"coordination.k8s.io","versions":[{"groupVersion":"coordination.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"coordination.k8s.io/v1","version":"v1"}}]}"#;
        assert_eq!(serde_json::to_string(&group_list(&table)).unwrap(), expected);
    }

    #[test]
    fn group_document_and_unknown_groups() {
        let table = table_of(vec![pods(), deployments()]);
        let body = r#"{"kind":"APIGroup","apiVersion":"v1","name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}"#;
        assert_eq!(serde_json::to_string(&group(&table, "apps").unwrap()).unwrap(), body);
        assert_eq!(group(&table, "batch"), None);
        assert_eq!(group(&table, ""), None);
        assert!(group_list(&table_of(vec![pods()])).groups.is_empty());
    }
}
