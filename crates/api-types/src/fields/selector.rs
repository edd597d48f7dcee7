//! [`FieldSelector`]: `metadata.name=web,status.phase!=Running`, parsed as the apiserver parses
//! `?fieldSelector=` and matched against the field values a resource exposes.

use super::error::FieldSelectorError;
use super::escape::{escape_value, unescape_value};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The two comparisons field selectors support; `==` is read as [`FieldOperator::Equals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldOperator {
    /// `field=value` or `field==value`
    Equals,
    /// `field!=value`
    NotEquals,
}

/// One term of a field selector, with the value already unescaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRequirement {
    pub field: String,
    pub operator: FieldOperator,
    pub value: String,
}

impl FieldRequirement {
    /// Whether the object's value for the field satisfies the term; a field the object does not
    /// expose counts as the empty string.
    pub fn matches(&self, actual: Option<&str>) -> bool {
        let equal = actual.unwrap_or("") == self.value;
        match self.operator {
            FieldOperator::Equals => equal,
            FieldOperator::NotEquals => !equal,
        }
    }
}

/// `field=value` or `field!=value`, with the value escaped so the text parses back.
impl fmt::Display for FieldRequirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operator = match self.operator {
            FieldOperator::Equals => "=",
            FieldOperator::NotEquals => "!=",
        };
        write!(f, "{}{operator}{}", self.field, escape_value(&self.value))
    }
}

/// An AND of field terms. The empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSelector {
    requirements: Vec<FieldRequirement>,
}

impl FieldSelector {
    /// The selector that matches every object (an empty `?fieldSelector=`).
    pub fn everything() -> Self {
        FieldSelector::default()
    }

    /// Parses `a=b,c!=d` with upstream's rules: terms split at unescaped commas and sorted, empty
    /// terms skipped (a term with an empty field, like `=`, is kept: the caller refuses or drops
    /// it), each split at its first `!=`, `==` or `=`, values unescaped. Field names are
    /// not checked here; which fields a resource supports is the caller's business (see
    /// [`FieldSelector::transform`]). Whitespace is not trimmed: it is part of names and values.
    pub fn parse(text: &str) -> Result<Self, FieldSelectorError> {
        let mut terms = split_terms(text);
        terms.sort_unstable();
        let mut requirements = Vec::with_capacity(terms.len());
        for term in terms.into_iter().filter(|term| !term.is_empty()) {
            let Some((field, operator, escaped)) = split_term(term) else {
                return Err(FieldSelectorError::UnknownTerm {
                    selector: text.to_string(),
                    term: term.to_string(),
                });
            };
            let value = unescape_value(escaped)?;
            requirements.push(FieldRequirement { field: field.to_string(), operator, value });
        }
        Ok(FieldSelector { requirements })
    }

    /// The one-term selector `field=value`, as a client watching a single object by name builds.
    pub fn one_term_equal(field: impl Into<String>, value: impl Into<String>) -> Self {
        FieldSelector {
            requirements: vec![FieldRequirement {
                field: field.into(),
                operator: FieldOperator::Equals,
                value: value.into(),
            }],
        }
    }

    /// `field=value` for every entry of the set; the empty set selects everything.
    pub fn from_set(set: &BTreeMap<String, String>) -> Self {
        let requirements = set
            .iter()
            .map(|(field, value)| FieldRequirement {
                field: field.clone(),
                operator: FieldOperator::Equals,
                value: value.clone(),
            })
            .collect();
        FieldSelector { requirements }
    }

    /// Whether an object whose selectable fields are `fields` matches; fields missing from the
    /// set count as empty strings.
    pub fn matches(&self, fields: &BTreeMap<String, String>) -> bool {
        self.matches_with(|field| fields.get(field).map(String::as_str))
    }

    /// Like [`FieldSelector::matches`], reading field values through `lookup` instead of a
    /// prebuilt set, for callers that can answer from the object directly.
    pub fn matches_with<'a>(&self, lookup: impl Fn(&str) -> Option<&'a str>) -> bool {
        self.requirements.iter().all(|requirement| requirement.matches(lookup(&requirement.field)))
    }

    /// Whether the selector leaves the selection unrestricted.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// The terms, in the order they are printed.
    pub fn requirements(&self) -> &[FieldRequirement] {
        &self.requirements
    }

    /// The value the selector demands for `field` through an equality term, if any (the kubelet's
    /// `spec.nodeName=<node>` watch is served from a per-node index this way). `!=` terms never
    /// count.
    pub fn requires_exact_match(&self, field: &str) -> Option<&str> {
        self.requirements
            .iter()
            .find(|requirement| {
                requirement.operator == FieldOperator::Equals && requirement.field == field
            })
            .map(|requirement| requirement.value.as_str())
    }

    /// Rewrites every term's field and value (renaming legacy field labels, rejecting ones a
    /// resource does not support). A term rewritten to an empty field and empty value is dropped.
    pub fn transform<E>(
        self,
        mut rewrite: impl FnMut(&str, &str) -> Result<(String, String), E>,
    ) -> Result<Self, E> {
        let mut requirements = Vec::with_capacity(self.requirements.len());
        for requirement in self.requirements {
            let (field, value) = rewrite(&requirement.field, &requirement.value)?;
            if field.is_empty() && value.is_empty() {
                continue;
            }
            requirements.push(FieldRequirement { field, operator: requirement.operator, value });
        }
        Ok(FieldSelector { requirements })
    }
}

/// The terms joined by `,`, values escaped; the empty selector prints as the empty string.
impl fmt::Display for FieldSelector {
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

impl FromStr for FieldSelector {
    type Err = FieldSelectorError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        FieldSelector::parse(text)
    }
}

/// Splits at commas not preceded by a backslash escape, keeping the escapes in the terms.
fn split_terms(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut start = 0;
    let mut after_backslash = false;
    for (index, character) in text.char_indices() {
        if after_backslash {
            after_backslash = false;
        } else if character == '\\' {
            after_backslash = true;
        } else if character == ',' {
            terms.push(&text[start..index]);
            start = index + 1;
        }
    }
    terms.push(&text[start..]);
    terms
}

/// Splits a term at the first position where `!=`, `==` or `=` begins (tried in that order), so
/// `a==b` is `a` `==` `b` rather than `a` `=` `=b`. Field names have no escaping.
fn split_term(term: &str) -> Option<(&str, FieldOperator, &str)> {
    const OPERATORS: [(&str, FieldOperator); 3] = [
        ("!=", FieldOperator::NotEquals),
        ("==", FieldOperator::Equals),
        ("=", FieldOperator::Equals),
    ];
    term.char_indices().find_map(|(index, _)| {
        let rest = &term[index..];
        OPERATORS.iter().find_map(|(symbol, operator)| {
            rest.strip_prefix(symbol).map(|value| (&term[..index], *operator, value))
        })
    })
}
