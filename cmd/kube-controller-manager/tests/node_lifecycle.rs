//! The node lifecycle controller against a real apiserver: a node whose heartbeats stop is
//! marked Unknown and its pods evicted; pods of a deleted node are removed.

mod support;

use api_types::api::core::v1::{Node, Pod};
use api_types::meta::v1::{CreateOptions, DeleteOptions, PatchOptions, PatchType};
use client::Api;
use kube_controller_manager::node_lifecycle::controller::NodeLifecycleController;
use serde_json::json;
use std::time::Duration;
use support::{Backend, ControlPlane, eventually};

const FAST: [&str; 6] = [
    "--leader-elect=false",
    "--node-monitor-period=100ms",
    "--node-monitor-grace-period=1s",
    "--node-startup-grace-period=1s",
    "--pod-eviction-timeout=2s",
    "--deleting-pods-qps=100",
];

async fn heartbeat(nodes: &Api<Node>, name: &str) {
    let status = json!({"status": {"conditions": [{"type": "Ready", "status": "True",
        "reason": "KubeletReady", "lastHeartbeatTime": chrono::Utc::now(),
        "lastTransitionTime": "2024-01-01T00:00:00Z"}]}});
    nodes.patch_status(name, PatchType::Merge, &status, &PatchOptions::default()).await.unwrap();
}

async fn bound_pod(pods: &Api<Pod>, name: &str, node: &str) {
    let pod: Pod = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "busybox"}]}
    }))
    .unwrap();
    pods.create(&pod, &CreateOptions::default()).await.unwrap();
    let ready = json!({"status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}});
    pods.patch_status(name, PatchType::Merge, &ready, &PatchOptions::default()).await.unwrap();
}

async fn a_silent_node_goes_unknown_and_loses_its_pods_on(backend: Backend) {
    let plane = ControlPlane::start_on(backend, &FAST).await;
    let nodes: Api<Node> = Api::all(plane.client.clone());
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let node: Node = serde_json::from_value(json!({"apiVersion": "v1", "kind": "Node",
                                                   "metadata": {"name": "node-1"}}))
    .unwrap();
    nodes.create(&node, &CreateOptions::default()).await.unwrap();
    heartbeat(&nodes, "node-1").await;
    bound_pod(&pods, "web", "node-1").await;
    tokio::spawn(NodeLifecycleController::new(&plane.context).run(plane.context.clone()));

    // While heartbeats come, the node stays Ready.
    for _ in 0..8 {
        heartbeat(&nodes, "node-1").await;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let ready = |node: &Node| {
        node.status.conditions.iter().find(|c| c.type_ == "Ready").map(|c| c.status.clone())
    };
    assert_eq!(ready(&nodes.get("node-1").await.unwrap()).as_deref(), Some("True"));

    // Silence: Unknown after the grace period, the pod marked not ready, then evicted.
    let node = eventually("node Unknown", || async {
        let node = nodes.get("node-1").await.unwrap();
        (ready(&node).as_deref() == Some("Unknown")).then_some(node)
    })
    .await;
    let condition = node.status.conditions.iter().find(|c| c.type_ == "Ready").unwrap();
    assert_eq!(condition.reason, "NodeStatusUnknown");
    assert_eq!(condition.message, "Kubelet stopped posting node status.");
    eventually("pod evicted", || async {
        match pods.get_opt("web").await.unwrap() {
            None => Some(()),
            Some(pod) => pod.metadata.deletion_timestamp.map(drop),
        }
    })
    .await;
}

#[tokio::test]
async fn a_silent_node_goes_unknown_and_loses_its_pods() {
    a_silent_node_goes_unknown_and_loses_its_pods_on(Backend::Embedded).await;
}

#[tokio::test]
async fn a_silent_node_goes_unknown_and_loses_its_pods_on_etcd() {
    a_silent_node_goes_unknown_and_loses_its_pods_on(Backend::Etcd).await;
}

#[tokio::test]
async fn pods_of_deleted_nodes_are_removed() {
    let plane = ControlPlane::start(&FAST).await;
    let nodes: Api<Node> = Api::all(plane.client.clone());
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let node: Node = serde_json::from_value(json!({"apiVersion": "v1", "kind": "Node",
                                                   "metadata": {"name": "node-2"}}))
    .unwrap();
    nodes.create(&node, &CreateOptions::default()).await.unwrap();
    bound_pod(&pods, "orphan", "node-2").await;
    bound_pod(&pods, "ghost", "never-existed").await;
    tokio::spawn(NodeLifecycleController::new(&plane.context).run(plane.context.clone()));
    nodes.delete("node-2", &DeleteOptions::default()).await.unwrap();
    eventually("pods of missing nodes removed", || async {
        let orphan = pods.get_opt("orphan").await.unwrap();
        let ghost = pods.get_opt("ghost").await.unwrap();
        (orphan.is_none() && ghost.is_none()).then_some(())
    })
    .await;
}
