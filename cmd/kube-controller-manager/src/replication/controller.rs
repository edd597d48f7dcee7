//! The replication manager's control loop, the same for ReplicationControllers and ReplicaSets
//! (upstream runs one `ReplicaSetController` for both): informers on the owners and on pods,
//! a work queue of owner keys, and a sync that claims pods, creates or deletes the difference
//! (holding back while earlier writes are still on their way through the watch) and reports
//! status.

use super::kind::ReplicatedKind;
use super::plan::{Plan, plan, with_failure_condition};
use crate::controller::context::ControllerContext;
use crate::controller::expectations::Expectations;
use crate::controller::owner::{adoption_patch, controller_of, controller_ref, release_patch};
use crate::controller::pod_template::pod_from_template;
use crate::controller::worker::{run_workers, split_key};
use api_types::api::core::v1::Pod;
use api_types::meta::v1::{CreateOptions, DeleteOptions, PatchOptions, PatchType};
use client::events::object_reference;
use client::informer::SharedInformer;
use client::store::{Notification, object_key};
use client::workqueue::WorkQueue;
use client::{Api, Client, EventRecorder, EventType};
use std::sync::Arc;
use std::time::Duration;

/// One replication manager for kind `K`.
pub struct ReplicationManager<K: ReplicatedKind> {
    client: Client,
    owners: Arc<SharedInformer<K>>,
    pods: Arc<SharedInformer<Pod>>,
    queue: WorkQueue<String>,
    expectations: Expectations,
    recorder: EventRecorder,
}

impl<K: ReplicatedKind> ReplicationManager<K> {
    /// Builds the manager and subscribes it to its informers; `component` names its events
    /// and queue (`replication-controller`, `replicaset-controller`).
    pub fn new(context: &ControllerContext, component: &str) -> Arc<Self> {
        let manager = Arc::new(ReplicationManager {
            client: context.client.clone(),
            owners: context.informers.informer::<K>(),
            pods: context.informers.informer::<Pod>(),
            queue: context.queue(component),
            expectations: Expectations::new(),
            recorder: context.recorder(component),
        });
        let handler = Arc::clone(&manager);
        manager.owners.add_handler(move |notification| handler.owner_changed(notification));
        let handler = Arc::clone(&manager);
        manager.pods.add_handler(move |notification| handler.pod_changed(notification));
        manager
    }

    /// Runs `workers` workers until the context's shutdown.
    pub async fn run(self: Arc<Self>, context: ControllerContext, workers: usize) {
        if !self.owners.wait_until_synced().await || !self.pods.wait_until_synced().await {
            return;
        }
        let manager = Arc::clone(&self);
        run_workers(K::KIND, self.queue.clone(), workers, context.shutdown.clone(), move |key| {
            let manager = Arc::clone(&manager);
            async move { manager.sync(&key).await }
        })
        .await;
    }

    fn owner_changed(&self, notification: Notification<K>) {
        let key = object_key(notification.object().as_ref());
        if let Notification::Deleted { .. } = notification {
            self.expectations.forget(&key);
        }
        self.queue.add(key);
    }

    fn pod_changed(&self, notification: Notification<Pod>) {
        match &notification {
            Notification::Added(pod) if pod.metadata.deletion_timestamp.is_some() => {
                self.pod_gone(pod);
            }
            Notification::Added(pod) => match self.owner_key(pod) {
                Some(owner) => {
                    self.expectations.creation_observed(&owner);
                    self.queue.add(owner);
                }
                None => self.enqueue_matching_owners(pod),
            },
            Notification::Updated { old, new } => {
                if Arc::ptr_eq(old, new) {
                    return;
                }
                if new.metadata.deletion_timestamp.is_some()
                    && old.metadata.deletion_timestamp.is_none()
                {
                    self.pod_gone(new);
                }
                let old_owner = self.owner_key(old);
                let new_owner = self.owner_key(new);
                if old_owner != new_owner
                    && let Some(old_owner) = old_owner
                {
                    self.queue.add(old_owner);
                }
                match new_owner {
                    Some(owner) => self.queue.add(owner),
                    None if old.metadata.labels != new.metadata.labels
                        || old.metadata.owner_references != new.metadata.owner_references =>
                    {
                        self.enqueue_matching_owners(new)
                    }
                    None => {}
                }
            }
            Notification::Deleted { object, .. } => self.pod_gone(object),
        }
    }

