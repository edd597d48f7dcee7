//! The HTTP layer through a real server on loopback: verbs, statuses, content negotiation,
//! limits (413, 429, 504), watch streaming, metrics and HTTPS.

mod api_server;

use api_server::{Reply, STEP, TestServer, connect};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request};
use rustls::pki_types::pem::PemObject;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const KUBECTL_GET: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

fn config_map(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"mode": "fast"}})
}

async fn create_namespace(server: &TestServer, name: &str) {
    let namespace = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}});
    let reply = server.post("/api/v1/namespaces", &namespace).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
}

/// Opens a request whose body never finishes, holding its in-flight slot until dropped.
async fn stalled_post(server: &TestServer, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.flush().await.unwrap();
    stream
}

#[tokio::test]
async fn verbs_statuses_and_tables() {
    let server = TestServer::start(&[]).await;
    create_namespace(&server, "default").await;
    let collection = "/api/v1/namespaces/default/configmaps";

    let created = server.post(collection, &config_map("settings")).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.header("content-type"), Some("application/json"));
    let object = created.json();
    assert_eq!(object["metadata"]["namespace"], "default");
    assert!(!object["metadata"]["resourceVersion"].as_str().unwrap().is_empty());

    let again = server.post(collection, &config_map("settings")).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.json()["reason"], "AlreadyExists");

    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n";
    let request = Request::post(collection)
        .header("host", "test")
        .header("content-type", "application/yaml")
        .body(Full::new(Bytes::from(yaml)))
        .unwrap();
    let reply = Reply::read(server.send(request).await).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.json()["data"]["a"], "b");

    let got = server.get(&format!("{collection}/settings")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json()["data"]["mode"], "fast");

    let list = server.get(collection).await;
    assert_eq!(list.json()["kind"], "ConfigMapList");
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 2);
    let everywhere = server.get("/api/v1/configmaps").await;
    assert_eq!(everywhere.json()["items"].as_array().unwrap().len(), 2);

    let table = server.call(Method::GET, collection, &[("accept", KUBECTL_GET)], None).await.json();
    assert_eq!(table["kind"], "Table");
    assert_eq!(table["apiVersion"], "meta.k8s.io/v1");
    assert_eq!(table["columnDefinitions"][0]["name"], "Name");
    assert_eq!(table["rows"].as_array().unwrap().len(), 2);
    assert_eq!(table["rows"][0]["object"]["kind"], "PartialObjectMetadata");
    let one = server
        .call(
            Method::GET,
            &format!("{collection}/settings?includeObject=Object"),
            &[("accept", KUBECTL_GET)],
            None,
        )
        .await
        .json();
    assert_eq!(one["rows"][0]["cells"][0], "settings");
    assert_eq!(one["rows"][0]["object"]["kind"], "ConfigMap");
    let partial = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
    let metadata_only =
        server.call(Method::GET, collection, &[("accept", partial)], None).await.json();
    assert_eq!(metadata_only["kind"], "PartialObjectMetadataList");
    assert!(metadata_only["items"][0].get("data").is_none());
    let protobuf_only = server
        .call(Method::GET, collection, &[("accept", "application/vnd.kubernetes.protobuf")], None)
        .await;
    assert_eq!(protobuf_only.status, 200);
    assert_eq!(protobuf_only.header("content-type"), Some("application/vnd.kubernetes.protobuf"));
    let protobuf_watch = "application/vnd.kubernetes.protobuf;stream=watch";
    let watch_path = format!("{collection}?watch=true&timeoutSeconds=1");
    let protobuf_watch =
        server.call(Method::GET, &watch_path, &[("accept", protobuf_watch)], None).await;
    assert_eq!(protobuf_watch.status, 406, "watch streams are JSON only");

    let mut update = got.json();
    update["data"]["mode"] = json!("slow");
    let updated =
        server.call(Method::PUT, &format!("{collection}/settings"), &[], Some(&update)).await;
    assert_eq!(updated.status, 200, "{}", updated.text());
    assert_eq!(updated.json()["data"]["mode"], "slow");
    let renamed =
        server.call(Method::PUT, &format!("{collection}/other"), &[], Some(&update)).await;
    assert_eq!(renamed.status, 400);
    assert_eq!(
        renamed.json()["message"],
        "the name of the object (settings) does not match the name on the URL (other)"
    );

    let patch = Request::patch(format!("{collection}/settings"))
        .header("host", "test")
        .header("content-type", "application/merge-patch+json")
        .body(Full::new(Bytes::from_static(br#"{"data":{"extra":"1"}}"#)))
        .unwrap();
    let patched = Reply::read(server.send(patch).await).await;
    assert_eq!(patched.status, 200, "{}", patched.text());
    assert_eq!(patched.json()["data"]["extra"], "1");
    let unknown_patch =
        server.call(Method::PATCH, &format!("{collection}/settings"), &[], Some(&json!({}))).await;
    assert_eq!(unknown_patch.status, 415);

    let deleted = server.call(Method::DELETE, &format!("{collection}/settings"), &[], None).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text());
    let missing = server.get(&format!("{collection}/settings")).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["message"], "configmaps \"settings\" not found");
    assert_eq!(missing.json()["details"], json!({"name": "settings", "kind": "configmaps"}));

    let wrong_method = server.call(Method::PUT, collection, &[], Some(&config_map("x"))).await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.header("allow"), Some("GET, HEAD, POST, DELETE"));
    for path in ["/api/v1/foos", "/api/v1/namespaces/default/configmaps/a/b/c", "/nothing"] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.json()["message"],
            "the server could not find the requested resource",
            "{path}"
        );
    }
    // Proxy paths reach the proxy, which looks for the node.
    let proxied = server.get("/api/v1/proxy/nodes/n1/stats").await;
    assert_eq!(
        (proxied.status, proxied.json()["message"].clone()),
        (404, json!("nodes \"n1\" not found"))
    );
    let bad_limit = server.get(&format!("{collection}?limit=ten")).await;
    assert_eq!(bad_limit.status, 400);
    assert!(
        bad_limit.json()["message"].as_str().unwrap().contains("\"limit\""),
        "{}",
        bad_limit.text()
    );

    server.stop().await;
}

