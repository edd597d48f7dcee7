//! One clause of a label selector (`tier in (fe,be)`): its operator, validation and matching.

use super::error::{InvalidValue, SelectorError, aggregate};
use super::syntax::{label_value_errors, qualified_name_errors};
use std::collections::BTreeMap;
use std::fmt;

/// How a requirement relates its key to its values. The variants are upstream's
/// `selection.Operator` set; `=` and `==` stay distinct so a selector prints back as it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `key=value`
    Equals,
    /// `key==value`
    DoubleEquals,
    /// `key!=value`; also true when the key is absent.
    NotEquals,
    /// `key in (a,b)`
    In,
    /// `key notin (a,b)`; also true when the key is absent.
    NotIn,
    /// `key`
    Exists,
    /// `!key`
    DoesNotExist,
    /// `key>5`, comparing integers.
    GreaterThan,
    /// `key<5`, comparing integers.
    LessThan,
}

impl Operator {
    /// Upstream's name for the operator (`in`, `notin`, `=`, `gt`, ...), used in error messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => "in",
            Operator::NotIn => "notin",
            Operator::Exists => "exists",
            Operator::DoesNotExist => "!",
            Operator::GreaterThan => "gt",
            Operator::LessThan => "lt",
        }
    }
}

/// A validated clause: the key is a qualified name, the values are label values and their count
/// suits the operator. Selectors are ANDs of these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
}

impl Requirement {
    /// Builds a requirement, checking what upstream's `NewRequirement` checks: the key, the number
    /// of values for the operator, integer values for `gt`/`lt`, and every value's syntax.
    pub fn new(
        key: impl Into<String>,
        operator: Operator,
        values: Vec<String>,
    ) -> Result<Self, SelectorError> {
        let key = key.into();
        let mut findings = Vec::new();
        let key_errors = qualified_name_errors(&key);
        if !key_errors.is_empty() {
            findings.push(InvalidValue::of_text("key", &key, key_errors.join("; ")));
        }
        check_value_count(operator, &values, &mut findings);
        for (index, value) in values.iter().enumerate() {
            let value_errors = label_value_errors(value);
            if !value_errors.is_empty() {
                findings.push(InvalidValue::of_text(
                    format!("values[{index}][{key}]"),
                    value,
                    value_errors.join("; "),
                ));
            }
        }
        match aggregate(&findings) {
            Some(error) => Err(error),
            None => Ok(Requirement { key, operator, values }),
        }
    }

    /// A requirement whose parts the caller vouches for (a stored set selector, already validated
    /// with its object), skipping the checks as upstream's pre-validated paths do.
    pub(super) fn trusted(key: String, operator: Operator, values: Vec<String>) -> Self {
        Requirement { key, operator, values }
    }

    /// The label key this clause constrains.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// How the key relates to the values.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The values, in the order given (the parser gives them sorted and without duplicates).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Whether a label set satisfies this clause. Negative operators (`!=`, `notin`, `!key`) hold
    /// when the key is absent; `gt`/`lt` need the label to be present and an integer.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let label = labels.get(&self.key).map(String::as_str);
        match self.operator {
            Operator::Equals | Operator::DoubleEquals | Operator::In => {
                label.is_some_and(|value| self.has_value(value))
            }
            Operator::NotEquals | Operator::NotIn => {
                !label.is_some_and(|value| self.has_value(value))
            }
            Operator::Exists => label.is_some(),
            Operator::DoesNotExist => label.is_none(),
            Operator::GreaterThan | Operator::LessThan => self.compares_numerically(label),
        }
    }

    /// Upstream's exact-match introspection: the single value a `=`, `==` or one-value `in` clause
    /// demands.
    pub(super) fn exact_value(&self) -> Option<&str> {
        match (self.operator, self.values.as_slice()) {
            (Operator::Equals | Operator::DoubleEquals | Operator::In, [only]) => Some(only),
            _ => None,
        }
    }

    fn has_value(&self, value: &str) -> bool {
        self.values.iter().any(|candidate| candidate == value)
    }

    fn compares_numerically(&self, label: Option<&str>) -> bool {
        let Some(actual) = label.and_then(|text| text.parse::<i64>().ok()) else {
            return false;
        };
        let [bound] = self.values.as_slice() else {
            return false;
        };
        let Ok(bound) = bound.parse::<i64>() else {
            return false;
        };
        match self.operator {
            Operator::GreaterThan => actual > bound,
            _ => actual < bound,
        }
    }
}

/// Adds upstream's complaints about how many values an operator got (and, for `gt`/`lt`, whether
/// they are integers).
fn check_value_count(operator: Operator, values: &[String], findings: &mut Vec<InvalidValue>) {
    match operator {
        Operator::In | Operator::NotIn if values.is_empty() => {
            findings.push(InvalidValue::of_list(
                "values",
                values,
                "for 'in', 'notin' operators, values set can't be empty",
            ));
        }
        Operator::Equals | Operator::DoubleEquals | Operator::NotEquals if values.len() != 1 => {
            findings.push(InvalidValue::of_list(
                "values",
                values,
                "exact-match compatibility requires one single value",
            ));
        }
        Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
            findings.push(InvalidValue::of_list(
                "values",
                values,
                "values set must be empty for exists and does not exist",
            ));
        }
        Operator::GreaterThan | Operator::LessThan => {
            if values.len() != 1 {
                findings.push(InvalidValue::of_list(
                    "values",
                    values,
                    "for 'Gt', 'Lt' operators, exactly one value is required",
                ));
            }
            for (index, value) in values.iter().enumerate() {
                if value.parse::<i64>().is_err() {
                    findings.push(InvalidValue::of_text(
                        format!("values[{index}]"),
                        value,
                        "for 'Gt', 'Lt' operators, the value must be an integer",
                    ));
                }
            }
        }
        _ => {}
    }
}

/// Upstream's canonical text: `!key`, `key`, `key=v`, `key in (a,b)` with multiple values sorted.
/// The result parses back to an equivalent requirement.
impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (before, after) = match self.operator {
            Operator::Exists => return f.write_str(&self.key),
            Operator::DoesNotExist => return write!(f, "!{}", self.key),
            Operator::Equals => ("=", ""),
            Operator::DoubleEquals => ("==", ""),
            Operator::NotEquals => ("!=", ""),
            Operator::GreaterThan => (">", ""),
            Operator::LessThan => ("<", ""),
            Operator::In => (" in (", ")"),
            Operator::NotIn => (" notin (", ")"),
        };
        let mut values: Vec<&str> = self.values.iter().map(String::as_str).collect();
        values.sort_unstable();
        write!(f, "{}{before}{}{after}", self.key, values.join(","))
    }
}
