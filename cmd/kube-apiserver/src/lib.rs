//! kube-apiserver: the only door to the cluster's state.
//!
//! - [`storage`]: the `Storage` trait over a revisioned key-value store, and its backends
//!   (embedded SQLite, etcd3).
//! - [`registry`]: the generic registry serving every kind over storage, declared per kind by a
//!   small `Strategy`.
//! - [`discovery`]: `/api`, `/apis` and the resource lists, legacy and aggregated, built from the
//!   registry's resource table.
//! - [`negotiation`]: which representation an `Accept` header asks for.
//! - [`options`]: the command line.
//! - [`server`]: the HTTP side: listeners, limits, routing, handlers, watch streaming.

pub mod discovery;
pub mod negotiation;
pub mod openapi;
pub mod options;
pub mod registry;
pub mod server;
pub mod storage;

use component_base::{HealthServer, ShutdownToken};
use options::{Options, ServingOptions};
use registry::{GenericStore, ResourceTable, Strategy};
use server::ApiServer;
use server::tls::{CertificateSource, ServingNames, TlsError};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tokio::net::TcpListener;

/// Why the apiserver could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("opening storage: {0}")]
    Storage(#[from] storage::StorageError),
    #[error("binding {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
    #[error("both --insecure-port and --secure-port are 0: there is no port to serve on")]
    NoPort,
    #[error("secure port: {0}")]
    Tls(#[from] TlsError),
    #[error("registering metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("installing signal handlers: {0}")]
    Signals(std::io::Error),
}

/// The bound ports; bind first and serve later so callers (tests) can use port 0 and learn the
/// port the system chose.
pub struct Listeners {
    /// The plain HTTP port (`--insecure-bind-address:--insecure-port`).
    pub insecure: Option<TcpListener>,
    /// The HTTPS port (`--bind-address:--secure-port`).
    pub secure: Option<TcpListener>,
}

impl Listeners {
    /// Binds the ports the flags enable (a port of 0 is disabled, as upstream).
    pub async fn bind(serving: &ServingOptions) -> Result<Self, RunError> {
        async fn bind_port(address: IpAddr, port: u16) -> Result<Option<TcpListener>, RunError> {
            if port == 0 {
                return Ok(None);
            }
            let address = SocketAddr::new(address, port);
            let listener = TcpListener::bind(address)
                .await
                .map_err(|source| RunError::Bind { address, source })?;
            Ok(Some(listener))
        }
        let insecure = bind_port(serving.insecure_bind_address, serving.insecure_port).await?;
        let secure = bind_port(serving.bind_address, serving.secure_port).await?;
        if insecure.is_none() && secure.is_none() {
            return Err(RunError::NoPort);
        }
        Ok(Listeners { insecure, secure })
    }
}

/// Runs the apiserver the flags describe until `shutdown` is triggered: opens storage, builds
/// the table of served resources, binds the ports and serves them.
pub async fn run(options: Options, shutdown: ShutdownToken) -> Result<(), RunError> {
    let storage = options.storage.open().await?;
    let resources = resource_table(storage, &options.storage.etcd_prefix);
    let listeners = Listeners::bind(&options.serving).await?;
    serve(&options, listeners, resources, shutdown).await
}

/// Every resource served by the generic store, over `storage` with keys under `prefix`.
///
/// Bindings and component statuses are not stored objects upstream (a binding sets a pod's
/// node; component statuses are computed from health checks), so they get their own handlers
/// later rather than a generic store here.
pub fn resource_table(storage: Arc<dyn storage::Storage>, prefix: &str) -> ResourceTable {
    use api_types::api::apps::v1::{DaemonSet, Deployment, ReplicaSet};
    use api_types::api::coordination::v1::Lease;
    use api_types::api::core::v1::{
        ConfigMap, Endpoints, Event, LimitRange, Namespace, Node, PersistentVolume,
        PersistentVolumeClaim, Pod, PodTemplate, ReplicationController, ResourceQuota, Secret,
        Service, ServiceAccount,
    };

    fn add<T: Strategy>(
        table: &mut ResourceTable,
        storage: &Arc<dyn storage::Storage>,
        prefix: &str,
    ) {
        table.insert(Arc::new(GenericStore::<T>::new(Arc::clone(storage), prefix)));
    }

    let mut table = ResourceTable::default();
    let storage = &storage;
    add::<Namespace>(&mut table, storage, prefix);
    add::<Node>(&mut table, storage, prefix);
    add::<Pod>(&mut table, storage, prefix);
    add::<PodTemplate>(&mut table, storage, prefix);
    add::<ReplicationController>(&mut table, storage, prefix);
    add::<Service>(&mut table, storage, prefix);
    add::<Endpoints>(&mut table, storage, prefix);
    add::<ServiceAccount>(&mut table, storage, prefix);
    add::<Secret>(&mut table, storage, prefix);
    add::<ConfigMap>(&mut table, storage, prefix);
    add::<Event>(&mut table, storage, prefix);
    add::<LimitRange>(&mut table, storage, prefix);
    add::<ResourceQuota>(&mut table, storage, prefix);
    add::<PersistentVolume>(&mut table, storage, prefix);
    add::<PersistentVolumeClaim>(&mut table, storage, prefix);
    add::<Deployment>(&mut table, storage, prefix);
    add::<ReplicaSet>(&mut table, storage, prefix);
    add::<DaemonSet>(&mut table, storage, prefix);
    add::<Lease>(&mut table, storage, prefix);
    table
}

/// Serves `resources` on `listeners` until `shutdown` is triggered, then lets in-flight requests
/// finish and returns.
pub async fn serve(
    options: &Options,
    listeners: Listeners,
    resources: ResourceTable,
    shutdown: ShutdownToken,
) -> Result<(), RunError> {
    let tls = match &listeners.secure {
        Some(_) => Some(server::tls::server_config(
            &CertificateSource::from_options(&options.serving),
            &serving_names(options),
        )?),
        None => None,
    };
    let metrics = prometheus::Registry::new();
    let health = HealthServer::new(metrics.clone());
    let server =
        Arc::new(ApiServer::new(resources, options.limits.clone(), health, &metrics, shutdown)?);
    let insecure = listeners.insecure.map(|listener| Arc::clone(&server).serve_insecure(listener));
    let secure =
        listeners.secure.zip(tls).map(|(listener, tls)| server.serve_secure(listener, tls));
    tokio::join!(run_optional(insecure), run_optional(secure));
    Ok(())
}

async fn run_optional(task: Option<impl std::future::Future<Output = ()>>) {
    if let Some(task) = task {
        task.await;
    }
}

/// The names a generated serving certificate covers: this host, the advertised and bind
/// addresses, and the `kubernetes` service's cluster IP (the first address of the range).
fn serving_names(options: &Options) -> ServingNames {
    let range = &options.services.service_cluster_ip_range;
    let service_ip = first_address(options::network_of(*range));
    let mut addresses = vec![service_ip, options.serving.bind_address];
    addresses.extend(options.serving.advertise_address);
    ServingNames { host_name: server::tls::host_name(), addresses }
}

/// The first host address of a network (`10.0.0.0` → `10.0.0.1`), which upstream gives the
/// `kubernetes` service.
fn first_address(network: IpAddr) -> IpAddr {
    match network {
        IpAddr::V4(address) => IpAddr::V4(u32::from(address).wrapping_add(1).into()),
        IpAddr::V6(address) => IpAddr::V6(u128::from(address).wrapping_add(1).into()),
    }
}
