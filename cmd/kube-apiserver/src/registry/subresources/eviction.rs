//! [`Evictions`]: `POST pods/<name>/eviction` with a `policy/v1` (or `v1beta1`) `Eviction`.
//! Upstream deletes the pod unless a PodDisruptionBudget forbids it; this cluster has no
//! budgets, so an eviction is a delete of the pod with the eviction's `deleteOptions`, answered
//! with upstream's `Success` status. Pods that cannot count against a budget (pending, finished
//! or already being deleted) are deleted as upstream deletes them, with a pending pod's
//! `resourceVersion` as the precondition so a pod that started meanwhile is not evicted blind.

use super::name_mismatch;
use crate::registry::store::{decode_body, dry_run};
use crate::registry::{GenericStore, NamedCreate, ResourceInfo, RestResource, created_status};
use crate::storage::Storage;
use api_types::Resource;
use api_types::api::core::v1::Pod;
use api_types::api::policy::v1::{Eviction, V1BETA1};
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, GetOptions, Preconditions, Status, StatusReason,
};
use async_trait::async_trait;
use serde_json::Value;
use std::sync::Arc;

/// How often an eviction re-reads the pod after its delete lost a race (upstream's
/// `EvictionsRetry` steps).
const ATTEMPTS: usize = 20;

/// The `eviction` subresource of pods, over the pods' own store.
pub struct Evictions {
    pods: GenericStore<Pod>,
    info: ResourceInfo,
}

impl Evictions {
    /// Evictions of the pods kept in `storage` under `prefix`.
    pub fn new(storage: Arc<dyn Storage>, prefix: &str) -> Self {
        let info = ResourceInfo {
            group: Eviction::GROUP,
            version: Eviction::VERSION,
            kind: Eviction::KIND,
            plural: Eviction::PLURAL,
            singular: String::new(),
            namespaced: true,
            short_names: &[],
            categories: &[],
            subresources: &[],
            verbs: &["create"],
        };
        Evictions { pods: GenericStore::new(storage, prefix), info }
    }

    async fn evict(
        &self,
        namespace: Option<&str>,
        name: &str,
        body: Value,
        options: &CreateOptions,
    ) -> Result<Value, Status> {
        let eviction = decode_eviction(body)?;
        if eviction.metadata.name != name {
            return Err(name_mismatch("Eviction"));
        }
        // The query's `dryRun` must name known values whether or not the body has its own.
        dry_run(&options.dry_run, "CreateOptions")?;
        let requested = with_dry_run(eviction.delete_options, &options.dry_run)?;
        // A resourceVersion the client asked for is its own precondition: never retried.
        let client_version = requested
            .preconditions
            .as_ref()
            .is_some_and(|preconditions| preconditions.resource_version.is_some());
        let mut last_conflict = None;
        for _ in 0..ATTEMPTS {
            let pod = self.pods.get(namespace, name, None, &GetOptions::default()).await?;
            let pod: Pod = serde_json::from_value(pod).map_err(Status::internal_error)?;
            let budget_free = outside_any_budget(&pod);
            let mut delete = requested.clone();
            if budget_free && still_live(&pod) && !client_version {
                let preconditions = delete.preconditions.get_or_insert_with(Preconditions::default);
                preconditions.resource_version = Some(pod.metadata.resource_version.clone());
            }
            match self.pods.delete(namespace, name, &delete).await {
                Ok(_) => return Ok(created_status()),
                Err(status)
                    if status.is(StatusReason::Conflict) && budget_free && !client_version =>
                {
                    last_conflict = Some(status);
                }
                Err(status) => return Err(status),
            }
        }
        Err(last_conflict.unwrap_or_else(|| Status::internal_error("eviction retries exhausted")))
    }
}

/// The eviction in `body`; the `policy/v1beta1` form has the same fields and is read as `v1`.
fn decode_eviction(mut body: Value) -> Result<Eviction, Status> {
    if body.get("apiVersion").and_then(Value::as_str) == Some(V1BETA1) {
        body["apiVersion"] = Value::from(Eviction::API_VERSION);
    }
    decode_body(body)
}

