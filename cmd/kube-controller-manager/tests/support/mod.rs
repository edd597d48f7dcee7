//! A control plane for controller tests: a real apiserver in this process (embedded store, or
//! etcd when asked) and a controller-manager context on it.

#![allow(dead_code)]

use client::{Client, Config};
use component_base::ShutdownToken;
use kube_apiserver::testing::InProcessApiServer;
use kube_apiserver::testing::etcd::EtcdServer;
use kube_controller_manager::controller::context::ControllerContext;
use kube_controller_manager::options::Options;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How long a test waits for the cluster to converge before failing.
pub const CONVERGE: Duration = Duration::from_secs(30);

/// Which storage the apiserver runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded store in a temporary directory.
    Embedded,
    /// A real etcd started for this control plane.
    Etcd,
}

/// A running apiserver and a context for controllers; everything stops when dropped.
pub struct ControlPlane {
    pub server: InProcessApiServer,
    _etcd: Option<EtcdServer>,
    pub client: Client,
    pub context: ControllerContext,
    pub shutdown: ShutdownToken,
    _directory: tempfile::TempDir,
}

impl ControlPlane {
    /// Starts an apiserver on the embedded store, and a context parsed from `flags` (plus
    /// `--master`).
    pub async fn start(flags: &[&str]) -> ControlPlane {
        ControlPlane::start_on(Backend::Embedded, flags).await
    }

    /// Starts an apiserver on `backend`, and a context parsed from `flags` (plus `--master`).
    pub async fn start_on(backend: Backend, flags: &[&str]) -> ControlPlane {
        let directory = tempfile::tempdir().unwrap();
        let etcd = (backend == Backend::Etcd).then(EtcdServer::start);
        let etcd_flag = etcd.as_ref().map(|etcd| format!("--etcd-servers={}", etcd.endpoint()));
        let server_flags: Vec<&str> = etcd_flag.iter().map(String::as_str).collect();
        let server =
            InProcessApiServer::start(directory.path(), &server_flags).await.expect("apiserver");
        let client = Client::new(Config::for_server(&server.url()).unwrap()).unwrap();
        let master = format!("--master={}", server.url());
        let mut argv = vec!["kube-controller-manager", master.as_str()];
        argv.extend_from_slice(flags);
        let options = Options::try_parse_args(argv).expect("flags parse");
        let shutdown = ShutdownToken::new();
        let registry = prometheus::Registry::new();
        let context =
            ControllerContext::new(client.clone(), Arc::new(options), shutdown.clone(), &registry);
        ControlPlane { server, _etcd: etcd, client, context, shutdown, _directory: directory }
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
