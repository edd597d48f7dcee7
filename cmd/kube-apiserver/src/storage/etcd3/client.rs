//! The connections to the etcd members, and the one path every request takes: to the member that
//! last answered, on to the next when one cannot be reached, within a deadline.
//!
//! Each member has its own clients, so that a member that is down is skipped deterministically
//! instead of being picked at random by a load balancer, and two HTTP/2 connections: one for
//! requests, one for watches. A watch whose reader stalls stops reading its gRPC stream, and
//! unread data holds back the flow-control window of the connection it shares; keeping watches
//! apart means that can never delay a get or a write. Connections are opened lazily and
//! re-opened after a failure, so the backend recovers by itself when etcd comes back.

use super::config::{Etcd3Config, config_error};
use super::errors::EtcdFailure;
use crate::storage::{Revision, StorageError};
use etcd_client::{Client, ConnectOptions, GetOptions, KvClient, WatchClient};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::Instant;

/// The largest response a client accepts. gRPC's default of 4 MiB is too small for a list of many
/// objects or a watch batch of large values; upstream's apiserver lifts the limit the same way
/// (`MaxCallRecvMsgSize` of `math.MaxInt32`).
const MAX_RESPONSE_BYTES: usize = i32::MAX as usize;

/// The key-value API of `client`, accepting responses of any size.
pub(super) fn kv(client: &Client) -> KvClient {
    client.kv_client().max_decoding_message_size(MAX_RESPONSE_BYTES)
}

/// The watch API of `client`, accepting responses of any size.
pub(super) fn watches(client: &Client) -> WatchClient {
    client.watch_client().max_decoding_message_size(MAX_RESPONSE_BYTES)
}

/// The first pause after every member failed a request; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Whether a request may be sent again after a failure that may have let it through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Retry {
    /// Reads and watch set-ups: any transient failure is retried.
    Idempotent,
    /// Writes: retried only when the request was certainly never sent, so that it is never
    /// applied twice.
    OnlyUnsent,
}

/// Which of a member's connections a request uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Purpose {
    /// Unary requests: reads, writes, compaction.
    Requests,
    /// Long-lived watch streams.
    Watches,
}

/// The members of one etcd cluster, as configured.
pub(super) struct EtcdCluster {
    members: Vec<Member>,
    /// The member that answered last; requests start there.
    preferred: AtomicUsize,
    request_timeout: Duration,
}

struct Member {
    endpoint: String,
    requests: Client,
    watches: Client,
}

impl Member {
    fn client(&self, purpose: Purpose) -> Client {
        match purpose {
            Purpose::Requests => self.requests.clone(),
            Purpose::Watches => self.watches.clone(),
        }
    }
}

impl EtcdCluster {
    /// Sets up a client per endpoint and waits (up to the dial timeout) until one member answers,
    /// so that a wrong `--etcd-servers` fails at start-up as upstream's apiserver does.
    pub(super) async fn connect(config: &Etcd3Config) -> Result<Self, StorageError> {
        let tls = config.tls_options()?;
        let mut members = Vec::new();
        for endpoint in config.endpoint_urls()? {
            let mut options = ConnectOptions::new()
                .with_connect_timeout(config.dial_timeout)
                .with_keep_alive(config.keepalive_interval, config.keepalive_timeout)
                .with_keep_alive_while_idle(true)
                // Fail (and let the caller retry elsewhere) rather than wait on a member that has
                // lost its leader.
                .with_require_leader(true);
            if endpoint.starts_with("https://") {
                match (&tls, &config.ca_file) {
                    (Some(tls), Some(_)) => options = options.with_tls(tls.clone()),
                    _ => {
                        return Err(config_error(&format!(
                            "{endpoint} needs --etcd-cafile (system roots are not used)"
                        )));
                    }
                }
            }
            let connect = || async {
                Client::connect([endpoint.as_str()], Some(options.clone()))
                    .await
                    .map_err(|err| config_error(&format!("{endpoint}: {err}")))
            };
            let (requests, watches) = (connect().await?, connect().await?);
            members.push(Member { endpoint, requests, watches });
        }
        let cluster = EtcdCluster {
            members,
            preferred: AtomicUsize::new(0),
            request_timeout: config.request_timeout,
        };
        cluster
            .call_until(
                Instant::now() + config.dial_timeout,
                Purpose::Requests,
                Retry::Idempotent,
                |client| revision_probe(client, config.prefix.clone()),
            )
            .await
            .map_err(EtcdFailure::into_storage_error)?;
        Ok(cluster)
    }

