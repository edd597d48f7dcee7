//! Typed and dynamic access against a real apiserver in this process (embedded store, loopback).

use api_types::api::core::v1::{Pod, Service};
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, ListOptions, PatchOptions, PatchType, UpdateOptions,
    WatchEventType,
};
use client::{Api, ApiResource, Client, Config, DeleteOutcome};
use kube_apiserver::testing::InProcessApiServer;
use serde_json::{Value, json};
use std::time::Duration;

const STEP: Duration = Duration::from_secs(20);

async fn cluster() -> (InProcessApiServer, Client, tempfile::TempDir) {
    let directory = tempfile::tempdir().unwrap();
    let server = InProcessApiServer::start(directory.path(), &[]).await.expect("apiserver starts");
    let client = Client::new(Config::for_server(&server.url()).unwrap()).unwrap();
    (server, client, directory)
}

fn pod(name: &str, app: &str) -> Pod {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": app}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]}
    }))
    .unwrap()
}

#[tokio::test]
async fn typed_verbs_round_trip_through_the_apiserver() {
    let (_server, client, _dir) = cluster().await;
    let pods: Api<Pod> = Api::default_namespaced(client.clone());
    let created = pods.create(&pod("web-1", "web"), &CreateOptions::default()).await.unwrap();
    assert_eq!(created.metadata.namespace, "default");
    assert!(!created.metadata.uid.is_empty());
    pods.create(&pod("db-1", "db"), &CreateOptions::default()).await.unwrap();

    let error = pods.create(&pod("web-1", "web"), &CreateOptions::default()).await.unwrap_err();
    assert!(error.is_already_exists(), "{error}");
    assert!(pods.get_opt("missing").await.unwrap().is_none());
    let error = pods.get("missing").await.unwrap_err();
    assert_eq!(error.to_string(), "pods \"missing\" not found");

    let selected = ListOptions { label_selector: "app=web".into(), ..Default::default() };
    let list = pods.list(&selected).await.unwrap();
    assert_eq!(list.items.iter().map(|p| p.metadata.name.as_str()).collect::<Vec<_>>(), ["web-1"]);
    assert!(!list.metadata.resource_version.is_empty());
    let everywhere: Api<Pod> = Api::all(client.clone());
    assert_eq!(everywhere.list(&ListOptions::default()).await.unwrap().items.len(), 2);

    // Optimistic concurrency: a stale resourceVersion is a Conflict.
    let mut fresh = pods.get("web-1").await.unwrap();
    fresh.metadata.labels.insert("tier".into(), "front".into());
    let updated = pods.replace("web-1", &fresh, &UpdateOptions::default()).await.unwrap();
    assert_eq!(updated.metadata.labels["tier"], "front");
    let error = pods.replace("web-1", &fresh, &UpdateOptions::default()).await.unwrap_err();
    assert!(error.is_conflict(), "{error}");

    let merge = json!({"metadata": {"labels": {"tier": null, "patched": "yes"}}});
    let patched =
        pods.patch("web-1", PatchType::Merge, &merge, &PatchOptions::default()).await.unwrap();
    assert_eq!(patched.metadata.labels.get("patched").map(String::as_str), Some("yes"));
    assert!(!patched.metadata.labels.contains_key("tier"));
    let status = json!({"status": {"phase": "Running", "podIP": "10.1.0.7"}});
    let running = pods
        .patch_status("web-1", PatchType::StrategicMerge, &status, &PatchOptions::default())
        .await
        .unwrap();
    assert_eq!(running.status.pod_ip, "10.1.0.7");

    let invalid = pod("Bad_Name", "web");
    let error = pods.create(&invalid, &CreateOptions::default()).await.unwrap_err();
    assert!(error.is_invalid(), "{error}");

    let now = DeleteOptions { grace_period_seconds: Some(0), ..Default::default() };
    let outcome = pods.delete("db-1", &now).await.unwrap();
    assert!(matches!(outcome, DeleteOutcome::Object(_) | DeleteOutcome::Status(_)));
    assert!(pods.get_opt("db-1").await.unwrap().is_none());
}

#[tokio::test]
async fn dynamic_access_and_watches() {
    let (_server, client, _dir) = cluster().await;
    let services = Api::dynamic(client.clone(), ApiResource::of::<Service>(), Some("default"));
    // The bootstrap `kubernetes` service is there, read without a type.
    let kubernetes = services.get("kubernetes").await.unwrap();
    assert_eq!(kubernetes["spec"]["ports"][0]["port"], 443);

    let pods: Api<Pod> = Api::default_namespaced(client.clone());
    let start = pods.list(&ListOptions::default()).await.unwrap().metadata.resource_version;
    let from = ListOptions { resource_version: start, ..Default::default() };
    let mut watch = pods.watch(&from).await.unwrap();
    pods.create(&pod("w", "web"), &CreateOptions::default()).await.unwrap();
    let label = json!({"metadata": {"labels": {"seen": "true"}}});
    pods.patch("w", PatchType::Merge, &label, &PatchOptions::default()).await.unwrap();
    let now = DeleteOptions { grace_period_seconds: Some(0), ..Default::default() };
    pods.delete("w", &now).await.unwrap();

    // The delete first marks the pod (deletionTimestamp, a MODIFIED event), then removes it.
    let mut seen = Vec::new();
    while seen.last() != Some(&WatchEventType::Deleted) {
        let event = tokio::time::timeout(STEP, watch.next()).await.unwrap().unwrap().unwrap();
        assert_eq!(event.object.metadata.name, "w");
        seen.push(event.type_);
    }
    assert_eq!(seen[..2], [WatchEventType::Added, WatchEventType::Modified]);
    assert!(
        seen[2..]
            .iter()
            .all(|kind| matches!(kind, WatchEventType::Modified | WatchEventType::Deleted))
    );

    let raw: Value = client.request(hyper::Method::GET, "/version", None).await.unwrap();
    assert!(raw.get("gitVersion").is_some(), "{raw}");
}

#[tokio::test]
async fn an_unreachable_server_is_a_transient_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::new(Config::for_server(&address.to_string()).unwrap()).unwrap();
    let pods: Api<Pod> = Api::default_namespaced(client);
    let error = pods.get("x").await.unwrap_err();
    assert!(error.is_transient(), "{error}");
    assert!(error.to_string().contains(&address.to_string()), "{error}");
}
