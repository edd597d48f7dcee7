//! Where the apiserver is and how to talk to it, resolved from a kubeconfig, from the
//! `--master`/`--kubeconfig` flags the book's components take, or from inside a pod.
//!
//! [`Config`] is the resolved form every [`Client`](crate::Client) is built from; it holds
//! credentials as bytes read once, except a token file, which is re-read so rotated service
//! account tokens keep working.

mod in_cluster;
pub mod kubeconfig;

pub use in_cluster::{IN_CLUSTER_CA, IN_CLUSTER_NAMESPACE, IN_CLUSTER_TOKEN};
pub use kubeconfig::Kubeconfig;

use base64::Engine;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why no usable configuration could be found.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Kubeconfig(#[from] kubeconfig::KubeconfigError),
    #[error("context {0:?} is not in the kubeconfig")]
    MissingContext(String),
    #[error("cluster {0:?} is not in the kubeconfig")]
    MissingCluster(String),
    #[error("user {0:?} is not in the kubeconfig")]
    MissingUser(String),
    #[error("no server: give --master or a kubeconfig with a cluster server")]
    NoServer,
    #[error("invalid server address {0:?}")]
    BadServer(String),
    #[error("reading {path}: {source}")]
    ReadFile { path: PathBuf, source: std::io::Error },
    #[error("{field}: invalid base64: {source}")]
    BadBase64 { field: &'static str, source: base64::DecodeError },
    #[error(
        "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are unset"
    )]
    NotInCluster,
    #[error("client certificate and key must be given together")]
    HalfClientCertificate,
}

/// How requests prove who they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Auth {
    /// No credentials (the insecure port, or client certificates only).
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(String),
    /// A bearer token read from this file, re-read as it changes (service account tokens).
    BearerFile(PathBuf),
    /// `Authorization: Basic` (the book's `--basic-auth-file`).
    Basic { username: String, password: String },
}

/// How the server's certificate is checked and which client certificate is presented.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsSettings {
    /// PEM CA certificates to trust; without them (and without `insecure`) the platform has no
    /// roots configured, so an HTTPS server must be trusted explicitly.
    pub ca_pem: Option<Vec<u8>>,
    /// PEM client certificate chain and key, presented when the server asks.
    pub client_certificate_pem: Option<Vec<u8>>,
    pub client_key_pem: Option<Vec<u8>>,
    /// Accept any server certificate (`insecure-skip-tls-verify`).
    pub insecure: bool,
    /// Verify the certificate against this name instead of the URL's host.
    pub server_name: Option<String>,
}

/// Everything a client needs to reach one apiserver as one user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `scheme://host:port` plus an optional path prefix, without a trailing slash.
    pub server: String,
    /// The namespace namespaced calls default to (`default`, or the context's).
    pub default_namespace: String,
    pub auth: Auth,
    pub tls: TlsSettings,
    /// How long a non-watch request may take before it fails.
    pub timeout: Duration,
    /// Sent as `User-Agent`, so the apiserver's logs say which component called.
    pub user_agent: String,
}

/// The request timeout when none is configured: generous, as lists of many objects are slow.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

impl Config {
    /// A configuration for a server with no credentials (`http://127.0.0.1:8080`, the book's
    /// insecure port). A server without a scheme gets `http://`.
    pub fn for_server(server: &str) -> Result<Self, ConfigError> {
        Ok(Config {
            server: normalize_server(server, false)?,
            default_namespace: "default".to_string(),
            auth: Auth::None,
            tls: TlsSettings::default(),
            timeout: DEFAULT_TIMEOUT,
            user_agent: default_user_agent(),
        })
    }

    /// What upstream's `BuildConfigFromFlags(master, kubeconfig)` gives the book's components:
    /// with neither flag, the in-cluster configuration; with a kubeconfig, its current context
    /// (the server overridden by `master` when given); with only `master`, that server without
    /// credentials.
    pub fn from_flags(
        master: Option<&str>,
        kubeconfig: Option<&Path>,
    ) -> Result<Self, ConfigError> {
        let master = master.filter(|master| !master.is_empty());
        match (master, kubeconfig) {
            (None, None) => Config::in_cluster(),
            (Some(master), None) => Config::for_server(master),
            (master, Some(path)) => {
                let file = Kubeconfig::read(path)?;
                Config::from_kubeconfig(&file, None, master)
            }
        }
    }

    /// What kubectl does without flags: the merged `$KUBECONFIG` files (or `~/.kube/config`)
    /// when they name a context, else the in-cluster configuration.
    pub fn infer() -> Result<Self, ConfigError> {
        let file = Kubeconfig::read_merged(&kubeconfig::default_paths())?;
        if file.current_context.is_empty() && file.clusters.is_empty() {
            return Config::in_cluster();
        }
        Config::from_kubeconfig(&file, None, None)
    }

