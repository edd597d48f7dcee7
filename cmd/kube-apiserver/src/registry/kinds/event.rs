//! Events (`ev`): what happened to an object, selectable by the object they are about.

use super::printing::{PrintRow, age, column, micro_age, name_column};
use super::selectable::with_meta_fields;
use crate::registry::Strategy;
use api_types::api::core::v1::Event;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

impl Strategy for Event {
    const SHORT_NAMES: &'static [&'static str] = &["ev"];

    /// `source` falls back to the reporting controller, as events.k8s.io events set only that.
    fn field_set(&self) -> BTreeMap<String, String> {
        let object = &self.involved_object;
        let source = if self.source.component.is_empty() {
            &self.reporting_component
        } else {
            &self.source.component
        };
        with_meta_fields(
            self,
            [
                ("involvedObject.kind", object.kind.clone()),
                ("involvedObject.namespace", object.namespace.clone()),
                ("involvedObject.name", object.name.clone()),
                ("involvedObject.uid", object.uid.clone()),
                ("involvedObject.apiVersion", object.api_version.clone()),
                ("involvedObject.resourceVersion", object.resource_version.clone()),
                ("involvedObject.fieldPath", object.field_path.clone()),
                ("reason", self.reason.clone()),
                ("reportingComponent", self.reporting_component.clone()),
                ("source", source.clone()),
                ("type", self.type_.clone()),
            ],
        )
    }

    /// Upstream's event columns: NAME is last and wide-only.
    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            column("Last Seen", "string", 0, "Time since the event was last seen."),
            column("Type", "string", 0, "Normal or Warning."),
            column("Reason", "string", 0, "Why the event happened, in one word."),
            column("Object", "string", 0, "The object the event is about."),
            column("Subobject", "string", 1, "The part of the object, such as a container."),
            column("Source", "string", 1, "The component that reported the event."),
            column("Message", "string", 0, "What happened."),
            column("First Seen", "string", 1, "Time since the event was first seen."),
            column("Count", "string", 1, "How many times the event happened."),
            TableColumnDefinition { priority: 1, ..name_column() },
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for Event {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        let first_seen = match &self.first_timestamp {
            Some(first) => age(Some(first), now),
            None => micro_age(self.event_time.as_ref(), now),
        };
        let mut last_seen = match &self.last_timestamp {
            Some(last) => age(Some(last), now),
            None => first_seen.clone(),
        };
        // Events without a count are singletons in the events.k8s.io API.
        let mut count = if self.count == 0 { 1 } else { self.count };
        if let Some(series) = &self.series {
            last_seen = micro_age(series.last_observed_time.as_ref(), now);
            count = series.count;
        }
        let object = &self.involved_object;
        let kind = object.kind.to_lowercase();
        let target = if object.name.is_empty() { kind } else { format!("{kind}/{}", object.name) };
        vec![
            Value::from(last_seen),
            Value::from(self.type_.clone()),
            Value::from(self.reason.clone()),
            Value::from(target),
            Value::from(object.field_path.clone()),
            Value::from(event_source(self)),
            Value::from(self.message.trim()),
            Value::from(first_seen),
            Value::from(i64::from(count)),
            Value::from(self.metadata.name.clone()),
        ]
    }
}

