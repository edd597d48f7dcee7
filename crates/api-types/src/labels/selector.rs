//! [`Selector`]: an AND of requirements, built from the string syntax, a structured
//! `LabelSelector` or a plain key/value set, and matched against an object's labels.

use super::error::SelectorError;
use super::parser::parse;
use super::requirement::{Operator, Requirement};
use crate::go_fmt::quote;
use crate::meta::v1::LabelSelector;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A label selector: every requirement must hold. Besides ordinary selectors there are the two
/// extremes upstream distinguishes: "everything" (no requirements) and "nothing" (matches no
/// object; what a missing `LabelSelector` means).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    /// Sorted by key; always empty when `selects_nothing` is set.
    requirements: Vec<Requirement>,
    selects_nothing: bool,
}

impl Selector {
    /// The selector that matches every label set (an empty selector string, an empty
    /// `LabelSelector`).
    pub fn everything() -> Self {
        Selector::default()
    }

    /// The selector that matches no label set (a `LabelSelector` pointer that is unset).
    pub fn nothing() -> Self {
        Selector { requirements: Vec::new(), selects_nothing: true }
    }

    /// Parses the string syntax (`app=web,tier in (fe,be),!canary`) as the apiserver does for
    /// `?labelSelector=`; errors carry upstream's message text.
    pub fn parse(text: &str) -> Result<Self, SelectorError> {
        Ok(Selector { requirements: parse(text)?, selects_nothing: false })
    }

    /// ANDs the given requirements, ordered by key so the printed form is deterministic.
    pub fn from_requirements(requirements: impl IntoIterator<Item = Requirement>) -> Self {
        Selector::everything().with(requirements)
    }

    /// Adds more requirements (a controller narrowing its selector by a hash label, say).
    /// The "nothing" selector stays "nothing".
    pub fn with(mut self, requirements: impl IntoIterator<Item = Requirement>) -> Self {
        if self.selects_nothing {
            return self;
        }
        self.requirements.extend(requirements);
        self.requirements.sort_by(|left, right| left.key().cmp(right.key()));
        self
    }

    /// The selector of a ReplicationController, or of any stored `map[string]string` selector
    /// whose contents were validated with its object: `key=value` for every entry, no further
    /// checks, and an empty map selects **everything** (upstream's `SelectorFromSet` /
    /// `SelectorFromValidatedSet`). Use [`Selector::from_set_or_nothing`] where an empty map
    /// must select no objects.
    pub fn from_set(set: &BTreeMap<String, String>) -> Self {
        let requirements = set
            .iter()
            .map(|(key, value)| {
                Requirement::trusted(key.clone(), Operator::Equals, vec![value.clone()])
            })
            .collect();
        Selector { requirements, selects_nothing: false }
    }

    /// Like [`Selector::from_set`], but validates every key and value first (upstream's
    /// `ValidatedSelectorFromSet`), for sets that come from users rather than storage.
    pub fn try_from_set(set: &BTreeMap<String, String>) -> Result<Self, SelectorError> {
        let requirements = set
            .iter()
            .map(|(key, value)| {
                Requirement::new(key.clone(), Operator::Equals, vec![value.clone()])
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Selector { requirements, selects_nothing: false })
    }

    /// The selector of a Service's `spec.selector`: like [`Selector::from_set`], except that an
    /// empty map selects **nothing**. A Service without a selector targets no pods (its endpoints
    /// are managed by hand), and must not be treated as selecting every pod.
    pub fn from_set_or_nothing(set: &BTreeMap<String, String>) -> Self {
        if set.is_empty() { Selector::nothing() } else { Selector::from_set(set) }
    }

    /// Converts an optional structured selector as upstream's `LabelSelectorAsSelector` does:
    /// absent selects nothing, present but empty selects everything, otherwise `matchLabels` and
    /// `matchExpressions` are ANDed.
    pub fn from_label_selector(selector: Option<&LabelSelector>) -> Result<Self, SelectorError> {
        match selector {
            None => Ok(Selector::nothing()),
            Some(selector) => Selector::try_from(selector),
        }
    }

    /// Whether every requirement holds for these labels (never, for the "nothing" selector).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        !self.selects_nothing
            && self.requirements.iter().all(|requirement| requirement.matches(labels))
    }

    /// Whether the selector leaves the selection unrestricted (it is "everything"). The "nothing"
    /// selector is not empty: it restricts to no objects.
    pub fn is_empty(&self) -> bool {
        !self.selects_nothing && self.requirements.is_empty()
    }

    /// Whether this is the "nothing" selector, which matches no labels at all.
    pub fn selects_nothing(&self) -> bool {
        self.selects_nothing
    }

    /// The requirements, sorted by key; empty for both "everything" and "nothing".
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// The single value this selector demands for `key` (from `key=v`, `key==v` or
    /// `key in (v)`), so a caller can look objects up by that label directly. Only the first
    /// requirement on the key is consulted, as upstream does.
    pub fn requires_exact_match(&self, key: &str) -> Option<&str> {
        self.requirements
            .iter()
            .find(|requirement| requirement.key() == key)
            .and_then(Requirement::exact_value)
    }
}

/// Upstream's canonical form: requirements sorted by key, joined by `,`. Both "everything" and
/// "nothing" print as the empty string, as upstream's do.
impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, requirement) in self.requirements.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            write!(f, "{requirement}")?;
        }
        Ok(())
    }
}

impl FromStr for Selector {
    type Err = SelectorError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Selector::parse(text)
    }
}

/// A present `LabelSelector` (Deployment, ReplicaSet, DaemonSet, affinity term): empty selects
/// everything. Operators other than `In`, `NotIn`, `Exists`, `DoesNotExist` are rejected with
/// upstream's message, as are invalid keys, values and value counts.
impl TryFrom<&LabelSelector> for Selector {
    type Error = SelectorError;

    fn try_from(selector: &LabelSelector) -> Result<Self, Self::Error> {
        let mut requirements =
            Vec::with_capacity(selector.match_labels.len() + selector.match_expressions.len());
        for (key, value) in &selector.match_labels {
            requirements.push(Requirement::new(
                key.clone(),
                Operator::Equals,
                vec![value.clone()],
            )?);
        }
        for expression in &selector.match_expressions {
            let operator = match expression.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => {
                    return Err(SelectorError::new(format!(
                        "{} is not a valid pod selector operator",
                        quote(other)
                    )));
                }
            };
            requirements.push(Requirement::new(
                expression.key.clone(),
                operator,
                expression.values.clone(),
            )?);
        }
        Ok(Selector::from_requirements(requirements))
    }
}
