//! The subresources that act on other objects, through a real server on loopback: `binding`
//! (and the legacy `bindings` collection), `eviction`, `namespaces/finalize` and
//! `namespaces/status`, and `componentstatuses` probing real HTTP endpoints and a real etcd,
//! including the real kubectl 1.33 where it reaches them.

mod api_server;
mod real_server;

use real_server::etcd;

use api_server::{Reply, TestServer};
use hyper::Method;
use kube_apiserver::registry::{Component, ComponentStatuses, HealthCheck};
use real_server::RealServer;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PODS: &str = "/api/v1/namespaces/default/pods";

fn pod(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
           "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}],
                    "terminationGracePeriodSeconds": 30}})
}

fn binding(name: &str, node: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Binding",
           "metadata": {"name": name, "annotations": {"scheduler.example.com/by": "test"}},
           "target": {"apiVersion": "v1", "kind": "Node", "name": node}})
}

fn eviction(api_version: &str, name: &str, delete_options: Value) -> Value {
    json!({"apiVersion": api_version, "kind": "Eviction",
           "metadata": {"name": name, "namespace": "default"}, "deleteOptions": delete_options})
}

/// Upstream's answer to a successful binding or eviction.
fn created() -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201})
}

async fn create_pod(server: &TestServer, body: Value) -> Value {
    let reply = server.post(PODS, &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()
}

async fn put(server: &TestServer, path: &str, body: &Value) -> Reply {
    server.call(Method::PUT, path, &[], Some(body)).await
}

async fn delete(server: &TestServer, path: &str) -> Reply {
    server.call(Method::DELETE, path, &[], None).await
}

fn expect(reply: &Reply, code: u16, reason: &str, message: &str) {
    assert_eq!(reply.status, code, "{}", reply.text());
    let status = reply.json();
    assert_eq!(status["reason"], reason, "{status}");
    assert_eq!(status["message"], message, "{status}");
}

#[tokio::test]
async fn binding_assigns_a_pod_once() {
    let server = TestServer::start(&[]).await;
    let before = create_pod(&server, pod("web")).await;

    let bound = server.post(&format!("{PODS}/web/binding"), &binding("web", "node-1")).await;
    assert_eq!(bound.status, 201, "{}", bound.text());
    assert_eq!(bound.json(), created());
    let web = server.get(&format!("{PODS}/web")).await.json();
    assert_eq!(web["spec"]["nodeName"], "node-1");
    assert_eq!(web["metadata"]["annotations"]["scheduler.example.com/by"], "test");
    assert_eq!(web["metadata"]["generation"], before["metadata"]["generation"]);
    let conditions = web["status"]["conditions"].as_array().unwrap();
    let scheduled: Vec<_> = conditions.iter().filter(|c| c["type"] == "PodScheduled").collect();
    assert_eq!(scheduled.len(), 1, "{conditions:?}");
    assert_eq!(scheduled[0]["status"], "True");
    assert!(scheduled[0]["lastTransitionTime"].is_string(), "{conditions:?}");

    // A bound pod stays bound: the second binding is a conflict and changes nothing.
    let again = server.post(&format!("{PODS}/web/binding"), &binding("web", "node-2")).await;
    expect(
        &again,
        409,
        "Conflict",
        "Operation cannot be fulfilled on pods/binding \"web\": pod web is already assigned to node \"node-1\"",
    );
    let after = server.get(&format!("{PODS}/web")).await.json();
    assert_eq!(after["spec"]["nodeName"], "node-1");
    assert_eq!(after["metadata"]["resourceVersion"], web["metadata"]["resourceVersion"]);

    // The legacy collection names the pod in the body.
    create_pod(&server, pod("legacy")).await;
    let legacy =
        server.post("/api/v1/namespaces/default/bindings", &binding("legacy", "node-2")).await;
    assert_eq!(legacy.status, 201, "{}", legacy.text());
    let legacy = server.get(&format!("{PODS}/legacy")).await.json();
    assert_eq!(legacy["spec"]["nodeName"], "node-2");
    // It is create-only, as upstream serves it.
    assert_eq!(server.get("/api/v1/namespaces/default/bindings").await.status, 405);
    server.stop().await;
}

#[tokio::test]
async fn bad_bindings_change_nothing() {
    let server = TestServer::start(&[]).await;
    let web = create_pod(&server, pod("web")).await;
    let path = format!("{PODS}/web/binding");

    let unnamed = json!({"metadata": {"name": "web"}, "target": {"kind": "Node"}});
    let refused = server.post(&path, &unnamed).await;
    expect(&refused, 422, "Invalid", "Binding \"web\" is invalid: target.name: Required value");
    assert_eq!(refused.json()["details"]["causes"][0]["field"], "target.name");
    let to_pod = json!({"metadata": {"name": "web"}, "target": {"kind": "Pod", "name": "x"}});
    let refused = server.post(&path, &to_pod).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(refused.json()["details"]["causes"][0]["field"], "target.kind");

    let other = server.post(&path, &binding("db", "node-1")).await;
    expect(&other, 400, "BadRequest", "name in URL does not match name in Binding object");
    let missing = server.post(&format!("{PODS}/ghost/binding"), &binding("ghost", "node-1")).await;
    expect(&missing, 404, "NotFound", "pods \"ghost\" not found");

    // The scheduler's view of the pod must still be current.
    let mut stale = binding("web", "node-1");
    stale["metadata"]["resourceVersion"] = json!("12345");
    let refused = server.post(&path, &stale).await;
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(refused.json()["message"].as_str().unwrap().contains("Precondition failed"));

    let dry = server.post(&format!("{path}?dryRun=All"), &binding("web", "node-1")).await;
    assert_eq!(dry.status, 201, "{}", dry.text());
    let unchanged = server.get(&format!("{PODS}/web")).await.json();
    assert_eq!(unchanged["spec"].get("nodeName"), None);
    assert_eq!(unchanged["metadata"]["resourceVersion"], web["metadata"]["resourceVersion"]);

    // A pod on its way out cannot be placed.
    let mut held = pod("held");
    held["metadata"]["finalizers"] = json!(["example.com/hold"]);
    create_pod(&server, held).await;
    assert_eq!(delete(&server, &format!("{PODS}/held")).await.status, 200);
    let refused = server.post(&format!("{PODS}/held/binding"), &binding("held", "node-1")).await;
    expect(
        &refused,
        409,
        "Conflict",
        "Operation cannot be fulfilled on pods/binding \"held\": pod held is being deleted, cannot be assigned to a host",
    );
    server.stop().await;
}

/// Makes `name` a pod running on `node`, as the scheduler and the kubelet would.
async fn run_on_node(server: &TestServer, name: &str, node: &str, phase: &str) {
    create_pod(server, pod(name)).await;
    let bound = server.post(&format!("{PODS}/{name}/binding"), &binding(name, node)).await;
    assert_eq!(bound.status, 201, "{}", bound.text());
    let mut running = server.get(&format!("{PODS}/{name}")).await.json();
    running["status"]["phase"] = json!(phase);
    let reply = put(server, &format!("{PODS}/{name}/status"), &running).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[tokio::test]
async fn eviction_deletes_the_pod_with_its_options() {
    let server = TestServer::start(&[]).await;

    // A pending pod never ran: it goes at once.
    create_pod(&server, pod("pending")).await;
    let evicted = server
        .post(&format!("{PODS}/pending/eviction"), &eviction("policy/v1", "pending", json!(null)))
        .await;
    assert_eq!(evicted.status, 201, "{}", evicted.text());
    assert_eq!(evicted.json(), created());
    assert_eq!(server.get(&format!("{PODS}/pending")).await.status, 404);

    // A running pod is deleted gracefully, with the eviction's grace period.
    run_on_node(&server, "running", "node-1", "Running").await;
    let options = json!({"gracePeriodSeconds": 10});
    let evicted = server
        .post(&format!("{PODS}/running/eviction"), &eviction("policy/v1", "running", options))
        .await;
    assert_eq!(evicted.status, 201, "{}", evicted.text());
    let going = server.get(&format!("{PODS}/running")).await.json();
    assert_eq!(going["metadata"]["deletionGracePeriodSeconds"], 10);
    assert!(going["metadata"]["deletionTimestamp"].is_string(), "{going}");
    // Evicting it again (kubectl drain retries) is still a success; the v1beta1 form is read too.
    let again = server
        .post(
            &format!("{PODS}/running/eviction"),
            &eviction("policy/v1beta1", "running", json!({})),
        )
        .await;
    assert_eq!(again.status, 201, "{}", again.text());

    // A finished pod has nothing left to stop: deleted at once despite its node.
    run_on_node(&server, "done", "node-1", "Succeeded").await;
    let evicted = server
        .post(&format!("{PODS}/done/eviction"), &eviction("policy/v1", "done", json!({})))
        .await;
    assert_eq!(evicted.status, 201, "{}", evicted.text());
    assert_eq!(server.get(&format!("{PODS}/done")).await.status, 404);
    server.stop().await;
}

#[tokio::test]
async fn refused_evictions_keep_the_pod() {
    let server = TestServer::start(&[]).await;
    run_on_node(&server, "web", "node-1", "Running").await;
    let path = format!("{PODS}/web/eviction");

    let missing = server
        .post(&format!("{PODS}/ghost/eviction"), &eviction("policy/v1", "ghost", json!({})))
        .await;
    expect(&missing, 404, "NotFound", "pods \"ghost\" not found");
    let other = server.post(&path, &eviction("policy/v1", "db", json!({}))).await;
    expect(&other, 400, "BadRequest", "name in URL does not match name in Eviction object");
    let wrong_uid = json!({"preconditions": {"uid": "not-the-pods"}});
    let refused = server.post(&path, &eviction("policy/v1", "web", wrong_uid)).await;
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert_eq!(refused.json()["reason"], "Conflict");
    let dry_path = format!("{path}?dryRun=All");
    let dry = server.post(&dry_path, &eviction("policy/v1", "web", json!({}))).await;
    assert_eq!(dry.status, 201, "{}", dry.text());

    let web = server.get(&format!("{PODS}/web")).await.json();
    assert_eq!(web["metadata"].get("deletionTimestamp"), None, "{web}");
    server.stop().await;
}

#[tokio::test]
async fn finalize_ends_a_namespace_deletion() {
    let server = TestServer::start(&[]).await;
    let namespace = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}});
    assert_eq!(server.post("/api/v1/namespaces", &namespace).await.status, 201);

    // The status subresource changes the status and nothing else.
    let mut object = server.get("/api/v1/namespaces/team").await.json();
    object["metadata"]["labels"] = json!({"ignored": "yes"});
    object["status"]["conditions"] = json!([{"type": "NamespaceDeletionDiscoveryFailure",
                                             "status": "False", "reason": "ResourcesDiscovered",
                                             "message": "All resources successfully discovered"}]);
    let written = put(&server, "/api/v1/namespaces/team/status", &object).await;
    assert_eq!(written.status, 200, "{}", written.text());
    let written = written.json();
    assert_eq!(written["status"]["conditions"][0]["reason"], "ResourcesDiscovered");
    assert_eq!(written["metadata"]["labels"].get("ignored"), None, "{written}");
    let read = server.get("/api/v1/namespaces/team/status").await;
    assert_eq!(read.json()["status"]["phase"], "Active");

    // A delete only starts the deletion while the `kubernetes` finalizer holds it.
    let deleted = delete(&server, "/api/v1/namespaces/team").await;
    assert_eq!(deleted.status, 200, "{}", deleted.text());
    let terminating = server.get("/api/v1/namespaces/team").await.json();
    assert_eq!(terminating["status"]["phase"], "Terminating");
    assert!(terminating["metadata"]["deletionTimestamp"].is_string());
    assert_eq!(terminating["spec"]["finalizers"], json!(["kubernetes"]));
    // An ordinary update cannot drop the finalizer; a GET of `finalize` is not served.
    let mut stripped = terminating.clone();
    stripped["spec"]["finalizers"] = json!([]);
    let kept = put(&server, "/api/v1/namespaces/team", &stripped).await;
    assert_eq!(kept.json()["spec"]["finalizers"], json!(["kubernetes"]));
    assert_eq!(server.get("/api/v1/namespaces/team/finalize").await.status, 405);

    // The namespace controller's finalize removes it, and with it the namespace.
    let mut finalized = server.get("/api/v1/namespaces/team").await.json();
    finalized["spec"]["finalizers"] = json!([]);
    let reply = put(&server, "/api/v1/namespaces/team/finalize", &finalized).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(server.get("/api/v1/namespaces/team").await.status, 404);
    server.stop().await;
}

