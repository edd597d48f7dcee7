//! The HTTP side of the apiserver: listeners (plain and TLS), the request pipeline (health
//! endpoints, routing, in-flight limits, timeouts, logging and metrics) and the generic resource
//! handlers.
//!
//! A request goes through, in order: the health/metrics/version endpoints of component-base;
//! [`router::route`] (pure path parsing); the in-flight limit and request timeout unless it is
//! long-running; then discovery, the resource handlers, or the [`proxy`] (the `proxy`
//! subresource and `/api/v1/proxy/...` paths, and the pod subresources served by kubelets).

mod conversion;
mod decode;
mod deprecation;
mod field_validation;
mod handlers;
mod limits;
mod listener;
mod observe;
pub mod proxy;
mod response;
pub mod router;
pub mod tls;
mod watch;

pub use limits::MAX_REQUEST_BODY_BYTES;
pub use observe::RequestMetrics;
pub use response::ResponseBody;

use crate::discovery::{self, DiscoveryRequest};
use crate::negotiation::MediaType;
use crate::openapi::OpenApiDocuments;
use crate::options::LimitOptions;
use crate::registry::ResourceTable;
use api_types::meta::v1::{QueryParams, RootPaths, Status};
use component_base::{HealthServer, ShutdownToken};
use handlers::RequestContext;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{ALLOW, CONTENT_LENGTH, HOST, HeaderValue, IF_NONE_MATCH, USER_AGENT};
use hyper::{Method, Request, Response, StatusCode};
use limits::{InflightLimiter, is_long_running, is_mutating, request_deadline};
use observe::{RequestLabels, RequestRecord};
use response::{
    empty_body, full_body, method_not_allowed, not_found, object_response, status_response,
};
use router::Route;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// The message of upstream's 504 for a request that ran past its deadline.
const TIMEOUT_MESSAGE: &str =
    "request did not complete within requested timeout - context deadline exceeded";

/// Everything needed to answer API requests; shared by both ports.
pub struct ApiServer {
    resources: ResourceTable,
    /// Generated once here, at startup.
    openapi: OpenApiDocuments,
    health: HealthServer,
    metrics: RequestMetrics,
    inflight: InflightLimiter,
    limits: LimitOptions,
    shutdown: ShutdownToken,
    proxy: proxy::Proxy,
}

impl ApiServer {
    /// A server for `resources` with the given limits. `health` serves `/healthz`, `/livez`,
    /// `/readyz`, `/metrics` and `/version`; the request metrics are registered in `registry`,
    /// which should be the one `health` exposes. `shutdown` ends open watches.
    pub fn new(
        resources: ResourceTable,
        limits: LimitOptions,
        health: HealthServer,
        registry: &prometheus::Registry,
        shutdown: ShutdownToken,
    ) -> prometheus::Result<Self> {
        Ok(ApiServer {
            resources,
            openapi: OpenApiDocuments::generate(),
            health,
            metrics: RequestMetrics::register(registry)?,
            inflight: InflightLimiter::new(
                limits.max_requests_inflight,
                limits.max_mutating_requests_inflight,
            ),
            limits,
            shutdown,
            proxy: proxy::Proxy::new(proxy::kubelet::KubeletClient::default()),
        })
    }

    /// Reaches kubelets (for logs, exec, attach, port-forward and node proxies) through
    /// `kubelet` instead of the default settings.
    pub fn with_kubelet(mut self, kubelet: proxy::kubelet::KubeletClient) -> Self {
        self.proxy = proxy::Proxy::new(kubelet);
        self
    }

    /// Serves plain HTTP on `listener` until shutdown.
    pub async fn serve_insecure(self: Arc<Self>, listener: TcpListener) {
        let shutdown = self.shutdown.wait();
        let grace = self.shutdown_grace();
        listener::serve(self, listener, None, shutdown, grace).await;
    }

    /// Serves HTTPS on `listener` until shutdown.
    pub async fn serve_secure(
        self: Arc<Self>,
        listener: TcpListener,
        tls: Arc<rustls::ServerConfig>,
    ) {
        let shutdown = self.shutdown.wait();
        let grace = self.shutdown_grace();
        listener::serve(self, listener, Some(TlsAcceptor::from(tls)), shutdown, grace).await;
    }

    /// How long in-flight requests get to finish at shutdown: as long as any short request may
    /// run.
    fn shutdown_grace(&self) -> Duration {
        self.limits.request_timeout
    }