    /// A pod is gone or going: its owner's deletion expectation is met.
    fn pod_gone(&self, pod: &Pod) {
        if let Some(owner) = self.owner_key(pod) {
            self.expectations.deletion_observed(&owner, &object_key(pod));
            self.queue.add(owner);
        }
    }

    /// The key of the pod's controller when it is one of ours (kind matches and the uid is the
    /// one in the cache).
    fn owner_key(&self, pod: &Pod) -> Option<String> {
        let reference = controller_of(&pod.metadata)?;
        if reference.kind != K::KIND || group_of(&reference.api_version) != K::GROUP {
            return None;
        }
        let key = format!("{}/{}", pod.metadata.namespace, reference.name);
        let owner = self.owners.store().get(&key)?;
        (owner.metadata().uid == reference.uid).then_some(key)
    }

    /// An orphan may be adopted by any owner whose selector matches it.
    fn enqueue_matching_owners(&self, pod: &Pod) {
        if pod.metadata.deletion_timestamp.is_some() {
            return;
        }
        for owner in self.owners.store().list_namespace(&pod.metadata.namespace) {
            if owner.pod_selector().matches(&pod.metadata.labels) {
                self.queue.add(object_key(owner.as_ref()));
            }
        }
    }

    /// Brings one owner's pods and status in line with its spec.
    async fn sync(&self, key: &str) -> Result<(), client::Error> {
        let Some(owner) = self.owners.store().get(key) else {
            self.expectations.forget(key);
            return Ok(());
        };
        let (namespace, _) = split_key(key);
        let needs_sync = self.expectations.satisfied(key);
        let pods = self.pods.store().list_namespace(namespace);
        let now = chrono::Utc::now();
        let plan = plan(owner.as_ref(), &pods, now);
        let pod_api: Api<Pod> = Api::namespaced(self.client.clone(), namespace);

        self.claim(&owner, &plan, &pod_api, &pods).await?;
        let failure = if needs_sync && owner.metadata().deletion_timestamp.is_none() {
            self.manage(key, &owner, &plan, &pod_api).await
        } else {
            None
        };
        let mut status = plan.status.clone();
        status.conditions = with_failure_condition(
            status.conditions,
            failure.as_ref().map(|(reason, message)| (reason.as_str(), message.as_str())),
            now,
        );
        if status != owner.replica_status() {
            let owners: Api<K> = Api::namespaced(self.client.clone(), namespace);
            let patch = serde_json::json!({ "status": status });
            match owners
                .patch_status(
                    &owner.metadata().name,
                    PatchType::Merge,
                    &patch,
                    &PatchOptions::default(),
                )
                .await
            {
                Ok(_) => {}
                Err(error) if error.is_not_found() => return Ok(()),
                Err(error) => return Err(error),
            }
        }
        let desired = owner.desired_replicas();
        let min_ready = owner.min_ready_seconds();
        if min_ready > 0 && status.ready_replicas == desired && status.available_replicas != desired
        {
            self.queue
                .add_after(key.to_string(), Duration::from_secs(min_ready.unsigned_abs().into()));
        }
        match failure {
            Some((_, message)) => Err(client::Error::Transport(message)),
            None => Ok(()),
        }
    }

    /// Adopts the orphans and releases the pods the plan names. Adoption first re-reads the owner
    /// from the apiserver, as upstream does, so a owner deleted meanwhile adopts nothing.
    async fn claim(
        &self,
        owner: &K,
        plan: &Plan,
        pod_api: &Api<Pod>,
        pods: &[Arc<Pod>],
    ) -> Result<(), client::Error> {
        let meta = owner.metadata();
        if !plan.adopt.is_empty() {
            let owners: Api<K> = Api::namespaced(self.client.clone(), &meta.namespace);
            let fresh = owners.get(&meta.name).await?;
            if fresh.metadata().uid != meta.uid || fresh.metadata().deletion_timestamp.is_some() {
                return Ok(());
            }
            let reference = controller_ref(owner);
            for name in &plan.adopt {
                let Some(pod) = pods.iter().find(|pod| &pod.metadata.name == name) else {
                    continue;
                };
                let patch = adoption_patch(&reference, &pod.metadata);
                ignore_gone(
                    pod_api
                        .patch(name, PatchType::StrategicMerge, &patch, &PatchOptions::default())
                        .await,
                )?;
            }
        }
        for name in &plan.release {
            let Some(pod) = pods.iter().find(|pod| &pod.metadata.name == name) else { continue };
            let patch = release_patch(&meta.uid, &pod.metadata);
            ignore_gone(
                pod_api
                    .patch(name, PatchType::StrategicMerge, &patch, &PatchOptions::default())
                    .await,
            )?;
        }
        Ok(())
    }

