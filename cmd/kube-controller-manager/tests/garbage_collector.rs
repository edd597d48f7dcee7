//! The garbage collector against a real apiserver, with the replication manager making pods:
//! `kubectl delete` of an RC with each propagation policy (through `Api::delete` and through
//! the real kubectl 1.33), objects whose owners never existed, and objects with two owners.

mod support;

use api_types::api::core::v1::{ConfigMap, Pod, ReplicationController};
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, ListOptions, ObjectMeta, OwnerReference, PatchOptions, PatchType,
    propagation_policy,
};
use client::Api;
use kube_controller_manager::garbage_collector::controller::GarbageCollector;
use kube_controller_manager::replication::controller::ReplicationManager;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::{Backend, ControlPlane, eventually};

/// A control plane running the replication manager and the garbage collector.
async fn start() -> ControlPlane {
    start_on(Backend::Embedded).await
}

/// The same on `backend`.
async fn start_on(backend: Backend) -> ControlPlane {
    let plane = ControlPlane::start_on(backend, &["--leader-elect=false"]).await;
    let manager =
        ReplicationManager::<ReplicationController>::new(&plane.context, "replication-controller");
    tokio::spawn(manager.run(plane.context.clone(), 5));
    let collector = GarbageCollector::new(&plane.context);
    tokio::spawn(collector.run(plane.context.clone(), 5));
    plane
}

fn rc(name: &str, replicas: i32) -> ReplicationController {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"app": name},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
    }))
    .unwrap()
}

/// Every pod labelled `app` (being deleted or not).
async fn pods_of(pods: &Api<Pod>, app: &str) -> Vec<Pod> {
    let selector = ListOptions { label_selector: format!("app={app}"), ..Default::default() };
    pods.list(&selector).await.unwrap().items
}

/// Creates an RC with `replicas` pods and waits for them; returns the RC's uid.
async fn rc_with_pods(plane: &ControlPlane, name: &str, replicas: usize) -> String {
    let rcs: Api<ReplicationController> = Api::default_namespaced(plane.client.clone());
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let want = i32::try_from(replicas).unwrap();
    let created = rcs.create(&rc(name, want), &CreateOptions::default()).await.unwrap();
    eventually(&format!("{replicas} pods of {name}"), || async {
        (pods_of(&pods, name).await.len() == replicas).then_some(())
    })
    .await;
    created.metadata.uid
}

fn delete_with(policy: &str) -> DeleteOptions {
    DeleteOptions { propagation_policy: Some(policy.to_string()), ..Default::default() }
}

fn names_uid(meta: &ObjectMeta, uid: &str) -> bool {
    meta.owner_references.iter().any(|reference| reference.uid == uid)
}

async fn deleting_an_rc_in_the_background_deletes_its_pods_on(backend: Backend) {
    let plane = start_on(backend).await;
    let rcs: Api<ReplicationController> = Api::default_namespaced(plane.client.clone());
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    rc_with_pods(&plane, "background", 3).await;
    let bystander = rc_with_pods(&plane, "bystander", 1).await;

    rcs.delete("background", &delete_with(propagation_policy::BACKGROUND)).await.unwrap();
    assert!(rcs.get_opt("background").await.unwrap().is_none(), "the RC goes at once");
    eventually("the pods to be collected", || async {
        pods_of(&pods, "background").await.is_empty().then_some(())
    })
    .await;
    let untouched = pods_of(&pods, "bystander").await;
    assert_eq!(untouched.len(), 1);
    assert!(names_uid(&untouched[0].metadata, &bystander));
}

#[tokio::test]
async fn deleting_an_rc_in_the_background_deletes_its_pods() {
    deleting_an_rc_in_the_background_deletes_its_pods_on(Backend::Embedded).await;
}

#[tokio::test]
async fn deleting_an_rc_in_the_background_deletes_its_pods_on_etcd() {
    deleting_an_rc_in_the_background_deletes_its_pods_on(Backend::Etcd).await;
}