#[tokio::test]
async fn head_options_root_and_pretty_output() {
    let server = TestServer::start(&[]).await;
    create_namespace(&server, "default").await;
    let head = server.call(Method::HEAD, "/api/v1/namespaces/default", &[], None).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.header("content-length").unwrap().parse::<u64>().unwrap() > 0);

    let options =
        server.call(Method::OPTIONS, "/api/v1/namespaces/default/pods/x", &[], None).await;
    assert_eq!(options.status, 204);
    assert_eq!(options.header("allow"), Some("GET, HEAD, PUT, PATCH, DELETE"));

    let root = server.get("/").await.json();
    let paths: Vec<&str> =
        root["paths"].as_array().unwrap().iter().map(|path| path.as_str().unwrap()).collect();
    assert!(paths.contains(&"/api/v1") && paths.contains(&"/apis/apps/v1"), "{paths:?}");

    let curl = server
        .call(Method::GET, "/api/v1/namespaces/default", &[("user-agent", "curl/8.5.0")], None)
        .await;
    assert!(curl.text().starts_with("{\n  \""), "{}", curl.text());
    server.stop().await;
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let server = TestServer::start(&[]).await;
    let mut big = config_map("big");
    big["data"]["blob"] = json!("x".repeat(kube_apiserver::server::MAX_REQUEST_BODY_BYTES));
    let reply = server.post("/api/v1/namespaces/default/configmaps", &big).await;
    assert_eq!(reply.status, 413);
    let status = reply.json();
    assert_eq!(status["reason"], "RequestEntityTooLarge");
    assert_eq!(status["message"], "Request entity too large: limit is 3145728");
    server.stop().await;
}

#[tokio::test]
async fn a_saturated_server_refuses_with_429_but_still_serves_watches_and_reads() {
    let server =
        TestServer::start(&["--max-mutating-requests-inflight=1", "--max-requests-inflight=1"])
            .await;
    let collection = "/api/v1/namespaces/default/configmaps";
    let stalled = stalled_post(&server, collection).await;
    // Give the server the moment it needs to take the slot.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let refused = server.post(collection, &config_map("second")).await;
    assert_eq!(refused.status, 429, "{}", refused.text());
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(refused.json()["message"], "Too many requests, please try again later.");

    // Reads have their own pool; watches count against neither.
    assert_eq!(server.get(collection).await.status, 200);
    let watch = server.get(&format!("{collection}?watch=true&timeoutSeconds=1")).await;
    assert_eq!(watch.status, 200);

    drop(stalled);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.post(collection, &config_map("third")).await.status, 201);
    server.stop().await;
}

