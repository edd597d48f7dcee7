//! What emptying a namespace involves, and how its progress is reported (upstream's
//! `NamespacedResourcesDeleter` decisions and `updateNamespaceStatusFunc` conditions), without
//! the reads and writes.

use api_types::api::core::v1::NamespaceCondition;
use api_types::meta::v1::Time;
use chrono::{DateTime, Utc};
use client::discovery::DiscoveredResource;
use std::collections::BTreeMap;

/// The finalizer in `spec.finalizers` that this controller owns.
pub const KUBERNETES_FINALIZER: &str = "kubernetes";

/// How the objects of one resource are deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deletion {
    /// One `DELETE` of the collection.
    Collection,
    /// A list, then a `DELETE` per object.
    OneByOne,
}

/// How to delete the objects of a discovered resource in a namespace; `None` for resources
/// that are not namespaced or cannot be deleted.
pub fn deletion_of(found: &DiscoveredResource) -> Option<Deletion> {
    if !found.resource.namespaced || !found.supports("delete") {
        return None;
    }
    if found.supports("deletecollection") {
        Some(Deletion::Collection)
    } else if found.supports("list") {
        Some(Deletion::OneByOne)
    } else {
        None
    }
}

/// What one pass over a namespace's content found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Discovery could not be read: nothing was deleted.
    pub discovery_failure: Option<String>,
    /// Deletes or lists that failed, one message each.
    pub content_failures: Vec<String>,
    /// Objects still present, by resource (`pods.`, `deployments.apps`).
    pub remaining: BTreeMap<String, usize>,
    /// Finalizers holding the remaining objects, with how many objects carry each.
    pub finalizers: BTreeMap<String, usize>,
    /// Seconds until the longest graceful deletion among the remaining objects ends.
    pub grace_seconds: u64,
}

impl Report {
    /// Whether the namespace is empty and nothing failed: it may be finalized.
    pub fn done(&self) -> bool {
        self.discovery_failure.is_none()
            && self.content_failures.is_empty()
            && self.remaining.is_empty()
    }

    /// How long to wait before looking again when objects remain: half the longest grace
    /// period left plus a second, as upstream.
    pub fn recheck_after_seconds(&self) -> u64 {
        self.grace_seconds / 2 + 1
    }

    /// The name of a resource in messages as upstream prints it: `<plural>.<group>`, so a
    /// core resource keeps a bare dot (`pods.`, `deployments.apps`).
    pub fn resource_name(group: &str, plural: &str) -> String {
        format!("{plural}.{group}")
    }
}