async fn deleting_an_rc_with_orphan_keeps_its_pods_without_the_reference_on(backend: Backend) {
    let plane = start_on(backend).await;
    let rcs: Api<ReplicationController> = Api::default_namespaced(plane.client.clone());
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let uid = rc_with_pods(&plane, "orphaned", 2).await;

    let held = rcs.delete("orphaned", &delete_with(propagation_policy::ORPHAN)).await.unwrap();
    let client::DeleteOutcome::Object(held) = held else { panic!("the RC is held: {held:?}") };
    assert!(held.metadata.finalizers.iter().any(|f| f == "orphan"), "{:?}", held.metadata);
    eventually("the RC to go once its pods are orphaned", || async {
        rcs.get_opt("orphaned").await.unwrap().is_none().then_some(())
    })
    .await;
    let kept = pods_of(&pods, "orphaned").await;
    assert_eq!(kept.len(), 2);
    for pod in &kept {
        assert!(
            pod.metadata.deletion_timestamp.is_none(),
            "{} is being deleted",
            pod.metadata.name
        );
        assert!(!names_uid(&pod.metadata, &uid), "{} still names the RC", pod.metadata.name);
    }
    // Nothing collects them afterwards either.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(pods_of(&pods, "orphaned").await.len(), 2);
}

#[tokio::test]
async fn deleting_an_rc_with_orphan_keeps_its_pods_without_the_reference() {
    deleting_an_rc_with_orphan_keeps_its_pods_without_the_reference_on(Backend::Embedded).await;
}

#[tokio::test]
async fn deleting_an_rc_with_orphan_keeps_its_pods_without_the_reference_on_etcd() {
    deleting_an_rc_with_orphan_keeps_its_pods_without_the_reference_on(Backend::Etcd).await;
}

async fn deleting_an_rc_in_the_foreground_waits_for_its_pods_on(backend: Backend) {
    let plane = start_on(backend).await;
    let rcs: Api<ReplicationController> = Api::default_namespaced(plane.client.clone());
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let uid = rc_with_pods(&plane, "foreground", 2).await;
    // One pod lingers after its deletion (a finalizer of someone else's), so the RC must wait.
    let lingering = pods_of(&pods, "foreground").await[0].metadata.name.clone();
    let hold = json!({"metadata": {"finalizers": ["example.com/hold"]}});
    pods.patch(&lingering, PatchType::Merge, &hold, &PatchOptions::default()).await.unwrap();

    rcs.delete("foreground", &delete_with(propagation_policy::FOREGROUND)).await.unwrap();
    let pod = eventually("the other pod gone, the lingering one being deleted", || async {
        let left = pods_of(&pods, "foreground").await;
        (left.len() == 1 && left[0].metadata.deletion_timestamp.is_some()).then(|| left[0].clone())
    })
    .await;
    assert_eq!(pod.metadata.name, lingering);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let waiting = rcs.get("foreground").await.expect("the RC waits for its last pod");
    assert_eq!(waiting.metadata.uid, uid);
    assert!(waiting.metadata.deletion_timestamp.is_some());
    assert_eq!(waiting.metadata.finalizers, ["foregroundDeletion"]);

    let release = json!({"metadata": {"finalizers": null}});
    pods.patch(&lingering, PatchType::Merge, &release, &PatchOptions::default()).await.unwrap();
    eventually("the RC to go after its pods", || async {
        let gone = rcs.get_opt("foreground").await.unwrap().is_none();
        (gone && pods_of(&pods, "foreground").await.is_empty()).then_some(())
    })
    .await;
}

#[tokio::test]
async fn deleting_an_rc_in_the_foreground_waits_for_its_pods() {
    deleting_an_rc_in_the_foreground_waits_for_its_pods_on(Backend::Embedded).await;
}

#[tokio::test]
async fn deleting_an_rc_in_the_foreground_waits_for_its_pods_on_etcd() {
    deleting_an_rc_in_the_foreground_waits_for_its_pods_on(Backend::Etcd).await;
}

fn pod_owned_by(name: &str, owners: Vec<OwnerReference>) -> Pod {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": name}, "ownerReferences": owners},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]}
    }))
    .unwrap()
}

fn reference(api_version: &str, kind: &str, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: name.into(),
        uid: uid.into(),
        controller: None,
        block_owner_deletion: None,
    }
}

