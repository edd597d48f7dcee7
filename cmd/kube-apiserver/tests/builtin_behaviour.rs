//! The apiserver's built-in behaviour through a real server on loopback over embedded storage:
//! the bootstrap objects and their repair loop, service cluster IP and node port allocation
//! (persisted, released, repaired on restart), the namespace admission plugins, and the real
//! kubectl's view of a fresh cluster.

mod api_server;

use api_server::{Reply, STEP, connect};
use bytes::Bytes;
use component_base::ShutdownToken;
use http_body_util::Full;
use hyper::{Method, Request};
use kube_apiserver::options::Options;
use kube_apiserver::{Listeners, RunError};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// How often the bootstrap loop runs in these tests (10 s in production).
const FAST_RECONCILE: Duration = Duration::from_millis(100);

/// A server started the way `run` starts one: assembled table, bootstrap, then serving.
struct Server {
    address: SocketAddr,
    shutdown: ShutdownToken,
    task: JoinHandle<()>,
}

/// Opens the store of `options`, waiting (at most [`STEP`]) for a server stopped just before to
/// let go of it: a stopped server's watch-cache tasks are aborted when its resources drop, and
/// the runtime ends them, releasing the store, a moment later.
async fn open_storage(options: &Options) -> std::sync::Arc<dyn kube_apiserver::storage::Storage> {
    let deadline = tokio::time::Instant::now() + STEP;
    loop {
        match options.storage.open().await {
            Ok(storage) => return storage,
            Err(error)
                if error.to_string().contains("in use by another store")
                    && tokio::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(error) => panic!("embedded storage opens: {error}"),
        }
    }
}

fn options(directory: &Path, flags: &[&str]) -> Options {
    let data_dir = format!("--data-dir={}", directory.join("data").display());
    let cert_dir = format!("--cert-dir={}", directory.join("certs").display());
    let mut argv = vec!["kube-apiserver", &data_dir, &cert_dir, "--embedded-fsync=false"];
    argv.extend_from_slice(flags);
    Options::try_parse_args(argv).expect("test flags parse")
}

