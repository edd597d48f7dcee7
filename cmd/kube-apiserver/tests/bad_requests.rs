//! Malformed and refused requests against the real binary, table-driven: each case checks the
//! HTTP status, the Status `reason` (and a message fragment where upstream's wording is
//! distinctive), and that the store did not change (every list, and the store's revision, read
//! before and after).

mod api_server;
mod real_server;

use hyper::Method;
use real_server::{Backend, RealServer};
use serde_json::{Value, json};

const PODS: &str = "/api/v1/namespaces/default/pods";
const POD: &str = "/api/v1/namespaces/default/pods/existing";
const CONFIG_MAPS: &str = "/api/v1/namespaces/default/configmaps";
const CONFIG_MAP: &str = "/api/v1/namespaces/default/configmaps/existing";
const SERVICES: &str = "/api/v1/namespaces/default/services";
const RCS: &str = "/api/v1/namespaces/default/replicationcontrollers";
const DEPLOYMENTS: &str = "/apis/apps/v1/namespaces/default/deployments";

/// The lists whose contents must not change.
const WATCHED_LISTS: [&str; 6] =
    [PODS, CONFIG_MAPS, SERVICES, RCS, DEPLOYMENTS, "/api/v1/namespaces"];

const JSON: &str = "application/json";
const MERGE: &str = "application/merge-patch+json";
const STRATEGIC: &str = "application/strategic-merge-patch+json";
const JSON_PATCH: &str = "application/json-patch+json";

/// Bodies larger than this are sent over a plain socket (see `real_server::send_unread`).
const OVERSIZE_THRESHOLD: usize = 1024 * 1024;

/// One refused request and what upstream answers.
struct Case {
    name: &'static str,
    method: Method,
    path: String,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    status: u16,
    reason: &'static str,
    message: Option<&'static str>,
}

fn case(name: &'static str, method: Method, path: impl Into<String>) -> Case {
    Case {
        name,
        method,
        path: path.into(),
        content_type: None,
        body: Vec::new(),
        status: 0,
        reason: "",
        message: None,
    }
}

impl Case {
    fn json(mut self, body: Value) -> Self {
        self.content_type = Some(JSON);
        self.body = serde_json::to_vec(&body).unwrap();
        self
    }

    fn raw(mut self, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        self.content_type = Some(content_type);
        self.body = body.into();
        self
    }

    fn patch(self, content_type: &'static str, body: Value) -> Self {
        self.raw(content_type, serde_json::to_vec(&body).unwrap())
    }

    fn expect(mut self, status: u16, reason: &'static str) -> Self {
        self.status = status;
        self.reason = reason;
        self
    }

    fn saying(mut self, fragment: &'static str) -> Self {
        self.message = Some(fragment);
        self
    }
}

fn pod(name: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "web", "image": "nginx"}]},
    })
}

/// A pod named `fresh` with `change` applied to it.
fn pod_with(change: impl FnOnce(&mut Value)) -> Value {
    let mut pod = pod("fresh");
    change(&mut pod);
    pod
}

fn rc(selector: Value, labels: Value, replicas: i64) -> Value {
    json!({
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": "fresh"},
        "spec": {
            "replicas": replicas, "selector": selector,
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "web", "image": "nginx"}]},
            },
        },
    })
}

fn service(ports: Value) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "fresh"},
        "spec": {"selector": {"app": "web"}, "ports": ports},
    })
}

