//! One sync of one deployment (upstream's `syncDeployment`): scale only when paused or when
//! just `spec.replicas` changed, otherwise one step of a rolling update or a recreate; then
//! the old ReplicaSets past the history limit go and the status is written if it changed.
//!
//! The decisions are the pure functions of `rolling`, `replica_sets`, `revision` and
//! `status`; this module reads the caches, writes through the apiserver, and records events.
//! ReplicaSets are written with `PUT` on the cached copy, so a write based on a stale cache
//! fails with a conflict and the sync is retried on fresh data.

use super::controller::DeploymentController;
use super::replica_sets::{
    cleanup_victims, find_new, is_active, is_scaling_event, new_replica_set, scale_targets,
    set_replicas_annotations, sync_new_annotations,
};
use super::revision::{REVISION_ANNOTATION, next_revision, revision_of};
use super::rolling::{
    Fenceposts, desired_replicas, fenceposts, is_recreate, new_rs_replicas, old_rs_scale_down,
    rs_replicas,
};
use super::status::{
    Progress, deployment_status, is_complete, replica_counts, rollout_progress,
    sync_paused_condition, until_deadline,
};
use super::template_hash::{equal_ignoring_hash, template_hash};
use crate::controller::owner::controller_of;
use api_types::api::apps::v1::{Deployment, ReplicaSet};
use api_types::meta::v1::{CreateOptions, DeleteOptions, PatchOptions, PatchType, UpdateOptions};
use chrono::{DateTime, SubsecRound, Utc};
use client::events::object_reference;
use client::{Api, EventType};
use std::sync::Arc;
use std::time::Duration;

/// How the `Progressing` condition is judged at the end of the sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Only scaling happened (paused, or a change of `spec.replicas`): left as it is.
    ScaleOnly,
    /// A rollout step: judged by what moved.
    Rollout,
}

/// The state of one sync.
pub(super) struct Rollout<'a> {
    controller: &'a DeploymentController,
    /// The deployment as stored when the sync began.
    stored: Arc<Deployment>,
    /// The deployment as this sync sees it: the stored one with conditions and annotations
    /// updated along the way.
    deployment: Deployment,
    /// Its ReplicaSets, replaced by what the apiserver returns as they are written.
    sets: Vec<ReplicaSet>,
    /// The name of the current template's ReplicaSet, once known.
    new_name: Option<String>,
    /// Whether this sync created it.
    created: bool,
    bounds: Fenceposts,
    mode: Mode,
    now: DateTime<Utc>,
    replica_sets: Api<ReplicaSet>,
    deployments: Api<Deployment>,
}

impl<'a> Rollout<'a> {
    /// A sync of `stored` over its claimed ReplicaSets; `None` when its rollout parameters do
    /// not resolve (validation keeps such deployments out, so this is only logged).
    pub(super) fn new(
        controller: &'a DeploymentController,
        stored: &Arc<Deployment>,
        sets: Vec<ReplicaSet>,
    ) -> Option<Self> {
        let bounds = match fenceposts(stored) {
            Ok(bounds) => bounds,
            Err(error) => {
                tracing::warn!(deployment = %stored.metadata.name, %error, "unusable rolling update");
                return None;
            }
        };
        let namespace = &stored.metadata.namespace;
        Some(Rollout {
            controller,
            stored: Arc::clone(stored),
            deployment: (**stored).clone(),
            sets,
            new_name: None,
            created: false,
            bounds,
            mode: Mode::Rollout,
            // The wire keeps whole seconds; so do we, so written and read conditions compare.
            now: Utc::now().trunc_subsecs(0),
            replica_sets: Api::namespaced(controller.client.clone(), namespace),
            deployments: Api::namespaced(controller.client.clone(), namespace),
        })
    }

    /// Moves the deployment one step.
    pub(super) async fn run(&mut self) -> Result<(), client::Error> {
        if self.deployment.metadata.deletion_timestamp.is_some() {
            self.mode = Mode::ScaleOnly;
            self.new_name = self.find_new().map(|rs| rs.metadata.name.clone());
            return Ok(());
        }
        let paused = self.deployment.spec.paused;
        sync_paused_condition(&mut self.deployment.status, paused, self.now);
        let sets: Vec<&ReplicaSet> = self.sets.iter().collect();
        if paused || is_scaling_event(&self.deployment, &sets) {
            self.mode = Mode::ScaleOnly;
            return self.scale_only().await;
        }
        if is_recreate(&self.deployment) { self.recreate().await } else { self.rolling().await }
    }

