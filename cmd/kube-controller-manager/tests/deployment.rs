//! The deployment controller against a real apiserver, with the ReplicaSet manager making the
//! pods. Nothing runs the pods, so a stand-in for the kubelet marks every pod Running and
//! Ready through its status subresource; a monitor samples the pods throughout a rollout to
//! check its bounds. The last test drives everything with the real kubectl 1.33.

mod support;

use api_types::api::apps::v1::{Deployment, ReplicaSet};
use api_types::api::core::v1::{Event, Pod};
use api_types::meta::v1::{CreateOptions, ListOptions, PatchOptions, PatchType};
use client::watcher::{Event as WatchEvent, Watcher, WatcherConfig};
use client::{Api, Client};
use kube_controller_manager::deployment::controller::DeploymentController;
use kube_controller_manager::deployment::revision::{
    REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
};
use kube_controller_manager::deployment::template_hash::template_hash;
use kube_controller_manager::replication::controller::ReplicationManager;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Backend, ControlPlane, eventually};

/// Starts the ReplicaSet manager, the deployment controller and the kubelet stand-in.
async fn start() -> ControlPlane {
    start_on(Backend::Embedded).await
}

/// The same on `backend`.
async fn start_on(backend: Backend) -> ControlPlane {
    let plane = ControlPlane::start_on(backend, &["--leader-elect=false"]).await;
    let replica_sets =
        ReplicationManager::<ReplicaSet>::new(&plane.context, "replicaset-controller");
    tokio::spawn(replica_sets.run(plane.context.clone(), 5));
    let deployments = DeploymentController::new(&plane.context);
    tokio::spawn(deployments.run(plane.context.clone(), 5));
    tokio::spawn(mark_pods_ready(plane.client.clone()));
    plane
}

/// Pods with an image starting with this stay unready (a rollout that cannot progress).
const NEVER_READY: &str = "never-ready";

/// The kubelet stand-in: every pod that is not yet Ready becomes Running and Ready (except
/// [`NEVER_READY`] ones).
async fn mark_pods_ready(client: Client) {
    let pods: Api<Pod> = Api::default_namespaced(client);
    loop {
        let Ok(list) = pods.list(&ListOptions::default()).await else { return };
        for pod in list.items {
            let ready =
                pod.status.conditions.iter().any(|c| c.type_ == "Ready" && c.status == "True");
            let broken = pod.spec.containers.iter().any(|c| c.image.starts_with(NEVER_READY));
            if ready || broken || pod.metadata.deletion_timestamp.is_some() {
                continue;
            }
            let patch = json!({"status": {"phase": "Running", "conditions": [{
                "type": "Ready", "status": "True",
                "lastTransitionTime": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()}]}});
            let _ = pods
                .patch_status(
                    &pod.metadata.name,
                    PatchType::Merge,
                    &patch,
                    &PatchOptions::default(),
                )
                .await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn deployment(name: &str, replicas: i32, image: &str, strategy: Value) -> Deployment {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "strategy": strategy,
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "c", "image": image}]}}}
    }))
    .unwrap()
}

/// One sample of a deployment's live pods: how many, how many ready, by template hash.
#[derive(Clone, Debug, Default)]
struct Sample {
    total: usize,
    ready: usize,
    hashes: BTreeMap<String, usize>,
}

async fn sample(pods: &Api<Pod>, app: &str) -> Sample {
    let options = ListOptions { label_selector: format!("app={app}"), ..Default::default() };
    sample_of(&pods.list(&options).await.unwrap().items)
}

fn sample_of<'a>(pods: impl IntoIterator<Item = &'a Pod>) -> Sample {
    let mut sample = Sample::default();
    for pod in pods.into_iter().filter(|pod| pod.metadata.deletion_timestamp.is_none()) {
        sample.total += 1;
        if pod.status.conditions.iter().any(|c| c.type_ == "Ready" && c.status == "True") {
            sample.ready += 1;
        }
        let hash = pod.metadata.labels.get("pod-template-hash").cloned().unwrap_or_default();
        *sample.hashes.entry(hash).or_default() += 1;
    }
    sample
}

