//! The replication manager against a real apiserver: the book's RC scenarios (self-healing,
//! scaling, adoption, release on relabel) and ReplicaSets.

mod support;

use api_types::api::apps::v1::ReplicaSet;
use api_types::api::core::v1::{Pod, ReplicationController};
use api_types::meta::v1::{CreateOptions, DeleteOptions, ListOptions, PatchOptions, PatchType};
use client::Api;
use kube_controller_manager::controller::owner::controller_of;
use kube_controller_manager::replication::controller::ReplicationManager;
use serde_json::json;
use support::{Backend, ControlPlane, eventually};

fn rc(name: &str, app: &str, replicas: i32) -> ReplicationController {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"app": app},
                 "template": {"metadata": {"labels": {"app": app}},
                              "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
    }))
    .unwrap()
}

/// The live (not being deleted) pods labelled `app`, and how many of them `owner_uid` controls.
async fn pods_of(pods: &Api<Pod>, app: &str, owner_uid: &str) -> (usize, usize) {
    let list = pods
        .list(&ListOptions { label_selector: format!("app={app}"), ..Default::default() })
        .await
        .unwrap();
    let live: Vec<_> =
        list.items.iter().filter(|pod| pod.metadata.deletion_timestamp.is_none()).collect();
    let owned = live
        .iter()
        .filter(|pod| controller_of(&pod.metadata).is_some_and(|r| r.uid == owner_uid))
        .count();
    (live.len(), owned)
}

async fn an_rc_heals_scales_adopts_and_releases_on(backend: Backend) {
    let plane = ControlPlane::start_on(backend, &["--leader-elect=false"]).await;
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let rcs: Api<ReplicationController> = Api::default_namespaced(plane.client.clone());
    // A bare pod with matching labels exists first: the RC adopts it (book 2.2 scenario). The
    // manager starts after it, so its first look at the RC already sees the pod (a pod created
    // in the same instant could otherwise arrive after the RC's first sync, and then be the
    // surplus pod removed: equal pods are removed in no particular order).
    let bare: Pod = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "bare", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]}
    }))
    .unwrap();
    pods.create(&bare, &CreateOptions::default()).await.unwrap();
    let manager =
        ReplicationManager::<ReplicationController>::new(&plane.context, "replication-controller");
    tokio::spawn(manager.run(plane.context.clone(), 5));
    let created = rcs.create(&rc("frontend", "web", 3), &CreateOptions::default()).await.unwrap();
    let uid = created.metadata.uid.clone();

    eventually("3 owned pods", || async {
        (pods_of(&pods, "web", &uid).await == (3, 3)).then_some(())
    })
    .await;
    let adopted = pods.get("bare").await.unwrap();
    assert_eq!(controller_of(&adopted.metadata).map(|r| r.uid.as_str()), Some(uid.as_str()));
    let status = eventually("status.replicas = 3", || async {
        let rc = rcs.get("frontend").await.unwrap();
        (rc.status.replicas == 3).then_some(rc.status)
    })
    .await;
    assert_eq!(status.observed_generation, created.metadata.generation);

    // Self-healing: a deleted pod is replaced.
    let now = DeleteOptions { grace_period_seconds: Some(0), ..Default::default() };
    pods.delete("bare", &now).await.unwrap();
    eventually("a replacement pod", || async {
        let (live, owned) = pods_of(&pods, "web", &uid).await;
        (live == 3 && owned == 3 && pods.get_opt("bare").await.unwrap().is_none()).then_some(())
    })
    .await;

    // Scaling 3 → 5 → 1.
    for replicas in [5, 1] {
        let patch = json!({"spec": {"replicas": replicas}});
        rcs.patch("frontend", PatchType::Merge, &patch, &PatchOptions::default()).await.unwrap();
        let want = usize::try_from(replicas).unwrap();
        eventually(&format!("{replicas} pods"), || async {
            (pods_of(&pods, "web", &uid).await == (want, want)).then_some(())
        })
        .await;
    }

    // Relabeling the last pod releases it and a new one takes its place.
    let list = pods
        .list(&ListOptions { label_selector: "app=web".into(), ..Default::default() })
        .await
        .unwrap();
    let last = list.items.iter().find(|pod| pod.metadata.deletion_timestamp.is_none()).unwrap();
    let relabel = json!({"metadata": {"labels": {"app": "debug"}}});
    pods.patch(&last.metadata.name, PatchType::StrategicMerge, &relabel, &PatchOptions::default())
        .await
        .unwrap();
    eventually("a released pod and its replacement", || async {
        let released = pods.get(&last.metadata.name).await.unwrap();
        let freed = controller_of(&released.metadata).is_none();
        (freed && pods_of(&pods, "web", &uid).await == (1, 1)).then_some(())
    })
    .await;
}

#[tokio::test]
async fn an_rc_heals_scales_adopts_and_releases() {
    an_rc_heals_scales_adopts_and_releases_on(Backend::Embedded).await;
}

#[tokio::test]
async fn an_rc_heals_scales_adopts_and_releases_on_etcd() {
    an_rc_heals_scales_adopts_and_releases_on(Backend::Etcd).await;
}

#[tokio::test]
async fn a_replica_set_keeps_its_pods_with_expression_selectors() {
    let plane = ControlPlane::start(&["--leader-elect=false"]).await;
    let manager = ReplicationManager::<ReplicaSet>::new(&plane.context, "replicaset-controller");
    tokio::spawn(manager.run(plane.context.clone(), 5));
    let sets: Api<ReplicaSet> = Api::default_namespaced(plane.client.clone());
    let rs: ReplicaSet = serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "api"},
        "spec": {"replicas": 2,
                 "selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["api"]}]},
                 "template": {"metadata": {"labels": {"app": "api"}},
                              "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
    }))
    .unwrap();
    let created = sets.create(&rs, &CreateOptions::default()).await.unwrap();
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    eventually("2 pods", || async {
        (pods_of(&pods, "api", &created.metadata.uid).await == (2, 2)).then_some(())
    })
    .await;
    let pod = pods.list(&ListOptions::default()).await.unwrap().items.remove(0);
    assert!(pod.metadata.name.starts_with("api-"), "{}", pod.metadata.name);
    let reference = controller_of(&pod.metadata).unwrap();
    assert_eq!(
        (reference.kind.as_str(), reference.api_version.as_str()),
        ("ReplicaSet", "apps/v1")
    );
    eventually("status", || async {
        (sets.get("api").await.unwrap().status.replicas == 2).then_some(())
    })
    .await;
}
