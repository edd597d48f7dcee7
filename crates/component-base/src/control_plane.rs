//! The flags every control-plane component that talks to the apiserver shares (the controller
//! manager and the scheduler): how to reach the apiserver, where `/healthz` and `/metrics` are
//! served, and leader election on a Lease; and starting the health server they describe.

use crate::HealthServer;
use crate::flags::parse_go_duration;
use crate::signals::ShutdownToken;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How to reach the apiserver.
#[derive(Clone, Debug, PartialEq, clap::Args)]
pub struct ConnectionOptions {
    /// The apiserver's address (`http://127.0.0.1:8080`); overrides the kubeconfig's server.
    #[arg(long)]
    pub master: Option<String>,
    /// A kubeconfig file with the server and credentials.
    #[arg(long)]
    pub kubeconfig: Option<PathBuf>,
    /// Requests per second the component may send to the apiserver.
    #[arg(long, default_value_t = 20.0)]
    pub kube_api_qps: f64,
    /// Requests allowed above the rate in short bursts.
    #[arg(long, default_value_t = 30)]
    pub kube_api_burst: u32,
}

/// Where `/healthz` and `/metrics` are served.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct ServingOptions {
    /// The address of the health and metrics port (`--bind-address` in newer releases).
    #[arg(long, alias = "bind-address", default_value = "127.0.0.1")]
    pub address: IpAddr,
    /// The health and metrics port; 0 turns it off. The default is the controller manager's;
    /// other components override it when they build their command line.
    #[arg(long, default_value_t = 10252)]
    pub port: u16,
}

/// Leader election on a Lease, so that only one of several replicas acts.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct LeaderElectionOptions {
    /// Elect a leader before doing any work (on by default, as upstream).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1,
          default_missing_value = "true")]
    pub leader_elect: bool,
    /// How long a lease holds without renewal.
    #[arg(long, default_value = "15s", value_parser = parse_go_duration)]
    pub leader_elect_lease_duration: Duration,
    /// How long the leader keeps trying to renew before it gives up leading.
    #[arg(long, default_value = "10s", value_parser = parse_go_duration)]
    pub leader_elect_renew_deadline: Duration,
    /// How often candidates try to acquire and leaders renew.
    #[arg(long, default_value = "2s", value_parser = parse_go_duration)]
    pub leader_elect_retry_period: Duration,
    /// The namespace of the Lease.
    #[arg(long, default_value = "kube-system")]
    pub leader_elect_resource_namespace: String,
    /// The name of the Lease (the component's name; the default is the controller manager's).
    #[arg(long, default_value = "kube-controller-manager")]
    pub leader_elect_resource_name: String,
}

impl ServingOptions {
    /// Binds the health and metrics port and serves `registry` there until `shutdown`; `None`
    /// when the port is 0 (off).
    pub async fn start_health(
        &self,
        registry: prometheus::Registry,
        shutdown: &ShutdownToken,
    ) -> Result<Option<JoinHandle<()>>, (SocketAddr, std::io::Error)> {
        if self.port == 0 {
            return Ok(None);
        }
        let address = SocketAddr::new(self.address, self.port);
        let listener =
            tokio::net::TcpListener::bind(address).await.map_err(|error| (address, error))?;
        let server = HealthServer::new(registry);
        let stop = shutdown.wait();
        Ok(Some(tokio::spawn(async move {
            if let Err(error) = server.serve_on(listener, stop).await {
                tracing::error!(%error, "health server stopped");
            }
        })))
    }
}
