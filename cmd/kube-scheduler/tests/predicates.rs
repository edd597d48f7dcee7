//! Each predicate against a real apiserver: nodes are API objects, the scheduler runs
//! in-process, and the outcome is read back as bindings, events and conditions.

mod support;

use serde_json::json;
use support::Cluster;

#[tokio::test]
async fn pod_fits_resources_counts_requests_against_allocatable() {
    let cluster = Cluster::start().await;
    cluster.node("small", "1", "1Gi", json!({})).await;
    cluster.node("big", "4", "8Gi", json!({})).await;
    cluster.schedule();
    cluster.pod_requesting("large", "3", "1Gi").await;
    assert_eq!(cluster.bound("large").await, "big");
    // 1 core left on each node: a 2-core pod fits nowhere.
    cluster.pod_requesting("huge", "2", "100Mi").await;
    let message = cluster.event("huge", "FailedScheduling").await;
    assert_eq!(message, "0/2 nodes are available: 2 Insufficient cpu.");
    cluster.stays_pending("huge").await;
}

#[tokio::test]
async fn assumed_pods_count_before_their_binding_is_seen() {
    let cluster = Cluster::start().await;
    cluster.node("only", "2", "4Gi", json!({})).await;
    // Ten pods of 500m created before the scheduler starts are scheduled back to back: only
    // four fit, which needs each to see the ones assumed before it.
    for index in 0..10 {
        cluster.pod_requesting(&format!("p{index}"), "500m", "10Mi").await;
    }
    cluster.schedule();
    let mut bound = 0;
    for index in 0..10 {
        let name = format!("p{index}");
        let placed = support::eventually("a binding or a failure", || async {
            let pod = cluster.pods.get(&name).await.ok()?;
            if !pod.spec.node_name.is_empty() {
                return Some(true);
            }
            pod.status.conditions.iter().any(|c| c.type_ == "PodScheduled").then_some(false)
        })
        .await;
        bound += usize::from(placed);
    }
    assert_eq!(bound, 4);
}

#[tokio::test]
async fn pod_fits_host_ports_keeps_two_pods_of_one_port_apart() {
    let cluster = Cluster::start().await;
    cluster.node("a", "2", "4Gi", json!({})).await;
    cluster.node("b", "2", "4Gi", json!({})).await;
    cluster.schedule();
    let ports = json!([{"name": "c", "image": "nginx", "ports": [{"containerPort": 80, "hostPort": 8080}]}]);
    for name in ["web-1", "web-2", "web-3"] {
        cluster.pod(name, json!({}), json!({"containers": ports})).await;
    }
    let (first, second) = (cluster.bound("web-1").await, cluster.bound("web-2").await);
    assert_ne!(first, second, "the same host port on one node");
    let message = cluster.event("web-3", "FailedScheduling").await;
    assert_eq!(
        message,
        "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports."
    );
}

#[tokio::test]
async fn match_node_selector_uses_selectors_and_required_affinity() {
    let cluster = Cluster::start().await;
    cluster.node("ssd", "2", "4Gi", json!({"disk": "ssd", "zone": "z1"})).await;
    cluster.node("hdd", "2", "4Gi", json!({"disk": "hdd", "zone": "z2"})).await;
    cluster.schedule();
    cluster.pod("fast", json!({}), json!({"nodeSelector": {"disk": "ssd"}})).await;
    let affinity = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["z2"]}]}]}}});
    cluster.pod("zoned", json!({}), json!({"affinity": affinity})).await;
    assert_eq!(cluster.bound("fast").await, "ssd");
    assert_eq!(cluster.bound("zoned").await, "hdd");
}

#[tokio::test]
async fn host_name_preset_pods_are_left_to_their_node() {
    let cluster = Cluster::start().await;
    cluster.node("a", "2", "4Gi", json!({})).await;
    cluster.node("b", "2", "4Gi", json!({})).await;
    cluster.schedule();
    // A pod naming its node is bound already: the scheduler only counts it.
    let containers =
        json!([{"name": "c", "image": "busybox", "resources": {"requests": {"cpu": "2"}}}]);
    cluster.pod("pinned", json!({}), json!({"nodeName": "b", "containers": containers})).await;
    cluster.pod_requesting("after", "1", "10Mi").await;
    assert_eq!(cluster.bound("after").await, "a", "b is full with the pinned pod");
    assert_eq!(cluster.pods.get("pinned").await.unwrap().spec.node_name, "b");
}