    /// Upstream's `sync`: the new ReplicaSet (if it exists) is brought up to date, replicas are
    /// spread over the active ReplicaSets, and a paused deployment's history is trimmed.
    async fn scale_only(&mut self) -> Result<(), client::Error> {
        self.sync_new(false).await?;
        let (new, old) = self.split();
        let targets = scale_targets(&self.deployment, new, &old, self.bounds);
        for (name, replicas) in targets {
            self.scale(&name, replicas).await?;
        }
        if self.deployment.spec.paused {
            self.cleanup().await?;
        }
        Ok(())
    }

    /// One step of a rolling update: grow the new ReplicaSet within the surge, else shrink old
    /// ones within the availability minimum, else (when complete) trim the history.
    async fn rolling(&mut self) -> Result<(), client::Error> {
        self.sync_new(true).await?;
        let (Some(new), old) = self.split() else { return Ok(()) };
        let all: Vec<&ReplicaSet> = old.iter().copied().chain([new]).collect();
        let desired = desired_replicas(&self.deployment);
        let target = if rs_replicas(new) > desired {
            desired
        } else {
            new_rs_replicas(&self.deployment, new, &all, self.bounds)
        };
        let new_name = new.metadata.name.clone();
        if target != rs_replicas(new) {
            self.scale(&new_name, target).await?;
            return Ok(());
        }
        let active_old: Vec<&ReplicaSet> = old.into_iter().filter(|rs| is_active(rs)).collect();
        let shrink = old_rs_scale_down(&self.deployment, Some(new), &active_old, self.bounds);
        if !shrink.is_empty() {
            for (name, replicas) in shrink {
                self.scale(&name, replicas).await?;
            }
            return Ok(());
        }
        if is_complete(&self.stored, &self.stored.status) {
            self.cleanup().await?;
        }
        Ok(())
    }

    /// One step of a recreate: old ReplicaSets to zero, then (once their pods are gone) the
    /// new one created or scaled to the full count.
    async fn recreate(&mut self) -> Result<(), client::Error> {
        self.sync_new(false).await?;
        let (_, old) = self.split();
        let active_old: Vec<String> =
            old.iter().filter(|rs| is_active(rs)).map(|rs| rs.metadata.name.clone()).collect();
        if !active_old.is_empty() {
            for name in active_old {
                self.scale(&name, 0).await?;
            }
            return Ok(());
        }
        if self.old_pods_running() {
            return Ok(());
        }
        if self.new_name.is_none() {
            self.sync_new(true).await?;
        }
        if let Some(name) = self.new_name.clone() {
            self.scale(&name, desired_replicas(&self.deployment)).await?;
        }
        if is_complete(&self.stored, &self.stored.status) {
            self.cleanup().await?;
        }
        Ok(())
    }

    /// The new ReplicaSet and the old ones.
    fn split(&self) -> (Option<&ReplicaSet>, Vec<&ReplicaSet>) {
        let new = self.new_name.as_ref().and_then(|name| self.get(name));
        let old = self.sets.iter().filter(|rs| Some(&rs.metadata.name) != self.new_name.as_ref());
        (new, old.collect())
    }

    fn get(&self, name: &str) -> Option<&ReplicaSet> {
        self.sets.iter().find(|rs| rs.metadata.name == name)
    }

    fn find_new(&self) -> Option<&ReplicaSet> {
        let sets: Vec<&ReplicaSet> = self.sets.iter().collect();
        find_new(&self.deployment, &sets)
    }

