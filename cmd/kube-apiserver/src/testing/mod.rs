//! A whole apiserver inside a test process, for the integration tests of every component that
//! talks to one (client, controllers, scheduler, kubelet, proxy): real storage in a directory the
//! caller owns, the built-in behaviour (admission, allocators, bootstrap objects) as the binary
//! runs it, and a loopback port the system picks. Upstream keeps the same kind of helper next to
//! its apiserver (`cmd/kube-apiserver/app/testing`). [`etcd::EtcdServer`] is a throwaway real
//! etcd for tests that want the etcd backend.

pub mod etcd;

use crate::options::Options;
use crate::{Listeners, RunError, assemble, serve, start_bootstrap};
use component_base::ShutdownToken;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// How often the in-process server repairs its bootstrap objects (fast, so tests that delete
/// them see them come back quickly).
const TEST_BOOTSTRAP_INTERVAL: Duration = Duration::from_secs(1);

/// A running in-process apiserver; it stops when dropped.
pub struct InProcessApiServer {
    /// Where its plain HTTP port listens.
    pub address: SocketAddr,
    shutdown: ShutdownToken,
    tasks: Vec<JoinHandle<()>>,
}

impl InProcessApiServer {
    /// Starts an apiserver with the embedded store under `directory` (which must outlive it),
    /// serving plain HTTP only (the `kubernetes` Service still names the default secure port),
    /// and `flags` added to the command line (for example
    /// `--etcd-servers=...` to use etcd instead).
    pub async fn start(directory: &Path, flags: &[&str]) -> Result<Self, RunError> {
        let data_dir = format!("--data-dir={}", directory.join("data").display());
        let mut argv = vec!["kube-apiserver", &data_dir, "--embedded-fsync=false"];
        argv.extend_from_slice(flags);
        let options = Options::try_parse_args(argv)
            .map_err(|error| RunError::Builtin(format!("test flags: {error}")))?;
        let storage = options.storage.open().await?;
        let resources = assemble(&options, storage).await?;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|source| RunError::Bind { address: ([127, 0, 0, 1], 0).into(), source })?;
        let address = listener.local_addr().expect("a bound listener has an address");
        let shutdown = ShutdownToken::new();
        let bootstrap =
            start_bootstrap(&options, &resources, TEST_BOOTSTRAP_INTERVAL, shutdown.clone())
                .await?;
        let listeners = Listeners { insecure: Some(listener), secure: None };
        let token = shutdown.clone();
        let server = tokio::spawn(async move {
            if let Err(error) = serve(&options, listeners, resources, token).await {
                tracing::error!(%error, "in-process apiserver stopped");
            }
        });
        Ok(InProcessApiServer { address, shutdown, tasks: vec![bootstrap, server] })
    }

    /// `http://127.0.0.1:<port>`, for clients.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops serving and waits for the server's tasks to end.
    pub async fn stop(mut self) {
        self.shutdown.trigger();
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}

impl Drop for InProcessApiServer {
    fn drop(&mut self) {
        self.shutdown.trigger();
        for task in &self.tasks {
            task.abort();
        }
    }
}
