//! A throwaway single-member etcd for integration tests: the real server (Debian's
//! `etcd-server`, at `/usr/bin/etcd`) on loopback, on free ports, with its data in a temporary
//! directory, killed when dropped.
//!
//! A missing etcd binary fails the test with a message saying what to install: these tests
//! never skip.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's `etcd-server` package installs etcd; `ETCD_BIN` overrides it.
const DEFAULT_ETCD_BINARY: &str = "/usr/bin/etcd";
/// How long a fresh or restarted etcd may take to answer `/health`.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How often start-up picks new ports after losing a port to another process.
const START_ATTEMPTS: usize = 5;
const MEMBER_NAME: &str = "test";

/// A running etcd (or a stopped one that can be restarted on the same ports and data).
pub struct EtcdServer {
    binary: PathBuf,
    /// Holds the data directory and the log; removed on drop.
    dir: tempfile::TempDir,
    ports: Ports,
    /// `http` or, when serving clients over TLS, `https`.
    scheme: &'static str,
    extra_args: Vec<String>,
    process: Option<Child>,
}

/// The ports one etcd listens on.
#[derive(Clone, Copy)]
struct Ports {
    client: u16,
    peer: u16,
    /// Plain-HTTP `/health` (and `/metrics`), so health checks need no TLS even when clients do.
    metrics: u16,
}

/// Files that make etcd serve clients over TLS and accept only client certificates signed by
/// `client_ca`.
pub struct ServerTls<'a> {
    pub cert: &'a Path,
    pub key: &'a Path,
    pub client_ca: &'a Path,
}

impl EtcdServer {
    /// Starts etcd and waits until it is healthy.
    pub fn start() -> EtcdServer {
        EtcdServer::start_with_args(&[])
    }

    /// Starts etcd with extra command-line flags (for example
    /// `--experimental-watch-progress-notify-interval=500ms`) and waits until it is healthy.
    pub fn start_with_args(extra_args: &[&str]) -> EtcdServer {
        let extra_args = extra_args.iter().map(|arg| arg.to_string()).collect();
        EtcdServer::start_as("http", extra_args)
    }

    /// Starts etcd serving clients over TLS (an `https://` endpoint) with client certificates
    /// required, and waits until it is healthy.
    pub fn start_tls(tls: ServerTls<'_>) -> EtcdServer {
        let extra_args = vec![
            format!("--cert-file={}", tls.cert.display()),
            format!("--key-file={}", tls.key.display()),
            format!("--trusted-ca-file={}", tls.client_ca.display()),
            "--client-cert-auth".to_string(),
        ];
        EtcdServer::start_as("https", extra_args)
    }

    fn start_as(scheme: &'static str, extra_args: Vec<String>) -> EtcdServer {
        let binary = etcd_binary();
        let mut last_failure = String::new();
        for _ in 0..START_ATTEMPTS {
            let dir = tempfile::Builder::new()
                .prefix("etcd-test-")
                .tempdir()
                .expect("create a temporary directory for etcd");
            let mut server = EtcdServer {
                binary: binary.clone(),
                dir,
                ports: free_ports(),
                scheme,
                extra_args: extra_args.clone(),
                process: None,
            };
            match server.launch() {
                Ok(()) => return server,
                // Most likely another process took one of the ports in the meantime.
                Err(failure) => last_failure = failure,
            }
        }
        panic!("etcd did not start after {START_ATTEMPTS} attempts; last: {last_failure}");
    }

    /// The client URL, as `--etcd-servers` takes it.
    pub fn endpoint(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme, self.ports.client)
    }

    /// Kills etcd (as a crash would) and waits for it to exit; the data stays.
    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }

    /// Starts etcd again on the same ports and data directory and waits until it is healthy.
    pub fn restart(&mut self) {
        self.stop();
        if let Err(failure) = self.launch() {
            panic!("etcd did not restart: {failure}");
        }
    }

    fn launch(&mut self) -> Result<(), String> {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .map_err(|err| format!("open the etcd log: {err}"))?;
        let peer_url = format!("http://127.0.0.1:{}", self.ports.peer);
        let client_url = self.endpoint();
        let metrics_url = format!("http://127.0.0.1:{}", self.ports.metrics);
        let process = Command::new(&self.binary)
            .arg(format!("--name={MEMBER_NAME}"))
            .arg(format!("--data-dir={}", self.dir.path().join("data").display()))
            .arg(format!("--listen-client-urls={client_url}"))
            .arg(format!("--advertise-client-urls={client_url}"))
            .arg(format!("--listen-metrics-urls={metrics_url}"))
            .arg(format!("--listen-peer-urls={peer_url}"))
            .arg(format!("--initial-advertise-peer-urls={peer_url}"))
            .arg(format!("--initial-cluster={MEMBER_NAME}={peer_url}"))
            .arg("--initial-cluster-state=new")
            .arg("--logger=zap")
            .arg("--log-outputs=stderr")
            .args(&self.extra_args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|err| err.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|err| format!("spawn {}: {err}", self.binary.display()))?;
        self.process = Some(process);
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Some(status) = self.process.as_mut().and_then(|p| p.try_wait().ok().flatten()) {
                self.process = None;
                return Err(format!("etcd exited with {status}; {}", self.log_tail()));
            }
            if is_healthy(self.ports.metrics) {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.stop();
                return Err(format!(
                    "etcd not healthy after {STARTUP_TIMEOUT:?}; {}",
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("etcd.log")
    }

    fn log_tail(&self) -> String {
        let mut log = String::new();
        let _ = File::open(self.log_path()).and_then(|mut file| file.read_to_string(&mut log));
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("last lines of {}:\n{tail}", self.log_path().display())
    }
}

impl Drop for EtcdServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The etcd binary: `$ETCD_BIN`, else `/usr/bin/etcd`. Panics when it is missing.
fn etcd_binary() -> PathBuf {
    let binary = std::env::var_os("ETCD_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_ETCD_BINARY));
    if !is_file(&binary) {
        panic!(
            "etcd not found at {}: install Debian's etcd-server package (hack/install-deps.sh) \
             or point ETCD_BIN at an etcd 3.4+ binary; these tests do not skip",
            binary.display()
        );
    }
    binary
}

fn is_file(path: &Path) -> bool {
    path.metadata().map(|meta| meta.is_file()).unwrap_or(false)
}

/// Distinct ports that were free a moment ago (all bound at once, so they differ).
fn free_ports() -> Ports {
    let bind = || TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free port");
    let listeners = [bind(), bind(), bind()];
    let [client, peer, metrics] =
        listeners.map(|listener| listener.local_addr().expect("bound address").port());
    Ports { client, peer, metrics }
}

/// Whether etcd answers `GET /health` with `"health":"true"` (it has a leader and serves reads).
fn is_healthy(metrics_port: u16) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, metrics_port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.1 200") && response.contains(r#""health":"true""#)
}
