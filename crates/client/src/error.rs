//! What can go wrong talking to the apiserver, shaped so callers branch on the server's
//! `Status` (`is_not_found`, `is_conflict`, ...) exactly as client-go callers do.

use crate::config::ConfigError;
use api_types::meta::v1::{Status, StatusReason};

/// A failed client call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with a failure `Status` (or an error code, turned into one).
    #[error("{0}")]
    Api(Box<Status>),
    /// The request never got an answer: connection refused, reset, TLS failure.
    #[error("{0}")]
    Transport(String),
    /// The request took longer than the configured timeout.
    #[error("request timed out after {0:?}")]
    Timeout(std::time::Duration),
    /// The answer was not what the caller's type expects.
    #[error("decoding the response: {0}")]
    Decode(#[from] serde_json::Error),
    /// The configuration is unusable (bad TLS material, for instance).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// TLS material that rustls refuses.
    #[error("TLS configuration: {0}")]
    Tls(String),
}

/// Shorthand for client results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The server's `Status`, when the server answered.
    pub fn status(&self) -> Option<&Status> {
        match self {
            Error::Api(status) => Some(status),
            _ => None,
        }
    }

    /// Whether the server reported `reason` (by reason, or by code when it gave none).
    pub fn is(&self, reason: StatusReason) -> bool {
        self.status().is_some_and(|status| status.is(reason))
    }

    /// 404: the object (or its namespace) does not exist.
    pub fn is_not_found(&self) -> bool {
        self.is(StatusReason::NotFound)
    }

    /// 409 `AlreadyExists`: a create found the name taken.
    pub fn is_already_exists(&self) -> bool {
        self.is(StatusReason::AlreadyExists)
    }

    /// 409 `Conflict`: an update lost an optimistic-concurrency race; re-read and retry.
    pub fn is_conflict(&self) -> bool {
        self.is(StatusReason::Conflict)
    }

    /// 410: the resource version asked for is gone; relist.
    pub fn is_gone(&self) -> bool {
        self.is(StatusReason::Gone) || self.is(StatusReason::Expired)
    }

    /// 422: the object failed validation.
    pub fn is_invalid(&self) -> bool {
        self.is(StatusReason::Invalid)
    }

    /// Whether retrying the same call later may succeed: transport failures, timeouts, 429 and
    /// 5xx answers.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Timeout(_) => true,
            Error::Api(status) => status.code == 429 || status.code >= 500,
            _ => false,
        }
    }
}

impl From<Status> for Error {
    fn from(status: Status) -> Self {
        Error::Api(Box::new(status))
    }
}

/// The `Status` for an error response: the body when it is one, else one built from the code as
/// client-go builds it for bodies that are not a `Status`.
pub(crate) fn status_of_response(code: u16, body: &[u8]) -> Status {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body)
        && let Some(mut status) = Status::from_object(&value)
    {
        if status.code == 0 {
            status.code = i32::from(code);
        }
        return status;
    }
    let code = i32::from(code);
    let text = String::from_utf8_lossy(body).trim().to_string();
    let message = match (code, text.is_empty()) {
        (404, true) => "the server could not find the requested resource".to_string(),
        (_, true) => format!(
            "the server responded with the status code {code} but did not return more information"
        ),
        (_, false) => text,
    };
    let reason = StatusReason::for_code(code).unwrap_or(StatusReason::InternalError);
    let mut status = Status::failure(reason, message);
    status.code = code;
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_bodies_are_kept_and_others_are_built_from_the_code() {
        let body = br#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}"#;
        let error = Error::from(status_of_response(404, body));
        assert!(error.is_not_found());
        assert_eq!(error.to_string(), "pods \"x\" not found");

        let error = Error::from(status_of_response(404, b""));
        assert!(error.is_not_found());
        assert_eq!(error.to_string(), "the server could not find the requested resource");
        let error = Error::from(status_of_response(503, b"overloaded\n"));
        assert!(error.is_transient());
        assert_eq!(error.to_string(), "overloaded");
        let conflict = Error::from(status_of_response(409, b""));
        assert!(conflict.is_conflict() && !conflict.is_already_exists());
        assert!(!Error::from(status_of_response(422, b"")).is_transient());
    }
}
