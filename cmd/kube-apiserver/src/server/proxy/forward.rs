//! The upgrade-aware reverse proxy. A request is sent to its backend over a fresh HTTP/1.1
//! connection (plain or TLS) with its method, headers (less the hop-by-hop ones and the
//! client's credentials) and body, and the backend's answer streams back as it comes: nothing
//! is buffered, so `logs -f` and long downloads flow. A request asking to upgrade its connection
//! (SPDY for `exec`/`port-forward`, WebSockets) has its handshake forwarded; when the backend
//! answers 101, both upgraded connections are spliced byte for byte until either side closes.

use super::location::Location;
use crate::server::response::{ResponseBody, empty_body};
use api_types::meta::v1::Status;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{AUTHORIZATION, CONNECTION, HOST, HeaderMap, HeaderValue, UPGRADE};
use hyper::http::request::Parts;
use hyper::upgrade::OnUpgrade;
use hyper::{Request, Response, StatusCode, Version};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// Headers that describe one connection rather than the message, never forwarded as they are
/// (RFC 9110 §7.6.1, and the ones Go's reverse proxy drops).
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// A byte stream to a backend, plain or TLS.
trait Stream: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Stream for T {}

/// The client's side of one proxied request.
pub struct ClientRequest<'a> {
    /// The request head as the client sent it.
    pub parts: &'a Parts,
    /// The client's body, streamed on to the backend.
    pub body: Incoming,
    /// The client's connection, once upgraded; present when it asked to upgrade over HTTP/1.1.
    pub upgrade: Option<OnUpgrade>,
}

/// Forwards the client's request to `location` and answers with the backend's response. With
/// `upgrade_required` (exec, attach, port-forward), a request that does not ask to upgrade is a
/// 400, as upstream answers it. A backend that cannot be reached is upstream's 503
/// `error trying to reach service: <why>`.
pub async fn forward(
    location: &Location,
    connect_timeout: Duration,
    client: ClientRequest<'_>,
    upgrade_required: bool,
) -> Result<Response<ResponseBody>, Status> {
    let upgrading = asks_to_upgrade(&client.parts.headers);
    if upgrade_required && !upgrading {
        return Err(Status::bad_request("Upgrade request required"));
    }
    let mut request = Request::new(client.body);
    *request.method_mut() = client.parts.method.clone();
    *request.uri_mut() = location
        .path_and_query()
        .parse()
        .map_err(|error| Status::bad_request(format!("invalid proxy path: {error}")))?;
    *request.version_mut() = Version::HTTP_11;
    let headers = request.headers_mut();
    copy_end_to_end(&client.parts.headers, headers, upgrading);
    headers.remove(AUTHORIZATION);
    if let Ok(host) = HeaderValue::from_str(&location.authority()) {
        headers.insert(HOST, host);
    }

    let mut response = send(location, connect_timeout, request).await.map_err(unreachable)?;
    if upgrading && response.status() == StatusCode::SWITCHING_PROTOCOLS {
        let Some(client_upgrade) = client.upgrade else {
            return Err(Status::bad_request("the connection cannot be upgraded (HTTP/1.1 only)"));
        };
        let backend_upgrade = hyper::upgrade::on(&mut response);
        tokio::spawn(splice(client_upgrade, backend_upgrade));
        let (parts, _) = response.into_parts();
        return Ok(Response::from_parts(parts, empty_body()));
    }
    Ok(relay(response))
}

/// Sends `request` to `location` on a new connection and returns the response head; its body
/// streams from the connection as the caller reads it. Dialing (and the TLS handshake) is
/// bounded by `connect_timeout`. A failure is described as Go's transport describes it
/// (`dial tcp 10.0.0.5:10250: connect: connection refused`); callers word the `Status`.
pub async fn send<B>(
    location: &Location,
    connect_timeout: Duration,
    request: Request<B>,
) -> Result<Response<Incoming>, String>
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let stream = tokio::time::timeout(connect_timeout, connect(location))
        .await
        .map_err(|_| format!("dial tcp {}: i/o timeout", location.authority()))??;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| error.to_string())?;
    let url = location.url();
    tokio::spawn(async move {
        if let Err(error) = connection.with_upgrades().await {
            tracing::debug!(%url, %error, "proxied connection ended with an error");
        }
    });
    sender.send_request(request).await.map_err(|error| error.to_string())
}

/// Upstream's answer when the proxy cannot reach a backend: 503 `error trying to reach service`.
fn unreachable(why: String) -> Status {
    Status::service_unavailable(format!("error trying to reach service: {why}"))
}

/// Opens the connection `location` names, TLS when it says so.
async fn connect(location: &Location) -> Result<Box<dyn Stream>, String> {
    let dial_error = |error: std::io::Error| format!("dial tcp {}: {error}", location.authority());
    let tcp =
        TcpStream::connect((location.host.as_str(), location.port)).await.map_err(dial_error)?;
    let _ = tcp.set_nodelay(true);
    let Some(tls) = &location.tls else {
        return Ok(Box::new(tcp));
    };
    let server_name = rustls::pki_types::ServerName::try_from(location.host.clone())
        .map_err(|error| format!("invalid TLS server name {:?}: {error}", location.host))?;
    let stream = TlsConnector::from(std::sync::Arc::clone(tls))
        .connect(server_name, tcp)
        .await
        .map_err(|error| format!("TLS handshake with {}: {error}", location.authority()))?;
    Ok(Box::new(stream))
}