#[tokio::test]
async fn objects_whose_owner_never_existed_are_collected() {
    let plane = start().await;
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let rcs: Api<ReplicationController> = Api::default_namespaced(plane.client.clone());
    let real = rcs.create(&rc("real", 0), &CreateOptions::default()).await.unwrap();
    let ghost =
        reference("v1", "ReplicationController", "ghost", "6a0d6f0c-0000-4000-8000-000000000001");
    let impostor =
        reference("v1", "ReplicationController", "real", "6a0d6f0c-0000-4000-8000-000000000002");
    let genuine = reference("v1", "ReplicationController", "real", &real.metadata.uid);
    let group_ghost =
        reference("apps/v1", "ReplicaSet", "gone", "6a0d6f0c-0000-4000-8000-000000000003");
    let children = [
        ("ghost-child", ghost),
        ("wrong-uid", impostor),
        ("genuine", genuine),
        ("group-ghost-child", group_ghost),
    ];
    for (name, owner) in children {
        pods.create(&pod_owned_by(name, vec![owner]), &CreateOptions::default()).await.unwrap();
    }
    eventually("the pods of absent owners to be collected", || async {
        let ghost = pods.get_opt("ghost-child").await.unwrap().is_none();
        let wrong = pods.get_opt("wrong-uid").await.unwrap().is_none();
        let group = pods.get_opt("group-ghost-child").await.unwrap().is_none();
        (ghost && wrong && group).then_some(())
    })
    .await;
    assert!(pods.get_opt("genuine").await.unwrap().is_some(), "a live owner's pod stays");
}