/// Watches the pods of `app` and samples them after every change, so every state the watch
/// shows is checked.
struct Monitor {
    samples: Arc<Mutex<Vec<Sample>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Monitor {
    /// Starts watching; returns once the watch has its initial list.
    async fn start(client: &Client, app: &str) -> Monitor {
        let samples = Arc::new(Mutex::new(Vec::new()));
        let pods = Api::<Pod>::default_namespaced(client.clone());
        let config = WatcherConfig::default().labels(&format!("app={app}"));
        let mut watcher = Watcher::new(pods, config);
        let (listed, started) = tokio::sync::oneshot::channel();
        let sink = samples.clone();
        let task = tokio::spawn(async move {
            let mut listed = Some(listed);
            let mut state: BTreeMap<String, Pod> = BTreeMap::new();
            loop {
                match watcher.next().await {
                    WatchEvent::Restarted(all) => {
                        state = all.into_iter().map(|p| (p.metadata.name.clone(), p)).collect();
                        if let Some(listed) = listed.take() {
                            let _ = listed.send(());
                        }
                    }
                    WatchEvent::Applied(pod) => {
                        state.insert(pod.metadata.name.clone(), pod);
                    }
                    WatchEvent::Deleted(pod) => {
                        state.remove(&pod.metadata.name);
                    }
                }
                sink.lock().unwrap().push(sample_of(state.values()));
            }
        });
        started.await.unwrap();
        Monitor { samples, task }
    }

    fn stop(self) -> Vec<Sample> {
        self.task.abort();
        self.samples.lock().unwrap().clone()
    }
}

/// Waits until the deployment reports `replicas` updated, available pods of the current
/// generation and no old ones; returns it.
async fn rolled_out(deployments: &Api<Deployment>, name: &str, replicas: i32) -> Deployment {
    eventually(&format!("{name} rolled out with {replicas}"), || async {
        let d = deployments.get(name).await.unwrap();
        let s = &d.status;
        (s.observed_generation >= d.metadata.generation
            && s.updated_replicas == replicas
            && s.replicas == replicas
            && s.available_replicas == replicas)
            .then_some(d)
    })
    .await
}

async fn replica_sets(client: &Client) -> Vec<ReplicaSet> {
    let sets: Api<ReplicaSet> = Api::default_namespaced(client.clone());
    let mut list = sets.list(&ListOptions::default()).await.unwrap().items;
    list.sort_by_key(|rs| rs.metadata.annotations.get(REVISION_ANNOTATION).cloned());
    list
}

async fn set_image(deployments: &Api<Deployment>, name: &str, image: &str) {
    let patch =
        json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": image}]}}}});
    deployments
        .patch(name, PatchType::StrategicMerge, &patch, &PatchOptions::default())
        .await
        .unwrap();
}

async fn a_rolling_update_stays_within_surge_and_availability_on(backend: Backend) {
    let plane = start_on(backend).await;
    let deployments: Api<Deployment> = Api::default_namespaced(plane.client.clone());
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let strategy =
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}});
    deployments
        .create(&deployment("web", 4, "nginx:1", strategy), &CreateOptions::default())
        .await
        .unwrap();
    let first = rolled_out(&deployments, "web", 4).await;
    assert_eq!(first.metadata.annotations[REVISION_ANNOTATION], "1");
    let sets = replica_sets(&plane.client).await;
    assert_eq!(sets.len(), 1);
    let rs = &sets[0];
    let hash = rs.metadata.labels["pod-template-hash"].clone();
    assert_eq!(rs.metadata.name, format!("web-{hash}"));
    assert_eq!(rs.spec.selector.as_ref().unwrap().match_labels["pod-template-hash"], hash);
    assert_eq!(rs.metadata.owner_references[0].uid, first.metadata.uid);
    assert_eq!(rs.metadata.annotations[REVISION_ANNOTATION], "1");
    assert_eq!(rs.metadata.annotations["deployment.kubernetes.io/desired-replicas"], "4");
    assert_eq!(rs.metadata.annotations["deployment.kubernetes.io/max-replicas"], "5");
    assert_eq!(sample(&pods, "web").await.hashes[&hash], 4);
    let available = first.status.conditions.iter().find(|c| c.type_ == "Available").unwrap();
    assert_eq!(available.status, "True");
    let progressing = first.status.conditions.iter().find(|c| c.type_ == "Progressing").unwrap();
    assert_eq!(progressing.reason, "NewReplicaSetAvailable");

    let monitor = Monitor::start(&plane.client, "web").await;
    set_image(&deployments, "web", "nginx:2").await;
    let second = rolled_out(&deployments, "web", 4).await;
    let samples = monitor.stop();
    assert!(samples.len() > 10, "the monitor saw the rollout: {samples:?}");
    assert!(samples.iter().any(|s| s.hashes.len() == 2), "old and new pods side by side");
    for sample in &samples {
        assert!(sample.total <= 5, "more than replicas + maxSurge pods: {sample:?}");
        assert!(sample.ready >= 3, "fewer than replicas - maxUnavailable ready: {sample:?}");
    }
    assert_eq!(second.metadata.annotations[REVISION_ANNOTATION], "2");
    let sets = replica_sets(&plane.client).await;
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[0].spec.replicas, Some(0), "the old set is drained");
    assert_eq!(sets[1].spec.replicas, Some(4));
    assert_eq!(sets[1].spec.template.spec.containers[0].image, "nginx:2");

    let events: Api<Event> = Api::default_namespaced(plane.client.clone());
    let scaled = eventually("ScalingReplicaSet events", || async {
        let list = events.list(&ListOptions::default()).await.unwrap();
        let messages: Vec<String> = list
            .items
            .into_iter()
            .filter(|e| e.reason == "ScalingReplicaSet" && e.involved_object.name == "web")
            .map(|e| e.message)
            .collect();
        messages.iter().any(|m| m.starts_with("Scaled down replica set")).then_some(messages)
    })
    .await;
    let new_name = &sets[1].metadata.name;
    assert!(scaled.iter().any(|m| m.starts_with(&format!("Scaled up replica set {new_name} to"))));

    // Scaling without a template change resizes the active set only.
    let patch = json!({"spec": {"replicas": 6}});
    deployments.patch("web", PatchType::Merge, &patch, &PatchOptions::default()).await.unwrap();
    rolled_out(&deployments, "web", 6).await;
    let sets = replica_sets(&plane.client).await;
    assert_eq!((sets.len(), sets[1].spec.replicas), (2, Some(6)));
}

