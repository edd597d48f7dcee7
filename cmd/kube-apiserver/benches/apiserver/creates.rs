//! Pod creates through the API, and the same creates on the store the API writes to: the same
//! number, from the same number of concurrent callers, of the very bytes the API stored.

use super::client::Connection;
use super::pods::{pod_body, pod_name};
use super::report::Timed;
use super::single_key::{drive, owned_by};
use bytes::Bytes;
use hyper::StatusCode;
use kube_apiserver::storage::{ListOptions, Storage};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// Creates `count` pods (`pod-000000`, ...) in `namespace` from `clients` keep-alive
/// connections, pod `i` by client `i % clients`; each create is timed from sending the request
/// to reading the whole response. Bodies are serialized and connections opened before the clock
/// starts.
pub async fn through_api(
    address: SocketAddr,
    namespace: &str,
    clients: usize,
    count: usize,
) -> Timed {
    let bodies: Arc<[Bytes]> =
        (0..count).map(|index| pod_body(namespace, &pod_name(index))).collect();
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
            for index in owned_by(client, clients, bodies.len()) {
                let started = Instant::now();
                connection
                    .post_json(&path, bodies[index].clone())
                    .await
                    .expect_status(StatusCode::CREATED, &format!("create pod {}", pod_name(index)));
                latencies.push(started.elapsed());
            }
            latencies
        }
    })
    .await;
    Timed::new(elapsed, per_client.into_iter().flatten().collect())
}

/// Every key and value under `prefix`, read in one list: what the API stored, to be stored
/// again directly.
pub async fn stored_under(storage: &Arc<dyn Storage>, prefix: &str) -> Vec<(String, Vec<u8>)> {
    let page = storage
        .list(prefix, ListOptions::default())
        .await
        .unwrap_or_else(|error| panic!("list {prefix}: {error}"));
    page.items.into_iter().map(|item| (item.key, item.value)).collect()
}

/// Creates every entry on `storage` from `clients` concurrent callers, entry `i` by caller
/// `i % clients`, each create timed alone. The value is copied before the clock starts, since
/// the store takes it by value.
pub async fn on_storage(
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
