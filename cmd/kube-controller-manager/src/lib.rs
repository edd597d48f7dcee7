//! kube-controller-manager: the control loops that drive the cluster toward what its objects ask
//! for (book 2.2, 6.3). Each controller lives in its own module; `controller` holds what they
//! share (context, worker loop, expectations, controller references, pod facts).
//!
//! [`run`] connects to the apiserver, serves `/healthz` and `/metrics`, and, once this process
//! leads (a Lease in `kube-system`, unless `--leader-elect=false`), starts every controller on
//! one set of shared informers.

pub mod controller;
pub mod deployment;
pub mod endpoints;
pub mod garbage_collector;
pub mod namespace;
pub mod node_lifecycle;
pub mod options;
pub mod replication;
pub mod resource_quota;
pub mod service_account;

use api_types::api::apps::v1::ReplicaSet;
use api_types::api::core::v1::ReplicationController;
use client::Client;
use client::leader_election::Outcome;
use client::leader_election::run_with_flags;
use component_base::ShutdownToken;
use controller::context::ControllerContext;
use deployment::controller::DeploymentController;
use endpoints::controller::EndpointsController;
use garbage_collector::controller::GarbageCollector;
use namespace::controller::NamespaceController;
use node_lifecycle::controller::NodeLifecycleController;
use options::Options;
use replication::controller::ReplicationManager;
use resource_quota::controller::ResourceQuotaController;
use std::net::SocketAddr;
use std::sync::Arc;

/// The component name: the user agent, the event source prefix, the Lease's default name.
pub const COMPONENT: &str = "kube-controller-manager";

/// Why the controller manager could not run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
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

/// Runs until `shutdown`: health and metrics, leader election, then every controller.
pub async fn run(options: Options, shutdown: ShutdownToken) -> Result<(), RunError> {
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
    let options = Arc::new(options);
    let context =
        ControllerContext::new(client.clone(), Arc::clone(&options), shutdown.clone(), &metrics);
    let outcome = run_with_flags(client, &options.leader_election, &shutdown, move || {
        start_controllers(context)
    })
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

/// Starts every controller on `context` and returns when they have all stopped (on shutdown).
pub async fn start_controllers(context: ControllerContext) {
    tracing::info!("starting controllers");
    let concurrency = context.options.concurrency.clone();
    let replication =
        ReplicationManager::<ReplicationController>::new(&context, "replication-controller");
    let replica_sets = ReplicationManager::<ReplicaSet>::new(&context, "replicaset-controller");
    let endpoints = EndpointsController::new(&context);
    let nodes = NodeLifecycleController::new(&context);
    let garbage_collector = GarbageCollector::new(&context);
    let namespaces = NamespaceController::new(&context);
    let quotas = ResourceQuotaController::new(&context);
    let deployments = DeploymentController::new(&context);
    tokio::join!(
        replication.run(context.clone(), concurrency.concurrent_rc_syncs),
        replica_sets.run(context.clone(), concurrency.concurrent_replicaset_syncs),
        endpoints.run(context.clone(), concurrency.concurrent_endpoint_syncs),
        nodes.run(context.clone()),
        garbage_collector.run(context.clone(), concurrency.concurrent_gc_syncs),
        namespaces.run(context.clone(), concurrency.concurrent_namespace_syncs),
        service_account::run(context.clone()),
        quotas.run(context.clone(), concurrency.concurrent_resource_quota_syncs),
        deployments.run(context.clone(), concurrency.concurrent_deployment_syncs),
    );
    tracing::info!("controllers stopped");
}