#[tokio::test]
async fn finalize_changes_only_the_finalizers() {
    let server = TestServer::start(&[]).await;
    let namespace = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "keep"}});
    assert_eq!(server.post("/api/v1/namespaces", &namespace).await.status, 201);
    let mut object = server.get("/api/v1/namespaces/keep").await.json();
    object["spec"]["finalizers"] = json!(["example.com/cleanup"]);
    object["status"]["phase"] = json!("Terminating");
    let reply = put(&server, "/api/v1/namespaces/keep/finalize", &object).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let stored = server.get("/api/v1/namespaces/keep").await.json();
    assert_eq!(stored["spec"]["finalizers"], json!(["example.com/cleanup"]));
    assert_eq!(stored["status"]["phase"], "Active");

    // Without finalizers a delete has nothing to wait for.
    let mut emptied = stored.clone();
    emptied["spec"]["finalizers"] = json!([]);
    assert_eq!(put(&server, "/api/v1/namespaces/keep/finalize", &emptied).await.status, 200);
    assert_eq!(delete(&server, "/api/v1/namespaces/keep").await.status, 200);
    assert_eq!(server.get("/api/v1/namespaces/keep").await.status, 404);
    server.stop().await;
}

/// A small HTTP server playing a control-plane component's health endpoint: every request is
/// answered with `status` and `body`. Returns its URL.
async fn health_endpoint(status: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                let answer = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    format!("http://{address}/healthz")
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The versioned kubectl binary installed next to the one on PATH.
fn kubectl(version: &str) -> PathBuf {
    let on_path = Command::new("sh")
        .args(["-c", "readlink -f \"$(command -v kubectl)\""])
        .output()
        .expect("sh runs");
    let on_path = PathBuf::from(String::from_utf8(on_path.stdout).unwrap().trim());
    let binary = on_path.parent().unwrap().join(format!("kubectl.{version}"));
    assert!(binary.exists(), "{} is missing: install kubectl {version}", binary.display());
    binary
}

/// Runs kubectl 1.33 against `server` off the test's runtime thread, so the in-process server
/// keeps serving; returns its exit code, stdout and stderr.
async fn run_kubectl(server: &TestServer, args: &[&str]) -> (Option<i32>, String, String) {
    let home = tempfile::tempdir().unwrap();
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    let url = server.url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(kubectl("1.33"))
            .env("HOME", home.path())
            .env("KUBECONFIG", home.path().join("none"))
            .arg(format!("--server={url}"))
            .arg(format!("--cache-dir={}", home.path().join("cache").display()))
            .arg("--request-timeout=30s")
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .expect("kubectl runs")
    })
    .await
    .unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

