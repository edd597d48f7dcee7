//! `Event` (core/v1): a report that something happened to an object, as `kubectl describe` and
//! `kubectl get events` show it. Newer writers use events.k8s.io, whose fields this version
//! carries too (`eventTime`, `series`, `action`, `related`, `reporting*`).

use super::ObjectReference;
use crate::meta::v1::{MicroTime, ObjectMeta, Time};
use crate::serde_util::{is_zero, nullable};
use serde::{Deserialize, Serialize};

/// One occurrence (or a deduplicated run of occurrences) of something worth telling a user
/// about an object.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Event")]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// The object the event is about.
    #[serde(default, deserialize_with = "nullable")]
    pub involved_object: ObjectReference,
    /// A short CamelCase cause (`Scheduled`, `Pulled`, `BackOff`).
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Always written, as `{}` when the writer did not fill it (events.k8s.io writers).
    #[serde(default, deserialize_with = "nullable")]
    pub source: EventSource,
    /// A non-pointer `metav1.Time` upstream: written as `null` when unset.
    #[serde(default)]
    pub first_timestamp: Option<Time>,
    /// A non-pointer `metav1.Time` upstream: written as `null` when unset.
    #[serde(default)]
    pub last_timestamp: Option<Time>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub count: i32,
    /// `Normal` or `Warning`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub type_: String,
    /// A non-pointer `metav1.MicroTime` upstream: written as `null` when unset.
    #[serde(default)]
    pub event_time: Option<MicroTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<EventSeries>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related: Option<ObjectReference>,
    /// The controller that emitted the event (`kubelet`, `default-scheduler`); always written.
    #[serde(default, deserialize_with = "nullable")]
    pub reporting_component: String,
    /// Which instance of that controller; always written.
    #[serde(default, deserialize_with = "nullable")]
    pub reporting_instance: String,
}

crate::impl_resource!(
    Event,
    group = "",
    version = "v1",
    kind = "Event",
    plural = "events",
    namespaced = true
);

/// The component and host an event came from, as older (core/v1) recorders report it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EventSource")]
#[serde(rename_all = "camelCase")]
pub struct EventSource {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub component: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub host: String,
}

/// How often and how recently a repeating event has recurred, so a recorder can update one
/// event instead of writing a new one per occurrence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EventSeries")]
#[serde(rename_all = "camelCase")]
pub struct EventSeries {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub count: i32,
    /// A non-pointer `metav1.MicroTime` upstream: written as `null` when unset.
    #[serde(default)]
    pub last_observed_time: Option<MicroTime>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn kubelet_event_round_trips() {
        // An event written by the kubelet's core/v1 recorder (as `kubectl get events -o json`
        // shows it): source and timestamps filled, `eventTime` null.
        let wire = json!({
            "apiVersion": "v1",
            "count": 1,
            "eventTime": null,
            "firstTimestamp": "2025-03-10T09:20:07Z",
            "involvedObject": {
                "apiVersion": "v1",
                "fieldPath": "spec.containers{web}",
                "kind": "Pod",
                "name": "web-7c9d8b5f4-x2l9q",
                "namespace": "default",
                "resourceVersion": "2190",
                "uid": "0b7e2f4a-61c3-4d0e-9a59-1f3e8c2d7a10"
            },
            "kind": "Event",
            "lastTimestamp": "2025-03-10T09:20:07Z",
            "message": "Container image \"nginx:1.27\" already present on machine",
            "metadata": {
                "creationTimestamp": "2025-03-10T09:20:07Z",
                "name": "web-7c9d8b5f4-x2l9q.182b4f3c2f1a7e45",
                "namespace": "default",
                "resourceVersion": "2197",
                "uid": "d0e1f2a3-b4c5-4d6e-8f90-a1b2c3d4e5f6"
            },
            "reason": "Pulled",
            "reportingComponent": "kubelet",
            "reportingInstance": "kind-worker",
            "source": {"component": "kubelet", "host": "kind-worker"},
            "type": "Normal"
        });
        let event: Event = assert_round_trip(&wire);
        assert_eq!(event.event_time, None);
        assert_eq!(event.source.host, "kind-worker");
        assert_eq!(event.involved_object.field_path, "spec.containers{web}");
    }

    #[test]
    fn events_api_event_read_through_core_v1_round_trips() {
        // An event the scheduler wrote through events.k8s.io, as core/v1 returns it: empty
        // source, null first/last timestamps, microsecond eventTime, a series and a related
        // object.
        let wire = json!({
            "action": "Scheduling",
            "apiVersion": "v1",
            "eventTime": "2025-03-10T09:20:05.123456Z",
            "firstTimestamp": null,
            "involvedObject": {
                "apiVersion": "v1",
                "kind": "Pod",
                "name": "batch-0",
                "namespace": "default",
                "resourceVersion": "2301",
                "uid": "11223344-5566-4778-899a-abbccddeeff0"
            },
            "kind": "Event",
            "lastTimestamp": null,
            "message": "0/3 nodes are available: 3 Insufficient cpu.",
            "metadata": {
                "creationTimestamp": "2025-03-10T09:20:05Z",
                "name": "batch-0.182b4f3c1e0d2a11",
                "namespace": "default",
                "resourceVersion": "2310",
                "uid": "99887766-5544-4332-8110-ffeeddccbbaa"
            },
            "reason": "FailedScheduling",
            "related": {"kind": "Node", "name": "kind-worker", "apiVersion": "v1"},
            "reportingComponent": "default-scheduler",
            "reportingInstance": "default-scheduler-kind-control-plane",
            "series": {"count": 4, "lastObservedTime": "2025-03-10T09:25:05.654321Z"},
            "source": {},
            "type": "Warning"
        });
        let event: Event = assert_round_trip(&wire);
        assert_eq!(event.event_time.unwrap().to_string(), "2025-03-10T09:20:05.123456Z");
        assert_eq!(event.series.as_ref().unwrap().count, 4);
        assert_eq!(event.first_timestamp, None);
    }

    #[test]
    fn empty_event_writes_required_fields_like_go() {
        assert_eq!(
            serde_json::to_value(Event::default()).unwrap(),
            json!({
                "metadata": {"creationTimestamp": null},
                "involvedObject": {},
                "source": {},
                "firstTimestamp": null,
                "lastTimestamp": null,
                "eventTime": null,
                "reportingComponent": "",
                "reportingInstance": ""
            })
        );
        assert_eq!(
            serde_json::to_value(EventSeries::default()).unwrap(),
            json!({"lastObservedTime": null})
        );
    }

    #[test]
    fn nulls_read_as_zero_values() {
        let event: Event = serde_json::from_value(json!({
            "involvedObject": null, "source": null, "count": null, "reportingComponent": null,
            "series": null, "related": null, "eventTime": null
        }))
        .unwrap();
        assert_eq!(event, Event::default());
    }

    #[test]
    fn identity() {
        assert_eq!(
            (Event::API_VERSION, Event::KIND, Event::PLURAL, Event::NAMESPACED),
            ("v1", "Event", "events", true)
        );
        let mut object = Event::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "Event"));
    }
}
