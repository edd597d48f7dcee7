//! The apiserver under test, in this process: the crate's own `assemble` and `serve` with the
//! flags the binary would get, on a loopback port the system picks, over the embedded store or
//! a real etcd. The bench keeps a handle on the very `Storage` the server writes through, so
//! the floor runs on the same store, files and connection.

use component_base::ShutdownToken;
use kube_apiserver::options::Options;
use kube_apiserver::storage::Storage;
use kube_apiserver::{Listeners, assemble, serve};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// How long the server may take to stop once asked.
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

/// A serving apiserver; its data directory is removed when it is dropped.
pub struct Apiserver {
    pub address: SocketAddr,
    /// The store the server writes through.
    pub storage: Arc<dyn Storage>,
    shutdown: ShutdownToken,
    task: JoinHandle<()>,
    _directory: TempDir,
}

impl Apiserver {
    /// Starts a server with the default flags plus `flags` (none for the embedded store,
    /// `--etcd-servers=...` for etcd).
    pub async fn start(flags: &[String]) -> Apiserver {
        let directory = tempfile::Builder::new()
            .prefix("bench-apiserver-")
            .tempdir()
            .expect("create the apiserver's directory");
        let mut argv = vec![
            "kube-apiserver".to_string(),
            format!("--data-dir={}", directory.path().join("data").display()),
            format!("--cert-dir={}", directory.path().join("certs").display()),
        ];
        argv.extend_from_slice(flags);
        let options = Options::try_parse_args(&argv).expect("the bench's flags parse");
        let storage = options.storage.open().await.expect("open the apiserver's storage");
        let resources =
            assemble(&options, Arc::clone(&storage)).await.expect("assemble the resources");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let address = listener.local_addr().expect("the bound port");
        let listeners = Listeners { insecure: Some(listener), secure: None };
        let shutdown = ShutdownToken::new();
        let token = shutdown.clone();
        let task = tokio::spawn(async move {
            serve(&options, listeners, resources, token).await.expect("the apiserver serves");
        });
        Apiserver { address, storage, shutdown, task, _directory: directory }
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(self) {
        self.shutdown.trigger();
        tokio::time::timeout(STOP_TIMEOUT, self.task)
            .await
            .expect("the apiserver stops in time")
            .expect("the apiserver's task ends cleanly");
    }
}
