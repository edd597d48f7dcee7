//! The throughput loops: creates, compare-and-swap updates and gets, each split among a number
//! of concurrent clients in the same pattern whatever store runs them.

use async_trait::async_trait;
use kube_apiserver::storage::{Revision, Storage};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

/// A store whose create, update and get throughput the bench times at a given concurrency.
/// Ours and each floor implement it, so every figure in a row comes from the same key pattern.
pub trait Workload {
    /// Creates every key of `keys`, key `k` by client `k % clients`; returns the time taken and
    /// each key's revision, in the order of `keys`.
    fn create_all(
        &mut self,
        clients: usize,
        keys: &[String],
        value: &[u8],
    ) -> (Duration, Vec<Revision>);

    /// Runs `count` compare-and-swap updates on `keys` (each with its current revision); client
    /// `c` owns the keys `k` with `k % clients == c` and goes round them, so updates never
    /// conflict. Returns the time taken.
    fn update_many(
        &mut self,
        clients: usize,
        keys: &[(String, Revision)],
        count: usize,
        value: &[u8],
    ) -> Duration;

    /// Runs `count` gets spread evenly over `keys`; returns the time taken.
    fn get_many(&mut self, clients: usize, keys: &[String], count: usize) -> Duration;
}

/// The operations an async store offers the loops; failures are messages, since any failure
/// ends the bench.
#[async_trait]
pub trait SingleKeyOps: Send + Sync + 'static {
    /// Creates `key`, failing if it exists, as the apiserver's create does.
    async fn create(&self, key: &str, value: Vec<u8>) -> Result<Revision, String>;
    /// Replaces `key`'s value if it was last written at `expected`.
    async fn update(
        &self,
        key: &str,
        value: Vec<u8>,
        expected: Revision,
    ) -> Result<Revision, String>;
    /// Reads `key`, failing if it is absent.
    async fn get(&self, key: &str) -> Result<(), String>;
}

/// Our store, through the `Storage` trait the apiserver uses.
pub struct Ours(pub Arc<dyn Storage>);

#[async_trait]
impl SingleKeyOps for Ours {
    async fn create(&self, key: &str, value: Vec<u8>) -> Result<Revision, String> {
        self.0.create(key, value).await.map_err(|e| e.to_string())
    }

    async fn update(
        &self,
        key: &str,
        value: Vec<u8>,
        expected: Revision,
    ) -> Result<Revision, String> {
        self.0.update(key, value, expected).await.map_err(|e| e.to_string())
    }

    async fn get(&self, key: &str) -> Result<(), String> {
        self.0.get(key).await.map(drop).map_err(|e| e.to_string())
    }
}

/// Runs an async store's operations from `clients` tokio tasks, blocking the calling thread
/// (which must not be a runtime thread) until they finish.
pub struct AsyncWorkload<T> {
    ops: Arc<T>,
    runtime: Handle,
}

impl<T: SingleKeyOps> AsyncWorkload<T> {
    pub fn new(ops: T, runtime: Handle) -> Self {
        AsyncWorkload { ops: Arc::new(ops), runtime }
    }
}

impl<T: SingleKeyOps> Workload for AsyncWorkload<T> {
    fn create_all(
        &mut self,
        clients: usize,
        keys: &[String],
        value: &[u8],
    ) -> (Duration, Vec<Revision>) {
        let keys: Arc<[String]> = keys.into();
        let value: Arc<[u8]> = value.into();
        let (elapsed, per_client) = self.runtime.block_on(drive(clients, |client| {
            let (ops, keys, value) = (Arc::clone(&self.ops), Arc::clone(&keys), Arc::clone(&value));
            async move {
                let mut created = Vec::new();
                for index in owned_by(client, clients, keys.len()) {
                    let revision = ops
                        .create(&keys[index], value.to_vec())
                        .await
                        .unwrap_or_else(|error| panic!("create {}: {error}", keys[index]));
                    created.push((index, revision));
                }
                created
            }
        }));
        let mut revisions = vec![0; keys.len()];
        for (index, revision) in per_client.into_iter().flatten() {
            revisions[index] = revision;
        }
        (elapsed, revisions)
    }

    fn update_many(
        &mut self,
        clients: usize,
        keys: &[(String, Revision)],
        count: usize,
        value: &[u8],
    ) -> Duration {
        assert!(keys.len() >= clients, "every client needs a key of its own");
        let keys: Arc<[(String, Revision)]> = keys.into();
        let value: Arc<[u8]> = value.into();
        let (elapsed, _) = self.runtime.block_on(drive(clients, |client| {
            let (ops, keys, value) = (Arc::clone(&self.ops), Arc::clone(&keys), Arc::clone(&value));
            async move {
                let mut mine: Vec<(String, Revision)> = owned_by(client, clients, keys.len())
                    .map(|index| keys[index].clone())
                    .collect();
                let owned = mine.len();
                let updates = owned_by(client, clients, count).count();
                for turn in 0..updates {
                    let (key, revision) = &mut mine[turn % owned];
                    *revision = ops
                        .update(key, value.to_vec(), *revision)
                        .await
                        .unwrap_or_else(|error| panic!("update {key}: {error}"));
                }
            }
        }));
        elapsed
    }

    fn get_many(&mut self, clients: usize, keys: &[String], count: usize) -> Duration {
        let keys: Arc<[String]> = keys.into();
        let (elapsed, _) = self.runtime.block_on(drive(clients, |client| {
            let (ops, keys) = (Arc::clone(&self.ops), Arc::clone(&keys));
            async move {
                for turn in owned_by(client, clients, count) {
                    let key = &keys[turn % keys.len()];
                    ops.get(key).await.unwrap_or_else(|error| panic!("get {key}: {error}"));
                }
            }
        }));
        elapsed
    }
}

/// The indices below `total` that client `client` of `clients` handles: every `clients`-th,
/// starting at its own number.
pub fn owned_by(client: usize, clients: usize, total: usize) -> impl Iterator<Item = usize> {
    (client..total).step_by(clients)
}

/// Starts `clients` tasks, task `c` running `client(c)`, and waits for all of them; returns the
/// time from the first start to the last finish and each task's output, in task order.
pub async fn drive<T, F, Fut>(clients: usize, mut client: F) -> (Duration, Vec<T>)
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients).map(|c| tokio::spawn(client(c))).collect();
    let mut outputs = Vec::with_capacity(clients);
    for task in tasks {
        match task.await {
            Ok(output) => outputs.push(output),
            Err(error) => match error.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(error) => panic!("a client task did not finish: {error}"),
            },
        }
    }
    (started.elapsed(), outputs)
}
