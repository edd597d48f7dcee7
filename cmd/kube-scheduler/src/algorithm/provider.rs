//! Which predicates and priorities run (book 6.4.2-6.4.3): the registry of names, the named
//! algorithm providers (`DefaultProvider`), and the algorithm a policy file describes.
//!
//! The predicates on the node itself (ready, not cordoned, taints tolerated) always run first,
//! as upstream only ever offers schedulable nodes to the algorithm.

use super::predicates::Predicate;
use super::predicates::node::{NodeReady, NodeUnschedulable, TaintToleration};
use super::predicates::ports::PodFitsHostPorts;
use super::predicates::resources::PodFitsResources;
use super::predicates::selector::{HostName, MatchNodeSelector, NodeLabelPresence};
use super::predicates::service_affinity::ServiceAffinity;
use super::predicates::volumes::NoDiskConflict;
use super::priorities::labels::NodeLabelPriority;
use super::priorities::resources::{BalancedResourceAllocation, LeastRequested, MostRequested};
use super::priorities::spread::{SelectorSpread, ServiceAntiAffinity};
use super::priorities::{EqualPriority, Priority};
use crate::policy::{Policy, PolicyError};

/// The provider used unless `--algorithm-provider` names another.
pub const DEFAULT_PROVIDER: &str = "DefaultProvider";
/// The provider that packs pods onto few nodes (most requested first) so idle ones can go.
pub const CLUSTER_AUTOSCALER_PROVIDER: &str = "ClusterAutoscalerProvider";

/// The default provider's predicates, in the order they are checked.
pub const DEFAULT_PREDICATES: [&str; 5] =
    ["HostName", "MatchNodeSelector", "PodFitsHostPorts", "PodFitsResources", "NoDiskConflict"];
/// The default provider's priorities, each of weight 1.
pub const DEFAULT_PRIORITIES: [&str; 3] =
    ["LeastRequestedPriority", "BalancedResourceAllocation", "SelectorSpreadPriority"];

/// The predicates and weighted priorities one scheduler runs.
pub struct Algorithm {
    pub predicates: Vec<Box<dyn Predicate>>,
    pub priorities: Vec<(Box<dyn Priority>, i64)>,
}

impl std::fmt::Debug for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let predicates: Vec<&str> = self.predicates.iter().map(|p| p.name()).collect();
        let priorities: Vec<(&str, i64)> =
            self.priorities.iter().map(|(p, w)| (p.name(), *w)).collect();
        f.debug_struct("Algorithm")
            .field("predicates", &predicates)
            .field("priorities", &priorities)
            .finish()
    }
}

/// A registered predicate by name (the book's and today's spellings).
fn predicate(name: &str) -> Option<Box<dyn Predicate>> {
    Some(match name {
        "PodFitsHostPorts" | "PodFitsPorts" => Box::new(PodFitsHostPorts),
        "PodFitsResources" => Box::new(PodFitsResources),
        "NoDiskConflict" => Box::new(NoDiskConflict),
        "MatchNodeSelector" | "PodSelectorMatches" => Box::new(MatchNodeSelector),
        "HostName" | "PodFitsHost" => Box::new(HostName),
        "CheckNodeCondition" => Box::new(NodeReady),
        "CheckNodeUnschedulable" => Box::new(NodeUnschedulable),
        "PodToleratesNodeTaints" => Box::new(TaintToleration),
        _ => return None,
    })
}

/// A registered priority by name (the book's and today's spellings).
fn priority(name: &str) -> Option<Box<dyn Priority>> {
    Some(match name {
        "LeastRequestedPriority" => Box::new(LeastRequested),
        "MostRequestedPriority" => Box::new(MostRequested),
        "BalancedResourceAllocation" => Box::new(BalancedResourceAllocation),
        "SelectorSpreadPriority" | "ServiceSpreadingPriority" => Box::new(SelectorSpread),
        "EqualPriority" => Box::new(EqualPriority),
        _ => return None,
    })
}

/// The predicates that always run, in front of the configured ones.
fn mandatory() -> Vec<Box<dyn Predicate>> {
    vec![Box::new(NodeReady), Box::new(NodeUnschedulable), Box::new(TaintToleration)]
}

impl Algorithm {
    /// The algorithm of a named provider; an unknown name is an error.
    pub fn from_provider(name: &str) -> Result<Algorithm, PolicyError> {
        let priorities: Vec<&str> = match name {
            DEFAULT_PROVIDER => DEFAULT_PRIORITIES.to_vec(),
            CLUSTER_AUTOSCALER_PROVIDER => {
                vec![
                    "MostRequestedPriority",
                    "BalancedResourceAllocation",
                    "SelectorSpreadPriority",
                ]
            }
            other => {
                return Err(PolicyError::Invalid(format!(
                    "algorithm provider {other:?} is not registered (known: {DEFAULT_PROVIDER}, \
                     {CLUSTER_AUTOSCALER_PROVIDER})"
                )));
            }
        };
        let mut predicates = mandatory();
        predicates.extend(DEFAULT_PREDICATES.iter().filter_map(|name| predicate(name)));
        let priorities =
            priorities.iter().filter_map(|name| priority(name)).map(|p| (p, 1)).collect();
        Ok(Algorithm { predicates, priorities })
    }