    /// Runs `request` within the request timeout (see [`EtcdCluster::call_until`]).
    pub(super) async fn call<T, F, Fut>(
        &self,
        purpose: Purpose,
        retry: Retry,
        request: F,
    ) -> Result<T, EtcdFailure>
    where
        F: FnMut(Client) -> Fut,
        Fut: Future<Output = Result<T, etcd_client::Error>>,
    {
        let deadline = Instant::now() + self.request_timeout;
        self.call_until(deadline, purpose, retry, request).await
    }

    /// Runs `request` with a member's client, starting at the preferred member and moving on
    /// when a member fails in a way `retry` allows to retry; after every member failed, waits a
    /// little and goes round again. Past `deadline` it gives up with
    /// [`EtcdFailure::Unavailable`].
    pub(super) async fn call_until<T, F, Fut>(
        &self,
        deadline: Instant,
        purpose: Purpose,
        retry: Retry,
        mut request: F,
    ) -> Result<T, EtcdFailure>
    where
        F: FnMut(Client) -> Fut,
        Fut: Future<Output = Result<T, etcd_client::Error>>,
    {
        let mut index = self.preferred.load(Ordering::Relaxed) % self.members.len();
        let mut backoff = FIRST_BACKOFF;
        loop {
            let mut last_failure = None;
            for _ in 0..self.members.len() {
                let member = &self.members[index];
                let next = (index + 1) % self.members.len();
                match tokio::time::timeout_at(deadline, request(member.client(purpose))).await {
                    Ok(Ok(value)) => {
                        self.preferred.store(index, Ordering::Relaxed);
                        return Ok(value);
                    }
                    Ok(Err(err)) => {
                        let failure = EtcdFailure::from(err);
                        if !failure.is_retryable(retry == Retry::Idempotent) {
                            return Err(failure);
                        }
                        last_failure = Some((member.endpoint.clone(), failure));
                    }
                    Err(_elapsed) => {
                        // Whatever hangs there, the next request should try another member.
                        self.preferred.store(next, Ordering::Relaxed);
                        return Err(EtcdFailure::Unavailable(format!(
                            "etcd request to {} did not finish in time",
                            member.endpoint
                        )));
                    }
                }
                index = next;
            }
            if Instant::now() + backoff >= deadline {
                let (endpoint, failure) = last_failure.expect("at least one member was tried");
                let why = match failure {
                    EtcdFailure::Unsent(why) | EtcdFailure::Unavailable(why) => why,
                    other => format!("{other:?}"),
                };
                return Err(EtcdFailure::Unavailable(format!(
                    "no etcd member answered (last: {endpoint}: {why})"
                )));
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// etcd's current revision, read from the header of the cheapest possible range request.
    pub(super) async fn current_revision(&self, key: &str) -> Result<Revision, EtcdFailure> {
        self.call(Purpose::Requests, Retry::Idempotent, |client| {
            revision_probe(client, key.to_string())
        })
        .await
    }
}

/// Counts the single key `key` (returning no data) to learn the store's revision from the
/// response header.
async fn revision_probe(mut client: Client, key: String) -> Result<Revision, etcd_client::Error> {
    let response = client.get(key, Some(GetOptions::new().with_count_only())).await?;
    Ok(response.header().map_or(0, |header| header.revision()))
}
