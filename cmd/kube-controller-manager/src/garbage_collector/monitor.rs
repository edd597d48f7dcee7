//! A list-and-watch of one resource's object metadata, for any served kind (upstream's GC
//! monitors run metadata-only informers). The client's `Watcher` and informers are typed, and
//! the collector must follow kinds it has no Rust type for, so this reads `Api<Value>` and
//! keeps only what the graph needs: identity, owner references, deletion and finalizers.
//!
//! It does what a reflector does, minus the cache: list, watch from the list's version, resume
//! from the last version seen when a watch ends, relist when the version is gone (410), back
//! off on failures.

use super::graph::Observation;
use api_types::meta::v1::{ListOptions, ObjectMeta, WatchEventType};
use client::retry::jitter;
use client::{Api, ApiResource};
use component_base::ShutdownToken;
use serde_json::Value;
use std::time::Duration;
use tokio::sync::oneshot;

/// What a monitor reports.
#[derive(Debug)]
pub enum MonitorEvent {
    /// A complete list of the kind: anything of the kind not in it is gone.
    Restarted(Vec<Observation>),
    Applied(Observation),
    Deleted(Observation),
}

/// The first wait after a failure, doubled per failure up to [`MAX_BACKOFF`].
const INITIAL_BACKOFF: Duration = Duration::from_millis(800);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// The shortest `timeoutSeconds` of a watch (upstream's reflector's).
const WATCH_TIMEOUT: Duration = Duration::from_secs(300);

/// Follows `api`'s collection until `shutdown`, handing every change to `sink`; `synced` is
/// told after the first complete list.
pub async fn run(
    api: Api<Value>,
    sink: impl Fn(&ApiResource, MonitorEvent),
    synced: oneshot::Sender<()>,
    shutdown: ShutdownToken,
) {
    let resource = api.resource().clone();
    let mut synced = Some(synced);
    let mut backoff = INITIAL_BACKOFF;
    let mut failed = false;
    loop {
        if failed {
            tokio::select! {
                _ = shutdown.wait() => return,
                _ = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
        failed = true;
        let everything = ListOptions::default();
        let list = tokio::select! {
            _ = shutdown.wait() => return,
            list = api.list(&everything) => list,
        };
        let list = match list {
            Ok(list) => list,
            Err(error) => {
                tracing::debug!(resource = %resource.plural, %error, "garbage collector list failed");
                continue;
            }
        };
        let observations = list.items.into_iter().filter_map(|item| observe(&resource, &item));
        sink(&resource, MonitorEvent::Restarted(observations.collect()));
        if let Some(synced) = synced.take() {
            let _ = synced.send(());
        }
        let mut version = list.metadata.resource_version;
        // Watch, resuming from `version`, until the version is gone (relist) or shutdown.
        loop {
            let options = ListOptions {
                resource_version: version.clone(),
                allow_watch_bookmarks: true,
                // 5 to 10 minutes, spread so that the monitors do not renew in step.
                timeout_seconds: Some(
                    i64::try_from(jitter(WATCH_TIMEOUT, 1.0).as_secs()).unwrap_or(300),
                ),
                ..Default::default()
            };
            let stream = tokio::select! {
                _ = shutdown.wait() => return,
                stream = api.watch(&options) => stream,
            };
            let mut stream = match stream {
                Ok(stream) => stream,
                Err(error) if error.is_gone() => break,
                Err(error) => {
                    tracing::debug!(resource = %resource.plural, %error, "garbage collector watch failed");
                    tokio::select! {
                        _ = shutdown.wait() => return,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    continue;
                }
            };
            let mut gone = false;
            loop {
                let event = tokio::select! {
                    _ = shutdown.wait() => return,
                    event = stream.next() => event,
                };
                let event = match event {
                    None => break,
                    Some(Ok(event)) => event,
                    Some(Err(error)) => {
                        gone = error.is_gone();
                        break;
                    }
                };
                backoff = INITIAL_BACKOFF;
                if let Some(seen) = event
                    .object
                    .pointer("/metadata/resourceVersion")
                    .and_then(Value::as_str)
                    .filter(|seen| !seen.is_empty())
                {
                    version = seen.to_string();
                }
                let Some(observation) = observe(&resource, &event.object) else { continue };
                match event.type_ {
                    WatchEventType::Added | WatchEventType::Modified => {
                        sink(&resource, MonitorEvent::Applied(observation))
                    }
                    WatchEventType::Deleted => sink(&resource, MonitorEvent::Deleted(observation)),
                    WatchEventType::Bookmark | WatchEventType::Error => {}
                }
            }
            if gone {
                break;
            }
        }
        failed = false;
    }
}

/// The observation of one object of `resource`; `None` for an object without metadata.
pub fn observe(resource: &ApiResource, object: &Value) -> Option<Observation> {
    let meta: ObjectMeta = serde_json::from_value(object.get("metadata")?.clone()).ok()?;
    if meta.uid.is_empty() {
        return None;
    }
    Some(Observation::new(&resource.api_version(), &resource.kind, meta))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn observations_carry_identity_owners_and_deletion() {
        let resource = ApiResource {
            group: "apps".into(),
            version: "v1".into(),
            kind: "ReplicaSet".into(),
            plural: "replicasets".into(),
            namespaced: true,
        };
        let object = json!({"metadata": {"name": "web", "namespace": "ns", "uid": "u1",
            "deletionTimestamp": "2024-01-01T00:00:00Z", "finalizers": ["orphan"],
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "d",
                                 "uid": "u0"}]}});
        let observation = observe(&resource, &object).unwrap();
        assert_eq!(observation.identity.api_version, "apps/v1");
        assert_eq!(observation.identity.kind, "ReplicaSet");
        assert_eq!(observation.identity.namespace, "ns");
        assert_eq!(observation.owners[0].uid, "u0");
        assert!(observation.being_deleted);
        assert!(observe(&resource, &json!({"metadata": {"name": "no-uid"}})).is_none());
    }
}
