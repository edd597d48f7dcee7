//! Field errors and error lists: what validation finds, in the shape upstream reports it.
//!
//! A [`FieldError`] prints exactly as upstream's `field.Error` does
//! (`spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`), and an
//! [`ErrorList`] prints as upstream's aggregate (`[first, second]`, repeated messages once), so
//! the text a client shows for a rejected object is the text a Go apiserver would have sent.

use super::field_path::FieldPath;
use crate::go_fmt;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// Why a field was rejected. Each kind has a machine-readable reason, which becomes
/// `Status.details.causes[].reason`, and a human phrase that leads the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorType {
    /// A referenced value does not exist.
    NotFound,
    /// A value that must be given was empty or missing.
    Required,
    /// A value that must be unique appeared twice.
    Duplicate,
    /// A value is malformed or out of range.
    Invalid,
    /// A value is not one of an enumeration's members.
    NotSupported,
    /// A well-formed value is not allowed here (immutability, policy, the object's state).
    Forbidden,
    /// A value is longer than allowed; the value itself is not repeated.
    TooLong,
    /// A list has more items than allowed.
    TooMany,
    /// A failure not caused by the input.
    Internal,
    /// A value has the wrong type for its field.
    TypeInvalid,
}

impl ErrorType {
    /// The cause type upstream puts in `Status.details.causes[].reason`.
    pub fn reason(self) -> &'static str {
        match self {
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::Internal => "InternalError",
            ErrorType::TypeInvalid => "FieldValueTypeInvalid",
        }
    }

    /// The phrase that opens the message body ("Required value", "Invalid value", ...).
    pub fn description(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid | ErrorType::TypeInvalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::Internal => "Internal error",
        }
    }

    /// Whether upstream repeats the offending value in the message for this kind of error.
    fn shows_value(self) -> bool {
        !matches!(
            self,
            ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong | ErrorType::Internal
        )
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// One finding: which field, why, the offending value (when it is shown) and an explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub kind: ErrorType,
    /// The rendered [`FieldPath`].
    pub field: String,
    /// The offending value as JSON, `None` when the message does not repeat it. Objects print
    /// with sorted keys (Go prints a struct's fields in declaration order).
    pub bad_value: Option<Value>,
    pub detail: String,
}

impl FieldError {
    fn new(kind: ErrorType, path: &FieldPath, bad_value: Option<Value>, detail: String) -> Self {
        FieldError { kind, field: path.as_str().to_string(), bad_value, detail }
    }

    /// A referenced value could not be found.
    pub fn not_found(path: &FieldPath, value: impl Serialize) -> Self {
        FieldError::new(ErrorType::NotFound, path, Some(to_json(value)), String::new())
    }

    /// A value that must be set is missing; `detail` may be empty.
    pub fn required(path: &FieldPath, detail: impl Into<String>) -> Self {
        FieldError::new(ErrorType::Required, path, None, detail.into())
    }

    /// A value that must be unique is repeated.
    pub fn duplicate(path: &FieldPath, value: impl Serialize) -> Self {
        FieldError::new(ErrorType::Duplicate, path, Some(to_json(value)), String::new())
    }

    /// A value is malformed or out of range.
    pub fn invalid(path: &FieldPath, value: impl Serialize, detail: impl Into<String>) -> Self {
        FieldError::new(ErrorType::Invalid, path, Some(to_json(value)), detail.into())
    }

