//! Many clients writing one object at once through the real binary: optimistic concurrency
//! (read, modify, PUT with the read resourceVersion, retry on 409) loses no update, and merge
//! patches of distinct keys all land.

mod api_server;
mod real_server;

use hyper::Method;
use real_server::{Backend, RealServer};
use serde_json::{Value, json};
use std::sync::Arc;

const CLIENTS: usize = 50;
const INCREMENTS_PER_CLIENT: usize = 4;
const PATH: &str = "/api/v1/namespaces/default/configmaps/counter";

async fn create_counter(server: &RealServer) {
    // `default` is made by the server's bootstrap.
    let counter = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "counter", "annotations": {"count": "0"}},
    });
    let created =
        server.call(Method::POST, "/api/v1/namespaces/default/configmaps", Some(&counter)).await;
    assert_eq!(created.status, 201, "{}", created.text());
}

/// One read-modify-write of the counter, retried until the server accepts it; returns how many
/// conflicts it met.
async fn increment(server: &RealServer) -> usize {
    let mut conflicts = 0;
    loop {
        let read = server.get(PATH).await;
        assert_eq!(read.status, 200, "{}", read.text());
        let mut object = read.json();
        let count: u64 =
            object["metadata"]["annotations"]["count"].as_str().unwrap().parse().unwrap();
        object["metadata"]["annotations"]["count"] = Value::from((count + 1).to_string());
        let written = server.call(Method::PUT, PATH, Some(&object)).await;
        match written.status {
            200 => return conflicts,
            409 => {
                assert_eq!(written.json()["reason"], "Conflict", "{}", written.text());
                conflicts += 1;
            }
            other => panic!("PUT answered {other}: {}", written.text()),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn read_modify_write_loses_no_update() {
    read_modify_write(Backend::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn read_modify_write_loses_no_update_on_etcd() {
    read_modify_write(Backend::Etcd).await;
}

async fn read_modify_write(backend: Backend) {
    let server = Arc::new(RealServer::start_on(backend, &[]));
    create_counter(&server).await;
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let server = Arc::clone(&server);
            tokio::spawn(async move {
                let mut conflicts = 0;
                for _ in 0..INCREMENTS_PER_CLIENT {
                    conflicts += increment(&server).await;
                }
                conflicts
            })
        })
        .collect();
    let mut conflicts = 0;
    for client in clients {
        conflicts += client.await.unwrap();
    }
    let finished = server.get(PATH).await.json();
    assert_eq!(
        finished["metadata"]["annotations"]["count"],
        (CLIENTS * INCREMENTS_PER_CLIENT).to_string(),
        "after {conflicts} conflicts"
    );
    assert!(conflicts > 0, "50 racing writers met no conflict: the race did not happen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_merge_patches_of_distinct_keys_all_land() {
    merge_patches_of_distinct_keys(Backend::Embedded).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_merge_patches_of_distinct_keys_all_land_on_etcd() {
    merge_patches_of_distinct_keys(Backend::Etcd).await;
}

async fn merge_patches_of_distinct_keys(backend: Backend) {
    let server = Arc::new(RealServer::start_on(backend, &[]));
    create_counter(&server).await;
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let server = Arc::clone(&server);
            tokio::spawn(async move {
                let patch = json!({"data": {format!("key-{client}"): client.to_string()}});
                let reply = server
                    .raw(
                        Method::PATCH,
                        PATH,
                        &[("content-type", "application/merge-patch+json")],
                        serde_json::to_vec(&patch).unwrap(),
                    )
                    .await;
                assert_eq!(reply.status, 200, "{}", reply.text());
            })
        })
        .collect();
    for client in clients {
        client.await.unwrap();
    }
    let data = server.get(PATH).await.json()["data"].clone();
    let data = data.as_object().expect("data is a map");
    assert_eq!(data.len(), CLIENTS, "{data:?}");
    for client in 0..CLIENTS {
        assert_eq!(data[&format!("key-{client}")], client.to_string());
    }
}
