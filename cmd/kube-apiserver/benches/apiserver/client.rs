//! A small HTTP/1.1 client: one keep-alive connection per simulated client, as a controller or
//! kubectl holds one, so that every request after the first pays no connection set-up.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use tokio::net::TcpStream;

/// What `kubectl get` sends as `Accept`: a server-side table, or plain JSON from old servers.
pub const KUBECTL_TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,\
                                        application/json;as=Table;v=v1beta1;g=meta.k8s.io,\
                                        application/json";

/// One open HTTP/1.1 connection to the apiserver.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
}

/// A whole response: its status and body.
pub struct Reply {
    pub status: StatusCode,
    pub body: Bytes,
}

impl Reply {
    /// The body as JSON; panics with the body when it is not, since the bench cannot go on.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&self.body)))
    }

    /// Panics unless the status is `expected`, naming `what` was attempted.
    pub fn expect_status(self, expected: StatusCode, what: &str) -> Reply {
        if self.status != expected {
            panic!(
                "{what}: expected {expected}, got {}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            );
        }
        self
    }
}

impl Connection {
    /// Connects to `address`; the connection's driver runs as a task until either side closes.
    pub async fn open(address: SocketAddr) -> Connection {
        let stream = TcpStream::connect(address)
            .await
            .unwrap_or_else(|error| panic!("connect to {address}: {error}"));
        stream.set_nodelay(true).expect("set TCP_NODELAY");
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("HTTP/1.1 handshake");
        tokio::spawn(connection);
        Connection { sender }
    }

    /// Sends one request and returns as soon as the response headers arrive.
    pub async fn start(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> Response<Incoming> {
        let mut request = Request::builder().method(method).uri(path).header("host", "bench");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Full::new(body)).expect("a well-formed request");
        self.sender.ready().await.unwrap_or_else(|error| panic!("{path}: connection: {error}"));
        self.sender.send_request(request).await.unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    /// Sends one request and reads the whole response.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> Reply {
        let response = self.start(method, path, headers, body).await;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap_or_else(|error| panic!("{path}: reading the body: {error}"))
            .to_bytes();
        Reply { status, body }
    }

    /// POSTs a JSON body.
    pub async fn post_json(&mut self, path: &str, body: Bytes) -> Reply {
        self.send(Method::POST, path, &[("content-type", "application/json")], body).await
    }
}