fn cases(existing_pod: &Value) -> Vec<Case> {
    use Method as M;
    let stale = {
        let mut pod = existing_pod.clone();
        pod["metadata"]["resourceVersion"] = json!("1");
        pod["metadata"]["labels"] = json!({"changed": "yes"});
        pod
    };
    let renamed = {
        let mut pod = existing_pod.clone();
        pod["metadata"]["name"] = json!("other");
        pod
    };
    let long_name = "a".repeat(254);
    vec![
        // Bodies that are not an object of the right type.
        case("bad JSON", M::POST, PODS).raw(JSON, "{\"apiVersion\": \"v1\", ").expect(400, "BadRequest"),
        case("JSON array", M::POST, PODS).raw(JSON, "[1, 2, 3]").expect(400, "BadRequest"),
        case("JSON string", M::POST, PODS).raw(JSON, "\"a pod\"").expect(400, "BadRequest"),
        case("JSON number", M::POST, PODS).raw(JSON, "42").expect(400, "BadRequest"),
        case("empty body", M::POST, PODS).raw(JSON, "").expect(400, "BadRequest"),
        case("wrong kind", M::POST, PODS)
            .json(json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "fresh"}}))
            .expect(400, "BadRequest"),
        case("wrong apiVersion", M::POST, PODS)
            .json(pod_with(|pod| pod["apiVersion"] = json!("apps/v1")))
            .expect(400, "BadRequest"),
        case("unknown apiVersion", M::POST, PODS)
            .json(pod_with(|pod| pod["apiVersion"] = json!("v7")))
            .expect(400, "BadRequest"),
        case("field of the wrong type", M::POST, PODS)
            .json(pod_with(|pod| pod["spec"]["containers"] = json!("web")))
            .expect(400, "BadRequest"),
        case("namespace mismatch", M::POST, PODS)
            .json(pod_with(|pod| pod["metadata"]["namespace"] = json!("elsewhere")))
            .expect(400, "BadRequest")
            .saying("does not match the namespace"),
        // Invalid objects.
        case("name with capitals", M::POST, PODS)
            .json(pod("Capital"))
            .expect(422, "Invalid")
            .saying("a lowercase RFC 1123 subdomain"),
        case("name with underscore", M::POST, PODS)
            .json(pod("under_score"))
            .expect(422, "Invalid")
            .saying("a lowercase RFC 1123 subdomain"),
        case("name too long", M::POST, PODS)
            .json(pod(&long_name))
            .expect(422, "Invalid")
            .saying("must be no more than 253 characters"),
        case("service name not a DNS label", M::POST, SERVICES)
            .json({
                let mut svc = service(json!([{"port": 80}]));
                svc["metadata"]["name"] = json!("dotted.name");
                svc
            })
            .expect(422, "Invalid")
            .saying("a DNS-1035 label must consist of"),
        case("no name", M::POST, PODS)
            .json(pod_with(|pod| pod["metadata"] = json!({})))
            .expect(422, "Invalid")
            .saying("name or generateName is required"),
        case("no containers", M::POST, PODS)
            .json(pod_with(|pod| pod["spec"]["containers"] = json!([])))
            .expect(422, "Invalid")
            .saying("spec.containers: Required value"),
        case("no image", M::POST, PODS)
            .json(pod_with(|pod| pod["spec"]["containers"][0]["image"] = json!("")))
            .expect(422, "Invalid")
            .saying("spec.containers[0].image: Required value"),
        case("duplicate container names", M::POST, PODS)
            .json(pod_with(|pod| {
                pod["spec"]["containers"] = json!([
                    {"name": "web", "image": "nginx"},
                    {"name": "web", "image": "redis"},
                ])
            }))
            .expect(422, "Invalid")
            .saying("Duplicate value"),
        case("container name with capitals", M::POST, PODS)
            .json(pod_with(|pod| pod["spec"]["containers"][0]["name"] = json!("Web")))
            .expect(422, "Invalid"),
        case("container port 0", M::POST, PODS)
            .json(pod_with(|pod| {
                pod["spec"]["containers"][0]["ports"] = json!([{"containerPort": 0}])
            }))
            .expect(422, "Invalid"),
        case("container port too high", M::POST, PODS)
            .json(pod_with(|pod| {
                pod["spec"]["containers"][0]["ports"] = json!([{"containerPort": 70000}])
            }))
            .expect(422, "Invalid")
            .saying("must be between 1 and 65535, inclusive"),
        case("bad restart policy", M::POST, PODS)
            .json(pod_with(|pod| pod["spec"]["restartPolicy"] = json!("Sometimes")))
            .expect(422, "Invalid")
            .saying("Unsupported value"),
        case("bad label value", M::POST, PODS)
            .json(pod_with(|pod| pod["metadata"]["labels"] = json!({"app": "not valid!"})))
            .expect(422, "Invalid"),
        case("bad label key", M::POST, PODS)
            .json(pod_with(|pod| pod["metadata"]["labels"] = json!({"-app": "web"})))
            .expect(422, "Invalid"),
        case("bad resource quantity", M::POST, PODS)
            .json(pod_with(|pod| {
                pod["spec"]["containers"][0]["resources"] = json!({"limits": {"cpu": "lots"}})
            }))
            .expect(400, "BadRequest"),
        case("service port 0", M::POST, SERVICES)
            .json(service(json!([{"port": 0}])))
            .expect(422, "Invalid"),
        case("service port too high", M::POST, SERVICES)
            .json(service(json!([{"port": 65536}])))
            .expect(422, "Invalid"),
        case("service without ports", M::POST, SERVICES)
            .json(service(json!([])))
            .expect(422, "Invalid"),
        case("service bad protocol", M::POST, SERVICES)
            .json(service(json!([{"port": 80, "protocol": "ICMP"}])))
            .expect(422, "Invalid")
            .saying("Unsupported value"),
        case("rc selector not matching the template", M::POST, RCS)
            .json(rc(json!({"app": "web"}), json!({"app": "db"}), 1))
            .expect(422, "Invalid"),
        case("rc negative replicas", M::POST, RCS)
            .json(rc(json!({"app": "web"}), json!({"app": "web"}), -1))
            .expect(422, "Invalid"),
        case("already exists", M::POST, PODS)
            .json(pod("existing"))
            .expect(409, "AlreadyExists")
            .saying("pods \"existing\" already exists"),
        // Bad query parameters.
        case("bad label selector", M::GET, format!("{PODS}?labelSelector=a%20in%20b"))
            .expect(400, "BadRequest"),
        case("bad label selector operator", M::GET, format!("{PODS}?labelSelector=a%3D%3D%3Db"))
            .expect(400, "BadRequest"),
        case("unknown field selector field", M::GET, format!("{PODS}?fieldSelector=spec.color%3Dred"))
            .expect(400, "BadRequest")
            .saying("field label not supported: spec.color"),
        case("empty field selector term", M::GET, format!("{PODS}?fieldSelector=%3D%3D"))
            .expect(400, "BadRequest")
            .saying("field label not supported: "),
        // Upstream prints the rune's number.
        case("field selector value with a bare =", M::GET, format!("{PODS}?fieldSelector=%3D%3D%3Dx"))
            .expect(400, "BadRequest")
            .saying("invalid field selector: unescaped character in value: 61"),
        case("unparsable resourceVersion on list", M::GET, format!("{PODS}?resourceVersion=abc"))
            .expect(400, "BadRequest")
            .saying(r#"invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax"#),
        case("unparsable resourceVersion on watch", M::GET, format!("{PODS}?watch=true&resourceVersion=1x"))
            .expect(400, "BadRequest")
            .saying("invalid resource version: "),
        case("unparsable resourceVersion on get", M::GET, format!("{POD}?resourceVersion=-1"))
            .expect(400, "BadRequest")
            .saying("invalid resource version: "),
        case("non-numeric limit", M::GET, format!("{PODS}?limit=many")).expect(400, "BadRequest"),
        case("bad continue token", M::GET, format!("{PODS}?limit=1&continue=not-a-token"))
            .expect(400, "BadRequest"),
        case("bad timeoutSeconds", M::GET, format!("{PODS}?timeoutSeconds=soon"))
            .expect(400, "BadRequest"),
        case(
            "deletecollection with a bad selector",
            M::DELETE,
            format!("{CONFIG_MAPS}?labelSelector=a%20in%20b"),
        )
        .expect(400, "BadRequest"),
        // Updates.
        case("stale resourceVersion on PUT", M::PUT, POD)
            .json(stale)
            .expect(409, "Conflict")
            .saying("the object has been modified"),
        case("PUT with a name mismatch", M::PUT, POD)
            .json(renamed)
            .expect(400, "BadRequest")
            .saying("does not match the name on the URL"),
        case("PUT of bad JSON", M::PUT, POD).raw(JSON, "{").expect(400, "BadRequest"),
        case("PUT of a missing pod", M::PUT, format!("{PODS}/missing"))
            .json(pod("missing"))
            .expect(404, "NotFound"),
        // Patches.
        case("patch with a bad content type", M::PATCH, POD)
            .raw("text/plain", "{}")
            .expect(415, "UnsupportedMediaType"),
        case("patch without a content type", M::PATCH, POD)
            .raw("", "{}")
            .expect(415, "UnsupportedMediaType"),
        case("malformed JSON patch", M::PATCH, POD)
            .raw(JSON_PATCH, "[{\"op\": ")
            .expect(400, "BadRequest"),
        case("JSON patch that is not a list", M::PATCH, POD)
            .patch(JSON_PATCH, json!({"op": "add"}))
            .expect(400, "BadRequest"),
        case("JSON patch test failure", M::PATCH, POD)
            .patch(JSON_PATCH, json!([{"op": "test", "path": "/metadata/name", "value": "other"}]))
            .expect(422, "Invalid"),
        case("strict merge patch with an unknown field", M::PATCH, format!("{POD}?fieldValidation=Strict"))
            .patch(MERGE, json!({"spec": {"foo": 1}}))
            .expect(422, "Invalid")
            .saying(r#"strict decoding error: unknown field "spec.foo""#),
        case("strict strategic patch with an unknown field", M::PATCH, format!("{POD}?fieldValidation=Strict"))
            .patch(STRATEGIC, json!({"spec": {"containers": [{"name": "web", "imagee": "x"}]}}))
            .expect(422, "Invalid")
            .saying(r#"unknown field "spec.containers[0].imagee""#),
        case("strict create with a duplicate field", M::POST, format!("{PODS}?fieldValidation=Strict"))
            .raw(JSON, r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"fresh","name":"fresh"},"spec":{"containers":[{"name":"web","image":"nginx"}]}}"#)
            .expect(400, "BadRequest")
            .saying(r#"strict decoding error: duplicate field "metadata.name""#),
        case("unsupported fieldValidation", M::POST, format!("{PODS}?fieldValidation=Loud"))
            .json(pod("fresh"))
            .expect(422, "Invalid")
            .saying(r#"fieldValidation: Unsupported value: "Loud""#),
        case("malformed merge patch", M::PATCH, POD).raw(MERGE, "{").expect(400, "BadRequest"),
        case("strategic patch of a missing object", M::PATCH, format!("{PODS}/missing"))
            .patch(STRATEGIC, json!({"metadata": {"labels": {"a": "b"}}}))
            .expect(404, "NotFound")
            .saying("pods \"missing\" not found"),
        case("patch making the object invalid", M::PATCH, POD)
            .patch(MERGE, json!({"spec": {"containers": []}}))
            .expect(422, "Invalid"),
        // Deletes.
        case("delete with a uid precondition mismatch", M::DELETE, CONFIG_MAP)
            .json(json!({"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"uid": "not-the-uid"}}))
            .expect(409, "Conflict")
            .saying("the UID in the precondition (not-the-uid) does not match the UID in record"),
        case("delete with a resourceVersion precondition mismatch", M::DELETE, CONFIG_MAP)
            .json(json!({"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"resourceVersion": "1"}}))
            .expect(409, "Conflict"),
        case("delete of a missing object", M::DELETE, format!("{PODS}/missing"))
            .expect(404, "NotFound"),
        // Transport and routing.
        case("oversize body", M::POST, CONFIG_MAPS)
            .raw(JSON, vec![b' '; 4 * 1024 * 1024])
            .expect(413, "RequestEntityTooLarge"),
        case("unknown method", Method::from_bytes(b"FROB").unwrap(), POD)
            .expect(405, "MethodNotAllowed"),
        case("POST to a named object", M::POST, POD).json(pod("existing")).expect(405, "MethodNotAllowed"),
        case("unknown resource", M::GET, "/api/v1/namespaces/default/widgets")
            .expect(404, "NotFound"),
        case("unknown group", M::GET, "/apis/widgets.example.com/v1/widgets").expect(404, "NotFound"),
        case("unknown version", M::GET, "/apis/apps/v7/deployments").expect(404, "NotFound"),
        case("missing object", M::GET, format!("{PODS}/missing"))
            .expect(404, "NotFound")
            .saying("pods \"missing\" not found"),
    ]
}

/// What a list shows: each item's name and revision. The store's own revision is not compared:
/// a refused Service create may reserve a cluster IP and hand it back, which writes the
/// allocator's range twice and changes no object, as upstream's etcd-backed allocator does.
async fn snapshot(server: &RealServer) -> Vec<(String, Value)> {
    let mut lists = Vec::new();
    for path in WATCHED_LISTS {
        let list = server.get(path).await;
        assert_eq!(list.status, 200, "{path}: {}", list.text());
        let list = list.json();
        let items: Vec<Value> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| json!([item["metadata"]["name"], item["metadata"]["resourceVersion"]]))
            .collect();
        lists.push((path.to_owned(), json!({"items": items})));
    }
    lists
}

async fn seed(server: &RealServer) -> Value {
    // `default` is made by the server's bootstrap.
    let config_map =
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "existing"}});
    let created = server.call(Method::POST, CONFIG_MAPS, Some(&config_map)).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let created = server.call(Method::POST, PODS, Some(&pod("existing"))).await;
    assert_eq!(created.status, 201, "{}", created.text());
    created.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_are_refused_and_change_nothing() {
    refuses_malformed_requests(Backend::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_are_refused_and_change_nothing_on_etcd() {
    refuses_malformed_requests(Backend::Etcd).await;
}

async fn refuses_malformed_requests(backend: Backend) {
    let server = RealServer::start_on(backend, &[]);
    let existing = seed(&server).await;
    let cases = cases(&existing);
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let before = snapshot(&server).await;
        let headers: Vec<(&str, &str)> =
            case.content_type.into_iter().map(|value| ("content-type", value)).collect();
        let (code, status) = if case.body.len() > OVERSIZE_THRESHOLD {
            let head = format!(
                "{} {} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\
                 content-type: {JSON}\r\ncontent-length: {}\r\n\r\n",
                case.method,
                case.path,
                case.body.len()
            );
            let address = server.address;
            let body = case.body.clone();
            tokio::task::spawn_blocking(move || real_server::send_unread(address, &head, &body))
                .await
                .unwrap()
        } else {
            let reply =
                server.raw(case.method.clone(), &case.path, &headers, case.body.clone()).await;
            (reply.status, serde_json::from_slice(&reply.body).unwrap_or(Value::Null))
        };
        let after = snapshot(&server).await;
        let mut problems = Vec::new();
        if code != case.status {
            problems.push(format!("status {code} (want {})", case.status));
        }
        if status["kind"] != "Status" || status["reason"] != case.reason {
            problems.push(format!("reason {} (want {})", status["reason"], case.reason));
        }
        if status["code"] != case.status {
            problems.push(format!("Status code {} (want {})", status["code"], case.status));
        }
        if let Some(fragment) = case.message {
            if !status["message"].as_str().unwrap_or("").contains(fragment) {
                problems.push(format!("message {} (want …{fragment}…)", status["message"]));
            }
        }
        if before != after {
            problems.push(format!("store changed: {before:?} → {after:?}"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{} ({} {}): {}",
                case.name,
                case.method,
                case.path,
                problems.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{backend:?}: {} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_create_leaves_nothing() {
    dry_run_leaves_nothing(Backend::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_create_leaves_nothing_on_etcd() {
    dry_run_leaves_nothing(Backend::Etcd).await;
}

async fn dry_run_leaves_nothing(backend: Backend) {
    let server = RealServer::start_on(backend, &[]);
    seed(&server).await;
    let before = snapshot(&server).await;
    let created = server.call(Method::POST, &format!("{PODS}?dryRun=All"), Some(&pod("dry"))).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.json()["metadata"]["name"], "dry");
    assert_eq!(snapshot(&server).await, before);
    assert_eq!(server.get(&format!("{PODS}/dry")).await.status, 404);
}