    /// Resolves one context of a (possibly merged) kubeconfig: `context` or the current one;
    /// `server` overrides the cluster's address (`--master`).
    pub fn from_kubeconfig(
        file: &Kubeconfig,
        context: Option<&str>,
        server: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let context_name = context.unwrap_or(&file.current_context);
        let context = match context_name {
            "" => None,
            name => {
                Some(file.context(name).ok_or_else(|| ConfigError::MissingContext(name.into()))?)
            }
        };
        let (cluster, user) = match context {
            Some(context) => {
                let cluster = match context.cluster.as_str() {
                    "" => None,
                    name => Some(
                        file.cluster(name)
                            .ok_or_else(|| ConfigError::MissingCluster(name.into()))?,
                    ),
                };
                let user = match context.user.as_str() {
                    "" => None,
                    name => {
                        Some(file.user(name).ok_or_else(|| ConfigError::MissingUser(name.into()))?)
                    }
                };
                (cluster, user)
            }
            None => (None, None),
        };
        let cluster = cluster.cloned().unwrap_or_default();
        let user = user.cloned().unwrap_or_default();

        let tls = TlsSettings {
            ca_pem: file_or_data(
                &cluster.certificate_authority,
                &cluster.certificate_authority_data,
                "certificate-authority-data",
            )?,
            client_certificate_pem: file_or_data(
                &user.client_certificate,
                &user.client_certificate_data,
                "client-certificate-data",
            )?,
            client_key_pem: file_or_data(
                &user.client_key,
                &user.client_key_data,
                "client-key-data",
            )?,
            insecure: cluster.insecure_skip_tls_verify,
            server_name: Some(cluster.tls_server_name.clone()).filter(|name| !name.is_empty()),
        };
        if tls.client_certificate_pem.is_some() != tls.client_key_pem.is_some() {
            return Err(ConfigError::HalfClientCertificate);
        }
        let auth = if !user.token.is_empty() {
            Auth::Bearer(user.token.clone())
        } else if !user.token_file.is_empty() {
            Auth::BearerFile(PathBuf::from(&user.token_file))
        } else if !user.username.is_empty() {
            Auth::Basic { username: user.username.clone(), password: user.password.clone() }
        } else {
            Auth::None
        };
        let server = server.filter(|server| !server.is_empty()).unwrap_or(&cluster.server);
        if server.is_empty() {
            return Err(ConfigError::NoServer);
        }
        let uses_tls = tls.ca_pem.is_some() || tls.client_certificate_pem.is_some() || tls.insecure;
        let namespace = context.map(|context| context.namespace.as_str()).unwrap_or_default();
        Ok(Config {
            server: normalize_server(server, uses_tls)?,
            default_namespace: if namespace.is_empty() { "default" } else { namespace }.to_string(),
            auth,
            tls,
            timeout: DEFAULT_TIMEOUT,
            user_agent: default_user_agent(),
        })
    }

    /// The same configuration, identifying itself as `user_agent` (the component's name).
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Whether requests go over TLS.
    pub fn is_https(&self) -> bool {
        self.server.starts_with("https://")
    }
}

