//! Event, as written through the core `v1` API: upstream applies only its "legacy" rules there,
//! which check that the event's namespace agrees with its involved object's, and, for events in
//! the newer style (with `eventTime`), that the reporting fields are present and bounded. The
//! metadata rules are not applied to core `v1` events, for compatibility with old recorders.
//!
//! The stricter rules upstream applies to writes through `events.k8s.io/v1` belong to that API's
//! own type.

use crate::api::core::v1::Event;
use crate::validation::common::validate_qualified_name;
use crate::validation::names::dns1123_subdomain_errors;
use crate::validation::{ErrorList, FieldError, FieldPath, Validate};

const REPORTING_INSTANCE_MAX_LENGTH: usize = 128;
const ACTION_MAX_LENGTH: usize = 128;
const REASON_MAX_LENGTH: usize = 128;
const MESSAGE_MAX_LENGTH: usize = 1024;
const NAMESPACE_DEFAULT: &str = "default";
const NAMESPACE_SYSTEM: &str = "kube-system";

impl Validate for Event {
    fn validate(&self) -> ErrorList {
        validate_event(self)
    }

    fn validate_update(&self, _old: &Self) -> ErrorList {
        // Upstream checks the new event alone on core `v1` updates.
        validate_event(self)
    }
}

fn validate_event(event: &Event) -> ErrorList {
    let mut errors = ErrorList::new();
    let namespace = event.metadata.namespace.as_str();
    let involved_namespace = event.involved_object.namespace.as_str();
    let namespace_mismatch = || {
        FieldError::invalid(
            &FieldPath::new("involvedObject").child("namespace"),
            involved_namespace,
            "does not match event.namespace",
        )
    };
    if event.event_time.is_none() {
        // An old-style event: about a cluster-scoped object it lives in no namespace (or, for
        // old clients, in `default`); otherwise in its object's namespace.
        let consistent = if involved_namespace.is_empty() {
            namespace.is_empty() || namespace == NAMESPACE_DEFAULT
        } else {
            namespace == involved_namespace
        };
        if !consistent {
            errors.push(namespace_mismatch());
        }
    } else {
        if involved_namespace.is_empty()
            && namespace != NAMESPACE_DEFAULT
            && namespace != NAMESPACE_SYSTEM
        {
            errors.push(namespace_mismatch());
        }
        let controller_path = FieldPath::new("reportingController");
        if event.reporting_component.is_empty() {
            errors.push(FieldError::required(&controller_path, ""));
        }
        errors.append(validate_qualified_name(&event.reporting_component, &controller_path));
        errors.append(required_and_bounded(
            &event.reporting_instance,
            "reportingInstance",
            REPORTING_INSTANCE_MAX_LENGTH,
        ));
        errors.append(required_and_bounded(&event.action, "action", ACTION_MAX_LENGTH));
        errors.append(required_and_bounded(&event.reason, "reason", REASON_MAX_LENGTH));
        if event.message.len() > MESSAGE_MAX_LENGTH {
            errors.push(too_many_characters("message", MESSAGE_MAX_LENGTH));
        }
    }
    for message in dns1123_subdomain_errors(namespace) {
        errors.push(FieldError::invalid(&FieldPath::new("namespace"), namespace, message));
    }
    errors
}

/// A field that must be set and at most `limit` bytes long.
fn required_and_bounded(value: &str, field: &str, limit: usize) -> ErrorList {
    let mut errors = ErrorList::new();
    if value.is_empty() {
        errors.push(FieldError::required(&FieldPath::new(field), ""));
    }
    if value.len() > limit {
        errors.push(too_many_characters(field, limit));
    }
    errors
}

/// Upstream's length error for event fields, which shows an empty value rather than the text.
fn too_many_characters(field: &str, limit: usize) -> FieldError {
    FieldError::invalid(&FieldPath::new(field), "", format!("can have at most {limit} characters"))
}
