//! The resource quota controller against a real apiserver: a quota's `status.used` follows the
//! pods, services and secrets created and deleted in its namespace, kinds only a list can count
//! are picked up by the periodic pass, and `kubectl describe quota` prints the table.

mod support;

use api_types::api::apps::v1::Deployment;
use api_types::api::core::v1::{Namespace, Pod, ResourceQuota, Secret, Service};
use api_types::meta::v1::{CreateOptions, DeleteOptions};
use client::Api;
use kube_controller_manager::resource_quota::controller::ResourceQuotaController;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use support::{Backend, ControlPlane, eventually};

const NAMESPACE: &str = "team-a";

fn object<K: serde::de::DeserializeOwned>(value: serde_json::Value) -> K {
    serde_json::from_value(value).unwrap()
}

fn pod(name: &str) -> Pod {
    object(json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "busybox", "resources": {
            "requests": {"cpu": "250m", "memory": "64Mi"},
            "limits": {"cpu": "500m", "memory": "256Mi"}}}]}
    }))
}

/// The quota's `status.used` as text, once its `status.hard` is the spec's.
async fn used(quotas: &Api<ResourceQuota>) -> Option<BTreeMap<String, String>> {
    let quota = quotas.get("compute").await.unwrap();
    (quota.status.hard == quota.spec.hard).then(|| {
        quota.status.used.iter().map(|(key, value)| (key.clone(), value.to_string())).collect()
    })
}

/// Waits until `status.used` reads `expected` (keys not listed there are not compared).
async fn used_becomes(quotas: &Api<ResourceQuota>, expected: &[(&str, &str)]) {
    eventually(&format!("used {expected:?}"), || async {
        let used = used(quotas).await?;
        expected
            .iter()
            .all(|(key, value)| used.get(*key).map(String::as_str) == Some(value))
            .then_some(())
    })
    .await;
}

/// kubectl 1.33, installed next to the `kubectl` on PATH.
fn kubectl() -> PathBuf {
    let on_path = Command::new("sh")
        .args(["-c", "readlink -f \"$(command -v kubectl)\""])
        .output()
        .expect("sh runs");
    let on_path = PathBuf::from(String::from_utf8(on_path.stdout).unwrap().trim());
    let binary = on_path.parent().expect("kubectl is on PATH").join("kubectl.1.33");
    assert!(binary.exists(), "{} is missing", binary.display());
    binary
}

/// `kubectl describe quota compute`'s resource rows: resource → (used, hard).
fn describe(server: &str) -> BTreeMap<String, (String, String)> {
    // A private home: no kubeconfig or cache of the machine's user is read.
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(kubectl())
        .args([
            &format!("--server={server}"),
            "--namespace",
            NAMESPACE,
            "describe",
            "quota",
            "compute",
        ])
        .env("HOME", home.path())
        .env("KUBECONFIG", home.path().join("config"))
        .output()
        .expect("kubectl runs");
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut lines = text.lines().skip_while(|line| !line.starts_with("Resource"));
    let header: Vec<_> =
        lines.next().unwrap_or_else(|| panic!("no table in:\n{text}")).split_whitespace().collect();
    assert_eq!(header, ["Resource", "Used", "Hard"], "{text}");
    lines
        .skip(1) // the dashes
        .filter_map(|line| match line.split_whitespace().collect::<Vec<_>>()[..] {
            [resource, used, hard] => {
                Some((resource.to_string(), (used.to_string(), hard.to_string())))
            }
            _ => None,
        })
        .collect()
}