/// `<binary>/<version>`, what upstream clients send unless told otherwise.
fn default_user_agent() -> String {
    let binary = std::env::args()
        .next()
        .and_then(|arg0| {
            Path::new(&arg0).file_name().map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "client".to_string());
    format!("{binary}/v{}", env!("CARGO_PKG_VERSION"))
}

/// A server address with a scheme and without a trailing slash. A bare `host:port` gets
/// `https://` when TLS is configured and `http://` otherwise, as upstream's default URL rule.
fn normalize_server(server: &str, uses_tls: bool) -> Result<String, ConfigError> {
    let server = server.trim();
    let with_scheme = if server.starts_with("http://") || server.starts_with("https://") {
        server.to_string()
    } else if server.contains("://") {
        return Err(ConfigError::BadServer(server.to_string()));
    } else if uses_tls {
        format!("https://{server}")
    } else {
        format!("http://{server}")
    };
    let parsed: hyper::Uri =
        with_scheme.parse().map_err(|_| ConfigError::BadServer(server.to_string()))?;
    if parsed.host().is_none_or(str::is_empty) {
        return Err(ConfigError::BadServer(server.to_string()));
    }
    Ok(with_scheme.trim_end_matches('/').to_string())
}

/// The bytes of a credential given as a file name or inline base64 data (data wins, as
/// upstream); `None` when neither is set.
fn file_or_data(
    file: &str,
    data: &str,
    field: &'static str,
) -> Result<Option<Vec<u8>>, ConfigError> {
    if !data.is_empty() {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .map_err(|source| ConfigError::BadBase64 { field, source })?;
        return Ok(Some(decoded));
    }
    if file.is_empty() {
        return Ok(None);
    }
    std::fs::read(file)
        .map(Some)
        .map_err(|source| ConfigError::ReadFile { path: PathBuf::from(file), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kubeconfig(text: &str) -> Kubeconfig {
        Kubeconfig::parse(text).unwrap()
    }

    #[test]
    fn a_bare_master_is_plain_http_without_credentials() {
        let config = Config::from_flags(Some("127.0.0.1:8080"), None).unwrap();
        assert_eq!(config.server, "http://127.0.0.1:8080");
        assert_eq!(config.auth, Auth::None);
        assert_eq!(config.default_namespace, "default");
        let config = Config::for_server("https://10.0.0.1:6443/").unwrap();
        assert_eq!(config.server, "https://10.0.0.1:6443");
        assert!(matches!(Config::for_server("ftp://x"), Err(ConfigError::BadServer(_))));
        assert!(matches!(Config::for_server("http://"), Err(ConfigError::BadServer(_))));
    }

    #[test]
    fn the_current_context_picks_cluster_user_and_namespace() {
        let file = kubeconfig(
            r#"
current-context: c
clusters: [{name: k, cluster: {server: "10.1.1.1:6443", insecure-skip-tls-verify: true,
            tls-server-name: kubernetes}}]
users: [{name: u, user: {token: secret}}]
contexts: [{name: c, context: {cluster: k, user: u, namespace: prod}}]
"#,
        );
        let config = Config::from_kubeconfig(&file, None, None).unwrap();
        assert_eq!(config.server, "https://10.1.1.1:6443");
        assert_eq!(config.auth, Auth::Bearer("secret".into()));
        assert_eq!(config.default_namespace, "prod");
        assert!(config.tls.insecure);
        assert_eq!(config.tls.server_name.as_deref(), Some("kubernetes"));
        // --master overrides the address and keeps the credentials.
        let config = Config::from_kubeconfig(&file, None, Some("https://other:443")).unwrap();
        assert_eq!(
            (config.server.as_str(), &config.auth),
            ("https://other:443", &Auth::Bearer("secret".into()))
        );
    }

    #[test]
    fn credentials_come_inline_or_from_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.crt"), b"CA PEM").unwrap();
        let text = format!(
            r#"
current-context: c
clusters: [{{name: k, cluster: {{server: "https://h", certificate-authority: {ca}}}}}]
users: [{{name: u, user: {{client-certificate-data: Q0VSVA==, client-key-data: S0VZ,
          username: admin, password: pw}}}}]
contexts: [{{name: c, context: {{cluster: k, user: u}}}}]
"#,
            ca = dir.path().join("ca.crt").display()
        );
        let config = Config::from_kubeconfig(&kubeconfig(&text), None, None).unwrap();
        assert_eq!(config.tls.ca_pem.as_deref(), Some(&b"CA PEM"[..]));
        assert_eq!(config.tls.client_certificate_pem.as_deref(), Some(&b"CERT"[..]));
        assert_eq!(config.tls.client_key_pem.as_deref(), Some(&b"KEY"[..]));
        assert_eq!(config.auth, Auth::Basic { username: "admin".into(), password: "pw".into() });

        let token_file = kubeconfig(
            "current-context: c\nclusters: [{name: k, cluster: {server: 'http://h'}}]\n\
             users: [{name: u, user: {tokenFile: /run/token}}]\n\
             contexts: [{name: c, context: {cluster: k, user: u}}]\n",
        );
        let config = Config::from_kubeconfig(&token_file, None, None).unwrap();
        assert_eq!(config.auth, Auth::BearerFile("/run/token".into()));
    }

    #[test]
    fn broken_references_are_named() {
        let file = kubeconfig(
            "current-context: c\ncontexts: [{name: c, context: {cluster: gone, user: u}}]\n",
        );
        let error = Config::from_kubeconfig(&file, None, None).unwrap_err();
        assert_eq!(error.to_string(), "cluster \"gone\" is not in the kubeconfig");
        let error = Config::from_kubeconfig(&file, Some("nope"), None).unwrap_err();
        assert_eq!(error.to_string(), "context \"nope\" is not in the kubeconfig");
        let empty = Kubeconfig::default();
        assert!(matches!(Config::from_kubeconfig(&empty, None, None), Err(ConfigError::NoServer)));
        let half = kubeconfig(
            "current-context: c\nclusters: [{name: k, cluster: {server: 'https://h'}}]\n\
             users: [{name: u, user: {client-certificate-data: Q0VSVA==}}]\n\
             contexts: [{name: c, context: {cluster: k, user: u}}]\n",
        );
        assert!(matches!(
            Config::from_kubeconfig(&half, None, None),
            Err(ConfigError::HalfClientCertificate)
        ));
    }
}
