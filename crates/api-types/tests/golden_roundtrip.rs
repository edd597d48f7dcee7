//! Wire fidelity against upstream's own serializers.
//!
//! Every file under `tests/golden/{kubectl,python-client}/` holds an object written by the real
//! kubectl or by the official Python client (see `tests/golden/README.md`). Each is read into our
//! type for its `apiVersion`/`kind`, written back, and compared with the golden: a field our type
//! does not know is lost, a field it writes that upstream omits is added, and either fails.
//!
//! The one normalization: null-valued object keys are removed from both documents before they are
//! compared. Go writes `null` for an unset non-pointer time (`creationTimestamp: null`,
//! `lastProbeTime: null`), while the Python client drops every `None`, so the same object reaches
//! us with or without those keys and both must be accepted. Nothing else is normalized.

use api_types::api::apps::v1::{DaemonSet, Deployment, ReplicaSet};
use api_types::api::autoscaling::v1::Scale;
use api_types::api::coordination::v1::Lease;
use api_types::api::core::v1::{
    Binding, ComponentStatus, ConfigMap, Endpoints, Event, LimitRange, Namespace, Node,
    PersistentVolume, PersistentVolumeClaim, Pod, PodTemplate, ReplicationController,
    ResourceQuota, Secret, Service, ServiceAccount,
};
use api_types::meta::v1::{APIGroupList, APIResourceList, APIVersions, Status};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::fmt::Debug;
use std::fs;
use std::path::{Path, PathBuf};

/// The folders that hold goldens, one per authoritative source.
const SOURCES: [&str; 2] = ["kubectl", "python-client"];

/// A group of related kinds checked by one `#[test]`, so a failure names the area at fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Pods,
    Controllers,
    Networking,
    Configuration,
    Cluster,
    Storage,
    Policy,
    Meta,
}

/// How to check goldens of one kind: which Rust type reads them, and which test owns them.
struct KindCheck {
    api_version: &'static str,
    kind: &'static str,
    family: Family,
    round_trip: fn(&Value) -> Vec<String>,
}

fn check<T>(api_version: &'static str, kind: &'static str, family: Family) -> KindCheck
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    KindCheck { api_version, kind, family, round_trip: round_trip_problems::<T> }
}

/// Every kind with goldens, and the Rust type that must reproduce them.
fn kind_checks() -> Vec<KindCheck> {
    use Family::*;
    vec![
        check::<Pod>("v1", "Pod", Pods),
        check::<PodTemplate>("v1", "PodTemplate", Pods),
        check::<Binding>("v1", "Binding", Pods),
        check::<ReplicationController>("v1", "ReplicationController", Controllers),
        check::<Deployment>("apps/v1", "Deployment", Controllers),
        check::<ReplicaSet>("apps/v1", "ReplicaSet", Controllers),
        check::<DaemonSet>("apps/v1", "DaemonSet", Controllers),
        check::<Scale>("autoscaling/v1", "Scale", Controllers),
        check::<Service>("v1", "Service", Networking),
        check::<Endpoints>("v1", "Endpoints", Networking),
        check::<ConfigMap>("v1", "ConfigMap", Configuration),
        check::<Secret>("v1", "Secret", Configuration),
        check::<ServiceAccount>("v1", "ServiceAccount", Configuration),
        check::<Node>("v1", "Node", Cluster),
        check::<Namespace>("v1", "Namespace", Cluster),
        check::<Event>("v1", "Event", Cluster),
        check::<ComponentStatus>("v1", "ComponentStatus", Cluster),
        check::<Lease>("coordination.k8s.io/v1", "Lease", Cluster),
        check::<PersistentVolume>("v1", "PersistentVolume", Storage),
        check::<PersistentVolumeClaim>("v1", "PersistentVolumeClaim", Storage),
        check::<LimitRange>("v1", "LimitRange", Policy),
        check::<ResourceQuota>("v1", "ResourceQuota", Policy),
        check::<Status>("v1", "Status", Meta),
        check::<APIResourceList>("v1", "APIResourceList", Meta),
        check::<APIGroupList>("v1", "APIGroupList", Meta),
        check::<APIVersions>("v1", "APIVersions", Meta),
    ]
}

