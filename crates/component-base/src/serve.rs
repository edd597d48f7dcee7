//! The small HTTP server every component runs for `/healthz`, `/livez`, `/readyz`, `/metrics`
//! and `/version`, with bounds so a misbehaving client cannot tie it up.
//!
//! Components that serve their own API can also answer these paths on their own port through
//! [`HealthServer::respond`].

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Body, Incoming};
use hyper::header::{ALLOW, CONTENT_TYPE, HeaderValue, X_CONTENT_TYPE_OPTIONS};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, Uri};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use prometheus::Registry;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use crate::health::{HealthCheck, HealthChecks, Probe, ProbeAnswer};
use crate::metrics::OwnMetrics;
use crate::version::VersionInfo;

/// The response body type of every answer: the whole body is known up front.
pub type ResponseBody = Full<Bytes>;

/// Largest request head (request line and headers) accepted over HTTP/1; hyper's floor is 8 KiB.
const MAX_REQUEST_HEAD_BYTES: usize = 16 * 1024;
/// Largest header list accepted over HTTP/2.
const MAX_HEADER_LIST_BYTES: u32 = 16 * 1024;
/// Concurrent requests allowed on one HTTP/2 connection.
const MAX_STREAMS_PER_CONNECTION: u32 = 16;
/// Pause after a failed accept (for example when out of file descriptors) before trying again.
const ACCEPT_RETRY_DELAY: Duration = Duration::from_millis(100);

/// Content type of the plain-text answers, as upstream sends it.
const TEXT_PLAIN: &str = "text/plain; charset=utf-8";
/// Content type of `/version`.
const APPLICATION_JSON: &str = "application/json";

/// Bounds on the resources one server may spend on its clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeLimits {
    /// Connections served at once; further clients wait in the listen backlog.
    pub max_connections: u32,
    /// How long a client may take to send a request's headers (guards against slow clients).
    pub header_read_timeout: Duration,
    /// How long one connection may stay open, keep-alive included; it is then closed gracefully.
    pub connection_timeout: Duration,
    /// How long in-flight requests get to finish once shutdown or `connection_timeout` begins.
    pub shutdown_grace: Duration,
}

