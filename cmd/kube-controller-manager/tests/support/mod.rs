//! A control plane for controller tests: a real apiserver in this process (embedded store, or
//! etcd when asked) and a controller-manager context on it.

#![allow(dead_code)]

use client::{Client, Config};
use component_base::ShutdownToken;
use kube_apiserver::testing::InProcessApiServer;
use kube_controller_manager::controller::context::ControllerContext;
use kube_controller_manager::options::Options;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How long a test waits for the cluster to converge before failing.
pub const CONVERGE: Duration = Duration::from_secs(30);

/// A running apiserver and a context for controllers; everything stops when dropped.
pub struct ControlPlane {
    pub server: InProcessApiServer,
    pub client: Client,
    pub context: ControllerContext,
    pub shutdown: ShutdownToken,
    _directory: tempfile::TempDir,
}

impl ControlPlane {
    /// Starts an apiserver, and a context parsed from `flags` (plus `--master`).
    pub async fn start(flags: &[&str]) -> ControlPlane {
        let directory = tempfile::tempdir().unwrap();
        let server = InProcessApiServer::start(directory.path(), &[]).await.expect("apiserver");
        let client = Client::new(Config::for_server(&server.url()).unwrap()).unwrap();
        let master = format!("--master={}", server.url());
        let mut argv = vec!["kube-controller-manager", master.as_str()];
        argv.extend_from_slice(flags);
        let options = Options::try_parse_args(argv).expect("flags parse");
        let shutdown = ShutdownToken::new();
        let registry = prometheus::Registry::new();
        let context =
            ControllerContext::new(client.clone(), Arc::new(options), shutdown.clone(), &registry);
        ControlPlane { server, client, context, shutdown, _directory: directory }
    }
}

impl Drop for ControlPlane {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// Polls `check` until it returns `Some`, failing the test with `what` after [`CONVERGE`].
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + CONVERGE;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