    /// The algorithm a policy describes; a name that is neither registered nor given an
    /// argument is an error. Lists the policy leaves out are the default provider's.
    pub fn from_policy(policy: &Policy) -> Result<Algorithm, PolicyError> {
        let defaults = Algorithm::from_provider(DEFAULT_PROVIDER)?;
        let mut predicates = match &policy.predicates {
            None => defaults.predicates,
            Some(configured) => {
                let mut predicates = mandatory();
                for entry in configured {
                    let built: Box<dyn Predicate> = match &entry.argument {
                        Some(argument) => {
                            match (&argument.service_affinity, &argument.labels_presence) {
                                (Some(affinity), _) => Box::new(ServiceAffinity {
                                    name: entry.name.clone(),
                                    labels: affinity.labels.clone(),
                                }),
                                (None, Some(presence)) => Box::new(NodeLabelPresence {
                                    name: entry.name.clone(),
                                    labels: presence.labels.clone(),
                                    presence: presence.presence,
                                }),
                                (None, None) => unreachable!("validated by Policy::parse"),
                            }
                        }
                        None => predicate(&entry.name).ok_or_else(|| {
                            PolicyError::Invalid(format!(
                                "predicate {:?} is not registered",
                                entry.name
                            ))
                        })?,
                    };
                    predicates.push(built);
                }
                predicates
            }
        };
        // A policy naming a mandatory predicate does not run it twice.
        let mut seen = std::collections::HashSet::new();
        predicates.retain(|predicate| seen.insert(predicate.name().to_string()));
        let priorities = match &policy.priorities {
            None => defaults.priorities,
            Some(configured) => {
                let mut priorities: Vec<(Box<dyn Priority>, i64)> = Vec::new();
                for entry in configured {
                    let built: Box<dyn Priority> = match &entry.argument {
                        Some(argument) => {
                            match (&argument.service_anti_affinity, &argument.label_preference) {
                                (Some(anti), _) => Box::new(ServiceAntiAffinity {
                                    name: entry.name.clone(),
                                    label: anti.label.clone(),
                                }),
                                (None, Some(preference)) => Box::new(NodeLabelPriority {
                                    name: entry.name.clone(),
                                    label: preference.label.clone(),
                                    presence: preference.presence,
                                }),
                                (None, None) => unreachable!("validated by Policy::parse"),
                            }
                        }
                        None => priority(&entry.name).ok_or_else(|| {
                            PolicyError::Invalid(format!(
                                "priority {:?} is not registered",
                                entry.name
                            ))
                        })?,
                    };
                    priorities.push((built, entry.weight));
                }
                priorities
            }
        };
        Ok(Algorithm { predicates, priorities })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(algorithm: &Algorithm) -> (Vec<&str>, Vec<(&str, i64)>) {
        (
            algorithm.predicates.iter().map(|p| p.name()).collect(),
            algorithm.priorities.iter().map(|(p, w)| (p.name(), *w)).collect(),
        )
    }

    #[test]
    fn the_default_provider_is_the_books() {
        let algorithm = Algorithm::from_provider(DEFAULT_PROVIDER).unwrap();
        let (predicates, priorities) = names(&algorithm);
        assert_eq!(
            predicates,
            [
                "CheckNodeCondition",
                "CheckNodeUnschedulable",
                "PodToleratesNodeTaints",
                "HostName",
                "MatchNodeSelector",
                "PodFitsHostPorts",
                "PodFitsResources",
                "NoDiskConflict"
            ]
        );
        assert_eq!(
            priorities,
            [
                ("LeastRequestedPriority", 1),
                ("BalancedResourceAllocation", 1),
                ("SelectorSpreadPriority", 1)
            ]
        );
        assert!(
            Algorithm::from_provider("NoSuchProvider")
                .unwrap_err()
                .to_string()
                .contains("not registered")
        );
    }

    #[test]
    fn a_policy_builds_its_algorithm() {
        let policy = Policy::parse(
            r#"{"kind": "Policy", "apiVersion": "v1",
                "predicates": [{"name": "PodFitsPorts"}, {"name": "CheckNodeUnschedulable"},
                               {"name": "Zoned", "argument": {"labelsPresence": {"labels": ["zone"], "presence": true}}}],
                "priorities": [{"name": "EqualPriority", "weight": 2},
                               {"name": "PreferSSD", "weight": 3, "argument": {"labelPreference": {"label": "ssd", "presence": true}}}]}"#,
        )
        .unwrap();
        let algorithm = Algorithm::from_policy(&policy).unwrap();
        let (predicates, priorities) = names(&algorithm);
        assert_eq!(
            predicates,
            [
                "CheckNodeCondition",
                "CheckNodeUnschedulable",
                "PodToleratesNodeTaints",
                "PodFitsHostPorts",
                "Zoned"
            ]
        );
        assert_eq!(priorities, [("EqualPriority", 2), ("PreferSSD", 3)]);

        let defaults = Algorithm::from_policy(&Policy::parse("{}").unwrap()).unwrap();
        assert_eq!(names(&defaults), names(&Algorithm::from_provider(DEFAULT_PROVIDER).unwrap()));
        let unknown = Policy::parse(r#"{"predicates": [{"name": "NoSuchPredicate"}]}"#).unwrap();
        let error = Algorithm::from_policy(&unknown).unwrap_err().to_string();
        assert_eq!(error, "Invalid configuration: predicate \"NoSuchPredicate\" is not registered");
    }
}