    /// A value is outside an enumeration; the detail lists the supported values, each quoted,
    /// in the order given (upstream callers pass them sorted).
    pub fn not_supported(path: &FieldPath, value: impl Serialize, supported: &[&str]) -> Self {
        let detail = if supported.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = supported.iter().map(|item| go_fmt::quote(item)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        FieldError::new(ErrorType::NotSupported, path, Some(to_json(value)), detail)
    }

    /// A well-formed value is not allowed in this situation.
    pub fn forbidden(path: &FieldPath, detail: impl Into<String>) -> Self {
        FieldError::new(ErrorType::Forbidden, path, None, detail.into())
    }

    /// A value is longer than `max_bytes`; the value is not repeated.
    pub fn too_long(path: &FieldPath, max_bytes: usize) -> Self {
        let unit = if max_bytes == 1 { "byte" } else { "bytes" };
        FieldError::new(
            ErrorType::TooLong,
            path,
            None,
            format!("may not be more than {max_bytes} {unit}"),
        )
    }

    /// A list holds `actual` items (when known) where at most `max_items` are allowed.
    pub fn too_many(path: &FieldPath, actual: Option<usize>, max_items: usize) -> Self {
        let unit = if max_items == 1 { "item" } else { "items" };
        FieldError::new(
            ErrorType::TooMany,
            path,
            actual.map(Value::from),
            format!("must have at most {max_items} {unit}"),
        )
    }

    /// Validation itself failed, for a reason unrelated to the input.
    pub fn internal(path: &FieldPath, detail: impl Into<String>) -> Self {
        FieldError::new(ErrorType::Internal, path, None, detail.into())
    }

    /// A value has the wrong type for its field.
    pub fn type_invalid(
        path: &FieldPath,
        value: impl Serialize,
        detail: impl Into<String>,
    ) -> Self {
        FieldError::new(ErrorType::TypeInvalid, path, Some(to_json(value)), detail.into())
    }

    /// The message without the field (`Invalid value: 0: must be ...`): what upstream puts in a
    /// cause's `message`.
    pub fn body(&self) -> String {
        let mut body = self.kind.description().to_string();
        if self.kind.shows_value()
            && let Some(value) = &self.bad_value
        {
            body.push_str(": ");
            body.push_str(&go_fmt::bad_value(value));
        }
        if !self.detail.is_empty() {
            body.push_str(": ");
            body.push_str(&self.detail);
        }
        body
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

impl std::error::Error for FieldError {}

/// Serializes a bad value for display. Every API type serializes infallibly (string-keyed maps,
/// plain structs); should one ever fail, the value is shown as `null` rather than losing the
/// finding itself.
fn to_json(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Every finding about one object, in the order validation made them (which is upstream's order,
/// so multi-error messages read the same).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorList(Vec<FieldError>);

impl ErrorList {
    pub fn new() -> Self {
        ErrorList(Vec::new())
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Moves all of `other`'s findings to the end of this list.
    pub fn append(&mut self, mut other: ErrorList) {
        self.0.append(&mut other.0);
    }

    /// Whether any finding has the given type, for callers that treat some kinds specially.
    pub fn has_type(&self, kind: ErrorType) -> bool {
        self.0.iter().any(|error| error.kind == kind)
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

impl std::ops::Deref for ErrorList {
    type Target = [FieldError];
    fn deref(&self) -> &[FieldError] {
        &self.0
    }
}

impl From<Vec<FieldError>> for ErrorList {
    fn from(errors: Vec<FieldError>) -> Self {
        ErrorList(errors)
    }
}

impl From<FieldError> for ErrorList {
    fn from(error: FieldError) -> Self {
        ErrorList(vec![error])
    }
}

impl FromIterator<FieldError> for ErrorList {
    fn from_iter<I: IntoIterator<Item = FieldError>>(iter: I) -> Self {
        ErrorList(iter.into_iter().collect())
    }
}

impl Extend<FieldError> for ErrorList {
    fn extend<I: IntoIterator<Item = FieldError>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl IntoIterator for ErrorList {
    type Item = FieldError;
    type IntoIter = std::vec::IntoIter<FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ErrorList {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Upstream's aggregate text: nothing for no errors, the message alone for one distinct message,
/// otherwise `[first, second, ...]`, each distinct message once in first-seen order.
impl fmt::Display for ErrorList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut distinct: Vec<String> = Vec::with_capacity(self.0.len());
        for error in &self.0 {
            let message = error.to_string();
            if !distinct.contains(&message) {
                distinct.push(message);
            }
        }
        match distinct.as_slice() {
            [] => Ok(()),
            [only] => f.write_str(only),
            many => write!(f, "[{}]", many.join(", ")),
        }
    }
}

impl std::error::Error for ErrorList {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(text: &str) -> FieldPath {
        let mut parts = text.split('.');
        let first = FieldPath::new(parts.next().unwrap_or_default());
        parts.fold(first, |path, part| path.child(part))
    }

    #[test]
    fn reasons_and_descriptions_are_upstreams() {
        let expected = [
            (ErrorType::NotFound, "FieldValueNotFound", "Not found"),
            (ErrorType::Required, "FieldValueRequired", "Required value"),
            (ErrorType::Duplicate, "FieldValueDuplicate", "Duplicate value"),
            (ErrorType::Invalid, "FieldValueInvalid", "Invalid value"),
            (ErrorType::NotSupported, "FieldValueNotSupported", "Unsupported value"),
            (ErrorType::Forbidden, "FieldValueForbidden", "Forbidden"),
            (ErrorType::TooLong, "FieldValueTooLong", "Too long"),
            (ErrorType::TooMany, "FieldValueTooMany", "Too many"),
            (ErrorType::Internal, "InternalError", "Internal error"),
            (ErrorType::TypeInvalid, "FieldValueTypeInvalid", "Invalid value"),
        ];
        for (kind, reason, description) in expected {
            assert_eq!((kind.reason(), kind.description()), (reason, description));
        }
    }

    #[test]
    fn invalid_shows_numbers_bare() {
        let error = FieldError::invalid(
            &FieldPath::new("spec").child("ports").index(0).child("port"),
            0,
            "must be between 1 and 65535, inclusive",
        );
        assert_eq!(
            error.to_string(),
            "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"
        );
    }

    #[test]
    fn required_and_forbidden_never_show_a_value() {
        assert_eq!(
            FieldError::required(&path("metadata.name"), "name or generateName is required")
                .to_string(),
            "metadata.name: Required value: name or generateName is required"
        );
        assert_eq!(
            FieldError::required(&path("metadata.namespace"), "").to_string(),
            "metadata.namespace: Required value"
        );
        assert_eq!(
            FieldError::forbidden(&path("metadata.namespace"), "not allowed on this type")
                .to_string(),
            "metadata.namespace: Forbidden: not allowed on this type"
        );
    }

    #[test]
    fn not_supported_lists_quoted_values() {
        let error = FieldError::not_supported(
            &path("spec.type"),
            "Foo",
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        );
        assert_eq!(
            error.to_string(),
            r#"spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort""#
        );
        assert_eq!(error.kind.reason(), "FieldValueNotSupported");
    }

    #[test]
    fn too_long_and_too_many_state_the_limit() {
        assert_eq!(
            FieldError::too_long(&path("metadata.annotations"), 262144).to_string(),
            "metadata.annotations: Too long: may not be more than 262144 bytes"
        );
        assert_eq!(
            FieldError::too_long(&path("x"), 1).body(),
            "Too long: may not be more than 1 byte"
        );
        assert_eq!(
            FieldError::too_many(&path("spec.items"), Some(3), 2).to_string(),
            "spec.items: Too many: 3: must have at most 2 items"
        );
        assert_eq!(
            FieldError::too_many(&path("spec.items"), None, 1).body(),
            "Too many: must have at most 1 item"
        );
    }

    #[test]
    fn composite_values_print_as_json() {
        let error = FieldError::invalid(&path("metadata.finalizers"), ["a", "b"], "bad");
        assert_eq!(error.to_string(), r#"metadata.finalizers: Invalid value: ["a","b"]: bad"#);
        let error = FieldError::duplicate(&path("spec.ports").index(1), json!({"port": 80}));
        assert_eq!(error.to_string(), r#"spec.ports[1]: Duplicate value: {"port":80}"#);
        let error = FieldError::not_found(&path("spec.x"), "y");
        assert_eq!(error.to_string(), r#"spec.x: Not found: "y""#);
    }

    #[test]
    fn list_prints_one_error_bare_and_several_bracketed_without_repeats() {
        let first = FieldError::required(&path("spec.ports"), "");
        let second = FieldError::invalid(&path("spec.clusterIP"), "x", "bad");
        let one: ErrorList = vec![first.clone()].into();
        assert_eq!(one.to_string(), "spec.ports: Required value");
        let several: ErrorList = vec![first.clone(), second.clone(), first.clone()].into();
        assert_eq!(
            several.to_string(),
            r#"[spec.ports: Required value, spec.clusterIP: Invalid value: "x": bad]"#
        );
        let repeated: ErrorList = vec![first.clone(), first].into();
        assert_eq!(repeated.to_string(), "spec.ports: Required value");
        assert_eq!(repeated.len(), 2);
        assert_eq!(ErrorList::new().to_string(), "");
    }

    #[test]
    fn list_helpers_keep_order() {
        let mut list = ErrorList::new();
        list.push(FieldError::required(&path("a"), ""));
        list.append(vec![FieldError::forbidden(&path("b"), "no")].into());
        list.extend([FieldError::invalid(&path("c"), 1, "x")]);
        let fields: Vec<&str> = list.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["a", "b", "c"]);
        assert!(list.has_type(ErrorType::Forbidden));
        assert!(!list.has_type(ErrorType::TooLong));
    }
}
