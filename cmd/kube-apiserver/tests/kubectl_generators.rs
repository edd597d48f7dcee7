//! kubectl's generator commands against the real kube-apiserver binary. kubectl 1.32 and 1.33
//! send the objects they build (`create namespace|secret|configmap|deployment|service|
//! serviceaccount|quota`) as Kubernetes protobuf; `run` and `expose` send JSON and `scale` a merge
//! patch. Each command must print what it prints against upstream and store the object upstream
//! would store. Raw requests then check protobuf responses and refusals.

mod api_server;
mod real_server;

use hyper::Method;
use real_server::RealServer;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The versioned kubectl binary installed next to the one on PATH.
fn kubectl_binary(version: &str) -> PathBuf {
    let on_path = Command::new("sh")
        .args(["-c", "readlink -f \"$(command -v kubectl)\""])
        .output()
        .expect("sh runs");
    let on_path = PathBuf::from(String::from_utf8(on_path.stdout).unwrap().trim());
    let binary = on_path.parent().expect("kubectl is on PATH").join(format!("kubectl.{version}"));
    assert!(binary.exists(), "{} is missing: install kubectl {version}", binary.display());
    binary
}

/// One kubectl version talking to one server, with its cache in a private directory.
struct Kubectl {
    binary: PathBuf,
    server: String,
    home: tempfile::TempDir,
}

