//! Every kind the apiserver serves, each declared once by its `Strategy`: discovery facts
//! (short names, categories, subresources), the create and update hooks of upstream's per-type
//! strategies, field selectors, and the server-side `kubectl get` table. One file per kind or
//! close family; the shared formatting rules live in `printing`.

mod binding;
mod component_status;
mod config;
mod daemon_set;
mod deployment;
mod endpoints;
mod event;
mod lease;
mod limit_range;
mod namespace;
mod node;
mod persistent_volume;
mod pod;
mod pod_template;
mod printing;
mod replica_set;
mod replication_controller;
mod resource_quota;
mod selectable;
mod service;
mod service_account;

use super::{Evictions, GenericStore, PodBindings, ResourceTable, RestResource, Strategy};
use crate::storage::Storage;
use api_types::api::apps::v1::{DaemonSet, Deployment, ReplicaSet};
use api_types::api::coordination::v1::Lease;
use api_types::api::core::v1::{
    ConfigMap, Endpoints, Event, LimitRange, Namespace, Node, PersistentVolume,
    PersistentVolumeClaim, Pod, PodTemplate, ReplicationController, ResourceQuota, Secret, Service,
    ServiceAccount,
};
use std::sync::Arc;

/// Every stored resource, each served by a [`GenericStore`] over `storage` under `prefix`, and
/// the pod subresources that change pods for another kind of request: `bindings` (create-only,
/// also served as `pods/binding`; a binding sets the pod's `spec.nodeName` and is never stored)
/// and `pods/eviction`.
///
/// `componentstatuses` is absent: it is computed by probing the control plane on every read, so
/// it needs to know where the control plane is ([`crate::registry::ComponentStatuses`]).
pub fn resource_table(storage: Arc<dyn Storage>, prefix: &str) -> ResourceTable {
    let mut table = ResourceTable::default();
    let stores: [StoreOf; 19] = [
        store::<Pod>,
        store::<PodTemplate>,
        store::<ReplicationController>,
        store::<Service>,
        store::<Endpoints>,
        store::<Node>,
        store::<Namespace>,
        store::<Event>,
        store::<Secret>,
        store::<ConfigMap>,
        store::<ServiceAccount>,
        store::<LimitRange>,
        store::<ResourceQuota>,
        store::<PersistentVolume>,
        store::<PersistentVolumeClaim>,
        store::<Deployment>,
        store::<ReplicaSet>,
        store::<DaemonSet>,
        store::<Lease>,
    ];
    for store in stores {
        table.insert(store(&storage, prefix));
    }
    let bindings = Arc::new(PodBindings::new(Arc::clone(&storage), prefix));
    table.insert(bindings.clone());
    table.insert_named_create(("", "v1", "pods"), "binding", bindings);
    let evictions = Arc::new(Evictions::new(storage, prefix));
    table.insert_named_create(("", "v1", "pods"), "eviction", evictions);
    table
}

/// Builds one kind's store.
type StoreOf = fn(&Arc<dyn Storage>, &str) -> Arc<dyn RestResource>;

