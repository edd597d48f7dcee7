//! The official Python client (`kubernetes` from PyPI, pinned in hack/install-deps.sh) against
//! the real kube-apiserver binary: CRUD of pods, services, replication controllers,
//! deployments and namespaces, watches, resuming, and 410 Gone after compaction. The checks
//! themselves are in tests/python/client_test.py.

mod api_server;
mod real_server;

use real_server::{Backend, RealServer};
use std::path::PathBuf;
use std::process::Command;

/// How often the server under test compacts; the script waits five intervals, so two full
/// ticks pass after its writes even on a loaded machine.
const COMPACTION_INTERVAL_SECONDS: u32 = 1;

/// The venv hack/install-deps.sh makes at the repository root.
fn venv_python() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = root.join(".venv-test/bin/python");
    assert!(
        python.exists(),
        "the Python client venv is missing at {}: run hack/install-deps.sh to create it",
        python.display()
    );
    python
}

#[test]
fn official_python_client_round_trips() {
    python_client_session(Backend::Embedded);
}

#[test]
fn official_python_client_round_trips_on_etcd() {
    python_client_session(Backend::Etcd);
}

fn python_client_session(backend: Backend) {
    let python = venv_python();
    let interval = format!("--etcd-compaction-interval={COMPACTION_INTERVAL_SECONDS}s");
    let server = RealServer::start_on(backend, &[&interval]);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/client_test.py");
    let wait = (5 * COMPACTION_INTERVAL_SECONDS).to_string();
    let output = Command::new(python)
        .arg(script)
        .arg(server.url())
        .arg(wait)
        .output()
        .expect("the venv's python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "client_test.py on {backend:?} failed:\n{stdout}\n{stderr}\nserver log:\n{}",
        server.log()
    );
    for check in [
        "ok namespaces",
        "ok pods",
        "ok services",
        "ok replicationcontrollers",
        "ok deployments",
        "ok watch sees ADDED, MODIFIED and DELETED",
        "ok watch resumes from a resourceVersion",
        "ok 410 Gone after compaction",
        "all passed",
    ] {
        assert!(stdout.lines().any(|line| line == check), "missing {check:?} in:\n{stdout}");
    }
}
