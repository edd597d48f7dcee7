//! The node lifecycle controller's loop (book 6.3): every `--node-monitor-period` it judges each
//! node's heartbeats (`health`), marks silent nodes' conditions `Unknown` (and their pods not
//! ready), evicts the pods of nodes not ready for `--pod-eviction-timeout` at
//! `--deleting-pods-qps` nodes per second, and removes pods bound to nodes that no longer exist.

use super::health::{HealthPolicy, HealthTracker};
use crate::controller::context::ControllerContext;
use api_types::api::coordination::v1::Lease;
use api_types::api::core::v1::{Node, Pod};
use api_types::meta::v1::{DeleteOptions, PatchOptions, PatchType};
use client::events::object_reference;
use client::informer::SharedInformer;
use client::token_bucket::TokenBucket;
use client::{Api, Client, EventRecorder, EventType};
use std::collections::HashSet;
use std::sync::Arc;
use tokio::time::Instant;

/// The namespace where kubelets renew their node Leases.
pub const NODE_LEASE_NAMESPACE: &str = "kube-node-lease";

/// The index of pods by the node they are bound to.
const PODS_BY_NODE: &str = "spec.nodeName";

/// The node lifecycle controller.
pub struct NodeLifecycleController {
    client: Client,
    nodes: Arc<SharedInformer<Node>>,
    pods: Arc<SharedInformer<Pod>>,
    leases: Arc<SharedInformer<Lease>>,
    recorder: EventRecorder,
    policy: HealthPolicy,
    period: std::time::Duration,
    eviction_rate: (f64, u32),
}

impl NodeLifecycleController {
    /// Builds the controller from the context's flags.
    pub fn new(context: &ControllerContext) -> Arc<Self> {
        let options = &context.options.nodes;
        let duration = |value: std::time::Duration| {
            chrono::Duration::from_std(value).unwrap_or(chrono::Duration::MAX)
        };
        let pods = context.informers.informer::<Pod>();
        let by_node: fn(&Pod) -> Vec<String> = |pod| {
            if pod.spec.node_name.is_empty() {
                Vec::new()
            } else {
                vec![pod.spec.node_name.clone()]
            }
        };
        if let Err(error) = pods.store().add_index(PODS_BY_NODE, by_node) {
            tracing::debug!(%error, "pods-by-node index already present");
        }
        Arc::new(NodeLifecycleController {
            client: context.client.clone(),
            nodes: context.informers.informer::<Node>(),
            pods,
            leases: context.informers.informer_for::<Lease>(Some(NODE_LEASE_NAMESPACE), "", ""),
            recorder: context.recorder("node-controller"),
            policy: HealthPolicy {
                grace_period: duration(options.node_monitor_grace_period),
                startup_grace_period: duration(options.node_startup_grace_period),
                eviction_timeout: duration(options.pod_eviction_timeout),
            },
            period: options.node_monitor_period,
            eviction_rate: (options.deleting_pods_qps, options.deleting_pods_burst),
        })
    }

    /// Monitors nodes every period until the context's shutdown.
    pub async fn run(self: Arc<Self>, context: ControllerContext) {
        for synced in [self.nodes.synced(), self.pods.synced(), self.leases.synced()] {
            if !synced.wait_until_synced().await {
                return;
            }
        }
        let mut tracker = HealthTracker::new();
        let (rate, burst) = self.eviction_rate;
        let mut evictions = TokenBucket::new(rate, burst.max(1), Instant::now());
        let mut evicted: HashSet<String> = HashSet::new();
        let shutdown = context.shutdown.wait();
        tokio::pin!(shutdown);
        let mut ticks =
            tokio::time::interval(self.period.max(std::time::Duration::from_millis(10)));
        loop {
            tokio::select! {
                () = &mut shutdown => return,
                _ = ticks.tick() => {}
            }
            self.monitor(&mut tracker, &mut evictions, &mut evicted).await;
        }
    }

    /// One pass over every node, then over pods bound to missing nodes.
    async fn monitor(
        &self,
        tracker: &mut HealthTracker,
        evictions: &mut TokenBucket,
        evicted: &mut HashSet<String>,
    ) {
        let now = chrono::Utc::now();
        let nodes = self.nodes.store().list();
        let names: HashSet<&str> = nodes.iter().map(|node| node.metadata.name.as_str()).collect();
        for node in &nodes {
            let name = &node.metadata.name;
            let lease = self.leases.store().get(&format!("{NODE_LEASE_NAMESPACE}/{name}"));
            let renewed = lease.and_then(|lease| lease.spec.renew_time.map(|time| time.0));
            let verdict = tracker.check(node, renewed, now, &self.policy);
            if let Some(conditions) = verdict.conditions {
                self.mark_unknown(node, conditions).await;
            }
            if !verdict.evict_pods {
                evicted.remove(name);
            } else if !evicted.contains(name) && evictions.try_take(Instant::now()) {
                self.evict_pods(node).await;
                evicted.insert(name.clone());
            }
        }
        tracker.retain(|name| names.contains(name));
        self.collect_orphans(&names).await;
    }

