use super::{findings, messages, object, only};
use crate::api::core::v1::Event;
use crate::validation::{ErrorType, Validate};
use serde_json::json;

/// An event as kubelet's (core/v1) recorder writes it.
fn legacy_event() -> Event {
    object(json!({
        "metadata": {"name": "web.17d1", "namespace": "default"},
        "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web"},
        "reason": "Pulled",
        "message": "Successfully pulled image",
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": "2025-03-10T09:20:04Z",
        "lastTimestamp": "2025-03-10T09:20:04Z",
        "count": 1,
        "type": "Normal"
    }))
}

/// An event in the newer style, with eventTime and reporting fields.
fn new_style_event() -> Event {
    object(json!({
        "metadata": {"name": "web.17d2", "namespace": "default"},
        "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web"},
        "reason": "Scheduled",
        "message": "Successfully assigned default/web to node-1",
        "type": "Normal",
        "eventTime": "2025-03-10T09:20:04.123456Z",
        "action": "Binding",
        "reportingComponent": "default-scheduler",
        "reportingInstance": "default-scheduler-node-1"
    }))
}

#[test]
fn recorder_events_pass() {
    assert!(legacy_event().validate().is_empty());
    assert!(new_style_event().validate().is_empty());
    assert!(legacy_event().validate_update(&legacy_event()).is_empty());
}

#[test]
fn legacy_event_namespace_matches_its_object() {
    let mut event = legacy_event();
    event.involved_object.namespace = "kube-system".into();
    assert_eq!(
        only(&event.validate(), ErrorType::Invalid, "involvedObject.namespace"),
        r#"involvedObject.namespace: Invalid value: "kube-system": does not match event.namespace"#
    );
}

#[test]
fn legacy_events_about_cluster_objects_live_outside_namespaces_or_in_default() {
    let mut event = legacy_event();
    event.involved_object.namespace.clear();
    assert!(event.validate().is_empty(), "default is allowed for old clients");
    // An empty namespace agrees with the object, but fails the namespace format, as upstream.
    event.metadata.namespace.clear();
    only(&event.validate(), ErrorType::Invalid, "namespace");
    event.metadata.namespace = "team-a".into();
    only(&event.validate(), ErrorType::Invalid, "involvedObject.namespace");
}

#[test]
fn new_style_events_about_cluster_objects_live_in_default_or_kube_system() {
    let mut event = new_style_event();
    event.involved_object.namespace.clear();
    event.metadata.namespace = "kube-system".into();
    assert!(event.validate().is_empty());
    event.metadata.namespace = "team-a".into();
    only(&event.validate(), ErrorType::Invalid, "involvedObject.namespace");
}

#[test]
fn new_style_events_name_their_reporter_action_and_reason() {
    let mut event = new_style_event();
    event.reporting_component.clear();
    event.reporting_instance.clear();
    event.action.clear();
    event.reason.clear();
    assert_eq!(
        findings(&event.validate()),
        [
            (ErrorType::Required, "reportingController"),
            (ErrorType::Invalid, "reportingController"),
            (ErrorType::Invalid, "reportingController"),
            (ErrorType::Required, "reportingInstance"),
            (ErrorType::Required, "action"),
            (ErrorType::Required, "reason"),
        ],
        "an empty controller is also reported as an empty and malformed name, as upstream does"
    );
}

#[test]
fn new_style_event_fields_are_bounded() {
    let mut event = new_style_event();
    event.reporting_instance = "i".repeat(129);
    event.action = "a".repeat(129);
    event.reason = "r".repeat(129);
    event.message = "m".repeat(1025);
    assert_eq!(
        messages(&event.validate()),
        [
            r#"reportingInstance: Invalid value: "": can have at most 128 characters"#,
            r#"action: Invalid value: "": can have at most 128 characters"#,
            r#"reason: Invalid value: "": can have at most 128 characters"#,
            r#"message: Invalid value: "": can have at most 1024 characters"#,
        ]
    );
}

#[test]
fn namespace_is_a_dns_subdomain() {
    let mut event = legacy_event();
    event.metadata.namespace = "Default".into();
    event.involved_object.namespace = "Default".into();
    only(&event.validate(), ErrorType::Invalid, "namespace");
}
