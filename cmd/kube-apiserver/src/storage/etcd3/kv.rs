//! Single-key operations as etcd transactions: create only if absent, update and delete only if
//! the key's `mod_revision` is the one the caller read (compare-and-swap).

use super::client::{EtcdCluster, Purpose, Retry, kv};
use super::errors::EtcdFailure;
use crate::storage::{KeyValue, Revision, StorageError};
use etcd_client::{
    Compare, CompareOp, DeleteOptions, ResponseHeader, Txn, TxnOp, TxnOpResponse, TxnResponse,
};

/// Writes `value` under `key` if the key does not exist (its `mod_revision` is 0).
pub(super) async fn create(
    cluster: &EtcdCluster,
    key: &str,
    value: Vec<u8>,
) -> Result<Revision, StorageError> {
    let txn = Txn::new()
        .when([Compare::mod_revision(key, CompareOp::Equal, 0)])
        .and_then([TxnOp::put(key, value, None)]);
    let response = commit(cluster, txn).await?;
    if !response.succeeded() {
        return Err(StorageError::AlreadyExists { key: key.to_string() });
    }
    Ok(revision(response.header()))
}

/// The current value of `key`.
pub(super) async fn get(cluster: &EtcdCluster, key: &str) -> Result<KeyValue, StorageError> {
    let mut response = cluster
        .call(Purpose::Requests, Retry::Idempotent, |client| {
            let key = key.to_string();
            async move { kv(&client).get(key, None).await }
        })
        .await
        .map_err(EtcdFailure::into_storage_error)?;
    match response.take_kvs().into_iter().next() {
        Some(kv) => to_key_value(kv),
        None => Err(not_found(key)),
    }
}

/// Replaces `key`'s value if the key exists and was last modified at `expected_revision`;
/// otherwise reads the key in the same transaction to tell a conflict from a deleted key.
pub(super) async fn update(
    cluster: &EtcdCluster,
    key: &str,
    value: Vec<u8>,
    expected_revision: Revision,
) -> Result<Revision, StorageError> {
    let txn = Txn::new()
        .when([
            Compare::mod_revision(key, CompareOp::Equal, expected_revision),
            // With an expected revision of 0 the first compare alone would match a missing key
            // and turn the update into a create.
            Compare::version(key, CompareOp::Greater, 0),
        ])
        .and_then([TxnOp::put(key, value, None)])
        .or_else([TxnOp::get(key, None)]);
    let response = commit(cluster, txn).await?;
    if response.succeeded() {
        return Ok(revision(response.header()));
    }
    let current = current_from_else_branch(&response, key)?;
    Err(StorageError::Conflict {
        key: key.to_string(),
        expected: expected_revision,
        actual: current.mod_revision,
    })
}

/// Deletes `key`, only if it was last modified at `expected_revision` when one is given, and
/// returns the value it had with the revision of the delete.
pub(super) async fn delete(
    cluster: &EtcdCluster,
    key: &str,
    expected_revision: Option<Revision>,
) -> Result<(KeyValue, Revision), StorageError> {
    let delete = TxnOp::delete(key, Some(DeleteOptions::new().with_prev_key()));
    let txn = match expected_revision {
        Some(expected) => Txn::new()
            .when([Compare::mod_revision(key, CompareOp::Equal, expected)])
            .and_then([delete])
            .or_else([TxnOp::get(key, None)]),
        None => Txn::new().and_then([delete]),
    };
    let response = commit(cluster, txn).await?;
    if !response.succeeded() {
        let current = current_from_else_branch(&response, key)?;
        return Err(StorageError::Conflict {
            key: key.to_string(),
            expected: expected_revision.unwrap_or_default(),
            actual: current.mod_revision,
        });
    }
    let deleted = response
        .op_responses()
        .into_iter()
        .find_map(|op| match op {
            TxnOpResponse::Delete(mut deleted) => deleted.take_prev_kvs().into_iter().next(),
            _ => None,
        })
        // Nothing was deleted: the key was absent (a precondition of 0 matches a missing key).
        .ok_or_else(|| not_found(key))?;
    Ok((to_key_value(deleted)?, revision(response.header())))
}

/// Discards etcd's history before `revision`. The compaction is logical (not `physical`): it
/// takes effect for reads and watches as soon as the call returns, while etcd reclaims the
/// space in the background. Compacting at or below the already compacted revision succeeds,
/// since that history is gone either way.
pub(super) async fn compact(
    cluster: &EtcdCluster,
    prefix: &str,
    revision: Revision,
) -> Result<(), StorageError> {
    let result = cluster
        .call(Purpose::Requests, Retry::Idempotent, |client| async move {
            kv(&client).compact(revision, None).await
        })
        .await;
    match result {
        Ok(_) | Err(EtcdFailure::Compacted) => Ok(()),
        Err(EtcdFailure::FutureRevision) => {
            let current =
                cluster.current_revision(prefix).await.map_err(EtcdFailure::into_storage_error)?;
            Err(StorageError::FutureRevision { requested: revision, current })
        }
        Err(failure) => Err(failure.into_storage_error()),
    }
}

/// Sends a transaction once: a write may only be retried when it certainly was not sent.
async fn commit(cluster: &EtcdCluster, txn: Txn) -> Result<TxnResponse, StorageError> {
    cluster
        .call(Purpose::Requests, Retry::OnlyUnsent, |client| {
            let txn = txn.clone();
            async move { kv(&client).txn(txn).await }
        })
        .await
        .map_err(EtcdFailure::into_storage_error)
}

/// The key as read by the `Else` branch of a failed compare-and-swap; NotFound if it is gone.
fn current_from_else_branch(response: &TxnResponse, key: &str) -> Result<KeyValue, StorageError> {
    let current = response.op_responses().into_iter().find_map(|op| match op {
        TxnOpResponse::Get(mut read) => read.take_kvs().into_iter().next(),
        _ => None,
    });
    match current {
        Some(kv) => to_key_value(kv),
        None => Err(not_found(key)),
    }
}

fn not_found(key: &str) -> StorageError {
    StorageError::NotFound { key: key.to_string() }
}

/// The revision in a response header (etcd always sends one).
pub(super) fn revision(header: Option<&ResponseHeader>) -> Revision {
    header.map_or(0, ResponseHeader::revision)
}

/// Converts etcd's key-value pair; keys are written by this backend as UTF-8, so any other key
/// is corruption.
pub(super) fn to_key_value(kv: etcd_client::KeyValue) -> Result<KeyValue, StorageError> {
    let (create_revision, mod_revision) = (kv.create_revision(), kv.mod_revision());
    let (key, value) = kv.into_key_value();
    let key = String::from_utf8(key).map_err(|err| {
        StorageError::Internal(format!(
            "etcd key is not UTF-8: {:?}",
            String::from_utf8_lossy(err.as_bytes())
        ))
    })?;
    Ok(KeyValue { key, value, create_revision, mod_revision })
}
