//! [`PodBindings`]: `POST pods/<name>/binding` and the legacy `POST bindings`. A binding is never
//! stored: it sets the pod's `spec.nodeName` (once: a bound pod stays bound), merges the
//! binding's annotations into the pod and marks it `PodScheduled`, under optimistic concurrency.

use super::name_mismatch;
use crate::registry::store::{decode_body, dry_run};
use crate::registry::{GenericStore, NamedCreate, ResourceInfo, RestResource, created_status};
use crate::storage::Storage;
use api_types::api::core::v1::{Binding, Pod, PodCondition};
use api_types::meta::v1::{CreateOptions, Preconditions, Status, Time};
use api_types::validation::Validate;
use async_trait::async_trait;
use serde_json::Value;
use std::sync::Arc;

/// The condition a bound pod carries.
const POD_SCHEDULED: &str = "PodScheduled";

/// The `bindings` resource (create-only) and the `binding` subresource of pods, over the pods'
/// own store.
pub struct PodBindings {
    pods: GenericStore<Pod>,
    info: ResourceInfo,
}

impl PodBindings {
    /// Bindings of the pods kept in `storage` under `prefix`.
    pub fn new(storage: Arc<dyn Storage>, prefix: &str) -> Self {
        PodBindings {
            pods: GenericStore::new(storage, prefix),
            info: ResourceInfo::of::<Binding>(),
        }
    }

    /// Binds pod `name` as `body` (a `Binding`) says; upstream's `BindingREST.Create`.
    async fn bind(
        &self,
        namespace: Option<&str>,
        name: &str,
        body: Value,
        options: &CreateOptions,
    ) -> Result<Value, Status> {
        let binding: Binding = decode_body(body)?;
        if binding.metadata.name != name {
            return Err(name_mismatch("Binding"));
        }
        let errors = binding.validate();
        if !errors.is_empty() {
            return Err(errors.to_status_for::<Binding>(name));
        }
        let dry_run = dry_run(&options.dry_run, "CreateOptions")?;
        // The scheduler may say which version of the pod it decided on.
        let meta = &binding.metadata;
        let preconditions = Preconditions {
            uid: Some(meta.uid.clone()).filter(|uid| !uid.is_empty()),
            resource_version: Some(meta.resource_version.clone()).filter(|rv| !rv.is_empty()),
        };
        let now = Time::now();
        self.pods
            .update_stored(namespace, name, &preconditions, dry_run, |pod| {
                assign(pod, &binding, now)
            })
            .await?;
        Ok(created_status())
    }
}

/// Puts `pod` on the binding's node, or says why it cannot go there (a 409 on `pods/binding`,
/// as upstream reports a failed assignment).
fn assign(pod: &mut Pod, binding: &Binding, now: Time) -> Result<(), Status> {
    let name = pod.metadata.name.clone();
    let refuse = |cause: String| Status::conflict("", "pods/binding", &name, cause);
    if pod.metadata.deletion_timestamp.is_some() {
        return Err(refuse(format!("pod {name} is being deleted, cannot be assigned to a host")));
    }
    if !pod.spec.node_name.is_empty() {
        let node = serde_json::to_string(&pod.spec.node_name).unwrap_or_default();
        return Err(refuse(format!("pod {name} is already assigned to node {node}")));
    }
    if !pod.spec.scheduling_gates.is_empty() {
        return Err(refuse(format!("pod {name} has non-empty .spec.schedulingGates")));
    }
    pod.spec.node_name = binding.target.name.clone();
    for (key, value) in &binding.metadata.annotations {
        pod.metadata.annotations.insert(key.clone(), value.clone());
    }
    set_scheduled(&mut pod.status.conditions, now);
    Ok(())
}

/// Upstream's `UpdatePodCondition` with `PodScheduled=True`: the condition replaces any earlier
/// one of its type, keeping the transition time only if it was already true.
fn set_scheduled(conditions: &mut Vec<PodCondition>, now: Time) {
    let mut scheduled = PodCondition {
        type_: POD_SCHEDULED.to_string(),
        status: "True".to_string(),
        last_transition_time: Some(now),
        ..Default::default()
    };
    match conditions.iter_mut().find(|condition| condition.type_ == POD_SCHEDULED) {
        Some(existing) => {
            if existing.status == scheduled.status {
                scheduled.last_transition_time = existing.last_transition_time;
            }
            *existing = scheduled;
        }
        None => conditions.push(scheduled),
    }
}