#[tokio::test]
async fn an_object_with_two_owners_lives_while_one_remains() {
    let plane = start().await;
    let maps: Api<ConfigMap> = Api::default_namespaced(plane.client.clone());
    let mut uids = Vec::new();
    for name in ["owner-a", "owner-b"] {
        let owner: ConfigMap = serde_json::from_value(json!({"metadata": {"name": name}})).unwrap();
        uids.push(maps.create(&owner, &CreateOptions::default()).await.unwrap().metadata.uid);
    }
    let shared: ConfigMap = serde_json::from_value(json!({"metadata": {
        "name": "shared",
        "ownerReferences": [reference("v1", "ConfigMap", "owner-a", &uids[0]),
                            reference("v1", "ConfigMap", "owner-b", &uids[1])]}}))
    .unwrap();
    maps.create(&shared, &CreateOptions::default()).await.unwrap();

    maps.delete("owner-a", &delete_with(propagation_policy::BACKGROUND)).await.unwrap();
    let survivor = eventually("the reference to the deleted owner to be dropped", || async {
        let shared = maps.get("shared").await.unwrap();
        (shared.metadata.owner_references.len() == 1).then_some(shared)
    })
    .await;
    assert_eq!(survivor.metadata.owner_references[0].uid, uids[1]);
    assert!(survivor.metadata.deletion_timestamp.is_none());

    maps.delete("owner-b", &delete_with(propagation_policy::BACKGROUND)).await.unwrap();
    eventually("the shared object to go with its last owner", || async {
        maps.get_opt("shared").await.unwrap().is_none().then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_foreground_deletion_cascades_down_a_chain_of_owners() {
    let plane = start().await;
    let maps: Api<ConfigMap> = Api::default_namespaced(plane.client.clone());
    // top <- middle <- bottom, each reference blocking; bottom lingers after its deletion.
    let mut owner: Option<(String, String)> = None;
    for name in ["top", "middle", "bottom"] {
        let mut meta = json!({"name": name});
        if let Some((owner_name, uid)) = &owner {
            let mut blocking = reference("v1", "ConfigMap", owner_name, uid);
            blocking.block_owner_deletion = Some(true);
            meta["ownerReferences"] = json!([blocking]);
        }
        if name == "bottom" {
            meta["finalizers"] = json!(["example.com/hold"]);
        }
        let map: ConfigMap = serde_json::from_value(json!({"metadata": meta})).unwrap();
        let created = maps.create(&map, &CreateOptions::default()).await.unwrap();
        owner = Some((name.to_string(), created.metadata.uid));
    }

    maps.delete("top", &delete_with(propagation_policy::FOREGROUND)).await.unwrap();
    eventually("the deletion to reach the bottom", || async {
        let bottom = maps.get("bottom").await.unwrap();
        bottom.metadata.deletion_timestamp.is_some().then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    for name in ["top", "middle"] {
        let waiting = maps.get(name).await.expect("owners wait for the lingering bottom");
        assert!(waiting.metadata.deletion_timestamp.is_some(), "{name}");
        assert_eq!(waiting.metadata.finalizers, ["foregroundDeletion"], "{name}");
    }

    let release = json!({"metadata": {"finalizers": null}});
    maps.patch("bottom", PatchType::Merge, &release, &PatchOptions::default()).await.unwrap();
    eventually("the whole chain to go", || async {
        for name in ["top", "middle", "bottom"] {
            if maps.get_opt(name).await.unwrap().is_some() {
                return None;
            }
        }
        Some(())
    })
    .await;
}

#[tokio::test]
async fn work_left_from_before_the_collector_started_is_done() {
    let plane = ControlPlane::start(&["--leader-elect=false"]).await;
    let manager =
        ReplicationManager::<ReplicationController>::new(&plane.context, "replication-controller");
    tokio::spawn(manager.run(plane.context.clone(), 5));
    let rcs: Api<ReplicationController> = Api::default_namespaced(plane.client.clone());
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    rc_with_pods(&plane, "early", 2).await;
    let orphaning = rc_with_pods(&plane, "orphaning", 1).await;
    rcs.delete("early", &delete_with(propagation_policy::BACKGROUND)).await.unwrap();
    rcs.delete("orphaning", &delete_with(propagation_policy::ORPHAN)).await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(pods_of(&pods, "early").await.len(), 2, "nobody collects them yet");
    assert!(rcs.get_opt("orphaning").await.unwrap().is_some(), "nobody orphans yet");

    tokio::spawn(GarbageCollector::new(&plane.context).run(plane.context.clone(), 5));
    eventually("the first list to lead to the same work", || async {
        let collected = pods_of(&pods, "early").await.is_empty();
        let orphaned = rcs.get_opt("orphaning").await.unwrap().is_none();
        (collected && orphaned).then_some(())
    })
    .await;
    let kept = pods_of(&pods, "orphaning").await;
    assert_eq!(kept.len(), 1);
    assert!(!names_uid(&kept[0].metadata, &orphaning));
}

/// The real kubectl of `version` (`kubectl.<version>` next to the `kubectl` on PATH).
fn kubectl_binary(version: &str) -> PathBuf {
    let on_path = Command::new("sh")
        .args(["-c", "readlink -f \"$(command -v kubectl)\""])
        .output()
        .expect("sh runs");
    let on_path = PathBuf::from(String::from_utf8(on_path.stdout).unwrap().trim());
    let binary = on_path.parent().expect("kubectl is on PATH").join(format!("kubectl.{version}"));
    assert!(binary.exists(), "{} is missing", binary.display());
    binary
}

/// Runs kubectl against `server` and returns what it printed; fails the test if kubectl fails.
async fn kubectl(server: &str, args: &[&str]) -> String {
    let binary = kubectl_binary("1.33");
    let home = tempfile::tempdir().unwrap();
    let mut argv = vec![format!("--server={server}"), "--request-timeout=30s".to_string()];
    argv.extend(args.iter().map(|arg| arg.to_string()));
    let output = tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .env("HOME", home.path())
            .env_remove("KUBECONFIG")
            .args(argv)
            .stdin(Stdio::null())
            .output()
            .expect("kubectl runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "kubectl {args:?} failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[tokio::test]
async fn kubectl_1_33_delete_cascades_and_orphans() {
    let plane = start().await;
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let server = plane.server.url();
    rc_with_pods(&plane, "x", 2).await;
    let orphaned_uid = rc_with_pods(&plane, "y", 2).await;

    let deleted = kubectl(&server, &["delete", "rc", "x"]).await;
    assert!(deleted.contains("replicationcontroller \"x\" deleted"), "{deleted}");
    eventually("x's pods to be collected", || async {
        pods_of(&pods, "x").await.is_empty().then_some(())
    })
    .await;

    // kubectl waits until the RC is gone, which takes the collector's orphaning.
    let orphaned = kubectl(&server, &["delete", "rc", "y", "--cascade=orphan"]).await;
    assert!(orphaned.contains("replicationcontroller \"y\" deleted"), "{orphaned}");
    let listed = kubectl(&server, &["get", "rc", "-o", "name"]).await;
    assert!(listed.trim().is_empty(), "{listed}");
    let kept = pods_of(&pods, "y").await;
    assert_eq!(kept.len(), 2);
    assert!(kept.iter().all(|pod| !names_uid(&pod.metadata, &orphaned_uid)));
    assert!(kept.iter().all(|pod| pod.metadata.deletion_timestamp.is_none()));
}
