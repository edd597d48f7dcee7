//! Stand-ins for components this repository does not have yet, speaking real HTTP/1.1 (plain or
//! TLS with an rcgen certificate): a kubelet's `containerLogs`, `exec`, `attach` and
//! `portForward` endpoints, and a pod's web server that echoes what it was sent. They exist so
//! the apiserver's proxy can be driven end to end; they are not the kubelet.
//!
//! They listen on this host's own (non-loopback) address, since the apiserver, like upstream,
//! refuses to proxy to loopback pods and endpoints.
//!
//! - `/containerLogs/<ns>/<pod>/<container>`: lines `<container> line 1` … `line 5` (the last
//!   `tailLines` of them); with `follow=true`, whatever the test pushes through
//!   [`StandIn::log_lines`]; for the container `waiting`, the kubelet's 400 for a container that
//!   has not started.
//! - `/exec/...` as a WebSocket with the `v5.channel.k8s.io` subprotocol: the command runs as
//!   `echo` would ([`websocket_exec`]), enough for `kubectl exec ... -- echo`.
//! - `/exec/...`, `/attach/...`, `/portForward/...` otherwise: a 101 to any upgrade request, then
//!   every byte received is echoed back; 400 without an upgrade.
//! - `/slow`: answers after two seconds; `/teapot`: 418 `text/x-teapot`.
//! - anything else: 200 with a JSON echo of the method, path, query, headers and body.

#![allow(dead_code)]

mod websocket_exec;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use serde_json::{Map, Value, json};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

type StandInBody = BoxBody<Bytes, Infallible>;

/// A stand-in server on a free port of this host's address; stops when dropped.
pub struct StandIn {
    pub address: SocketAddr,
    /// The PEM CA that signed the serving certificate, for TLS stand-ins.
    pub ca_pem: Option<String>,
    /// A PEM client certificate and key the stand-in accepts, when it demands one.
    pub client_pair: Option<(String, String)>,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct State {
    /// Every request's `path?query`, in arrival order.
    seen: Mutex<Vec<String>>,
    /// Lines for the next `follow=true` log request.
    follow: Mutex<Option<mpsc::UnboundedReceiver<Bytes>>>,
}

impl StandIn {
    /// A plain HTTP stand-in.
    pub async fn plain() -> StandIn {
        Self::start(None).await
    }

    /// An HTTPS stand-in whose certificate (for this host's address and localhost) is signed by a
    /// fresh CA.
    pub async fn tls() -> StandIn {
        Self::start_tls(false).await
    }

    /// An HTTPS stand-in that also demands a client certificate signed by its CA; the pair it
    /// accepts is in [`StandIn::client_pair`].
    pub async fn tls_with_client_certificates() -> StandIn {
        Self::start_tls(true).await
    }

    async fn start_tls(require_client_certificate: bool) -> StandIn {
        let setup = tls_setup(require_client_certificate);
        let mut stand_in = Self::start(Some(tokio_rustls::TlsAcceptor::from(setup.config))).await;
        stand_in.ca_pem = Some(setup.ca_pem);
        stand_in.client_pair = setup.client_pair;
        stand_in
    }

    async fn start(tls: Option<tokio_rustls::TlsAcceptor>) -> StandIn {
        let listener = TcpListener::bind((host_address(), 0)).await.unwrap();
        let address = listener.local_addr().unwrap();
        let state = Arc::new(State::default());
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let state = Arc::clone(&shared);
                let tls = tls.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| answer(Arc::clone(&state), request));
                    let builder = hyper::server::conn::http1::Builder::new();
                    match tls {
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                let io = TokioIo::new(stream);
                                let _ = builder.serve_connection(io, service).with_upgrades().await;
                            }
                        }
                        None => {
                            let io = TokioIo::new(stream);
                            let _ = builder.serve_connection(io, service).with_upgrades().await;
                        }
                    }
                });
            }
        });
        StandIn { address, ca_pem: None, client_pair: None, state, task }
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Every request's `path?query` so far.
    pub fn seen(&self) -> Vec<String> {
        self.state.seen.lock().unwrap().clone()
    }

    /// A sender whose lines become the body of the next `follow=true` log request; the body
    /// ends when the sender is dropped.
    pub fn log_lines(&self) -> mpsc::UnboundedSender<Bytes> {
        let (sender, receiver) = mpsc::unbounded_channel();
        *self.state.follow.lock().unwrap() = Some(receiver);
        sender
    }
}