    /// Answers one request.
    pub async fn handle(
        &self,
        request: Request<Incoming>,
        peer: SocketAddr,
    ) -> Response<ResponseBody> {
        let (mut parts, body) = request.into_parts();
        let upgrade = parts.extensions.remove::<hyper::upgrade::OnUpgrade>();
        let header =
            |name| parts.headers.get(name).and_then(|value: &HeaderValue| value.to_str().ok());
        let user_agent = header(USER_AGENT).unwrap_or_default().to_string();
        let mut record = RequestRecord::start(
            &self.metrics,
            parts.method.as_str(),
            &parts.uri.to_string(),
            &user_agent,
            peer.to_string(),
        );

        if let Some(response) = self.health.respond(&parts.method, &parts.uri) {
            record.finish(response.status().as_u16());
            return response.map(|body| body.boxed_unsync());
        }

        let params = QueryParams::parse(parts.uri.query().unwrap_or_default());
        let watch_param = params.as_ref().is_ok_and(|params| params.bool("watch"));
        let route = router::route(&parts.method, parts.uri.path(), watch_param);
        record.labels = labels(&route, &parts, params.as_ref().ok());
        let params = match params {
            Ok(params) => params,
            Err(error) => {
                return finish(record, status_response(&Status::bad_request(error.to_string())));
            }
        };
        let pretty = params.bool("pretty") || is_terminal_client(&user_agent);
        let upgrade = std::sync::Mutex::new(upgrade);
        let context = RequestContext { parts: &parts, params: &params, pretty, upgrade };
        // A proxied HEAD is answered by the backend itself, headers and all.
        let head = parts.method == Method::HEAD && !matches!(route, Route::Proxy(_));
        let mut record = Some(record);

        let response = if is_long_running(&route) {
            self.dispatch(route, &context, body, &mut record).await
        } else {
            self.limited(route, &context, body, &mut record).await
        };
        let response = if head { without_body(response) } else { response };
        match record {
            Some(record) => finish(record, response),
            None => response,
        }
    }

    /// Runs a short request under the in-flight limit and the request deadline.
    async fn limited(
        &self,
        route: Route,
        context: &RequestContext<'_>,
        body: Incoming,
        record: &mut Option<RequestRecord>,
    ) -> Response<ResponseBody> {
        let _permit = match self.inflight.try_acquire(is_mutating(&route)) {
            Ok(permit) => permit,
            Err(status) => return status_response(&status),
        };
        let deadline = match request_deadline(&self.limits, context.params.first("timeout")) {
            Ok(deadline) => deadline,
            Err(status) => return status_response(&status),
        };
        match tokio::time::timeout(deadline, self.dispatch(route, context, body, record)).await {
            Ok(response) => response,
            Err(_) => status_response(&Status::timeout(TIMEOUT_MESSAGE, 0)),
        }
    }

    /// Sends a routed request to its handler.
    async fn dispatch(
        &self,
        route: Route,
        context: &RequestContext<'_>,
        body: Incoming,
        record: &mut Option<RequestRecord>,
    ) -> Response<ResponseBody> {
        match route {
            Route::Resource(request) => {
                handlers::serve_resource(self, request, context, body, record).await
            }
            Route::Discovery(_) => self.discovery(context),
            Route::OpenApi => self.openapi(context),
            Route::Options { allow } => {
                let mut response = Response::new(empty_body());
                *response.status_mut() = StatusCode::NO_CONTENT;
                set_allow(&mut response, allow);
                response
            }
            Route::MethodNotAllowed { allow, resource } => {
                let (group, plural) = resource
                    .as_ref()
                    .map(|path| (path.group.as_str(), path.resource.as_str()))
                    .unwrap_or_default();
                let mut response = status_response(&method_not_allowed(group, plural));
                set_allow(&mut response, allow);
                response
            }
            Route::BadPath => {
                status_response(&Status::bad_request("invalid URL escape in the request path"))
            }
            Route::NotFound
                if context.parts.uri.path() == "/"
                    && matches!(context.parts.method, Method::GET | Method::HEAD) =>
            {
                self.root_paths(context)
            }
            Route::Proxy(request) => {
                self.proxy.serve_proxy(&self.resources, request, context, body).await
            }
            Route::NotFound => status_response(&not_found()),
        }
    }