/// `component, host`, each falling back to the reporting controller and instance.
fn event_source(event: &Event) -> String {
    let first = |preferred: &str, fallback: &str| {
        if preferred.is_empty() { fallback.to_string() } else { preferred.to_string() }
    };
    let component = first(&event.source.component, &event.reporting_component);
    let instance = first(&event.source.host, &event.reporting_instance);
    if instance.is_empty() { component } else { format!("{component}, {instance}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(value: serde_json::Value) -> Event {
        serde_json::from_value(value).unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2024-05-01T10:00:00Z".parse().unwrap()
    }

    fn back_off() -> Event {
        event(json!({
            "metadata": {"name": "web-7d4b9c6f5-x2k8p.17c9a1b2c3d4e5f6", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web-7d4b9c6f5-x2k8p",
                               "uid": "5f0c8a1e", "apiVersion": "v1", "resourceVersion": "5098",
                               "fieldPath": "spec.containers{web}"},
            "reason": "BackOff",
            "message": "Back-off restarting failed container web in pod web-7d4b9c6f5-x2k8p\n",
            "source": {"component": "kubelet", "host": "kind-worker"},
            "firstTimestamp": "2024-05-01T09:50:00Z",
            "lastTimestamp": "2024-05-01T09:59:30Z",
            "count": 42,
            "type": "Warning",
            "reportingComponent": "kubelet",
            "reportingInstance": "kind-worker"
        }))
    }

    #[test]
    fn core_event_row() {
        assert_eq!(
            back_off().cells_at(now()),
            vec![
                json!("30s"),
                json!("Warning"),
                json!("BackOff"),
                json!("pod/web-7d4b9c6f5-x2k8p"),
                json!("spec.containers{web}"),
                json!("kubelet, kind-worker"),
                json!("Back-off restarting failed container web in pod web-7d4b9c6f5-x2k8p"),
                json!("10m"),
                json!(42),
                json!("web-7d4b9c6f5-x2k8p.17c9a1b2c3d4e5f6")
            ]
        );
    }

    #[test]
    fn events_api_event_row_uses_event_time_and_series() {
        let scheduled = event(json!({
            "metadata": {"name": "e"},
            "involvedObject": {"kind": "Node"},
            "reason": "Scheduled",
            "message": "Successfully assigned default/web to kind-worker",
            "source": {},
            "eventTime": "2024-05-01T09:58:00.123456Z",
            "series": {"count": 3, "lastObservedTime": "2024-05-01T09:59:50.000000Z"},
            "reportingComponent": "default-scheduler",
            "type": "Normal"
        }));
        let row = scheduled.cells_at(now());
        assert_eq!(row[0], "10s");
        assert_eq!(row[3], "node");
        assert_eq!(row[5], "default-scheduler");
        assert_eq!(row[7], "119s");
        assert_eq!(row[8], 3);
        let singleton =
            event(json!({"metadata": {"name": "e"}, "involvedObject": {}, "source": {}}));
        let row = singleton.cells_at(now());
        assert_eq!(
            (row[0].clone(), row[7].clone(), row[8].clone()),
            (json!("<unknown>"), json!("<unknown>"), json!(1))
        );
    }

    #[test]
    fn field_set_matches_upstream() {
        let fields = back_off().field_set();
        let expected = [
            ("involvedObject.apiVersion", "v1"),
            ("involvedObject.fieldPath", "spec.containers{web}"),
            ("involvedObject.kind", "Pod"),
            ("involvedObject.name", "web-7d4b9c6f5-x2k8p"),
            ("involvedObject.namespace", "default"),
            ("involvedObject.resourceVersion", "5098"),
            ("involvedObject.uid", "5f0c8a1e"),
            ("metadata.name", "web-7d4b9c6f5-x2k8p.17c9a1b2c3d4e5f6"),
            ("metadata.namespace", "default"),
            ("reason", "BackOff"),
            ("reportingComponent", "kubelet"),
            ("source", "kubelet"),
            ("type", "Warning"),
        ];
        let expected: BTreeMap<String, String> =
            expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(fields, expected);
        let mut new_api = back_off();
        new_api.source.component.clear();
        new_api.reporting_component = "default-scheduler".into();
        assert_eq!(new_api.field_set()["source"], "default-scheduler");
    }

    #[test]
    fn name_is_the_last_wide_column() {
        let columns = Event::table_columns();
        let last = columns.last().unwrap();
        assert_eq!((last.name.as_str(), last.format.as_str(), last.priority), ("Name", "name", 1));
        assert_eq!(columns[0].name, "Last Seen");
    }
}
