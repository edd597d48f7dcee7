//! The deployment controller's control loop: informers on Deployments, ReplicaSets and Pods, a
//! work queue of deployment keys, and a sync (in [`super::rollout`]) that claims the
//! deployment's ReplicaSets and moves the rollout one step.

use super::rolling::is_recreate;
use super::rollout::Rollout;
use crate::controller::context::ControllerContext;
use crate::controller::owner::{
    Claim, adoption_patch, claim, controller_of, controller_ref, release_patch,
};
use crate::controller::worker::{run_workers, split_key};
use api_types::api::apps::v1::{Deployment, ReplicaSet};
use api_types::api::core::v1::Pod;
use api_types::labels::Selector;
use api_types::meta::v1::{ObjectMeta, OwnerReference, PatchOptions, PatchType};
use client::events::object_reference;
use client::informer::SharedInformer;
use client::store::{Notification, object_key};
use client::workqueue::WorkQueue;
use client::{Api, Client, EventRecorder, EventType};
use std::sync::Arc;

/// The component name of its events and queue.
pub const COMPONENT: &str = "deployment-controller";

/// The deployment controller.
pub struct DeploymentController {
    pub(super) client: Client,
    deployments: Arc<SharedInformer<Deployment>>,
    replica_sets: Arc<SharedInformer<ReplicaSet>>,
    pub(super) pods: Arc<SharedInformer<Pod>>,
    pub(super) queue: WorkQueue<String>,
    pub(super) recorder: EventRecorder,
}

impl DeploymentController {
    /// Builds the controller and subscribes it to its informers.
    pub fn new(context: &ControllerContext) -> Arc<Self> {
        let controller = Arc::new(DeploymentController {
            client: context.client.clone(),
            deployments: context.informers.informer::<Deployment>(),
            replica_sets: context.informers.informer::<ReplicaSet>(),
            pods: context.informers.informer::<Pod>(),
            queue: context.queue(COMPONENT),
            recorder: context.recorder(COMPONENT),
        });
        let handler = Arc::clone(&controller);
        controller.deployments.add_handler(move |notification: Notification<Deployment>| {
            handler.queue.add(object_key(notification.object().as_ref()));
        });
        let handler = Arc::clone(&controller);
        controller.replica_sets.add_handler(move |notification| handler.rs_changed(notification));
        let handler = Arc::clone(&controller);
        controller.pods.add_handler(move |notification| handler.pod_changed(notification));
        controller
    }

    /// Runs `workers` workers until the context's shutdown.
    pub async fn run(self: Arc<Self>, context: ControllerContext, workers: usize) {
        for synced in [
            self.deployments.wait_until_synced().await,
            self.replica_sets.wait_until_synced().await,
            self.pods.wait_until_synced().await,
        ] {
            if !synced {
                return;
            }
        }
        let controller = Arc::clone(&self);
        run_workers(COMPONENT, self.queue.clone(), workers, context.shutdown.clone(), move |key| {
            let controller = Arc::clone(&controller);
            async move { controller.sync(&key).await }
        })
        .await;
    }

    /// A ReplicaSet changed: its deployment (old and new, if the controller reference moved)
    /// syncs; an orphan is offered to every deployment whose selector matches it.
    fn rs_changed(&self, notification: Notification<ReplicaSet>) {
        if let Notification::Updated { old, new } = &notification {
            if Arc::ptr_eq(old, new) {
                return;
            }
            if let Some(owner) = self.owner_key(&old.metadata)
                && self.owner_key(&new.metadata).as_ref() != Some(&owner)
            {
                self.queue.add(owner);
            }
        }
        let rs = notification.object();
        match self.owner_key(&rs.metadata) {
            Some(owner) => self.queue.add(owner),
            None if controller_of(&rs.metadata).is_none()
                && !matches!(notification, Notification::Deleted { .. }) =>
            {
                for deployment in self.deployments.store().list_namespace(&rs.metadata.namespace) {
                    let selector = Selector::from_label_selector(deployment.spec.selector.as_ref());
                    if selector.is_ok_and(|s| !s.is_empty() && s.matches(&rs.metadata.labels)) {
                        self.queue.add(object_key(deployment.as_ref()));
                    }
                }
            }
            None => {}
        }
    }

