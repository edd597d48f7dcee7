//! Tests of the generic store against the real embedded storage, through the type-erased
//! [`RestResource`] interface the HTTP layer uses.
//!
//! The kinds served here are real api-types kinds wrapped in test-only newtypes, each with a
//! small [`Strategy`] exercising one set of hooks; wrapping keeps these impls from colliding
//! with the real per-kind strategies in `registry/kinds`.

mod create;
mod delete;
mod kinds;
mod list;
mod patch;
mod read;
mod subresources;
mod table;
mod update;
mod watch;

use super::GenericStore;
use crate::registry::{RestResource, Strategy, WatchEvents};
use crate::storage::embedded::{EmbeddedOptions, EmbeddedStorage, SyncMode};
use crate::storage::{Revision, Storage};
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, Status,
    UpdateOptions, WatchEvent, WatchEventType,
};
use kinds::{TestConfigMap, TestNamespace, TestPod, TestReplicationController};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

/// One embedded store on a temporary directory, with a generic store per test kind on it.
struct Cluster {
    storage: Arc<EmbeddedStorage>,
    config_maps: GenericStore<TestConfigMap>,
    controllers: GenericStore<TestReplicationController>,
    pods: GenericStore<TestPod>,
    namespaces: GenericStore<TestNamespace>,
    _dir: TempDir,
}

impl Cluster {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let options = EmbeddedOptions {
            compaction_interval: None,
            sync_mode: SyncMode::Normal,
            ..Default::default()
        };
        let storage =
            Arc::new(EmbeddedStorage::open(dir.path(), options).await.expect("store opens"));
        Cluster::on(Arc::clone(&storage) as Arc<dyn Storage>, storage, dir)
    }

    /// The stores over `storage`, which may wrap `embedded`.
    fn on(storage: Arc<dyn Storage>, embedded: Arc<EmbeddedStorage>, dir: TempDir) -> Self {
        Cluster {
            config_maps: GenericStore::new(Arc::clone(&storage), "/registry"),
            controllers: GenericStore::new(Arc::clone(&storage), "/registry"),
            pods: GenericStore::new(Arc::clone(&storage), "/registry"),
            namespaces: GenericStore::new(storage, "/registry"),
            storage: embedded,
            _dir: dir,
        }
    }

    async fn revision(&self) -> Revision {
        self.storage.current_revision().await.expect("current revision")
    }
}

/// Creates `body` in namespace `default` (or at cluster scope for cluster-scoped kinds).
async fn create<T: Strategy>(store: &GenericStore<T>, body: Value) -> Value {
    let namespace = T::NAMESPACED.then_some("default");
    store.create(namespace, body, &CreateOptions::default()).await.expect("create succeeds")
}

async fn get<T: Strategy>(store: &GenericStore<T>, name: &str) -> Result<Value, Status> {
    let namespace = T::NAMESPACED.then_some("default");
    store.get(namespace, name, None, &GetOptions::default()).await
}

async fn put<T: Strategy>(
    store: &GenericStore<T>,
    name: &str,
    body: Value,
) -> Result<Value, Status> {
    put_to(store, name, None, body).await
}

async fn put_to<T: Strategy>(
    store: &GenericStore<T>,
    name: &str,
    subresource: Option<&str>,
    body: Value,
) -> Result<Value, Status> {
    let namespace = T::NAMESPACED.then_some("default");
    let options = UpdateOptions::default();
    let (updated, created) = store.update(namespace, name, subresource, body, &options).await?;
    assert!(!created, "an update never creates");
    Ok(updated)
}

async fn patch<T: Strategy>(
    store: &GenericStore<T>,
    name: &str,
    subresource: Option<&str>,
    patch_type: PatchType,
    patch: Value,
) -> Result<Value, Status> {
    let namespace = T::NAMESPACED.then_some("default");
    store.patch(namespace, name, subresource, patch_type, patch, &PatchOptions::default()).await
}

async fn delete<T: Strategy>(
    store: &GenericStore<T>,
    name: &str,
    options: DeleteOptions,
) -> Result<Value, Status> {
    let namespace = T::NAMESPACED.then_some("default");
    store.delete(namespace, name, &options).await
}

async fn list<T: Strategy>(
    store: &GenericStore<T>,
    namespace: Option<&str>,
    options: ListOptions,
) -> Result<Value, Status> {
    store.list(namespace, &options).await
}

/// The names of a list's items, in order.
fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("a list has items")
        .iter()
        .map(|item| item["metadata"]["name"].as_str().expect("items have names").to_string())
        .collect()
}

fn resource_version(object: &Value) -> Revision {
    object["metadata"]["resourceVersion"]
        .as_str()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| panic!("no resourceVersion in {object}"))
}

/// Asserts a failure's code, reason and exact message.
#[track_caller]
fn assert_failure(result: Result<Value, Status>, code: i32, reason: &str, message: &str) -> Status {
    let status = match result {
        Ok(value) => panic!("expected a {code} {reason}, got {value}"),
        Err(status) => status,
    };
    assert_eq!(
        (status.code, status.reason.as_str(), status.message.as_str()),
        (code, reason, message),
        "{status:?}"
    );
    assert_eq!((status.kind.as_str(), status.api_version.as_str()), ("Status", "v1"));
    assert_eq!(status.status, "Failure");
    status
}

fn config_map(name: &str, data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data})
}

fn labelled_config_map(name: &str, labels: Value) -> Value {
    json!({"metadata": {"name": name, "labels": labels}, "data": {"k": "v"}})
}

fn controller(name: &str, replicas: i32) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"app": name},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "main", "image": "nginx:1.25"}]}
            }
        }
    })
}

fn pod(name: &str, node: &str) -> Value {
    json!({
        "metadata": {"name": name},
        "spec": {
            "nodeName": node,
            "terminationGracePeriodSeconds": 30,
            "containers": [{"name": "main", "image": "busybox"}]
        }
    })
}

/// The next watch event, failing the test if none arrives within five seconds.
async fn next_event(events: &mut WatchEvents) -> WatchEvent<Value> {
    tokio::time::timeout(Duration::from_secs(5), events.recv())
        .await
        .expect("a watch event arrives")
        .expect("the watch is still open")
}

/// Asserts that no event arrives for a short while.
async fn assert_quiet(events: &mut WatchEvents) {
    let next = tokio::time::timeout(Duration::from_millis(300), events.recv()).await;
    assert!(next.is_err(), "unexpected watch event: {next:?}");
}

#[track_caller]
fn assert_event(event: &WatchEvent<Value>, type_: WatchEventType, name: &str) {
    assert_eq!(
        (event.type_, event.object["metadata"]["name"].as_str()),
        (type_, Some(name)),
        "{event:?}"
    );
}