#[tokio::test]
async fn component_statuses_probe_every_component() {
    let scheduler = health_endpoint("200 OK", "ok").await;
    let controller_manager = health_endpoint("500 Internal Server Error", "broken").await;
    let etcd = etcd::EtcdServer::start();
    let dead_etcd = format!("http://127.0.0.1:{}/health", closed_port());
    let live_etcd = format!("{}/health", etcd.endpoint());
    let components = vec![
        Component { name: "scheduler".into(), check: HealthCheck::Http { url: scheduler } },
        Component {
            name: "controller-manager".into(),
            check: HealthCheck::Http { url: controller_manager },
        },
        Component { name: "etcd-0".into(), check: HealthCheck::Etcd { url: live_etcd, tls: None } },
        Component {
            name: "etcd-1".into(),
            check: HealthCheck::Etcd { url: dead_etcd.clone(), tls: None },
        },
    ];
    let server = TestServer::start_extended(&[], |table, storage| {
        let mut components = components;
        components.push(Component { name: "storage".into(), check: HealthCheck::Storage(storage) });
        table.insert(Arc::new(ComponentStatuses::new(components)));
    })
    .await;

    let list = server.get("/api/v1/componentstatuses").await;
    assert_eq!(list.status, 200, "{}", list.text());
    assert_eq!(
        list.header("warning"),
        Some("299 - \"v1 ComponentStatus is deprecated in v1.19+\"")
    );
    let list = list.json();
    assert_eq!(list["kind"], "ComponentStatusList");
    let health: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let condition = &item["conditions"][0];
            assert_eq!(condition["type"], "Healthy");
            (item["metadata"]["name"].as_str().unwrap().to_string(), condition.clone())
        })
        .collect();
    let names: Vec<_> = health.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["scheduler", "controller-manager", "etcd-0", "etcd-1", "storage"]);
    assert_eq!(health[0].1, json!({"type": "Healthy", "status": "True", "message": "ok"}));
    assert_eq!(
        health[1].1,
        json!({"type": "Healthy", "status": "False",
               "message": "HTTP probe failed with statuscode: 500"})
    );
    assert_eq!(health[2].1["status"], "True");
    assert!(health[2].1["message"].as_str().unwrap().contains("\"health\":\"true\""));
    let port = dead_etcd.trim_start_matches("http://").trim_end_matches("/health");
    assert_eq!(
        health[3].1["message"],
        format!("Get \"{dead_etcd}\": dial tcp {port}: connect: connection refused")
    );
    assert_eq!(health[3].1["status"], "False");
    assert_eq!(health[4].1, json!({"type": "Healthy", "status": "True", "message": "ok"}));

    let one = server.get("/api/v1/componentstatuses/scheduler").await;
    assert_eq!(one.status, 200, "{}", one.text());
    assert_eq!(
        one.json(),
        json!({"kind": "ComponentStatus", "apiVersion": "v1",
               "metadata": {"name": "scheduler", "creationTimestamp": null},
               "conditions": [{"type": "Healthy", "status": "True", "message": "ok"}]})
    );
    let unknown = server.get("/api/v1/componentstatuses/nope").await;
    expect(&unknown, 500, "InternalError", "Internal error occurred: Component not found: nope");
    let create =
        server.post("/api/v1/componentstatuses", &json!({"metadata": {"name": "x"}})).await;
    assert_eq!(create.status, 405);
    assert_eq!(delete(&server, "/api/v1/componentstatuses/scheduler").await.status, 405);

    // kubectl 1.33 prints the deprecation warning, then upstream's four columns.
    let (code, stdout, stderr) = run_kubectl(&server, &["get", "cs"]).await;
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_eq!(stderr.trim(), "Warning: v1 ComponentStatus is deprecated in v1.19+");
    let rows: Vec<Vec<&str>> =
        stdout.lines().map(|line| line.split_whitespace().collect()).collect();
    assert_eq!(rows[0], ["NAME", "STATUS", "MESSAGE", "ERROR"]);
    assert_eq!(rows[1], ["scheduler", "Healthy", "ok"]);
    assert_eq!(rows[2][..3], ["controller-manager", "Unhealthy", "HTTP"]);
    assert_eq!(rows[3][..2], ["etcd-0", "Healthy"]);
    assert_eq!(rows[4][..3], ["etcd-1", "Unhealthy", "Get"]);
    assert_eq!(rows[5], ["storage", "Healthy", "ok"]);
    server.stop().await;
}