impl Default for ServeLimits {
    /// Generous enough for probes and scrapers, small enough to bound memory and sockets.
    fn default() -> Self {
        ServeLimits {
            max_connections: 64,
            header_read_timeout: Duration::from_secs(10),
            connection_timeout: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// The health, metrics and version endpoints of one component.
///
/// Cheap to clone: clones share the checks' state, the metrics registry and the counters.
#[derive(Clone)]
pub struct HealthServer {
    registry: Registry,
    checks: HealthChecks,
    version: VersionInfo,
    metrics: OwnMetrics,
    limits: ServeLimits,
}

/// The endpoint a path names.
enum Route<'a> {
    /// `/healthz`, `/livez` or `/readyz`.
    Probe(Probe),
    /// `/<probe>/<check name>`.
    SingleCheck(Probe, &'a str),
    /// `/metrics`.
    Metrics,
    /// `/version`.
    Version,
}

impl HealthServer {
    /// A server exposing `registry` at `/metrics` (next to its own build and health-check
    /// metrics) and no checks yet, so every probe answers `ok` through the built-in `ping`.
    pub fn new(registry: Registry) -> Self {
        let version = VersionInfo::current();
        HealthServer {
            registry,
            checks: HealthChecks::default(),
            metrics: OwnMetrics::new(&version),
            version,
            limits: ServeLimits::default(),
        }
    }

    /// Adds a check that decides `/healthz`, `/livez` and `/readyz`; a check with the same name
    /// is replaced.
    pub fn with_check(mut self, name: impl Into<String>, check: HealthCheck) -> Self {
        self.checks.add(name.into(), check, false);
        self
    }

    /// Adds a check that decides only `/readyz`, for conditions that should stop traffic but not
    /// get the process restarted (caches still syncing, shutting down).
    pub fn with_readiness_check(mut self, name: impl Into<String>, check: HealthCheck) -> Self {
        self.checks.add(name.into(), check, true);
        self
    }

    /// Replaces the default [`ServeLimits`].
    pub fn with_limits(mut self, limits: ServeLimits) -> Self {
        self.limits = limits;
        self
    }

    /// The version this server reports at `/version`.
    pub fn version(&self) -> &VersionInfo {
        &self.version
    }

    /// Answers a request for one of this server's paths, or returns `None` for any other path so
    /// a component's own router can handle it.
    ///
    /// Only GET and HEAD are served; other methods on these paths get 405.
    pub fn respond(&self, method: &Method, uri: &Uri) -> Option<Response<ResponseBody>> {
        let route = self.route(uri.path())?;
        if method != Method::GET && method != Method::HEAD {
            let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
            response.headers_mut().insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
            return Some(response);
        }
        let query = uri.query().unwrap_or_default();
        let response = match route {
            Route::Probe(probe) => {
                probe_response(self.checks.answer_probe(probe, query, &self.metrics))
            }
            Route::SingleCheck(probe, name) => {
                probe_response(self.checks.answer_single(probe, name, &self.metrics)?)
            }
            Route::Metrics => self.metrics_response(),
            Route::Version => self.version_response(),
        };
        Some(response)
    }

    /// Binds `addr` and serves until `shutdown` completes; see [`Self::serve_on`].
    pub async fn serve(
        self,
        addr: SocketAddr,
        shutdown: impl Future<Output = ()>,
    ) -> std::io::Result<()> {
        let listener = TcpListener::bind(addr).await?;
        self.serve_on(listener, shutdown).await
    }

    /// Serves connections from `listener` until `shutdown` completes, then stops accepting, lets
    /// in-flight requests finish within [`ServeLimits::shutdown_grace`] and returns.
    ///
    /// Takes a listener so callers can bind port 0 and learn the port before serving.
    pub async fn serve_on(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> std::io::Result<()> {
        let limits = self.limits.clone();
        let max_connections = limits.max_connections.max(1);
        let connection_slots = Arc::new(Semaphore::new(max_connections as usize));
        let (stop_connections, stop_requested) = watch::channel(false);
        let builder = Arc::new(connection_builder(&limits));
        let server = Arc::new(self);
        if let Ok(addr) = listener.local_addr() {
            tracing::info!(%addr, "serving health, metrics and version endpoints");
        }

        tokio::pin!(shutdown);
        loop {
            let slot = tokio::select! {
                () = &mut shutdown => break,
                slot = Arc::clone(&connection_slots).acquire_owned() => {
                    slot.expect("the connection semaphore is never closed")
                }
            };
            let accepted = tokio::select! {
                () = &mut shutdown => break,
                accepted = listener.accept() => accepted,
            };
            match accepted {
                Ok((stream, peer)) => {
                    tokio::spawn(serve_connection(ConnectionContext {
                        stream,
                        peer,
                        server: Arc::clone(&server),
                        builder: Arc::clone(&builder),
                        limits: limits.clone(),
                        stop_requested: stop_requested.clone(),
                        _slot: slot,
                    }));
                }
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_RETRY_DELAY).await;
                }
            }
        }

        drop(listener);
        stop_connections.send_replace(true);
        let all_slots_free = connection_slots.acquire_many(max_connections);
        if tokio::time::timeout(limits.shutdown_grace, all_slots_free).await.is_err() {
            tracing::warn!("some connections were still open when the shutdown grace period ended");
        }
        Ok(())
    }

    /// Which endpoint `path` names, if any; single-check paths only for registered checks.
    fn route<'a>(&self, path: &'a str) -> Option<Route<'a>> {
        let path = path.strip_prefix('/')?;
        match path {
            "metrics" => return Some(Route::Metrics),
            "version" => return Some(Route::Version),
            _ => {}
        }
        match path.split_once('/') {
            None => Probe::from_segment(path).map(Route::Probe),
            Some((segment, name)) => {
                let probe = Probe::from_segment(segment)?;
                self.checks.decides(probe, name).then_some(Route::SingleCheck(probe, name))
            }
        }
    }

    /// The answer to a request on our own port: refuses bodies, 404s unknown paths.
    fn handle(&self, request: &Request<Incoming>) -> Response<ResponseBody> {
        if request.body().size_hint().upper() != Some(0) {
            return text(StatusCode::PAYLOAD_TOO_LARGE, "request bodies are not accepted\n");
        }
        self.respond(request.method(), request.uri())
            .unwrap_or_else(|| text(StatusCode::NOT_FOUND, "404 page not found\n"))
    }

