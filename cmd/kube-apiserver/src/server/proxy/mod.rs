//! The proxy-style side of the API: the `proxy` subresource of pods, services and nodes (and the
//! v1.0 `/api/v1/proxy/...` prefix), and the pod subresources served by the pod's kubelet:
//! `log`, `exec`, `attach` and `portforward`.
//!
//! - [`location`]: backend URLs and the `[scheme:]name[:port]` target spelling;
//! - [`targets`]: where a pod, service or node proxy leads;
//! - [`pods`]: container choice and the kubelet paths and queries of the pod subresources;
//! - [`kubelet`]: how a node's kubelet is reached, from the `--kubelet-*` flags;
//! - [`tls`]: TLS client settings for backends;
//! - [`forward`]: the upgrade-aware reverse proxy that carries the request there and back.

mod forward;
pub mod kubelet;
mod location;
mod pods;
mod targets;
pub mod tls;

use super::handlers::RequestContext;
use super::response::{
    ResponseBody, full_body, method_not_allowed, not_found, status_response, with_content_type,
};
use super::router::{ProxyRequest, ResourceRequest, Verb};
use crate::registry::ResourceTable;
use api_types::api::core::v1::{Node, Pod};
use api_types::meta::v1::{Status, StatusCause, StatusDetails, StatusReason, cause_type};
use forward::{ClientRequest, forward, read_prefix, relayed_body, send};
use http_body_util::Empty;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use kubelet::KubeletClient;
use location::Location;
use rustls::ClientConfig;
use std::sync::Arc;
use std::time::Duration;

/// How long connecting to a pod or service backend may take.
const WORKLOAD_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Most of a kubelet's error body quoted back to the client, as upstream reads it.
const MAX_ERROR_BODY_BYTES: usize = 50_000;

/// The pod subresources served by the pod's kubelet.
const KUBELET_SUBRESOURCES: [&str; 4] = ["log", "exec", "attach", "portforward"];

/// Whether a resource request is for a subresource this module serves.
pub fn serves(request: &ResourceRequest) -> bool {
    request.path.group.is_empty()
        && request.path.resource == "pods"
        && request
            .path
            .subresource
            .as_deref()
            .is_some_and(|subresource| KUBELET_SUBRESOURCES.contains(&subresource))
}

/// The proxy's settings: how kubelets are reached, and the TLS used for `https:` workloads.
#[derive(Clone)]
pub struct Proxy {
    kubelet: KubeletClient,
    workload_tls: Arc<ClientConfig>,
}

impl Proxy {
    /// A proxy reaching kubelets through `kubelet`.
    pub fn new(kubelet: KubeletClient) -> Self {
        Proxy { kubelet, workload_tls: tls::unverified() }
    }

    /// Serves a proxy route: finds the backend, forwards the request with the path after
    /// `proxy/` and the client's query, and passes the backend's answer through as it is.
    pub async fn serve_proxy(
        &self,
        resources: &ResourceTable,
        request: ProxyRequest,
        context: &RequestContext<'_>,
        body: Incoming,
    ) -> Response<ResponseBody> {
        let (mut location, timeout) = match self.proxy_target(resources, &request).await {
            Ok(target) => target,
            Err(status) => return status_response(&status),
        };
        location.path = request.forward_path;
        location.query = context.parts.uri.query().unwrap_or_default().to_string();
        forward(&location, timeout, client_request(context, body), false)
            .await
            .unwrap_or_else(|status| status_response(&status))
    }

    /// The backend of a proxy route (its path and query still empty) and how long connecting
    /// to it may take.
    async fn proxy_target(
        &self,
        resources: &ResourceTable,
        request: &ProxyRequest,
    ) -> Result<(Location, Duration), Status> {
        let target = &request.target;
        let (Some(id), true) = (target.name.as_deref(), target.group.is_empty()) else {
            return Err(not_found());
        };
        let tls = &self.workload_tls;
        match (target.resource.as_str(), target.namespace.as_deref()) {
            ("pods", Some(namespace)) => {
                let location = targets::pod_location(resources, namespace, id, tls).await?;
                Ok((location, WORKLOAD_CONNECT_TIMEOUT))
            }
            ("services", Some(namespace)) => {
                let location = targets::service_location(resources, namespace, id, tls).await?;
                Ok((location, WORKLOAD_CONNECT_TIMEOUT))
            }
            ("nodes", None) => {
                let location = targets::node_location(resources, &self.kubelet, id, tls).await?;
                Ok((location, self.kubelet.connect_timeout))
            }
            _ => Err(not_found()),
        }
    }

    /// Serves `pods/<name>/{log,exec,attach,portforward}` from the pod's kubelet.
    pub async fn serve_kubelet_subresource(
        &self,
        resources: &ResourceTable,
        request: &ResourceRequest,
        context: &RequestContext<'_>,
        body: Incoming,
    ) -> Response<ResponseBody> {
        self.kubelet_subresource(resources, request, context, body)
            .await
            .unwrap_or_else(|status| status_response(&status))
    }

