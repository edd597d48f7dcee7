//! The scheduling loop (book 6.4.2, `scheduleOne`): take the next pod from the queue, run the
//! algorithm over a snapshot of the cache, assume the pod on the chosen node, and bind it
//! through `pods/binding` on a task of its own so the next pod need not wait. A pod that fits
//! nowhere gets a `FailedScheduling` event and a `PodScheduled=False` condition and is retried
//! after a backoff, or at once when a node appears or changes; a failed binding forgets the
//! assumption and retries the same way.
//!
//! Informer notifications keep the cache and the queue current: unscheduled pods of this
//! scheduler enter the queue; bound pods enter the cache (confirming assumptions); nodes
//! enter the cache. Each notification costs O(1), never a walk over all pods.

use crate::algorithm::generic::{self, SearchOptions};
use crate::algorithm::{Algorithm, PodInfo};
use crate::cache::Cache;
use crate::metrics::{Metrics, Outcome};
use crate::queue::{Popped, SchedulingQueue, pod_key};
use api_types::api::apps::v1::ReplicaSet;
use api_types::api::core::v1::{
    Binding, EventSource, Node, ObjectReference, Pod, ReplicationController, Service,
};
use api_types::labels::Selector;
use api_types::meta::v1::{CreateOptions, ObjectMeta, PatchOptions, PatchType};
use client::events::object_reference;
use client::informer::{InformerFactory, SharedInformer};
use client::{Api, Client, EventRecorder, EventType, Notification, Store};
use component_base::ShutdownToken;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// The scheduler name pods get when they name none.
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";

/// Which pods this pod informer sees: not finished (finished pods use no resources).
const UNFINISHED_PODS: &str = "status.phase!=Succeeded,status.phase!=Failed";

/// How often pods whose backoff has passed are queued again.
const BACKOFF_FLUSH_PERIOD: Duration = Duration::from_millis(200);

/// What a scheduler runs.
pub struct SchedulerConfig {
    /// The `spec.schedulerName` of the pods this scheduler places, and its event source.
    pub scheduler_name: String,
    pub algorithm: Algorithm,
    pub search: SearchOptions,
    /// Bindings in flight at once; the loop waits when they are all taken.
    pub max_concurrent_binds: usize,
}

impl SchedulerConfig {
    /// The default scheduler with `algorithm`.
    pub fn new(algorithm: Algorithm) -> SchedulerConfig {
        SchedulerConfig {
            scheduler_name: DEFAULT_SCHEDULER_NAME.to_string(),
            algorithm,
            search: SearchOptions::default(),
            max_concurrent_binds: 64,
        }
    }
}

/// A scheduler over one set of informers; [`Scheduler::run`] runs it.
pub struct Scheduler {
    shared: Arc<Shared>,
    informers: InformerFactory,
    pods: Arc<SharedInformer<Pod>>,
    nodes: Arc<SharedInformer<Node>>,
}

/// What the loop, the binding tasks and the notification handlers share.
struct Shared {
    client: Client,
    config: SchedulerConfig,
    cache: Cache,
    queue: SchedulingQueue,
    recorder: EventRecorder,
    metrics: Option<Metrics>,
    services: Store<Service>,
    controllers: Store<ReplicationController>,
    replica_sets: Store<ReplicaSet>,
    /// Where the next search for feasible nodes starts, so every node gets its turn.
    next_start: AtomicUsize,
    binds: Arc<Semaphore>,
}

impl Scheduler {
    /// A scheduler using (and starting) `informers`' pods, nodes, services, replication
    /// controllers and replica sets; its metrics go to `registry`. Needs a tokio runtime.
    pub fn new(
        client: Client,
        informers: &InformerFactory,
        config: SchedulerConfig,
        registry: &prometheus::Registry,
    ) -> Scheduler {
        let metrics = match Metrics::register(registry) {
            Ok(metrics) => Some(metrics),
            Err(error) => {
                tracing::warn!(%error, "scheduler metrics are not exported");
                None
            }
        };
        let source = EventSource { component: config.scheduler_name.clone(), host: String::new() };
        let binds = Arc::new(Semaphore::new(config.max_concurrent_binds.max(1)));
        let shared = Arc::new(Shared {
            recorder: EventRecorder::new(client.clone(), source),
            client,
            cache: Cache::new(),
            queue: SchedulingQueue::new(),
            metrics,
            services: informers.informer::<Service>().store().clone(),
            controllers: informers.informer::<ReplicationController>().store().clone(),
            replica_sets: informers.informer::<ReplicaSet>().store().clone(),
            next_start: AtomicUsize::new(0),
            binds,
            config,
        });
        Scheduler {
            shared,
            informers: informers.clone(),
            pods: informers.informer_for::<Pod>(None, "", UNFINISHED_PODS),
            nodes: informers.informer::<Node>(),
        }
    }