#[tokio::test]
async fn a_rolling_update_stays_within_surge_and_availability() {
    a_rolling_update_stays_within_surge_and_availability_on(Backend::Embedded).await;
}

#[tokio::test]
async fn a_rolling_update_stays_within_surge_and_availability_on_etcd() {
    a_rolling_update_stays_within_surge_and_availability_on(Backend::Etcd).await;
}

#[tokio::test]
async fn an_orphan_replica_set_with_the_template_is_adopted_as_the_new_one() {
    let plane = start().await;
    let d = deployment("front", 2, "front:1", json!({}));
    // What a deployment of this template would have made, left behind without an owner.
    let mut orphan_template = d.spec.template.clone();
    orphan_template.metadata.labels.insert("pod-template-hash".into(), "orphan".into());
    let orphan: ReplicaSet = serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "front-orphan", "labels": {"app": "front", "pod-template-hash": "orphan"}},
        "spec": {"replicas": 1,
                 "selector": {"matchLabels": {"app": "front", "pod-template-hash": "orphan"}},
                 "template": orphan_template}
    }))
    .unwrap();
    let sets: Api<ReplicaSet> = Api::default_namespaced(plane.client.clone());
    sets.create(&orphan, &CreateOptions::default()).await.unwrap();
    let deployments: Api<Deployment> = Api::default_namespaced(plane.client.clone());
    let created = deployments.create(&d, &CreateOptions::default()).await.unwrap();
    rolled_out(&deployments, "front", 2).await;
    let all = replica_sets(&plane.client).await;
    assert_eq!(all.len(), 1, "no second replica set: {all:?}");
    let adopted = &all[0];
    assert_eq!(adopted.metadata.name, "front-orphan");
    assert_eq!(adopted.metadata.owner_references[0].uid, created.metadata.uid);
    assert_eq!(adopted.spec.replicas, Some(2));
    assert_eq!(adopted.metadata.annotations[REVISION_ANNOTATION], "1");
}