impl Kubectl {
    fn new(version: &str, server: &RealServer) -> Kubectl {
        Kubectl {
            binary: kubectl_binary(version),
            server: server.url(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    /// Runs kubectl, insists on success and returns what it printed.
    fn ok(&self, args: &[&str]) -> String {
        let output = Command::new(&self.binary)
            .env("HOME", self.home.path())
            .env("KUBECONFIG", self.home.path().join("no-kubeconfig"))
            .arg(format!("--server={}", self.server))
            .arg(format!("--cache-dir={}", self.home.path().join("cache").display()))
            .arg("--request-timeout=20s")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("kubectl runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "kubectl {args:?} failed:\n{stdout}\n{stderr}");
        stdout
    }

    /// The stored object, as `kubectl get -o json` shows it.
    fn get(&self, args: &[&str]) -> Value {
        let mut all = vec!["get"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", "json"]);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }
}

/// A replication controller for `expose rc`, sent as a manifest (JSON).
const REDIS_RC: &str = r#"{
  "apiVersion": "v1", "kind": "ReplicationController",
  "metadata": {"name": "redis", "labels": {"app": "redis"}},
  "spec": {"replicas": 1, "selector": {"app": "redis"},
           "template": {"metadata": {"labels": {"app": "redis"}},
                        "spec": {"containers": [{"name": "redis", "image": "redis",
                                                 "ports": [{"containerPort": 6379}]}]}}}
}"#;

fn generators(version: &str) {
    let server = RealServer::start(&[]);
    let kubectl = Kubectl::new(version, &server);
    let ns = ["-n", "gen"];

    assert_eq!(kubectl.ok(&["create", "namespace", "gen"]), "namespace/gen created\n");
    let namespace = kubectl.get(&["namespace", "gen"]);
    assert_eq!(namespace["status"]["phase"], "Active");
    assert_eq!(namespace["spec"]["finalizers"], json!(["kubernetes"]));
    assert!(namespace["metadata"]["uid"].as_str().is_some_and(|uid| !uid.is_empty()));

    let create = |args: &[&str]| kubectl.ok(&[&["create"], args, &ns[..]].concat());
    assert_eq!(
        create(&["secret", "generic", "creds", "--from-literal=user=admin"]),
        "secret/creds created\n"
    );
    let secret = kubectl.get(&["secret", "creds", "-n", "gen"]);
    assert_eq!(secret["type"], "Opaque");
    assert_eq!(secret["data"], json!({"user": "YWRtaW4="}));

    assert_eq!(
        create(&["configmap", "settings", "--from-literal=mode=fast"]),
        "configmap/settings created\n"
    );
    assert_eq!(
        kubectl.get(&["configmap", "settings", "-n", "gen"])["data"],
        json!({"mode": "fast"})
    );

    assert_eq!(
        create(&["deployment", "web", "--image=nginx:1.25", "--replicas=2", "--port=80"]),
        "deployment.apps/web created\n"
    );
    let deployment = kubectl.get(&["deployment", "web", "-n", "gen"]);
    assert_eq!(deployment["spec"]["replicas"], 2);
    assert_eq!(deployment["spec"]["selector"], json!({"matchLabels": {"app": "web"}}));
    assert_eq!(deployment["spec"]["strategy"]["type"], "RollingUpdate", "defaults were applied");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "nginx:1.25");
    assert_eq!(container["ports"], json!([{"containerPort": 80, "protocol": "TCP"}]));
    assert_eq!(container["imagePullPolicy"], "IfNotPresent");

    assert_eq!(
        create(&["service", "clusterip", "web-svc", "--tcp=80:8080"]),
        "service/web-svc created\n"
    );
    let service = kubectl.get(&["service", "web-svc", "-n", "gen"]);
    assert_eq!(service["spec"]["type"], "ClusterIP");
    assert_eq!(service["spec"]["selector"], json!({"app": "web-svc"}));
    assert_eq!(
        service["spec"]["ports"],
        json!([{"name": "80-8080", "port": 80, "protocol": "TCP", "targetPort": 8080}])
    );
    assert!(service["spec"]["clusterIP"].as_str().is_some_and(|ip| ip.starts_with("10.")));

    assert_eq!(create(&["serviceaccount", "robot"]), "serviceaccount/robot created\n");
    assert_eq!(kubectl.get(&["serviceaccount", "robot", "-n", "gen"])["metadata"]["name"], "robot");

    assert_eq!(create(&["quota", "small", "--hard=pods=3,cpu=1"]), "resourcequota/small created\n");
    let quota = kubectl.get(&["resourcequota", "small", "-n", "gen"]);
    assert_eq!(quota["spec"]["hard"], json!({"cpu": "1", "pods": "3"}));

    let manifest = kubectl.home.path().join("redis-rc.json");
    std::fs::write(&manifest, REDIS_RC).unwrap();
    let manifest = manifest.display().to_string();
    assert_eq!(
        kubectl.ok(&["create", "-f", &manifest, "-n", "gen"]),
        "replicationcontroller/redis created\n"
    );
    assert_eq!(
        kubectl.ok(&["expose", "rc", "redis", "--port=6379", "-n", "gen"]),
        "service/redis exposed\n"
    );
    let exposed = kubectl.get(&["service", "redis", "-n", "gen"]);
    assert_eq!(exposed["spec"]["selector"], json!({"app": "redis"}));
    assert_eq!(exposed["spec"]["ports"][0]["port"], 6379);
    assert_eq!(
        kubectl.ok(&[
            "expose",
            "deployment",
            "web",
            "--port=80",
            "--name=web-exposed",
            "-n",
            "gen"
        ]),
        "service/web-exposed exposed\n"
    );

    assert_eq!(
        kubectl.ok(&["run", "shell", "--image=busybox", "-n", "gen"]),
        "pod/shell created\n"
    );
    let pod = kubectl.get(&["pod", "shell", "-n", "gen"]);
    assert_eq!(pod["metadata"]["labels"], json!({"run": "shell"}));
    assert_eq!(pod["spec"]["containers"][0]["image"], "busybox");

    assert_eq!(
        kubectl.ok(&["scale", "deployment", "web", "--replicas=3", "-n", "gen"]),
        "deployment.apps/web scaled\n"
    );
    assert_eq!(kubectl.get(&["deployment", "web", "-n", "gen"])["spec"]["replicas"], 3);
}

#[test]
fn kubectl_1_33_generators() {
    generators("1.33");
}

#[test]
fn kubectl_1_32_generators() {
    generators("1.32");
}

/// Protobuf answers for clients that accept only protobuf, JSON for everyone else, and the
/// refusals for what the server cannot read.
#[test]
fn protobuf_responses_and_refusals() {
    let server = RealServer::start(&[]);
    let kubectl = Kubectl::new("1.33", &server);
    kubectl.ok(&["create", "configmap", "settings", "--from-literal=mode=fast"]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let path = "/api/v1/namespaces/default/configmaps/settings";

    let reply = runtime.block_on(server.raw(
        Method::GET,
        path,
        &[("accept", "application/vnd.kubernetes.protobuf")],
        Vec::new(),
    ));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/vnd.kubernetes.protobuf"));
    let object = kube_apiserver::protobuf::decode(&reply.body).unwrap();
    assert_eq!(object["kind"], "ConfigMap");
    assert_eq!(object["data"], json!({"mode": "fast"}));

    // kubectl's own Accept header lists JSON too, and gets JSON.
    let reply = runtime.block_on(server.raw(
        Method::GET,
        path,
        &[("accept", "application/vnd.kubernetes.protobuf,application/json")],
        Vec::new(),
    ));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.json()["data"], json!({"mode": "fast"}));

    // A list in protobuf.
    let reply = runtime.block_on(server.raw(
        Method::GET,
        "/api/v1/namespaces/default/configmaps",
        &[("accept", "application/vnd.kubernetes.protobuf")],
        Vec::new(),
    ));
    assert_eq!(reply.status, 200);
    assert!(reply.body.starts_with(b"k8s\0"));

    // A field number the server does not know: 400 naming it, and nothing is written.
    let mut body = b"k8s\0\x0a\x0f\x0a\x02v1\x12\x09ConfigMap\x12\x0a".to_vec();
    body.extend_from_slice(b"\x0a\x05\x0a\x03bad\xb8\x06\x01");
    let reply = runtime.block_on(server.raw(
        Method::POST,
        "/api/v1/namespaces/default/configmaps",
        &[("content-type", "application/vnd.kubernetes.protobuf")],
        body,
    ));
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(
        reply.json()["message"],
        "the object provided is unrecognized (must be of type ConfigMap): field number 103 of \
         protobuf message k8s.io.api.core.v1.ConfigMap is not known to this server"
    );
    let reply = runtime.block_on(server.get("/api/v1/namespaces/default/configmaps/bad"));
    assert_eq!(reply.status, 404);

    // A kind without protobuf tables: 415, listing what it can be sent as.
    let job = b"k8s\0\x0a\x0f\x0a\x08batch/v1\x12\x03Job\x12\x00".to_vec();
    let reply = runtime.block_on(server.raw(
        Method::PUT,
        "/apis/apps/v1/namespaces/default/deployments/web/scale",
        &[("content-type", "application/vnd.kubernetes.protobuf")],
        job,
    ));
    assert_eq!(reply.status, 415, "{}", reply.text());
    assert_eq!(
        reply.json()["message"],
        "the body of the request was in an unknown format - accepted media types include: \
         application/json, application/yaml"
    );
}
