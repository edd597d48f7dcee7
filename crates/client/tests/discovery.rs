//! Discovery against a real apiserver in this process.

use client::discovery::server_preferred_resources;
use client::{Client, Config};
use kube_apiserver::testing::InProcessApiServer;

#[tokio::test]
async fn discovery_lists_every_served_resource_with_its_verbs() {
    let directory = tempfile::tempdir().unwrap();
    let server = InProcessApiServer::start(directory.path(), &[]).await.expect("apiserver starts");
    let client = Client::new(Config::for_server(&server.url()).unwrap()).unwrap();
    let resources = server_preferred_resources(&client).await.unwrap();
    let pods = resources.iter().find(|r| r.resource.plural == "pods").expect("pods listed");
    assert_eq!(pods.resource.api_version(), "v1");
    assert!(pods.resource.namespaced);
    assert!(pods.supports("deletecollection") && pods.supports("watch"));
    assert_eq!(pods.short_names, ["po"]);
    let deployments = resources.iter().find(|r| r.resource.plural == "deployments").unwrap();
    assert_eq!(deployments.resource.api_version(), "apps/v1");
    assert_eq!(deployments.resource.kind, "Deployment");
    let namespaces = resources.iter().find(|r| r.resource.plural == "namespaces").unwrap();
    assert!(!namespaces.resource.namespaced && !namespaces.supports("deletecollection"));
    assert!(resources.iter().all(|r| !r.resource.plural.contains('/')), "no subresources");
}
