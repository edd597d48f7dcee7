//! The structured `LabelSelector` of workloads, PVCs and pod affinity terms, checked field by field
//! so each problem points at its own `matchLabels`/`matchExpressions[i]` path, as upstream's
//! `ValidateLabelSelector` does. (Turning a valid selector into a matcher is
//! [`crate::labels::Selector`]'s job.)

use super::common::{invalid_each, validate_labels, validate_qualified_name};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use crate::labels::label_value_errors;
use crate::meta::v1::{LabelSelector, LabelSelectorRequirement};

/// An absent selector is not an error here; callers that require one say so themselves.
pub(crate) fn validate_label_selector(
    selector: Option<&LabelSelector>,
    path: &FieldPath,
) -> ErrorList {
    let Some(selector) = selector else {
        return ErrorList::new();
    };
    let mut errors = validate_labels(&selector.match_labels, &path.child("matchLabels"));
    let expressions = path.child("matchExpressions");
    for (index, requirement) in selector.match_expressions.iter().enumerate() {
        errors.append(validate_requirement(requirement, &expressions.index(index)));
    }
    errors
}

/// Whether a selector restricts nothing: present but with neither labels nor expressions.
pub(crate) fn is_empty_selector(selector: &LabelSelector) -> bool {
    selector.match_labels.is_empty() && selector.match_expressions.is_empty()
}

fn validate_requirement(requirement: &LabelSelectorRequirement, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let values_path = path.child("values");
    match requirement.operator.as_str() {
        "In" | "NotIn" => {
            if requirement.values.is_empty() {
                errors.push(FieldError::required(
                    &values_path,
                    "must be specified when `operator` is 'In' or 'NotIn'",
                ));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !requirement.values.is_empty() {
                errors.push(FieldError::forbidden(
                    &values_path,
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ));
            }
        }
        _ => errors.push(FieldError::invalid(
            &path.child("operator"),
            &requirement.operator,
            "not a valid selector operator",
        )),
    }
    errors.append(validate_qualified_name(&requirement.key, &path.child("key")));
    for (index, value) in requirement.values.iter().enumerate() {
        errors.append(invalid_each(&values_path.index(index), value, label_value_errors(value)));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::ErrorType;
    use std::collections::BTreeMap;

    fn selector_path() -> FieldPath {
        FieldPath::new("spec").child("selector")
    }

    fn requirement(key: &str, operator: &str, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator: operator.into(),
            values: values.iter().map(|value| value.to_string()).collect(),
        }
    }

    fn with_expression(requirement: LabelSelectorRequirement) -> LabelSelector {
        LabelSelector { match_labels: BTreeMap::new(), match_expressions: vec![requirement] }
    }

    #[test]
    fn valid_and_absent_selectors_pass() {
        let selector = LabelSelector {
            match_labels: BTreeMap::from([("app".into(), "web".into())]),
            match_expressions: vec![requirement("tier", "In", &["fe", "be"])],
        };
        assert!(validate_label_selector(Some(&selector), &selector_path()).is_empty());
        assert!(validate_label_selector(None, &selector_path()).is_empty());
    }

    #[test]
    fn in_needs_values() {
        let selector = with_expression(requirement("tier", "NotIn", &[]));
        let errors = validate_label_selector(Some(&selector), &selector_path());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "spec.selector.matchExpressions[0].values");
        assert_eq!(errors[0].kind, ErrorType::Required);
        assert_eq!(errors[0].detail, "must be specified when `operator` is 'In' or 'NotIn'");
    }

    #[test]
    fn exists_forbids_values() {
        let selector = with_expression(requirement("tier", "Exists", &["x"]));
        let errors = validate_label_selector(Some(&selector), &selector_path());
        assert_eq!(errors[0].kind, ErrorType::Forbidden);
        assert_eq!(errors[0].field, "spec.selector.matchExpressions[0].values");
    }

    #[test]
    fn unknown_operator_bad_key_and_bad_value() {
        let selector = with_expression(requirement("bad key", "Equals", &["-x-"]));
        let errors = validate_label_selector(Some(&selector), &selector_path());
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spec.selector.matchExpressions[0].operator",
                "spec.selector.matchExpressions[0].key",
                "spec.selector.matchExpressions[0].values[0]",
            ]
        );
        assert_eq!(
            errors[0].to_string(),
            r#"spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator"#
        );
    }

    #[test]
    fn match_labels_report_at_the_map() {
        let selector = LabelSelector {
            match_labels: BTreeMap::from([("app".into(), "not valid".into())]),
            match_expressions: Vec::new(),
        };
        let errors = validate_label_selector(Some(&selector), &selector_path());
        assert_eq!(errors[0].field, "spec.selector.matchLabels");
        assert!(is_empty_selector(&LabelSelector::default()));
        assert!(!is_empty_selector(&selector));
    }
}
