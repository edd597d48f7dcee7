//! The namespace controller's loop: a namespace informer feeding a queue of names, and a sync
//! that empties a terminating namespace, reports its progress in the status conditions, looks
//! again later while objects remain, and finally removes the `kubernetes` finalizer through
//! `PUT /api/v1/namespaces/<name>/finalize`.

use super::content::{Deletion, KUBERNETES_FINALIZER, Report, conditions, deletion_of};
use crate::controller::context::ControllerContext;
use crate::controller::worker::run_workers;
use api_types::api::core::v1::Namespace;
use api_types::meta::v1::{
    DeleteOptions, ListOptions, ObjectMeta, PatchOptions, PatchType, UpdateOptions,
    propagation_policy,
};
use client::discovery::server_preferred_resources;
use client::informer::SharedInformer;
use client::retry::{Backoff, retry_on_conflict};
use client::workqueue::WorkQueue;
use client::{Api, ApiResource, Client, Notification};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// The namespace controller.
pub struct NamespaceController {
    client: Client,
    namespaces: Arc<SharedInformer<Namespace>>,
    queue: WorkQueue<String>,
}

impl NamespaceController {
    /// Builds the controller and subscribes it to the namespace informer.
    pub fn new(context: &ControllerContext) -> Arc<Self> {
        let controller = Arc::new(NamespaceController {
            client: context.client.clone(),
            namespaces: context.informers.informer::<Namespace>(),
            queue: context.queue("namespace"),
        });
        let handler = Arc::clone(&controller);
        controller.namespaces.add_handler(move |notification| handler.changed(notification));
        controller
    }

    /// Runs `workers` workers until the context's shutdown; every `--namespace-sync-period`
    /// each terminating namespace is looked at again.
    pub async fn run(self: Arc<Self>, context: ControllerContext, workers: usize) {
        if !self.namespaces.wait_until_synced().await {
            return;
        }
        let period = context.options.periods.namespace_sync_period;
        let resync = tokio::spawn(Arc::clone(&self).resync(period, context.shutdown.clone()));
        let controller = Arc::clone(&self);
        run_workers(
            "namespace",
            self.queue.clone(),
            workers,
            context.shutdown.clone(),
            move |name| {
                let controller = Arc::clone(&controller);
                async move { controller.sync(&name).await }
            },
        )
        .await;
        let _ = resync.await;
    }

    fn changed(&self, notification: Notification<Namespace>) {
        let namespace = match &notification {
            Notification::Added(namespace) => namespace,
            Notification::Updated { new, .. } => new,
            Notification::Deleted { .. } => return,
        };
        if namespace.metadata.deletion_timestamp.is_some() {
            self.queue.add(namespace.metadata.name.clone());
        }
    }

    async fn resync(self: Arc<Self>, period: Duration, shutdown: component_base::ShutdownToken) {
        loop {
            tokio::select! {
                _ = shutdown.wait() => return,
                _ = tokio::time::sleep(period.max(Duration::from_secs(1))) => {}
            }
            for namespace in self.namespaces.store().list() {
                if namespace.metadata.deletion_timestamp.is_some() {
                    self.queue.add(namespace.metadata.name.clone());
                }
            }
        }
    }

    /// Empties one terminating namespace and finalizes it once empty.
    async fn sync(&self, name: &str) -> Result<(), client::Error> {
        let namespaces: Api<Namespace> = Api::all(self.client.clone());
        let Some(namespace) = namespaces.get_opt(name).await? else { return Ok(()) };
        if namespace.metadata.deletion_timestamp.is_none()
            || !namespace.spec.finalizers.iter().any(|f| f == KUBERNETES_FINALIZER)
        {
            return Ok(());
        }
        let report = self.delete_content(name).await;
        self.report(&namespaces, &namespace, &report).await?;
        if let Some(error) = &report.discovery_failure {
            return Err(client::Error::Transport(format!("discovery: {error}")));
        }
        if !report.content_failures.is_empty() {
            return Err(client::Error::Transport(report.content_failures.join("; ")));
        }
        if !report.remaining.is_empty() {
            tracing::debug!(namespace = name, remaining = ?report.remaining, "namespace not empty yet");
            let delay = Duration::from_secs(report.recheck_after_seconds());
            self.queue.add_after(name.to_string(), delay);
            return Ok(());
        }
        self.finalize(&namespaces, name).await
    }