    /// Schedules pods until `shutdown`, then waits for the bindings in flight.
    pub async fn run(self, shutdown: ShutdownToken) {
        if !self.informers.wait_for_cache_sync().await {
            return;
        }
        let shared = &self.shared;
        // Everything listed is in the cache before the first pod is scheduled.
        let mut nodes = self.nodes.subscribe();
        while let Ok(notification) = nodes.try_recv() {
            shared.on_node(notification);
        }
        let mut pods = self.pods.subscribe();
        while let Ok(notification) = pods.try_recv() {
            shared.on_pod(notification);
        }
        tracing::info!(
            nodes = shared.cache.snapshot().len(),
            placed = shared.cache.pod_count(),
            waiting = shared.queue.len(),
            "scheduler caches synced; scheduling"
        );
        let handlers = [
            tokio::spawn({
                let shared = shared.clone();
                async move {
                    while let Some(notification) = nodes.recv().await {
                        shared.on_node(notification);
                    }
                }
            }),
            tokio::spawn({
                let shared = shared.clone();
                async move {
                    while let Some(notification) = pods.recv().await {
                        shared.on_pod(notification);
                    }
                }
            }),
            tokio::spawn({
                let shared = shared.clone();
                let stop = shutdown.wait();
                async move {
                    tokio::pin!(stop);
                    let mut timer = tokio::time::interval(BACKOFF_FLUSH_PERIOD);
                    loop {
                        tokio::select! {
                            _ = &mut stop => break,
                            _ = timer.tick() => { shared.queue.flush_backoff(); }
                        }
                    }
                    shared.queue.shut_down();
                }
            }),
        ];
        while let Some(popped) = shared.queue.pop().await {
            shared.schedule_one(popped).await;
        }
        // Wait for the bindings in flight.
        let _ = shared.binds.acquire_many(shared.config.max_concurrent_binds.max(1) as u32).await;
        for handler in handlers {
            handler.abort();
        }
        shared.recorder.flush().await;
        tracing::info!("scheduler stopped");
    }
}

impl Shared {
    /// Whether this scheduler places `pod`.
    fn responsible_for(&self, pod: &Pod) -> bool {
        let name = &pod.spec.scheduler_name;
        *name == self.config.scheduler_name
            || (name.is_empty() && self.config.scheduler_name == DEFAULT_SCHEDULER_NAME)
    }

    fn on_pod(&self, notification: Notification<Pod>) {
        match notification {
            Notification::Added(pod) | Notification::Updated { new: pod, .. } => {
                if !pod.spec.node_name.is_empty() {
                    self.queue.remove(&pod_key(&pod));
                    self.cache.add_pod(pod);
                } else if self.responsible_for(&pod) && pod.metadata.deletion_timestamp.is_none() {
                    self.queue.add(pod);
                } else {
                    self.queue.remove(&pod_key(&pod));
                }
            }
            Notification::Deleted { object, .. } => {
                self.queue.remove(&pod_key(&object));
                if !object.spec.node_name.is_empty() {
                    self.cache.remove_pod(&object);
                    // Its resources and ports are free again.
                    self.queue.move_all_to_active();
                }
            }
        }
    }

    fn on_node(&self, notification: Notification<Node>) {
        match notification {
            Notification::Added(node) => {
                self.cache.set_node(node);
                self.queue.move_all_to_active();
            }
            Notification::Updated { old, new } => {
                let helps = may_let_pods_fit(&old, &new);
                self.cache.set_node(new);
                if helps {
                    self.queue.move_all_to_active();
                }
            }
            Notification::Deleted { object, .. } => self.cache.remove_node(&object.metadata.name),
        }
    }

