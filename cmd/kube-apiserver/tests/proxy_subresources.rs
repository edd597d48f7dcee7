//! The apiserver's proxy-style subresources, end to end over real HTTP: the `proxy`
//! subresource of pods, services and nodes and the v1.0 `/api/v1/proxy/...` paths, and the pod
//! subresources the kubelet serves (`log`, `exec`, `attach`, `portforward`), driven by raw
//! requests and by the real kubectl 1.33. The pods and the kubelet are stand-ins
//! ([`stand_ins`]): small HTTP servers, since this repository has no kubelet yet.

mod api_server;
mod stand_ins;

use api_server::{STEP, TestServer};
use hyper::Method;
use serde_json::{Value, json};
use stand_ins::StandIn;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const PODS: &str = "/api/v1/namespaces/default/pods";

/// Registers a node whose kubelet is `kubelet`; the pods `web` (one container, serving on
/// `pod`'s port, running at this host's address), `multi` (init container `setup`, containers
/// `a` and `b`), `pending` (not scheduled, no IP) and `starting` (its container `waiting` has not
/// started, so the kubelet refuses its log); and the service `web` with endpoints on `pod`.
async fn register(server: &TestServer, kubelet: &StandIn, pod: &StandIn) {
    let host = stand_ins::host_address().to_string();
    let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"},
        "status": {"addresses": [{"type": "InternalIP", "address": host}],
                   "daemonEndpoints": {"kubeletEndpoint": {"Port": kubelet.port()}}}});
    assert_eq!(server.post("/api/v1/nodes", &node).await.status, 201);

    let container = |name: &str| json!({"name": name, "image": "nginx"});
    let web = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
        "spec": {"nodeName": "node-1", "containers": [
            {"name": "app", "image": "nginx", "ports": [{"containerPort": pod.port()}]}]}});
    let multi = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "multi"},
        "spec": {"nodeName": "node-1", "initContainers": [container("setup")],
                 "containers": [container("a"), container("b")]}});
    let pending = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "pending"},
        "spec": {"containers": [container("app")]}});
    let starting = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "starting"},
        "spec": {"nodeName": "node-1", "containers": [container("waiting")]}});
    for pod in [&web, &multi, &pending, &starting] {
        let created = server.post(PODS, pod).await;
        assert_eq!(created.status, 201, "{}", created.text());
    }
    for name in ["web", "multi"] {
        let mut running = server.get(&format!("{PODS}/{name}")).await.json();
        running["status"] = json!({"phase": "Running", "podIP": host,
                                   "podIPs": [{"ip": host}]});
        let path = format!("{PODS}/{name}/status");
        let updated = server.call(Method::PUT, &path, &[], Some(&running)).await;
        assert_eq!(updated.status, 200, "{}", updated.text());
    }

    let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
        "spec": {"ports": [{"name": "http", "port": 80, "targetPort": pod.port()}]}});
    let created = server.post("/api/v1/namespaces/default/services", &service).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let endpoints = json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "web"},
        "subsets": [{"addresses": [{"ip": host}],
                     "ports": [{"name": "http", "port": pod.port()}]}]});
    let created = server.post("/api/v1/namespaces/default/endpoints", &endpoints).await;
    assert_eq!(created.status, 201, "{}", created.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pod_service_and_node_proxies_forward_requests_and_pass_answers_through() {
    let server = TestServer::start(&["--kubelet-https=false", "--request-timeout=1s"]).await;
    let kubelet = StandIn::plain().await;
    let pod = StandIn::plain().await;
    register(&server, &kubelet, &pod).await;

    // Path, query and headers reach the pod; credentials meant for the apiserver do not.
    let path = format!("{PODS}/web/proxy/hello/world?a=1&b=x%20y");
    let headers = [("x-request-id", "42"), ("authorization", "Bearer secret")];
    let reply = server.call(Method::GET, &path, &headers, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("x-stand-in"), Some("pod"));
    let echo = reply.json();
    assert_eq!(echo["method"], "GET");
    assert_eq!(echo["path"], "/hello/world");
    assert_eq!(echo["query"], "a=1&b=x%20y");
    assert_eq!(echo["headers"]["x-request-id"], "42");
    assert_eq!(echo["headers"]["host"], pod.address.to_string());
    assert!(echo["headers"].get("authorization").is_none(), "{echo}");

    // Bodies and methods, with the port named explicitly; a trailing slash is kept.
    let body = json!({"order": 66});
    let path = format!("{PODS}/web:{}/proxy/submit/", pod.port());
    let echo = server.call(Method::PUT, &path, &[], Some(&body)).await.json();
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["path"], "/submit/");
    assert_eq!(serde_json::from_str::<Value>(echo["body"].as_str().unwrap()).unwrap(), body);

    // The backend's own status code and content type pass through.
    let teapot = server.get(&format!("{PODS}/web/proxy/teapot")).await;
    assert_eq!(teapot.status, 418);
    assert_eq!(teapot.header("content-type"), Some("text/x-teapot"));
    assert_eq!(teapot.text(), "short and stout\n");

    // HEAD is the backend's own answer: its length, no body.
    let head = server.call(Method::HEAD, &format!("{PODS}/web/proxy/teapot"), &[], None).await;
    assert_eq!(head.status, 418);
    assert_eq!(head.header("content-length"), Some("16"));
    assert!(head.body.is_empty());

    // The v1.0 prefix form.
    let legacy = server.get("/api/v1/proxy/namespaces/default/pods/web/legacy?x=1").await.json();
    assert_eq!((legacy["path"].as_str(), legacy["query"].as_str()), (Some("/legacy"), Some("x=1")));

    // Services: by port name, by port number, and through the prefix form.
    for path in [
        "/api/v1/namespaces/default/services/web:http/proxy/svc",
        "/api/v1/namespaces/default/services/http:web:80/proxy/svc",
        "/api/v1/proxy/namespaces/default/services/web:http/svc",
    ] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        assert_eq!(reply.json()["path"], "/svc", "{path}");
    }

    // Nodes: the kubelet's port by default, another port on the node when one is named.
    let stats = server.get("/api/v1/nodes/node-1/proxy/stats/summary").await.json();
    assert_eq!(stats["path"], "/stats/summary");
    let legacy = server.get("/api/v1/proxy/nodes/node-1/healthz").await.json();
    assert_eq!(legacy["path"], "/healthz");
    assert!(kubelet.seen().contains(&"/stats/summary".to_string()), "{:?}", kubelet.seen());
    let other_port = format!("/api/v1/nodes/node-1:{}/proxy/metrics", pod.port());
    let seen_before = pod.seen().len();
    assert_eq!(server.get(&other_port).await.json()["path"], "/metrics");
    assert_eq!(pod.seen().len(), seen_before + 1);

    // Proxies are long-running: exempt from the 1 s request timeout.
    let slow = server.get(&format!("{PODS}/web/proxy/slow")).await;
    assert_eq!((slow.status, slow.text().as_str()), (200, "finally\n"));

    // Failures, worded as upstream words them.
    let failures = [
        (format!("{PODS}/pending/proxy/"), 400, "address not allowed".to_string()),
        (format!("{PODS}/nope/proxy/"), 404, "pods \"nope\" not found".to_string()),
        (format!("{PODS}/a:b:c:d/proxy/"), 400, "invalid pod request \"a:b:c:d\"".to_string()),
        (
            "/api/v1/namespaces/default/services/web:81/proxy/".to_string(),
            503,
            "no service port 81 found for service \"web\"".to_string(),
        ),
        (
            "/api/v1/namespaces/default/services/web:grpc/proxy/".to_string(),
            503,
            "no endpoints available for service \"web:grpc\"".to_string(),
        ),
        ("/api/v1/nodes/node-9/proxy/".to_string(), 404, "nodes \"node-9\" not found".to_string()),
    ];
    for (path, code, message) in failures {
        let reply = server.get(&path).await;
        assert_eq!(reply.status, code, "{path}: {}", reply.text());
        assert_eq!(reply.json()["message"], message, "{path}");
    }
    let closed = {
        let listener = std::net::TcpListener::bind((stand_ins::host_address(), 0)).unwrap();
        listener.local_addr().unwrap().port()
    };
    let unreachable = server.get(&format!("{PODS}/web:{closed}/proxy/")).await;
    assert_eq!(unreachable.status, 503, "{}", unreachable.text());
    let message = unreachable.json()["message"].as_str().unwrap().to_string();
    let expected = format!("error trying to reach service: dial tcp {}:{closed}", pod.address.ip());
    assert!(message.starts_with(&expected), "{message}");

    // Counted as CONNECT on the proxy subresource (the teapot's GET and HEAD).
    let metrics = server.get("/metrics").await.text();
    assert!(
        metrics.contains(
            r#"apiserver_request_total{code="418",component="apiserver",dry_run="",group="",resource="pods",scope="resource",subresource="proxy",verb="CONNECT",version="v1"} 2"#
        ),
        "{metrics}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubelets_over_tls_are_verified_only_against_a_given_ca() {
    let kubelet = StandIn::tls().await;
    let pod = StandIn::plain().await;
    let directory = tempfile::tempdir().unwrap();
    let right_ca = directory.path().join("kubelet-ca.pem");
    std::fs::write(&right_ca, kubelet.ca_pem.as_deref().unwrap()).unwrap();
    let wrong_ca = directory.path().join("other-ca.pem");
    std::fs::write(&wrong_ca, StandIn::tls().await.ca_pem.clone().unwrap()).unwrap();

    // Default: HTTPS, the kubelet's certificate is not verified (the v1.0 behaviour).
    let unverified = TestServer::start(&[]).await;
    register(&unverified, &kubelet, &pod).await;
    let reply = unverified.get("/api/v1/nodes/node-1/proxy/spec/").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["path"], "/spec/");
    let logs = unverified.get(&format!("{PODS}/web/log?tailLines=1")).await;
    assert_eq!((logs.status, logs.text().as_str()), (200, "app line 5\n"));
    unverified.stop().await;

    let flag = format!("--kubelet-certificate-authority={}", right_ca.display());
    let verified = TestServer::start(&[&flag]).await;
    register(&verified, &kubelet, &pod).await;
    let reply = verified.get("/api/v1/nodes/node-1/proxy/spec/").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    verified.stop().await;

    let flag = format!("--kubelet-certificate-authority={}", wrong_ca.display());
    let mistrusting = TestServer::start(&[&flag]).await;
    register(&mistrusting, &kubelet, &pod).await;
    let reply = mistrusting.get("/api/v1/nodes/node-1/proxy/spec/").await;
    assert_eq!(reply.status, 503, "{}", reply.text());
    let message = reply.json()["message"].as_str().unwrap().to_string();
    assert!(message.contains("TLS handshake") && message.contains("certificate"), "{message}");
    mistrusting.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_requests_choose_a_container_and_reach_the_kubelet() {
    let server = TestServer::start(&["--kubelet-https=false"]).await;
    let kubelet = StandIn::plain().await;
    let pod = StandIn::plain().await;
    register(&server, &kubelet, &pod).await;

    let log = server.get(&format!("{PODS}/web/log?tailLines=2&timestamps=true")).await;
    assert_eq!(log.status, 200, "{}", log.text());
    assert_eq!(log.header("content-type"), Some("text/plain"));
    assert_eq!(log.text(), "app line 4\napp line 5\n");
    assert!(
        kubelet
            .seen()
            .contains(&"/containerLogs/default/web/app?tailLines=2&timestamps=true".into()),
        "{:?}",
        kubelet.seen()
    );

    let ambiguous = server.get(&format!("{PODS}/multi/log")).await;
    assert_eq!(ambiguous.status, 400);
    assert_eq!(
        ambiguous.json()["message"],
        "a container name must be specified for pod multi, choose one of: [setup a b]"
    );
    let chosen = server.get(&format!("{PODS}/multi/log?container=b&tailLines=1")).await;
    assert_eq!(chosen.text(), "b line 5\n");
    let unknown = server.get(&format!("{PODS}/web/log?container=db")).await;
    assert_eq!(
        (unknown.status, unknown.json()["message"].clone()),
        (400, json!("container db is not valid for pod web"))
    );

    // The default-container annotation settles the choice.
    let mut annotated = server.get(&format!("{PODS}/multi")).await.json();
    annotated["metadata"]["annotations"] = json!({"kubectl.kubernetes.io/default-container": "a"});
    let updated = server.call(Method::PUT, &format!("{PODS}/multi"), &[], Some(&annotated)).await;
    assert_eq!(updated.status, 200, "{}", updated.text());
    assert_eq!(server.get(&format!("{PODS}/multi/log?tailLines=1")).await.text(), "a line 5\n");

    // Not scheduled yet: an empty log, as upstream. Bad options: 422 and 400.
    let pending = server.get(&format!("{PODS}/pending/log")).await;
    assert_eq!((pending.status, pending.body.len()), (200, 0));
    let invalid = server.get(&format!("{PODS}/web/log?tailLines=-3")).await;
    assert_eq!(invalid.status, 422);
    assert_eq!(
        invalid.json()["message"],
        "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -3: must be greater than or equal to 0"
    );
    assert_eq!(server.get(&format!("{PODS}/web/log?sinceSeconds=soon")).await.status, 400);

    // A kubelet that cannot be reached: upstream's plain 500 quoting the transport.
    let closed = std::net::TcpListener::bind((stand_ins::host_address(), 0)).unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let address = kubelet.address.ip().to_string();
    let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-2"},
        "status": {"addresses": [{"type": "InternalIP", "address": address}],
                   "daemonEndpoints": {"kubeletEndpoint": {"Port": closed_port}}}});
    assert_eq!(server.post("/api/v1/nodes", &node).await.status, 201);
    let orphan = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "orphan"},
        "spec": {"nodeName": "node-2", "containers": [{"name": "app", "image": "nginx"}]}});
    assert_eq!(server.post(PODS, &orphan).await.status, 201);
    let unreachable = server.get(&format!("{PODS}/orphan/log")).await;
    assert_eq!(unreachable.status, 500, "{}", unreachable.text());
    let status = unreachable.json();
    assert_eq!(status["reason"], Value::Null, "{status}");
    let expected = format!(
        "Get \"http://{0}:{closed_port}/containerLogs/default/orphan/app\": dial tcp {0}:{closed_port}:",
        kubelet.address.ip()
    );
    assert!(status["message"].as_str().unwrap().starts_with(&expected), "{status}");

    // The kubelet's refusal comes back as upstream words it.
    let refused = server.get(&format!("{PODS}/starting/log")).await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.json()["message"],
        "container \"waiting\" in pod \"starting\" is waiting to start: ContainerCreating"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubelet_client_certificates_are_presented_when_given() {
    let kubelet = StandIn::tls_with_client_certificates().await;
    let pod = StandIn::plain().await;
    let directory = tempfile::tempdir().unwrap();
    let (certificate, key) = kubelet.client_pair.clone().unwrap();
    let files = [
        ("ca.pem", kubelet.ca_pem.clone().unwrap()),
        ("client.pem", certificate),
        ("client.key", key),
    ];
    for (name, contents) in &files {
        std::fs::write(directory.path().join(name), contents).unwrap();
    }
    let path = |name: &str| directory.path().join(name).display().to_string();
    let ca = format!("--kubelet-certificate-authority={}", path("ca.pem"));

    let anonymous = TestServer::start(&[&ca]).await;
    register(&anonymous, &kubelet, &pod).await;
    let refused = anonymous.get("/api/v1/nodes/node-1/proxy/pods").await;
    assert_eq!(refused.status, 503, "{}", refused.text());
    anonymous.stop().await;

    let certificate = format!("--kubelet-client-certificate={}", path("client.pem"));
    let key = format!("--kubelet-client-key={}", path("client.key"));
    let identified = TestServer::start(&[&ca, &certificate, &key]).await;
    register(&identified, &kubelet, &pod).await;
    let answered = identified.get("/api/v1/nodes/node-1/proxy/pods").await;
    assert_eq!(answered.status, 200, "{}", answered.text());
    assert_eq!(answered.json()["path"], "/pods");
    identified.stop().await;
}