#[tokio::test]
async fn no_disk_conflict_keeps_one_gce_disk_per_node() {
    let cluster = Cluster::start().await;
    cluster.node("a", "2", "4Gi", json!({})).await;
    cluster.node("b", "2", "4Gi", json!({})).await;
    cluster.schedule();
    let disk =
        json!([{"name": "data", "gcePersistentDisk": {"pdName": "mysql-disk", "fsType": "ext4"}}]);
    for name in ["db-1", "db-2", "db-3"] {
        cluster.pod(name, json!({}), json!({"volumes": disk})).await;
    }
    assert_ne!(cluster.bound("db-1").await, cluster.bound("db-2").await);
    let message = cluster.event("db-3", "FailedScheduling").await;
    assert_eq!(message, "0/2 nodes are available: 2 node(s) had no available disk.");
}

#[tokio::test]
async fn unschedulable_and_tainted_nodes_are_avoided() {
    let cluster = Cluster::start().await;
    cluster.node_with("cordoned", "8", "16Gi", json!({}), json!({"unschedulable": true})).await;
    let taint = json!({"taints": [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]});
    cluster.node_with("tainted", "8", "16Gi", json!({"role": "db"}), taint).await;
    cluster.node("open", "1", "1Gi", json!({})).await;
    cluster.schedule();
    for index in 0..5 {
        cluster.pod(&format!("p{index}"), json!({}), json!({})).await;
    }
    for index in 0..5 {
        assert_eq!(cluster.bound(&format!("p{index}")).await, "open");
    }
    // A pod that fits nowhere hears every node's own reason, counted as upstream words them.
    cluster.pod("lost", json!({}), json!({"nodeSelector": {"role": "none"}})).await;
    let message = cluster.event("lost", "FailedScheduling").await;
    assert_eq!(
        message,
        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, \
         1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable."
    );
    // Tolerating the taint opens the dedicated node.
    let toleration =
        json!([{"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}]);
    cluster
        .pod("db", json!({}), json!({"tolerations": toleration, "nodeSelector": {"role": "db"}}))
        .await;
    assert_eq!(cluster.bound("db").await, "tainted");
}

#[tokio::test]
async fn check_node_label_presence_and_service_affinity_from_a_policy() {
    let cluster = Cluster::start().await;
    cluster.node("east-1", "2", "4Gi", json!({"region": "east", "zone": "e1"})).await;
    cluster.node("east-2", "2", "4Gi", json!({"region": "east"})).await;
    cluster.node("west-1", "2", "4Gi", json!({"region": "west", "zone": "w1"})).await;
    cluster.schedule_with_policy(json!({
        "kind": "Policy", "apiVersion": "v1",
        "predicates": [
            {"name": "PodFitsResources"},
            {"name": "Zoned", "argument": {"labelsPresence": {"labels": ["zone"], "presence": true}}},
            {"name": "RegionAffinity", "argument": {"serviceAffinity": {"labels": ["region"]}}}
        ],
        "priorities": [{"name": "EqualPriority", "weight": 1}]
    }));
    let services: client::Api<api_types::api::core::v1::Service> =
        client::Api::default_namespaced(cluster.client.clone());
    let service = serde_json::from_value(json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}))
    .unwrap();
    services.create(&service, &Default::default()).await.unwrap();
    // The first web pod goes to a zoned node in the region it selects; the next ones follow
    // its region (only east-1 is zoned in the east).
    cluster.pod("web-0", json!({"app": "web"}), json!({"nodeSelector": {"region": "east"}})).await;
    assert_eq!(cluster.bound("web-0").await, "east-1");
    for name in ["web-1", "web-2", "web-3"] {
        cluster.pod(name, json!({"app": "web"}), json!({})).await;
        assert_eq!(cluster.bound(name).await, "east-1");
    }
    // A pod of no service may go to any zoned node, never to the unzoned one.
    for name in ["solo-1", "solo-2", "solo-3", "solo-4"] {
        cluster.pod(name, json!({}), json!({})).await;
        assert_ne!(cluster.bound(name).await, "east-2");
    }
}

#[tokio::test]
async fn nodes_that_are_not_ready_take_nothing() {
    let cluster = Cluster::start().await;
    cluster.node("sick", "8", "16Gi", json!({})).await;
    cluster.node("well", "1", "1Gi", json!({})).await;
    let nodes: client::Api<api_types::api::core::v1::Node> =
        client::Api::all(cluster.client.clone());
    let not_ready = json!({"status": {"conditions": [{"type": "Ready", "status": "Unknown",
        "reason": "NodeStatusUnknown"}]}});
    nodes
        .patch_status(
            "sick",
            api_types::meta::v1::PatchType::StrategicMerge,
            &not_ready,
            &Default::default(),
        )
        .await
        .unwrap();
    cluster.schedule();
    for name in ["p1", "p2", "p3"] {
        cluster.pod(name, json!({}), json!({})).await;
        assert_eq!(cluster.bound(name).await, "well");
    }
    cluster.pod("lost", json!({}), json!({"nodeSelector": {"role": "none"}})).await;
    assert_eq!(
        cluster.event("lost", "FailedScheduling").await,
        "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, \
         1 node(s) were not ready."
    );
}