    /// The pod with what it asks for and the workloads it belongs to.
    fn pod_info(&self, pod: Arc<Pod>) -> PodInfo {
        let mut info = PodInfo::new(pod);
        let namespace = info.namespace().to_string();
        let labels = &info.pod.metadata.labels;
        let selects = |selector: &BTreeMap<String, String>| {
            !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
        };
        let mut selectors = Vec::new();
        let mut service_selector = None;
        for service in self.services.list_namespace(&namespace) {
            if selects(&service.spec.selector) {
                selectors.push(Selector::from_set(&service.spec.selector));
                service_selector.get_or_insert_with(|| service.spec.selector.clone());
            }
        }
        for controller in self.controllers.list_namespace(&namespace) {
            if selects(&controller.spec.selector) {
                selectors.push(Selector::from_set(&controller.spec.selector));
            }
        }
        for replica_set in self.replica_sets.list_namespace(&namespace) {
            if let Ok(selector) = Selector::from_label_selector(replica_set.spec.selector.as_ref())
                && !selector.is_empty()
                && selector.matches(labels)
            {
                selectors.push(selector);
            }
        }
        info.spread_selectors = selectors;
        info.service_selector = service_selector;
        info
    }

    async fn schedule_one(self: &Arc<Self>, popped: Popped) {
        let started = Instant::now();
        let pod = popped.pod.clone();
        tracing::debug!(pod = %popped.key, "about to try and schedule pod");
        let info = self.pod_info(pod.clone());
        let nodes = self.cache.snapshot();
        let start = self.next_start.load(Ordering::Relaxed);
        let (result, next) =
            generic::schedule(&self.config.algorithm, &info, &nodes, start, &self.config.search);
        self.next_start.store(next, Ordering::Relaxed);
        drop(nodes);
        match result {
            Err(fit) => self.unschedulable(&popped, &fit.to_string(), started),
            Ok(scheduled) => {
                self.cache.assume(&pod, &scheduled.node);
                let permit = self.binds.clone().acquire_owned().await.expect("never closed");
                let shared = self.clone();
                tokio::spawn(async move {
                    shared.bind(popped, scheduled.node, started).await;
                    drop(permit);
                });
            }
        }
    }

    /// POSTs the binding; on failure forgets the assumption and retries after a backoff.
    async fn bind(&self, popped: Popped, node: String, started: Instant) {
        let pod = &popped.pod;
        let (namespace, name) = (&pod.metadata.namespace, &pod.metadata.name);
        let binding = Binding {
            api_version: "v1".into(),
            kind: "Binding".into(),
            metadata: ObjectMeta {
                name: name.clone(),
                namespace: namespace.clone(),
                uid: pod.metadata.uid.clone(),
                ..ObjectMeta::default()
            },
            target: ObjectReference {
                kind: "Node".into(),
                name: node.clone(),
                ..Default::default()
            },
        };
        let pods: Api<Pod> = Api::namespaced(self.client.clone(), namespace);
        let created: client::Result<serde_json::Value> =
            pods.create_subresource(name, "binding", &binding, &CreateOptions::default()).await;
        match created {
            Ok(_) => {
                self.queue.done(&popped.key);
                self.observe(Outcome::Scheduled, started);
                let message = format!("Successfully assigned {namespace}/{name} to {node}");
                tracing::debug!(pod = %popped.key, %node, "bound");
                self.recorder.record(
                    &object_reference(pod.as_ref()),
                    EventType::Normal,
                    "Scheduled",
                    message,
                );
            }
            Err(error) => {
                tracing::info!(pod = %popped.key, %node, %error, "binding failed; retrying");
                self.cache.forget(pod);
                self.observe(Outcome::Error, started);
                let message = format!("Binding rejected: {error}");
                self.recorder.record(
                    &object_reference(pod.as_ref()),
                    EventType::Warning,
                    "FailedScheduling",
                    message,
                );
                self.queue.failed(&popped.key);
            }
        }
    }