/// Whether a request asks to switch protocols: `Connection: Upgrade` and an `Upgrade` header.
fn asks_to_upgrade(headers: &HeaderMap) -> bool {
    headers.contains_key(UPGRADE) && connection_tokens(headers).any(|token| token == "upgrade")
}

/// The lower-cased tokens of every `Connection` header.
fn connection_tokens(headers: &HeaderMap) -> impl Iterator<Item = String> + '_ {
    headers
        .get_all(CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|token| token.trim().to_ascii_lowercase())
        .filter(|token| !token.is_empty())
}

/// Copies the headers meant for the far end: everything but the hop-by-hop headers and those
/// the `Connection` header names. An upgrade keeps `Connection: Upgrade` and `Upgrade`, which
/// are the handshake itself.
fn copy_end_to_end(from: &HeaderMap, to: &mut HeaderMap, upgrading: bool) {
    let named: Vec<String> = connection_tokens(from).collect();
    for (name, value) in from {
        let lower = name.as_str();
        if HOP_BY_HOP.contains(&lower) || named.iter().any(|token| token == lower) {
            continue;
        }
        to.append(name.clone(), value.clone());
    }
    if upgrading {
        if let Some(upgrade) = from.get(UPGRADE) {
            to.insert(UPGRADE, upgrade.clone());
        }
        to.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
    }
}

/// The backend's response for the client: its status, its end-to-end headers and its body as
/// it streams.
fn relay(response: Response<Incoming>) -> Response<ResponseBody> {
    let (mut parts, body) = response.into_parts();
    let mut headers = HeaderMap::with_capacity(parts.headers.len());
    copy_end_to_end(&parts.headers, &mut headers, false);
    parts.headers = headers;
    parts.version = Version::HTTP_11;
    Response::from_parts(parts, relayed_body(body))
}

/// A backend's body as a response body, passed on as it streams.
pub fn relayed_body(body: Incoming) -> ResponseBody {
    RelayedBody(body).boxed_unsync()
}

/// Splices the two upgraded connections until either side closes.
async fn splice(client: OnUpgrade, backend: OnUpgrade) {
    let (client, backend) = match tokio::try_join!(client, backend) {
        Ok(pair) => pair,
        Err(error) => {
            tracing::debug!(%error, "upgrading a proxied connection failed");
            return;
        }
    };
    let mut client = TokioIo::new(client);
    let mut backend = TokioIo::new(backend);
    if let Err(error) = tokio::io::copy_bidirectional(&mut client, &mut backend).await {
        tracing::debug!(%error, "an upgraded proxied connection ended with an error");
    }
}

/// A backend's body passed on frame by frame. A read error from the backend ends the body early
/// (the client sees a short body or a broken chunked stream), since the response is under way.
struct RelayedBody(Incoming);

impl Body for RelayedBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match Pin::new(&mut self.0).poll_frame(context) {
            Poll::Ready(Some(Ok(frame))) => Poll::Ready(Some(Ok(frame))),
            Poll::Ready(Some(Err(error))) => {
                tracing::debug!(%error, "reading a proxied body failed");
                Poll::Ready(None)
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.0.size_hint()
    }
}

/// Reads at most `limit` bytes of a body, for error messages from backends.
pub async fn read_prefix(body: Incoming, limit: usize) -> String {
    let mut body = body;
    let mut text = Vec::new();
    while text.len() < limit {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    text.extend_from_slice(&data);
                }
            }
            _ => break,
        }
    }
    text.truncate(limit);
    String::from_utf8_lossy(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderName;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
        }
        map
    }

    #[test]
    fn hop_by_hop_headers_stay_behind() {
        let from = headers(&[
            ("connection", "keep-alive, x-private"),
            ("keep-alive", "timeout=5"),
            ("x-private", "1"),
            ("transfer-encoding", "chunked"),
            ("content-type", "text/plain"),
            ("x-trace", "a"),
            ("x-trace", "b"),
        ]);
        let mut to = HeaderMap::new();
        copy_end_to_end(&from, &mut to, false);
        assert_eq!(to.len(), 3, "{to:?}");
        assert_eq!(to["content-type"], "text/plain");
        assert_eq!(to.get_all("x-trace").iter().count(), 2);
    }

    #[test]
    fn upgrades_keep_their_handshake() {
        let from = headers(&[
            ("connection", "Upgrade"),
            ("upgrade", "SPDY/3.1"),
            ("x-stream-protocol-version", "v4.channel.k8s.io"),
        ]);
        assert!(asks_to_upgrade(&from));
        let mut to = HeaderMap::new();
        copy_end_to_end(&from, &mut to, true);
        assert_eq!(to["upgrade"], "SPDY/3.1");
        assert_eq!(to["connection"], "Upgrade");
        assert_eq!(to["x-stream-protocol-version"], "v4.channel.k8s.io");
        assert!(!asks_to_upgrade(&headers(&[("upgrade", "websocket")])));
        assert!(!asks_to_upgrade(&headers(&[("connection", "upgrade")])));
    }
}
