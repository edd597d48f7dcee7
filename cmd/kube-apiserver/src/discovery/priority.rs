//! The order of groups and of versions within a group in `/apis`, both documents.
//!
//! Upstream's aggregator orders groups by the `groupPriorityMinimum` of their APIServices
//! (highest first, then by name) and versions by `versionPriority` (highest first, then by the
//! kube-aware version order). kube-apiserver registers its built-in group versions with a fixed
//! table of priorities; kubectl resolves a short name served by two groups to the first group,
//! so the order is part of the API.

use std::cmp::Ordering;

/// How a group version ranks: `group` places its group among the others, `version` places the
/// version within its group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Priority {
    pub group: u32,
    pub version: u32,
}

/// What upstream gives a group version it has no entry for (its aggregated discovery manager's
/// default).
const DEFAULT_PRIORITY: Priority = Priority { group: 1000, version: 15 };

/// kube-apiserver's built-in priorities, from its generic and kube-specific tables; `extensions`
/// carries the value it had while it was served.
const BUILT_IN: &[(&str, &str, Priority)] = &[
    ("", "v1", Priority { group: 18000, version: 1 }),
    ("extensions", "v1beta1", Priority { group: 17900, version: 1 }),
    ("apps", "v1", Priority { group: 17800, version: 15 }),
    ("events.k8s.io", "v1", Priority { group: 17750, version: 15 }),
    ("events.k8s.io", "v1beta1", Priority { group: 17750, version: 5 }),
    ("authentication.k8s.io", "v1", Priority { group: 17700, version: 15 }),
    ("authentication.k8s.io", "v1beta1", Priority { group: 17700, version: 9 }),
    ("authentication.k8s.io", "v1alpha1", Priority { group: 17700, version: 1 }),
    ("authorization.k8s.io", "v1", Priority { group: 17600, version: 15 }),
    ("autoscaling", "v2", Priority { group: 17500, version: 30 }),
    ("autoscaling", "v1", Priority { group: 17500, version: 15 }),
    ("autoscaling", "v2beta1", Priority { group: 17500, version: 9 }),
    ("autoscaling", "v2beta2", Priority { group: 17500, version: 1 }),
    ("batch", "v1", Priority { group: 17400, version: 15 }),
    ("batch", "v1beta1", Priority { group: 17400, version: 9 }),
    ("batch", "v2alpha1", Priority { group: 17400, version: 9 }),
    ("certificates.k8s.io", "v1", Priority { group: 17300, version: 15 }),
    ("certificates.k8s.io", "v1beta1", Priority { group: 17300, version: 9 }),
    ("certificates.k8s.io", "v1alpha1", Priority { group: 17300, version: 1 }),
    ("networking.k8s.io", "v1", Priority { group: 17200, version: 15 }),
    ("networking.k8s.io", "v1beta1", Priority { group: 17200, version: 9 }),
    ("policy", "v1", Priority { group: 17100, version: 15 }),
    ("policy", "v1beta1", Priority { group: 17100, version: 9 }),
    ("rbac.authorization.k8s.io", "v1", Priority { group: 17000, version: 15 }),
    ("storage.k8s.io", "v1", Priority { group: 16800, version: 15 }),
    ("storage.k8s.io", "v1beta1", Priority { group: 16800, version: 9 }),
    ("storage.k8s.io", "v1alpha1", Priority { group: 16800, version: 1 }),
    ("apiextensions.k8s.io", "v1", Priority { group: 16700, version: 15 }),
    ("admissionregistration.k8s.io", "v1", Priority { group: 16700, version: 15 }),
    ("admissionregistration.k8s.io", "v1beta1", Priority { group: 16700, version: 12 }),
    ("admissionregistration.k8s.io", "v1alpha1", Priority { group: 16700, version: 9 }),
    ("scheduling.k8s.io", "v1", Priority { group: 16600, version: 15 }),
    ("coordination.k8s.io", "v1", Priority { group: 16500, version: 15 }),
    ("coordination.k8s.io", "v1beta1", Priority { group: 16500, version: 13 }),
    ("coordination.k8s.io", "v1alpha2", Priority { group: 16500, version: 12 }),
    ("node.k8s.io", "v1", Priority { group: 16300, version: 15 }),
    ("node.k8s.io", "v1beta1", Priority { group: 16300, version: 9 }),
    ("node.k8s.io", "v1alpha1", Priority { group: 16300, version: 1 }),
    ("discovery.k8s.io", "v1", Priority { group: 16200, version: 15 }),
    ("discovery.k8s.io", "v1beta1", Priority { group: 16200, version: 12 }),
    ("resource.k8s.io", "v1beta2", Priority { group: 16200, version: 15 }),
    ("resource.k8s.io", "v1beta1", Priority { group: 16200, version: 9 }),
    ("resource.k8s.io", "v1alpha3", Priority { group: 16200, version: 1 }),
    ("flowcontrol.apiserver.k8s.io", "v1", Priority { group: 16100, version: 21 }),
    ("flowcontrol.apiserver.k8s.io", "v1beta3", Priority { group: 16100, version: 18 }),
    ("flowcontrol.apiserver.k8s.io", "v1beta2", Priority { group: 16100, version: 15 }),
    ("flowcontrol.apiserver.k8s.io", "v1beta1", Priority { group: 16100, version: 12 }),
    ("flowcontrol.apiserver.k8s.io", "v1alpha1", Priority { group: 16100, version: 9 }),
    ("internal.apiserver.k8s.io", "v1alpha1", Priority { group: 16000, version: 9 }),
    ("storagemigration.k8s.io", "v1beta1", Priority { group: 15800, version: 9 }),
];

