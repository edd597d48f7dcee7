//! The garbage collector's runtime: discovers every kind that can be listed, watched and
//! deleted, runs a [`monitor`] per kind into the [`Graph`], and two work queues of uids
//! (upstream's `attemptToDelete` and `attemptToOrphan`) served by `--concurrent-gc-syncs`
//! workers each.
//!
//! The graph only says where to look. Every action is decided on live reads: the object itself
//! and each of its owners are read from the apiserver (uid compared) before anything is deleted
//! or changed, and deletes carry the object's uid and resource version as preconditions, so a
//! stale graph never costs a live object.

use super::decide::{
    Decision, OwnerState, decide, deleting_dependents, has_finalizer, remove_finalizer_patch,
    remove_owners_patch, unblock_owners_patch,
};
use super::graph::{Graph, Identity, Work};
use super::monitor::{self, MonitorEvent};
use crate::controller::context::ControllerContext;
use crate::controller::worker::run_workers;
use api_types::meta::v1::{
    DeleteOptions, ObjectMeta, OwnerReference, PatchOptions, PatchType, Preconditions, Status,
};
use api_types::validation::meta::{FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS};
use client::discovery::{DiscoveredResource, server_preferred_resources};
use client::retry::{Backoff, retry_on_conflict};
use client::workqueue::WorkQueue;
use client::{Api, ApiResource, Client};
use component_base::ShutdownToken;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::oneshot;

/// How often discovery is read again for kinds served since the start (upstream's 30 s).
const REDISCOVERY_PERIOD: Duration = Duration::from_secs(30);

/// How often the start-up wait for the first lists says which kinds it still waits for.
const SYNC_WARNING_PERIOD: Duration = Duration::from_secs(30);

/// The garbage collector.
pub struct GarbageCollector {
    client: Client,
    graph: Mutex<Graph>,
    attempt_to_delete: WorkQueue<String>,
    attempt_to_orphan: WorkQueue<String>,
    /// Every served resource by (group, kind), to read owners named in references.
    resources: RwLock<HashMap<(String, String), ApiResource>>,
    /// The resources a monitor follows.
    monitored: Mutex<HashSet<ApiResource>>,
}

impl GarbageCollector {
    /// A collector using the context's client and queues.
    pub fn new(context: &ControllerContext) -> Arc<Self> {
        Arc::new(GarbageCollector {
            client: context.client.clone(),
            graph: Mutex::new(Graph::new()),
            attempt_to_delete: context.queue("garbage_collector_attempt_to_delete"),
            attempt_to_orphan: context.queue("garbage_collector_attempt_to_orphan"),
            resources: RwLock::new(HashMap::new()),
            monitored: Mutex::new(HashSet::new()),
        })
    }