#[async_trait]
impl NamedCreate for PodBindings {
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
        self.bind(namespace, name, body, options).await
    }
}

/// The legacy `bindings` collection: a create names its pod in the body's `metadata.name`.
#[async_trait]
impl RestResource for PodBindings {
    fn info(&self) -> &ResourceInfo {
        &self.info
    }

    async fn create(
        &self,
        namespace: Option<&str>,
        body: Value,
        options: &CreateOptions,
    ) -> Result<Value, Status> {
        let name = body["metadata"]["name"].as_str().unwrap_or_default().to_string();
        self.bind(namespace, &name, body, options).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(value: Value) -> Pod {
        serde_json::from_value(value).unwrap()
    }

    fn binding(node: &str, annotations: Value) -> Binding {
        serde_json::from_value(json!({"metadata": {"name": "web", "annotations": annotations},
                                      "target": {"kind": "Node", "name": node}}))
        .unwrap()
    }

    #[test]
    fn assigning_sets_the_node_annotations_and_condition() {
        let now: Time = serde_json::from_value(json!("2024-05-01T10:00:00Z")).unwrap();
        let mut web = pod(json!({
            "metadata": {"name": "web", "annotations": {"keep": "me", "over": "old"}},
            "status": {"conditions": [{"type": "PodScheduled", "status": "False",
                                       "reason": "Unschedulable", "lastTransitionTime": null}]}
        }));
        assign(&mut web, &binding("node-1", json!({"over": "new"})), now).unwrap();
        assert_eq!(web.spec.node_name, "node-1");
        assert_eq!(web.metadata.annotations["keep"], "me");
        assert_eq!(web.metadata.annotations["over"], "new");
        assert_eq!(
            serde_json::to_value(&web.status.conditions).unwrap(),
            json!([{"type": "PodScheduled", "status": "True", "lastProbeTime": null,
                    "lastTransitionTime": "2024-05-01T10:00:00Z"}])
        );
    }

    #[test]
    fn a_true_condition_keeps_its_transition_time() {
        let then: Time = serde_json::from_value(json!("2024-01-01T00:00:00Z")).unwrap();
        let now: Time = serde_json::from_value(json!("2024-05-01T10:00:00Z")).unwrap();
        let mut conditions = vec![PodCondition {
            type_: POD_SCHEDULED.into(),
            status: "True".into(),
            last_transition_time: Some(then),
            ..Default::default()
        }];
        set_scheduled(&mut conditions, now);
        assert_eq!(conditions.len(), 1);
        assert_eq!(conditions[0].last_transition_time, Some(then));
    }

    #[test]
    fn bound_deleting_and_gated_pods_refuse() {
        let now = Time::now();
        let target = binding("node-2", json!({}));
        let mut bound = pod(json!({"metadata": {"name": "web"}, "spec": {"nodeName": "node-1"}}));
        let refused = assign(&mut bound, &target, now).unwrap_err();
        assert_eq!(refused.code, 409);
        assert_eq!(
            refused.message,
            "Operation cannot be fulfilled on pods/binding \"web\": pod web is already assigned to node \"node-1\""
        );
        assert_eq!(bound.spec.node_name, "node-1");
        let mut deleting = pod(json!({"metadata": {"name": "web",
                                                   "deletionTimestamp": "2024-05-01T10:00:00Z"}}));
        let refused = assign(&mut deleting, &target, now).unwrap_err();
        assert!(
            refused.message.ends_with("pod web is being deleted, cannot be assigned to a host")
        );
        let mut gated = pod(json!({"metadata": {"name": "web"},
                                   "spec": {"schedulingGates": [{"name": "wait"}]}}));
        let refused = assign(&mut gated, &target, now).unwrap_err();
        assert!(refused.message.ends_with("pod web has non-empty .spec.schedulingGates"));
    }
}
