//! The service account controller (upstream `serviceaccounts_controller.go`): every active
//! namespace has a `default` ServiceAccount, made when the namespace appears and made again when
//! someone deletes it. Terminating namespaces are left alone (the namespace controller is
//! emptying them).

use crate::controller::context::ControllerContext;
use crate::controller::worker::run_workers;
use api_types::api::core::v1::{Namespace, ServiceAccount};
use api_types::meta::v1::{CreateOptions, ObjectMeta, StatusReason};
use api_types::resource::Resource;
use client::informer::SharedInformer;
use client::store::Notification;
use client::workqueue::WorkQueue;
use client::{Api, Client};
use std::sync::Arc;

/// The accounts every namespace has.
pub const MANAGED_ACCOUNTS: &[&str] = &["default"];

/// The accounts `namespace` is missing, by `exists(name)`; none for a namespace that is not
/// active.
pub fn missing_accounts(namespace: &Namespace, exists: impl Fn(&str) -> bool) -> Vec<&'static str> {
    let terminating =
        namespace.metadata.deletion_timestamp.is_some() || namespace.status.phase == "Terminating";
    if terminating {
        return Vec::new();
    }
    MANAGED_ACCOUNTS.iter().copied().filter(|name| !exists(name)).collect()
}

/// Keeps the managed accounts in every namespace.
pub struct ServiceAccountsController {
    client: Client,
    accounts: Arc<SharedInformer<ServiceAccount>>,
    namespaces: Arc<SharedInformer<Namespace>>,
    queue: WorkQueue<String>,
}

impl ServiceAccountsController {
    /// Builds the controller and subscribes it to namespaces and service accounts.
    pub fn new(context: &ControllerContext) -> Arc<Self> {
        let controller = Arc::new(ServiceAccountsController {
            client: context.client.clone(),
            accounts: context.informers.informer::<ServiceAccount>(),
            namespaces: context.informers.informer::<Namespace>(),
            queue: context.queue("serviceaccount"),
        });
        let handler = Arc::clone(&controller);
        controller.namespaces.add_handler(move |notification| match notification {
            Notification::Added(namespace) | Notification::Updated { new: namespace, .. } => {
                handler.queue.add(namespace.metadata.name.clone());
            }
            Notification::Deleted { .. } => {}
        });
        let handler = Arc::clone(&controller);
        controller.accounts.add_handler(move |notification| {
            if let Notification::Deleted { object, .. } = notification
                && MANAGED_ACCOUNTS.contains(&object.metadata.name.as_str())
            {
                handler.queue.add(object.metadata.namespace.clone());
            }
        });
        controller
    }

    /// Runs `workers` workers until the context's shutdown (upstream runs one).
    pub async fn run(self: Arc<Self>, context: ControllerContext, workers: usize) {
        if !self.accounts.wait_until_synced().await || !self.namespaces.wait_until_synced().await {
            return;
        }
        let controller = Arc::clone(&self);
        let queue = self.queue.clone();
        run_workers("serviceaccount", queue, workers, context.shutdown.clone(), move |key| {
            let controller = Arc::clone(&controller);
            async move { controller.sync(&key).await }
        })
        .await;
    }

    /// Creates the managed accounts namespace `name` lacks.
    async fn sync(&self, name: &str) -> Result<(), client::Error> {
        let Some(namespace) = self.namespaces.store().get(name) else { return Ok(()) };
        let store = self.accounts.store();
        let missing = missing_accounts(&namespace, |account| {
            store.get(&format!("{name}/{account}")).is_some()
        });
        let api: Api<ServiceAccount> = Api::namespaced(self.client.clone(), name);
        for account in missing {
            let mut object = ServiceAccount {
                metadata: ObjectMeta { name: account.to_string(), ..Default::default() },
                ..Default::default()
            };
            object.set_type_meta();
            match api.create(&object, &CreateOptions::default()).await {
                Ok(_) => tracing::info!(namespace = name, account, "created service account"),
                // Made meanwhile, or the namespace is going or gone: nothing to do.
                Err(error)
                    if error.is_already_exists()
                        || error.is_not_found()
                        || error.is(StatusReason::Forbidden) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn namespace(status: serde_json::Value) -> Namespace {
        serde_json::from_value(json!({"metadata": {"name": "ci"}, "status": status})).unwrap()
    }

    #[test]
    fn active_namespaces_get_the_default_account() {
        let active = namespace(json!({"phase": "Active"}));
        assert_eq!(missing_accounts(&active, |_| false), ["default"]);
        assert!(missing_accounts(&active, |name| name == "default").is_empty());
        // A namespace the apiserver has not given a phase yet is not terminating.
        assert_eq!(missing_accounts(&namespace(json!({})), |_| false), ["default"]);
    }

    #[test]
    fn terminating_namespaces_are_left_alone() {
        assert!(
            missing_accounts(&namespace(json!({"phase": "Terminating"})), |_| false).is_empty()
        );
        let mut deleting = namespace(json!({"phase": "Active"}));
        deleting.metadata.deletion_timestamp =
            Some(serde_json::from_value(json!("2024-01-01T00:00:00Z")).unwrap());
        assert!(missing_accounts(&deleting, |_| false).is_empty());
    }
}
