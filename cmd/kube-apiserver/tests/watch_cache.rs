//! The watch cache through a real server: many HTTP watchers of one resource cost one storage
//! watch, and lists are served without reading storage. Storage is the real embedded store
//! behind a wrapper that counts the calls the apiserver makes.

mod api_server;

use api_server::{Reply, STEP, connect};
use async_trait::async_trait;
use bytes::Bytes;
use component_base::ShutdownToken;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use kube_apiserver::Listeners;
use kube_apiserver::options::Options;
use kube_apiserver::storage::{
    self, KeyValue, ListPage, Revision, Storage, StorageError, WatchStream,
};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::net::TcpListener;

/// The storage prefix of config maps, whose calls are counted.
const CONFIG_MAPS: &str = "/registry/configmaps/";
/// How many clients watch at once.
const WATCHERS: usize = 300;

/// A store that counts the watches and lists opened on config maps, and passes everything on.
struct Counting {
    inner: Arc<dyn Storage>,
    watches: AtomicUsize,
    lists: AtomicUsize,
}

#[async_trait]
impl Storage for Counting {
    async fn create(&self, key: &str, value: Vec<u8>) -> storage::Result<Revision> {
        self.inner.create(key, value).await
    }
    async fn get(&self, key: &str) -> storage::Result<KeyValue> {
        self.inner.get(key).await
    }
    async fn list(&self, prefix: &str, options: storage::ListOptions) -> storage::Result<ListPage> {
        if prefix.starts_with(CONFIG_MAPS) {
            self.lists.fetch_add(1, Ordering::SeqCst);
        }
        self.inner.list(prefix, options).await
    }
    async fn update(
        &self,
        key: &str,
        value: Vec<u8>,
        expected: Revision,
    ) -> storage::Result<Revision> {
        self.inner.update(key, value, expected).await
    }
    async fn delete(
        &self,
        key: &str,
        expected: Option<Revision>,
    ) -> storage::Result<(KeyValue, Revision)> {
        self.inner.delete(key, expected).await
    }
    async fn watch(
        &self,
        key: &str,
        prefix: bool,
        after: Revision,
    ) -> storage::Result<WatchStream> {
        if key.starts_with(CONFIG_MAPS) {
            self.watches.fetch_add(1, Ordering::SeqCst);
        }
        self.inner.watch(key, prefix, after).await
    }
    async fn current_revision(&self) -> storage::Result<Revision> {
        self.inner.current_revision().await
    }
    async fn compact(&self, revision: Revision) -> Result<(), StorageError> {
        self.inner.compact(revision).await
    }
}

/// A server over the counting store.
async fn start(directory: &tempfile::TempDir) -> (String, Arc<Counting>, ShutdownToken) {
    let data_dir = format!("--data-dir={}", directory.path().join("data").display());
    let argv = ["kube-apiserver", &data_dir, "--embedded-fsync=false", "--secure-port=0"];
    let options = Options::try_parse_args(argv).expect("test flags parse");
    let inner = options.storage.open().await.expect("embedded storage opens");
    let counting =
        Arc::new(Counting { inner, watches: AtomicUsize::new(0), lists: AtomicUsize::new(0) });
    let storage: Arc<dyn Storage> = Arc::clone(&counting) as Arc<dyn Storage>;
    let resources = kube_apiserver::resource_table(storage, &options.storage.etcd_prefix);
    let insecure = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", insecure.local_addr().unwrap());
    let listeners = Listeners { insecure: Some(insecure), secure: None };
    let shutdown = ShutdownToken::new();
    let token = shutdown.clone();
    tokio::spawn(async move {
        kube_apiserver::serve(&options, listeners, resources, token).await.expect("server runs");
    });
    (url, counting, shutdown)
}

async fn get(url: &str, path: &str) -> Reply {
    let address = url.trim_start_matches("http://").parse().unwrap();
    let mut sender = connect(address).await;
    let request = Request::get(path).header("host", "test").body(Full::new(Bytes::new())).unwrap();
    let response = tokio::time::timeout(STEP, sender.send_request(request)).await.unwrap();
    Reply::read(response.unwrap()).await
}