/// Reads `golden` as `T`, writes it back and lists every difference from the golden (after the
/// null normalization). A clean round trip must also read back to the same value, so that a
/// `null` we write (`creationTimestamp: null`) means to us what it means to Go.
fn round_trip_problems<T>(golden: &Value) -> Vec<String>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let typed: T = match serde_json::from_value(golden.clone()) {
        Ok(typed) => typed,
        Err(err) => return vec![format!("decode: {err}")],
    };
    let written = match serde_json::to_value(&typed) {
        Ok(written) => written,
        Err(err) => return vec![format!("encode: {err}")],
    };
    let differences = json_differences(&without_nulls(golden), &without_nulls(&written));
    if !differences.is_empty() {
        return differences;
    }
    match serde_json::from_value::<T>(written) {
        Ok(reread) if reread == typed => Vec::new(),
        Ok(reread) => vec![format!(
            "reading our own output back gives a different value:\n  first:  {typed:?}\n  reread: {reread:?}"
        )],
        Err(err) => vec![format!("decode our own output: {err}")],
    }
}

/// One golden file.
struct Golden {
    path: PathBuf,
    source: String,
    object: Value,
}

impl Golden {
    /// The `apiVersion` that picks the Rust type. Discovery documents of the legacy group
    /// (`/api`, `/api/v1`) are written without one; their types are meta `v1`.
    fn api_version(&self) -> &str {
        self.object.get("apiVersion").and_then(Value::as_str).unwrap_or("v1")
    }

    fn kind(&self) -> &str {
        self.object.get("kind").and_then(Value::as_str).unwrap_or("")
    }

    fn display_path(&self) -> String {
        let root = golden_root();
        self.path.strip_prefix(&root).unwrap_or(&self.path).display().to_string()
    }
}

fn golden_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Every golden of every source, in a stable order.
fn load_goldens() -> Vec<Golden> {
    let mut goldens = Vec::new();
    for source in SOURCES {
        let dir = golden_root().join(source);
        let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("reading {}: {err}", dir.display()))
            .map(|entry| entry.expect("listing goldens").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("reading {}: {err}", path.display()));
            let mut file: Value = serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("parsing {}: {err}", path.display()));
            let source = file["source"].as_str().unwrap_or_default().to_string();
            let object = file
                .get_mut("object")
                .map(Value::take)
                .unwrap_or_else(|| panic!("{} has no \"object\"", path.display()));
            goldens.push(Golden { path, source, object });
        }
    }
    assert!(!goldens.is_empty(), "no goldens under {}", golden_root().display());
    goldens
}

/// The document with every null-valued object key removed, at any depth: the one normalization
/// (see the module comment). Nulls inside arrays are kept; no golden has any.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, item)| !item.is_null())
                .map(|(key, item)| (key.clone(), without_nulls(item)))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Every JSON path where `ours` differs from `golden`, each with what each side holds.
fn json_differences(golden: &Value, ours: &Value) -> Vec<String> {
    let mut found = Vec::new();
    collect_differences("$", golden, ours, &mut found);
    found
}

fn collect_differences(path: &str, golden: &Value, ours: &Value, found: &mut Vec<String>) {
    match (golden, ours) {
        (Value::Object(left), Value::Object(right)) => {
            for (key, item) in left {
                let child = format!("{path}.{key}");
                match right.get(key) {
                    Some(other) => collect_differences(&child, item, other, found),
                    None => found.push(format!("{child}: lost (golden has {item})")),
                }
            }
            for (key, item) in right {
                if !left.contains_key(key) {
                    found.push(format!("{path}.{key}: added (we wrote {item})"));
                }
            }
        }
        (Value::Array(left), Value::Array(right)) if left.len() == right.len() => {
            for (index, (item, other)) in left.iter().zip(right).enumerate() {
                collect_differences(&format!("{path}[{index}]"), item, other, found);
            }
        }
        (Value::Array(left), Value::Array(right)) => {
            found.push(format!("{path}: golden has {} items, we wrote {}", left.len(), right.len()))
        }
        _ if golden == ours => {}
        _ => found.push(format!("{path}: golden has {golden}, we wrote {ours}")),
    }
}