async fn used_follows_the_namespace_and_kubectl_describes_it_on(backend: Backend) {
    let plane = ControlPlane::start_on(
        backend,
        &["--leader-elect=false", "--resource-quota-sync-period=1s"],
    )
    .await;
    let controller = ResourceQuotaController::new(&plane.context);
    tokio::spawn(controller.run(plane.context.clone(), 2));
    let client = &plane.client;
    let namespace: Namespace = object(json!({"metadata": {"name": NAMESPACE}}));
    Api::<Namespace>::all(client.clone())
        .create(&namespace, &CreateOptions::default())
        .await
        .unwrap();
    let quotas: Api<ResourceQuota> = Api::namespaced(client.clone(), NAMESPACE);
    let pods: Api<Pod> = Api::namespaced(client.clone(), NAMESPACE);
    let services: Api<Service> = Api::namespaced(client.clone(), NAMESPACE);
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NAMESPACE);
    let quota: ResourceQuota = object(json!({
        "apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "compute"},
        "spec": {"hard": {"pods": "4", "services": "3", "secrets": "5", "requests.cpu": "2",
                          "limits.memory": "2Gi", "count/deployments.apps": "2"}}
    }));
    quotas.create(&quota, &CreateOptions::default()).await.unwrap();
    used_becomes(
        &quotas,
        &[
            ("pods", "0"),
            ("services", "0"),
            ("secrets", "0"),
            ("requests.cpu", "0"),
            ("limits.memory", "0"),
            ("count/deployments.apps", "0"),
        ],
    )
    .await;

    for name in ["web-1", "web-2"] {
        pods.create(&pod(name), &CreateOptions::default()).await.unwrap();
    }
    let service: Service = object(json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}));
    services.create(&service, &CreateOptions::default()).await.unwrap();
    for name in ["one", "two"] {
        let secret: Secret = object(json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": name}, "stringData": {"k": "v"}}));
        secrets.create(&secret, &CreateOptions::default()).await.unwrap();
    }
    used_becomes(
        &quotas,
        &[
            ("pods", "2"),
            ("services", "1"),
            ("secrets", "2"),
            ("requests.cpu", "500m"),
            ("limits.memory", "512Mi"),
        ],
    )
    .await;

    // A kind no informer watches is counted by listing, on the periodic pass.
    let deployment: Deployment = object(json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"},
        "spec": {"selector": {"matchLabels": {"app": "api"}},
                 "template": {"metadata": {"labels": {"app": "api"}},
                              "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
    }));
    Api::<Deployment>::namespaced(client.clone(), NAMESPACE)
        .create(&deployment, &CreateOptions::default())
        .await
        .unwrap();
    used_becomes(&quotas, &[("count/deployments.apps", "1")]).await;

    // kubectl blocks: run it off the runtime that serves the apiserver.
    let url = plane.server.url();
    let table = tokio::task::spawn_blocking(move || describe(&url)).await.unwrap();
    let row = |resource: &str| table.get(resource).map(|(u, h)| (u.as_str(), h.as_str()));
    assert_eq!(row("pods"), Some(("2", "4")), "{table:?}");
    assert_eq!(row("requests.cpu"), Some(("500m", "2")));
    assert_eq!(row("limits.memory"), Some(("512Mi", "2Gi")));
    assert_eq!(row("services"), Some(("1", "3")));
    assert_eq!(row("secrets"), Some(("2", "5")));
    assert_eq!(row("count/deployments.apps"), Some(("1", "2")));

    // Nothing changed: the periodic passes (every second) write nothing.
    let before = quotas.get("compute").await.unwrap().metadata.resource_version;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let after = quotas.get("compute").await.unwrap().metadata.resource_version;
    assert_eq!(before, after, "an unchanged status was written again");

    // Deletions bring usage down.
    let now = DeleteOptions { grace_period_seconds: Some(0), ..Default::default() };
    pods.delete("web-1", &now).await.unwrap();
    services.delete("web", &DeleteOptions::default()).await.unwrap();
    secrets.delete("one", &DeleteOptions::default()).await.unwrap();
    used_becomes(
        &quotas,
        &[
            ("pods", "1"),
            ("services", "0"),
            ("secrets", "1"),
            ("requests.cpu", "250m"),
            ("limits.memory", "256Mi"),
        ],
    )
    .await;

    // A changed limit is mirrored into status.hard.
    let patch = json!({"spec": {"hard": {"pods": "10"}}});
    quotas
        .patch("compute", api_types::meta::v1::PatchType::Merge, &patch, &Default::default())
        .await
        .unwrap();
    eventually("hard pods 10", || async {
        let quota = quotas.get("compute").await.unwrap();
        (quota.status.hard.get("pods").map(ToString::to_string).as_deref() == Some("10"))
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn used_follows_the_namespace_and_kubectl_describes_it() {
    used_follows_the_namespace_and_kubectl_describes_it_on(Backend::Embedded).await;
}

#[tokio::test]
async fn used_follows_the_namespace_and_kubectl_describes_it_on_etcd() {
    used_follows_the_namespace_and_kubectl_describes_it_on(Backend::Etcd).await;
}