    /// No node fits: event, condition, backoff.
    fn unschedulable(self: &Arc<Self>, popped: &Popped, message: &str, started: Instant) {
        self.observe(Outcome::Unschedulable, started);
        tracing::debug!(pod = %popped.key, %message, "unschedulable");
        let pod = &popped.pod;
        self.recorder.record(
            &object_reference(pod.as_ref()),
            EventType::Warning,
            "FailedScheduling",
            message,
        );
        self.queue.failed(&popped.key);
        if let Some(patch) = unschedulable_condition_patch(pod, message) {
            let pods: Api<Pod> = Api::namespaced(self.client.clone(), &pod.metadata.namespace);
            let name = pod.metadata.name.clone();
            tokio::spawn(async move {
                let patched = pods
                    .patch_status(
                        &name,
                        PatchType::StrategicMerge,
                        &patch,
                        &PatchOptions::default(),
                    )
                    .await;
                if let Err(error) = patched {
                    tracing::debug!(pod = %name, %error, "could not set the PodScheduled condition");
                }
            });
        }
    }

    fn observe(&self, outcome: Outcome, started: Instant) {
        if let Some(metrics) = &self.metrics {
            metrics.observe(outcome, &self.config.scheduler_name, started.elapsed());
        }
    }
}

/// The status patch that sets `PodScheduled=False` with reason `Unschedulable` and `message`;
/// `None` when the pod already says exactly that.
pub fn unschedulable_condition_patch(pod: &Pod, message: &str) -> Option<serde_json::Value> {
    let current = pod.status.conditions.iter().find(|c| c.type_ == "PodScheduled");
    if current
        .is_some_and(|c| c.status == "False" && c.reason == "Unschedulable" && c.message == message)
    {
        return None;
    }
    let transition = match current {
        Some(condition) if condition.status == "False" => {
            condition.last_transition_time.as_ref().map(|time| json!(time))
        }
        _ => None,
    }
    .unwrap_or_else(|| {
        json!(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    });
    Some(json!({"status": {"conditions": [{
        "type": "PodScheduled",
        "status": "False",
        "reason": "Unschedulable",
        "message": message,
        "lastProbeTime": null,
        "lastTransitionTime": transition,
    }]}}))
}

/// Whether a node change may let a waiting pod fit (heartbeats alone do not).
fn may_let_pods_fit(old: &Node, new: &Node) -> bool {
    let ready = |node: &Node| {
        node.status.conditions.iter().find(|c| c.type_ == "Ready").map(|c| c.status.clone())
    };
    old.spec.unschedulable != new.spec.unschedulable
        || old.spec.taints != new.spec.taints
        || old.metadata.labels != new.metadata.labels
        || old.status.allocatable != new.status.allocatable
        || old.status.capacity != new.status.capacity
        || ready(old) != ready(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_condition_is_patched_only_when_it_changes() {
        let mut pod: Pod = serde_json::from_value(json!({"metadata": {"name": "p"}})).unwrap();
        let patch =
            unschedulable_condition_patch(&pod, "0/1 nodes are available: 1 Too many pods.")
                .unwrap();
        let condition = &patch["status"]["conditions"][0];
        assert_eq!(
            (condition["reason"].as_str(), condition["status"].as_str()),
            (Some("Unschedulable"), Some("False"))
        );
        pod.status.conditions =
            serde_json::from_value(json!([{"type": "PodScheduled", "status": "False",
            "reason": "Unschedulable", "message": "0/1 nodes are available: 1 Too many pods.",
            "lastTransitionTime": "2026-01-01T00:00:00Z"}]))
            .unwrap();
        assert!(
            unschedulable_condition_patch(&pod, "0/1 nodes are available: 1 Too many pods.")
                .is_none()
        );
        let changed =
            unschedulable_condition_patch(&pod, "0/2 nodes are available: 2 Too many pods.")
                .unwrap();
        assert_eq!(
            changed["status"]["conditions"][0]["lastTransitionTime"],
            "2026-01-01T00:00:00Z"
        );
    }

    #[test]
    fn heartbeats_do_not_wake_waiting_pods() {
        let node: Node = serde_json::from_value(json!({"metadata": {"name": "n"},
            "status": {"conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": "2026-01-01T00:00:00Z"}]}}))
        .unwrap();
        let mut beat = node.clone();
        beat.status.conditions[0].last_heartbeat_time = None;
        assert!(!may_let_pods_fit(&node, &beat));
        let mut cordoned = node.clone();
        cordoned.spec.unschedulable = true;
        assert!(may_let_pods_fit(&node, &cordoned));
    }
}