    /// Finds the current template's ReplicaSet, bringing its annotations up to date, or (with
    /// `create`) creates it; then makes the deployment's revision follow it.
    async fn sync_new(&mut self, create: bool) -> Result<(), client::Error> {
        let found = self.find_new().map(|rs| rs.metadata.name.clone());
        let others = self.sets.iter().filter(|rs| Some(&rs.metadata.name) != found.as_ref());
        let revision = next_revision(others.map(|rs| &rs.metadata));
        let name = match found {
            Some(name) => {
                let mut rs = self.get(&name).cloned().expect("found among the sets");
                let mut changed = sync_new_annotations(&self.deployment, &mut rs, revision);
                if rs.spec.min_ready_seconds != self.deployment.spec.min_ready_seconds {
                    rs.spec.min_ready_seconds = self.deployment.spec.min_ready_seconds;
                    changed = true;
                }
                if changed {
                    self.write(rs).await?;
                }
                name
            }
            None if create => self.create_new(revision).await?,
            None => return Ok(()),
        };
        let current = self.get(&name).map_or(revision, |rs| revision_of(&rs.metadata));
        self.new_name = Some(name);
        self.set_deployment_revision(current).await
    }

    /// Creates the new ReplicaSet. A namesake with another template is a hash collision: the
    /// collision count goes up (changing the hash) and the sync is retried.
    async fn create_new(&mut self, revision: i64) -> Result<String, client::Error> {
        let deployment = &self.deployment;
        let hash = template_hash(&deployment.spec.template, deployment.status.collision_count);
        let mut candidate = new_replica_set(deployment, &hash, revision, 0, self.bounds);
        let replicas = if is_recreate(deployment) {
            desired_replicas(deployment)
        } else {
            let all: Vec<&ReplicaSet> = self.sets.iter().chain([&candidate]).collect();
            new_rs_replicas(deployment, &candidate, &all, self.bounds)
        };
        candidate.spec.replicas = Some(replicas);
        match self.replica_sets.create(&candidate, &CreateOptions::default()).await {
            Ok(created) => {
                let name = created.metadata.name.clone();
                self.sets.push(created);
                self.created = true;
                if replicas > 0 {
                    self.event(format!("Scaled up replica set {name} to {replicas}"));
                }
                Ok(name)
            }
            Err(error) if error.is_already_exists() => {
                let existing = self.replica_sets.get(&candidate.metadata.name).await?;
                let ours = controller_of(&existing.metadata)
                    .is_some_and(|r| r.uid == self.deployment.metadata.uid);
                if ours && equal_ignoring_hash(&existing.spec.template, &deployment.spec.template) {
                    let name = existing.metadata.name.clone();
                    self.sets.retain(|rs| rs.metadata.name != name);
                    self.sets.push(existing);
                    return Ok(name);
                }
                let mut collided = self.deployment.clone();
                let count = collided.status.collision_count.unwrap_or(0).saturating_add(1);
                collided.status.collision_count = Some(count);
                self.deployments
                    .replace_status(&collided.metadata.name, &collided, &UpdateOptions::default())
                    .await?;
                Err(client::Error::Transport(format!(
                    "hash collision on replica set {}; collision count now {count}",
                    candidate.metadata.name
                )))
            }
            Err(error) => Err(error),
        }
    }

    /// Makes the deployment's revision annotation the new ReplicaSet's. (The status subresource
    /// keeps metadata, so this is a patch of the deployment itself.)
    async fn set_deployment_revision(&mut self, revision: i64) -> Result<(), client::Error> {
        if revision_of(&self.deployment.metadata) == revision {
            return Ok(());
        }
        let patch = serde_json::json!({
            "metadata": {"annotations": {REVISION_ANNOTATION: revision.to_string()}}
        });
        let name = self.deployment.metadata.name.clone();
        let fresh = self
            .deployments
            .patch(&name, PatchType::Merge, &patch, &PatchOptions::default())
            .await?;
        // Carry the new resource version (for the status write); keep the generation acted on
        // unless the spec is still the one this sync worked from.
        let generation = self.deployment.metadata.generation;
        let same_spec = fresh.spec == self.deployment.spec;
        self.deployment.metadata = fresh.metadata;
        if !same_spec {
            self.deployment.metadata.generation = generation;
        }
        Ok(())
    }