#[tokio::test]
async fn requests_past_the_timeout_get_504() {
    let server = TestServer::start(&["--request-timeout=2s"]).await;
    let collection = "/api/v1/namespaces/default/configmaps";
    // A body that starts but never finishes keeps the handler waiting past the deadline.
    let started = std::time::Instant::now();
    let mut stalled = stalled_post(&server, collection).await;
    let (status, body) = raw_reply(&mut stalled).await;
    assert_eq!(status, 504);
    assert_eq!(body["reason"], "Timeout");
    assert_eq!(
        body["message"],
        "Timeout: request did not complete within requested timeout - context deadline exceeded"
    );
    assert!(started.elapsed() >= Duration::from_millis(1900), "{:?}", started.elapsed());

    // The client may ask for less time than the server allows.
    let started = std::time::Instant::now();
    let mut stalled = stalled_post(&server, &format!("{collection}?timeout=300ms")).await;
    assert_eq!(raw_reply(&mut stalled).await.0, 504);
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
    server.stop().await;
}

/// Reads one HTTP/1.1 response with a `Content-Length` body from a raw connection.
async fn raw_reply(stream: &mut TcpStream) -> (u16, Value) {
    let read = async {
        let mut raw = Vec::new();
        loop {
            let mut chunk = [0u8; 4096];
            let count = stream.read(&mut chunk).await.unwrap();
            assert!(count > 0, "connection closed early: {}", String::from_utf8_lossy(&raw));
            raw.extend_from_slice(&chunk[..count]);
            let text = String::from_utf8_lossy(&raw).into_owned();
            let Some((head, body)) = text.split_once("\r\n\r\n") else { continue };
            let length: usize = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .expect("a content length");
            if body.len() >= length {
                let status = head.split(' ').nth(1).unwrap().parse().unwrap();
                return (status, serde_json::from_str(&body[..length]).unwrap());
            }
        }
    };
    tokio::time::timeout(STEP, read).await.expect("a reply in time")
}

#[tokio::test]
async fn watches_stream_events_as_they_happen_and_end_on_time() {
    let server = TestServer::start(&[]).await;
    create_namespace(&server, "default").await;
    let collection = "/api/v1/namespaces/default/configmaps";
    let mut sender = connect(server.address).await;
    let request = Request::get(format!("{collection}?watch=true&timeoutSeconds=3"))
        .header("host", "test")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let mut body = response.into_body();

    let started = std::time::Instant::now();
    assert_eq!(server.post(collection, &config_map("watched")).await.status, 201);
    let frame = tokio::time::timeout(STEP, body.frame()).await.unwrap().unwrap().unwrap();
    let line = frame.into_data().unwrap();
    assert_eq!(line.last(), Some(&b'\n'), "one event per line");
    let event: Value = serde_json::from_slice(&line).unwrap();
    assert_eq!(event["type"], "ADDED");
    assert_eq!(event["object"]["metadata"]["name"], "watched");

    let deleted = server.call(Method::DELETE, &format!("{collection}/watched"), &[], None).await;
    assert_eq!(deleted.status, 200);
    let frame = tokio::time::timeout(STEP, body.frame()).await.unwrap().unwrap().unwrap();
    let event: Value = serde_json::from_slice(&frame.into_data().unwrap()).unwrap();
    assert_eq!(event["type"], "DELETED");

    // timeoutSeconds ends the stream.
    let end = tokio::time::timeout(STEP, body.frame()).await.unwrap();
    assert!(end.is_none(), "{end:?}");
    assert!(started.elapsed() >= Duration::from_secs(2), "{:?}", started.elapsed());
    server.stop().await;
}

#[tokio::test]
async fn table_watches_and_the_legacy_watch_path() {
    let server = TestServer::start(&[]).await;
    create_namespace(&server, "default").await;
    let mut sender = connect(server.address).await;
    let request =
        Request::get("/api/v1/watch/namespaces/default/configmaps/second?timeoutSeconds=5")
            .header("host", "test")
            .header("accept", KUBECTL_GET)
            .body(Full::new(Bytes::new()))
            .unwrap();
    let mut body = sender.send_request(request).await.unwrap().into_body();
    let collection = "/api/v1/namespaces/default/configmaps";
    assert_eq!(server.post(collection, &config_map("first")).await.status, 201);
    assert_eq!(server.post(collection, &config_map("second")).await.status, 201);
    let mut update = server.get(&format!("{collection}/second")).await.json();
    update["data"]["mode"] = json!("slow");
    assert_eq!(
        server.call(Method::PUT, &format!("{collection}/second"), &[], Some(&update)).await.status,
        200
    );

    let mut events = Vec::new();
    for _ in 0..2 {
        let frame = tokio::time::timeout(STEP, body.frame()).await.unwrap().unwrap().unwrap();
        events.push(serde_json::from_slice::<Value>(&frame.into_data().unwrap()).unwrap());
    }
    assert_eq!(events[0]["type"], "ADDED");
    assert_eq!(events[0]["object"]["kind"], "Table");
    assert_eq!(events[0]["object"]["rows"][0]["cells"][0], "second", "only the named object");
    assert_eq!(events[0]["object"]["columnDefinitions"][0]["name"], "Name");
    assert_eq!(events[1]["type"], "MODIFIED");
    assert!(events[1]["object"]["columnDefinitions"].as_array().is_none_or(Vec::is_empty));
    server.stop().await;
}