/// `T`'s generic store.
fn store<T: Strategy>(storage: &Arc<dyn Storage>, prefix: &str) -> Arc<dyn RestResource> {
    Arc::new(GenericStore::<T>::new(storage.clone(), prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::ResourceInfo;
    use crate::storage::embedded::{EmbeddedOptions, EmbeddedStorage, SyncMode};
    use api_types::meta::v1::CreateOptions;
    use serde_json::json;

    async fn served() -> (ResourceTable, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let options = EmbeddedOptions {
            compaction_interval: None,
            sync_mode: SyncMode::Normal,
            ..Default::default()
        };
        let storage = EmbeddedStorage::open(dir.path(), options).await.expect("store opens");
        (resource_table(Arc::new(storage), "/registry"), dir)
    }

    #[tokio::test]
    async fn every_stored_kind_is_served_with_its_discovery_facts() {
        let (table, _dir) = served().await;
        // Ordered by group (the core group first), version and plural.
        let resources: Vec<_> = table
            .iter()
            .map(|resource| {
                let info = resource.info();
                (info.group_version(), info.plural, info.short_names.join(","))
            })
            .collect();
        let expected = [
            ("v1", "bindings", ""),
            ("v1", "configmaps", "cm"),
            ("v1", "endpoints", "ep"),
            ("v1", "events", "ev"),
            ("v1", "limitranges", "limits"),
            ("v1", "namespaces", "ns"),
            ("v1", "nodes", "no"),
            ("v1", "persistentvolumeclaims", "pvc"),
            ("v1", "persistentvolumes", "pv"),
            ("v1", "pods", "po"),
            ("v1", "podtemplates", ""),
            ("v1", "replicationcontrollers", "rc"),
            ("v1", "resourcequotas", "quota"),
            ("v1", "secrets", ""),
            ("v1", "serviceaccounts", "sa"),
            ("v1", "services", "svc"),
            ("apps/v1", "daemonsets", "ds"),
            ("apps/v1", "deployments", "deploy"),
            ("apps/v1", "replicasets", "rs"),
            ("coordination.k8s.io/v1", "leases", ""),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(group_version, plural, short)| {
                (group_version.to_string(), *plural, short.to_string())
            })
            .collect();
        assert_eq!(resources, expected);
        assert_eq!(table.get("", "v1", "bindings").unwrap().info().verbs, ["create"]);
        assert!(table.named_create("", "v1", "pods", "binding").is_some());
        assert!(table.named_create("", "v1", "pods", "eviction").is_some());
        assert!(table.named_create("", "v1", "pods", "status").is_none());
        assert!(table.get("", "v1", "componentstatuses").is_none());
        let all: Vec<_> = table
            .iter()
            .filter(|resource| resource.info().categories.contains(&"all"))
            .map(|resource| resource.info().plural)
            .collect();
        assert_eq!(
            all,
            [
                "pods",
                "replicationcontrollers",
                "services",
                "daemonsets",
                "deployments",
                "replicasets"
            ]
        );
        let namespaces = table.get("", "v1", "namespaces").unwrap().info();
        assert!(!namespaces.verbs.contains(&"deletecollection"));
        assert_eq!(table.get("", "v1", "pods").unwrap().info().verbs, ResourceInfo::ALL_VERBS);
        let pods = table.get("", "v1", "pods").unwrap().info();
        assert_eq!(
            pods.subresources,
            ["status", "binding", "log", "exec", "attach", "portforward", "proxy", "eviction"]
        );
    }

    #[tokio::test]
    async fn hooks_and_tables_run_through_the_generic_store() {
        let (table, _dir) = served().await;
        let namespaces = table.get("", "v1", "namespaces").unwrap();
        let namespace = namespaces
            .create(
                None,
                json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}}),
                &CreateOptions::default(),
            )
            .await
            .expect("namespace created");
        assert_eq!(namespace["spec"], json!({"finalizers": ["kubernetes"]}));
        assert_eq!(namespace["status"], json!({"phase": "Active"}));

        let pods = table.get("", "v1", "pods").unwrap();
        let pod = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "team-a"},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27",
                                     "resources": {"limits": {"cpu": "100m", "memory": "64Mi"}}}]},
            "status": {"phase": "Running"}
        });
        let pod =
            pods.create(Some("team-a"), pod, &CreateOptions::default()).await.expect("pod created");
        assert_eq!(pod["status"], json!({"phase": "Pending", "qosClass": "Guaranteed"}));
        assert_eq!(pod["metadata"]["generation"], 1);

        let rows = pods.table(&[pod], None).expect("pod table");
        assert_eq!(rows.column_definitions.len(), 9);
        let cells = &rows.rows[0].cells;
        assert_eq!(cells[..3], [json!("web"), json!("0/1"), json!("Pending")]);
        assert_eq!(cells[5..], ["<none>", "<none>", "<none>", "<none>"].map(|cell| json!(cell)));
    }

    #[tokio::test]
    async fn a_registering_node_keeps_its_status_while_other_kinds_start_empty() {
        let (table, _dir) = served().await;
        let nodes = table.get("", "v1", "nodes").unwrap();
        let node = json!({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": "node-1"},
            "status": {
                "capacity": {"cpu": "2", "pods": "110"},
                "addresses": [{"type": "InternalIP", "address": "10.0.0.5"}]
            }
        });
        let created = nodes.create(None, node, &CreateOptions::default()).await.unwrap();
        assert_eq!(created["status"]["addresses"][0]["address"], "10.0.0.5");
        assert_eq!(created["status"]["capacity"]["cpu"], "2");

        let services = table.get("", "v1", "services").unwrap();
        let service = json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web"},
            "spec": {"ports": [{"port": 80}], "selector": {"app": "web"}},
            "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}
        });
        let created = services.create(Some("default"), service, &CreateOptions::default()).await;
        let created = created.unwrap();
        assert!(created["status"]["loadBalancer"].get("ingress").is_none(), "{created}");
    }
}
