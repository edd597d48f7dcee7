//! kube-scheduler (book 6.4): assigns every pod without a node to one, with predicates and
//! weighted priorities (the pure [`algorithm`], configured by a provider or a [`policy`] file),
//! over a [`cache`] of nodes and the pods placed on them, fed by a [`queue`] of pods waiting,
//! run by the [`scheduler`] loop.
//!
//! [`run`] is the process: connect, serve `/healthz` and `/metrics`, and once this process
//! leads (a Lease `kube-system/kube-scheduler`, unless `--leader-elect=false`) schedule.

pub mod algorithm;
pub mod cache;
pub mod metrics;
pub mod options;
pub mod policy;
pub mod queue;
pub mod scheduler;

use client::informer::InformerFactory;
use client::leader_election::Outcome;
use client::{Client, LeaderElectionConfig, LeaderElector};
use component_base::{HealthServer, ShutdownToken};
use options::Options;
use scheduler::{Scheduler, SchedulerConfig};
use std::net::SocketAddr;

/// The component name: the user agent and the Lease's default name.
pub const COMPONENT: &str = "kube-scheduler";

/// Why the scheduler could not run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Policy(#[from] policy::PolicyError),
    #[error("connecting to the apiserver: {0}")]
    Client(#[from] client::Error),
    #[error("serving /healthz on {address}: {source}")]
    Serve { address: SocketAddr, source: std::io::Error },
    #[error("leader election: {0}")]
    LeaderElection(String),
    #[error("leader election lost")]
    LeadershipLost,
    #[error("installing signal handlers: {0}")]
    Signals(std::io::Error),
}

/// Runs until `shutdown`: checks the algorithm (a bad policy fails here, before anything
/// starts), serves health and metrics, elects a leader, then schedules.
pub async fn run(options: Options, shutdown: ShutdownToken) -> Result<(), RunError> {
    let algorithm = options.scheduling.algorithm()?;
    tracing::info!(?algorithm, "scheduling algorithm");
    let connection = &options.connection;
    let client = Client::from_flags(
        connection.master.as_deref(),
        connection.kubeconfig.as_deref(),
        COMPONENT,
    )?;
    let metrics = prometheus::Registry::new();
    let health = if options.serving.port == 0 {
        None
    } else {
        let address = SocketAddr::new(options.serving.address, options.serving.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|source| RunError::Serve { address, source })?;
        let server = HealthServer::new(metrics.clone());
        let stop = shutdown.wait();
        Some(tokio::spawn(async move {
            if let Err(error) = server.serve_on(listener, stop).await {
                tracing::error!(%error, "health server stopped");
            }
        }))
    };
    let mut config = SchedulerConfig::new(algorithm);
    config.scheduler_name = options.scheduling.scheduler_name.clone();
    config.search.percentage_of_nodes_to_score = options.scheduling.percentage_of_nodes_to_score;
    if options.scheduling.parallelism > 0 {
        config.search.parallelism = options.scheduling.parallelism;
    }
    let schedule = {
        let (client, shutdown) = (client.clone(), shutdown.clone());
        move || async move {
            tracing::info!("starting scheduler");
            let informers = InformerFactory::new(client.clone(), shutdown.clone());
            Scheduler::new(client, &informers, config, &metrics).run(shutdown).await;
        }
    };
    let outcome = if options.leader_election.leader_elect {
        let election = &options.leader_election;
        let mut lease = LeaderElectionConfig::new(
            &election.leader_elect_resource_namespace,
            &election.leader_elect_resource_name,
        );
        lease.lease_duration = election.leader_elect_lease_duration;
        lease.renew_deadline = election.leader_elect_renew_deadline;
        lease.retry_period = election.leader_elect_retry_period;
        lease.release_on_cancel = true;
        let elector = LeaderElector::new(client, lease)
            .map_err(|error| RunError::LeaderElection(error.to_string()))?;
        elector.run(shutdown.wait(), schedule).await
    } else {
        schedule().await;
        Outcome::Finished
    };
    shutdown.trigger();
    if let Some(health) = health {
        let _ = health.await;
    }
    match outcome {
        Outcome::Lost => Err(RunError::LeadershipLost),
        Outcome::Cancelled | Outcome::Finished => Ok(()),
    }
}
