//! The endpoints controller against a real apiserver: pods come, turn ready, change ports and
//! go, and the service's Endpoints follow; services without selectors are left alone.

mod support;

use api_types::api::core::v1::{Endpoints, Pod, Service};
use api_types::meta::v1::{CreateOptions, DeleteOptions, PatchOptions, PatchType};
use client::Api;
use kube_controller_manager::endpoints::controller::EndpointsController;
use serde_json::json;
use support::{Backend, ControlPlane, eventually};

async fn running_pod(pods: &Api<Pod>, name: &str, ip: &str, ready: bool) {
    let pod: Pod = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "nginx",
                                 "ports": [{"name": "http", "containerPort": 8080}]}]}
    }))
    .unwrap();
    pods.create(&pod, &CreateOptions::default()).await.unwrap();
    let status = json!({"status": {"phase": "Running", "podIP": ip, "conditions": [
        {"type": "Ready", "status": if ready { "True" } else { "False" }}]}});
    pods.patch_status(name, PatchType::Merge, &status, &PatchOptions::default()).await.unwrap();
}

/// `(ready IPs, not-ready IPs)` of the service's endpoints.
async fn addresses(endpoints: &Api<Endpoints>, name: &str) -> Option<(Vec<String>, Vec<String>)> {
    let found = endpoints.get_opt(name).await.unwrap()?;
    let collect = |pick: fn(
        &api_types::api::core::v1::EndpointSubset,
    ) -> &Vec<api_types::api::core::v1::EndpointAddress>| {
        let mut ips: Vec<String> = found
            .subsets
            .iter()
            .flat_map(|subset| pick(subset).iter().map(|a| a.ip.clone()))
            .collect();
        ips.sort();
        ips
    };
    Some((collect(|s| &s.addresses), collect(|s| &s.not_ready_addresses)))
}

async fn endpoints_follow_pods_readiness_and_named_ports_on(backend: Backend) {
    let plane = ControlPlane::start_on(backend, &["--leader-elect=false"]).await;
    tokio::spawn(EndpointsController::new(&plane.context).run(plane.context.clone(), 2));
    let services: Api<Service> = Api::default_namespaced(plane.client.clone());
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let endpoints: Api<Endpoints> = Api::default_namespaced(plane.client.clone());

    let service: Service = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "labels": {"tier": "front"}},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}
    }))
    .unwrap();
    services.create(&service, &CreateOptions::default()).await.unwrap();
    running_pod(&pods, "web-1", "10.1.0.5", true).await;
    running_pod(&pods, "web-2", "10.1.0.6", false).await;

    eventually("one ready and one not-ready address", || async {
        let found = addresses(&endpoints, "web").await?;
        (found == (vec!["10.1.0.5".into()], vec!["10.1.0.6".into()])).then_some(())
    })
    .await;
    let stored = endpoints.get("web").await.unwrap();
    assert_eq!(stored.subsets[0].ports[0].port, 8080, "the named target port resolves");
    assert_eq!(stored.metadata.labels.get("tier").map(String::as_str), Some("front"));
    let target = stored.subsets[0].addresses[0].target_ref.as_ref().unwrap();
    assert_eq!((target.kind.as_str(), target.name.as_str()), ("Pod", "web-1"));

    // Readiness changes move the address; a deleted pod leaves.
    let ready = json!({"status": {"conditions": [{"type": "Ready", "status": "True"}]}});
    pods.patch_status("web-2", PatchType::Merge, &ready, &PatchOptions::default()).await.unwrap();
    eventually("both ready", || async {
        let found = addresses(&endpoints, "web").await?;
        (found.0.len() == 2 && found.1.is_empty()).then_some(())
    })
    .await;
    let now = DeleteOptions { grace_period_seconds: Some(0), ..Default::default() };
    pods.delete("web-1", &now).await.unwrap();
    eventually("one left", || async {
        (addresses(&endpoints, "web").await? == (vec!["10.1.0.6".into()], vec![])).then_some(())
    })
    .await;

    // The endpoints go with their service.
    services.delete("web", &DeleteOptions::default()).await.unwrap();
    eventually("endpoints deleted", || async {
        endpoints.get_opt("web").await.unwrap().is_none().then_some(())
    })
    .await;
}

#[tokio::test]
async fn endpoints_follow_pods_readiness_and_named_ports() {
    endpoints_follow_pods_readiness_and_named_ports_on(Backend::Embedded).await;
}

#[tokio::test]
async fn endpoints_follow_pods_readiness_and_named_ports_on_etcd() {
    endpoints_follow_pods_readiness_and_named_ports_on(Backend::Etcd).await;
}

#[tokio::test]
async fn services_without_selectors_keep_their_own_endpoints() {
    let plane = ControlPlane::start(&["--leader-elect=false"]).await;
    tokio::spawn(EndpointsController::new(&plane.context).run(plane.context.clone(), 2));
    let services: Api<Service> = Api::default_namespaced(plane.client.clone());
    let endpoints: Api<Endpoints> = Api::default_namespaced(plane.client.clone());
    let service: Service = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "external"},
        "spec": {"ports": [{"port": 3306}]}
    }))
    .unwrap();
    services.create(&service, &CreateOptions::default()).await.unwrap();
    let manual: Endpoints = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "external"},
        "subsets": [{"addresses": [{"ip": "192.168.1.10"}], "ports": [{"port": 3306}]}]
    }))
    .unwrap();
    endpoints.create(&manual, &CreateOptions::default()).await.unwrap();
    // A selector service created afterwards gets its endpoints: by then the controller has
    // seen the manual ones too, and must have left them alone.
    let marker: Service = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "marker"},
        "spec": {"selector": {"app": "none"}, "ports": [{"port": 80}]}
    }))
    .unwrap();
    services.create(&marker, &CreateOptions::default()).await.unwrap();
    eventually("the marker's endpoints", || async {
        endpoints.get_opt("marker").await.unwrap().map(drop)
    })
    .await;
    let stored = endpoints.get("external").await.unwrap();
    assert_eq!(stored.subsets[0].addresses[0].ip, "192.168.1.10");
}
