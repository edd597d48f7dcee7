//! The apiserver's throughput and latency, each beside the floor under it measured in the same
//! run: the storage backend the server writes through, and a loopback TCP echo.
//!
//! The real apiserver (the crate's `assemble` and `serve`, default flags) runs in this process
//! on a loopback port, over the embedded store and then over a real etcd when one can be
//! started. Clients speak HTTP/1.1 on keep-alive connections, one per client. For each backend:
//!
//! - pod creates at 1 and 64 concurrent clients: creates/s, p50, p99; then the same number of
//!   creates of the very bytes the API stored, directly on the same `Storage`, from as many
//!   callers; and as many TCP echo round trips of the request body;
//! - full lists of a namespace of 10,000 pods, as JSON and as the Table kubectl asks for, beside
//!   a raw list of the same prefix on the store;
//! - watch fan-out: 1,000 watch connections on one namespace's pods while one writer updates a
//!   pod there; for each update, the time from the start of the write to the last watcher
//!   holding it, beside one raw storage watch receiving the same writes.
//!
//! The tables end with the targets: creates/s at least half the store's, create p99 at
//! most 50 ms at 64 clients. `docs/apiserver.md` records a run and reads it.
//!
//! Run it with `cargo bench -p kube-apiserver --bench apiserver` (about three minutes on two
//! cores), or add `-- --quick` (or set `APISERVER_BENCH_QUICK=1`) for a smoke run of seconds;
//! `benches/apiserver/plan.rs` lists the variables that change each size. Progress goes to
//! stderr, the report to stdout.

#[path = "apiserver/client.rs"]
mod client;
#[path = "apiserver/creates.rs"]
mod creates;
#[path = "apiserver/echo.rs"]
mod echo;
use kube_apiserver::testing::etcd;
#[path = "apiserver/fanout.rs"]
mod fanout;
#[path = "apiserver/lists.rs"]
mod lists;
#[path = "storage/machine.rs"]
mod machine;
#[path = "apiserver/plan.rs"]
mod plan;
#[path = "apiserver/pods.rs"]
mod pods;
#[path = "apiserver/report.rs"]
mod report;
#[path = "apiserver/server.rs"]
mod server;
// Only its concurrency helpers (`drive`, `owned_by`) are used here.
#[allow(dead_code)]
#[path = "storage/single_key.rs"]
mod single_key;

use client::Connection;
use creates::Comparison;
use echo::EchoServer;
use etcd::EtcdServer;
use fanout::FanOutRun;
use hyper::StatusCode;
use plan::Plan;
use pods::{namespace_body, pod_body, pod_name};
use report::{BackendReport, CreateLevel, progress};
use server::Apiserver;
use std::path::Path;
use tokio::runtime::Runtime;

/// Pods created through the API (and again on the store) before anything is timed, so that
/// neither is timed while it grows its files from nothing or warms its caches.
const WARM_UP_CREATES: usize = 200;

/// Clients that fill the listed namespace (untimed set-up).
const FILL_CLIENTS: usize = 64;

fn main() {
    progress("apiserver bench starting");
    let plan = Plan::from_environment();
    println!("{}\n{plan}", machine::describe());
    println!("{LEGEND}");
    let runtime = Runtime::new().expect("start the tokio runtime");
    for backend in &plan.backends {
        match backend.as_str() {
            "embedded" => {
                let title = "embedded (SQLite WAL, synchronous=FULL: the default \
                             --embedded-fsync=true)";
                let report = runtime.block_on(measure(&plan, title, &[]));
                println!("{report}");
            }
            "etcd3" => match etcd_binary() {
                Some(binary) => {
                    progress(format!("etcd3: starting {binary}"));
                    let etcd = EtcdServer::start();
                    let flags = [format!("--etcd-servers={}", etcd.endpoint())];
                    let title = "etcd3 (one local etcd member, default flags)";
                    let report = runtime.block_on(measure(&plan, title, &flags));
                    println!("{report}");
                }
                None => println!("\n== etcd3: not run: no etcd binary (set ETCD_BIN) =="),
            },
            other => panic!("APISERVER_BENCH_BACKENDS: unknown backend {other:?}"),
        }
    }
    println!("\nload average at the end: {}", machine::load_average());
    progress("apiserver bench done");
}

