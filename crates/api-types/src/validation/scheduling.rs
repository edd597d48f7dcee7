//! Where a pod may run: node selectors and node affinity (also used by PersistentVolumes), pod
//! affinity and anti-affinity, and tolerations. The scheduler evaluates these on every placement,
//! so a malformed term must be refused before it is stored rather than silently match nothing.

use super::common::{invalid_each, validate_qualified_name};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::label_selector::validate_label_selector;
use super::names::{name_is_dns_label, name_is_dns_subdomain};
use crate::api::core::v1::{
    Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm,
    PodAffinityTerm, PreferredSchedulingTerm, Toleration, TopologySpreadConstraint,
    WeightedPodAffinityTerm,
};
use crate::labels::label_value_errors;
use crate::meta::v1::LabelSelector;
use std::collections::{BTreeMap, BTreeSet};

const WEIGHT_RULE: &str = "must be in the range 1-100";
const TAINT_EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
const UNSATISFIABLE_ACTIONS: [&str; 2] = ["DoNotSchedule", "ScheduleAnyway"];
const NODE_INCLUSION_POLICIES: [&str; 2] = ["Honor", "Ignore"];
const NOT_POSITIVE: &str = "must be greater than zero";
const NO_SELECTOR_FOR_KEYS: &str = "must not be specified when labelSelector is not set";

/// A required node selector: at least one term, each term's requirements well formed.
pub(crate) fn validate_node_selector(selector: &NodeSelector, path: &FieldPath) -> ErrorList {
    let terms_path = path.child("nodeSelectorTerms");
    if selector.node_selector_terms.is_empty() {
        return FieldError::required(&terms_path, "must have at least one node selector term")
            .into();
    }
    selector
        .node_selector_terms
        .iter()
        .enumerate()
        .flat_map(|(index, term)| validate_node_selector_term(term, true, &terms_path.index(index)))
        .collect()
}

/// One term; `check_values` is off for preferred terms, whose values may be any string.
fn validate_node_selector_term(
    term: &NodeSelectorTerm,
    check_values: bool,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let expressions_path = path.child("matchExpressions");
    for (index, requirement) in term.match_expressions.iter().enumerate() {
        errors.append(validate_node_label_requirement(
            requirement,
            check_values,
            &expressions_path.index(index),
        ));
    }
    let fields_path = path.child("matchFields");
    for (index, requirement) in term.match_fields.iter().enumerate() {
        errors.append(validate_node_field_requirement(requirement, &fields_path.index(index)));
    }
    errors
}

fn validate_node_label_requirement(
    requirement: &NodeSelectorRequirement,
    check_values: bool,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let values_path = path.child("values");
    let count = requirement.values.len();
    match requirement.operator.as_str() {
        "In" | "NotIn" if count == 0 => errors.push(FieldError::required(
            &values_path,
            "must be specified when `operator` is 'In' or 'NotIn'",
        )),
        "Exists" | "DoesNotExist" if count > 0 => errors.push(FieldError::forbidden(
            &values_path,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        )),
        "Gt" | "Lt" if count != 1 => errors.push(FieldError::required(
            &values_path,
            "must be specified single value when `operator` is 'Lt' or 'Gt'",
        )),
        "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" => {}
        _ => errors.push(FieldError::invalid(
            &path.child("operator"),
            &requirement.operator,
            "not a valid selector operator",
        )),
    }
    errors.append(validate_qualified_name(&requirement.key, &path.child("key")));
    if check_values {
        for (index, value) in requirement.values.iter().enumerate() {
            errors.append(invalid_each(
                &values_path.index(index),
                value,
                label_value_errors(value),
            ));
        }
    }
    errors
}