/// The names and `Healthy` conditions of a componentstatuses list.
fn health_of(list: &Value) -> Vec<(String, Value)> {
    let items = list["items"].as_array().expect("a list");
    items
        .iter()
        .map(|item| {
            (
                item["metadata"]["name"].as_str().unwrap_or_default().to_string(),
                item["conditions"][0].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_binary_probes_the_storage_its_flags_name() {
    let etcd = etcd::EtcdServer::start();
    let server = RealServer::start(&[&format!("--etcd-servers={}", etcd.endpoint())]);
    let health = health_of(&server.get("/api/v1/componentstatuses").await.json());
    let names: Vec<_> = health.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["scheduler", "controller-manager", "etcd-0"]);
    assert_eq!(health[2].1["status"], "True", "{:?}", health[2]);
    assert!(health[2].1["message"].as_str().unwrap().contains("\"health\":\"true\""));
    drop(server);

    let server = RealServer::start(&[]);
    let health = health_of(&server.get("/api/v1/componentstatuses").await.json());
    assert_eq!(health[2].0, "storage");
    assert_eq!(health[2].1, json!({"type": "Healthy", "status": "True", "message": "ok"}));
}

/// kubectl's client-side validation of a kind with no PATCH path (Binding) asks the server for
/// CRDs, which this apiserver does not serve yet, so the manifest is sent unvalidated; the
/// server still decodes and validates it.
#[tokio::test]
async fn kubectl_creates_a_binding_from_a_manifest() {
    let server = TestServer::start(&[]).await;
    create_pod(&server, pod("web")).await;
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("binding.json");
    std::fs::write(&manifest, binding("web", "node-7").to_string()).unwrap();
    let manifest = manifest.display().to_string();
    let (code, stdout, stderr) =
        run_kubectl(&server, &["create", "--validate=false", "-n", "default", "-f", &manifest])
            .await;
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    // The server answers with a Success status, as upstream does, which kubectl names so.
    assert_eq!(stdout.trim(), "status/<unknown> created");
    let web = server.get(&format!("{PODS}/web")).await.json();
    assert_eq!(web["spec"]["nodeName"], "node-7");
    server.stop().await;
}

/// `kubectl drain` finds `pods/eviction` in discovery and evicts every pod of the node with it.
#[tokio::test]
async fn kubectl_drain_evicts_through_the_subresource() {
    let server = TestServer::start(&[]).await;
    let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"}});
    assert_eq!(server.post("/api/v1/nodes", &node).await.status, 201);
    create_pod(&server, pod("web")).await;
    let bound = server.post(&format!("{PODS}/web/binding"), &binding("web", "node-1")).await;
    assert_eq!(bound.status, 201, "{}", bound.text());

    let drain = ["drain", "node-1", "--force", "--grace-period=0", "--timeout=30s"];
    let (code, stdout, stderr) = run_kubectl(&server, &drain).await;
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "node/node-1 cordoned",
            "evicting pod default/web",
            "pod/web evicted",
            "node/node-1 drained"
        ]
    );
    assert_eq!(server.get(&format!("{PODS}/web")).await.status, 404);
    let node = server.get("/api/v1/nodes/node-1").await.json();
    assert_eq!(node["spec"]["unschedulable"], true);
    server.stop().await;
}

fn etcd_tls_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/etcd-tls");
    path.join(name).display().to_string()
}

