//! The book's scheduling scenarios (E2E-11) end to end, with the events and conditions users
//! read, the process's `/healthz` and `/metrics`, and start-up refusing a bad policy.

mod support;

use api_types::api::core::v1::{Node, Pod, ReplicationController};
use api_types::meta::v1::{CreateOptions, DeleteOptions, ListOptions, PatchOptions, PatchType};
use client::Api;
use component_base::ShutdownToken;
use kube_controller_manager::controller::context::ControllerContext;
use kube_controller_manager::replication::controller::ReplicationManager;
use kube_scheduler::options::Options;
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Cluster, eventually};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_node_selector_lands_on_the_labelled_node_or_waits_for_one() {
    let cluster = Cluster::start().await;
    cluster.node("node-1", "2", "4Gi", json!({"disk": "ssd"})).await;
    cluster.node("node-2", "2", "4Gi", json!({})).await;
    cluster.node("node-3", "2", "4Gi", json!({})).await;
    cluster.schedule();
    cluster.pod("ssd", json!({}), json!({"nodeSelector": {"disk": "ssd"}})).await;
    assert_eq!(cluster.bound("ssd").await, "node-1");
    assert_eq!(
        cluster.event("ssd", "Scheduled").await,
        "Successfully assigned default/ssd to node-1"
    );

    cluster.pod("nvme", json!({}), json!({"nodeSelector": {"disk": "nvme"}})).await;
    let expected = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.";
    assert_eq!(cluster.event("nvme", "FailedScheduling").await, expected);
    let condition = cluster.scheduled_condition("nvme").await;
    assert_eq!((condition.status.as_str(), condition.reason.as_str()), ("False", "Unschedulable"));
    assert_eq!(condition.message, expected);

    // Retried with backoff (the event's count grows) while nothing changes...
    let events: Api<api_types::api::core::v1::Event> =
        Api::default_namespaced(cluster.client.clone());
    eventually("three attempts", || async {
        let options =
            ListOptions { field_selector: "involvedObject.name=nvme".into(), ..Default::default() };
        let list = events.list(&options).await.ok()?;
        list.items.iter().any(|e| e.reason == "FailedScheduling" && e.count >= 3).then_some(())
    })
    .await;
    // ...and at once (well within the 4 s backoff now due) when a node gains the label.
    let nodes: Api<Node> = Api::all(cluster.client.clone());
    let labelled = Instant::now();
    let patch = json!({"metadata": {"labels": {"disk": "nvme"}}});
    nodes.patch("node-3", PatchType::Merge, &patch, &PatchOptions::default()).await.unwrap();
    assert_eq!(cluster.bound("nvme").await, "node-3");
    assert!(labelled.elapsed() < Duration::from_secs(3), "took {:?}", labelled.elapsed());
}

#[tokio::test]
async fn an_rc_of_three_spreads_over_three_nodes_and_skips_the_cordoned_one() {
    let cluster = Cluster::start().await;
    for name in ["node-1", "node-2", "node-3"] {
        cluster.node(name, "2", "4Gi", json!({})).await;
    }
    cluster.node_with("cordoned", "64", "256Gi", json!({}), json!({"unschedulable": true})).await;
    cluster.schedule();
    let master = format!("--master={}", cluster.server.url());
    let options = kube_controller_manager::options::Options::try_parse_args([
        "kube-controller-manager",
        master.as_str(),
    ])
    .unwrap();
    let context = ControllerContext::new(
        cluster.client.clone(),
        Arc::new(options),
        cluster.shutdown.clone(),
        &prometheus::Registry::new(),
    );
    let manager =
        ReplicationManager::<ReplicationController>::new(&context, "replication-controller");
    tokio::spawn(manager.run(context.clone(), 2));
    let rcs: Api<ReplicationController> = Api::default_namespaced(cluster.client.clone());
    let rc = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "frontend"},
        "spec": {"replicas": 3, "selector": {"app": "frontend"},
                 "template": {"metadata": {"labels": {"app": "frontend"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
    }))
    .unwrap();
    rcs.create(&rc, &CreateOptions::default()).await.unwrap();
    let nodes = eventually("3 frontend pods bound", || async {
        let options = ListOptions { label_selector: "app=frontend".into(), ..Default::default() };
        let pods = cluster.pods.list(&options).await.ok()?.items;
        let nodes: Vec<String> = pods.into_iter().map(|pod| pod.spec.node_name).collect();
        (nodes.len() == 3 && nodes.iter().all(|node| !node.is_empty())).then_some(nodes)
    })
    .await;
    let distinct: HashSet<&String> = nodes.iter().collect();
    assert_eq!(distinct.len(), 3, "one replica per node: {nodes:?}");
    assert!(!distinct.contains(&"cordoned".to_string()), "the cordoned node took a pod");
}