/// The installed kubectl of `version`.
fn kubectl_binary(version: &str) -> PathBuf {
    let on_path = Command::new("sh")
        .args(["-c", "readlink -f \"$(command -v kubectl)\""])
        .output()
        .expect("sh runs");
    let on_path = PathBuf::from(String::from_utf8(on_path.stdout).unwrap().trim());
    let binary = on_path.parent().expect("kubectl is on PATH").join(format!("kubectl.{version}"));
    assert!(binary.exists(), "{} is missing", binary.display());
    binary
}

/// kubectl 1.33 against the server at `url`, with an empty configuration and a private cache.
fn kubectl(url: &str, home: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new(kubectl_binary("1.33"));
    command
        .env("KUBECONFIG", home.join("no-kubeconfig"))
        .env("HOME", home)
        .arg(format!("--server={url}"))
        .arg(format!("--cache-dir={}", home.join("cache").display()))
        .args(args)
        .stdin(Stdio::null());
    command
}

async fn kubectl_output(url: &str, home: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut command = kubectl(url, home, args);
    tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_logs_tails_and_follows() {
    let server = TestServer::start(&["--kubelet-https=false"]).await;
    let kubelet = StandIn::plain().await;
    let pod = StandIn::plain().await;
    register(&server, &kubelet, &pod).await;
    let home = tempfile::tempdir().unwrap();
    let home = home.path();

    let all = kubectl_output(&server.url(), home, &["logs", "web"]).await;
    assert!(all.status.success(), "{}", String::from_utf8_lossy(&all.stderr));
    let text = String::from_utf8_lossy(&all.stdout);
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        ["app line 1", "app line 2", "app line 3", "app line 4", "app line 5"]
    );

    let tail = kubectl_output(&server.url(), home, &["logs", "web", "--tail=2"]).await;
    assert_eq!(String::from_utf8_lossy(&tail.stdout), "app line 4\napp line 5\n");
    let chosen =
        kubectl_output(&server.url(), home, &["logs", "multi", "-c", "setup", "--tail=1"]).await;
    assert_eq!(String::from_utf8_lossy(&chosen.stdout), "setup line 5\n");

    // The kubelet's refusal reaches kubectl as upstream words it.
    let waiting = kubectl_output(&server.url(), home, &["logs", "starting"]).await;
    assert_eq!(waiting.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&waiting.stderr);
    assert!(
        stderr.contains(
            "Error from server (BadRequest): container \"waiting\" in pod \"starting\" is \
             waiting to start: ContainerCreating"
        ),
        "{stderr}"
    );

    // `logs -f`: each line appears as the kubelet writes it, long before the stream ends.
    let lines = kubelet.log_lines();
    let mut follow =
        tokio::process::Command::from(kubectl(&server.url(), home, &["logs", "-f", "web"]))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
    let mut stdout = BufReader::new(follow.stdout.take().unwrap()).lines();
    for n in 1..=3 {
        lines.send(format!("live line {n}\n").into()).unwrap();
        let line = tokio::time::timeout(STEP, stdout.next_line()).await.expect("a line in time");
        assert_eq!(line.unwrap().as_deref(), Some(format!("live line {n}").as_str()));
    }
    drop(lines);
    let status = tokio::time::timeout(STEP, follow.wait()).await.expect("kubectl ends").unwrap();
    assert!(status.success());
    assert!(
        kubelet.seen().iter().any(|uri| uri == "/containerLogs/default/web/app?follow=true"),
        "{:?}",
        kubelet.seen()
    );
    server.stop().await;
}

