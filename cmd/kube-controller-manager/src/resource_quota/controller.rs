//! The resource quota controller's loop (upstream `resource_quota_controller.go`): a queue of
//! quota keys, fed by changes of quotas, by changes of the objects quotas count in the same
//! namespace (pods, services, secrets, config maps, replication controllers, quotas, claims) and
//! by a full pass every `--resource-quota-sync-period`; a sync recomputes the status from the
//! caches (listing only kinds counted by `count/<resource>.<group>` that nothing watches) and
//! writes it through the status subresource when it changed.

use super::status::{CountedResource, desired_status, listed_counts};
use super::usage::NamespaceObjects;
use crate::controller::context::ControllerContext;
use crate::controller::worker::{run_workers, split_key};
use api_types::api::core::v1::{
    ConfigMap, PersistentVolumeClaim, Pod, ReplicationController, ResourceQuota, Secret, Service,
};
use api_types::meta::v1::{ListOptions, UpdateOptions};
use api_types::resource::Resource;
use client::discovery::server_preferred_resources;
use client::informer::SharedInformer;
use client::store::{Notification, object_key};
use client::workqueue::WorkQueue;
use client::{Api, Client};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Keeps every quota's `status` true.
pub struct ResourceQuotaController {
    client: Client,
    quotas: Arc<SharedInformer<ResourceQuota>>,
    pods: Arc<SharedInformer<Pod>>,
    services: Arc<SharedInformer<Service>>,
    secrets: Arc<SharedInformer<Secret>>,
    config_maps: Arc<SharedInformer<ConfigMap>>,
    controllers: Arc<SharedInformer<ReplicationController>>,
    claims: Arc<SharedInformer<PersistentVolumeClaim>>,
    queue: WorkQueue<String>,
}

impl ResourceQuotaController {
    /// Builds the controller and subscribes it to quotas and the kinds they count.
    pub fn new(context: &ControllerContext) -> Arc<Self> {
        let informers = &context.informers;
        let controller = Arc::new(ResourceQuotaController {
            client: context.client.clone(),
            quotas: informers.informer(),
            pods: informers.informer(),
            services: informers.informer(),
            secrets: informers.informer(),
            config_maps: informers.informer(),
            controllers: informers.informer(),
            claims: informers.informer(),
            queue: context.queue("resourcequota_primary"),
        });
        let handler = Arc::clone(&controller);
        controller.quotas.add_handler(move |notification| match &notification {
            Notification::Updated { old, new } if Arc::ptr_eq(old, new) => {}
            Notification::Deleted { .. } => {}
            _ => handler.queue.add(object_key(notification.object().as_ref())),
        });
        controller.replenish_on(&controller.pods);
        controller.replenish_on(&controller.services);
        controller.replenish_on(&controller.secrets);
        controller.replenish_on(&controller.config_maps);
        controller.replenish_on(&controller.controllers);
        controller.replenish_on(&controller.claims);
        controller
    }

    /// Recalculates the quotas of an object's namespace whenever such an object changes (a
    /// resync, which changes nothing, is left to the periodic pass).
    fn replenish_on<K: Resource>(self: &Arc<Self>, informer: &Arc<SharedInformer<K>>) {
        let handler = Arc::clone(self);
        informer.add_handler(move |notification| {
            if let Notification::Updated { old, new } = &notification
                && Arc::ptr_eq(old, new)
            {
                return;
            }
            handler.enqueue_namespace(&notification.object().metadata().namespace);
        });
    }

    fn enqueue_namespace(&self, namespace: &str) {
        for quota in self.quotas.store().list_namespace(namespace) {
            self.queue.add(object_key(quota.as_ref()));
        }
    }

    fn enqueue_all(&self) {
        for key in self.quotas.store().keys() {
            self.queue.add(key);
        }
    }