/// The priority of `group`/`version`.
pub fn priority(group: &str, version: &str) -> Priority {
    BUILT_IN
        .iter()
        .find(|(g, v, _)| *g == group && *v == version)
        .map(|(_, _, priority)| *priority)
        .unwrap_or(DEFAULT_PRIORITY)
}

/// A served group with its versions, most preferred first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderedGroup {
    pub name: String,
    pub versions: Vec<String>,
}

/// Orders groups (given with their versions in any order) as upstream lists them: the group
/// whose best version priority is highest first, ties by name; within a group, the highest
/// version priority first, ties by [`compare_versions`].
pub fn order_groups(groups: Vec<(String, Vec<String>)>) -> Vec<OrderedGroup> {
    let mut ordered: Vec<OrderedGroup> = groups
        .into_iter()
        .map(|(name, mut versions)| {
            versions.sort_by(|a, b| {
                let (pa, pb) = (priority(&name, a).version, priority(&name, b).version);
                pb.cmp(&pa).then_with(|| compare_versions(b, a))
            });
            OrderedGroup { name, versions }
        })
        .collect();
    let group_priority = |group: &OrderedGroup| {
        group.versions.iter().map(|version| priority(&group.name, version).group).max()
    };
    ordered.sort_by(|a, b| group_priority(b).cmp(&group_priority(a)).then(a.name.cmp(&b.name)));
    ordered
}

/// Stability of a Kubernetes version string, least stable first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stability {
    Alpha,
    Beta,
    GeneralAvailability,
}

/// `v<major>[alpha|beta<minor>]`, or `None` for any other string.
fn parse_kube_version(version: &str) -> Option<(Stability, u64, u64)> {
    let digits_end = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let rest = version.strip_prefix('v')?;
    let major_len = digits_end(rest);
    let major: u64 = rest[..major_len].parse().ok()?;
    let rest = &rest[major_len..];
    if rest.is_empty() {
        return Some((Stability::GeneralAvailability, major, 0));
    }
    let (stability, minor) = if let Some(minor) = rest.strip_prefix("alpha") {
        (Stability::Alpha, minor)
    } else {
        (Stability::Beta, rest.strip_prefix("beta")?)
    };
    if minor.is_empty() || digits_end(minor) != minor.len() {
        return None;
    }
    Some((stability, major, minor.parse().ok()?))
}

/// Upstream's kube-aware version order: `Greater` when `a` is preferred to `b`. GA beats beta
/// beats alpha, then the higher major, then the higher minor (`v2 > v1 > v1beta2 > v1beta1 >
/// v1alpha1`); versions not of that form come after every kube version, in lexical order.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    match (parse_kube_version(a), parse_kube_version(b)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => b.cmp(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_aware_version_order() {
        let mut versions =
            vec!["foo10", "v1alpha1", "v1", "v11alpha2", "v2", "v10beta3", "foo1", "v1beta2"];
        versions.sort_by(|a, b| compare_versions(b, a));
        assert_eq!(
            versions,
            vec!["v2", "v1", "v10beta3", "v1beta2", "v11alpha2", "v1alpha1", "foo1", "foo10"]
        );
        assert_eq!(compare_versions("v1", "v1"), Ordering::Equal);
        assert_eq!(parse_kube_version("v1beta"), None);
        assert_eq!(parse_kube_version("v"), None);
        assert_eq!(parse_kube_version("v1gamma1"), None);
    }

    #[test]
    fn groups_follow_upstream_priorities() {
        let groups = vec![
            ("coordination.k8s.io".to_string(), vec!["v1".to_string()]),
            ("zz.example.com".to_string(), vec!["v1".to_string()]),
            ("autoscaling".to_string(), vec!["v1".to_string(), "v2".to_string()]),
            ("apps".to_string(), vec!["v1".to_string()]),
            ("aa.example.com".to_string(), vec!["v1alpha1".to_string(), "v1beta1".to_string()]),
            ("batch".to_string(), vec!["v1".to_string()]),
        ];
        let ordered = order_groups(groups);
        let names: Vec<&str> = ordered.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "apps",
                "autoscaling",
                "batch",
                "coordination.k8s.io",
                "aa.example.com",
                "zz.example.com"
            ]
        );
        assert_eq!(ordered[1].versions, vec!["v2", "v1"]);
        // Equal (default) priorities fall back to the version order.
        assert_eq!(ordered[4].versions, vec!["v1beta1", "v1alpha1"]);
        assert_eq!(priority("", "v1"), Priority { group: 18000, version: 1 });
        assert_eq!(priority("example.com", "v1"), DEFAULT_PRIORITY);
    }
}
