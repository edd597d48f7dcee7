//! The etcd floor: the same requests our etcd3 backend sends, from a bare `etcd_client::Client`
//! with nothing of ours in between (no retries, no deadlines, no conversions).

use super::single_key::SingleKeyOps;
use super::watch_latency::{Creations, WatchOps};
use async_trait::async_trait;
use etcd_client::{
    Client, Compare, CompareOp, EventType, GetOptions, Txn, TxnOp, TxnResponse, WatchOptions,
    WatchStream,
};
use kube_apiserver::storage::Revision;
use std::collections::VecDeque;

/// Plain client connections to the etcd under test, shared by every client task: one for
/// requests and one for watches, as our backend keeps them per member.
#[derive(Clone)]
pub struct BareEtcd {
    client: Client,
    watches: Client,
}

impl BareEtcd {
    pub async fn connect(endpoint: &str) -> BareEtcd {
        let connect = || async {
            Client::connect([endpoint], None)
                .await
                .unwrap_or_else(|error| panic!("connect a bare client to {endpoint}: {error}"))
        };
        BareEtcd { client: connect().await, watches: connect().await }
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResponse, String> {
        self.client.clone().txn(txn).await.map_err(|error| error.to_string())
    }
}

#[async_trait]
impl SingleKeyOps for BareEtcd {
    /// A put guarded by "the key does not exist", as our create sends it.
    async fn create(&self, key: &str, value: Vec<u8>) -> Result<Revision, String> {
        let txn = Txn::new()
            .when([Compare::mod_revision(key, CompareOp::Equal, 0)])
            .and_then([TxnOp::put(key, value, None)]);
        let response = self.txn(txn).await?;
        if !response.succeeded() {
            return Err("the key exists".to_string());
        }
        Ok(header_revision(&response))
    }

    /// A put guarded by the expected `mod_revision`, reading the key when the guard fails, as
    /// our update sends it.
    async fn update(
        &self,
        key: &str,
        value: Vec<u8>,
        expected: Revision,
    ) -> Result<Revision, String> {
        let txn = Txn::new()
            .when([
                Compare::mod_revision(key, CompareOp::Equal, expected),
                Compare::version(key, CompareOp::Greater, 0),
            ])
            .and_then([TxnOp::put(key, value, None)])
            .or_else([TxnOp::get(key, None)]);
        let response = self.txn(txn).await?;
        if !response.succeeded() {
            return Err(format!("the key is no longer at revision {expected}"));
        }
        Ok(header_revision(&response))
    }

    /// A plain range read of one key.
    async fn get(&self, key: &str) -> Result<(), String> {
        let response =
            self.client.clone().get(key, None).await.map_err(|error| error.to_string())?;
        if response.kvs().is_empty() {
            return Err("the key is absent".to_string());
        }
        Ok(())
    }
}

#[async_trait]
impl WatchOps for BareEtcd {
    async fn current_revision(&self) -> Result<Revision, String> {
        let response = self
            .client
            .clone()
            .get("/", Some(GetOptions::new().with_count_only()))
            .await
            .map_err(|error| error.to_string())?;
        Ok(response.header().map_or(0, |header| header.revision()))
    }

    /// A prefix watch with previous values and progress notifications, as our watch opens it.
    async fn watch_prefix(
        &self,
        prefix: &str,
        after: Revision,
    ) -> Result<Box<dyn Creations>, String> {
        let options = WatchOptions::new()
            .with_start_revision(after + 1)
            .with_prev_key()
            .with_progress_notify()
            .with_prefix();
        let stream = self
            .watches
            .clone()
            .watch(prefix, Some(options))
            .await
            .map_err(|error| error.to_string())?;
        Ok(Box::new(BareWatch { stream, pending: VecDeque::new() }))
    }
}

/// An etcd watch stream read directly; one response may carry several events.
struct BareWatch {
    stream: WatchStream,
    pending: VecDeque<Revision>,
}

#[async_trait]
impl Creations for BareWatch {
    async fn next_creation(&mut self) -> Result<Revision, String> {
        while self.pending.is_empty() {
            let response = self
                .stream
                .message()
                .await
                .map_err(|error| error.to_string())?
                .ok_or("the stream ended")?;
            let creations = response.events().iter().filter_map(|event| {
                let kv = event.kv()?;
                let created = event.event_type() == EventType::Put
                    && kv.create_revision() == kv.mod_revision();
                created.then_some(kv.mod_revision())
            });
            self.pending.extend(creations);
        }
        Ok(self.pending.pop_front().expect("a pending creation"))
    }
}

fn header_revision(response: &TxnResponse) -> Revision {
    response.header().map_or(0, |header| header.revision())
}