    /// Runs `workers` workers, and the periodic full pass, until the context's shutdown.
    pub async fn run(self: Arc<Self>, context: ControllerContext, workers: usize) {
        let synced = [
            self.quotas.wait_until_synced().await,
            self.pods.wait_until_synced().await,
            self.services.wait_until_synced().await,
            self.secrets.wait_until_synced().await,
            self.config_maps.wait_until_synced().await,
            self.controllers.wait_until_synced().await,
            self.claims.wait_until_synced().await,
        ];
        if synced.contains(&false) {
            return;
        }
        let period = context.options.periods.resource_quota_sync_period;
        let ticker = Arc::clone(&self);
        let stop = context.shutdown.wait();
        let periodic = tokio::spawn(async move {
            let mut interval = tokio::time::interval(period.max(std::time::Duration::from_secs(1)));
            tokio::pin!(stop);
            loop {
                tokio::select! {
                    _ = &mut stop => return,
                    _ = interval.tick() => ticker.enqueue_all(),
                }
            }
        });
        let controller = Arc::clone(&self);
        let queue = self.queue.clone();
        run_workers("resourcequota", queue, workers, context.shutdown.clone(), move |key| {
            let controller = Arc::clone(&controller);
            async move { controller.sync(&key).await }
        })
        .await;
        let _ = periodic.await;
    }

    /// Recomputes quota `key`'s status and writes it if it changed.
    async fn sync(&self, key: &str) -> Result<(), client::Error> {
        let Some(quota) = self.quotas.store().get(key) else { return Ok(()) };
        let (namespace, name) = split_key(key);
        let pods: Vec<Pod> = owned(self.pods.store().list_namespace(namespace));
        let services: Vec<Service> = owned(self.services.store().list_namespace(namespace));
        let mut counts = BTreeMap::from([
            ("secrets".to_string(), self.secrets.store().list_namespace(namespace).len()),
            ("configmaps".to_string(), self.config_maps.store().list_namespace(namespace).len()),
            (
                "replicationcontrollers".to_string(),
                self.controllers.store().list_namespace(namespace).len(),
            ),
            ("resourcequotas".to_string(), self.quotas.store().list_namespace(namespace).len()),
            (
                "persistentvolumeclaims".to_string(),
                self.claims.store().list_namespace(namespace).len(),
            ),
        ]);
        counts.extend(self.listed(namespace, &listed_counts(&quota)).await?);
        let objects = NamespaceObjects { pods: &pods, services: &services, counts };
        let status = desired_status(&quota, &objects);
        if status == quota.status {
            return Ok(());
        }
        let mut updated = (*quota).clone();
        updated.status = status;
        let quotas: Api<ResourceQuota> = Api::namespaced(self.client.clone(), namespace);
        match quotas.replace_status(name, &updated, &UpdateOptions::default()).await {
            Ok(_) => Ok(()),
            Err(error) if error.is_not_found() => Ok(()),
            // A conflict means a newer quota is on its way through the watch; its event brings
            // the key back, and the retry covers a write that raced with nothing.
            Err(error) => Err(error),
        }
    }

    /// How many objects of each `resources` the namespace holds, listed from the apiserver; a
    /// resource the server does not serve counts 0, as upstream.
    async fn listed(
        &self,
        namespace: &str,
        resources: &[CountedResource],
    ) -> Result<Vec<(String, usize)>, client::Error> {
        if resources.is_empty() {
            return Ok(Vec::new());
        }
        let served = server_preferred_resources(&self.client).await?;
        let mut counts = Vec::new();
        for wanted in resources {
            let found = served.iter().find(|candidate| {
                candidate.resource.plural == wanted.plural
                    && candidate.resource.group == wanted.group
                    && candidate.resource.namespaced
                    && candidate.supports("list")
            });
            let count = match found {
                Some(discovered) => {
                    let api: Api<serde_json::Value> = Api::dynamic(
                        self.client.clone(),
                        discovered.resource.clone(),
                        Some(namespace),
                    );
                    api.list(&ListOptions::default()).await?.items.len()
                }
                None => 0,
            };
            counts.push((wanted.key.clone(), count));
        }
        Ok(counts)
    }
}

/// Owned copies of cached objects (the usage rules take slices of objects).
fn owned<K: Clone>(items: Vec<Arc<K>>) -> Vec<K> {
    items.iter().map(|item| K::clone(item)).collect()
}