/// The eviction's delete options with the request's `dryRun` (upstream's `propagateDryRun`):
/// either may set it, but they may not disagree.
fn with_dry_run(
    options: Option<DeleteOptions>,
    request: &[String],
) -> Result<DeleteOptions, Status> {
    let mut options = options.unwrap_or_default();
    if options.dry_run.is_empty() {
        options.dry_run = request.to_vec();
    } else if !request.is_empty() && request != options.dry_run.as_slice() {
        return Err(Status::internal_error(format!(
            "Non-matching dry-run options in request and content: [{}] and [{}]",
            request.join(" "),
            options.dry_run.join(" ")
        )));
    }
    Ok(options)
}

/// Whether deleting `pod` cannot disrupt anything a budget protects: it never started, it has
/// finished, or it is already on its way out (upstream's `canIgnorePDB`).
fn outside_any_budget(pod: &Pod) -> bool {
    matches!(pod.status.phase.as_str(), "Succeeded" | "Failed" | "Pending")
        || pod.metadata.deletion_timestamp.is_some()
}

/// Whether `pod` has neither finished nor begun its deletion: such a pod may change (start,
/// become ready) while the eviction runs, so a budget-free delete of it is pinned to the version
/// read (upstream's `shouldEnforceResourceVersion`).
fn still_live(pod: &Pod) -> bool {
    !matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
        && pod.metadata.deletion_timestamp.is_none()
}

#[async_trait]
impl NamedCreate for Evictions {
    fn accepts(&self) -> &ResourceInfo {
        &self.info
    }

    async fn create_named(
        &self,
        namespace: Option<&str>,
        name: &str,
        body: Value,
        options: &CreateOptions,
    ) -> Result<Value, Status> {
        self.evict(namespace, name, body, options).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(phase: &str, deleting: bool) -> Pod {
        let mut pod: Pod = serde_json::from_value(
            json!({"metadata": {"name": "web"}, "status": {"phase": phase}}),
        )
        .unwrap();
        if deleting {
            pod.metadata.deletion_timestamp = Some(api_types::meta::v1::Time::now());
        }
        pod
    }

    #[test]
    fn which_pods_skip_budgets_and_which_are_pinned() {
        assert!(outside_any_budget(&pod("Pending", false)));
        assert!(outside_any_budget(&pod("Succeeded", false)));
        assert!(outside_any_budget(&pod("Failed", false)));
        assert!(outside_any_budget(&pod("Running", true)));
        assert!(!outside_any_budget(&pod("Running", false)));
        assert!(still_live(&pod("Pending", false)));
        assert!(!still_live(&pod("Failed", false)));
        assert!(!still_live(&pod("Pending", true)));
    }

    #[test]
    fn dry_run_comes_from_either_side_but_must_agree() {
        let all = vec!["All".to_string()];
        assert_eq!(with_dry_run(None, &all).unwrap().dry_run, all);
        let from_body = DeleteOptions { dry_run: all.clone(), ..Default::default() };
        assert_eq!(with_dry_run(Some(from_body.clone()), &[]).unwrap().dry_run, all);
        assert_eq!(with_dry_run(Some(from_body.clone()), &all).unwrap().dry_run, all);
        let other = vec!["Other".to_string()];
        let refused = with_dry_run(Some(from_body), &other).unwrap_err();
        assert!(refused.message.contains("Non-matching dry-run options in request and content"));
    }

    #[test]
    fn v1beta1_evictions_read_as_v1() {
        let beta = json!({"apiVersion": "policy/v1beta1", "kind": "Eviction",
                          "metadata": {"name": "web"}, "deleteOptions": {"gracePeriodSeconds": 0}});
        let eviction = decode_eviction(beta).unwrap();
        assert_eq!(eviction.delete_options.unwrap().grace_period_seconds, Some(0));
        let other = json!({"apiVersion": "v1", "kind": "Eviction", "metadata": {"name": "web"}});
        assert_eq!(decode_eviction(other).unwrap_err().code, 400);
    }
}