#[tokio::test]
async fn recreate_never_runs_old_and_new_pods_together() {
    let plane = start().await;
    let deployments: Api<Deployment> = Api::default_namespaced(plane.client.clone());
    let strategy = json!({"type": "Recreate"});
    deployments
        .create(&deployment("db", 3, "postgres:15", strategy), &CreateOptions::default())
        .await
        .unwrap();
    rolled_out(&deployments, "db", 3).await;
    let monitor = Monitor::start(&plane.client, "db").await;
    set_image(&deployments, "db", "postgres:16").await;
    let done = rolled_out(&deployments, "db", 3).await;
    let samples = monitor.stop();
    assert!(samples.iter().all(|s| s.hashes.len() <= 1), "old and new pods at once");
    assert!(samples.iter().any(|s| s.total == 0), "the old pods went before new ones came");
    assert_eq!(done.metadata.annotations[REVISION_ANNOTATION], "2");
}

#[tokio::test]
async fn old_replica_sets_beyond_the_history_limit_are_deleted() {
    let plane = start().await;
    let deployments: Api<Deployment> = Api::default_namespaced(plane.client.clone());
    let mut d = deployment("api", 1, "api:1", json!({}));
    d.spec.revision_history_limit = Some(2);
    deployments.create(&d, &CreateOptions::default()).await.unwrap();
    rolled_out(&deployments, "api", 1).await;
    for version in 2..=5 {
        set_image(&deployments, "api", &format!("api:{version}")).await;
        rolled_out(&deployments, "api", 1).await;
    }
    let sets = eventually("three replica sets left", || async {
        let sets = replica_sets(&plane.client).await;
        (sets.len() == 3).then_some(sets)
    })
    .await;
    let revisions: Vec<&str> =
        sets.iter().map(|rs| rs.metadata.annotations[REVISION_ANNOTATION].as_str()).collect();
    assert_eq!(revisions, ["3", "4", "5"]);
}

