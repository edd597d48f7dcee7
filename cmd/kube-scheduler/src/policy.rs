//! The scheduler policy file (`--policy-config-file`, book 6.4.2): which predicates and
//! priorities to run, with weights and the arguments of the configurable ones, in upstream's
//! `Policy` JSON:
//!
//! ```json
//! {"kind": "Policy", "apiVersion": "v1",
//!  "predicates": [{"name": "PodFitsPorts"},
//!                 {"name": "RegionZoneAffinity", "argument": {"serviceAffinity": {"labels": ["region"]}}}],
//!  "priorities": [{"name": "LeastRequestedPriority", "weight": 1},
//!                 {"name": "RackSpread", "weight": 1, "argument": {"serviceAntiAffinity": {"label": "rack"}}}]}
//! ```
//!
//! The book's `"version": "v1"` is accepted for `apiVersion`. A missing `predicates` (or
//! `priorities`) list means the default provider's; an empty one means none.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A policy file's contents.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    #[serde(default)]
    pub kind: String,
    #[serde(default, alias = "version")]
    pub api_version: String,
    #[serde(default)]
    pub predicates: Option<Vec<PredicatePolicy>>,
    #[serde(default)]
    pub priorities: Option<Vec<PriorityPolicy>>,
}

/// A predicate by name: a registered one, or a configurable one with its argument.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PredicatePolicy {
    pub name: String,
    #[serde(default)]
    pub argument: Option<PredicateArgument>,
}

/// The argument of a configurable predicate: exactly one of the two.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PredicateArgument {
    /// `CheckServiceAffinity`: a service's pods agree on these node labels.
    #[serde(default)]
    pub service_affinity: Option<ServiceAffinityArgument>,
    /// `CheckNodeLabelPresence`: nodes must (or must not) carry these labels.
    #[serde(default)]
    pub labels_presence: Option<LabelsPresenceArgument>,
}

/// See [`PredicateArgument::service_affinity`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ServiceAffinityArgument {
    pub labels: Vec<String>,
}

/// See [`PredicateArgument::labels_presence`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct LabelsPresenceArgument {
    pub labels: Vec<String>,
    pub presence: bool,
}

/// A priority by name with its weight: a registered one, or a configurable one with its argument.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriorityPolicy {
    pub name: String,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub argument: Option<PriorityArgument>,
}

/// The argument of a configurable priority: exactly one of the two.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriorityArgument {
    /// `ServiceAntiAffinity`: spread a service's pods over this label's values.
    #[serde(default)]
    pub service_anti_affinity: Option<ServiceAntiAffinityArgument>,
    /// `CalculateNodeLabelPriority`: prefer nodes with (or without) this label.
    #[serde(default)]
    pub label_preference: Option<LabelPreferenceArgument>,
}

/// See [`PriorityArgument::service_anti_affinity`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ServiceAntiAffinityArgument {
    pub label: String,
}

/// See [`PriorityArgument::label_preference`].
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct LabelPreferenceArgument {
    pub label: String,
    pub presence: bool,
}

/// Why a policy file was refused (the scheduler does not start).
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("Unable to read policy config {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("Invalid configuration: {0}")]
    Invalid(String),
}

/// The largest weight a priority may have (weights times scores must not overflow).
pub const MAX_WEIGHT: i64 = i64::MAX / 10 / 1000;

