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
//! - [`allocator`], [`admission`], [`bootstrap`]: the built-in behaviour layered over the
//!   registry: service IPs and node ports, the namespace admission plugins, and the objects
//!   every cluster starts with.

pub mod admission;
pub mod allocator;
pub mod bootstrap;
pub mod discovery;
pub mod negotiation;
pub mod openapi;
pub mod options;
pub mod protobuf;
pub mod registry;
pub mod server;
pub mod storage;
pub mod testing;

use component_base::{HealthServer, ShutdownToken};
use options::{Options, ServingOptions};
use registry::ResourceTable;
pub use registry::resource_table;
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
    #[error("--admission-control/--enable-admission-plugins: {0}")]
    Admission(#[from] admission::UnknownPlugins),
    #[error("kubelet client: {0}")]
    KubeletClient(#[from] server::proxy::tls::ClientTlsError),
    #[error("built-in objects: {0}")]
    Builtin(String),
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
    let resources = assemble(&options, storage).await?;
    let listeners = Listeners::bind(&options.serving).await?;
    start_bootstrap(&options, &resources, bootstrap::RECONCILE_INTERVAL, shutdown.clone()).await?;
    serve(&options, listeners, resources, shutdown).await
}

/// The served resources with the apiserver's built-in behaviour: the Service resource allocates
/// cluster IPs and node ports (its bitmaps first repaired from the stored services), every
/// namespaced resource, and the Namespace resource, pass the admission plugins the flags name,
/// and `componentstatuses` probes the control plane the flags describe.
pub async fn assemble(
    options: &Options,
    storage: Arc<dyn storage::Storage>,
) -> Result<ResourceTable, RunError> {
    use admission::NamespaceAdmission;
    use allocator::AllocatingServices;

    let plugins = admission::plugins(&options.admission.plugins())?;
    let prefix = &options.storage.etcd_prefix;
    let mut table = resource_table(Arc::clone(&storage), prefix);
    let health = registry::ComponentStatuses::for_control_plane(&options.storage, storage.clone());
    table.insert(Arc::new(health));
    let builtin = |status: api_types::meta::v1::Status| RunError::Builtin(status.message);

    let services = Arc::clone(table.get("", "v1", "services").expect("services are served"));
    let ranges = Arc::new(allocator::service_ranges(&options.services, storage, prefix));
    ranges.repair(&*services).await.map_err(builtin)?;
    table.insert(Arc::new(AllocatingServices::new(services, ranges)));

    let namespaces = Arc::clone(table.get("", "v1", "namespaces").expect("namespaces are served"));
    let admitted: Vec<_> = table
        .iter()
        .filter(|resource| resource.info().namespaced || resource.info().plural == "namespaces")
        .cloned()
        .collect();
    for resource in admitted {
        let wrapped = NamespaceAdmission::new(resource, Arc::clone(&namespaces), plugins.clone());
        table.insert(Arc::new(wrapped));
    }
    Ok(table)
}

/// Writes the bootstrap objects (system namespaces, the `kubernetes` Service and Endpoints)
/// through `resources` before returning, then keeps them true every `interval` until `shutdown`.
pub async fn start_bootstrap(
    options: &Options,
    resources: &ResourceTable,
    interval: std::time::Duration,
    shutdown: ShutdownToken,
) -> Result<tokio::task::JoinHandle<()>, RunError> {
    let service_ip = first_address(options::network_of(options.services.service_cluster_ip_range));
    let endpoint_ip = bootstrap::endpoint_address(
        options.serving.advertise_address,
        options.serving.bind_address,
    );
    // With the secure port off, the service points at the plain port, the only one there is.
    let serving_port = match options.serving.secure_port {
        0 => options.serving.insecure_port,
        secure => secure,
    };
    let bootstrap = bootstrap::Bootstrap::new(resources, service_ip, endpoint_ip, serving_port)
        .ok_or_else(|| {
            RunError::Builtin("namespaces, services or endpoints are not served".into())
        })?;
    // A failure here is retried by the loop, as upstream's controller retries; it must not keep
    // the API from serving.
    if let Err(status) = bootstrap.reconcile().await {
        tracing::warn!(message = %status.message, "writing the bootstrap objects; retrying");
    }
    Ok(bootstrap.spawn(interval, shutdown))
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
    let kubelet = server::proxy::kubelet::KubeletClient::from_options(&options.kubelet)?;
    let server = ApiServer::new(resources, options.limits.clone(), health, &metrics, shutdown)?
        .with_kubelet(kubelet);
    let server = Arc::new(server);
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