#[tokio::test]
async fn health_and_request_metrics() {
    let server = TestServer::start(&[]).await;
    for path in ["/healthz", "/livez", "/readyz"] {
        let reply = server.get(path).await;
        assert_eq!((reply.status, reply.text().as_str()), (200, "ok"), "{path}");
    }
    assert_eq!(server.get("/version").await.json()["compiler"], "rustc");
    assert_eq!(server.get("/api/v1/namespaces").await.status, 200);
    let metrics = server.get("/metrics").await.text();
    assert!(
        metrics.contains(r#"apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="namespaces",scope="cluster",subresource="",verb="LIST",version="v1"} 1"#),
        "{metrics}"
    );
    assert!(metrics.contains("apiserver_request_duration_seconds_bucket"), "{metrics}");
    server.stop().await;
}

#[tokio::test]
async fn https_with_a_generated_certificate_offers_http2() {
    let server = TestServer::start_secure(&[]).await;
    let certificate = server.directory.path().join("certs/apiserver.crt");
    let pem = std::fs::read(&certificate).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for der in rustls::pki_types::CertificateDer::pem_slice_iter(&pem) {
        roots.add(der.unwrap()).unwrap();
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config.clone()));
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();

    let stream = TcpStream::connect(server.secure_address.unwrap()).await.unwrap();
    let tls = connector
        .connect(name.clone(), stream)
        .await
        .expect("the generated CA verifies the server");
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));

    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
    let stream = TcpStream::connect(server.secure_address.unwrap()).await.unwrap();
    let tls = connector.connect(name, stream).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls)).await.unwrap();
    tokio::spawn(connection);
    let request =
        Request::get("/healthz").header("host", "localhost").body(Full::new(Bytes::new())).unwrap();
    let reply = Reply::read(sender.send_request(request).await.unwrap()).await;
    assert_eq!((reply.status, reply.text().as_str()), (200, "ok"));
    server.stop().await;
}

/// The `Warning` headers of a reply, in order.
fn warnings(reply: &Reply) -> Vec<String> {
    reply.headers.get_all("warning").iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn field_validation_warns_by_default_and_ignores_on_request() {
    let server = TestServer::start(&[]).await;
    create_namespace(&server, "fields").await;
    let path = "/api/v1/namespaces/fields/configmaps";
    let mut body = config_map("warned");
    body["spec"] = json!({"foo": 1});

    // No directive is upstream's Warn: stored without the field, one header per field.
    let created = server.post(path, &body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(warnings(&created), [r#"299 - "unknown field \"spec\"""#]);
    assert!(created.json().get("spec").is_none());
    let stored = server.get(&format!("{path}/warned")).await.json();
    assert!(stored.get("spec").is_none(), "{stored}");

    // Ignore: silent.
    body["metadata"]["name"] = json!("ignored");
    let ignored = server
        .call(Method::POST, &format!("{path}?fieldValidation=Ignore"), &[], Some(&body))
        .await;
    assert_eq!(ignored.status, 201, "{}", ignored.text());
    assert!(warnings(&ignored).is_empty());

    // A merge patch is judged on the patched object, a strategic one too.
    let patched = server
        .call(
            Method::PATCH,
            &format!("{path}/warned"),
            &[("content-type", "application/merge-patch+json")],
            Some(&json!({"data": {"mode": "slow"}, "extra": true})),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text());
    assert_eq!(warnings(&patched), [r#"299 - "unknown field \"extra\"""#]);
    assert_eq!(patched.json()["data"]["mode"], "slow");

    // PUT with a duplicate field: warned, the last value kept.
    let current = server.get(&format!("{path}/warned")).await.json();
    let text = current.to_string();
    let duplicated = text.replacen("\"data\":", "\"data\":{\"mode\":\"first\"},\"data\":", 1);
    let request = Request::builder()
        .method(Method::PUT)
        .uri(format!("{path}/warned"))
        .header("host", "test")
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(duplicated)))
        .unwrap();
    let replaced = Reply::read(server.send(request).await).await;
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    assert_eq!(warnings(&replaced), [r#"299 - "duplicate field \"data\"""#]);
    assert_eq!(replaced.json()["data"]["mode"], "slow");
}
