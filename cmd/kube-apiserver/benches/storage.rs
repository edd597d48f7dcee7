//! Throughput and latency of the storage backends, each beside its physical floor.
//!
//! For the embedded store (default options: SQLite in WAL mode, `synchronous=FULL`) and for the
//! etcd3 backend (against a real etcd started for the run), at 1 and at 64 concurrent clients:
//! creates/s, compare-and-swap updates/s, gets/s, the time of one unpaged list of a 10,000-key
//! prefix, and the delivery latency of writes to 1,000 watchers of one prefix. The single-key
//! figures (and etcd's watch latency) are set against a floor measured in the same run: the same
//! requests from bare `etcd_client::Client`s against the same etcd, and the same statements from
//! a bare rusqlite loop on the same schema, pragmas and sync mode (see `storage/bare_sqlite.rs`
//! for what the floor means at 64 clients). `docs/storage.md` records a run and reads it.
//!
//! Run it with `cargo bench -p kube-apiserver --bench storage` (about a minute on two cores), or
//! add `-- --quick` (or set `STORAGE_BENCH_QUICK=1`) for a smoke run of a few seconds.
//! `STORAGE_BENCH_VALUE_BYTES` changes the size of the values written (default 256). Progress
//! goes to stderr, the report to stdout. The data directories and etcd's live under the system
//! temporary directory; the header says which file system that is.

#[path = "storage/bare_etcd.rs"]
mod bare_etcd;
#[path = "storage/bare_sqlite.rs"]
mod bare_sqlite;
use kube_apiserver::testing::etcd;
#[path = "storage/listing.rs"]
mod listing;
#[path = "storage/machine.rs"]
mod machine;
#[path = "storage/measure.rs"]
mod measure;
#[path = "storage/plan.rs"]
mod plan;
#[path = "storage/report.rs"]
mod report;
#[path = "storage/single_key.rs"]
mod single_key;
#[path = "storage/watch_latency.rs"]
mod watch_latency;

use bare_etcd::BareEtcd;
use bare_sqlite::BareSqlite;
use etcd::EtcdServer;
use kube_apiserver::storage::Storage;
use kube_apiserver::storage::embedded::{EmbeddedOptions, EmbeddedStorage, SyncMode};
use kube_apiserver::storage::etcd3::{Etcd3Config, Etcd3Storage};
use plan::Plan;
use report::{BackendReport, progress};
use single_key::AsyncWorkload;
use std::sync::Arc;
use tokio::runtime::{Handle, Runtime};
use watch_latency::WatchOps;

fn main() {
    progress("storage bench starting");
    let plan = Plan::from_environment();
    println!("{}\n{plan}", machine::describe());
    let runtime = Runtime::new().expect("start the tokio runtime");
    let embedded = embedded(runtime.handle(), &plan);
    println!("{embedded}");
    let etcd = etcd3(runtime.handle(), &plan);
    println!("{etcd}");
    println!("load average at the end: {}", machine::load_average());
    progress("storage bench done");
}

fn embedded(runtime: &Handle, plan: &Plan) -> BackendReport {
    let options = EmbeddedOptions::default();
    let sync_mode = options.sync_mode;
    let dir = tempfile::Builder::new()
        .prefix("bench-embedded-")
        .tempdir()
        .expect("create the embedded store's directory");
    let store: Arc<dyn Storage> = Arc::new(
        runtime
            .block_on(EmbeddedStorage::open(dir.path(), options))
            .expect("open the embedded store"),
    );
    progress(format!("embedded: store open in {}", dir.path().display()));
    let mut floor = BareSqlite::open(sync_mode);
    let levels = measure::backend(runtime, plan, "embedded", &store, &mut floor, None);
    let synchronous = match sync_mode {
        SyncMode::Full => "FULL",
        SyncMode::Normal => "NORMAL",
    };
    BackendReport {
        title: format!("embedded (SQLite WAL, synchronous={synchronous}, default options)"),
        floor: format!(
            "bare rusqlite on the same schema, pragmas and synchronous={synchronous}, running \
             the writer's precondition read and insert; at 1 client one transaction per write, \
             at N clients one transaction per N writes (ideal group commit); gets on \
             min(N, cores) threads with a connection each; no floor for watches, which never \
             leave the process"
        ),
        list_keys: plan.list_keys,
        watchers: plan.watchers,
        levels,
    }
}

fn etcd3(runtime: &Handle, plan: &Plan) -> BackendReport {
    progress("etcd3: starting etcd");
    let server = EtcdServer::start();
    let endpoint = server.endpoint();
    let store: Arc<dyn Storage> = Arc::new(
        runtime
            .block_on(Etcd3Storage::connect(Etcd3Config::new([endpoint.as_str()])))
            .expect("connect the etcd3 backend"),
    );
    progress(format!("etcd3: connected to {endpoint}"));
    let bare = runtime.block_on(BareEtcd::connect(&endpoint));
    let mut floor = AsyncWorkload::new(bare.clone(), runtime.clone());
    let watch_floor: Arc<dyn WatchOps> = Arc::new(bare);
    let levels = measure::backend(runtime, plan, "etcd3", &store, &mut floor, Some(watch_floor));
    BackendReport {
        title: "etcd3 (one local etcd member, default flags)".to_string(),
        floor: "bare etcd_client::Clients against the same etcd, one connection for requests \
                and one for watches as ours: the same transactions (guarded put for create and \
                CAS) and plain gets from the same number of tasks, and the same watches (prefix, \
                previous values, progress notifications) read directly"
            .to_string(),
        list_keys: plan.list_keys,
        watchers: plan.watchers,
        levels,
    }
}
