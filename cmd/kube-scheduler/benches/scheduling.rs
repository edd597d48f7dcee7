//! Scheduling throughput and latency in the shape of upstream's scheduler_perf
//! `SchedulingBasic`: a control plane in this process, N nodes as API objects (4 cores, 32 GiB,
//! 110 pods, Ready), the scheduler running in-process, W pods scheduled to warm up, then M pods
//! created by 32 concurrent clients and measured from the create request to the binding seen
//! through a watch.
//!
//! `cargo bench -p kube-scheduler --bench scheduling` runs 5,000 nodes, 1,000 + 10,000 pods;
//! `BENCH_NODES`, `BENCH_WARMUP_PODS` and `BENCH_PODS` change the sizes. Without `--bench`
//! (`cargo test --benches`) it runs a quick 100 nodes, 20 + 200 pods.

use api_types::api::core::v1::{Node, Pod};
use api_types::meta::v1::{CreateOptions, PatchOptions, PatchType};
use client::informer::InformerFactory;
use client::{Api, Client, Config, Event, Watcher, WatcherConfig};
use component_base::ShutdownToken;
use kube_apiserver::testing::InProcessApiServer;
use kube_scheduler::algorithm::Algorithm;
use kube_scheduler::algorithm::provider::DEFAULT_PROVIDER;
use kube_scheduler::scheduler::{Scheduler, SchedulerConfig};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 32;

fn size(variable: &str, default: usize) -> usize {
    std::env::var(variable).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn pod(name: &str) -> Pod {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "perf"}},
        "spec": {"containers": [{"name": "pause", "image": "registry.k8s.io/pause:3.9",
                                 "resources": {"requests": {"cpu": "100m", "memory": "500Mi"}}}]}
    }))
    .unwrap()
}

/// Runs `count` jobs over [`CLIENTS`] concurrent tasks.
async fn in_parallel<F, Fut>(count: usize, job: F)
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let mut tasks = Vec::new();
    for worker in 0..CLIENTS {
        let job = job.clone();
        tasks.push(tokio::spawn(async move {
            let mut index = worker;
            while index < count {
                job(index).await;
                index += CLIENTS;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

async fn create_nodes(client: &Client, count: usize) {
    let nodes: Api<Node> = Api::all(client.clone());
    in_parallel(count, move |index| {
        let nodes = nodes.clone();
        async move {
            let name = format!("node-{index}");
            let node: Node = serde_json::from_value(json!({
                "apiVersion": "v1", "kind": "Node", "metadata": {"name": name}
            }))
            .unwrap();
            nodes.create(&node, &CreateOptions::default()).await.unwrap();
            let resources = json!({"cpu": "4", "memory": "32Gi", "pods": "110"});
            let status = json!({"status": {"capacity": resources, "allocatable": resources,
                "conditions": [{"type": "Ready", "status": "True"}]}});
            nodes
                .patch_status(&name, PatchType::Merge, &status, &PatchOptions::default())
                .await
                .unwrap();
        }
    })
    .await;
}

/// Creates `count` pods named `<prefix>-<i>`, returning when each create was sent.
async fn create_pods(client: &Client, prefix: &str, count: usize) -> HashMap<String, Instant> {
    let pods: Api<Pod> = Api::default_namespaced(client.clone());
    let started = Arc::new(Mutex::new(HashMap::new()));
    let prefix = prefix.to_string();
    in_parallel(count, {
        let started = started.clone();
        move |index| {
            let (pods, started, name) =
                (pods.clone(), started.clone(), format!("{prefix}-{index}"));
            async move {
                started.lock().unwrap().insert(name.clone(), Instant::now());
                pods.create(&pod(&name), &CreateOptions::default()).await.unwrap();
            }
        }
    })
    .await;
    Arc::try_unwrap(started).unwrap().into_inner().unwrap()
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn scheduling_basic(node_count: usize, warmup: usize, measured: usize) {
    let directory = tempfile::tempdir().unwrap();
    let server = InProcessApiServer::start(directory.path(), &[]).await.expect("apiserver");
    let client = Client::new(Config::for_server(&server.url()).unwrap()).unwrap();
    let shutdown = ShutdownToken::new();

    let setup = Instant::now();
    create_nodes(&client, node_count).await;
    println!("SchedulingBasic: {node_count} nodes created in {:.2?}", setup.elapsed());

    // Every binding, as the watch reports it, by pod name.
    let bound: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let mut watcher =
        Watcher::new(Api::<Pod>::default_namespaced(client.clone()), WatcherConfig::default());
    let seen = bound.clone();
    tokio::spawn(async move {
        loop {
            let pods = match watcher.next().await {
                Event::Restarted(pods) => pods,
                Event::Applied(pod) => vec![pod],
                Event::Deleted(_) => continue,
            };
            let now = Instant::now();
            let mut seen = seen.lock().unwrap();
            for pod in pods.into_iter().filter(|pod| !pod.spec.node_name.is_empty()) {
                seen.entry(pod.metadata.name).or_insert(now);
            }
        }
    });

    let informers = InformerFactory::new(client.clone(), shutdown.clone());
    let algorithm = Algorithm::from_provider(DEFAULT_PROVIDER).unwrap();
    let scheduler = Scheduler::new(
        client.clone(),
        &informers,
        SchedulerConfig::new(algorithm),
        &prometheus::Registry::new(),
    );
    tokio::spawn(scheduler.run(shutdown.clone()));

    let wait_for = |count: usize| {
        let bound = bound.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(1800);
            while bound.lock().unwrap().len() < count {
                assert!(Instant::now() < deadline, "pods were not all scheduled");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    };
    let warming = Instant::now();
    create_pods(&client, "warmup", warmup).await;
    wait_for(warmup).await;
    println!("  warm-up: {warmup} pods scheduled in {:.2?}", warming.elapsed());

    let started = Instant::now();
    let created = create_pods(&client, "measured", measured).await;
    let creating = started.elapsed();
    wait_for(warmup + measured).await;
    let elapsed = started.elapsed();
    let bound = bound.lock().unwrap().clone();
    let mut latencies: Vec<Duration> =
        created.iter().map(|(name, sent)| bound[name].saturating_duration_since(*sent)).collect();
    latencies.sort();
    drop(bound);
    // The recorder writes events in the background and drops them past 1,000 waiting.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let events: Api<api_types::api::core::v1::Event> = Api::default_namespaced(client.clone());
    let options = api_types::meta::v1::ListOptions {
        field_selector: "reason=Scheduled".into(),
        ..Default::default()
    };
    let scheduled_events = events.list(&options).await.map_or(0, |list| list.items.len());
    shutdown.trigger();
    println!(
        "  measured: {measured} pods (created in {creating:.2?}) scheduled in {elapsed:.2?}: {:.0} pods/s",
        measured as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  latency from create to binding: p50 {:.2?}, p99 {:.2?}, max {:.2?}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().unwrap()
    );
    println!("  Scheduled events written: {scheduled_events} of {}", warmup + measured);
}

fn main() {
    // `cargo test --benches` runs benches without `--bench`: keep that quick.
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        if quick {
            scheduling_basic(100, 20, 200).await;
        } else {
            scheduling_basic(
                size("BENCH_NODES", 5_000),
                size("BENCH_WARMUP_PODS", 1_000),
                size("BENCH_PODS", 10_000),
            )
            .await;
        }
    });
}