/// Node fields can only be selected by name (`metadata.name`), one value at a time.
fn validate_node_field_requirement(
    requirement: &NodeSelectorRequirement,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    match requirement.operator.as_str() {
        "In" | "NotIn" => {
            if requirement.values.len() != 1 {
                errors.push(FieldError::required(
                    &path.child("values"),
                    "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                ));
            }
        }
        _ => errors.push(FieldError::invalid(
            &path.child("operator"),
            &requirement.operator,
            "not a valid selector operator",
        )),
    }
    if requirement.key == "metadata.name" {
        let values_path = path.child("values");
        for (index, value) in requirement.values.iter().enumerate() {
            errors.append(invalid_each(
                &values_path.index(index),
                value,
                name_is_dns_subdomain(value, false),
            ));
        }
    } else {
        errors.push(FieldError::invalid(
            &path.child("key"),
            &requirement.key,
            "not a valid field selector key",
        ));
    }
    errors
}

/// A pod's node affinity and pod (anti-)affinity.
pub(crate) fn validate_affinity(affinity: Option<&Affinity>, path: &FieldPath) -> ErrorList {
    let Some(affinity) = affinity else {
        return ErrorList::new();
    };
    let mut errors = ErrorList::new();
    if let Some(node_affinity) = &affinity.node_affinity {
        errors.append(validate_node_affinity(node_affinity, &path.child("nodeAffinity")));
    }
    let pod_affinities = [
        (
            "podAffinity",
            affinity.pod_affinity.as_ref().map(|a| {
                (
                    &a.required_during_scheduling_ignored_during_execution,
                    &a.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
        (
            "podAntiAffinity",
            affinity.pod_anti_affinity.as_ref().map(|a| {
                (
                    &a.required_during_scheduling_ignored_during_execution,
                    &a.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
    ];
    for (field, terms) in pod_affinities {
        if let Some((required, preferred)) = terms {
            let affinity_path = path.child(field);
            errors.append(validate_pod_affinity_terms(
                required,
                &affinity_path.child("requiredDuringSchedulingIgnoredDuringExecution"),
            ));
            errors.append(validate_weighted_pod_affinity_terms(
                preferred,
                &affinity_path.child("preferredDuringSchedulingIgnoredDuringExecution"),
            ));
        }
    }
    errors
}

fn validate_node_affinity(affinity: &NodeAffinity, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    if let Some(selector) = &affinity.required_during_scheduling_ignored_during_execution {
        errors.append(validate_node_selector(
            selector,
            &path.child("requiredDuringSchedulingIgnoredDuringExecution"),
        ));
    }
    errors.append(validate_preferred_terms(
        &affinity.preferred_during_scheduling_ignored_during_execution,
        &path.child("preferredDuringSchedulingIgnoredDuringExecution"),
    ));
    errors
}

fn validate_weight(weight: i32, path: &FieldPath) -> ErrorList {
    if (1..=100).contains(&weight) {
        ErrorList::new()
    } else {
        FieldError::invalid(path, weight, WEIGHT_RULE).into()
    }
}

fn validate_preferred_terms(terms: &[PreferredSchedulingTerm], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    for (index, term) in terms.iter().enumerate() {
        let term_path = path.index(index);
        errors.append(validate_weight(term.weight, &term_path.child("weight")));
        errors.append(validate_node_selector_term(
            &term.preference,
            false,
            &term_path.child("preference"),
        ));
    }
    errors
}

fn validate_pod_affinity_terms(terms: &[PodAffinityTerm], path: &FieldPath) -> ErrorList {
    terms
        .iter()
        .enumerate()
        .flat_map(|(index, term)| validate_pod_affinity_term(term, &path.index(index)))
        .collect()
}

fn validate_weighted_pod_affinity_terms(
    terms: &[WeightedPodAffinityTerm],
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    for (index, term) in terms.iter().enumerate() {
        let term_path = path.index(index);
        errors.append(validate_weight(term.weight, &term_path.child("weight")));
        errors.append(validate_pod_affinity_term(
            &term.pod_affinity_term,
            &term_path.child("podAffinityTerm"),
        ));
    }
    errors
}

/// Which pods (selectors, namespaces) and what counts as "the same place" (`topologyKey`, a
/// node label key, required). Namespace findings are reported at `namespace`, as upstream does.
fn validate_pod_affinity_term(term: &PodAffinityTerm, path: &FieldPath) -> ErrorList {
    let mut errors =
        validate_label_selector(term.label_selector.as_ref(), &path.child("labelSelector"));
    errors.append(validate_label_selector(
        term.namespace_selector.as_ref(),
        &path.child("namespaceSelector"),
    ));
    for namespace in &term.namespaces {
        errors.append(invalid_each(
            &path.child("namespace"),
            namespace,
            name_is_dns_label(namespace, false),
        ));
    }
    errors.append(validate_match_label_keys(term, path));
    let key_path = path.child("topologyKey");
    if term.topology_key.is_empty() {
        errors.push(FieldError::required(&key_path, "can not be empty"));
    }
    errors.append(validate_qualified_name(&term.topology_key, &key_path));
    errors
}

/// `matchLabelKeys` and `mismatchLabelKeys` add selector terms from the incoming pod's labels:
/// they need a label selector, must be label keys, and a key may not be used both ways nor
/// already be matched by the selector. (Upstream reports a key matched by the selector at the
/// term's index path.)
fn validate_match_label_keys(term: &PodAffinityTerm, path: &FieldPath) -> ErrorList {
    let selector = term.label_selector.as_ref();
    let mut errors =
        validate_label_keys(&term.match_label_keys, selector, &path.child("matchLabelKeys"));
    errors.append(validate_label_keys(
        &term.mismatch_label_keys,
        selector,
        &path.child("mismatchLabelKeys"),
    ));
    if let Some(selector) = selector {
        let positions: BTreeMap<&str, usize> = term
            .match_label_keys
            .iter()
            .enumerate()
            .map(|(index, key)| (key.as_str(), index))
            .collect();
        let mut selected: BTreeSet<&str> =
            selector.match_labels.keys().map(String::as_str).collect();
        for expression in &selector.match_expressions {
            let key = expression.key.as_str();
            if let Some(index) = positions.get(key)
                && selected.contains(key)
            {
                errors.push(FieldError::invalid(
                    &path.index(*index),
                    key,
                    "exists in both matchLabelKeys and labelSelector",
                ));
            }
            selected.insert(key);
        }
    }
    let mismatched: BTreeSet<&String> = term.mismatch_label_keys.iter().collect();
    let keys_path = path.child("matchLabelKeys");
    for (index, key) in term.match_label_keys.iter().enumerate() {
        if mismatched.contains(key) {
            errors.push(FieldError::invalid(
                &keys_path.index(index),
                key,
                "exists in both matchLabelKeys and mismatchLabelKeys",
            ));
        }
    }
    errors
}

fn validate_label_keys(
    keys: &[String],
    selector: Option<&LabelSelector>,
    path: &FieldPath,
) -> ErrorList {
    if keys.is_empty() {
        return ErrorList::new();
    }
    if selector.is_none() {
        return FieldError::forbidden(path, NO_SELECTOR_FOR_KEYS).into();
    }
    keys.iter()
        .enumerate()
        .flat_map(|(index, key)| validate_qualified_name(key, &path.index(index)))
        .collect()
}

/// Topology spread constraints: a positive skew over a named topology, a known action, one
/// constraint per (key, action) pair, `minDomains` only for `DoNotSchedule`, known node
/// inclusion policies, and valid selectors and match keys.
pub(crate) fn validate_topology_spread_constraints(
    constraints: &[TopologySpreadConstraint],
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    for (index, constraint) in constraints.iter().enumerate() {
        let constraint_path = path.index(index);
        if constraint.max_skew <= 0 {
            errors.push(FieldError::invalid(
                &constraint_path.child("maxSkew"),
                constraint.max_skew,
                NOT_POSITIVE,
            ));
        }
        if constraint.topology_key.is_empty() {
            errors.push(FieldError::required(
                &constraint_path.child("topologyKey"),
                "can not be empty",
            ));
        }
        let action = constraint.when_unsatisfiable.as_str();
        if !UNSATISFIABLE_ACTIONS.contains(&action) {
            errors.push(FieldError::not_supported(
                &constraint_path.child("whenUnsatisfiable"),
                action,
                &UNSATISFIABLE_ACTIONS,
            ));
        }
        let repeated = constraints[index + 1..].iter().any(|later| {
            later.topology_key == constraint.topology_key && later.when_unsatisfiable == action
        });
        if repeated {
            errors.push(FieldError::duplicate(
                &constraint_path.child("{topologyKey, whenUnsatisfiable}"),
                format!("{{{}, {}}}", constraint.topology_key, action),
            ));
        }
        if let Some(domains) = constraint.min_domains {
            let domains_path = constraint_path.child("minDomains");
            if domains <= 0 {
                errors.push(FieldError::invalid(&domains_path, domains, NOT_POSITIVE));
            }
            if action != "DoNotSchedule" {
                errors.push(FieldError::invalid(
                    &domains_path,
                    domains,
                    format!(
                        "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"
                    ),
                ));
            }
        }
        for (field, policy) in [
            ("nodeAffinityPolicy", &constraint.node_affinity_policy),
            ("nodeTaintsPolicy", &constraint.node_taints_policy),
        ] {
            if let Some(policy) = policy
                && !NODE_INCLUSION_POLICIES.contains(&policy.as_str())
            {
                errors.push(FieldError::not_supported(
                    &constraint_path.child(field),
                    policy,
                    &NODE_INCLUSION_POLICIES,
                ));
            }
        }
        errors.append(validate_spread_match_label_keys(
            constraint,
            &constraint_path.child("matchLabelKeys"),
        ));
        errors.append(validate_label_selector(
            constraint.label_selector.as_ref(),
            &constraint_path.child("labelSelector"),
        ));
    }
    errors
}

fn validate_spread_match_label_keys(
    constraint: &TopologySpreadConstraint,
    path: &FieldPath,
) -> ErrorList {
    if constraint.match_label_keys.is_empty() {
        return ErrorList::new();
    }
    let mut errors = ErrorList::new();
    let selected: BTreeSet<&str> = match &constraint.label_selector {
        Some(selector) => selector
            .match_labels
            .keys()
            .map(String::as_str)
            .chain(selector.match_expressions.iter().map(|expression| expression.key.as_str()))
            .collect(),
        None => {
            errors.push(FieldError::forbidden(path, NO_SELECTOR_FOR_KEYS));
            BTreeSet::new()
        }
    };
    for (index, key) in constraint.match_label_keys.iter().enumerate() {
        let key_path = path.index(index);
        errors.append(validate_qualified_name(key, &key_path));
        if selected.contains(key.as_str()) {
            errors.push(FieldError::invalid(
                &key_path,
                key,
                "exists in both matchLabelKeys and labelSelector",
            ));
        }
    }
    errors
}

/// Tolerations: keys are label keys, an empty key only with `Exists`, values only with `Equal`,
/// `tolerationSeconds` only for `NoExecute`, known operators and effects.
pub(crate) fn validate_tolerations(tolerations: &[Toleration], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    for (index, toleration) in tolerations.iter().enumerate() {
        let entry_path = path.index(index);
        let operator_path = entry_path.child("operator");
        let effect_path = entry_path.child("effect");
        if !toleration.key.is_empty() {
            errors.append(validate_qualified_name(&toleration.key, &entry_path.child("key")));
        }
        if toleration.key.is_empty() && toleration.operator != "Exists" {
            errors.push(FieldError::invalid(
                &operator_path,
                &toleration.operator,
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if toleration.toleration_seconds.is_some() && toleration.effect != "NoExecute" {
            errors.push(FieldError::invalid(
                &effect_path,
                &toleration.effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match toleration.operator.as_str() {
            "Equal" | "" => {
                let problems = label_value_errors(&toleration.value);
                if !problems.is_empty() {
                    errors.push(FieldError::invalid(
                        &operator_path,
                        &toleration.value,
                        problems.join(";"),
                    ));
                }
            }
            "Exists" => {
                if !toleration.value.is_empty() {
                    errors.push(FieldError::invalid(
                        &operator_path,
                        &toleration.value,
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            other => {
                errors.push(FieldError::not_supported(&operator_path, other, &["Equal", "Exists"]))
            }
        }
        if !toleration.effect.is_empty() && !TAINT_EFFECTS.contains(&toleration.effect.as_str()) {
            errors.push(FieldError::not_supported(
                &effect_path,
                &toleration.effect,
                &TAINT_EFFECTS,
            ));
        }
    }
    errors
}

/// On a pod update tolerations may only be added (an existing one may change its
/// `tolerationSeconds`); the new list must still be valid.
pub(crate) fn validate_only_added_tolerations(
    new: &[Toleration],
    old: &[Toleration],
    path: &FieldPath,
) -> ErrorList {
    for existing in old {
        let kept = new.iter().any(|candidate| {
            let mut adjusted = existing.clone();
            adjusted.toleration_seconds = candidate.toleration_seconds;
            adjusted == *candidate
        });
        if !kept {
            return FieldError::forbidden(
                path,
                "existing toleration can not be modified except its tolerationSeconds",
            )
            .into();
        }
    }
    validate_tolerations(new, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::{PodAffinity, PodAntiAffinity};
    use crate::validation::ErrorType;

    fn affinity_path() -> FieldPath {
        FieldPath::new("spec").child("affinity")
    }

    fn requirement(key: &str, operator: &str, values: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement {
            key: key.into(),
            operator: operator.into(),
            values: values.iter().map(|value| value.to_string()).collect(),
        }
    }

    fn required_node_affinity(terms: Vec<NodeSelectorTerm>) -> Affinity {
        Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: terms,
                }),
                preferred_during_scheduling_ignored_during_execution: Vec::new(),
            }),
            ..Default::default()
        }
    }

    fn toleration(key: &str, operator: &str, value: &str, effect: &str) -> Toleration {
        Toleration {
            key: key.into(),
            operator: operator.into(),
            value: value.into(),
            effect: effect.into(),
            toleration_seconds: None,
        }
    }

    #[test]
    fn node_selector_needs_terms() {
        let errors = validate_affinity(Some(&required_node_affinity(Vec::new())), &affinity_path());
        assert_eq!(
            errors[0].to_string(),
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term"
        );
    }

    #[test]
    fn node_selector_operators() {
        let term = NodeSelectorTerm {
            match_expressions: vec![
                requirement("zone", "In", &[]),
                requirement("zone", "Exists", &["a"]),
                requirement("cpus", "Gt", &["1", "2"]),
                requirement("zone", "Near", &[]),
            ],
            match_fields: vec![requirement("metadata.uid", "In", &["x"])],
        };
        let errors = validate_affinity(Some(&required_node_affinity(vec![term])), &affinity_path());
        let base = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]";
        let fields: Vec<String> =
            errors.iter().map(|error| error.field.replace(base, "")).collect();
        assert_eq!(
            fields,
            [
                ".matchExpressions[0].values",
                ".matchExpressions[1].values",
                ".matchExpressions[2].values",
                ".matchExpressions[3].operator",
                ".matchFields[0].key",
            ]
        );
        let kinds: Vec<ErrorType> = errors.iter().map(|error| error.kind).collect();
        assert_eq!(
            kinds,
            [
                ErrorType::Required,
                ErrorType::Forbidden,
                ErrorType::Required,
                ErrorType::Invalid,
                ErrorType::Invalid,
            ]
        );
    }

    #[test]
    fn preferred_terms_need_weights_but_allow_any_value() {
        let affinity = Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: None,
                preferred_during_scheduling_ignored_during_execution: vec![
                    PreferredSchedulingTerm {
                        weight: 0,
                        preference: NodeSelectorTerm {
                            match_expressions: vec![requirement("zone", "In", &["not a label"])],
                            match_fields: Vec::new(),
                        },
                    },
                ],
            }),
            ..Default::default()
        };
        let errors = validate_affinity(Some(&affinity), &affinity_path());
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100"
        );
    }

    #[test]
    fn pod_affinity_terms_need_a_topology_key() {
        let affinity = Affinity {
            pod_affinity: Some(PodAffinity {
                required_during_scheduling_ignored_during_execution: vec![PodAffinityTerm {
                    namespaces: vec!["Bad".into()],
                    ..Default::default()
                }],
                preferred_during_scheduling_ignored_during_execution: Vec::new(),
            }),
            pod_anti_affinity: Some(PodAntiAffinity {
                required_during_scheduling_ignored_during_execution: Vec::new(),
                preferred_during_scheduling_ignored_during_execution: vec![
                    WeightedPodAffinityTerm {
                        weight: 101,
                        pod_affinity_term: PodAffinityTerm {
                            topology_key: "kubernetes.io/hostname".into(),
                            ..Default::default()
                        },
                    },
                ],
            }),
            ..Default::default()
        };
        let errors = validate_affinity(Some(&affinity), &affinity_path());
        let required =
            "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";
        assert_eq!(errors[0].field, format!("{required}.namespace"));
        assert_eq!(
            errors[1].to_string(),
            format!("{required}.topologyKey: Required value: can not be empty")
        );
        let last = errors.last().map(|error| error.field.as_str());
        assert_eq!(
            last,
            Some(
                "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight"
            )
        );
    }

    #[test]
    fn match_label_keys_need_a_selector_and_distinct_keys() {
        let term = PodAffinityTerm {
            topology_key: "kubernetes.io/hostname".into(),
            match_label_keys: vec!["app".into()],
            mismatch_label_keys: vec!["app".into()],
            ..Default::default()
        };
        let affinity = Affinity {
            pod_affinity: Some(PodAffinity {
                required_during_scheduling_ignored_during_execution: vec![term],
                preferred_during_scheduling_ignored_during_execution: Vec::new(),
            }),
            ..Default::default()
        };
        let errors = validate_affinity(Some(&affinity), &affinity_path());
        let base = "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";
        let rendered: Vec<String> = errors
            .iter()
            .map(|error| format!("{} {}", error.field.replace(base, ""), error.detail))
            .collect();
        assert_eq!(
            rendered,
            [
                ".matchLabelKeys must not be specified when labelSelector is not set",
                ".mismatchLabelKeys must not be specified when labelSelector is not set",
                ".matchLabelKeys[0] exists in both matchLabelKeys and mismatchLabelKeys",
            ]
        );
    }

    #[test]
    fn topology_spread_constraints() {
        let path = FieldPath::new("spec").child("topologySpreadConstraints");
        let constraint = TopologySpreadConstraint {
            max_skew: 0,
            topology_key: "zone".into(),
            when_unsatisfiable: "ScheduleAnyway".into(),
            min_domains: Some(2),
            node_affinity_policy: Some("Maybe".into()),
            match_label_keys: vec!["pod-template-hash".into()],
            ..Default::default()
        };
        let errors = validate_topology_spread_constraints(&[constraint.clone(), constraint], &path);
        let rendered: Vec<String> = errors.iter().take(5).map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
                r#"spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, ScheduleAnyway}""#,
                "spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway",
                r#"spec.topologySpreadConstraints[0].nodeAffinityPolicy: Unsupported value: "Maybe": supported values: "Honor", "Ignore""#,
                "spec.topologySpreadConstraints[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set",
            ]
        );
        let missing = TopologySpreadConstraint {
            max_skew: 1,
            when_unsatisfiable: "Sometimes".into(),
            ..Default::default()
        };
        let errors = validate_topology_spread_constraints(&[missing], &path);
        assert_eq!(errors[0].field, "spec.topologySpreadConstraints[0].topologyKey");
        assert_eq!(errors[1].kind, ErrorType::NotSupported);
    }

    #[test]
    fn toleration_rules() {
        let path = FieldPath::new("spec").child("tolerations");
        let valid = [
            toleration("dedicated", "Equal", "gpu", "NoSchedule"),
            toleration("", "Exists", "", ""),
        ];
        assert!(validate_tolerations(&valid, &path).is_empty());
        let mut timed = toleration("node.kubernetes.io/unreachable", "Exists", "", "NoSchedule");
        timed.toleration_seconds = Some(300);
        let invalid = [
            toleration("", "Equal", "x", ""),
            toleration("dedicated", "Exists", "gpu", ""),
            toleration("dedicated", "Like", "", "Sometimes"),
            timed,
        ];
        let errors = validate_tolerations(&invalid, &path);
        let rendered: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                r#"spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys""#,
                r#"spec.tolerations[1].operator: Invalid value: "gpu": value must be empty when `operator` is 'Exists'"#,
                r#"spec.tolerations[2].operator: Unsupported value: "Like": supported values: "Equal", "Exists""#,
                r#"spec.tolerations[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute""#,
                r#"spec.tolerations[3].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when `tolerationSeconds` is set"#,
            ]
        );
    }

    #[test]
    fn tolerations_may_only_be_added() {
        let path = FieldPath::new("spec").child("tolerations");
        let mut old = toleration("node.kubernetes.io/not-ready", "Exists", "", "NoExecute");
        old.toleration_seconds = Some(300);
        let mut shortened = old.clone();
        shortened.toleration_seconds = Some(60);
        let added = toleration("dedicated", "Equal", "gpu", "NoSchedule");
        assert!(
            validate_only_added_tolerations(&[shortened, added], std::slice::from_ref(&old), &path)
                .is_empty()
        );
        let errors = validate_only_added_tolerations(&[], &[old], &path);
        assert_eq!(
            errors[0].to_string(),
            "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"
        );
    }
}
