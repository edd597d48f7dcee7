//! The formatting rules every kind's `kubectl get` row shares, written once: upstream's short
//! ages (`5s`, `3m10s`, `2d1h`), its `<none>`/`<unknown>` placeholders, label and selector text,
//! and the container name/image lists of workload rows.

use api_types::api::core::v1::Container;
use api_types::labels::Selector;
use api_types::meta::v1::{LabelSelector, MicroTime, TableColumnDefinition, Time};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// Placeholder for an absent value (no IP, no selector, no roles).
pub const NONE: &str = "<none>";
/// Placeholder for an unset timestamp or an unreported version string.
pub const UNKNOWN: &str = "<unknown>";
/// Placeholder for an unset optional field (a PV's volume mode).
pub const UNSET: &str = "<unset>";

/// A kind's `kubectl get` row as of `now`, so tests can pin the clock that AGE cells read.
pub trait PrintRow {
    /// One cell per column of the kind's `Strategy::table_columns`, in order.
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value>;
}

/// A column definition. Descriptions are our own short ones; kubectl never shows them.
pub fn column(name: &str, type_: &str, priority: i32, description: &str) -> TableColumnDefinition {
    TableColumnDefinition {
        name: name.to_string(),
        type_: type_.to_string(),
        format: String::new(),
        description: description.to_string(),
        priority,
    }
}

/// The NAME column: `format: name` tells clients which cell names the object.
pub fn name_column() -> TableColumnDefinition {
    TableColumnDefinition { format: "name".to_string(), ..column("Name", "string", 0, NAME_DOC) }
}

/// The AGE column, the time since `metadata.creationTimestamp`.
pub fn age_column() -> TableColumnDefinition {
    column("Age", "string", 0, AGE_DOC)
}

/// The wide-only CONTAINERS and IMAGES columns of workload kinds.
pub fn container_columns(priority: i32) -> [TableColumnDefinition; 2] {
    [
        column("Containers", "string", priority, "Names of the containers in the pod template."),
        column("Images", "string", priority, "Images of the containers in the pod template."),
    ]
}

const NAME_DOC: &str = "The object's name, unique within its namespace or the cluster.";
const AGE_DOC: &str = "Time since the object was created.";

/// Upstream's `HumanDuration`: about two significant figures, switching units at 2 minutes,
/// 10 minutes, 3 hours, 8 hours, 2 days, 8 days, 2 years and 8 years. Up to a second in the
/// future reads as `0s` (clock skew); further is `<invalid>`.
pub fn human_duration(elapsed: TimeDelta) -> String {
    // Whole seconds, truncated toward zero as Go's int(d.Seconds()) does.
    let seconds = elapsed.num_seconds();
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        return with_remainder(minutes, "m", seconds % 60, "s");
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        return with_remainder(hours, "h", minutes % 60, "m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        return with_remainder(days, "d", hours % 24, "h");
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if hours < 24 * 365 * 8 {
        return with_remainder(years, "y", days % 365, "d");
    }
    format!("{years}y")
}

/// `3m` or `3m10s`: the smaller unit is dropped when it is zero.
fn with_remainder(major: i64, major_unit: &str, minor: i64, minor_unit: &str) -> String {
    if minor == 0 {
        format!("{major}{major_unit}")
    } else {
        format!("{major}{major_unit}{minor}{minor_unit}")
    }
}

/// Upstream's `translateTimestampSince`: the age of a timestamp, `<unknown>` when unset.
pub fn age(timestamp: Option<&Time>, now: DateTime<Utc>) -> String {
    timestamp.map_or_else(|| UNKNOWN.to_string(), |at| human_duration(now - at.0))
}

/// [`age`] for the microsecond timestamps of events.
pub fn micro_age(timestamp: Option<&MicroTime>, now: DateTime<Utc>) -> String {
    timestamp.map_or_else(|| UNKNOWN.to_string(), |at| human_duration(now - at.0))
}

/// The AGE cell of any object.
pub fn age_cell(created: Option<&Time>, now: DateTime<Utc>) -> Value {
    Value::from(age(created, now))
}

/// `text`, or `placeholder` when it is empty.
pub fn or_placeholder(text: &str, placeholder: &str) -> String {
    if text.is_empty() { placeholder.to_string() } else { text.to_string() }
}

/// Upstream's `labels.FormatLabels`: `k=v,k2=v2` in key order, `<none>` when empty.
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    let text = labels.iter().map(|(key, value)| format!("{key}={value}")).collect::<Vec<_>>();
    or_placeholder(&text.join(","), NONE)
}

/// Upstream's `metav1.FormatLabelSelector`: the selector's canonical text, `<none>` when it
/// prints empty (absent or selecting everything), `<error>` when it does not convert.
pub fn format_label_selector(selector: Option<&LabelSelector>) -> String {
    match Selector::from_label_selector(selector) {
        Ok(selector) => or_placeholder(&selector.to_string(), NONE),
        Err(_) => "<error>".to_string(),
    }
}

/// The CONTAINERS and IMAGES cells: names and images joined by commas.
pub fn container_cells(containers: &[Container]) -> [Value; 2] {
    let names = containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>();
    let images = containers.iter().map(|c| c.image.as_str()).collect::<Vec<_>>();
    [Value::from(names.join(",")), Value::from(images.join(","))]
}

/// Go's `net.JoinHostPort`: IPv6 hosts are bracketed.
pub fn join_host_port(host: &str, port: i32) -> String {
    if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") }
}

