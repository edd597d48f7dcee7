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

use client::Client;
use client::informer::InformerFactory;
use client::leader_election::Outcome;
use client::leader_election::run_with_flags;
use component_base::ShutdownToken;
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
    let health = options
        .serving
        .start_health(metrics.clone(), &shutdown)
        .await
        .map_err(|(address, source)| RunError::Serve { address, source })?;
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
    let outcome = run_with_flags(client, &options.leader_election, &shutdown, schedule)
        .await
        .map_err(|error| RunError::LeaderElection(error.to_string()))?;
    shutdown.trigger();
    if let Some(health) = health {
        let _ = health.await;
    }
    match outcome {
        Outcome::Lost => Err(RunError::LeadershipLost),
        Outcome::Cancelled | Outcome::Finished => Ok(()),
    }
}