    /// Creates or deletes pods as planned, recording expectations first and events after.
    /// Returns the failure (reason, message) to report in the status, if any write failed.
    async fn manage(
        &self,
        key: &str,
        owner: &K,
        plan: &Plan,
        pod_api: &Api<Pod>,
    ) -> Option<(String, String)> {
        let reference = object_reference(owner);
        if plan.create > 0 {
            let template = owner.pod_template()?;
            self.expectations.expect_creations(key, plan.create);
            let pod = pod_from_template(owner, template);
            // Slow start, as upstream: batches of 1, 2, 4, ... so a create that fails (quota,
            // admission) fails once rather than `create` times.
            let mut remaining = plan.create;
            let mut batch = 1;
            while remaining > 0 {
                let size = batch.min(remaining);
                let results = create_pods(pod_api, &pod, size).await;
                let mut failed = None;
                for result in results {
                    match result {
                        Ok(created) => self.recorder.record(
                            &reference,
                            EventType::Normal,
                            "SuccessfulCreate",
                            format!("Created pod: {}", created.metadata.name),
                        ),
                        Err(error) => {
                            self.expectations.creation_observed(key);
                            self.recorder.record(
                                &reference,
                                EventType::Warning,
                                "FailedCreate",
                                format!("Error creating: {error}"),
                            );
                            failed = Some(error.to_string());
                        }
                    }
                }
                remaining -= size;
                if let Some(message) = failed {
                    for _ in 0..remaining {
                        self.expectations.creation_observed(key);
                    }
                    return Some(("FailedCreate".into(), message));
                }
                batch *= 2;
            }
        }
        if !plan.delete.is_empty() {
            let namespace = &owner.metadata().namespace;
            self.expectations.expect_deletions(
                key,
                plan.delete.iter().map(|name| format!("{namespace}/{name}")),
            );
            let mut failure = None;
            for name in &plan.delete {
                match pod_api.delete(name, &DeleteOptions::default()).await {
                    Ok(_) => self.recorder.record(
                        &reference,
                        EventType::Normal,
                        "SuccessfulDelete",
                        format!("Deleted pod: {name}"),
                    ),
                    Err(error) if error.is_not_found() => {
                        self.expectations.deletion_observed(key, &format!("{namespace}/{name}"));
                    }
                    Err(error) => {
                        self.expectations.deletion_observed(key, &format!("{namespace}/{name}"));
                        self.recorder.record(
                            &reference,
                            EventType::Warning,
                            "FailedDelete",
                            format!("Error deleting: {error}"),
                        );
                        failure = Some(("FailedDelete".to_string(), error.to_string()));
                    }
                }
            }
            return failure;
        }
        None
    }
}

/// Creates `count` copies of `pod` concurrently and collects the results.
async fn create_pods(
    pod_api: &Api<Pod>,
    pod: &Pod,
    count: usize,
) -> Vec<Result<Pod, client::Error>> {
    let tasks: Vec<_> = (0..count)
        .map(|_| {
            let (api, pod) = (pod_api.clone(), pod.clone());
            tokio::spawn(async move { api.create(&pod, &CreateOptions::default()).await })
        })
        .collect();
    let mut results = Vec::with_capacity(count);
    for task in tasks {
        results.push(
            task.await.unwrap_or_else(|error| Err(client::Error::Transport(error.to_string()))),
        );
    }
    results
}

/// The group of an `apiVersion` (`apps/v1` → `apps`, `v1` → ``).
fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// A patch of a pod that vanished (or was replaced: uid precondition) needs no retry.
fn ignore_gone<T>(result: Result<T, client::Error>) -> Result<(), client::Error> {
    match result {
        Ok(_) => Ok(()),
        Err(error) if error.is_not_found() || error.is_invalid() || error.is_conflict() => Ok(()),
        Err(error) => Err(error),
    }
}