/// The columns upstream prints for ReplicationControllers and ReplicaSets alike: NAME, DESIRED,
/// CURRENT, READY, AGE, and with `-o wide` CONTAINERS, IMAGES, SELECTOR.
pub(super) fn replica_columns() -> Vec<TableColumnDefinition> {
    let [containers, images] = container_columns(1);
    vec![
        name_column(),
        column("Desired", "integer", 0, "Replicas asked for."),
        column("Current", "integer", 0, "Replicas that exist."),
        column("Ready", "integer", 0, "Replicas that are ready."),
        age_column(),
        containers,
        images,
        column("Selector", "string", 1, "The label query over the pods it keeps."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::meta::v1::LabelSelectorRequirement;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    /// Upstream's `TestHumanDuration` and `TestHumanDurationBoundaries` tables.
    #[test]
    fn human_duration_matches_upstream_boundaries() {
        let second = TimeDelta::seconds(1);
        let milli = TimeDelta::milliseconds(1);
        let minute = TimeDelta::minutes(1);
        let hour = TimeDelta::hours(1);
        let day = TimeDelta::days(1);
        let year = day * 365;
        let cases = [
            (second, "1s"),
            (second * 70, "70s"),
            (second * 190, "3m10s"),
            (minute * 70, "70m"),
            (hour * 47, "47h"),
            (hour * 49, "2d1h"),
            (hour * (8 * 24 + 2), "8d"),
            (hour * (367 * 24), "367d"),
            (hour * (365 * 2 * 24 + 25), "2y1d"),
            (hour * (365 * 8 * 24 + 2), "8y"),
            (second * -2, "<invalid>"),
            (second * -2 + TimeDelta::nanoseconds(1), "0s"),
            (TimeDelta::zero(), "0s"),
            (second - milli, "0s"),
            (minute * 2 - milli, "119s"),
            (minute * 2, "2m"),
            (minute * 2 + second, "2m1s"),
            (minute * 10 - milli, "9m59s"),
            (minute * 10, "10m"),
            (minute * 10 + second, "10m"),
            (hour * 3 - milli, "179m"),
            (hour * 3, "3h"),
            (hour * 3 + minute, "3h1m"),
            (hour * 8 - milli, "7h59m"),
            (hour * 8, "8h"),
            (hour * 8 + minute * 59, "8h"),
            (day * 2 - milli, "47h"),
            (day * 2, "2d"),
            (day * 2 + hour, "2d1h"),
            (day * 8 - milli, "7d23h"),
            (day * 8, "8d"),
            (day * 8 + hour * 23, "8d"),
            (year * 2 - milli, "729d"),
            (year * 2, "2y"),
            (year * 2 + hour * 23 + minute * 59, "2y"),
            (year * 2 + day - milli, "2y"),
            (year * 2 + day, "2y1d"),
            (year * 3, "3y"),
            (year * 7, "7y"),
            (year * 8 - milli, "7y364d"),
            (year * 8, "8y"),
            (year * 8 + day * 364, "8y"),
            (year * 9, "9y"),
        ];
        for (elapsed, expected) in cases {
            assert_eq!(human_duration(elapsed), expected, "{elapsed}");
        }
    }

    #[test]
    fn ages_of_set_and_unset_timestamps() {
        let now = at("2024-05-01T10:00:00Z");
        let created: Time = "2024-05-01T09:55:00Z".parse().unwrap();
        assert_eq!(age(Some(&created), now), "5m");
        assert_eq!(age(None, now), "<unknown>");
        let observed: MicroTime = "2024-05-01T09:59:30.500000Z".parse().unwrap();
        assert_eq!(micro_age(Some(&observed), now), "29s");
        assert_eq!(micro_age(None, now), "<unknown>");
    }

    #[test]
    fn labels_print_in_key_order_or_none() {
        let labels = BTreeMap::from([("tier".into(), "fe".into()), ("app".into(), "web".into())]);
        assert_eq!(format_labels(&labels), "app=web,tier=fe");
        assert_eq!(format_labels(&BTreeMap::new()), "<none>");
    }

    #[test]
    fn label_selectors_print_canonically() {
        let selector = LabelSelector {
            match_labels: BTreeMap::from([("app".into(), "web".into())]),
            match_expressions: vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: "In".into(),
                values: vec!["fe".into(), "be".into()],
            }],
        };
        assert_eq!(format_label_selector(Some(&selector)), "app=web,tier in (be,fe)");
        assert_eq!(format_label_selector(None), "<none>");
        assert_eq!(format_label_selector(Some(&LabelSelector::default())), "<none>");
        let broken = LabelSelector {
            match_expressions: vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: "Sometimes".into(),
                values: vec![],
            }],
            ..Default::default()
        };
        assert_eq!(format_label_selector(Some(&broken)), "<error>");
    }

    #[test]
    fn containers_join_names_and_images() {
        let containers = [
            Container { name: "web".into(), image: "nginx:1.27".into(), ..Default::default() },
            Container { name: "log".into(), image: "fluentd".into(), ..Default::default() },
        ];
        assert_eq!(
            container_cells(&containers),
            ["web,log", "nginx:1.27,fluentd"].map(Value::from)
        );
        assert_eq!(container_cells(&[]), ["", ""].map(Value::from));
    }

    #[test]
    fn host_ports_bracket_ipv6() {
        assert_eq!(join_host_port("10.0.0.1", 80), "10.0.0.1:80");
        assert_eq!(join_host_port("fd00::1", 443), "[fd00::1]:443");
    }
}