    /// Deletes every namespaced object in `namespace` and counts what is left.
    async fn delete_content(&self, namespace: &str) -> Report {
        let mut report = Report::default();
        let discovered = match server_preferred_resources(&self.client).await {
            Ok(discovered) => discovered,
            Err(error) => {
                report.discovery_failure = Some(error.to_string());
                return report;
            }
        };
        for found in discovered {
            let Some(deletion) = deletion_of(&found) else { continue };
            let resource = found.resource;
            let label = Report::resource_name(&resource.group, &resource.plural);
            if let Err(error) = self.delete_all(&resource, namespace, deletion, &mut report).await {
                report.content_failures.push(format!("{label}: {error}"));
            }
        }
        report
    }

    /// Deletes the objects of one resource in `namespace` and records those still there.
    async fn delete_all(
        &self,
        resource: &ApiResource,
        namespace: &str,
        deletion: Deletion,
        report: &mut Report,
    ) -> Result<(), client::Error> {
        let api: Api<Value> = Api::dynamic(self.client.clone(), resource.clone(), Some(namespace));
        let options = DeleteOptions {
            propagation_policy: Some(propagation_policy::BACKGROUND.to_string()),
            ..Default::default()
        };
        let one_by_one = match deletion {
            Deletion::OneByOne => true,
            Deletion::Collection => {
                match api.delete_collection(&ListOptions::default(), &options).await {
                    Ok(_) => false,
                    // Discovery promised more than the resource serves: fall back.
                    Err(error) if error.status().is_some_and(|status| status.code == 405) => true,
                    Err(error) if error.is_not_found() => return Ok(()),
                    Err(error) => return Err(error),
                }
            }
        };
        let list = match api.list(&ListOptions::default()).await {
            Ok(list) => list,
            Err(error) if error.is_not_found() => return Ok(()),
            Err(error) => return Err(error),
        };
        let mut remaining = 0;
        let now = chrono::Utc::now();
        for item in &list.items {
            let meta: ObjectMeta =
                serde_json::from_value(item.get("metadata").cloned().unwrap_or(Value::Null))?;
            if one_by_one && meta.deletion_timestamp.is_none() {
                match api.delete(&meta.name, &options).await {
                    Ok(_) => {}
                    Err(error) if error.is_not_found() => continue,
                    Err(error) => return Err(error),
                }
            }
            remaining += 1;
            for finalizer in &meta.finalizers {
                *report.finalizers.entry(finalizer.clone()).or_default() += 1;
            }
            if let Some(deadline) = &meta.deletion_timestamp {
                let left = (deadline.0 - now).num_seconds();
                report.grace_seconds = report.grace_seconds.max(u64::try_from(left).unwrap_or(0));
            }
        }
        if remaining > 0 {
            report
                .remaining
                .insert(Report::resource_name(&resource.group, &resource.plural), remaining);
        }
        Ok(())
    }

    /// Writes the conditions (and `Terminating`) when they changed.
    async fn report(
        &self,
        namespaces: &Api<Namespace>,
        namespace: &Namespace,
        report: &Report,
    ) -> Result<(), client::Error> {
        let status = &namespace.status;
        let updated = conditions(&status.conditions, report, chrono::Utc::now());
        if status.phase == "Terminating" && updated == status.conditions {
            return Ok(());
        }
        let patch = json!({"status": {"phase": "Terminating", "conditions": updated}});
        match namespaces
            .patch_status(
                &namespace.metadata.name,
                PatchType::Merge,
                &patch,
                &PatchOptions::default(),
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(error) if error.is_not_found() => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Removes `kubernetes` from `spec.finalizers` through the `finalize` subresource.
    async fn finalize(&self, namespaces: &Api<Namespace>, name: &str) -> Result<(), client::Error> {
        retry_on_conflict(Backoff::DEFAULT_BACKOFF, || async {
            let Some(mut namespace) = namespaces.get_opt(name).await? else { return Ok(()) };
            if !namespace.spec.finalizers.iter().any(|f| f == KUBERNETES_FINALIZER) {
                return Ok(());
            }
            namespace.spec.finalizers.retain(|f| f != KUBERNETES_FINALIZER);
            tracing::info!(namespace = name, "namespace emptied; finalizing");
            namespaces
                .replace_subresource::<_, Value>(
                    name,
                    Some("finalize"),
                    &namespace,
                    &UpdateOptions::default(),
                )
                .await
                .map(|_| ())
        })
        .await
    }
}