/// Round-trips every golden whose kind belongs to `family`; panics with one report naming each
/// failing file, its source and every differing path.
fn assert_family_round_trips(family: Family) {
    let goldens = load_goldens();
    let checks: Vec<KindCheck> =
        kind_checks().into_iter().filter(|check| check.family == family).collect();
    let mut failures = Vec::new();
    for check in &checks {
        let ours: Vec<&Golden> = goldens
            .iter()
            .filter(|golden| {
                golden.api_version() == check.api_version && golden.kind() == check.kind
            })
            .collect();
        if ours.is_empty() {
            failures.push(format!("{} {}: no golden", check.api_version, check.kind));
        }
        for golden in ours {
            let problems = (check.round_trip)(&golden.object);
            if !problems.is_empty() {
                failures.push(format!(
                    "{} ({})\n  from: {}\n  {}",
                    golden.display_path(),
                    check.kind,
                    golden.source,
                    problems.join("\n  ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden(s) of {family:?} did not round-trip:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn pods_and_templates_round_trip() {
    assert_family_round_trips(Family::Pods);
}

#[test]
fn controllers_round_trip() {
    assert_family_round_trips(Family::Controllers);
}

#[test]
fn services_and_endpoints_round_trip() {
    assert_family_round_trips(Family::Networking);
}

#[test]
fn configuration_round_trips() {
    assert_family_round_trips(Family::Configuration);
}

#[test]
fn cluster_objects_round_trip() {
    assert_family_round_trips(Family::Cluster);
}

#[test]
fn storage_round_trips() {
    assert_family_round_trips(Family::Storage);
}

#[test]
fn quota_and_limits_round_trip() {
    assert_family_round_trips(Family::Policy);
}

#[test]
fn meta_documents_round_trip() {
    assert_family_round_trips(Family::Meta);
}

/// A golden whose kind no test claims would silently go unchecked.
#[test]
fn every_golden_has_a_rust_type() {
    let checks = kind_checks();
    let unclaimed: Vec<String> = load_goldens()
        .iter()
        .filter(|golden| {
            !checks.iter().any(|check| {
                check.api_version == golden.api_version() && check.kind == golden.kind()
            })
        })
        .map(|golden| {
            format!("{}: {} {}", golden.display_path(), golden.api_version(), golden.kind())
        })
        .collect();
    assert!(
        unclaimed.is_empty(),
        "goldens with no Rust type in kind_checks():\n  {}",
        unclaimed.join("\n  ")
    );
}

/// The diff helper itself: the failure report is only useful if it names the right paths.
#[test]
fn json_differences_name_every_path() {
    let golden = serde_json::json!({
        "spec": {"containers": [{"name": "a", "resources": {}}], "hostNetwork": true},
        "status": {"phase": "Running"}
    });
    let ours = serde_json::json!({
        "spec": {"containers": [{"name": "b"}], "dnsPolicy": ""},
        "status": {"phase": "Running", "conditions": [1, 2]}
    });
    assert_eq!(
        json_differences(&golden, &ours),
        vec![
            "$.spec.containers[0].name: golden has \"a\", we wrote \"b\"",
            "$.spec.containers[0].resources: lost (golden has {})",
            "$.spec.hostNetwork: lost (golden has true)",
            "$.spec.dnsPolicy: added (we wrote \"\")",
            "$.status.conditions: added (we wrote [1,2])",
        ]
    );
    assert!(json_differences(&golden, &golden).is_empty());
}

/// The normalization removes null-valued keys only, at every depth, and nothing else.
#[test]
fn without_nulls_drops_only_null_keys() {
    let document = serde_json::json!({
        "metadata": {"name": "x", "creationTimestamp": null},
        "status": {"conditions": [{"type": "Ready", "lastProbeTime": null}], "phase": ""},
        "spec": {}
    });
    assert_eq!(
        without_nulls(&document),
        serde_json::json!({
            "metadata": {"name": "x"},
            "status": {"conditions": [{"type": "Ready"}], "phase": ""},
            "spec": {}
        })
    );
}
