//! Each priority against a real apiserver, alone in a policy, on nodes built so that exactly
//! one node scores best.

mod support;

use api_types::api::core::v1::Service;
use client::Api;
use serde_json::{Value, json};
use std::collections::HashSet;
use support::Cluster;

fn only(priority: Value) -> Value {
    json!({"kind": "Policy", "apiVersion": "v1", "priorities": [priority]})
}

async fn pin(cluster: &Cluster, name: &str, node: &str, labels: Value, cpu: &str) {
    let containers =
        json!([{"name": "c", "image": "busybox", "resources": {"requests": {"cpu": cpu}}}]);
    cluster.pod(name, labels, json!({"nodeName": node, "containers": containers})).await;
}

async fn web_service(cluster: &Cluster) {
    let services: Api<Service> = Api::default_namespaced(cluster.client.clone());
    let service = serde_json::from_value(json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}))
    .unwrap();
    services.create(&service, &Default::default()).await.unwrap();
}

#[tokio::test]
async fn least_and_most_requested_spread_and_pack() {
    let cluster = Cluster::start().await;
    cluster.node("busy", "4", "8Gi", json!({})).await;
    cluster.node("idle", "4", "8Gi", json!({})).await;
    pin(&cluster, "load", "busy", json!({}), "3").await;
    cluster.schedule_with_policy(only(json!({"name": "LeastRequestedPriority", "weight": 1})));
    cluster.pod_requesting("spread", "500m", "100Mi").await;
    assert_eq!(cluster.bound("spread").await, "idle");

    let packing = Cluster::start().await;
    packing.node("busy", "4", "8Gi", json!({})).await;
    packing.node("idle", "4", "8Gi", json!({})).await;
    pin(&packing, "load", "busy", json!({}), "3").await;
    packing.schedule_with_policy(only(json!({"name": "MostRequestedPriority", "weight": 1})));
    packing.pod_requesting("packed", "500m", "100Mi").await;
    assert_eq!(packing.bound("packed").await, "busy");
}

#[tokio::test]
async fn balanced_resource_allocation_prefers_equal_fractions() {
    let cluster = Cluster::start().await;
    cluster.node("even", "4", "4Gi", json!({})).await;
    cluster.node("memory-rich", "4", "16Gi", json!({})).await;
    cluster.schedule_with_policy(only(json!({"name": "BalancedResourceAllocation", "weight": 1})));
    // even: cpu 0.5, memory 0.5 → 10; memory-rich: 0.5 vs 0.125 → 6.
    cluster.pod_requesting("balanced", "2", "2Gi").await;
    assert_eq!(cluster.bound("balanced").await, "even");
}

#[tokio::test]
async fn selector_spread_puts_a_services_pods_on_different_nodes() {
    let cluster = Cluster::start().await;
    for name in ["a", "b", "c"] {
        cluster.node(name, "4", "8Gi", json!({})).await;
    }
    web_service(&cluster).await;
    pin(&cluster, "web-0", "a", json!({"app": "web"}), "100m").await;
    cluster.schedule_with_policy(only(json!({"name": "SelectorSpreadPriority", "weight": 1})));
    let mut nodes = HashSet::from(["a".to_string()]);
    for name in ["web-1", "web-2"] {
        cluster.pod(name, json!({"app": "web"}), json!({})).await;
        nodes.insert(cluster.bound(name).await);
    }
    assert_eq!(nodes.len(), 3, "one web pod per node: {nodes:?}");
}

#[tokio::test]
async fn node_label_priority_prefers_the_labelled_node() {
    let cluster = Cluster::start().await;
    cluster.node("plain", "4", "8Gi", json!({})).await;
    cluster.node("fast", "4", "8Gi", json!({"ssd": "true"})).await;
    cluster.schedule_with_policy(only(json!({"name": "PreferSSD", "weight": 2,
        "argument": {"labelPreference": {"label": "ssd", "presence": true}}})));
    for name in ["p1", "p2", "p3"] {
        cluster.pod(name, json!({}), json!({})).await;
        assert_eq!(cluster.bound(name).await, "fast");
    }
}

#[tokio::test]
async fn equal_priority_breaks_every_tie_at_random() {
    let cluster = Cluster::start().await;
    cluster.node("a", "4", "8Gi", json!({})).await;
    cluster.node("b", "4", "8Gi", json!({})).await;
    cluster.schedule_with_policy(only(json!({"name": "EqualPriority", "weight": 1})));
    let mut nodes = HashSet::new();
    for index in 0..16 {
        cluster.pod(&format!("p{index}"), json!({}), json!({})).await;
    }
    for index in 0..16 {
        nodes.insert(cluster.bound(&format!("p{index}")).await);
    }
    assert_eq!(nodes.len(), 2, "16 equal choices all went to one node");
}

#[tokio::test]
async fn service_anti_affinity_spreads_over_a_label() {
    let cluster = Cluster::start().await;
    cluster.node("r1-a", "4", "8Gi", json!({"rack": "r1"})).await;
    cluster.node("r1-b", "4", "8Gi", json!({"rack": "r1"})).await;
    cluster.node("r2-a", "4", "8Gi", json!({"rack": "r2"})).await;
    web_service(&cluster).await;
    pin(&cluster, "web-0", "r1-a", json!({"app": "web"}), "100m").await;
    cluster.schedule_with_policy(only(json!({"name": "RackSpread", "weight": 1,
        "argument": {"serviceAntiAffinity": {"label": "rack"}}})));
    cluster.pod("web-1", json!({"app": "web"}), json!({})).await;
    assert_eq!(cluster.bound("web-1").await, "r2-a");
}
