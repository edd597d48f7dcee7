//! The namespace controller against a real apiserver, with the replication manager and the
//! garbage collector running: deleting a namespace deletes everything in it, reports what
//! holds it up, and then the namespace goes; the system namespaces are never touched.

mod support;

use api_types::api::apps::v1::Deployment;
use api_types::api::core::v1::{ConfigMap, Namespace, Pod, ReplicationController, Secret, Service};
use api_types::meta::v1::{CreateOptions, DeleteOptions, ListOptions, PatchOptions, PatchType};
use client::{Api, Client};
use kube_controller_manager::garbage_collector::controller::GarbageCollector;
use kube_controller_manager::namespace::controller::NamespaceController;
use kube_controller_manager::replication::controller::ReplicationManager;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use support::{Backend, ControlPlane, eventually};

async fn start() -> ControlPlane {
    start_on(Backend::Embedded).await
}

/// The same on `backend`.
async fn start_on(backend: Backend) -> ControlPlane {
    let plane = ControlPlane::start_on(backend, &["--leader-elect=false"]).await;
    let manager =
        ReplicationManager::<ReplicationController>::new(&plane.context, "replication-controller");
    tokio::spawn(manager.run(plane.context.clone(), 5));
    tokio::spawn(GarbageCollector::new(&plane.context).run(plane.context.clone(), 5));
    tokio::spawn(NamespaceController::new(&plane.context).run(plane.context.clone(), 5));
    plane
}

/// Creates `object` (JSON) in `namespace`.
async fn create<K>(client: &Client, namespace: &str, object: Value) -> K
where
    K: api_types::resource::Resource + DeserializeOwned,
{
    let object: K = serde_json::from_value(object).unwrap();
    Api::<K>::namespaced(client.clone(), namespace)
        .create(&object, &CreateOptions::default())
        .await
        .unwrap()
}

/// How many objects of kind `K` are in `namespace`.
async fn count<K: api_types::resource::Resource>(client: &Client, namespace: &str) -> usize {
    Api::<K>::namespaced(client.clone(), namespace)
        .list(&ListOptions::default())
        .await
        .unwrap()
        .items
        .len()
}