impl Server {
    async fn start(directory: &Path, flags: &[&str]) -> Server {
        let options = options(directory, flags);
        let storage = open_storage(&options).await;
        let resources = kube_apiserver::assemble(&options, storage).await.expect("assembles");
        let shutdown = ShutdownToken::new();
        kube_apiserver::start_bootstrap(&options, &resources, FAST_RECONCILE, shutdown.clone())
            .await
            .expect("bootstrap objects written");
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let listeners = Listeners { insecure: Some(listener), secure: None };
        let token = shutdown.clone();
        let task = tokio::spawn(async move {
            kube_apiserver::serve(&options, listeners, resources, token).await.expect("serves");
        });
        let server = Server { address, shutdown, task };
        let deadline = tokio::time::Instant::now() + STEP;
        while server.get("/healthz").await.status != 200 {
            assert!(tokio::time::Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server
    }

    async fn stop(self) {
        self.shutdown.trigger();
        tokio::time::timeout(STEP, self.task).await.expect("stops in time").unwrap();
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Option<&Value>,
    ) -> Reply {
        let mut sender = connect(self.address).await;
        let bytes =
            body.map(|body| Bytes::from(serde_json::to_vec(body).unwrap())).unwrap_or_default();
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "test")
            .header("content-type", content_type)
            .body(Full::new(bytes))
            .unwrap();
        let response =
            tokio::time::timeout(STEP, sender.send_request(request)).await.unwrap().unwrap();
        Reply::read(response).await
    }

    async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, "application/json", None).await
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        self.call(Method::POST, path, "application/json", Some(body)).await
    }

    async fn put(&self, path: &str, body: &Value) -> Reply {
        self.call(Method::PUT, path, "application/json", Some(body)).await
    }

    async fn merge_patch(&self, path: &str, body: &Value) -> Reply {
        self.call(Method::PATCH, path, "application/merge-patch+json", Some(body)).await
    }

    async fn delete(&self, path: &str) -> Reply {
        self.call(Method::DELETE, path, "application/json", None).await
    }

    /// Polls `path` until `check` accepts its reply.
    async fn eventually(&self, path: &str, check: impl Fn(&Reply) -> bool) -> Reply {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let reply = self.get(path).await;
            if check(&reply) {
                return reply;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{path} never settled: {}",
                reply.text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn create_service(&self, spec: Value, name: &str) -> Reply {
        let service = json!({"apiVersion": "v1", "kind": "Service",
                             "metadata": {"name": name}, "spec": spec});
        self.post("/api/v1/namespaces/default/services", &service).await
    }
}

fn tcp_port(port: i64) -> Value {
    json!({"port": port, "protocol": "TCP"})
}

fn cluster_ip(reply: &Reply) -> String {
    reply.json()["spec"]["clusterIP"].as_str().unwrap().to_string()
}

fn node_port(reply: &Reply) -> i64 {
    reply.json()["spec"]["ports"][0]["nodePort"].as_i64().unwrap()
}

fn assert_invalid(reply: &Reply, expected_message: &str) {
    assert_eq!(reply.status, 422, "{}", reply.text());
    let status = reply.json();
    assert_eq!(status["reason"], "Invalid");
    assert_eq!(status["message"], expected_message);
}

const KUBERNETES_SERVICE: &str = "/api/v1/namespaces/default/services/kubernetes";
const KUBERNETES_ENDPOINTS: &str = "/api/v1/namespaces/default/endpoints/kubernetes";

#[tokio::test]
async fn bootstrap_objects_exist_and_come_back() {
    let directory = tempfile::tempdir().unwrap();
    let server = Server::start(directory.path(), &["--advertise-address=192.168.7.7"]).await;

    for namespace in ["default", "kube-system", "kube-public"] {
        let reply = server.get(&format!("/api/v1/namespaces/{namespace}")).await;
        assert_eq!(reply.status, 200, "{namespace}: {}", reply.text());
        assert_eq!(reply.json()["status"]["phase"], "Active");
    }
    let service = server.get(KUBERNETES_SERVICE).await.json();
    assert_eq!(
        service["metadata"]["labels"],
        json!({"component": "apiserver", "provider": "kubernetes"})
    );
    assert_eq!(service["spec"]["clusterIP"], "10.0.0.1");
    assert_eq!(service["spec"]["type"], "ClusterIP");
    assert_eq!(
        service["spec"]["ports"],
        json!([{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}])
    );
    let endpoints = server.get(KUBERNETES_ENDPOINTS).await.json();
    assert_eq!(
        endpoints["subsets"],
        json!([{"addresses": [{"ip": "192.168.7.7"}],
                "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}])
    );

    // Deleted: recreated with the same cluster IP, which the delete gave back.
    assert_eq!(server.delete(KUBERNETES_SERVICE).await.status, 200);
    let back = server.eventually(KUBERNETES_SERVICE, |reply| reply.status == 200).await;
    assert_eq!(cluster_ip(&back), "10.0.0.1");
    assert_eq!(server.delete(KUBERNETES_ENDPOINTS).await.status, 200);
    server.eventually(KUBERNETES_ENDPOINTS, |reply| reply.status == 200).await;

    // Edited: put back.
    let mut edited = back.json();
    edited["spec"]["ports"] = json!([{"name": "web", "port": 8443, "protocol": "TCP"}]);
    edited["metadata"]["labels"] = json!({"component": "other"});
    assert_eq!(server.put(KUBERNETES_SERVICE, &edited).await.status, 200);
    let repaired = server
        .eventually(KUBERNETES_SERVICE, |reply| reply.json()["spec"]["ports"][0]["port"] == 443)
        .await
        .json();
    assert_eq!(repaired["metadata"]["labels"]["component"], "apiserver");
    assert_eq!(repaired["spec"]["ports"][0]["name"], "https");
    let mut endpoints = server.get(KUBERNETES_ENDPOINTS).await.json();
    endpoints["subsets"][0]["ports"][0]["port"] = json!(1234);
    assert_eq!(server.put(KUBERNETES_ENDPOINTS, &endpoints).await.status, 200);
    server
        .eventually(KUBERNETES_ENDPOINTS, |reply| {
            reply.json()["subsets"][0]["ports"][0]["port"] == 6443
        })
        .await;

    // A system namespace deleted behind admission's back (no plugins) comes back too.
    server.stop().await;
    let server = Server::start(directory.path(), &["--admission-control=AlwaysAdmit"]).await;
    assert_eq!(server.delete("/api/v1/namespaces/kube-public").await.status, 200);
    server.eventually("/api/v1/namespaces/kube-public", |reply| reply.status == 200).await;
    server.stop().await;
}

#[tokio::test]
async fn services_draw_cluster_ips_and_node_ports_from_the_ranges() {
    let directory = tempfile::tempdir().unwrap();
    let server = Server::start(directory.path(), &["--service-cluster-ip-range=10.0.0.0/29"]).await;

    let web = server.create_service(json!({"ports": [tcp_port(80)]}), "web").await;
    assert_eq!(web.status, 201, "{}", web.text());
    let web_ip = cluster_ip(&web);
    let usable = ["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"];
    assert!(usable.contains(&web_ip.as_str()), "{web_ip} is outside the usable addresses");
    assert_eq!(web.json()["spec"]["clusterIPs"], json!([web_ip]));

    let outside = server
        .create_service(json!({"clusterIP": "10.1.0.5", "ports": [tcp_port(80)]}), "out")
        .await;
    assert_invalid(
        &outside,
        "Service \"out\" is invalid: spec.clusterIPs: Invalid value: [\"10.1.0.5\"]: failed to \
         allocate IP 10.1.0.5: the provided IP (10.1.0.5) is not in the valid range. The range of \
         valid IPs is 10.0.0.0/29",
    );
    let broadcast = server
        .create_service(json!({"clusterIP": "10.0.0.7", "ports": [tcp_port(80)]}), "bc")
        .await;
    assert_eq!(broadcast.status, 422, "{}", broadcast.text());
    let taken =
        server.create_service(json!({"clusterIP": web_ip, "ports": [tcp_port(80)]}), "dup").await;
    assert_invalid(
        &taken,
        &format!(
            "Service \"dup\" is invalid: spec.clusterIPs: Invalid value: [\"{web_ip}\"]: failed \
             to allocate IP {web_ip}: provided IP is already allocated"
        ),
    );

    let headless =
        server.create_service(json!({"clusterIP": "None", "ports": [tcp_port(80)]}), "hl").await;
    assert_eq!(headless.status, 201, "{}", headless.text());
    assert_eq!(cluster_ip(&headless), "None");
    let external = server
        .create_service(json!({"type": "ExternalName", "externalName": "example.com"}), "ext")
        .await;
    assert_eq!(external.status, 201, "{}", external.text());
    assert!(external.json()["spec"]["clusterIP"].is_null());

    let node =
        server.create_service(json!({"type": "NodePort", "ports": [tcp_port(80)]}), "node").await;
    assert_eq!(node.status, 201, "{}", node.text());
    assert!((30000..=32767).contains(&node_port(&node)));
    let low = server
        .create_service(
            json!({"type": "NodePort", "ports": [{"port": 80, "protocol": "TCP", "nodePort": 80}]}),
            "low",
        )
        .await;
    assert_invalid(
        &low,
        "Service \"low\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is \
         not in the valid range. The range of valid ports is 30000-32767",
    );
    let same_port = json!({"type": "NodePort",
                           "ports": [{"port": 80, "protocol": "TCP", "nodePort": node_port(&node)}]});
    let clash = server.create_service(same_port.clone(), "clash").await;
    assert_invalid(
        &clash,
        &format!(
            "Service \"clash\" is invalid: spec.ports[0].nodePort: Invalid value: {}: provided \
             port is already allocated",
            node_port(&node)
        ),
    );
    // Failed creates gave back what they took: the range still holds three more services.
    for name in ["a", "b", "c"] {
        let reply = server.create_service(json!({"ports": [tcp_port(80)]}), name).await;
        assert_eq!(reply.status, 201, "{name}: {}", reply.text());
    }

    // The range is full now (kubernetes, web, a, b, c): the next create fails as upstream's.
    let full = server.create_service(json!({"ports": [tcp_port(80)]}), "full").await;
    assert_eq!(full.status, 500, "{}", full.text());
    assert_eq!(
        full.json()["message"],
        "Internal error occurred: failed to allocate a serviceIP: range is full"
    );

    // Deletes release.
    assert_eq!(server.delete("/api/v1/namespaces/default/services/web").await.status, 200);
    let reuse =
        server.create_service(json!({"clusterIP": web_ip, "ports": [tcp_port(80)]}), "reuse").await;
    assert_eq!(reuse.status, 201, "{}", reuse.text());
    assert_eq!(server.delete("/api/v1/namespaces/default/services/node").await.status, 200);
    let again = server.create_service(same_port, "again").await;
    assert_eq!(again.status, 201, "{}", again.text());
    // Two services went, two came: make room for the type changes below.
    for name in ["b", "c"] {
        let path = format!("/api/v1/namespaces/default/services/{name}");
        assert_eq!(server.delete(&path).await.status, 200);
    }

    // Type changes allocate and release: ClusterIP -> NodePort by PUT, back by merge patch.
    let path = "/api/v1/namespaces/default/services/a";
    let mut a = server.get(path).await.json();
    a["spec"]["type"] = json!("NodePort");
    let to_node = server.put(path, &a).await;
    assert_eq!(to_node.status, 200, "{}", to_node.text());
    let a_port = node_port(&to_node);
    assert!((30000..=32767).contains(&a_port));
    let back = server
        .merge_patch(path, &json!({"spec": {"type": "ClusterIP", "externalTrafficPolicy": null}}))
        .await;
    assert_eq!(back.status, 200, "{}", back.text());
    assert!(back.json()["spec"]["ports"][0]["nodePort"].is_null(), "{}", back.text());
    let freed = json!({"type": "NodePort",
                       "ports": [{"port": 80, "protocol": "TCP", "nodePort": a_port}]});
    assert_eq!(server.create_service(freed, "freed").await.status, 201);
    // ExternalName -> NodePort by merge patch gets both an IP and a port.
    let ext_path = "/api/v1/namespaces/default/services/ext";
    let patch =
        json!({"spec": {"type": "NodePort", "externalName": null, "ports": [tcp_port(81)]}});
    let patched = server.merge_patch(ext_path, &patch).await;
    assert_eq!(patched.status, 200, "{}", patched.text());
    assert!(cluster_ip(&patched).starts_with("10.0.0."), "{}", patched.text());
    assert!((30000..=32767).contains(&node_port(&patched)));

    // A LoadBalancer with the Local traffic policy also gets a health-check node port.
    for name in ["reuse", "again"] {
        let path = format!("/api/v1/namespaces/default/services/{name}");
        assert_eq!(server.delete(&path).await.status, 200);
    }
    let balanced = server
        .create_service(
            json!({"type": "LoadBalancer", "externalTrafficPolicy": "Local",
                   "ports": [tcp_port(443)]}),
            "lb",
        )
        .await;
    assert_eq!(balanced.status, 201, "{}", balanced.text());
    let health = balanced.json()["spec"]["healthCheckNodePort"].as_i64().unwrap();
    assert!((30000..=32767).contains(&health));
    assert_ne!(health, node_port(&balanced));
    let wants_health = json!({"type": "NodePort",
                              "ports": [{"port": 80, "protocol": "TCP", "nodePort": health}]});
    assert_eq!(server.create_service(wants_health.clone(), "hc").await.status, 422);
    assert_eq!(server.delete("/api/v1/namespaces/default/services/lb").await.status, 200);
    assert_eq!(server.create_service(wants_health, "hc").await.status, 201);
    server.stop().await;
}

#[tokio::test]
async fn restart_repairs_the_bitmaps_from_the_stored_services() {
    let directory = tempfile::tempdir().unwrap();
    let server = Server::start(directory.path(), &[]).await;
    let spec = json!({"type": "NodePort",
                      "ports": [{"port": 80, "protocol": "TCP", "nodePort": 30080}]});
    let created = server.create_service(spec.clone(), "kept").await;
    assert_eq!(created.status, 201, "{}", created.text());
    let kept_ip = cluster_ip(&created);
    server.stop().await;

    // Wipe the persisted bitmaps: only the repair pass can know what is taken.
    {
        let options = options(directory.path(), &[]);
        let storage = open_storage(&options).await;
        for key in ["/registry/ranges/serviceips", "/registry/ranges/servicenodeports"] {
            let stored = storage.get(key).await.expect("bitmap persisted at upstream's key");
            let object: Value = serde_json::from_slice(&stored.value).unwrap();
            assert_eq!(object["kind"], "RangeAllocation");
            assert!(!object["data"].as_str().unwrap().is_empty());
            storage.delete(key, None).await.unwrap();
        }
    }

    let server = Server::start(directory.path(), &[]).await;
    let clash = server.create_service(spec, "clash").await;
    assert_invalid(
        &clash,
        "Service \"clash\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided \
         port is already allocated",
    );
    let same_ip =
        server.create_service(json!({"clusterIP": kept_ip, "ports": [tcp_port(80)]}), "ip").await;
    assert_eq!(same_ip.status, 422, "{}", same_ip.text());
    let kubernetes_ip =
        server.create_service(json!({"clusterIP": "10.0.0.1", "ports": [tcp_port(80)]}), "k").await;
    assert_eq!(kubernetes_ip.status, 422, "{}", kubernetes_ip.text());
    server.stop().await;
}

fn config_map(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})
}

#[tokio::test]
async fn namespace_lifecycle_is_the_default() {
    let directory = tempfile::tempdir().unwrap();
    let server = Server::start(directory.path(), &[]).await;

    let missing = server.post("/api/v1/namespaces/nope/configmaps", &config_map("c")).await;
    assert_eq!(missing.status, 404, "{}", missing.text());
    assert_eq!(missing.json()["message"], "namespaces \"nope\" not found");

    let held = json!({"apiVersion": "v1", "kind": "Namespace",
                      "metadata": {"name": "doomed", "finalizers": ["example.com/hold"]}});
    assert_eq!(server.post("/api/v1/namespaces", &held).await.status, 201);
    let accepted = server.post("/api/v1/namespaces/doomed/configmaps", &config_map("first")).await;
    assert_eq!(accepted.status, 201, "{}", accepted.text());
    server.delete("/api/v1/namespaces/doomed").await;
    let terminating = server.post("/api/v1/namespaces/doomed/configmaps", &config_map("c")).await;
    assert_eq!(terminating.status, 403, "{}", terminating.text());
    assert_eq!(
        terminating.json()["message"],
        "configmaps \"c\" is forbidden: unable to create new content in namespace doomed because \
         it is being terminated"
    );

    for namespace in ["default", "kube-system", "kube-public"] {
        let refused = server.delete(&format!("/api/v1/namespaces/{namespace}")).await;
        assert_eq!(refused.status, 403, "{}", refused.text());
        assert_eq!(
            refused.json()["message"],
            format!("namespaces \"{namespace}\" is forbidden: this namespace may not be deleted")
        );
    }
    // Deleting every namespace at once is not a verb namespaces serve, as upstream.
    let everything = server.delete("/api/v1/namespaces").await;
    assert_eq!(everything.status, 405, "{}", everything.text());
    assert_eq!(server.get("/api/v1/namespaces/doomed").await.status, 200);
    server.stop().await;
}

#[tokio::test]
async fn auto_provision_and_exists_plugins() {
    let directory = tempfile::tempdir().unwrap();
    let server =
        Server::start(directory.path(), &["--admission-control=NamespaceAutoProvision"]).await;
    let created = server.post("/api/v1/namespaces/fresh/configmaps", &config_map("c")).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(server.get("/api/v1/namespaces/fresh").await.status, 200);
    server.stop().await;

    let server =
        Server::start(directory.path(), &["--enable-admission-plugins=NamespaceExists"]).await;
    let missing = server.post("/api/v1/namespaces/other/configmaps", &config_map("c")).await;
    assert_eq!(missing.status, 404, "{}", missing.text());
    assert_eq!(missing.json()["message"], "namespaces \"other\" not found");
    let present = server.post("/api/v1/namespaces/fresh/configmaps", &config_map("d")).await;
    assert_eq!(present.status, 201, "{}", present.text());
    // Without NamespaceLifecycle the system namespaces are not protected.
    assert_eq!(server.delete("/api/v1/namespaces/kube-public").await.status, 200);
    server.stop().await;
}

#[tokio::test]
async fn unknown_admission_plugins_stop_the_start() {
    let directory = tempfile::tempdir().unwrap();
    let options = options(
        directory.path(),
        &["--admission-control=NamespaceLifecycle,Bogus", "--enable-admission-plugins=Nope"],
    );
    let storage = options.storage.open().await.unwrap();
    let Err(error) = kube_apiserver::assemble(&options, storage).await else {
        panic!("unknown plugins were accepted");
    };
    assert!(matches!(error, RunError::Admission(_)));
    assert!(error.to_string().contains("unknown admission plugins: Bogus, Nope"), "{error}");
}

/// Runs the kubectl on PATH against `address` with an empty configuration.
fn kubectl(address: SocketAddr, directory: &Path, args: &[&str]) -> String {
    let output = Command::new("kubectl")
        .env("KUBECONFIG", directory.join("no-kubeconfig"))
        .env("HOME", directory)
        .arg(format!("--server=http://{address}"))
        .arg(format!("--cache-dir={}", directory.join("kube-cache").display()))
        .arg("--request-timeout=20s")
        .args(args)
        .output()
        .expect("kubectl is installed");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "kubectl {args:?}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_sees_a_bootstrapped_cluster() {
    let directory = tempfile::tempdir().unwrap();
    let server = Server::start(directory.path(), &[]).await;
    let address = server.address;
    let home = directory.path().to_path_buf();

    let namespaces = tokio::task::spawn_blocking({
        let home = home.clone();
        move || kubectl(address, &home, &["get", "namespaces"])
    })
    .await
    .unwrap();
    for namespace in ["default", "kube-public", "kube-system"] {
        let line = namespaces
            .lines()
            .find(|line| line.split_whitespace().next() == Some(namespace))
            .unwrap_or_else(|| panic!("{namespace} missing from:\n{namespaces}"));
        assert_eq!(line.split_whitespace().nth(1), Some("Active"), "{line}");
    }

    let services =
        tokio::task::spawn_blocking(move || kubectl(address, &home, &["get", "svc", "kubernetes"]))
            .await
            .unwrap();
    let row = services.lines().nth(1).unwrap_or_default();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        &cells[..5],
        ["kubernetes", "ClusterIP", "10.0.0.1", "<none>", "443/TCP"],
        "{services}"
    );
    server.stop().await;
}