    /// `/metrics`: our metrics and the component's, in Prometheus text format.
    fn metrics_response(&self) -> Response<ResponseBody> {
        match self.metrics.render(&self.registry) {
            Ok((content_type, body)) => with_content_type(StatusCode::OK, content_type, body),
            Err(error) => {
                tracing::warn!(%error, "encoding metrics failed");
                text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &format!("encoding metrics failed: {error}\n"),
                )
            }
        }
    }

    /// `/version`: the build facts as indented JSON, as upstream writes them.
    fn version_response(&self) -> Response<ResponseBody> {
        match serde_json::to_vec_pretty(&self.version) {
            Ok(body) => with_content_type(StatusCode::OK, APPLICATION_JSON, body),
            Err(error) => text(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("encoding version failed: {error}\n"),
            ),
        }
    }
}

/// Everything one connection task owns; dropping it frees the connection slot.
struct ConnectionContext {
    stream: TcpStream,
    peer: SocketAddr,
    server: Arc<HealthServer>,
    builder: Arc<auto::Builder<TokioExecutor>>,
    limits: ServeLimits,
    stop_requested: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
}

/// Serves one connection until the client leaves, the connection times out or shutdown begins;
/// in the last two cases in-flight requests get the grace period to finish.
async fn serve_connection(mut context: ConnectionContext) {
    let server = Arc::clone(&context.server);
    let service = service_fn(move |request: Request<Incoming>| {
        let response = server.handle(&request);
        async move { Ok::<_, Infallible>(response) }
    });
    let connection = context.builder.serve_connection(TokioIo::new(context.stream), service);
    tokio::pin!(connection);

    tokio::select! {
        outcome = connection.as_mut() => {
            if let Err(error) = outcome {
                tracing::debug!(peer = %context.peer, %error, "connection ended with an error");
            }
            return;
        }
        () = tokio::time::sleep(context.limits.connection_timeout) => {}
        _ = context.stop_requested.wait_for(|stop| *stop) => {}
    }
    connection.as_mut().graceful_shutdown();
    if tokio::time::timeout(context.limits.shutdown_grace, connection).await.is_err() {
        tracing::debug!(peer = %context.peer, "connection closed before its requests finished");
    }
}

/// The HTTP/1 and HTTP/2 settings that enforce `limits`.
fn connection_builder(limits: &ServeLimits) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(MAX_REQUEST_HEAD_BYTES);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(MAX_STREAMS_PER_CONNECTION)
        .max_header_list_size(MAX_HEADER_LIST_BYTES);
    builder
}

/// A probe's answer as an HTTP response.
fn probe_response(answer: ProbeAnswer) -> Response<ResponseBody> {
    text(answer.status, &answer.body)
}

/// A plain-text response marked so browsers do not guess another type, as upstream does.
fn text(status: StatusCode, body: &str) -> Response<ResponseBody> {
    let mut response = with_content_type(status, TEXT_PLAIN, body.as_bytes().to_vec());
    response.headers_mut().insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// A response with the given status, content type and body.
fn with_content_type(
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
) -> Response<ResponseBody> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(server: &HealthServer, uri: &str) -> Option<Response<ResponseBody>> {
        server.respond(&Method::GET, &uri.parse().unwrap())
    }

    #[test]
    fn only_our_paths_are_answered() {
        let server = HealthServer::new(Registry::new()).with_check("etcd", Arc::new(|| true));
        for path in ["/healthz", "/livez", "/readyz", "/metrics", "/version", "/healthz/etcd"] {
            let response = get(&server, path).unwrap_or_else(|| panic!("{path} not answered"));
            assert_eq!(response.status(), StatusCode::OK, "{path}");
        }
        for path in ["/", "/healthz/", "/healthz/missing", "/api", "/metricsx", "/healthzz"] {
            assert!(get(&server, path).is_none(), "{path} answered");
        }
    }

    #[test]
    fn other_methods_are_refused() {
        let server = HealthServer::new(Registry::new());
        let response = server.respond(&Method::POST, &"/healthz".parse().unwrap()).unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[ALLOW], "GET, HEAD");
    }

    #[test]
    fn probe_answers_are_plain_text() {
        let server = HealthServer::new(Registry::new()).with_check("etcd", Arc::new(|| false));
        let response = get(&server, "/healthz").unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[CONTENT_TYPE], TEXT_PLAIN);
        assert_eq!(response.headers()[X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}
