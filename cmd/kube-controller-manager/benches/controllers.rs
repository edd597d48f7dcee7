//! Controller benchmarks, each printed next to its physical floor measured in the same run:
//!
//! - the replication manager creating the pods of an RC of N replicas (default 10,000), against
//!   the same N pod creates sent straight to the apiserver by 64 concurrent clients;
//! - the endpoints controller's latency from a pod turning ready to its address appearing in the
//!   Endpoints, against the latency of the pod's own change reaching a watcher.
//!
//! `cargo bench -p kube-controller-manager --bench controllers`; `BENCH_RC_PODS` and
//! `BENCH_READY_PODS` change the sizes.

use api_types::api::core::v1::{Endpoints, Pod, ReplicationController, Service};
use api_types::meta::v1::{CreateOptions, ListOptions, PatchOptions, PatchType, WatchEventType};
use client::{Api, Client, Config};
use component_base::ShutdownToken;
use kube_apiserver::testing::InProcessApiServer;
use kube_controller_manager::controller::context::ControllerContext;
use kube_controller_manager::endpoints::controller::EndpointsController;
use kube_controller_manager::options::Options;
use kube_controller_manager::replication::controller::ReplicationManager;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn size(variable: &str, default: usize) -> usize {
    std::env::var(variable).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn pod(name: &str, app: &str) -> Pod {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": app}},
        "spec": {"containers": [{"name": "c", "image": "busybox",
                                 "ports": [{"containerPort": 80}]}]}
    }))
    .unwrap()
}

struct Plane {
    _server: InProcessApiServer,
    client: Client,
    context: ControllerContext,
    shutdown: ShutdownToken,
    _directory: tempfile::TempDir,
}

async fn plane() -> Plane {
    let directory = tempfile::tempdir().unwrap();
    let server = InProcessApiServer::start(directory.path(), &[]).await.expect("apiserver");
    let client = Client::new(Config::for_server(&server.url()).unwrap()).unwrap();
    let master = format!("--master={}", server.url());
    let options = Options::try_parse_args(["kube-controller-manager", &master]).unwrap();
    let shutdown = ShutdownToken::new();
    let context = ControllerContext::new(
        client.clone(),
        Arc::new(options),
        shutdown.clone(),
        &prometheus::Registry::new(),
    );
    Plane { _server: server, client, context, shutdown, _directory: directory }
}