/// A little of everything in `namespace`: an RC with two pods, a bare pod, a service, a secret
/// and a config map (`held` gets a finalizer of someone else's, when asked).
async fn populate(client: &Client, namespace: &str, held: bool) {
    create::<ReplicationController>(
        client,
        namespace,
        json!({
        "metadata": {"name": "web"},
        "spec": {"replicas": 2, "selector": {"app": "web"},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}),
    )
    .await;
    create::<Pod>(
        client,
        namespace,
        json!({
        "metadata": {"name": "bare"},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]}}),
    )
    .await;
    create::<Service>(
        client,
        namespace,
        json!({
        "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}),
    )
    .await;
    create::<Secret>(
        client,
        namespace,
        json!({
        "metadata": {"name": "password"}, "stringData": {"password": "s3cret"}}),
    )
    .await;
    let finalizers: Vec<&str> = if held { vec!["example.com/hold"] } else { vec![] };
    create::<ConfigMap>(
        client,
        namespace,
        json!({
        "metadata": {"name": "settings", "finalizers": finalizers}, "data": {"a": "b"}}),
    )
    .await;
    eventually("the RC's pods", || async {
        (count::<Pod>(client, namespace).await == 3).then_some(())
    })
    .await;
}

/// The namespace's condition of `type_`, as (status, message).
fn condition(namespace: &Namespace, type_: &str) -> Option<(String, String)> {
    namespace
        .status
        .conditions
        .iter()
        .find(|condition| condition.type_ == type_)
        .map(|condition| (condition.status.clone(), condition.message.clone()))
}

async fn deleting_a_namespace_empties_it_and_then_it_goes_on(backend: Backend) {
    let plane = start_on(backend).await;
    let client = &plane.client;
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let shop: Namespace = serde_json::from_value(json!({"metadata": {"name": "shop"}})).unwrap();
    namespaces.create(&shop, &CreateOptions::default()).await.unwrap();
    populate(client, "shop", true).await;
    // A kind of another group (no controller runs for it here).
    create::<Deployment>(
        client,
        "shop",
        json!({
        "metadata": {"name": "api"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "api"}},
                 "template": {"metadata": {"labels": {"app": "api"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}),
    )
    .await;
    // Bystanders in the system namespaces.
    populate(client, "default", false).await;
    create::<ConfigMap>(client, "kube-system", json!({"metadata": {"name": "bystander"}})).await;

    let deleted = namespaces.delete("shop", &DeleteOptions::default()).await.unwrap();
    let client::DeleteOutcome::Object(deleted) = deleted else { panic!("kept while emptied") };
    assert_eq!(deleted.status.phase, "Terminating");

    // Everything goes but the config map someone else's finalizer holds; the namespace says so.
    let stuck = eventually("everything but the held config map gone", || async {
        let namespace = namespaces.get("shop").await.unwrap();
        let remaining = condition(&namespace, "NamespaceContentRemaining")?;
        let empty = count::<Pod>(client, "shop").await == 0
            && count::<ReplicationController>(client, "shop").await == 0
            && count::<Service>(client, "shop").await == 0
            && count::<Secret>(client, "shop").await == 0
            && count::<Deployment>(client, "shop").await == 0;
        (empty && remaining.1.contains("configmaps. has 1 resource instances")).then_some(namespace)
    })
    .await;
    assert_eq!(stuck.spec.finalizers, ["kubernetes"]);
    assert_eq!(
        condition(&stuck, "NamespaceFinalizersRemaining"),
        Some((
            "True".into(),
            "Some content in the namespace has finalizers remaining: example.com/hold in 1 \
             resource instances"
                .into()
        ))
    );
    assert_eq!(condition(&stuck, "NamespaceDeletionDiscoveryFailure").unwrap().0, "False");
    let settings: Api<ConfigMap> = Api::namespaced(client.clone(), "shop");
    assert!(settings.get("settings").await.unwrap().metadata.deletion_timestamp.is_some());

    let release = json!({"metadata": {"finalizers": null}});
    settings.patch("settings", PatchType::Merge, &release, &PatchOptions::default()).await.unwrap();
    eventually("the namespace to go", || async {
        namespaces.get_opt("shop").await.unwrap().is_none().then_some(())
    })
    .await;
    assert_eq!(count::<ConfigMap>(client, "shop").await, 0);

    // The system namespaces and their contents are untouched.
    for name in ["default", "kube-system"] {
        let namespace = namespaces.get(name).await.unwrap();
        assert!(namespace.metadata.deletion_timestamp.is_none());
        assert_eq!(namespace.status.phase, "Active");
    }
    assert_eq!(count::<Pod>(client, "default").await, 3);
    assert_eq!(count::<ReplicationController>(client, "default").await, 1);
    assert_eq!(count::<Secret>(client, "default").await, 1);
    assert_eq!(count::<ConfigMap>(client, "default").await, 1);
    let kube_system: Api<ConfigMap> = Api::namespaced(client.clone(), "kube-system");
    assert!(kube_system.get_opt("bystander").await.unwrap().is_some());
}

#[tokio::test]
async fn deleting_a_namespace_empties_it_and_then_it_goes() {
    deleting_a_namespace_empties_it_and_then_it_goes_on(Backend::Embedded).await;
}

#[tokio::test]
async fn deleting_a_namespace_empties_it_and_then_it_goes_on_etcd() {
    deleting_a_namespace_empties_it_and_then_it_goes_on(Backend::Etcd).await;
}

#[tokio::test]
async fn the_system_namespaces_cannot_be_deleted_and_keep_their_content() {
    let plane = start().await;
    let client = &plane.client;
    let namespaces: Api<Namespace> = Api::all(client.clone());
    populate(client, "default", false).await;
    for name in ["default", "kube-system", "kube-public"] {
        let refused = namespaces.delete(name, &DeleteOptions::default()).await.unwrap_err();
        assert_eq!(refused.status().map(|status| status.code), Some(403), "{name}: {refused}");
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    for name in ["default", "kube-system", "kube-public"] {
        let namespace = namespaces.get(name).await.unwrap();
        assert!(namespace.metadata.deletion_timestamp.is_none(), "{name}");
        assert_eq!(namespace.spec.finalizers, ["kubernetes"], "{name}");
    }
    assert_eq!(count::<Pod>(client, "default").await, 3);
    assert_eq!(count::<Service>(client, "default").await, 2, "web and kubernetes");
}
