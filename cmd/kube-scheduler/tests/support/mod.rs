//! A cluster for scheduler tests: a real apiserver in this process, nodes created as API objects
//! (capacity, allocatable, a Ready condition), and a scheduler running in-process on it.

#![allow(dead_code)]

use api_types::api::core::v1::{Event, Node, Pod, PodCondition};
use api_types::meta::v1::{CreateOptions, ListOptions, PatchOptions, PatchType};
use client::informer::InformerFactory;
use client::{Api, Client, Config};
use component_base::ShutdownToken;
use kube_apiserver::testing::InProcessApiServer;
use kube_scheduler::algorithm::Algorithm;
use kube_scheduler::algorithm::provider::DEFAULT_PROVIDER;
use kube_scheduler::policy::Policy;
use kube_scheduler::scheduler::{Scheduler, SchedulerConfig};
use serde_json::{Value, json};
use std::future::Future;
use std::time::Duration;

/// How long a test waits for the cluster to converge before failing.
pub const CONVERGE: Duration = Duration::from_secs(30);

/// A running apiserver; everything stops when dropped.
pub struct Cluster {
    pub server: InProcessApiServer,
    pub client: Client,
    pub shutdown: ShutdownToken,
    pub pods: Api<Pod>,
    _directory: tempfile::TempDir,
}

impl Cluster {
    /// Starts an apiserver (no scheduler yet).
    pub async fn start() -> Cluster {
        let directory = tempfile::tempdir().unwrap();
        let server = InProcessApiServer::start(directory.path(), &[]).await.expect("apiserver");
        let client = Client::new(Config::for_server(&server.url()).unwrap()).unwrap();
        let pods = Api::default_namespaced(client.clone());
        Cluster { server, client, shutdown: ShutdownToken::new(), pods, _directory: directory }
    }

    /// Starts a scheduler running `algorithm` until the cluster is dropped.
    pub fn schedule_with(&self, algorithm: Algorithm) {
        let informers = InformerFactory::new(self.client.clone(), self.shutdown.clone());
        let scheduler = Scheduler::new(
            self.client.clone(),
            &informers,
            SchedulerConfig::new(algorithm),
            &prometheus::Registry::new(),
        );
        tokio::spawn(scheduler.run(self.shutdown.clone()));
    }

    /// Starts the default provider's scheduler.
    pub fn schedule(&self) {
        self.schedule_with(Algorithm::from_provider(DEFAULT_PROVIDER).unwrap());
    }

    /// Starts a scheduler running the policy `policy`.
    pub fn schedule_with_policy(&self, policy: Value) {
        let policy = Policy::parse(&policy.to_string()).unwrap();
        self.schedule_with(Algorithm::from_policy(&policy).unwrap());
    }

    /// Creates a Ready node offering `cpu`, `memory` and 110 pods, with `labels`, then applies
    /// `spec` (a merge patch of the spec: taints, unschedulable).
    pub async fn node_with(&self, name: &str, cpu: &str, memory: &str, labels: Value, spec: Value) {
        let nodes: Api<Node> = Api::all(self.client.clone());
        let node: Node = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": labels}, "spec": spec
        }))
        .unwrap();
        nodes.create(&node, &CreateOptions::default()).await.unwrap();
        let resources = json!({"cpu": cpu, "memory": memory, "pods": "110"});
        let status = json!({"status": {
            "capacity": resources, "allocatable": resources,
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}]
        }});
        nodes
            .patch_status(name, PatchType::Merge, &status, &PatchOptions::default())
            .await
            .unwrap();
    }

    /// Creates a plain Ready node.
    pub async fn node(&self, name: &str, cpu: &str, memory: &str, labels: Value) {
        self.node_with(name, cpu, memory, labels, json!({})).await;
    }

    /// Creates the pod `name` in `default` with `spec` merged over one busybox container.
    pub async fn pod(&self, name: &str, labels: Value, spec: Value) {
        let mut pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": labels},
            "spec": {"containers": [{"name": "c", "image": "busybox"}]}
        });
        for (key, value) in spec.as_object().unwrap() {
            pod["spec"][key] = value.clone();
        }
        let pod: Pod = serde_json::from_value(pod).unwrap();
        self.pods.create(&pod, &CreateOptions::default()).await.unwrap();
    }

    /// Creates a pod whose one container requests `cpu` and `memory`.
    pub async fn pod_requesting(&self, name: &str, cpu: &str, memory: &str) {
        let containers = json!([{"name": "c", "image": "busybox",
            "resources": {"requests": {"cpu": cpu, "memory": memory}}}]);
        self.pod(name, json!({}), json!({"containers": containers})).await;
    }

    /// The node the pod is bound to, once it is.
    pub async fn bound(&self, name: &str) -> String {
        eventually(&format!("{name} bound"), || async {
            let pod = self.pods.get(name).await.ok()?;
            Some(pod.spec.node_name).filter(|node| !node.is_empty())
        })
        .await
    }

    /// The message of the pod's event with `reason`, once there is one.
    pub async fn event(&self, pod: &str, reason: &str) -> String {
        let events: Api<Event> = Api::default_namespaced(self.client.clone());
        eventually(&format!("a {reason} event for {pod}"), || async {
            let options = ListOptions {
                field_selector: format!("involvedObject.name={pod}"),
                ..Default::default()
            };
            let list = events.list(&options).await.ok()?;
            list.items.into_iter().find(|event| event.reason == reason).map(|event| event.message)
        })
        .await
    }

    /// The pod's `PodScheduled` condition, once it has one.
    pub async fn scheduled_condition(&self, pod: &str) -> PodCondition {
        eventually(&format!("a PodScheduled condition on {pod}"), || async {
            let pod = self.pods.get(pod).await.ok()?;
            pod.status.conditions.into_iter().find(|c| c.type_ == "PodScheduled")
        })
        .await
    }

    /// Asserts the pod stays unbound for a while (the scheduler had time to try several times).
    pub async fn stays_pending(&self, name: &str) {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let pod = self.pods.get(name).await.unwrap();
        assert_eq!(pod.spec.node_name, "", "{name} must stay pending");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// Polls `check` until it returns `Some`, failing the test with `what` after [`CONVERGE`].
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + CONVERGE;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