    /// Runs until the context's shutdown with `workers` workers per queue.
    pub async fn run(self: Arc<Self>, context: ControllerContext, workers: usize) {
        let shutdown = context.shutdown.clone();
        let synced = loop {
            match self.discover(&shutdown).await {
                Ok(synced) => break synced,
                Err(error) => {
                    tracing::warn!(%error, "garbage collector: discovery failed; retrying");
                    tokio::select! {
                        _ = shutdown.wait() => return,
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                }
            }
        };
        // As upstream, the workers wait for the first list of every kind: an owner orphaned
        // before its dependents are in the graph would leave them naming a deleted owner.
        for (resource, mut receiver) in synced {
            loop {
                tokio::select! {
                    _ = shutdown.wait() => return,
                    _ = &mut receiver => break,
                    _ = tokio::time::sleep(SYNC_WARNING_PERIOD) => tracing::warn!(
                        resource = %resource.plural, group = %resource.group,
                        "garbage collector: still waiting for the first list"
                    ),
                }
            }
        }
        let rediscovery = tokio::spawn(Arc::clone(&self).rediscover(shutdown.clone()));
        let collector = Arc::clone(&self);
        let deleting = run_workers(
            "garbagecollector",
            self.attempt_to_delete.clone(),
            workers,
            shutdown.clone(),
            move |uid| {
                let collector = Arc::clone(&collector);
                async move { collector.attempt_to_delete(&uid).await }
            },
        );
        let collector = Arc::clone(&self);
        let orphaning = run_workers(
            "garbagecollector",
            self.attempt_to_orphan.clone(),
            workers,
            shutdown.clone(),
            move |uid| {
                let collector = Arc::clone(&collector);
                async move { collector.attempt_to_orphan(&uid).await }
            },
        );
        tokio::join!(deleting, orphaning);
        let _ = rediscovery.await;
    }

    /// Reads discovery, remembers every resource, and starts a monitor for each new one the
    /// collector can follow; returns the new monitors' first-sync signals.
    async fn discover(
        self: &Arc<Self>,
        shutdown: &ShutdownToken,
    ) -> Result<Vec<(ApiResource, oneshot::Receiver<()>)>, client::Error> {
        let discovered = server_preferred_resources(&self.client).await?;
        {
            let mut resources = self.resources.write().expect("resources lock");
            for found in &discovered {
                let resource = &found.resource;
                resources.insert((resource.group.clone(), resource.kind.clone()), resource.clone());
            }
        }
        let mut synced = Vec::new();
        for found in discovered.into_iter().filter(collectable) {
            if !self.monitored.lock().expect("monitored lock").insert(found.resource.clone()) {
                continue;
            }
            let (sender, receiver) = oneshot::channel();
            synced.push((found.resource.clone(), receiver));
            let api = Api::dynamic(self.client.clone(), found.resource, None);
            let collector = Arc::clone(self);
            let sink = move |resource: &ApiResource, event| collector.observe(resource, event);
            tokio::spawn(monitor::run(api, sink, sender, shutdown.clone()));
        }
        Ok(synced)
    }

    /// Picks up kinds served after the start until `shutdown`.
    async fn rediscover(self: Arc<Self>, shutdown: ShutdownToken) {
        loop {
            tokio::select! {
                _ = shutdown.wait() => return,
                _ = tokio::time::sleep(REDISCOVERY_PERIOD) => {}
            }
            if let Err(error) = self.discover(&shutdown).await {
                tracing::debug!(%error, "garbage collector: rediscovery failed");
            }
        }
    }

    /// Applies a monitor's report to the graph and queues what it calls for.
    fn observe(&self, resource: &ApiResource, event: MonitorEvent) {
        let work = {
            let mut graph = self.graph.lock().expect("graph lock");
            match event {
                MonitorEvent::Restarted(observations) => {
                    graph.replace_kind(&resource.api_version(), &resource.kind, observations)
                }
                MonitorEvent::Applied(observation) => graph.observe(observation),
                MonitorEvent::Deleted(observation) => graph.remove(&observation.identity.uid),
            }
        };
        self.enqueue(work);
    }

    fn enqueue(&self, work: Work) {
        for uid in work.attempt_to_delete {
            self.attempt_to_delete.add(uid);
        }
        for uid in work.attempt_to_orphan {
            self.attempt_to_orphan.add(uid);
        }
    }

    /// Looks at one object (or virtual owner): deletes it if all its owners are gone, drops
    /// references to gone owners when a live one remains, finishes a foreground deletion whose
    /// blocking dependents are gone.
    async fn attempt_to_delete(&self, uid: &str) -> Result<(), client::Error> {
        let Some(node) = self.graph.lock().expect("graph lock").node(uid).cloned() else {
            return Ok(());
        };
        let latest = self.live(&node.identity).await?;
        let Some(latest) = latest else {
            // Gone (or replaced by a namesake): what named it may now be garbage.
            let work = {
                let mut graph = self.graph.lock().expect("graph lock");
                if node.observed { graph.remove(uid) } else { graph.forget_virtual(uid) }
            };
            self.enqueue(work);
            return Ok(());
        };
        if !node.observed {
            // It exists; its monitor will report it.
            return Ok(());
        }
        if deleting_dependents(&latest) {
            return self.finish_foreground_deletion(&node.identity).await;
        }
        if latest.deletion_timestamp.is_some() || latest.owner_references.is_empty() {
            return Ok(());
        }
        let mut owners = Vec::with_capacity(latest.owner_references.len());
        for reference in &latest.owner_references {
            let state = self.owner_state(reference, &node.identity.namespace).await?;
            owners.push((reference.clone(), state));
        }
        let (has_dependents, dependent_deleting_dependents) = {
            let graph = self.graph.lock().expect("graph lock");
            let dependents = graph.dependents(uid);
            (!dependents.is_empty(), dependents.iter().any(|node| node.deleting_dependents))
        };
        let api = self.api(&node.identity)?;
        let name = &node.identity.name;
        match decide(&latest, &owners, has_dependents, dependent_deleting_dependents) {
            Decision::Keep => Ok(()),
            Decision::RemoveOwners(owner_uids) => {
                tracing::info!(object = %describe(&node.identity), owners = ?owner_uids,
                               "garbage collector: removing references to absent owners");
                let patch = remove_owners_patch(uid, &owner_uids);
                ignore_gone(
                    api.patch(name, PatchType::StrategicMerge, &patch, &patch_options()).await,
                )
            }
            Decision::Delete { policy, unblock } => {
                if !unblock.is_empty() {
                    let patch = unblock_owners_patch(uid, &latest.owner_references, &unblock);
                    api.patch(name, PatchType::StrategicMerge, &patch, &patch_options()).await?;
                }
                tracing::info!(object = %describe(&node.identity), policy,
                               "garbage collector: deleting an object whose owners are gone");
                let options = DeleteOptions {
                    propagation_policy: Some(policy.to_string()),
                    preconditions: Some(Preconditions {
                        uid: Some(latest.uid.clone()),
                        resource_version: Some(latest.resource_version.clone()),
                    }),
                    ..Default::default()
                };
                match api.delete(name, &options).await {
                    Ok(_) => Ok(()),
                    Err(error) if error.is_not_found() => Ok(()),
                    Err(error) => Err(error),
                }
            }
        }
    }

    /// An owner being deleted in the foreground: once nothing blocks it, its
    /// `foregroundDeletion` finalizer goes (and with it the owner); until then its blocking
    /// dependents are deleted.
    async fn finish_foreground_deletion(&self, owner: &Identity) -> Result<(), client::Error> {
        let blocking = self.graph.lock().expect("graph lock").blocking_dependents(&owner.uid);
        if blocking.is_empty() {
            return self.remove_finalizer(owner, FINALIZER_DELETE_DEPENDENTS).await;
        }
        for dependent in blocking.into_iter().filter(|dependent| !dependent.deleting_dependents) {
            self.attempt_to_delete.add(dependent.identity.uid);
        }
        Ok(())
    }

    /// An owner deleted with the `orphan` finalizer: its uid leaves every dependent's
    /// `ownerReferences`, then the finalizer goes (and with it the owner).
    async fn attempt_to_orphan(&self, uid: &str) -> Result<(), client::Error> {
        let (owner, dependents) = {
            let graph = self.graph.lock().expect("graph lock");
            let Some(owner) = graph.node(uid) else { return Ok(()) };
            (owner.identity.clone(), graph.dependents(uid))
        };
        for dependent in dependents.iter().filter(|dependent| dependent.observed) {
            let identity = &dependent.identity;
            let api = self.api(identity)?;
            let patch = remove_owners_patch(&identity.uid, &[uid.to_string()]);
            let result = api
                .patch(&identity.name, PatchType::StrategicMerge, &patch, &patch_options())
                .await;
            ignore_gone(result)?;
        }
        self.remove_finalizer(&owner, FINALIZER_ORPHAN_DEPENDENTS).await
    }

    /// Removes `finalizer` from the live object, re-reading it on conflicts.
    async fn remove_finalizer(
        &self,
        identity: &Identity,
        finalizer: &str,
    ) -> Result<(), client::Error> {
        let api = self.api(identity)?;
        retry_on_conflict(Backoff::DEFAULT_BACKOFF, || async {
            let Some(meta) = self.live(identity).await? else { return Ok(()) };
            if !has_finalizer(&meta, finalizer) {
                return Ok(());
            }
            let patch = remove_finalizer_patch(&meta, finalizer);
            match api.patch(&identity.name, PatchType::Merge, &patch, &patch_options()).await {
                Ok(_) => Ok(()),
                Err(error) if error.is_not_found() => Ok(()),
                Err(error) => Err(error),
            }
        })
        .await
    }

    /// What the apiserver says about the owner `reference` of a dependent in `namespace`.
    async fn owner_state(
        &self,
        reference: &OwnerReference,
        namespace: &str,
    ) -> Result<OwnerState, client::Error> {
        let identity = Identity::of_owner(reference, namespace);
        let resource = self.resource(&identity)?;
        if resource.namespaced && namespace.is_empty() {
            // A cluster-scoped object cannot be owned by a namespaced one: no such owner.
            return Ok(OwnerState::Dangling);
        }
        Ok(match self.live(&identity).await? {
            None => OwnerState::Dangling,
            Some(owner) if deleting_dependents(&owner) => OwnerState::WaitingForDependents,
            Some(_) => OwnerState::Solid,
        })
    }

    /// The object's live metadata, or `None` when it does not exist with this uid.
    async fn live(&self, identity: &Identity) -> Result<Option<ObjectMeta>, client::Error> {
        let api = self.api(identity)?;
        let object = match api.get(&identity.name).await {
            Ok(object) => object,
            Err(error) if error.is_not_found() => return Ok(None),
            Err(error) => return Err(error),
        };
        let meta: ObjectMeta =
            serde_json::from_value(object.get("metadata").cloned().unwrap_or(Value::Null))?;
        Ok((meta.uid == identity.uid).then_some(meta))
    }

    fn api(&self, identity: &Identity) -> Result<Api<Value>, client::Error> {
        let resource = self.resource(identity)?;
        Ok(Api::dynamic(self.client.clone(), resource, Some(&identity.namespace)))
    }

    /// The served resource of the identity's kind (any version of its group).
    fn resource(&self, identity: &Identity) -> Result<ApiResource, client::Error> {
        let group = identity.api_version.rsplit_once('/').map_or("", |(group, _)| group);
        let resources = self.resources.read().expect("resources lock");
        resources.get(&(group.to_string(), identity.kind.clone())).cloned().ok_or_else(|| {
            client::Error::Api(Box::new(Status::bad_request(format!(
                "no served resource for kind {} in {}",
                identity.kind, identity.api_version
            ))))
        })
    }
}

/// Whether the collector follows a resource: it must be listable, watchable and deletable;
/// events are never owners nor worth collecting (upstream ignores them too).
pub fn collectable(found: &DiscoveredResource) -> bool {
    let resource = &found.resource;
    let event = resource.plural == "events"
        && (resource.group.is_empty() || resource.group == "events.k8s.io");
    !event && ["list", "watch", "delete"].iter().all(|verb| found.supports(verb))
}

fn describe(identity: &Identity) -> String {
    let Identity { kind, namespace, name, uid, .. } = identity;
    format!("{kind} {namespace}/{name} ({uid})")
}

fn patch_options() -> PatchOptions {
    PatchOptions::default()
}

/// A patch of an object that vanished or was replaced (uid precondition) needs no retry.
fn ignore_gone<T>(result: Result<T, client::Error>) -> Result<(), client::Error> {
    match result {
        Ok(_) => Ok(()),
        Err(error) if error.is_not_found() || error.is_conflict() || error.is_invalid() => Ok(()),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(group: &str, plural: &str, verbs: &[&str]) -> DiscoveredResource {
        DiscoveredResource {
            resource: ApiResource {
                group: group.into(),
                version: "v1".into(),
                kind: "K".into(),
                plural: plural.into(),
                namespaced: true,
            },
            verbs: verbs.iter().map(|verb| verb.to_string()).collect(),
            short_names: Vec::new(),
        }
    }

    #[test]
    fn only_listable_watchable_deletable_kinds_other_than_events_are_followed() {
        let all = ["list", "watch", "delete", "get"];
        assert!(collectable(&found("", "pods", &all)));
        assert!(collectable(&found("apps", "replicasets", &all)));
        assert!(!collectable(&found("", "events", &all)));
        assert!(!collectable(&found("events.k8s.io", "events", &all)));
        assert!(!collectable(&found("", "bindings", &["create"])));
        assert!(!collectable(&found("", "componentstatuses", &["get", "list"])));
    }
}