    /// A pod of a Recreate deployment went away: the deployment may be waiting for exactly
    /// that before it starts the new pods.
    fn pod_changed(&self, notification: Notification<Pod>) {
        let Notification::Deleted { object: pod, .. } = notification else { return };
        let Some(reference) = controller_of(&pod.metadata) else { return };
        if reference.kind != "ReplicaSet" {
            return;
        }
        let rs_key = format!("{}/{}", pod.metadata.namespace, reference.name);
        let Some(rs) = self.replica_sets.store().get(&rs_key) else { return };
        if let Some(key) = self.owner_key(&rs.metadata)
            && self.deployments.store().get(&key).is_some_and(|d| is_recreate(&d))
        {
            self.queue.add(key);
        }
    }

    /// The key of the deployment controlling an object, when it is one in the cache.
    fn owner_key(&self, meta: &ObjectMeta) -> Option<String> {
        let reference: &OwnerReference = controller_of(meta)?;
        if reference.kind != "Deployment" || !reference.api_version.starts_with("apps/") {
            return None;
        }
        let key = format!("{}/{}", meta.namespace, reference.name);
        let deployment = self.deployments.store().get(&key)?;
        (deployment.metadata.uid == reference.uid).then_some(key)
    }

    /// One step of one deployment's rollout.
    async fn sync(&self, key: &str) -> Result<(), client::Error> {
        let Some(cached) = self.deployments.store().get(key) else { return Ok(()) };
        let (namespace, _) = split_key(key);
        let selector = Selector::from_label_selector(cached.spec.selector.as_ref());
        let selector = match selector {
            Ok(selector) if !selector.is_empty() => selector,
            _ => {
                self.recorder.record(
                    &object_reference(cached.as_ref()),
                    EventType::Warning,
                    "SelectingAll",
                    "This deployment is selecting all pods. A non-empty selector is required.",
                );
                return Ok(());
            }
        };
        let sets = self.claim_replica_sets(&cached, &selector, namespace).await?;
        let Some(mut rollout) = Rollout::new(self, &cached, sets) else { return Ok(()) };
        rollout.run().await?;
        rollout.finish(key).await
    }

    /// The deployment's ReplicaSets: those it controls and still selects, plus matching orphans,
    /// which it adopts; those it controls but no longer selects are released.
    async fn claim_replica_sets(
        &self,
        deployment: &Deployment,
        selector: &Selector,
        namespace: &str,
    ) -> Result<Vec<ReplicaSet>, client::Error> {
        let meta = &deployment.metadata;
        let deleting = meta.deletion_timestamp.is_some();
        let api: Api<ReplicaSet> = Api::namespaced(self.client.clone(), namespace);
        let mut owned = Vec::new();
        let mut checked_fresh = false;
        for rs in self.replica_sets.store().list_namespace(namespace) {
            match claim(&meta.uid, deleting, selector, &rs.metadata) {
                Claim::Owned => owned.push((*rs).clone()),
                Claim::Adopt => {
                    // As upstream: re-read the deployment once, so one deleted meanwhile adopts
                    // nothing.
                    if !checked_fresh {
                        let deployments: Api<Deployment> =
                            Api::namespaced(self.client.clone(), namespace);
                        let fresh = deployments.get(&meta.name).await?;
                        if fresh.metadata.uid != meta.uid
                            || fresh.metadata.deletion_timestamp.is_some()
                        {
                            return Ok(owned);
                        }
                        checked_fresh = true;
                    }
                    let patch = adoption_patch(&controller_ref(deployment), &rs.metadata);
                    owned.extend(patch_claim(&api, &rs.metadata.name, &patch).await?);
                }
                Claim::Release => {
                    let patch = release_patch(&meta.uid, &rs.metadata);
                    patch_claim(&api, &rs.metadata.name, &patch).await?;
                }
                Claim::Ignore => {}
            }
        }
        Ok(owned)
    }
}

/// Applies an adoption or release patch; a ReplicaSet that vanished or was replaced meanwhile
/// (the uid precondition fails) is simply not claimed.
async fn patch_claim(
    api: &Api<ReplicaSet>,
    name: &str,
    patch: &serde_json::Value,
) -> Result<Option<ReplicaSet>, client::Error> {
    match api.patch(name, PatchType::StrategicMerge, patch, &PatchOptions::default()).await {
        Ok(patched) => Ok(Some(patched)),
        Err(error) if error.is_not_found() || error.is_invalid() || error.is_conflict() => Ok(None),
        Err(error) => Err(error),
    }
}