async fn http_get(port: u16, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn the_process_serves_health_and_metrics_and_refuses_a_bad_policy() {
    let cluster = Cluster::start().await;
    cluster.node("node-1", "2", "4Gi", json!({})).await;
    let port = free_port();
    let master = format!("--master={}", cluster.server.url());
    let port_flag = format!("--port={port}");
    let options =
        Options::try_parse_args(["kube-scheduler", &master, &port_flag, "--leader-elect=false"])
            .unwrap();
    let shutdown = ShutdownToken::new();
    let running = tokio::spawn(kube_scheduler::run(options, shutdown.clone()));
    cluster.pod("web", json!({}), json!({})).await;
    assert_eq!(cluster.bound("web").await, "node-1");
    let health = http_get(port, "/healthz").await;
    assert!(health.starts_with("HTTP/1.1 200") && health.ends_with("ok"), "{health}");
    let metrics = eventually("the attempt in /metrics", || async {
        let metrics = http_get(port, "/metrics").await;
        metrics.contains("scheduler_schedule_attempts_total").then_some(metrics)
    })
    .await;
    assert!(
        metrics.contains(
            r#"scheduler_schedule_attempts_total{profile="default-scheduler",result="scheduled"} 1"#
        ),
        "{metrics}"
    );
    assert!(metrics.contains("scheduler_scheduling_attempt_duration_seconds_bucket"));
    shutdown.trigger();
    running.await.unwrap().unwrap();

    // A policy naming an unknown predicate stops start-up with the reason.
    let directory = tempfile::tempdir().unwrap();
    let policy = directory.path().join("policy.json");
    std::fs::write(&policy, r#"{"kind": "Policy", "predicates": [{"name": "PodFitsEverything"}]}"#)
        .unwrap();
    let policy_flag = format!("--policy-config-file={}", policy.display());
    let options =
        Options::try_parse_args(["kube-scheduler", &master, &policy_flag, "--port=0"]).unwrap();
    let error = kube_scheduler::run(options, ShutdownToken::new()).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "Invalid configuration: predicate \"PodFitsEverything\" is not registered"
    );
}

#[tokio::test]
async fn other_schedulers_pods_are_left_alone_and_deletions_free_room() {
    let cluster = Cluster::start().await;
    cluster.node("node-1", "1", "4Gi", json!({})).await;
    cluster.schedule();
    cluster.pod("theirs", json!({}), json!({"schedulerName": "my-scheduler"})).await;
    cluster.pod_requesting("ours", "1", "100Mi").await;
    assert_eq!(cluster.bound("ours").await, "node-1");
    cluster.stays_pending("theirs").await;
    // Deleting the pod that fills the node lets a waiting one in (at once: no grace period,
    // as no kubelet runs here to finish a graceful deletion).
    cluster.pod_requesting("waiting", "1", "100Mi").await;
    cluster.event("waiting", "FailedScheduling").await;
    let pods: Api<Pod> = Api::default_namespaced(cluster.client.clone());
    let now = DeleteOptions { grace_period_seconds: Some(0), ..Default::default() };
    pods.delete("ours", &now).await.unwrap();
    assert_eq!(cluster.bound("waiting").await, "node-1");
}

#[tokio::test]
async fn a_pod_waits_for_the_first_node_and_takes_it_at_once() {
    let cluster = Cluster::start().await;
    cluster.schedule();
    cluster.pod("early", json!({}), json!({})).await;
    assert_eq!(
        cluster.event("early", "FailedScheduling").await,
        "no nodes available to schedule pods"
    );
    let condition = cluster.scheduled_condition("early").await;
    assert_eq!(condition.reason, "Unschedulable");
    // Let the backoff grow past what the wait below allows, then add a node.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let added = Instant::now();
    cluster.node("node-1", "1", "1Gi", json!({})).await;
    assert_eq!(cluster.bound("early").await, "node-1");
    assert!(added.elapsed() < Duration::from_secs(2), "took {:?}", added.elapsed());
}
