//! Pod creates through the API, and the same creates on the store the API writes to: the same
//! number, from the same number of concurrent callers, of the very bytes the API stored.
//!
//! The two take turns in rounds (API, then store, then API again), so that a stall from
//! outside (another process's `fsync`, a burst of compiling) falls on both alike rather than
//! on whichever ran during it.

use super::client::Connection;
use super::pods::{pod_body, pod_name, pods_prefix};
use super::report::Timed;
use super::single_key::{drive, owned_by};
use bytes::Bytes;
use hyper::StatusCode;
use kube_apiserver::storage::Storage;
use kube_apiserver::storage::keys::DEFAULT_PREFIX;
use std::net::SocketAddr;
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where the floor's direct creates go: beside the apiserver's keys, outside every resource.
const DIRECT_PREFIX: &str = "/registry/bench-direct";

/// Creates through the API and directly on its store, compared.
pub struct Comparison<'a> {
    pub address: SocketAddr,
    pub storage: &'a Arc<dyn Storage>,
    /// An existing namespace without pods.
    pub namespace: &'a str,
    pub clients: usize,
    /// Turns each side takes; the creates are shared evenly among them.
    pub rounds: usize,
}

impl Comparison<'_> {
    /// Creates `count` pods through the API and `count` values on the store; returns the API's
    /// timings and the store's, each summed over the rounds.
    pub async fn run(&self, count: usize) -> (Timed, Timed) {
        let (mut api, mut store) = (Vec::new(), Vec::new());
        let rounds = self.rounds.clamp(1, count.max(1));
        for round in 0..rounds {
            let pods = count * round / rounds..count * (round + 1) / rounds;
            api.push(through_api(self.address, self.namespace, self.clients, pods.clone()).await);
            let entries = self.stored(pods).await;
            store.push(on_storage(self.storage, entries, self.clients).await);
        }
        (Timed::merge(api), Timed::merge(store))
    }

    /// What the API stored for `pods`, each under a key of its own below [`DIRECT_PREFIX`]:
    /// read back untimed, to be created again directly.
    async fn stored(&self, pods: Range<usize>) -> Vec<(String, Vec<u8>)> {
        let prefix = pods_prefix(self.namespace);
        let mut entries = Vec::with_capacity(pods.len());
        for index in pods {
            let key = format!("{prefix}{}", pod_name(index));
            let stored = self
                .storage
                .get(&key)
                .await
                .unwrap_or_else(|error| panic!("read back {key}: {error}"));
            let relative = key.strip_prefix(DEFAULT_PREFIX).expect("keys under the default prefix");
            entries.push((format!("{DIRECT_PREFIX}{relative}"), stored.value));
        }
        entries
    }
}

/// Creates the pods numbered `pods` (`pod-000000`, ...) in `namespace` from `clients`
/// keep-alive connections, pod `i` by client `i % clients`; each create is timed from sending
/// the request to reading the whole response. Bodies are serialized and connections opened
/// before the clock starts.
pub async fn through_api(
    address: SocketAddr,
    namespace: &str,
    clients: usize,
    pods: Range<usize>,
) -> Timed {
    let first = pods.start;
    let bodies: Arc<[Bytes]> = pods.map(|index| pod_body(namespace, &pod_name(index))).collect();
    let path: Arc<str> = format!("/api/v1/namespaces/{namespace}/pods").into();
    let mut connections = Vec::with_capacity(clients);
    for _ in 0..clients {
        connections.push(Some(Connection::open(address).await));
    }
    let (elapsed, per_client) = drive(clients, |client| {
        let mut connection = connections[client].take().expect("one connection per client");
        let (bodies, path) = (Arc::clone(&bodies), Arc::clone(&path));
        async move {
            let mut latencies = Vec::new();
            for offset in owned_by(client, clients, bodies.len()) {
                let started = Instant::now();
                let name = pod_name(first + offset);
                connection
                    .post_json(&path, bodies[offset].clone())
                    .await
                    .expect_status(StatusCode::CREATED, &format!("create pod {name}"));
                latencies.push(started.elapsed());
            }
            latencies
        }
    })
    .await;
    Timed::new(elapsed, per_client.into_iter().flatten().collect())
}

/// Creates every entry on `storage` from `clients` concurrent callers, entry `i` by caller
/// `i % clients`, each create timed alone. The value is copied before the clock starts, since
/// the store takes it by value.
async fn on_storage(
    storage: &Arc<dyn Storage>,
    entries: Vec<(String, Vec<u8>)>,
    clients: usize,
) -> Timed {
    let entries: Arc<[(String, Vec<u8>)]> = entries.into();
    let (elapsed, per_client) = drive(clients, |client| {
        let (storage, entries) = (Arc::clone(storage), Arc::clone(&entries));
        async move {
            let mut latencies = Vec::new();
            for index in owned_by(client, clients, entries.len()) {
                let (key, value) = &entries[index];
                let value = value.clone();
                let started = Instant::now();
                storage
                    .create(key, value)
                    .await
                    .unwrap_or_else(|error| panic!("create {key}: {error}"));
                latencies.push(started.elapsed());
            }
            latencies
        }
    })
    .await;
    Timed::new(elapsed, per_client.into_iter().flatten().collect())
}

impl Timed {
    /// Rounds of the same measurement as one: their times added, their latencies pooled.
    fn merge(parts: Vec<Timed>) -> Timed {
        let elapsed: Duration = parts.iter().map(|part| part.elapsed).sum();
        Timed::new(elapsed, parts.into_iter().flat_map(|part| part.latencies).collect())
    }
}