    /// `/api`, `/apis` and the group and version documents.
    fn discovery(&self, context: &RequestContext<'_>) -> Response<ResponseBody> {
        let header = |name| {
            context.parts.headers.get(name).and_then(|value: &HeaderValue| value.to_str().ok())
        };
        let request = DiscoveryRequest {
            path: context.parts.uri.path(),
            accept: header(hyper::header::ACCEPT),
            if_none_match: header(IF_NONE_MATCH),
            server_address: header(HOST).unwrap_or_default(),
            pretty: context.pretty,
        };
        let Some(answer) = discovery::serve(&self.resources, &request) else {
            return status_response(&not_found());
        };
        let mut response = Response::new(full_body(answer.body.clone()));
        *response.status_mut() =
            StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        for (name, value) in answer.headers() {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, value);
            }
        }
        response
    }

    /// The OpenAPI documents.
    fn openapi(&self, context: &RequestContext<'_>) -> Response<ResponseBody> {
        let header = |name| {
            context.parts.headers.get(name).and_then(|value: &HeaderValue| value.to_str().ok())
        };
        let path = context.parts.uri.path();
        let Some(answer) =
            self.openapi.serve(path, header(hyper::header::ACCEPT), header(IF_NONE_MATCH))
        else {
            return status_response(&not_found());
        };
        let mut response = Response::new(full_body(answer.body));
        *response.status_mut() =
            StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        if let Some(content_type) = answer.content_type {
            headers.insert(hyper::header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        if let Some(etag) = answer.etag.and_then(|etag| HeaderValue::from_str(&etag).ok()) {
            headers.insert(hyper::header::ETAG, etag);
        }
        response
    }

    /// `/`: every path prefix this server serves, as upstream lists them.
    fn root_paths(&self, context: &RequestContext<'_>) -> Response<ResponseBody> {
        let mut paths: Vec<String> = [
            "/api",
            "/api/v1",
            "/apis",
            "/healthz",
            "/livez",
            "/metrics",
            "/openapi/v2",
            "/openapi/v3",
            "/readyz",
            "/version",
        ]
        .map(String::from)
        .into();
        for resource in self.resources.iter() {
            let info = resource.info();
            if !info.group.is_empty() {
                paths.push(format!("/apis/{}", info.group));
                paths.push(format!("/apis/{}/{}", info.group, info.version));
            }
        }
        paths.sort();
        paths.dedup();
        let document = RootPaths { paths };
        object_response(StatusCode::OK, &document, &MediaType::json(), context.pretty)
    }
}

/// The metrics labels of a routed request.
fn labels(
    route: &Route,
    parts: &hyper::http::request::Parts,
    params: Option<&QueryParams>,
) -> RequestLabels {
    let mut labels = match route {
        Route::Resource(request) => {
            let apply = parts
                .headers
                .get(hyper::header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.starts_with("application/apply-patch"));
            RequestLabels::resource(request.verb, &request.path, apply)
        }
        Route::Proxy(request) => RequestLabels::proxy(&request.target),
        _ => RequestLabels::non_resource(parts.method.as_str()),
    };
    if let Some(params) = params {
        let mut dry_run: Vec<&str> = params.all("dryRun").collect();
        dry_run.sort_unstable();
        dry_run.dedup();
        labels.dry_run = dry_run.join(",");
    }
    labels
}

/// Records a finished request and passes its response on.
fn finish(record: RequestRecord, response: Response<ResponseBody>) -> Response<ResponseBody> {
    record.finish(response.status().as_u16());
    response
}

/// The response to a HEAD request: the GET response's head, with its length but no body.
fn without_body(response: Response<ResponseBody>) -> Response<ResponseBody> {
    let (mut parts, body) = response.into_parts();
    if let Some(length) = hyper::body::Body::size_hint(&body).exact() {
        parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
    Response::from_parts(parts, empty_body())
}

fn set_allow(response: &mut Response<ResponseBody>, allow: &[Method]) {
    if let Ok(value) = HeaderValue::from_str(&router::allow_header(allow)) {
        response.headers_mut().insert(ALLOW, value);
    }
}

/// Whether the client is a person's tool (curl, wget, a browser), whose JSON upstream indents.
fn is_terminal_client(user_agent: &str) -> bool {
    ["curl", "Wget", "Mozilla/5.0"].iter().any(|prefix| user_agent.starts_with(prefix))
}
