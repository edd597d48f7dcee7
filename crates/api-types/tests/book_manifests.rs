//! The book's manifests, as the book describes them.
//!
//! `tests/book/manifests/` holds every API object printed in "Kubernetes 权威指南" (corrected as
//! the feature inventories' errata recommend; see `tests/book/README.md`), and
//! `tests/book/expectations.json` says, per file, whether upstream validation accepts it, which
//! field it names when not, and which defaults the book states or shows. Each manifest is parsed
//! (YAML or JSON, as printed), defaulted and validated as the apiserver would on create.

use api_types::Resource;
use api_types::api::core::v1::{
    Endpoints, LimitRange, Namespace, Node, Pod, ReplicationController, ResourceQuota, Secret,
    Service, ServiceAccount,
};
use api_types::defaults::ApplyDefaults;
use api_types::validation::{ErrorList, Validate};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One entry of `expectations.json`.
#[derive(Debug, Deserialize)]
struct Expectation {
    file: String,
    book_lines: String,
    kind: String,
    expect: Verdict,
    #[serde(default)]
    invalid_field: Option<String>,
    #[serde(default)]
    defaults: BTreeMap<String, Value>,
}

#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Verdict {
    Valid,
    Invalid,
}

/// What the apiserver's create path makes of a manifest: the defaulted object and the findings.
struct Admitted {
    defaulted: Value,
    errors: ErrorList,
}

/// The create path up to validation, as `kubectl create -f` and the apiserver run it: decode,
/// take the request's namespace (`default`, as kubectl sends it) when the manifest names none,
/// apply defaults, run the kind's preparation, validate.
fn admit<T: Resource + ApplyDefaults + Validate>(
    manifest: Value,
    prepare: fn(&mut T),
) -> Result<Admitted, String> {
    let mut object: T = serde_json::from_value(manifest).map_err(|err| format!("decode: {err}"))?;
    if T::NAMESPACED && object.metadata().namespace.is_empty() {
        object.metadata_mut().namespace = "default".to_string();
    }
    object.apply_defaults();
    prepare(&mut object);
    let errors = object.validate();
    let defaulted = serde_json::to_value(&object).map_err(|err| format!("encode: {err}"))?;
    Ok(Admitted { defaulted, errors })
}

/// The create path for the kinds the book prints.
fn admit_kind(kind: &str, manifest: Value) -> Result<Admitted, String> {
    match kind {
        "Pod" => admit::<Pod>(manifest, |_| {}),
        "ReplicationController" => admit::<ReplicationController>(manifest, |_| {}),
        "Service" => admit::<Service>(manifest, |service| service.spec.normalize_cluster_ips(None)),
        "Endpoints" => admit::<Endpoints>(manifest, |_| {}),
        "Namespace" => admit::<Namespace>(manifest, |_| {}),
        "Node" => admit::<Node>(manifest, |_| {}),
        "Secret" => admit::<Secret>(manifest, |_| {}),
        "ServiceAccount" => admit::<ServiceAccount>(manifest, |_| {}),
        "LimitRange" => admit::<LimitRange>(manifest, |_| {}),
        "ResourceQuota" => admit::<ResourceQuota>(manifest, |_| {}),
        other => Err(format!("no kind {other} in this test's table")),
    }
}

fn book_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/book")
}

/// Reads a manifest as printed: JSON files as JSON, everything else as YAML.
fn read_manifest(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("reading {}: {err}", path.display()));
    if path.extension().is_some_and(|ext| ext == "json") {
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
    } else {
        serde_yaml_ng::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
    }
}

fn expectations() -> Vec<Expectation> {
    let path = book_dir().join("expectations.json");
    let text = std::fs::read_to_string(&path).expect("expectations.json");
    serde_json::from_str(&text).expect("expectations.json is well formed")
}

/// Checks one manifest against its expectation; returns every problem found.
fn check(expectation: &Expectation) -> Vec<String> {
    let manifest = read_manifest(&book_dir().join(&expectation.file));
    let declared = manifest.get("kind").and_then(Value::as_str).unwrap_or_default();
    if declared != expectation.kind {
        return vec![format!("kind is {declared:?}, expectations say {:?}", expectation.kind)];
    }
    let admitted = match admit_kind(&expectation.kind, manifest) {
        Ok(admitted) => admitted,
        Err(err) => return vec![err],
    };
    let mut problems = Vec::new();
    match (expectation.expect, admitted.errors.is_empty()) {
        (Verdict::Valid, false) => {
            problems.push(format!("expected valid, got: {}", admitted.errors));
        }
        (Verdict::Invalid, true) => problems.push("expected invalid, validation passed".into()),
        (Verdict::Invalid, false) => {
            if let Some(field) = &expectation.invalid_field {
                if !admitted.errors.iter().any(|error| &error.field == field) {
                    problems
                        .push(format!("expected an error on {field}, got: {}", admitted.errors));
                }
            }
        }
        (Verdict::Valid, true) => {}
    }
    for (pointer, expected) in &expectation.defaults {
        match admitted.defaulted.pointer(pointer) {
            Some(actual) if actual == expected => {}
            actual => {
                problems.push(format!("default {pointer}: expected {expected}, got {actual:?}"))
            }
        }
    }
    problems
}

#[test]
fn every_book_manifest_parses_defaults_and_validates_as_the_book_describes() {
    let expectations = expectations();
    assert!(expectations.len() >= 70, "the corpus lost manifests: {}", expectations.len());
    let mut failures = Vec::new();
    for expectation in &expectations {
        let problems = check(expectation);
        if !problems.is_empty() {
            failures.push(format!(
                "{} ({}):\n    {}",
                expectation.file,
                expectation.book_lines,
                problems.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} manifests fail:\n{}",
        failures.len(),
        expectations.len(),
        failures.join("\n")
    );
}

#[test]
fn every_manifest_file_has_an_expectation() {
    let listed: Vec<String> = expectations().into_iter().map(|e| e.file).collect();
    let dir = book_dir().join("manifests");
    for entry in std::fs::read_dir(&dir).expect("manifests dir") {
        let name = format!("manifests/{}", entry.unwrap().file_name().to_string_lossy());
        assert!(listed.contains(&name), "{name} has no entry in expectations.json");
    }
}
