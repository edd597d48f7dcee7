//! The real `kube-apiserver` binary as a child process on either backend: embedded storage in a
//! temporary directory, or a real etcd (one per test binary, shared by its servers, each under
//! its own `--etcd-prefix`); plain HTTP on a free loopback port, no secure port. Tests that
//! drive it with outside clients (kubectl, the Python client, raw HTTP) test the product as
//! shipped.

#![allow(dead_code)]

pub use kube_apiserver::testing::etcd;

use crate::api_server::{Reply, STEP, connect};
use bytes::Bytes;
use etcd::EtcdServer;
use http_body_util::Full;
use hyper::{Method, Request};
use serde_json::Value;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Where a server under test keeps the cluster's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded store, in the server's temporary directory.
    Embedded,
    /// A real etcd (Debian's `etcd-server`), under a prefix of the server's own.
    Etcd,
}

/// The etcd the servers of this test binary share while any of them runs: started by the first,
/// stopped with the last, so the binary leaves no etcd behind.
static SHARED_ETCD: Mutex<Weak<EtcdServer>> = Mutex::new(Weak::new());
/// Numbers the etcd prefixes handed out in this process.
static NEXT_PREFIX: AtomicUsize = AtomicUsize::new(0);

/// The shared etcd, started if no server holds it.
fn shared_etcd() -> Arc<EtcdServer> {
    let mut shared = SHARED_ETCD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(etcd) = shared.upgrade() {
        return etcd;
    }
    let etcd = Arc::new(EtcdServer::start());
    *shared = Arc::downgrade(&etcd);
    etcd
}

/// A running `kube-apiserver` process; killed (and its storage removed) when dropped.
pub struct RealServer {
    pub address: SocketAddr,
    pub directory: TempDir,
    pub backend: Backend,
    child: Child,
    /// Keeps the shared etcd running while this server uses it; dropped after the child dies.
    _etcd: Option<Arc<EtcdServer>>,
}

impl RealServer {
    /// Starts the binary on the embedded store with `flags` added to the storage and port flags
    /// set here, and waits until `/healthz` answers.
    pub fn start(flags: &[&str]) -> RealServer {
        RealServer::start_on(Backend::Embedded, flags)
    }

    /// Starts the binary on `backend` with `flags` added to the storage and port flags set
    /// here, and waits until `/healthz` answers.
    pub fn start_on(backend: Backend, flags: &[&str]) -> RealServer {
        let directory = tempfile::Builder::new().prefix("apiserver-real-").tempdir().unwrap();
        let port = free_port();
        let log = std::fs::File::create(directory.path().join("apiserver.log")).unwrap();
        let etcd = (backend == Backend::Etcd).then(shared_etcd);
        let storage_flags = match &etcd {
            None => vec![
                format!("--data-dir={}", directory.path().join("data").display()),
                "--embedded-fsync=false".to_string(),
            ],
            Some(etcd) => {
                let prefix = NEXT_PREFIX.fetch_add(1, Ordering::SeqCst);
                vec![
                    format!("--etcd-servers={}", etcd.endpoint()),
                    format!("--etcd-prefix=/test-{}-{prefix}/registry", std::process::id()),
                ]
            }
        };
        let child = Command::new(env!("CARGO_BIN_EXE_kube-apiserver"))
            .args(storage_flags)
            .arg(format!("--cert-dir={}", directory.path().join("certs").display()))
            .arg("--insecure-bind-address=127.0.0.1")
            .arg(format!("--insecure-port={port}"))
            .arg("--secure-port=0")
            .args(flags)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the kube-apiserver binary starts");
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let mut server = RealServer { address, directory, backend, child, _etcd: etcd };
        server.wait_until_healthy();
        server
    }

    fn wait_until_healthy(&mut self) {
        let deadline = Instant::now() + STEP;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("kube-apiserver exited early ({status}):\n{}", self.log());
            }
            if TcpStream::connect(self.address).is_ok() && healthz_ok(self.address) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "kube-apiserver did not serve in time:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What the server wrote to stderr so far, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.directory.path().join("apiserver.log")).unwrap_or_default()
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// One request on a fresh connection with the given body bytes and headers.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(path).header("host", "test");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let mut sender = connect(self.address).await;
        let response = tokio::time::timeout(
            STEP,
            sender.send_request(builder.body(Full::new(body.into())).unwrap()),
        )
        .await
        .expect("answered in time")
        .unwrap();
        Reply::read(response).await
    }

    /// A request with a JSON body (or none).
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        match body {
            Some(body) => {
                let bytes = serde_json::to_vec(body).unwrap();
                self.raw(method, path, &[("content-type", "application/json")], bytes).await
            }
            None => self.raw(method, path, &[], Bytes::new()).await,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nobody listens on right now (the system's choice for port 0).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Whether `GET /healthz` answers 200, over a blocking socket (no runtime needed).
fn healthz_ok(address: SocketAddr) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = TcpStream::connect(address) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = "GET /healthz HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

/// Sends a request over a plain socket, writing the whole body even after the server has
/// answered (and stopped reading), and returns the status code and the JSON in the answer:
/// for requests the server may refuse before reading them, like oversize bodies, where an HTTP
/// client reports the broken pipe instead of the answer.
pub fn send_unread(address: SocketAddr, head: &str, body: &[u8]) -> (u16, Value) {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(STEP)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut request = head.as_bytes().to_vec();
    request.extend_from_slice(body);
    let writing = std::thread::spawn(move || {
        let _ = writer.write_all(&request);
    });
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let _ = writing.join();
    let text = String::from_utf8_lossy(&answer);
    let status = text.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let json = match (text.find('{'), text.rfind('}')) {
        (Some(start), Some(end)) => serde_json::from_str(&text[start..=end]).unwrap_or(Value::Null),
        _ => Value::Null,
    };
    (status, json)
}
