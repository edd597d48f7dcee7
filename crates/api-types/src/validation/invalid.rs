//! The 422 `Invalid` reply for an object that failed validation, as upstream's `NewInvalid`
//! builds it: one `Status` cause per finding, and the message built by
//! [`Status::invalid`](crate::meta::v1::Status::invalid) from the same field and text.

use super::errors::ErrorList;
use crate::meta::v1::{Status, StatusCause};
use crate::resource::Resource;

impl ErrorList {
    /// One `Status` cause per finding, in order (repeats included, as upstream keeps them).
    pub fn causes(&self) -> Vec<StatusCause> {
        self.iter()
            .map(|error| StatusCause {
                type_: error.kind.reason().to_string(),
                message: error.body(),
                field: error.field.clone(),
            })
            .collect()
    }

    /// The 422 `Status` rejecting object `name` of `group`/`kind` with these findings.
    pub fn to_status(&self, group: &str, kind: &str, name: &str) -> Status {
        Status::invalid(group, kind, name, self.causes())
    }

    /// The 422 `Status` rejecting object `name` of kind `T`.
    pub fn to_status_for<T: Resource>(&self, name: &str) -> Status {
        self.to_status(T::GROUP, T::KIND, name)
    }
}

#[cfg(test)]
mod tests {
    use crate::api::coordination::v1::Lease;
    use crate::api::core::v1::Service;
    use crate::validation::{ErrorList, FieldError, FieldPath};

    fn port_error() -> FieldError {
        FieldError::invalid(
            &FieldPath::new("spec").child("ports").index(0).child("port"),
            0,
            "must be between 1 and 65535, inclusive",
        )
    }

    #[test]
    fn one_error_is_inlined_and_the_status_is_422() {
        let status = ErrorList::from(vec![port_error()]).to_status("", "Service", "x");
        assert_eq!(
            status.message,
            r#"Service "x" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"#
        );
        assert_eq!((status.code, status.reason.as_str()), (422, "Invalid"));
    }

    #[test]
    fn several_errors_are_bracketed_repeats_dropped_and_every_cause_kept() {
        let required = FieldError::required(
            &FieldPath::new("metadata").child("name"),
            "name or generateName is required",
        );
        let errors = ErrorList::from(vec![required.clone(), port_error(), required]);
        let status = errors.to_status_for::<Service>("");
        assert_eq!(
            status.message,
            r#"Service "" is invalid: [metadata.name: Required value: name or generateName is required, spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive]"#
        );
        assert_eq!(status.message, format!(r#"Service "" is invalid: {errors}"#));
        let details = status.details.expect("details");
        assert_eq!(details.causes.len(), 3);
        assert_eq!(details.causes[0].type_, "FieldValueRequired");
        assert_eq!(details.causes[1].type_, "FieldValueInvalid");
        assert_eq!(
            details.causes[1].message,
            "Invalid value: 0: must be between 1 and 65535, inclusive"
        );
        assert_eq!(details.causes[1].field, "spec.ports[0].port");
        assert_eq!((details.group.as_str(), details.kind.as_str()), ("", "Service"));
    }

    #[test]
    fn grouped_kinds_are_qualified_and_names_go_quoted() {
        let status = ErrorList::from(vec![port_error()]).to_status_for::<Lease>("a\"b");
        assert!(
            status.message.starts_with(r#"Lease.coordination.k8s.io "a\"b" is invalid: "#),
            "{}",
            status.message
        );
        assert_eq!(status.details.expect("details").group, "coordination.k8s.io");
    }
}