    /// Sets a ReplicaSet's replicas (and the deployment's replica annotations on it), with a
    /// `ScalingReplicaSet` event when the size changed.
    async fn scale(&mut self, name: &str, replicas: i32) -> Result<(), client::Error> {
        let Some(current) = self.get(name) else { return Ok(()) };
        let before = rs_replicas(current);
        let mut rs = current.clone();
        rs.spec.replicas = Some(replicas);
        let annotated = set_replicas_annotations(&mut rs, &self.deployment, self.bounds);
        if before == replicas && !annotated {
            return Ok(());
        }
        self.write(rs).await?;
        if before != replicas {
            let direction = if replicas > before { "up" } else { "down" };
            self.event(format!(
                "Scaled {direction} replica set {name} to {replicas} from {before}"
            ));
        }
        Ok(())
    }

    /// Replaces a ReplicaSet (conflicting on a stale cache) and remembers the result.
    async fn write(&mut self, rs: ReplicaSet) -> Result<(), client::Error> {
        let name = rs.metadata.name.clone();
        let written = self.replica_sets.replace(&name, &rs, &UpdateOptions::default()).await?;
        if let Some(slot) = self.sets.iter_mut().find(|rs| rs.metadata.name == name) {
            *slot = written;
        }
        Ok(())
    }

    /// Whether a pod of an old ReplicaSet still exists and has not finished (a Recreate starts
    /// the new pods only after that).
    fn old_pods_running(&self) -> bool {
        let (_, old) = self.split();
        if old.iter().any(|rs| rs.status.replicas > 0) {
            return true;
        }
        let uids: Vec<&str> = old.iter().map(|rs| rs.metadata.uid.as_str()).collect();
        self.controller.pods.store().list_namespace(&self.deployment.metadata.namespace).iter().any(
            |pod| {
                controller_of(&pod.metadata).is_some_and(|r| uids.contains(&r.uid.as_str()))
                    && !matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
            },
        )
    }

    /// Deletes the drained old ReplicaSets beyond the history limit.
    async fn cleanup(&mut self) -> Result<(), client::Error> {
        let (_, old) = self.split();
        let victims = cleanup_victims(&self.deployment, &old);
        for name in victims {
            match self.replica_sets.delete(&name, &DeleteOptions::default()).await {
                Ok(_) => self.sets.retain(|rs| rs.metadata.name != name),
                Err(error) if error.is_not_found() => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    fn event(&self, message: String) {
        self.controller.recorder.record(
            &object_reference(&self.deployment),
            EventType::Normal,
            "ScalingReplicaSet",
            message,
        );
    }

    /// Writes the status when it changed, and looks again when the progress deadline or
    /// `minReadySeconds` could change it without any event.
    pub(super) async fn finish(self, key: &str) -> Result<(), client::Error> {
        let (new, _) = self.split();
        let all: Vec<&ReplicaSet> = self.sets.iter().collect();
        let progress = match (self.mode, new) {
            (Mode::Rollout, Some(new)) if self.created => {
                Progress::Created(new.metadata.name.clone())
            }
            (Mode::Rollout, _) => {
                let counts = replica_counts(&self.deployment, new, &all);
                rollout_progress(&self.deployment, &counts, new.map(|rs| rs.metadata.name.as_str()))
            }
            (Mode::ScaleOnly, _) => Progress::Unchanged,
        };
        let mut status =
            deployment_status(&self.deployment, new, &all, self.bounds, &progress, self.now);
        status.observed_generation =
            status.observed_generation.max(self.stored.status.observed_generation);
        let mut deployment = self.deployment;
        deployment.status = status;
        if deployment.status != self.stored.status {
            let name = deployment.metadata.name.clone();
            match self
                .deployments
                .replace_status(&name, &deployment, &UpdateOptions::default())
                .await
            {
                Ok(_) => {}
                Err(error) if error.is_not_found() => return Ok(()),
                Err(error) => return Err(error),
            }
        }
        let queue = &self.controller.queue;
        if let Some(wait) = until_deadline(&deployment, self.now) {
            queue.add_after(key.to_string(), wait);
        }
        let min_ready = deployment.spec.min_ready_seconds;
        if min_ready > 0 && deployment.status.ready_replicas > deployment.status.available_replicas
        {
            queue.add_after(key.to_string(), Duration::from_secs(min_ready.unsigned_abs().into()));
        }
        Ok(())
    }
}
