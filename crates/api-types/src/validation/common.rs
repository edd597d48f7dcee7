//! Field-level rules shared by many kinds: turn a value that breaks a format or a bound into the
//! field error upstream reports for it.

use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::names;
use crate::intstr::IntOrString;
use crate::labels::{label_value_errors, qualified_name_errors};
use crate::quantity::Quantity;
use serde::Serialize;
use std::collections::BTreeMap;

/// Upstream's detail for a field that may not change.
pub const FIELD_IMMUTABLE: &str = "field is immutable";
/// Upstream's detail for a negative number or quantity.
pub const IS_NEGATIVE: &str = "must be greater than or equal to 0";
/// Upstream's detail for a number or quantity that must be positive.
pub const IS_NOT_POSITIVE: &str = "must be greater than zero";
/// Upstream's detail for a fractional quantity of a countable resource.
pub const IS_NOT_INTEGER: &str = "must be an integer";

/// One `Invalid` error per message, all for the same field and value.
pub fn invalid_each(path: &FieldPath, value: &str, messages: Vec<String>) -> ErrorList {
    messages.into_iter().map(|message| FieldError::invalid(path, value, message)).collect()
}

/// A value that must be a DNS-1123 label (port names, hostnames).
pub fn validate_dns1123_label(value: &str, path: &FieldPath) -> ErrorList {
    invalid_each(path, value, names::dns1123_label_errors(value))
}

/// A value that must be a DNS-1123 subdomain (external names, node names).
pub fn validate_dns1123_subdomain(value: &str, path: &FieldPath) -> ErrorList {
    invalid_each(path, value, names::dns1123_subdomain_errors(value))
}

/// A value that must be a qualified name (`example.com/name` or `name`): label keys, finalizers,
/// protocols, classes.
pub fn validate_qualified_name(value: &str, path: &FieldPath) -> ErrorList {
    invalid_each(path, value, qualified_name_errors(value))
}

/// Label keys and values. As upstream, every finding is reported at `path` itself (not at the
/// key), with the key or the value as the bad value.
pub fn validate_labels(labels: &BTreeMap<String, String>, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    for (key, value) in labels {
        errors.append(validate_qualified_name(key, path));
        errors.append(invalid_each(path, value, label_value_errors(value)));
    }
    errors
}

/// A count or duration that may not be negative.
pub fn validate_nonnegative(value: i64, path: &FieldPath) -> ErrorList {
    if value < 0 { FieldError::invalid(path, value, IS_NEGATIVE).into() } else { ErrorList::new() }
}

/// A port given as a number (1-65535) or as an IANA service name.
pub fn validate_port_number_or_name(port: &IntOrString, path: &FieldPath) -> ErrorList {
    match port {
        IntOrString::Int(number) => names::port_number_errors(i64::from(*number))
            .into_iter()
            .map(|message| FieldError::invalid(path, number, message))
            .collect(),
        IntOrString::String(name) => invalid_each(path, name, names::port_name_errors(name)),
    }
}

/// A field that may not change on update; the error shows the new value.
pub fn validate_immutable<T: PartialEq + Serialize>(
    new: &T,
    old: &T,
    path: &FieldPath,
) -> ErrorList {
    if new == old {
        ErrorList::new()
    } else {
        FieldError::invalid(path, new, FIELD_IMMUTABLE).into()
    }
}

/// A quantity that may not be negative; the error shows its canonical text.
pub fn validate_nonnegative_quantity(value: &Quantity, path: &FieldPath) -> ErrorList {
    if value.signum() < 0 {
        FieldError::invalid(path, value.to_string(), IS_NEGATIVE).into()
    } else {
        ErrorList::new()
    }
}

/// A quantity that must be greater than zero; the error shows its canonical text.
pub fn validate_positive_quantity(value: &Quantity, path: &FieldPath) -> ErrorList {
    if value.signum() <= 0 {
        FieldError::invalid(path, value.to_string(), IS_NOT_POSITIVE).into()
    } else {
        ErrorList::new()
    }
}

/// The protocols a container, service or endpoints port may use.
pub const PORT_PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];

/// A port protocol: required, and one of TCP, UDP, SCTP.
pub fn validate_protocol(protocol: &str, path: &FieldPath) -> ErrorList {
    if protocol.is_empty() {
        FieldError::required(path, "").into()
    } else if !PORT_PROTOCOLS.contains(&protocol) {
        FieldError::not_supported(path, protocol, &PORT_PROTOCOLS).into()
    } else {
        ErrorList::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> FieldPath {
        FieldPath::new("spec").child("x")
    }

    #[test]
    fn labels_report_at_the_map_path() {
        let labels = BTreeMap::from([
            ("app".to_string(), "web".to_string()),
            ("bad key".to_string(), "-bad-".to_string()),
        ]);
        let errors = validate_labels(&labels, &FieldPath::new("metadata").child("labels"));
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "metadata.labels");
        assert_eq!(
            errors[0].to_string(),
            r#"metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"#
        );
        assert!(errors[1].to_string().starts_with(
            r#"metadata.labels: Invalid value: "-bad-": a valid label must be an empty string"#
        ));
    }

    #[test]
    fn nonnegative_numbers() {
        assert!(validate_nonnegative(0, &path()).is_empty());
        assert_eq!(
            validate_nonnegative(-1, &path())[0].to_string(),
            "spec.x: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    #[test]
    fn ports_by_number_or_name() {
        assert!(validate_port_number_or_name(&IntOrString::Int(80), &path()).is_empty());
        assert!(validate_port_number_or_name(&IntOrString::from("http"), &path()).is_empty());
        assert_eq!(
            validate_port_number_or_name(&IntOrString::Int(0), &path())[0].to_string(),
            "spec.x: Invalid value: 0: must be between 1 and 65535, inclusive"
        );
        assert_eq!(
            validate_port_number_or_name(&IntOrString::from("HTTP"), &path())[0].to_string(),
            r#"spec.x: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#
        );
    }

    #[test]
    fn immutable_fields_show_the_new_value() {
        assert!(validate_immutable(&"a", &"a", &path()).is_empty());
        assert_eq!(
            validate_immutable(&"b", &"a", &path())[0].to_string(),
            r#"spec.x: Invalid value: "b": field is immutable"#
        );
    }

    #[test]
    fn quantities() {
        let negative: Quantity = "-100m".parse().unwrap();
        assert_eq!(
            validate_nonnegative_quantity(&negative, &path())[0].to_string(),
            r#"spec.x: Invalid value: "-100m": must be greater than or equal to 0"#
        );
        let zero: Quantity = "0".parse().unwrap();
        assert!(validate_nonnegative_quantity(&zero, &path()).is_empty());
        assert_eq!(
            validate_positive_quantity(&zero, &path())[0].detail,
            "must be greater than zero"
        );
    }
}
