//! A whole apiserver in the test process: real embedded storage in a temporary directory, every
//! kind served, listening on loopback ports the system picks; and a small HTTP/1.1 client.

#![allow(dead_code)]

use bytes::Bytes;
use component_base::ShutdownToken;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use kube_apiserver::Listeners;
use kube_apiserver::options::Options;
use kube_apiserver::registry::ResourceTable;
use kube_apiserver::storage::Storage;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Upper bound on one step of a test, so a regression fails instead of hanging.
pub const STEP: Duration = Duration::from_secs(20);

/// A running apiserver; stopped (and its storage removed) when dropped.
pub struct TestServer {
    pub address: SocketAddr,
    pub secure_address: Option<SocketAddr>,
    pub directory: TempDir,
    shutdown: ShutdownToken,
    task: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server with the given extra flags (the storage and port flags are set here).
    pub async fn start(flags: &[&str]) -> TestServer {
        Self::start_with(flags, false, |_, _| {}).await
    }

    /// Starts a server whose resource table `extend` completes first, for resources built from
    /// more than storage (componentstatuses with fixture components).
    pub async fn start_extended(
        flags: &[&str],
        extend: impl FnOnce(&mut ResourceTable, Arc<dyn Storage>),
    ) -> TestServer {
        Self::start_with(flags, false, extend).await
    }

    /// Starts a server that also serves HTTPS, with its certificate generated in the test's
    /// directory.
    pub async fn start_secure(flags: &[&str]) -> TestServer {
        Self::start_with(flags, true, |_, _| {}).await
    }

    async fn start_with(
        flags: &[&str],
        secure: bool,
        extend: impl FnOnce(&mut ResourceTable, Arc<dyn Storage>),
    ) -> TestServer {
        let directory = tempfile::Builder::new().prefix("apiserver-http-").tempdir().unwrap();
        let data_dir = format!("--data-dir={}", directory.path().join("data").display());
        let cert_dir = format!("--cert-dir={}", directory.path().join("certs").display());
        let mut argv = vec!["kube-apiserver", &data_dir, &cert_dir, "--embedded-fsync=false"];
        argv.extend_from_slice(flags);
        let options = Options::try_parse_args(argv).expect("test flags parse");

        let storage = options.storage.open().await.expect("embedded storage opens");
        let mut resources =
            kube_apiserver::resource_table(Arc::clone(&storage), &options.storage.etcd_prefix);
        extend(&mut resources, storage);
        let insecure = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = insecure.local_addr().unwrap();
        let secure =
            if secure { Some(TcpListener::bind("127.0.0.1:0").await.unwrap()) } else { None };
        let secure_address = secure.as_ref().map(|listener| listener.local_addr().unwrap());
        let listeners = Listeners { insecure: Some(insecure), secure };
        let shutdown = ShutdownToken::new();
        let token = shutdown.clone();
        let task = tokio::spawn(async move {
            kube_apiserver::serve(&options, listeners, resources, token)
                .await
                .expect("server runs");
        });
        let server = TestServer { address, secure_address, directory, shutdown, task: Some(task) };
        server.wait_until_serving().await;
        server
    }

    /// Waits for `/healthz` to answer: by then the certificate exists and both ports serve.
    async fn wait_until_serving(&self) {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            if let Ok(stream) = TcpStream::connect(self.address).await {
                if let Ok((mut sender, connection)) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream)).await
                {
                    tokio::spawn(connection);
                    let request = Request::get("/healthz")
                        .header("host", "test")
                        .body(Full::new(Bytes::new()))
                        .unwrap();
                    if sender
                        .send_request(request)
                        .await
                        .is_ok_and(|response| response.status() == 200)
                    {
                        return;
                    }
                }
            }
            assert!(tokio::time::Instant::now() < deadline, "the server did not start in time");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) {
        self.shutdown.trigger();
        if let Some(task) = self.task.take() {
            tokio::time::timeout(STEP, task).await.expect("server stops in time").unwrap();
        }
    }

    /// Sends one request on a fresh connection.
    pub async fn send(&self, request: Request<Full<Bytes>>) -> Response<Incoming> {
        let mut sender = connect(self.address).await;
        tokio::time::timeout(STEP, sender.send_request(request))
            .await
            .expect("answered in time")
            .unwrap()
    }

    /// A request with a JSON body (or none).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(path).header("host", "test");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let bytes =
            body.map(|body| Bytes::from(serde_json::to_vec(body).unwrap())).unwrap_or_default();
        if body.is_some() {
            builder = builder.header("content-type", "application/json");
        }
        let response = self.send(builder.body(Full::new(bytes)).unwrap()).await;
        Reply::read(response).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, &[], None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.call(Method::POST, path, &[], Some(body)).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// An HTTP/1.1 connection to `address`.
pub async fn connect(address: SocketAddr) -> hyper::client::conn::http1::SendRequest<Full<Bytes>> {
    let stream = tokio::time::timeout(STEP, TcpStream::connect(address)).await.unwrap().unwrap();
    let (sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(connection);
    sender
}

/// A whole response.
pub struct Reply {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub async fn read(response: Response<Incoming>) -> Reply {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = tokio::time::timeout(STEP, response.into_body().collect())
            .await
            .expect("body in time")
            .unwrap()
            .to_bytes();
        Reply { status, headers, body }
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}
