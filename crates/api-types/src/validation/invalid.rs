//! The data of a 422 `Invalid` response for an object that failed validation: the message, the
//! details' group/kind/name and one cause per finding, laid out as upstream's `NewInvalid` lays
//! them out. Building the `Status` itself is left to the caller, so this module depends on nothing
//! but the findings.

use super::errors::ErrorList;
use super::go_format;
use crate::resource::Resource;

/// The HTTP status code of an invalid object.
pub const INVALID_CODE: u16 = 422;
/// The `Status.reason` of an invalid object.
pub const INVALID_REASON: &str = "Invalid";

/// One entry of `Status.details.causes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidCause {
    /// The cause type (`FieldValueRequired`, `FieldValueInvalid`, ...).
    pub reason: &'static str,
    /// The finding without its field (`Invalid value: 0: must be between ...`).
    pub message: String,
    /// The rendered field path.
    pub field: String,
}

/// Everything an apiserver puts in the 422 `Status` for an object that failed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidObject {
    /// `Status.details.group`: empty for the core group.
    pub group: String,
    /// `Status.details.kind`.
    pub kind: String,
    /// `Status.details.name`.
    pub name: String,
    /// `Status.message`: `Service "x" is invalid: ...`.
    pub message: String,
    /// `Status.details.causes`, one per finding and in order (repeats included, as upstream).
    pub causes: Vec<InvalidCause>,
}

impl InvalidObject {
    /// The response for object `name` of `group`/`kind` rejected with `errors`.
    pub fn new(group: &str, kind: &str, name: &str, errors: &ErrorList) -> Self {
        InvalidObject {
            group: group.to_string(),
            kind: kind.to_string(),
            name: name.to_string(),
            message: invalid_message(group, kind, name, errors),
            causes: errors
                .iter()
                .map(|error| InvalidCause {
                    reason: error.kind.reason(),
                    message: error.body(),
                    field: error.field.clone(),
                })
                .collect(),
        }
    }

    /// The response for an object of kind `T` named `name`.
    pub fn for_resource<T: Resource>(name: &str, errors: &ErrorList) -> Self {
        InvalidObject::new(T::GROUP, T::KIND, name, errors)
    }
}

/// Upstream's message for an invalid object: `<Kind>[.<group>] "<name>" is invalid: <errors>`,
/// with the errors in aggregate form (bare when one, `[a, b]` when several). An empty list, which
/// upstream never reports, reads `<nil>` as Go prints it.
pub fn invalid_message(group: &str, kind: &str, name: &str, errors: &ErrorList) -> String {
    let qualified_kind =
        if group.is_empty() { kind.to_string() } else { format!("{kind}.{group}") };
    let aggregate = if errors.is_empty() { "<nil>".to_string() } else { errors.to_string() };
    format!("{qualified_kind} {} is invalid: {aggregate}", go_format::quote(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::coordination::v1::Lease;
    use crate::api::core::v1::Service;
    use crate::validation::{FieldError, FieldPath};

    fn port_error() -> FieldError {
        FieldError::invalid(
            &FieldPath::new("spec").child("ports").index(0).child("port"),
            0,
            "must be between 1 and 65535, inclusive",
        )
    }

    #[test]
    fn one_error_is_inlined() {
        let errors: ErrorList = vec![port_error()].into();
        assert_eq!(
            invalid_message("", "Service", "x", &errors),
            r#"Service "x" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"#
        );
    }

    #[test]
    fn several_errors_are_bracketed_and_repeats_dropped() {
        let required = FieldError::required(
            &FieldPath::new("metadata").child("name"),
            "name or generateName is required",
        );
        let errors: ErrorList = vec![required.clone(), port_error(), required].into();
        let invalid = InvalidObject::for_resource::<Service>("", &errors);
        assert_eq!(
            invalid.message,
            r#"Service "" is invalid: [metadata.name: Required value: name or generateName is required, spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive]"#
        );
        assert_eq!(invalid.causes.len(), 3);
        assert_eq!(
            invalid.causes[1],
            InvalidCause {
                reason: "FieldValueInvalid",
                message: "Invalid value: 0: must be between 1 and 65535, inclusive".to_string(),
                field: "spec.ports[0].port".to_string(),
            }
        );
        assert_eq!(invalid.causes[0].reason, "FieldValueRequired");
        assert_eq!((invalid.group.as_str(), invalid.kind.as_str()), ("", "Service"));
    }

    #[test]
    fn grouped_kinds_are_qualified_and_names_go_quoted() {
        let errors: ErrorList = vec![port_error()].into();
        let invalid = InvalidObject::for_resource::<Lease>("a\"b", &errors);
        assert!(
            invalid.message.starts_with(r#"Lease.coordination.k8s.io "a\"b" is invalid: "#),
            "{}",
            invalid.message
        );
        assert_eq!(invalid.group, "coordination.k8s.io");
    }

    #[test]
    fn empty_list_reads_nil() {
        assert_eq!(
            invalid_message("", "Service", "x", &ErrorList::new()),
            r#"Service "x" is invalid: <nil>"#
        );
        assert_eq!((INVALID_CODE, INVALID_REASON), (422, "Invalid"));
    }
}