/// The namespace's deletion conditions after a pass that produced `report`: every type
/// upstream reports, `True` with the problem or `False` with the all-clear, the transition
/// time kept while the status stays the same.
pub fn conditions(
    previous: &[NamespaceCondition],
    report: &Report,
    now: DateTime<Utc>,
) -> Vec<NamespaceCondition> {
    let listed = |entries: &BTreeMap<String, usize>, unit: &str| {
        entries
            .iter()
            .map(|(name, count)| format!("{name} {unit} {count} resource instances"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let wanted = [
        match &report.discovery_failure {
            Some(error) => {
                ("NamespaceDeletionDiscoveryFailure", true, "DiscoveryFailed", error.clone())
            }
            None => (
                "NamespaceDeletionDiscoveryFailure",
                false,
                "ResourcesDiscovered",
                "All resources successfully discovered".to_string(),
            ),
        },
        (
            "NamespaceDeletionGroupVersionParsingFailure",
            false,
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed".to_string(),
        ),
        if report.content_failures.is_empty() {
            (
                "NamespaceDeletionContentFailure",
                false,
                "ContentDeleted",
                "All content successfully deleted, may be waiting on finalization".to_string(),
            )
        } else {
            (
                "NamespaceDeletionContentFailure",
                true,
                "ContentDeletionFailed",
                format!(
                    "Failed to delete all resource types, {} remaining: {}",
                    report.content_failures.len(),
                    report.content_failures.join(", ")
                ),
            )
        },
        if report.remaining.is_empty() {
            (
                "NamespaceContentRemaining",
                false,
                "ContentRemoved",
                "All content successfully removed".to_string(),
            )
        } else {
            (
                "NamespaceContentRemaining",
                true,
                "SomeResourcesRemain",
                format!("Some resources are remaining: {}", listed(&report.remaining, "has")),
            )
        },
        if report.finalizers.is_empty() {
            (
                "NamespaceFinalizersRemaining",
                false,
                "ContentHasNoFinalizers",
                "All content-preserving finalizers have been removed".to_string(),
            )
        } else {
            (
                "NamespaceFinalizersRemaining",
                true,
                "SomeFinalizersRemain",
                format!(
                    "Some content in the namespace has finalizers remaining: {}",
                    listed(&report.finalizers, "in")
                ),
            )
        },
    ];
    wanted
        .into_iter()
        .map(|(type_, problem, reason, message)| {
            let status = if problem { "True" } else { "False" };
            let before = previous.iter().find(|condition| condition.type_ == type_);
            let last_transition_time = match before {
                Some(before) if before.status == status => before.last_transition_time,
                _ => Some(Time(now)),
            };
            NamespaceCondition {
                type_: type_.to_string(),
                status: status.to_string(),
                last_transition_time,
                reason: reason.to_string(),
                message,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use client::ApiResource;

    fn found(namespaced: bool, verbs: &[&str]) -> DiscoveredResource {
        DiscoveredResource {
            resource: ApiResource {
                group: String::new(),
                version: "v1".into(),
                kind: "K".into(),
                plural: "ks".into(),
                namespaced,
            },
            verbs: verbs.iter().map(|verb| verb.to_string()).collect(),
            short_names: Vec::new(),
        }
    }

    #[test]
    fn namespaced_deletable_resources_are_emptied_by_collection_when_possible() {
        let everything = ["list", "delete", "deletecollection"];
        assert_eq!(deletion_of(&found(true, &everything)), Some(Deletion::Collection));
        assert_eq!(deletion_of(&found(true, &["list", "delete"])), Some(Deletion::OneByOne));
        assert_eq!(deletion_of(&found(true, &["create"])), None, "bindings");
        assert_eq!(deletion_of(&found(false, &everything)), None, "nodes, namespaces");
        assert_eq!(deletion_of(&found(true, &["delete"])), None, "nothing to list");
    }

    #[test]
    fn conditions_report_what_remains_and_keep_transition_times() {
        let earlier: DateTime<Utc> = "2024-01-01T00:00:00Z".parse().unwrap();
        let later: DateTime<Utc> = "2024-01-01T00:01:00Z".parse().unwrap();
        let mut report = Report::default();
        report.remaining.insert(Report::resource_name("", "pods"), 2);
        report.remaining.insert(Report::resource_name("apps", "replicasets"), 1);
        report.finalizers.insert("orphan".into(), 1);
        let first = conditions(&[], &report, earlier);
        assert_eq!(first.len(), 5);
        let remaining = first.iter().find(|c| c.type_ == "NamespaceContentRemaining").unwrap();
        assert_eq!(remaining.status, "True");
        assert_eq!(
            remaining.message,
            "Some resources are remaining: pods. has 2 resource instances, \
             replicasets.apps has 1 resource instances"
        );
        let finalizers = first.iter().find(|c| c.type_ == "NamespaceFinalizersRemaining").unwrap();
        assert_eq!(
            finalizers.message,
            "Some content in the namespace has finalizers remaining: orphan in 1 resource instances"
        );
        assert!(!report.done());

        let second = conditions(&first, &Report::default(), later);
        let remaining = second.iter().find(|c| c.type_ == "NamespaceContentRemaining").unwrap();
        assert_eq!(
            (remaining.status.as_str(), remaining.reason.as_str()),
            ("False", "ContentRemoved")
        );
        assert_eq!(remaining.last_transition_time, Some(Time(later)));
        let discovery =
            second.iter().find(|c| c.type_ == "NamespaceDeletionDiscoveryFailure").unwrap();
        assert_eq!(discovery.last_transition_time, Some(Time(earlier)), "unchanged status");
        assert!(Report::default().done());
        assert_eq!(Report { grace_seconds: 30, ..Default::default() }.recheck_after_seconds(), 16);
    }
}
