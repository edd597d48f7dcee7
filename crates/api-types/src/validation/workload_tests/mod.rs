//! End-to-end tests of the workload kinds: objects written as a client writes them (YAML),
//! defaulted as the apiserver defaults them, then validated, so each test sees exactly what a
//! Go apiserver's validation would see. The per-rule tests of the building blocks live next to
//! them (`container`, `volume`, `probe`, ...).

mod apps;
mod binding;
mod book;
mod pod;
mod pod_template;
mod pod_update;
mod replication_controller;

use crate::defaults::ApplyDefaults;
use crate::validation::{ErrorList, ErrorType, FieldError};
use serde::de::DeserializeOwned;

/// A web pod as `kubectl run` would send it.
const WEB_POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: default
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
";

/// Parses a manifest and applies the apiserver's defaults, as happens before validation.
fn defaulted<T: DeserializeOwned + ApplyDefaults>(manifest: &str) -> T {
    let mut object: T = serde_yaml_ng::from_str(manifest).expect("test manifest parses");
    object.apply_defaults();
    object
}

/// The rendered field paths of `errors`, in order.
fn fields(errors: &ErrorList) -> Vec<&str> {
    errors.iter().map(|error| error.field.as_str()).collect()
}

/// The one finding at `field`; fails the test if there is none or more than one.
fn single<'a>(errors: &'a ErrorList, field: &str) -> &'a FieldError {
    let found: Vec<&FieldError> = errors.iter().filter(|error| error.field == field).collect();
    assert_eq!(found.len(), 1, "findings at {field} in {errors}");
    found[0]
}

/// Asserts that `errors` hold a finding of `kind` at `field` and returns it.
fn expect<'a>(errors: &'a ErrorList, field: &str, kind: ErrorType) -> &'a FieldError {
    let error = single(errors, field);
    assert_eq!(error.kind, kind, "{error}");
    error
}
