//! Full lists of one namespace's pods: as JSON, as the Table `kubectl get` asks for, and as a
//! raw list of the same prefix on the store. One client, unpaged; the three kinds take turns so
//! that outside load falls on each alike.

use super::client::{Connection, KUBECTL_TABLE_ACCEPT, Reply};
use super::pods::pods_prefix;
use super::report::{ListFigures, Timed};
use hyper::{Method, StatusCode};
use kube_apiserver::storage::{ListOptions, Storage};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Lists `namespace`, which holds exactly `pods` pods, `repeats` times each way.
pub async fn measure(
    address: SocketAddr,
    storage: &Arc<dyn Storage>,
    namespace: &str,
    pods: usize,
    repeats: usize,
) -> ListFigures {
    let path = format!("/api/v1/namespaces/{namespace}/pods");
    let prefix = pods_prefix(namespace);
    let mut connection = Connection::open(address).await;
    let (mut json, mut table, mut raw) = (Vec::new(), Vec::new(), Vec::new());
    let (mut json_bytes, mut table_bytes, mut storage_bytes) = (0, 0, 0);
    for repeat in 0..repeats {
        let accept = [("accept", "application/json")];
        let (elapsed, reply) = timed_get(&mut connection, &path, &accept).await;
        json.push(elapsed);
        json_bytes = reply.body.len();
        if repeat == 0 {
            let items = reply.json()["items"].as_array().map_or(0, Vec::len);
            assert_eq!(items, pods, "pods in a JSON list of {namespace}");
        }

        let accept = [("accept", KUBECTL_TABLE_ACCEPT)];
        let (elapsed, reply) = timed_get(&mut connection, &path, &accept).await;
        table.push(elapsed);
        table_bytes = reply.body.len();
        if repeat == 0 {
            let table = reply.json();
            assert_eq!(table["kind"], "Table", "kubectl's Accept gets a Table");
            let rows = table["rows"].as_array().map_or(0, Vec::len);
            assert_eq!(rows, pods, "rows in a Table list of {namespace}");
        }

        let started = Instant::now();
        let page = storage
            .list(&prefix, ListOptions::default())
            .await
            .unwrap_or_else(|error| panic!("list {prefix}: {error}"));
        raw.push(started.elapsed());
        assert_eq!(page.items.len(), pods, "keys under {prefix}");
        storage_bytes = page.items.iter().map(|item| item.value.len()).sum();
    }
    let timed = |times: Vec<Duration>| Timed::new(times.iter().sum(), times);
    ListFigures {
        pods,
        json: timed(json),
        table: timed(table),
        storage: timed(raw),
        json_bytes,
        table_bytes,
        storage_bytes,
    }
}

/// One GET, timed from sending it to holding the whole body.
async fn timed_get(
    connection: &mut Connection,
    path: &str,
    headers: &[(&str, &str)],
) -> (Duration, Reply) {
    let started = Instant::now();
    let reply = connection.send(Method::GET, path, headers, Default::default()).await;
    let elapsed = started.elapsed();
    (elapsed, reply.expect_status(StatusCode::OK, &format!("list {path}")))
}