#[tokio::test]
async fn a_paused_deployment_holds_its_rollout_until_resumed() {
    let plane = start().await;
    let deployments: Api<Deployment> = Api::default_namespaced(plane.client.clone());
    deployments
        .create(&deployment("cache", 2, "redis:6", json!({})), &CreateOptions::default())
        .await
        .unwrap();
    rolled_out(&deployments, "cache", 2).await;
    let pause = json!({"spec": {"paused": true}});
    deployments.patch("cache", PatchType::Merge, &pause, &PatchOptions::default()).await.unwrap();
    eventually("the paused condition", || async {
        let d = deployments.get("cache").await.unwrap();
        d.status
            .conditions
            .iter()
            .any(|c| {
                c.type_ == "Progressing" && c.reason == "DeploymentPaused" && c.status == "Unknown"
            })
            .then_some(())
    })
    .await;
    set_image(&deployments, "cache", "redis:7").await;
    // Scaling still works while paused; the rollout does not start.
    let scale = json!({"spec": {"replicas": 3}});
    deployments.patch("cache", PatchType::Merge, &scale, &PatchOptions::default()).await.unwrap();
    eventually("scaled while paused", || async {
        let sets = replica_sets(&plane.client).await;
        (sets.len() == 1 && sets[0].spec.replicas == Some(3)).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(replica_sets(&plane.client).await.len(), 1, "no new replica set while paused");

    let resume = json!({"spec": {"paused": false}});
    deployments.patch("cache", PatchType::Merge, &resume, &PatchOptions::default()).await.unwrap();
    let done = rolled_out(&deployments, "cache", 3).await;
    assert_eq!(done.spec.template.spec.containers[0].image, "redis:7");
    assert_eq!(replica_sets(&plane.client).await.len(), 2);
}

#[tokio::test]
async fn a_stuck_rollout_exceeds_its_progress_deadline() {
    let plane = start().await;
    let deployments: Api<Deployment> = Api::default_namespaced(plane.client.clone());
    let mut stuck = deployment("stuck", 2, &format!("{NEVER_READY}:1"), json!({}));
    stuck.spec.progress_deadline_seconds = Some(2);
    deployments.create(&stuck, &CreateOptions::default()).await.unwrap();
    let condition = eventually("the deadline exceeded", || async {
        let d = deployments.get("stuck").await.unwrap();
        d.status
            .conditions
            .into_iter()
            .find(|c| c.type_ == "Progressing" && c.reason == "ProgressDeadlineExceeded")
    })
    .await;
    assert_eq!(condition.status, "False");
    assert!(condition.message.ends_with("has timed out progressing."), "{}", condition.message);
    let d = deployments.get("stuck").await.unwrap();
    let available = d.status.conditions.iter().find(|c| c.type_ == "Available").unwrap();
    assert_eq!((available.status.as_str(), d.status.unavailable_replicas), ("False", 2));
}

#[tokio::test]
async fn scaling_a_stuck_rollout_spreads_replicas_proportionally() {
    let plane = start().await;
    let deployments: Api<Deployment> = Api::default_namespaced(plane.client.clone());
    // 4 replicas, 25%: surge 1, unavailable 1.
    deployments
        .create(&deployment("mixed", 4, "mixed:1", json!({})), &CreateOptions::default())
        .await
        .unwrap();
    rolled_out(&deployments, "mixed", 4).await;
    set_image(&deployments, "mixed", &format!("{NEVER_READY}:2")).await;
    // The new pods never become ready: the rollout stops at 3 old + 2 new.
    let sizes = |sets: &[ReplicaSet]| -> Vec<Option<i32>> {
        sets.iter().map(|rs| rs.spec.replicas).collect()
    };
    eventually("the rollout stuck at 3 old + 2 new", || async {
        let sets = replica_sets(&plane.client).await;
        (sizes(&sets) == [Some(3), Some(2)]).then_some(())
    })
    .await;
    // Scaled to 8 (surge 2, so at most 10): both grow in proportion, 3:2 → 6:4.
    let patch = json!({"spec": {"replicas": 8}});
    deployments.patch("mixed", PatchType::Merge, &patch, &PatchOptions::default()).await.unwrap();
    let sets = eventually("both sets scaled", || async {
        let sets = replica_sets(&plane.client).await;
        (sizes(&sets) == [Some(6), Some(4)]).then_some(sets)
    })
    .await;
    for rs in &sets {
        assert_eq!(rs.metadata.annotations["deployment.kubernetes.io/desired-replicas"], "8");
        assert_eq!(rs.metadata.annotations["deployment.kubernetes.io/max-replicas"], "10");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sizes(&replica_sets(&plane.client).await), [Some(6), Some(4)], "and it stays so");
}

#[tokio::test]
async fn a_hash_collision_bumps_the_collision_count() {
    let plane = start().await;
    let deployments: Api<Deployment> = Api::default_namespaced(plane.client.clone());
    // Paused, it makes no replica set, so the name its template hashes to can be taken first.
    let mut d = deployment("clash", 1, "clash:1", json!({}));
    d.spec.paused = true;
    let stored = deployments.create(&d, &CreateOptions::default()).await.unwrap();
    let hash = template_hash(&stored.spec.template, None);
    let squatter: ReplicaSet = serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": format!("clash-{hash}"), "labels": {"app": "squatter"}},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "squatter"}},
                 "template": {"metadata": {"labels": {"app": "squatter"}},
                              "spec": {"containers": [{"name": "c", "image": "other"}]}}}
    }))
    .unwrap();
    let sets: Api<ReplicaSet> = Api::default_namespaced(plane.client.clone());
    sets.create(&squatter, &CreateOptions::default()).await.unwrap();
    let resume = json!({"spec": {"paused": false}});
    deployments.patch("clash", PatchType::Merge, &resume, &PatchOptions::default()).await.unwrap();
    let done = rolled_out(&deployments, "clash", 1).await;
    assert_eq!(done.status.collision_count, Some(1));
    let ours: Vec<ReplicaSet> = replica_sets(&plane.client)
        .await
        .into_iter()
        .filter(|rs| rs.metadata.owner_references.iter().any(|r| r.uid == done.metadata.uid))
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(
        ours[0].metadata.name,
        format!("clash-{}", template_hash(&stored.spec.template, Some(1)))
    );
    assert!(sets.get(&format!("clash-{hash}")).await.unwrap().metadata.owner_references.is_empty());
}

/// The versioned kubectl next to the one on `PATH`.
fn kubectl_binary(version: &str) -> PathBuf {
    let on_path = std::process::Command::new("sh")
        .args(["-c", "readlink -f \"$(command -v kubectl)\""])
        .output()
        .expect("sh runs");
    let on_path = PathBuf::from(String::from_utf8(on_path.stdout).unwrap().trim());
    let binary = on_path.parent().expect("kubectl is on PATH").join(format!("kubectl.{version}"));
    assert!(binary.exists(), "{} is missing", binary.display());
    binary
}