/// What the columns mean, printed once above the tables.
const LEGEND: &str = "\
columns: `apiserver` is through HTTP/1.1 to the in-process apiserver; `storage` is the same \
work on the Storage the apiserver writes through (creates: the very bytes it stored; lists: the \
same prefix; watch: one raw watch on the same writes); `api/stor` is apiserver over storage: \
for rates below 1 is slower (the target is >= 0.5), for latencies above 1 is slower; `TCP \
echo` is a loopback round trip of the create's body, the transport floor.";

/// The etcd binary the harness would start, if it exists.
fn etcd_binary() -> Option<String> {
    let binary = std::env::var("ETCD_BIN").unwrap_or_else(|_| "/usr/bin/etcd".to_string());
    Path::new(&binary).is_file().then_some(binary)
}

/// Runs every measurement against one apiserver started with `storage_flags` and the plan's
/// extra flags.
async fn measure(plan: &Plan, title: &str, storage_flags: &[String]) -> BackendReport {
    let flags = [storage_flags, &plan.server_flags].concat();
    let server = Apiserver::start(&flags).await;
    let name = title.split_whitespace().next().unwrap_or(title);
    progress(format!("{name}: apiserver serving on {}", server.address));
    let echo = EchoServer::start().await;
    let mut admin = Connection::open(server.address).await;
    let levels = plan.levels.iter().map(|level| format!("bench-{}", level.clients));
    for namespace in
        ["bench-warm-up", "bench-list", "bench-watch"].map(str::to_string).into_iter().chain(levels)
    {
        admin
            .post_json("/api/v1/namespaces", namespace_body(&namespace))
            .await
            .expect_status(StatusCode::CREATED, &format!("create namespace {namespace}"));
    }

    let (warm_up, _) = compare(&server, plan, "bench-warm-up", 1).run(WARM_UP_CREATES).await;
    progress(format!("{name}: warmed up with {WARM_UP_CREATES} creates each way ({warm_up})"));

    let mut create_levels = Vec::new();
    for level in &plan.levels {
        let (clients, count) = (level.clients, level.creates);
        let namespace = format!("bench-{clients}");
        let (api, storage) = compare(&server, plan, &namespace, clients).run(count).await;
        progress(format!("{name}, {clients} clients: creates through the API: {api}"));
        progress(format!("{name}, {clients} clients: the same creates on the store: {storage}"));
        let message = pod_body(&namespace, &pod_name(0));
        let echo = echo.round_trips(clients, count, &message).await;
        progress(format!(
            "{name}, {clients} clients: TCP echoes of {} bytes: {echo}",
            message.len()
        ));
        create_levels.push(CreateLevel { clients, api, storage, echo });
    }

    let filled =
        creates::through_api(server.address, "bench-list", FILL_CLIENTS, 0..plan.list_pods).await;
    progress(format!("{name}: filled namespace bench-list: {filled}"));
    let list = lists::measure(
        server.address,
        &server.storage,
        "bench-list",
        plan.list_pods,
        plan.list_repeats,
    )
    .await;
    progress(format!(
        "{name}: lists of {} pods, p50: JSON {:.2} ms, Table {:.2} ms, storage {:.2} ms",
        plan.list_pods,
        report::millis(list.json.p50()),
        report::millis(list.table.p50()),
        report::millis(list.storage.p50())
    ));

    progress(format!("{name}: opening {} watches", plan.watchers));
    let fanout = FanOutRun {
        address: server.address,
        storage: &server.storage,
        namespace: "bench-watch",
        watchers: plan.watchers,
        updates: plan.watch_updates,
    }
    .measure()
    .await;
    progress(format!(
        "{name}: watch fan-out to {} watchers: last receiver p50 {:.2} ms, p99 {:.2} ms; raw \
         watch p50 {:.2} ms; {} watchers failed",
        plan.watchers,
        report::millis(fanout.api_last.p50()),
        report::millis(fanout.api_last.p99()),
        report::millis(fanout.storage.p50()),
        fanout.failures.len()
    ));
    server.stop().await;
    BackendReport { title: title.to_string(), creates: create_levels, list, fanout }
}

/// Creates in `namespace` from `clients` clients, through `server` and on its store.
fn compare<'a>(
    server: &'a Apiserver,
    plan: &Plan,
    namespace: &'a str,
    clients: usize,
) -> Comparison<'a> {
    Comparison {
        address: server.address,
        storage: &server.storage,
        namespace,
        clients,
        rounds: plan.rounds,
    }
}
