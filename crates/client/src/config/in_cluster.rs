//! The configuration of a client running in a pod: the `kubernetes` service's address from the
//! environment the kubelet sets, and the service account's token, CA and namespace from the
//! files mounted at the standard path (book 2.4.5).

use super::{Auth, Config, ConfigError, DEFAULT_TIMEOUT, TlsSettings, default_user_agent};
use std::path::{Path, PathBuf};

/// The service account token mounted into every pod.
pub const IN_CLUSTER_TOKEN: &str = "/var/run/secrets/kubernetes.io/serviceaccount/token";
/// The cluster's CA bundle, mounted next to the token.
pub const IN_CLUSTER_CA: &str = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
/// The pod's own namespace, mounted next to the token.
pub const IN_CLUSTER_NAMESPACE: &str = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

impl Config {
    /// The in-cluster configuration: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`,
    /// the mounted token (re-read as it rotates), CA and namespace.
    pub fn in_cluster() -> Result<Self, ConfigError> {
        let host = std::env::var("KUBERNETES_SERVICE_HOST").ok().filter(|v| !v.is_empty());
        let port = std::env::var("KUBERNETES_SERVICE_PORT").ok().filter(|v| !v.is_empty());
        let (Some(host), Some(port)) = (host, port) else {
            return Err(ConfigError::NotInCluster);
        };
        in_cluster_at(&host, &port, Path::new(IN_CLUSTER_TOKEN).parent().expect("has a parent"))
    }
}

/// The in-cluster configuration for a service at `host:port` with the service account files in
/// `directory` (split out so tests can use a temporary directory).
fn in_cluster_at(host: &str, port: &str, directory: &Path) -> Result<Config, ConfigError> {
    let read = |name: &str| {
        let path = directory.join(name);
        std::fs::read(&path).map_err(|source| ConfigError::ReadFile { path, source })
    };
    // IPv6 literals need brackets in a URL.
    let host = if host.contains(':') { format!("[{host}]") } else { host.to_string() };
    let token: PathBuf = directory.join("token");
    read("token")?;
    let namespace = read("namespace")
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
        .filter(|namespace| !namespace.is_empty())
        .unwrap_or_else(|| "default".to_string());
    Ok(Config {
        server: format!("https://{host}:{port}"),
        default_namespace: namespace,
        auth: Auth::BearerFile(token),
        tls: TlsSettings { ca_pem: Some(read("ca.crt")?), ..Default::default() },
        timeout: DEFAULT_TIMEOUT,
        user_agent: default_user_agent(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_mounted_service_account() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("token"), "jwt").unwrap();
        std::fs::write(dir.path().join("ca.crt"), "PEM").unwrap();
        std::fs::write(dir.path().join("namespace"), "kube-system\n").unwrap();
        let config = in_cluster_at("10.0.0.1", "443", dir.path()).unwrap();
        assert_eq!(config.server, "https://10.0.0.1:443");
        assert_eq!(config.auth, Auth::BearerFile(dir.path().join("token")));
        assert_eq!(config.tls.ca_pem.as_deref(), Some(&b"PEM"[..]));
        assert_eq!(config.default_namespace, "kube-system");
        let config = in_cluster_at("fd00::1", "443", dir.path()).unwrap();
        assert_eq!(config.server, "https://[fd00::1]:443");
    }

    #[test]
    fn a_missing_token_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let error = in_cluster_at("10.0.0.1", "443", dir.path()).unwrap_err();
        assert!(error.to_string().contains("token"), "{error}");
    }
}
