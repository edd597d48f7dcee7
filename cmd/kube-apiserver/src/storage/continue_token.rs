//! The continue token of a paged list: the revision the list reads at and the key the next page
//! starts from, opaque to clients. Its text form is upstream's: URL-safe base64 (no padding) of
//! `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key>"}`.

use super::{Revision, StorageError};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

const TOKEN_VERSION: &str = "meta.k8s.io/v1";

/// Where the next page of a list starts, and at which revision the whole list reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContinueToken {
    pub revision: Revision,
    /// The first key of the next page (inclusive).
    pub start_key: String,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    v: String,
    rv: Revision,
    start: String,
}

impl ContinueToken {
    /// The text a client sends back in `?continue=`.
    pub fn encode(&self) -> String {
        let wire =
            Wire { v: TOKEN_VERSION.to_string(), rv: self.revision, start: self.start_key.clone() };
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&wire).expect("token serializes"))
    }

    /// Reads a client's `?continue=` value for a list under `prefix`; a token that is malformed, of
    /// another version, or points outside `prefix` is [`StorageError::InvalidContinue`].
    pub fn decode(text: &str, prefix: &str) -> Result<Self, StorageError> {
        let invalid = |why: &str| StorageError::InvalidContinue(why.to_string());
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|_| invalid("not base64"))?;
        let wire: Wire = serde_json::from_slice(&bytes).map_err(|_| invalid("not a token"))?;
        if wire.v != TOKEN_VERSION {
            return Err(invalid("unsupported version"));
        }
        let token = ContinueToken { revision: wire.rv, start_key: wire.start };
        token.check(prefix)?;
        Ok(token)
    }

    /// Whether this token may continue a list under `prefix`: its revision must be a real one and
    /// its key inside the prefix, or a range read could return neighbouring keys. Backends call
    /// it on every token they are given, decoded or built in code.
    pub fn check(&self, prefix: &str) -> Result<(), StorageError> {
        if self.revision <= 0 {
            return Err(StorageError::InvalidContinue(format!("bad revision {}", self.revision)));
        }
        if !self.start_key.starts_with(prefix) {
            return Err(StorageError::InvalidContinue("key outside the listed prefix".to_string()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_foreign_tokens() {
        let token = ContinueToken {
            revision: 42,
            start_key: "/registry/pods/default/web\u{0}".to_string(),
        };
        let text = token.encode();
        assert!(!text.contains('='));
        assert_eq!(ContinueToken::decode(&text, "/registry/pods/").unwrap(), token);
        assert!(matches!(
            ContinueToken::decode(&text, "/registry/secrets/"),
            Err(StorageError::InvalidContinue(_))
        ));
        assert!(ContinueToken::decode("!!!", "/").is_err());
        assert!(ContinueToken::decode(&URL_SAFE_NO_PAD.encode(b"{}"), "/").is_err());
    }
}
