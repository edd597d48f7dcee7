//! Rolling-update budgets (`maxSurge`, `maxUnavailable`): a non-negative count or a percentage
//! string such as `25%`.

use super::common::validate_nonnegative;
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::names::percent_errors;
use crate::intstr::IntOrString;

/// A count that is not negative, or a well-formed percentage.
pub(crate) fn validate_positive_int_or_percent(value: &IntOrString, path: &FieldPath) -> ErrorList {
    match value {
        IntOrString::String(text) => percent_errors(text)
            .into_iter()
            .map(|message| FieldError::invalid(path, value, message))
            .collect(),
        IntOrString::Int(count) => validate_nonnegative(i64::from(*count), path),
    }
}

/// The number of a valid percentage string (`25%` is 25).
fn percent_value(value: &IntOrString) -> Option<i64> {
    match value {
        IntOrString::String(text) if percent_errors(text).is_empty() => {
            text.trim_end_matches('%').parse().ok()
        }
        _ => None,
    }
}

/// The amount a budget stands for, percentage or count: what upstream compares with zero. A
/// string that is no percentage counts as the integer it spells, or 0.
pub(crate) fn int_or_percent_value(value: &IntOrString) -> i64 {
    match (percent_value(value), value) {
        (Some(percent), _) => percent,
        (None, IntOrString::Int(count)) => i64::from(*count),
        (None, IntOrString::String(text)) => text.parse().unwrap_or(0),
    }
}

/// A percentage may not exceed 100%.
pub(crate) fn validate_not_more_than_100_percent(
    value: &IntOrString,
    path: &FieldPath,
) -> ErrorList {
    match percent_value(value) {
        Some(percent) if percent > 100 => {
            FieldError::invalid(path, value, "must not be greater than 100%").into()
        }
        _ => ErrorList::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> FieldPath {
        FieldPath::new("spec").child("strategy").child("rollingUpdate").child("maxSurge")
    }

    #[test]
    fn counts_and_percentages() {
        assert!(validate_positive_int_or_percent(&IntOrString::Int(1), &path()).is_empty());
        assert!(validate_positive_int_or_percent(&IntOrString::from("25%"), &path()).is_empty());
        assert_eq!(
            validate_positive_int_or_percent(&IntOrString::Int(-1), &path())[0].to_string(),
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(
            validate_positive_int_or_percent(&IntOrString::from("25"), &path())[0].to_string(),
            r#"spec.strategy.rollingUpdate.maxSurge: Invalid value: "25": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"#
        );
    }

    #[test]
    fn values_and_the_hundred_percent_cap() {
        assert_eq!(int_or_percent_value(&IntOrString::from("30%")), 30);
        assert_eq!(int_or_percent_value(&IntOrString::Int(2)), 2);
        assert_eq!(int_or_percent_value(&IntOrString::from("x")), 0);
        assert!(validate_not_more_than_100_percent(&IntOrString::from("100%"), &path()).is_empty());
        assert_eq!(
            validate_not_more_than_100_percent(&IntOrString::from("101%"), &path())[0].detail,
            "must not be greater than 100%"
        );
    }
}