/// Runs kubectl 1.33 against `server`; returns (success, stdout + stderr).
async fn kubectl(server: &str, home: &std::path::Path, args: &[&str]) -> (bool, String) {
    let binary = kubectl_binary("1.33");
    let mut argv = vec![format!("--server={server}")];
    argv.extend(args.iter().map(|arg| arg.to_string()));
    let home = home.to_path_buf();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(binary)
            .args(&argv)
            .env("HOME", &home)
            .env("KUBECONFIG", home.join("kubeconfig"))
            .output()
            .expect("kubectl runs")
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_rollout_status_history_undo_pause_resume_and_scale() {
    let plane = start().await;
    let server = plane.server.url();
    let home = tempfile::tempdir().unwrap();
    let run = |args: &'static [&'static str]| {
        let (server, home) = (server.clone(), home.path().to_path_buf());
        async move {
            let (ok, text) = kubectl(&server, &home, args).await;
            assert!(ok, "kubectl {args:?} failed: {text}");
            text
        }
    };
    let deployments: Api<Deployment> = Api::default_namespaced(plane.client.clone());
    // kubectl sends typed creates as protobuf, which the apiserver does not take: create from a
    // manifest instead (sent as JSON).
    let mut manifest = deployment("shop", 3, "shop:1", json!({}));
    manifest.spec.template.spec.containers[0].name = "shop".into();
    let file = home.path().join("shop.json");
    std::fs::write(&file, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let (ok, text) = kubectl(&server, home.path(), &["create", "-f", file.to_str().unwrap()]).await;
    assert!(ok, "kubectl create failed: {text}");
    let status = run(&["rollout", "status", "deployment/shop", "--timeout=60s"]).await;
    assert!(status.contains("successfully rolled out"), "{status}");

    run(&["set", "image", "deployment/shop", "shop=shop:2"]).await;
    run(&["annotate", "deployment/shop", "kubernetes.io/change-cause=upgrade to 2"]).await;
    let status = run(&["rollout", "status", "deployment/shop", "--timeout=60s"]).await;
    assert!(status.contains("successfully rolled out"), "{status}");
    let history = run(&["rollout", "history", "deployment/shop"]).await;
    assert!(history.contains("REVISION"), "{history}");
    let rows: Vec<&str> = history.lines().filter(|l| l.starts_with(['1', '2'])).collect();
    assert_eq!(rows.len(), 2, "{history}");
    assert!(history.contains("upgrade to 2"), "{history}");

    let undo = run(&["rollout", "undo", "deployment/shop"]).await;
    assert!(undo.contains("rolled back"), "{undo}");
    run(&["rollout", "status", "deployment/shop", "--timeout=60s"]).await;
    let d = rolled_out(&deployments, "shop", 3).await;
    assert_eq!(d.spec.template.spec.containers[0].image, "shop:1");
    assert_eq!(d.metadata.annotations[REVISION_ANNOTATION], "3");
    let sets = replica_sets(&plane.client).await;
    assert_eq!(sets.len(), 2, "the old replica set is reused");
    let reused =
        sets.iter().find(|rs| rs.spec.template.spec.containers[0].image == "shop:1").unwrap();
    assert_eq!(reused.metadata.annotations[REVISION_ANNOTATION], "3");
    assert_eq!(reused.metadata.annotations[REVISION_HISTORY_ANNOTATION], "1");
    let history = run(&["rollout", "history", "deployment/shop"]).await;
    assert!(history.lines().any(|l| l.starts_with('3')), "{history}");

    run(&["rollout", "pause", "deployment/shop"]).await;
    assert!(deployments.get("shop").await.unwrap().spec.paused);
    run(&["rollout", "resume", "deployment/shop"]).await;
    assert!(!deployments.get("shop").await.unwrap().spec.paused);

    run(&["scale", "deployment/shop", "--replicas=5"]).await;
    let status = run(&["rollout", "status", "deployment/shop", "--timeout=60s"]).await;
    assert!(status.contains("successfully rolled out"), "{status}");
    let d = rolled_out(&deployments, "shop", 5).await;
    assert_eq!(d.status.ready_replicas, 5);
}