/// Sends a raw HTTP/1.1 request head and reads the response head.
async fn raw_exchange(stream: &mut TcpStream, head: &str) -> String {
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let mut byte = [0u8; 1];
    while !received.ends_with(b"\r\n\r\n") {
        let read = tokio::time::timeout(STEP, stream.read(&mut byte)).await.unwrap().unwrap();
        assert_eq!(read, 1, "the connection closed early: {}", String::from_utf8_lossy(&received));
        received.push(byte[0]);
    }
    String::from_utf8(received).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_attach_and_port_forward_upgrades_are_spliced_to_the_kubelet() {
    let server = TestServer::start(&["--kubelet-https=false", "--request-timeout=1s"]).await;
    let kubelet = StandIn::plain().await;
    let pod = StandIn::plain().await;
    register(&server, &kubelet, &pod).await;

    for (method, path, protocol, kubelet_uri) in [
        (
            "POST",
            "web/exec?command=sh&command=-c&command=echo%20hi&stdin=true&stdout=true&tty=false",
            "SPDY/3.1",
            "/exec/default/web/app?command=sh&command=-c&command=echo+hi&stdin=1&stdout=1",
        ),
        (
            "GET",
            "multi/attach?container=b&stdout=true",
            "websocket",
            "/attach/default/multi/b?stdout=1",
        ),
        ("GET", "web/portforward?ports=8080", "SPDY/3.1", "/portForward/default/web?port=8080"),
    ] {
        let mut stream = TcpStream::connect(server.address).await.unwrap();
        let head = format!(
            "{method} {PODS}/{path} HTTP/1.1\r\nHost: apiserver\r\nConnection: Upgrade\r\n\
             Upgrade: {protocol}\r\nX-Stream-Protocol-Version: v4.channel.k8s.io, v3.channel.k8s.io\r\n\r\n"
        );
        let answer = raw_exchange(&mut stream, &head).await;
        let lower = answer.to_ascii_lowercase();
        assert!(answer.starts_with("HTTP/1.1 101"), "{answer}");
        assert!(lower.contains(&format!("upgrade: {}", protocol.to_ascii_lowercase())), "{answer}");
        assert!(lower.contains("x-stream-protocol-version: v4.channel.k8s.io"), "{answer}");

        // Bytes go through both ways, in several rounds, past the 1 s request timeout.
        for round in 0..3 {
            let message = format!("round {round} of {path}");
            stream.write_all(message.as_bytes()).await.unwrap();
            let mut echoed = vec![0u8; message.len()];
            tokio::time::timeout(STEP, stream.read_exact(&mut echoed)).await.unwrap().unwrap();
            assert_eq!(String::from_utf8(echoed).unwrap(), message);
            if round == 1 {
                tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
            }
        }
        assert!(
            kubelet.seen().iter().any(|uri| uri == kubelet_uri),
            "{kubelet_uri}: {:?}",
            kubelet.seen()
        );
    }

    // Without an upgrade, or for a pod with no node, upstream's 400s.
    let plain = server
        .call(Method::POST, &format!("{PODS}/web/exec?command=ls&stdout=true"), &[], None)
        .await;
    assert_eq!(
        (plain.status, plain.json()["message"].clone()),
        (400, json!("Upgrade request required"))
    );
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    let head = format!(
        "POST {PODS}/pending/exec?command=ls&stdout=true HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n\
         Upgrade: SPDY/3.1\r\nContent-Length: 0\r\n\r\n"
    );
    let answer = raw_exchange(&mut stream, &head).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let ambiguous =
        server.call(Method::POST, &format!("{PODS}/multi/exec?command=ls"), &[], None).await;
    assert_eq!(ambiguous.status, 400);
    assert_eq!(
        ambiguous.json()["message"],
        "a container name must be specified for pod multi, choose one of: [setup a b]"
    );
    let wrong_method =
        server.call(Method::PUT, &format!("{PODS}/web/log"), &[], Some(&json!({}))).await;
    assert_eq!(wrong_method.status, 405);

    let metrics = server.get("/metrics").await.text();
    assert!(
        metrics.contains(r#"code="101",component="apiserver",dry_run="",group="",resource="pods",scope="resource",subresource="exec",verb="CONNECT",version="v1"} 1"#),
        "{metrics}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_exec_runs_over_a_websocket_through_the_apiserver() {
    let server = TestServer::start(&["--kubelet-https=false"]).await;
    let kubelet = StandIn::plain().await;
    let pod = StandIn::plain().await;
    register(&server, &kubelet, &pod).await;
    let home = tempfile::tempdir().unwrap();

    let args = ["exec", "web", "--", "echo", "hello", "from the stand-in"];
    let run = kubectl_output(&server.url(), home.path(), &args).await;
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&run.stdout), "hello from the stand-in\n");
    let exec = kubelet.seen().into_iter().find(|uri| uri.starts_with("/exec/")).unwrap();
    assert_eq!(
        exec,
        "/exec/default/web/app?command=echo&command=hello&command=from+the+stand-in&stderr=1&stdout=1"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_over_https_and_http2_reaches_pods_through_the_proxy() {
    let server = TestServer::start_secure(&["--kubelet-https=false"]).await;
    let kubelet = StandIn::plain().await;
    let pod = StandIn::plain().await;
    register(&server, &kubelet, &pod).await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("https://localhost:{}", server.secure_address.unwrap().port());
    let ca = server.directory.path().join("certs/apiserver.crt");
    let ca = format!("--certificate-authority={}", ca.display());
    let secure = |args: &[&str]| {
        let mut all = vec![ca.as_str(), "--token=proxy-test"];
        all.extend_from_slice(args);
        all.iter().map(|arg| arg.to_string()).collect::<Vec<_>>()
    };

    let args = secure(&["get", "--raw", "/api/v1/namespaces/default/pods/web/proxy/over/h2?q=1"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let raw = kubectl_output(&url, home.path(), &args).await;
    assert!(raw.status.success(), "{}", String::from_utf8_lossy(&raw.stderr));
    let echo: Value = serde_json::from_slice(&raw.stdout).unwrap();
    assert_eq!((echo["path"].as_str(), echo["query"].as_str()), (Some("/over/h2"), Some("q=1")));
    assert!(echo["headers"].get("authorization").is_none(), "{echo}");

    let args = secure(&["logs", "web", "--tail=1"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let logs = kubectl_output(&url, home.path(), &args).await;
    assert_eq!(String::from_utf8_lossy(&logs.stdout), "app line 5\n");
    server.stop().await;
}
