//! Runs the health server on a real loopback socket and talks HTTP/1.1 to it byte by byte.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use component_base::{HealthServer, ServeLimits, ShutdownToken, VersionInfo};
use prometheus::{IntCounter, Registry};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Upper bound on any single step, so a regression fails instead of hanging.
const STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// One parsed HTTP/1.1 response.
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    /// The value of header `name` (case-insensitive), if present.
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// Sends `head` (and `body`) on a fresh connection and reads the reply until the server closes.
async fn exchange(addr: SocketAddr, head: &str, body: &str) -> Reply {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(b"\r\n").await.unwrap();
        stream.write_all(body.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        String::from_utf8(raw).unwrap()
    };
    let raw = tokio::time::timeout(STEP_TIMEOUT, exchange).await.expect("server answered in time");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a complete response");
    let status = head.split(' ').nth(1).and_then(|code| code.parse().ok()).expect("a status line");
    Reply { status, head: head.to_owned(), body: body.to_owned() }
}

/// A GET that asks the server to close the connection after answering.
async fn get(addr: SocketAddr, path: &str) -> Reply {
    let head = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    exchange(addr, &head, "").await
}

/// A server with a component counter and a switchable "etcd" check, running until `token`.
async fn start(
    etcd_healthy: &Arc<AtomicBool>,
    token: &ShutdownToken,
) -> (SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>) {
    let registry = Registry::new();
    let requests = IntCounter::new("test_component_requests_total", "Requests handled.").unwrap();
    registry.register(Box::new(requests.clone())).unwrap();
    requests.inc_by(3);

    let etcd = Arc::clone(etcd_healthy);
    let server = HealthServer::new(registry)
        .with_check("etcd", Arc::new(move || etcd.load(Ordering::SeqCst)))
        .with_limits(ServeLimits {
            shutdown_grace: Duration::from_secs(2),
            ..ServeLimits::default()
        });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(server.serve_on(listener, token.wait()));
    (addr, task)
}

#[tokio::test]
async fn serves_probes_metrics_and_version_until_shutdown() {
    let etcd_healthy = Arc::new(AtomicBool::new(true));
    let token = ShutdownToken::new();
    let (addr, server) = start(&etcd_healthy, &token).await;

    let healthy = get(addr, "/healthz").await;
    assert_eq!(healthy.status, 200);
    assert_eq!(healthy.body, "ok");
    assert_eq!(healthy.header("content-type"), Some("text/plain; charset=utf-8"));

    let verbose = get(addr, "/readyz?verbose").await;
    assert_eq!(verbose.status, 200);
    assert_eq!(verbose.body, "[+]etcd ok\nreadyz check passed\n");

    etcd_healthy.store(false, Ordering::SeqCst);
    for probe in ["healthz", "livez", "readyz"] {
        let failing = get(addr, &format!("/{probe}")).await;
        assert_eq!(failing.status, 500, "{probe}");
        assert_eq!(
            failing.body,
            format!("[-]etcd failed: reason withheld\n{probe} check failed\n")
        );
    }
    let single = get(addr, "/healthz/etcd").await;
    assert_eq!(single.status, 500);
    let excluded = get(addr, "/livez?exclude=etcd").await;
    assert_eq!((excluded.status, excluded.body.as_str()), (200, "ok"));

    let metrics = get(addr, "/metrics").await;
    assert_eq!(metrics.status, 200);
    assert!(metrics.header("content-type").unwrap().starts_with("text/plain"));
    assert!(metrics.body.contains("test_component_requests_total 3\n"), "{}", metrics.body);
    assert!(metrics.body.contains("kubernetes_build_info{"), "{}", metrics.body);
    assert!(
        metrics.body.contains(r#"kubernetes_healthcheck{name="etcd",type="livez"} 0"#),
        "{}",
        metrics.body
    );

    let version = get(addr, "/version").await;
    assert_eq!(version.status, 200);
    assert_eq!(version.header("content-type"), Some("application/json"));
    let served: VersionInfo = serde_json::from_str(&version.body).unwrap();
    assert_eq!(served, VersionInfo::current());
    let keys: Vec<String> =
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&version.body)
            .unwrap()
            .keys()
            .cloned()
            .collect();
    assert_eq!(keys.len(), 9, "{keys:?}");
    assert!(keys.contains(&"gitVersion".to_owned()), "{keys:?}");

    let missing = get(addr, "/no/such/path").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, "404 page not found\n");

    let with_body = exchange(
        addr,
        "POST /healthz HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nConnection: close\r\n",
        "hello",
    )
    .await;
    assert_eq!(with_body.status, 413);

    token.trigger();
    tokio::time::timeout(STEP_TIMEOUT, server)
        .await
        .expect("server stops after the token fires")
        .unwrap()
        .unwrap();
    assert!(TcpStream::connect(addr).await.is_err(), "listener is closed");
}

#[tokio::test]
async fn shutdown_closes_idle_keep_alive_connections() {
    let token = ShutdownToken::new();
    let (addr, server) = start(&Arc::new(AtomicBool::new(true)), &token).await;

    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /livez HTTP/1.1\r\nHost: test\r\n\r\n").await.unwrap();
    let mut first = [0u8; 12];
    stream.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");

    token.trigger();
    tokio::time::timeout(STEP_TIMEOUT, server)
        .await
        .expect("an idle keep-alive connection does not hold up shutdown")
        .unwrap()
        .unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(STEP_TIMEOUT, stream.read_to_end(&mut rest))
        .await
        .expect("the server closed the connection");
    assert!(read.is_ok());
}