    async fn kubelet_subresource(
        &self,
        resources: &ResourceTable,
        request: &ResourceRequest,
        context: &RequestContext<'_>,
        body: Incoming,
    ) -> Result<Response<ResponseBody>, Status> {
        let path = &request.path;
        let subresource = path.subresource.as_deref().unwrap_or_default();
        let allowed = match subresource {
            "log" => request.verb == Verb::Get,
            _ => matches!(context.parts.method, Method::GET | Method::POST),
        };
        if !allowed {
            return Err(method_not_allowed("", "pods"));
        }
        let namespace = path.namespace.as_deref().ok_or_else(not_found)?;
        let name = path.name.as_deref().ok_or_else(not_found)?;
        let params = context.params;
        let pod: Pod = targets::get_object(resources, "pods", Some(namespace), name).await?;
        if subresource == "log" {
            let options = pods::LogOptions::from_params(params, name)?;
            let container = pods::choose_container(&pod, &options.container)?;
            if pod.spec.node_name.is_empty() {
                // Upstream answers an empty log for a pod that has not been scheduled yet.
                return Ok(text_response(full_body(Bytes::new())));
            }
            let path = format!("/containerLogs/{namespace}/{name}/{container}");
            let location =
                self.kubelet_location(resources, &pod, path, options.kubelet_query()).await?;
            return self.stream_log(&location, name).await;
        }
        let (path, query) = match subresource {
            "portforward" => {
                let query = pods::port_forward_query(params)?;
                (format!("/portForward/{namespace}/{name}"), query)
            }
            _ => {
                let container = pods::choose_container(&pod, &params.string("container"))?;
                let query = pods::stream_query(params, subresource == "exec");
                (format!("/{subresource}/{namespace}/{name}/{container}"), query)
            }
        };
        pods::assigned_node(&pod)?;
        let location = self.kubelet_location(resources, &pod, path, query).await?;
        forward(&location, self.kubelet.connect_timeout, client_request(context, body), true).await
    }

    /// The kubelet URL of `path?query` on the node `pod` is assigned to.
    async fn kubelet_location(
        &self,
        resources: &ResourceTable,
        pod: &Pod,
        path: String,
        query: String,
    ) -> Result<Location, Status> {
        let node_name = pods::assigned_node(pod)?;
        let node: Node = targets::get_object(resources, "nodes", None, node_name).await?;
        self.kubelet.location(&node, path, query)
    }

    /// Fetches a container's log from the kubelet and streams it to the client as it comes.
    async fn stream_log(
        &self,
        location: &Location,
        pod_name: &str,
    ) -> Result<Response<ResponseBody>, Status> {
        let request = Request::get(location.path_and_query())
            .header(hyper::header::HOST, location.authority())
            .body(Empty::<Bytes>::new())
            .map_err(Status::internal_error)?;
        // Upstream reports a kubelet it cannot reach as a plain error: 500 without a reason,
        // the transport's words as the message (`Get "https://…": dial tcp …`).
        let response =
            send(location, self.kubelet.connect_timeout, request).await.map_err(|why| {
                let mut status = Status::failure(StatusReason::InternalError, "");
                status.reason = String::new();
                status.message = format!("Get \"{}\": {why}", location.url());
                status
            })?;
        let code = response.status();
        if !code.is_success() {
            let text = read_prefix(response.into_body(), MAX_ERROR_BODY_BYTES).await;
            return Err(kubelet_error(code, &text, pod_name));
        }
        Ok(text_response(relayed_body(response.into_body())))
    }
}

/// Upstream's answer for a log request the kubelet refused: 400 and 500 carry the kubelet's text
/// as their message; other codes keep their code, with upstream's generic message and the text
/// as a cause.
fn kubelet_error(code: StatusCode, text: &str, pod_name: &str) -> Status {
    let (reason, message) = match code {
        StatusCode::BAD_REQUEST => return Status::bad_request(text),
        StatusCode::INTERNAL_SERVER_ERROR => return Status::internal_error(text),
        StatusCode::NOT_FOUND => {
            (StatusReason::NotFound.as_str(), "the server could not find the requested resource")
        }
        StatusCode::FORBIDDEN => (StatusReason::Forbidden.as_str(), text),
        StatusCode::SERVICE_UNAVAILABLE => (
            StatusReason::ServiceUnavailable.as_str(),
            "the server is currently unable to handle the request",
        ),
        _ => ("", ""),
    };
    let generic = format!(
        "the server responded with the status code {} but did not return more information",
        code.as_u16()
    );
    let mut status = Status::failure(StatusReason::InternalError, "");
    status.reason = reason.to_string();
    status.message = if message.is_empty() { generic } else { message.to_string() };
    status.code = i32::from(code.as_u16());
    let causes = if text.is_empty() {
        Vec::new()
    } else {
        vec![StatusCause::new(cause_type::UNEXPECTED_SERVER_RESPONSE, "", text)]
    };
    status.details = Some(StatusDetails {
        kind: "pods".to_string(),
        name: pod_name.to_string(),
        causes,
        ..Default::default()
    });
    status
}

/// A `text/plain` response, what upstream sends for logs.
fn text_response(body: ResponseBody) -> Response<ResponseBody> {
    with_content_type(StatusCode::OK, "text/plain", body)
}

/// The client's side of a request, for forwarding.
fn client_request<'a>(context: &'a RequestContext<'_>, body: Incoming) -> ClientRequest<'a> {
    ClientRequest { parts: context.parts, body, upgrade: context.take_upgrade() }
}