impl Policy {
    /// Reads and checks the policy at `path`.
    pub fn from_file(path: &Path) -> Result<Policy, PolicyError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| PolicyError::Read { path: path.to_path_buf(), source })?;
        Policy::parse(&text)
    }

    /// Parses and checks a policy.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let policy: Policy =
            serde_json::from_str(text).map_err(|error| PolicyError::Invalid(error.to_string()))?;
        policy.validate()?;
        Ok(policy)
    }

    /// Upstream's checks: the kind, positive weights, one argument per configurable entry.
    fn validate(&self) -> Result<(), PolicyError> {
        let invalid = |message: String| Err(PolicyError::Invalid(message));
        if !self.kind.is_empty() && self.kind != "Policy" {
            return invalid(format!("kind must be \"Policy\", not {:?}", self.kind));
        }
        if !matches!(self.api_version.as_str(), "" | "v1") {
            return invalid(format!("unsupported policy version {:?}", self.api_version));
        }
        for predicate in self.predicates.iter().flatten() {
            if let Some(argument) = &predicate.argument {
                let given =
                    [argument.service_affinity.is_some(), argument.labels_presence.is_some()];
                if given.iter().filter(|given| **given).count() != 1 {
                    return invalid(format!(
                        "predicate {} must have exactly one of serviceAffinity and labelsPresence",
                        predicate.name
                    ));
                }
            }
        }
        for priority in self.priorities.iter().flatten() {
            if priority.weight <= 0 || priority.weight >= MAX_WEIGHT {
                return invalid(format!(
                    "priority {} should have a positive weight applied to it or it has overflown",
                    priority.name
                ));
            }
            if let Some(argument) = &priority.argument {
                let given =
                    [argument.service_anti_affinity.is_some(), argument.label_preference.is_some()];
                if given.iter().filter(|given| **given).count() != 1 {
                    return invalid(format!(
                        "priority {} must have exactly one of serviceAntiAffinity and labelPreference",
                        priority.name
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_books_policy_parses() {
        let policy = Policy::parse(
            r#"{"kind": "Policy", "version": "v1",
                "predicates": [{"name": "PodFitsPorts"}, {"name": "PodFitsResources"},
                               {"name": "NoDiskConflict"}, {"name": "MatchNodeSelector"},
                               {"name": "HostName"},
                               {"name": "RegionZoneAffinity", "argument": {"serviceAffinity": {"labels": ["region", "zone"]}}},
                               {"name": "RequireZone", "argument": {"labelsPresence": {"labels": ["zone"], "presence": true}}}],
                "priorities": [{"name": "LeastRequestedPriority", "weight": 1},
                               {"name": "ServiceSpreadingPriority", "weight": 1},
                               {"name": "RackSpread", "weight": 1, "argument": {"serviceAntiAffinity": {"label": "rack"}}},
                               {"name": "PreferSSD", "weight": 2, "argument": {"labelPreference": {"label": "ssd", "presence": true}}}]}"#,
        )
        .unwrap();
        assert_eq!(policy.api_version, "v1");
        let predicates = policy.predicates.unwrap();
        assert_eq!(predicates.len(), 7);
        let affinity = predicates[5].argument.as_ref().unwrap().service_affinity.as_ref().unwrap();
        assert_eq!(affinity.labels, ["region", "zone"]);
        assert_eq!(policy.priorities.unwrap()[3].weight, 2);
    }

    #[test]
    fn missing_lists_differ_from_empty_ones() {
        let policy =
            Policy::parse(r#"{"kind": "Policy", "apiVersion": "v1", "predicates": []}"#).unwrap();
        assert_eq!(policy.predicates, Some(vec![]));
        assert_eq!(policy.priorities, None);
    }

    #[test]
    fn bad_policies_are_refused_with_a_reason() {
        let error = |text: &str| Policy::parse(text).unwrap_err().to_string();
        assert!(error("{not json").starts_with("Invalid configuration: "));
        assert!(
            error(r#"{"priorities": [{"name": "EqualPriority", "weight": 0}]}"#)
                .contains("positive weight")
        );
        assert!(error(r#"{"kind": "Pod"}"#).contains("kind must be"));
        assert!(
            error(r#"{"predicates": [{"name": "X", "argument": {}}]}"#).contains("exactly one")
        );
        let missing = Policy::from_file(Path::new("/nonexistent/policy.json")).unwrap_err();
        assert!(missing.to_string().starts_with("Unable to read policy config"));
    }
}