/// Reads watch frames until one event arrives.
async fn next_event(body: &mut hyper::body::Incoming, pending: &mut Vec<u8>) -> Value {
    loop {
        if let Some(end) = pending.iter().position(|byte| *byte == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            return serde_json::from_slice(&line).expect("a JSON event");
        }
        let frame = tokio::time::timeout(STEP, body.frame()).await.expect("an event in time");
        let data = frame.expect("the watch is open").unwrap().into_data().unwrap();
        pending.extend_from_slice(&data);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_watchers_cost_one_storage_watch_and_lists_no_storage_reads() {
    let directory = tempfile::tempdir().unwrap();
    let (url, counting, shutdown) = start(&directory).await;
    let address = url.trim_start_matches("http://").parse().unwrap();
    let path = "/api/v1/namespaces/default/configmaps";
    let created = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "first"}});
    let body = Full::new(Bytes::from(serde_json::to_vec(&created).unwrap()));
    let request = Request::post(path)
        .header("host", "test")
        .header("content-type", "application/json")
        .body(body)
        .unwrap();
    let mut sender = connect(address).await;
    let reply = Reply::read(sender.send_request(request).await.unwrap()).await;
    assert_eq!(reply.status, 201, "{}", reply.text());

    let mut watches = Vec::new();
    for n in 0..WATCHERS {
        let mut sender = connect(address).await;
        let query = if n % 2 == 0 { "watch=true" } else { "watch=true&resourceVersion=0" };
        let request = Request::get(format!("{path}?{query}"))
            .header("host", "test")
            .body(Full::new(Bytes::new()))
            .unwrap();
        let response = tokio::time::timeout(STEP, sender.send_request(request)).await.unwrap();
        let response = response.unwrap();
        assert_eq!(response.status(), 200);
        let mut body = response.into_body();
        let mut pending = Vec::new();
        let initial = next_event(&mut body, &mut pending).await;
        assert_eq!(
            (initial["type"].as_str(), initial["object"]["metadata"]["name"].as_str()),
            (Some("ADDED"), Some("first"))
        );
        watches.push((sender, body, pending));
    }

    let second = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "second"}});
    let body = Full::new(Bytes::from(serde_json::to_vec(&second).unwrap()));
    let request = Request::post(path)
        .header("host", "test")
        .header("content-type", "application/json")
        .body(body)
        .unwrap();
    let mut sender = connect(address).await;
    let reply = Reply::read(sender.send_request(request).await.unwrap()).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let revision = reply.json()["metadata"]["resourceVersion"].clone();
    for (_sender, body, pending) in &mut watches {
        let event = next_event(body, pending).await;
        assert_eq!(event["type"], "ADDED");
        assert_eq!(event["object"]["metadata"]["name"], "second");
        assert_eq!(event["object"]["metadata"]["resourceVersion"], revision);
    }
    assert_eq!(
        counting.watches.load(Ordering::SeqCst),
        1,
        "one storage watch for {WATCHERS} watchers"
    );

    let lists_before = counting.lists.load(Ordering::SeqCst);
    for query in ["", "?resourceVersion=0", "?labelSelector=app%3Dnone"] {
        let reply = get(&url, &format!("{path}{query}")).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let list = reply.json();
        let expected = if query.contains("labelSelector") { 0 } else { 2 };
        assert_eq!(list["items"].as_array().unwrap().len(), expected, "{list}");
        assert_eq!(list["kind"], "ConfigMapList");
    }
    assert_eq!(counting.lists.load(Ordering::SeqCst), lists_before, "lists came from the cache");
    let paged = get(&url, &format!("{path}?limit=1")).await.json();
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);
    assert!(paged["metadata"]["continue"].is_string(), "a limit is served by storage: {paged}");
    assert!(counting.lists.load(Ordering::SeqCst) > lists_before);
    drop(watches);
    shutdown.trigger();
}