    /// Writes the `Unknown` conditions and marks the node's pods not ready.
    async fn mark_unknown(
        &self,
        node: &Node,
        conditions: Vec<api_types::api::core::v1::NodeCondition>,
    ) {
        let nodes: Api<Node> = Api::all(self.client.clone());
        let patch = serde_json::json!({ "status": { "conditions": conditions } });
        match nodes
            .patch_status(&node.metadata.name, PatchType::Merge, &patch, &PatchOptions::default())
            .await
        {
            Ok(_) => {
                tracing::info!(node = %node.metadata.name, "node stopped posting status; marked Unknown");
                self.recorder.record(
                    &object_reference(node),
                    EventType::Normal,
                    "NodeNotReady",
                    format!("Node {} status is now: NodeNotReady", node.metadata.name),
                );
            }
            Err(error) => {
                tracing::warn!(node = %node.metadata.name, %error, "marking node Unknown")
            }
        }
        for pod in self.pods_on(&node.metadata.name) {
            let ready = pod.status.conditions.iter().find(|c| c.type_ == "Ready");
            if ready.is_none_or(|condition| condition.status == "False") {
                continue;
            }
            let pods: Api<Pod> = Api::namespaced(self.client.clone(), &pod.metadata.namespace);
            let patch = serde_json::json!({"status": {"conditions": [
                {"type": "Ready", "status": "False", "lastTransitionTime": chrono::Utc::now()}]}});
            if let Err(error) = pods
                .patch_status(
                    &pod.metadata.name,
                    PatchType::StrategicMerge,
                    &patch,
                    &PatchOptions::default(),
                )
                .await
                && !error.is_not_found()
            {
                tracing::warn!(pod = %pod.metadata.name, %error, "marking pod not ready");
            }
        }
    }

    /// Deletes every pod bound to `node` (book: the pods of a dead node are rescheduled by
    /// their controllers elsewhere).
    async fn evict_pods(&self, node: &Node) {
        let pods = self.pods_on(&node.metadata.name);
        if pods.is_empty() {
            return;
        }
        self.recorder.record(
            &object_reference(node),
            EventType::Normal,
            "DeletingAllPods",
            format!("Deleting all Pods from Node {}.", node.metadata.name),
        );
        for pod in pods {
            let api: Api<Pod> = Api::namespaced(self.client.clone(), &pod.metadata.namespace);
            match api.delete(&pod.metadata.name, &DeleteOptions::default()).await {
                Ok(_) => {
                    tracing::info!(node = %node.metadata.name, pod = %pod.metadata.name, "evicted pod")
                }
                Err(error) if error.is_not_found() => {}
                Err(error) => tracing::warn!(pod = %pod.metadata.name, %error, "evicting pod"),
            }
        }
    }

    /// Force-deletes pods bound to nodes that do not exist, after confirming the node's absence
    /// with the apiserver (a stale cache must never delete pods of a live node).
    async fn collect_orphans(&self, nodes: &HashSet<&str>) {
        let Ok(bound) = self.pods.store().index_values(PODS_BY_NODE) else { return };
        let nodes_api: Api<Node> = Api::all(self.client.clone());
        for node in bound.iter().filter(|node| !nodes.contains(node.as_str())) {
            match nodes_api.get_opt(node).await {
                Ok(None) => {}
                Ok(Some(_)) | Err(_) => continue,
            }
            for pod in self.pods_on(node) {
                let api: Api<Pod> = Api::namespaced(self.client.clone(), &pod.metadata.namespace);
                let force = DeleteOptions { grace_period_seconds: Some(0), ..Default::default() };
                match api.delete(&pod.metadata.name, &force).await {
                    Ok(_) => {
                        tracing::info!(%node, pod = %pod.metadata.name, "deleted pod of a deleted node")
                    }
                    Err(error) if error.is_not_found() => {}
                    Err(error) => {
                        tracing::warn!(pod = %pod.metadata.name, %error, "deleting orphaned pod")
                    }
                }
            }
        }
    }

    fn pods_on(&self, node: &str) -> Vec<Arc<Pod>> {
        self.pods.store().by_index(PODS_BY_NODE, node).unwrap_or_default()
    }
}