/// This host's address on its default route: what a UDP socket "connected" towards a
/// documentation address (no packet is sent) would send from.
pub fn host_address() -> IpAddr {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    socket
        .connect("192.0.2.1:9")
        .expect("these tests need a non-loopback address with a default route");
    let address = socket.local_addr().unwrap().ip();
    assert!(!address.is_loopback(), "no non-loopback address: {address}");
    address
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn full(bytes: impl Into<Bytes>) -> StandInBody {
    Full::new(bytes.into()).boxed()
}

fn reply(code: StatusCode, content_type: &str, body: StandInBody) -> Response<StandInBody> {
    Response::builder().status(code).header("content-type", content_type).body(body).unwrap()
}

async fn answer(
    state: Arc<State>,
    mut request: Request<Incoming>,
) -> Result<Response<StandInBody>, Infallible> {
    let uri = request.uri().clone();
    let path = uri.path().to_string();
    state
        .seen
        .lock()
        .unwrap()
        .push(uri.path_and_query().map(|p| p.to_string()).unwrap_or(path.clone()));
    let query = uri.query().unwrap_or_default().to_string();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let response = match segments.as_slice() {
        ["containerLogs", _namespace, pod, container] => {
            log_response(&state, pod, container, &query)
        }
        ["exec", ..] if offers_channel_websocket(&request) => websocket_exec(&mut request),
        ["exec" | "attach", ..] | ["portForward", ..] => upgrade_and_echo(&mut request),
        ["slow"] => {
            tokio::time::sleep(Duration::from_secs(2)).await;
            reply(StatusCode::OK, "text/plain", full("finally\n"))
        }
        ["teapot"] => reply(StatusCode::IM_A_TEAPOT, "text/x-teapot", full("short and stout\n")),
        _ => echo(request).await,
    };
    Ok(response)
}

/// The log endpoint: fixed lines, the last `tailLines` of them, or a followed stream.
fn log_response(state: &State, pod: &str, container: &str, query: &str) -> Response<StandInBody> {
    if container == "waiting" {
        let message = format!(
            "container \"{container}\" in pod \"{pod}\" is waiting to start: ContainerCreating"
        );
        return reply(StatusCode::BAD_REQUEST, "text/plain", full(message));
    }
    let param = |name: &str| {
        query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_string))
    };
    if param("follow").as_deref() == Some("true") {
        if let Some(receiver) = state.follow.lock().unwrap().take() {
            return reply(StatusCode::OK, "text/plain", ChannelBody(receiver).boxed());
        }
    }
    let lines: Vec<String> = (1..=5).map(|n| format!("{container} line {n}\n")).collect();
    let tail =
        param("tailLines").and_then(|text| text.parse::<usize>().ok()).unwrap_or(lines.len());
    let kept = lines[lines.len().saturating_sub(tail)..].concat();
    reply(StatusCode::OK, "text/plain", full(kept))
}

