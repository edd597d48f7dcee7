//! The endpoints controller's loop: informers on services, pods and endpoints; a queue of
//! service keys; a sync that writes the Endpoints object `subsets::desired_subsets` computes
//! whenever it differs from what is stored, and deletes it with its service.

use super::subsets::{desired_subsets, is_managed};
use crate::controller::context::ControllerContext;
use crate::controller::worker::{run_workers, split_key};
use api_types::api::core::v1::{Endpoints, Pod, Service};
use api_types::meta::v1::{CreateOptions, DeleteOptions, ObjectMeta, UpdateOptions};
use api_types::resource::Resource;
use client::informer::SharedInformer;
use client::store::{Notification, object_key};
use client::workqueue::WorkQueue;
use client::{Api, Client};
use std::collections::BTreeMap;
use std::sync::Arc;

/// When the pods behind the endpoints last changed, as upstream annotates it.
pub const LAST_CHANGE_TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";
/// The label marking the endpoints of a headless service.
pub const HEADLESS_LABEL: &str = "service.kubernetes.io/headless";

/// The endpoints controller.
pub struct EndpointsController {
    client: Client,
    services: Arc<SharedInformer<Service>>,
    pods: Arc<SharedInformer<Pod>>,
    endpoints: Arc<SharedInformer<Endpoints>>,
    queue: WorkQueue<String>,
}

impl EndpointsController {
    /// Builds the controller and subscribes it to its informers.
    pub fn new(context: &ControllerContext) -> Arc<Self> {
        let controller = Arc::new(EndpointsController {
            client: context.client.clone(),
            services: context.informers.informer::<Service>(),
            pods: context.informers.informer::<Pod>(),
            endpoints: context.informers.informer::<Endpoints>(),
            queue: context.queue("endpoint"),
        });
        let handler = Arc::clone(&controller);
        controller
            .services
            .add_handler(move |change| handler.queue.add(object_key(change.object().as_ref())));
        let handler = Arc::clone(&controller);
        controller.pods.add_handler(move |change| handler.pod_changed(change));
        // Someone else changing or deleting the endpoints gets them rewritten.
        let handler = Arc::clone(&controller);
        controller.endpoints.add_handler(move |change| {
            let key = object_key(change.object().as_ref());
            if handler.services.store().get(&key).is_some() {
                handler.queue.add(key);
            }
        });
        controller
    }

    /// Runs `workers` workers until the context's shutdown.
    pub async fn run(self: Arc<Self>, context: ControllerContext, workers: usize) {
        for synced in [self.services.synced(), self.pods.synced(), self.endpoints.synced()] {
            if !synced.wait_until_synced().await {
                return;
            }
        }
        let controller = Arc::clone(&self);
        run_workers(
            "endpoint",
            self.queue.clone(),
            workers,
            context.shutdown.clone(),
            move |key| {
                let controller = Arc::clone(&controller);
                async move { controller.sync(&key).await }
            },
        )
        .await;
    }

    /// Every service whose selector matches the pod before or after the change.
    fn pod_changed(&self, change: Notification<Pod>) {
        let (old, new) = match &change {
            Notification::Added(pod) => (None, pod),
            Notification::Updated { old, new } if Arc::ptr_eq(old, new) => return,
            Notification::Updated { old, new } => (Some(old), new),
            Notification::Deleted { object, .. } => (None, object),
        };
        for service in self.services.store().list_namespace(&new.metadata.namespace) {
            if !is_managed(&service) {
                continue;
            }
            let selects = |pod: &Pod| {
                service
                    .spec
                    .selector
                    .iter()
                    .all(|(key, value)| pod.metadata.labels.get(key) == Some(value))
            };
            if selects(new) || old.is_some_and(|old| selects(old)) {
                self.queue.add(object_key(service.as_ref()));
            }
        }
    }

    async fn sync(&self, key: &str) -> Result<(), client::Error> {
        let (namespace, name) = split_key(key);
        let api: Api<Endpoints> = Api::namespaced(self.client.clone(), namespace);
        let Some(service) = self.services.store().get(key) else {
            return match api.delete(name, &DeleteOptions::default()).await {
                Err(error) if !error.is_not_found() => Err(error),
                _ => Ok(()),
            };
        };
        if !is_managed(&service) {
            return Ok(());
        }
        let subsets = desired_subsets(&service, &self.pods.store().list_namespace(namespace));
        let labels = labels_for(&service);
        let current = self.endpoints.store().get(key);
        if let Some(current) = &current
            && current.subsets == subsets
            && current.metadata.labels == labels
        {
            return Ok(());
        }
        let mut endpoints = Endpoints {
            metadata: ObjectMeta {
                name: name.to_string(),
                namespace: namespace.to_string(),
                labels,
                annotations: current
                    .as_ref()
                    .map(|c| c.metadata.annotations.clone())
                    .unwrap_or_default(),
                resource_version: current
                    .as_ref()
                    .map(|c| c.metadata.resource_version.clone())
                    .unwrap_or_default(),
                ..Default::default()
            },
            subsets,
            ..Default::default()
        };
        endpoints.set_type_meta();
        endpoints.metadata.annotations.insert(
            LAST_CHANGE_TRIGGER_TIME.into(),
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
        match current {
            None => match api.create(&endpoints, &CreateOptions::default()).await {
                Err(error) if error.is_already_exists() => Err(error),
                other => other.map(drop),
            },
            Some(_) => api.replace(name, &endpoints, &UpdateOptions::default()).await.map(drop),
        }
    }
}

/// The service's labels, plus the headless marker for services without a cluster IP.
fn labels_for(service: &Service) -> BTreeMap<String, String> {
    let mut labels = service.metadata.labels.clone();
    if service.spec.cluster_ip == "None" {
        labels.insert(HEADLESS_LABEL.into(), String::new());
    } else {
        labels.remove(HEADLESS_LABEL);
    }
    labels
}