/// N pod creates from 64 concurrent clients: the apiserver's own pace.
async fn direct_creates(client: &Client, namespace: &str, count: usize) -> Duration {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..64 {
        let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
        tasks.push(tokio::spawn(async move {
            let mut index = worker;
            while index < count {
                pods.create(&pod(&format!("direct-{index}"), "direct"), &CreateOptions::default())
                    .await
                    .unwrap();
                index += 64;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    started.elapsed()
}

async fn namespace(client: &Client, name: &str) {
    let namespaces: Api<api_types::api::core::v1::Namespace> = Api::all(client.clone());
    let namespace = serde_json::from_value(json!({"apiVersion": "v1", "kind": "Namespace",
                                                  "metadata": {"name": name}}))
    .unwrap();
    namespaces.create(&namespace, &CreateOptions::default()).await.unwrap();
}

async fn replication(count: usize) {
    let plane = plane().await;
    namespace(&plane.client, "floor").await;
    let floor = direct_creates(&plane.client, "floor", count).await;

    let manager =
        ReplicationManager::<ReplicationController>::new(&plane.context, "replication-controller");
    tokio::spawn(manager.run(plane.context.clone(), 5));
    let rcs: Api<ReplicationController> = Api::default_namespaced(plane.client.clone());
    let rc: ReplicationController = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "big"},
        "spec": {"replicas": count, "selector": {"app": "big"},
                 "template": {"metadata": {"labels": {"app": "big"}},
                              "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
    }))
    .unwrap();
    let started = Instant::now();
    rcs.create(&rc, &CreateOptions::default()).await.unwrap();
    let target = i32::try_from(count).unwrap();
    loop {
        if rcs.get("big").await.unwrap().status.replicas >= target {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let controlled = started.elapsed();
    plane.shutdown.trigger();
    let rate = |elapsed: Duration| count as f64 / elapsed.as_secs_f64();
    println!("replication manager: RC of {count} pods");
    println!("  direct creates (64 clients)  {:>9.2?}  {:>8.0} pods/s", floor, rate(floor));
    println!(
        "  RC to {count} replicas       {:>9.2?}  {:>8.0} pods/s",
        controlled,
        rate(controlled)
    );
    println!(
        "  ratio (RC / direct time)     {:>9.2}",
        controlled.as_secs_f64() / floor.as_secs_f64()
    );
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn endpoints_latency(count: usize) {
    let plane = plane().await;
    tokio::spawn(EndpointsController::new(&plane.context).run(plane.context.clone(), 5));
    let services: Api<Service> = Api::default_namespaced(plane.client.clone());
    let service: Service = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}
    }))
    .unwrap();
    services.create(&service, &CreateOptions::default()).await.unwrap();
    let pods: Api<Pod> = Api::default_namespaced(plane.client.clone());
    let endpoints: Api<Endpoints> = Api::default_namespaced(plane.client.clone());

    let mut floor = Vec::new();
    let mut controlled = Vec::new();
    for index in 0..count {
        let name = format!("web-{index}");
        pods.create(&pod(&name, "web"), &CreateOptions::default()).await.unwrap();
        let ip = format!("10.{}.{}.{}", 1 + index / 65536, (index / 256) % 256, index % 256);
        let running = json!({"status": {"phase": "Running", "podIP": ip}});
        pods.patch_status(&name, PatchType::Merge, &running, &PatchOptions::default())
            .await
            .unwrap();
        let from = pods.list(&ListOptions::default()).await.unwrap().metadata.resource_version;
        let options = ListOptions {
            resource_version: from.clone(),
            field_selector: format!("metadata.name={name}"),
            ..Default::default()
        };
        let mut pod_watch = pods.watch(&options).await.unwrap();
        let endpoint_options = ListOptions {
            resource_version: from,
            field_selector: "metadata.name=web".into(),
            ..Default::default()
        };
        let mut endpoint_watch = endpoints.watch(&endpoint_options).await.unwrap();
        let ready = json!({"status": {"conditions": [{"type": "Ready", "status": "True"}]}});
        let started = Instant::now();
        pods.patch_status(&name, PatchType::StrategicMerge, &ready, &PatchOptions::default())
            .await
            .unwrap();
        loop {
            let event = pod_watch.next().await.unwrap().unwrap();
            if event.type_ == WatchEventType::Modified {
                floor.push(started.elapsed());
                break;
            }
        }
        loop {
            let event = endpoint_watch.next().await.unwrap().unwrap();
            let listed = event
                .object
                .subsets
                .iter()
                .flat_map(|subset| &subset.addresses)
                .any(|address| address.ip == ip);
            if listed {
                controlled.push(started.elapsed());
                break;
            }
        }
    }
    plane.shutdown.trigger();
    floor.sort();
    controlled.sort();
    println!("endpoints controller: {count} pods turning ready");
    for (label, fraction) in [("p50", 0.5), ("p99", 0.99)] {
        let (f, c) = (percentile(&floor, fraction), percentile(&controlled, fraction));
        println!(
            "  {label}: pod change seen by a watch {f:>9.2?}, address in Endpoints {c:>9.2?}, ratio {:.2}",
            c.as_secs_f64() / f.as_secs_f64()
        );
    }
}

fn main() {
    // `cargo test --benches` runs benches with `--bench` absent: keep that quick.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        replication(if quick { 50 } else { size("BENCH_RC_PODS", 10_000) }).await;
        endpoints_latency(if quick { 5 } else { size("BENCH_READY_PODS", 200) }).await;
    });
}
