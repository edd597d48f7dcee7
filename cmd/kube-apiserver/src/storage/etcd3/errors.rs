//! What an etcd failure means for the caller: whether retrying (elsewhere) is safe, and which
//! [`StorageError`] it becomes.

use crate::storage::StorageError;
use std::error::Error as _;
use tonic::Code;

/// An etcd request's failure, sorted by what the caller can do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum EtcdFailure {
    /// The request never left this process (no connection could be made), so sending it to
    /// another member, or again later, cannot apply it twice.
    Unsent(String),
    /// The member or the connection failed while the request was under way, or etcd reported a
    /// transient condition (no leader, request timed out). A write may or may not have been
    /// applied.
    Unavailable(String),
    /// The revision asked for is older than etcd's compacted revision.
    Compacted,
    /// The revision asked for is newer than etcd's current revision.
    FutureRevision,
    /// Anything else: a refused or malformed request, missing permission.
    Other(String),
}

// etcd's messages for the two revision errors (both carry gRPC code OutOfRange).
const COMPACTED_MESSAGE: &str = "required revision has been compacted";
const FUTURE_REVISION_MESSAGE: &str = "required revision is a future revision";

impl EtcdFailure {
    /// Whether the failure is worth another attempt: certainly for a request that was never
    /// sent, and for an idempotent one when it may have been lost.
    pub(super) fn is_retryable(&self, idempotent: bool) -> bool {
        match self {
            EtcdFailure::Unsent(_) => true,
            EtcdFailure::Unavailable(_) => idempotent,
            _ => false,
        }
    }

    /// The storage error for an operation whose own revisions cannot be out of range, so that
    /// `Compacted` and `FutureRevision` (which need revisions the caller has) do not arise.
    pub(super) fn into_storage_error(self) -> StorageError {
        match self {
            EtcdFailure::Unsent(why) | EtcdFailure::Unavailable(why) => {
                StorageError::Unavailable(why)
            }
            EtcdFailure::Compacted => StorageError::Internal(format!("etcd: {COMPACTED_MESSAGE}")),
            EtcdFailure::FutureRevision => {
                StorageError::Internal(format!("etcd: {FUTURE_REVISION_MESSAGE}"))
            }
            EtcdFailure::Other(why) => StorageError::Internal(why),
        }
    }
}

impl From<etcd_client::Error> for EtcdFailure {
    fn from(err: etcd_client::Error) -> Self {
        match err {
            etcd_client::Error::GRpcStatus(status) => classify_status(&status),
            etcd_client::Error::TransportError(err) => {
                EtcdFailure::Unsent(format!("etcd transport: {err}"))
            }
            etcd_client::Error::IoError(err) => EtcdFailure::Unavailable(format!("etcd: {err}")),
            // The request side of a watch stream closed: the stream is gone.
            etcd_client::Error::WatchError(why) => {
                EtcdFailure::Unavailable(format!("etcd watch: {why}"))
            }
            other => EtcdFailure::Other(format!("etcd: {other}")),
        }
    }
}

fn classify_status(status: &tonic::Status) -> EtcdFailure {
    let message = status.message();
    if never_connected(status) {
        return EtcdFailure::Unsent(format!("cannot connect to etcd: {message}"));
    }
    // A status built from a local error (rather than read from etcd's reply) means the
    // connection failed under the request.
    if status.source().is_some() {
        return EtcdFailure::Unavailable(format!("etcd connection failed: {message}"));
    }
    if message.contains(COMPACTED_MESSAGE) {
        return EtcdFailure::Compacted;
    }
    if message.contains(FUTURE_REVISION_MESSAGE) {
        return EtcdFailure::FutureRevision;
    }
    match status.code() {
        Code::Unavailable
        | Code::DeadlineExceeded
        | Code::ResourceExhausted
        | Code::Aborted
        | Code::Cancelled => EtcdFailure::Unavailable(format!("etcd: {message}")),
        code => EtcdFailure::Other(format!("etcd ({code:?}): {message}")),
    }
}

/// Whether the failure happened while connecting, before any byte of the request was sent.
fn never_connected(status: &tonic::Status) -> bool {
    let mut source = status.source();
    while let Some(err) = source {
        if err.is::<tonic::ConnectError>() {
            return true;
        }
        source = err.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_status(status: tonic::Status) -> EtcdFailure {
        EtcdFailure::from(etcd_client::Error::GRpcStatus(status))
    }

    #[test]
    fn revision_errors_are_recognized_by_etcds_messages() {
        assert_eq!(
            from_status(tonic::Status::out_of_range(
                "etcdserver: mvcc: required revision has been compacted"
            )),
            EtcdFailure::Compacted
        );
        assert_eq!(
            from_status(tonic::Status::out_of_range(
                "etcdserver: mvcc: required revision is a future revision"
            )),
            EtcdFailure::FutureRevision
        );
    }

    #[test]
    fn connect_failures_are_unsent_and_always_retryable() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let status = tonic::Status::from_error(Box::new(tonic::ConnectError(Box::new(refused))));
        let failure = from_status(status);
        assert!(matches!(failure, EtcdFailure::Unsent(_)), "{failure:?}");
        assert!(failure.is_retryable(false));
    }

    #[test]
    fn transient_server_errors_are_retried_only_when_idempotent() {
        let failure = from_status(tonic::Status::unavailable("etcdserver: no leader"));
        assert!(matches!(failure, EtcdFailure::Unavailable(_)));
        assert!(failure.is_retryable(true));
        assert!(!failure.is_retryable(false));
        assert!(matches!(failure.into_storage_error(), StorageError::Unavailable(_)));
    }

    #[test]
    fn other_errors_are_internal() {
        let failure =
            from_status(tonic::Status::permission_denied("etcdserver: permission denied"));
        assert!(!failure.is_retryable(true));
        assert!(matches!(failure.into_storage_error(), StorageError::Internal(_)));
    }
}
