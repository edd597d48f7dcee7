//! Paged range reads under a prefix, all pages of one list reading at the same revision.
//!
//! A page asks etcd for `limit` keys from its start key to the end of the prefix. etcd answers
//! with `more` (keys follow) and `count` (how many keys the whole range holds, whatever the
//! limit), which give the continue token (the last key + `\0`, read at the page's revision) and
//! the remaining count without fetching an extra key.

use super::client::{EtcdCluster, Purpose, Retry, kv, watches};
use super::errors::EtcdFailure;
use super::kv::{revision, to_key_value};
use crate::storage::{ContinueToken, ListOptions, ListPage, Revision, StorageError};
use etcd_client::{GetOptions, WatchOptions};
use std::time::Duration;

/// How long the follow-up that learns the compacted revision may take; past it the error
/// reports the lowest revision consistent with what etcd said.
const COMPACTED_PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// One page of the keys under `prefix`.
pub(super) async fn list(
    cluster: &EtcdCluster,
    prefix: &str,
    options: ListOptions,
) -> Result<ListPage, StorageError> {
    let (start_key, at_revision) = match options.continue_token {
        Some(token) => {
            token.check(prefix)?;
            (token.start_key, Some(token.revision))
        }
        None => (prefix.to_string(), options.revision.filter(|rev| *rev > 0)),
    };
    let limit = options.limit.filter(|limit| *limit > 0);

    let mut get = GetOptions::new().with_range(prefix_range_end(prefix));
    if let Some(limit) = limit {
        get = get.with_limit(limit);
    }
    if let Some(revision) = at_revision {
        get = get.with_revision(revision);
    }
    let result = cluster
        .call(Purpose::Requests, Retry::Idempotent, |client| {
            let (start_key, get) = (start_key.clone(), get.clone());
            async move { kv(&client).get(start_key, Some(get)).await }
        })
        .await;
    let mut response = match result {
        Ok(response) => response,
        Err(failure) => {
            return Err(revision_error(cluster, prefix, at_revision, failure).await);
        }
    };

    let read_at = at_revision.unwrap_or_else(|| revision(response.header()));
    let more = response.more();
    let count = response.count();
    let items = response.take_kvs().into_iter().map(to_key_value).collect::<Result<Vec<_>, _>>()?;
    let (continue_token, remaining) = match (more, items.last()) {
        (true, Some(last)) => (
            Some(ContinueToken { revision: read_at, start_key: format!("{}\0", last.key) }),
            Some(count - items.len() as i64),
        ),
        _ => (None, None),
    };
    Ok(ListPage { items, revision: read_at, continue_token, remaining })
}

/// The first key after every key that starts with `prefix`: etcd's range end for a prefix.
pub(super) fn prefix_range_end(prefix: &str) -> Vec<u8> {
    let mut end = prefix.as_bytes().to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return end;
        }
    }
    // Every byte is 0xff (or the prefix is empty): the range runs to the end of the keyspace.
    vec![0]
}

/// Turns a failed read at `requested` into the storage error, asking etcd for the revision the
/// error needs (the compacted one, or the current one).
async fn revision_error(
    cluster: &EtcdCluster,
    prefix: &str,
    requested: Option<Revision>,
    failure: EtcdFailure,
) -> StorageError {
    let requested = requested.unwrap_or_default();
    match failure {
        EtcdFailure::Compacted => StorageError::Compacted {
            requested,
            compacted: compacted_revision(cluster, prefix).await.unwrap_or(requested + 1),
        },
        EtcdFailure::FutureRevision => match cluster.current_revision(prefix).await {
            Ok(current) => StorageError::FutureRevision { requested, current },
            Err(failure) => failure.into_storage_error(),
        },
        other => other.into_storage_error(),
    }
}

/// etcd's compacted revision. A read error does not carry it, but a watch from revision 1 is
/// refused with it, so a short-lived watch on one key learns it.
pub(super) async fn compacted_revision(cluster: &EtcdCluster, key: &str) -> Option<Revision> {
    let probe = cluster.call(Purpose::Watches, Retry::Idempotent, |client| {
        let key = key.to_string();
        async move {
            let options = WatchOptions::new().with_start_revision(1);
            let mut stream = watches(&client).watch(key, Some(options)).await?;
            while let Some(response) = stream.message().await? {
                if response.compact_revision() != 0 {
                    return Ok(Some(response.compact_revision()));
                }
                if response.canceled() || !response.events().is_empty() {
                    break;
                }
            }
            Ok(None)
        }
    });
    tokio::time::timeout(COMPACTED_PROBE_TIMEOUT, probe).await.ok()?.ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_end_of_a_prefix_increments_its_last_byte() {
        assert_eq!(prefix_range_end("/registry/pods/"), b"/registry/pods0");
        assert_eq!(prefix_range_end("a\u{7f}"), b"a\x80");
        assert_eq!(prefix_range_end(""), b"\0");
    }
}