/// Accepts any upgrade with 101 (echoing the protocol headers a kubelet would settle), then
/// echoes every byte back until the client closes.
fn upgrade_and_echo(request: &mut Request<Incoming>) -> Response<StandInBody> {
    let Some(protocol) = request.headers().get("upgrade").cloned() else {
        return reply(StatusCode::BAD_REQUEST, "text/plain", full("upgrade required\n"));
    };
    let upgrade = hyper::upgrade::on(&mut *request);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else { return };
        let mut io = TokioIo::new(upgraded);
        let mut buffer = [0u8; 4096];
        loop {
            match io.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(read) => {
                    if io.write_all(&buffer[..read]).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
    let mut response = Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header("connection", "Upgrade")
        .header("upgrade", protocol);
    if let Some(version) = request.headers().get("x-stream-protocol-version") {
        let first = version.to_str().unwrap_or_default().split(',').next().unwrap_or_default();
        response = response.header("x-stream-protocol-version", first.trim());
    }
    response.body(full(Bytes::new())).unwrap()
}

/// Whether the request is a WebSocket handshake offering the subprotocol the stand-in speaks.
fn offers_channel_websocket(request: &Request<Incoming>) -> bool {
    let header = |name| request.headers().get(name).and_then(|value| value.to_str().ok());
    header("upgrade").is_some_and(|upgrade| upgrade.eq_ignore_ascii_case("websocket"))
        && header("sec-websocket-protocol")
            .is_some_and(|offered| offered.split(',').any(|p| p.trim() == websocket_exec::PROTOCOL))
}

/// Completes the WebSocket handshake and runs the command (as `echo`) over it.
fn websocket_exec(request: &mut Request<Incoming>) -> Response<StandInBody> {
    let key = request.headers().get("sec-websocket-key").and_then(|v| v.to_str().ok());
    let accept = websocket_exec::accept_key(key.unwrap_or_default());
    let query = request.uri().query().unwrap_or_default();
    let params = api_types::meta::v1::QueryParams::parse(query).unwrap();
    let command: Vec<String> = params.all("command").map(str::to_string).collect();
    let upgrade = hyper::upgrade::on(&mut *request);
    tokio::spawn(async move {
        if let Ok(upgraded) = upgrade.await {
            websocket_exec::run_echo(upgraded, command).await;
        }
    });
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header("connection", "Upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-accept", accept)
        .header("sec-websocket-protocol", websocket_exec::PROTOCOL)
        .body(full(Bytes::new()))
        .unwrap()
}

/// A JSON account of the request, so tests can see what the proxy forwarded.
async fn echo(request: Request<Incoming>) -> Response<StandInBody> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map(|collected| collected.to_bytes()).unwrap_or_default();
    let mut headers = Map::new();
    for (name, value) in &parts.headers {
        headers.insert(name.to_string(), Value::from(value.to_str().unwrap_or_default()));
    }
    let echo = json!({
        "method": parts.method.as_str(),
        "path": parts.uri.path(),
        "query": parts.uri.query().unwrap_or_default(),
        "headers": headers,
        "body": String::from_utf8_lossy(&body),
    });
    let mut response = reply(StatusCode::OK, "application/json", full(echo.to_string()));
    response.headers_mut().insert("x-stand-in", "pod".parse().unwrap());
    response
}

/// A response body fed line by line by the test.
struct ChannelBody(mpsc::UnboundedReceiver<Bytes>);

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(context).map(|line| line.map(|line| Ok(Frame::data(line))))
    }
}

/// The TLS side of an HTTPS stand-in: its serving configuration, the PEM of the CA that signed
/// its certificate and, when it demands client certificates, a client pair that CA signed.
struct TlsSetup {
    config: Arc<rustls::ServerConfig>,
    ca_pem: String,
    client_pair: Option<(String, String)>,
}

/// A certificate for this host's address and localhost, signed by a new CA; with
/// `require_client_certificate`, clients must present a certificate from that CA too.
fn tls_setup(require_client_certificate: bool) -> TlsSetup {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(vec![host_address().to_string(), "localhost".to_string()]).unwrap();
    let certificate = params.signed_by(&key, &issuer).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key_der = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap();
    let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .unwrap();
    let (builder, client_pair) = if require_client_certificate {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.der().clone()).unwrap();
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
        let client_key = KeyPair::generate().unwrap();
        let client_params = CertificateParams::new(vec!["kube-apiserver".to_string()]).unwrap();
        let client = client_params.signed_by(&client_key, &issuer).unwrap();
        let pair = (client.pem(), client_key.serialize_pem());
        (builder.with_client_cert_verifier(verifier), Some(pair))
    } else {
        (builder.with_no_client_auth(), None)
    };
    let config = builder.with_single_cert(vec![certificate.der().clone()], key_der).unwrap();
    TlsSetup { config: Arc::new(config), ca_pem: ca.pem(), client_pair }
}
