//! How the apiserver reaches etcd: the `--etcd-*` flags as one value, and the TLS material they
//! point at.

use crate::storage::StorageError;
use crate::storage::keys::DEFAULT_PREFIX;
use etcd_client::{Certificate, Identity, TlsOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything needed to talk to an etcd cluster, as given on the command line.
///
/// Only `endpoints` has no usable default; the timeouts default to upstream's client settings
/// (20 s dial, 30 s keepalive pings with a 10 s answer timeout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Etcd3Config {
    /// `--etcd-servers`: one URL per member (`http://127.0.0.1:2379`, `https://10.0.0.1:2379`);
    /// a bare `host:port` means `http://`. Requests go to one member at a time and move to the
    /// next when a member cannot be reached.
    pub endpoints: Vec<String>,
    /// `--etcd-prefix`. The storage keys the apiserver passes in already start with it (see
    /// [`crate::storage::keys`]), so the backend never prepends it: a key is stored in etcd
    /// exactly as given. The backend uses the prefix only for the requests that have no key of
    /// their own (reading the current revision, probing the compacted revision).
    pub prefix: String,
    /// `--etcd-cafile`: the CA bundle that signs the members' serving certificates. Required
    /// for `https://` endpoints (the system roots are not consulted).
    pub ca_file: Option<PathBuf>,
    /// `--etcd-certfile`: the client certificate presented to etcd (with `key_file`).
    pub cert_file: Option<PathBuf>,
    /// `--etcd-keyfile`: the private key of `cert_file`.
    pub key_file: Option<PathBuf>,
    /// How long `connect` (and any later reconnection attempt) may take to open a connection to
    /// one member.
    pub dial_timeout: Duration,
    /// How long one storage operation may take, retries across members included, before it
    /// fails with [`StorageError::Unavailable`] instead of hanging.
    pub request_timeout: Duration,
    /// How often an open connection is checked with an HTTP/2 ping, so that a dead member is
    /// noticed even while only watches use the connection.
    pub keepalive_interval: Duration,
    /// How long a ping may go unanswered before the connection is dropped.
    pub keepalive_timeout: Duration,
    /// How long a watch whose connection broke keeps trying to re-establish itself before it
    /// ends with [`StorageError::Unavailable`].
    pub watch_reconnect_limit: Duration,
    /// How long a watch waits for its reader to take an event when its buffer is full. Past it
    /// the watch ends (the reader gets the buffered events, then the end of the stream, and
    /// watches again from its last revision), so an unresponsive reader cannot pin etcd data
    /// in memory, or hold back the other watches sharing its connection, for longer.
    pub watch_stall_limit: Duration,
    /// `--etcd-compaction-interval`: how often history is compacted (see `compactor`); `None`
    /// leaves compaction to someone else.
    pub compaction_interval: Option<Duration>,
}

impl Default for Etcd3Config {
    fn default() -> Self {
        Etcd3Config {
            endpoints: Vec::new(),
            prefix: DEFAULT_PREFIX.to_string(),
            ca_file: None,
            cert_file: None,
            key_file: None,
            dial_timeout: Duration::from_secs(20),
            request_timeout: Duration::from_secs(30),
            keepalive_interval: Duration::from_secs(30),
            keepalive_timeout: Duration::from_secs(10),
            watch_reconnect_limit: Duration::from_secs(60),
            watch_stall_limit: Duration::from_secs(30),
            compaction_interval: None,
        }
    }
}

impl Etcd3Config {
    /// The defaults, for the given `--etcd-servers`.
    pub fn new(endpoints: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Etcd3Config {
            endpoints: endpoints.into_iter().map(Into::into).collect(),
            ..Etcd3Config::default()
        }
    }

    /// The endpoints as URLs with a scheme and without a trailing `/`, rejecting an empty list.
    pub(super) fn endpoint_urls(&self) -> Result<Vec<String>, StorageError> {
        let urls: Vec<String> = self
            .endpoints
            .iter()
            .map(|endpoint| endpoint.trim().trim_end_matches('/'))
            .filter(|endpoint| !endpoint.is_empty())
            .map(|endpoint| {
                if endpoint.contains("://") {
                    endpoint.to_string()
                } else {
                    format!("http://{endpoint}")
                }
            })
            .collect();
        if urls.is_empty() {
            return Err(config_error("no etcd endpoints given (--etcd-servers)"));
        }
        if let Some(bad) =
            urls.iter().find(|url| !url.starts_with("http://") && !url.starts_with("https://"))
        {
            return Err(config_error(&format!(
                "etcd endpoint {bad:?} must be an http:// or https:// URL"
            )));
        }
        Ok(urls)
    }

    /// The TLS settings for `https://` endpoints, read from the configured files; `None` when no
    /// file is configured.
    pub(super) fn tls_options(&self) -> Result<Option<TlsOptions>, StorageError> {
        let identity = match (&self.cert_file, &self.key_file) {
            (Some(cert), Some(key)) => Some(Identity::from_pem(read(cert)?, read(key)?)),
            (None, None) => None,
            _ => {
                return Err(config_error(
                    "--etcd-certfile and --etcd-keyfile must be given together",
                ));
            }
        };
        let ca = self.ca_file.as_deref().map(read).transpose()?;
        if ca.is_none() && identity.is_none() {
            return Ok(None);
        }
        let mut tls = TlsOptions::new();
        if let Some(ca) = ca {
            tls = tls.ca_certificate(Certificate::from_pem(ca));
        }
        if let Some(identity) = identity {
            tls = tls.identity(identity);
        }
        Ok(Some(tls))
    }
}

fn read(path: &Path) -> Result<Vec<u8>, StorageError> {
    std::fs::read(path).map_err(|err| config_error(&format!("reading {}: {err}", path.display())))
}

pub(super) fn config_error(why: &str) -> StorageError {
    StorageError::Internal(format!("invalid etcd configuration: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_get_a_scheme_and_lose_trailing_slashes() {
        let config =
            Etcd3Config::new(["http://127.0.0.1:2379/", "10.0.0.2:2379", " https://etcd-3:2379 "]);
        assert_eq!(
            config.endpoint_urls().unwrap(),
            ["http://127.0.0.1:2379", "http://10.0.0.2:2379", "https://etcd-3:2379"]
        );
    }

    #[test]
    fn rejects_missing_or_foreign_endpoints() {
        assert!(matches!(
            Etcd3Config::new(Vec::<String>::new()).endpoint_urls(),
            Err(StorageError::Internal(_))
        ));
        assert!(matches!(
            Etcd3Config::new(["unix:///run/etcd.sock"]).endpoint_urls(),
            Err(StorageError::Internal(_))
        ));
    }

    #[test]
    fn defaults_follow_upstream() {
        let config = Etcd3Config::default();
        assert_eq!(config.prefix, "/registry");
        assert_eq!(config.dial_timeout, Duration::from_secs(20));
        assert_eq!(config.keepalive_interval, Duration::from_secs(30));
        assert_eq!(config.keepalive_timeout, Duration::from_secs(10));
    }

    #[test]
    fn tls_needs_cert_and_key_together_and_readable_files() {
        let mut config = Etcd3Config::new(["https://127.0.0.1:2379"]);
        assert!(config.tls_options().unwrap().is_none());

        config.cert_file = Some(PathBuf::from("/nonexistent/client.crt"));
        let err = config.tls_options().unwrap_err();
        assert!(err.to_string().contains("together"), "{err}");

        config.key_file = Some(PathBuf::from("/nonexistent/client.key"));
        let err = config.tls_options().unwrap_err();
        assert!(err.to_string().contains("/nonexistent/client.crt"), "{err}");
    }
}