/// Members reached over https are probed with the storage client's own CA and certificate.
#[tokio::test]
async fn https_etcd_members_are_probed_with_the_storage_tls_flags() {
    let (cert, key, ca) =
        (etcd_tls_file("server.crt"), etcd_tls_file("server.key"), etcd_tls_file("ca.crt"));
    let etcd = etcd::EtcdServer::start_tls(etcd::ServerTls {
        cert: cert.as_ref(),
        key: key.as_ref(),
        client_ca: ca.as_ref(),
    });
    let flags = |extra: &[String]| {
        let mut argv =
            vec!["kube-apiserver".to_string(), format!("--etcd-servers={}", etcd.endpoint())];
        argv.push(format!("--etcd-cafile={ca}"));
        argv.extend_from_slice(extra);
        kube_apiserver::options::Options::try_parse_args(argv).unwrap().storage
    };
    let with_identity = flags(&[
        format!("--etcd-certfile={}", etcd_tls_file("client.crt")),
        format!("--etcd-keyfile={}", etcd_tls_file("client.key")),
    ]);
    let server = TestServer::start_extended(&[], |table, storage| {
        table.insert(Arc::new(ComponentStatuses::for_control_plane(&with_identity, storage)));
    })
    .await;
    let member = server.get("/api/v1/componentstatuses/etcd-0").await.json();
    assert_eq!(member["conditions"][0]["status"], "True", "{member}");
    server.stop().await;

    // etcd insists on a client certificate: without one the probe fails, saying why.
    let anonymous = flags(&[]);
    let server = TestServer::start_extended(&[], |table, storage| {
        table.insert(Arc::new(ComponentStatuses::for_control_plane(&anonymous, storage)));
    })
    .await;
    let member = server.get("/api/v1/componentstatuses/etcd-0").await.json();
    assert_eq!(member["conditions"][0]["status"], "False", "{member}");
    let message = member["conditions"][0]["message"].as_str().unwrap();
    assert!(message.starts_with(&format!("Get \"{}/health\"", etcd.endpoint())), "{message}");
    server.stop().await;
}
