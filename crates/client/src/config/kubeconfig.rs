//! The kubeconfig file (`~/.kube/config`, `$KUBECONFIG`, `--kubeconfig`): its wire shape, and
//! the loading rules every Kubernetes client shares (several files merged, the first to name a
//! cluster, user or context wins, relative paths resolved against the file that holds them).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Why a kubeconfig could not be read.
#[derive(Debug, thiserror::Error)]
pub enum KubeconfigError {
    #[error("reading {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("parsing {path}: {source}")]
    Parse { path: PathBuf, source: serde_yaml_ng::Error },
}

/// A kubeconfig document, as `kubectl config view` prints it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Kubeconfig {
    #[serde(default, skip_serializing_if = "String::is_empty", rename = "apiVersion")]
    pub api_version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub clusters: Vec<NamedCluster>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub users: Vec<NamedUser>,
    #[serde(default, deserialize_with = "nullable_vec")]
    pub contexts: Vec<NamedContext>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub current_context: String,
}

/// A cluster entry: where the apiserver is and how to trust it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NamedCluster {
    pub name: String,
    #[serde(default)]
    pub cluster: Cluster,
}

/// How to reach and trust one apiserver.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Cluster {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub server: String,
    /// The name to verify the server's certificate against, when it differs from the URL's host.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tls_server_name: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_skip_tls_verify: bool,
    /// A PEM file of CA certificates.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub certificate_authority: String,
    /// The same, inline (base64 of the PEM).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub certificate_authority_data: String,
}

/// A user entry: the credentials to present.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NamedUser {
    pub name: String,
    #[serde(default)]
    pub user: User,
}

/// Credentials: a client certificate, a bearer token (inline or in a file), or basic auth.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct User {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub client_certificate: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub client_certificate_data: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub client_key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub client_key_data: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub token: String,
    /// Upstream spells this one key in camel case.
    #[serde(default, skip_serializing_if = "String::is_empty", rename = "tokenFile")]
    pub token_file: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub username: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub password: String,
}

/// A context entry: which cluster, which user, which default namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NamedContext {
    pub name: String,
    #[serde(default)]
    pub context: Context,
}

/// One (cluster, user, namespace) choice.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Context {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cluster: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

/// `clusters: null` (as some tools write) reads as no entries.
fn nullable_vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

impl Kubeconfig {
    /// Reads one file, resolving its relative file references against the file's directory.
    pub fn read(path: &Path) -> Result<Self, KubeconfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| KubeconfigError::Read { path: path.to_path_buf(), source })?;
        let mut config = Self::parse(&text)
            .map_err(|source| KubeconfigError::Parse { path: path.to_path_buf(), source })?;
        if let Some(directory) = path.parent() {
            config.resolve_paths(directory);
        }
        Ok(config)
    }

    /// Parses kubeconfig YAML (or JSON); an empty document is an empty config.
    pub fn parse(text: &str) -> Result<Self, serde_yaml_ng::Error> {
        if text.trim().is_empty() {
            return Ok(Kubeconfig::default());
        }
        serde_yaml_ng::from_str(text)
    }

    /// Reads and merges several files in order (the `KUBECONFIG` list); missing files are
    /// skipped, as upstream skips them in that list.
    pub fn read_merged(paths: &[PathBuf]) -> Result<Self, KubeconfigError> {
        let mut merged = Kubeconfig::default();
        for path in paths {
            if !path.exists() {
                continue;
            }
            merged.merge(Self::read(path)?);
        }
        Ok(merged)
    }

    /// Folds a later file into this one: entries this config already names and a current context
    /// it already has are kept (the first file wins), everything else is added.
    pub fn merge(&mut self, later: Kubeconfig) {
        fn add<T>(mine: &mut Vec<T>, theirs: Vec<T>, name: fn(&T) -> &str) {
            for entry in theirs {
                if !mine.iter().any(|existing| name(existing) == name(&entry)) {
                    mine.push(entry);
                }
            }
        }
        add(&mut self.clusters, later.clusters, |entry| &entry.name);
        add(&mut self.users, later.users, |entry| &entry.name);
        add(&mut self.contexts, later.contexts, |entry| &entry.name);
        if self.current_context.is_empty() {
            self.current_context = later.current_context;
        }
        if self.api_version.is_empty() {
            self.api_version = later.api_version;
        }
        if self.kind.is_empty() {
            self.kind = later.kind;
        }
    }

    /// Makes relative certificate, key and token file names absolute under `directory`.
    fn resolve_paths(&mut self, directory: &Path) {
        let resolve = |file: &mut String| {
            if !file.is_empty() && Path::new(file.as_str()).is_relative() {
                *file = directory.join(&*file).to_string_lossy().into_owned();
            }
        };
        for cluster in &mut self.clusters {
            resolve(&mut cluster.cluster.certificate_authority);
        }
        for user in &mut self.users {
            resolve(&mut user.user.client_certificate);
            resolve(&mut user.user.client_key);
            resolve(&mut user.user.token_file);
        }
    }

    /// The context named `name`.
    pub fn context(&self, name: &str) -> Option<&Context> {
        self.contexts.iter().find(|entry| entry.name == name).map(|entry| &entry.context)
    }

    /// The cluster named `name`.
    pub fn cluster(&self, name: &str) -> Option<&Cluster> {
        self.clusters.iter().find(|entry| entry.name == name).map(|entry| &entry.cluster)
    }

    /// The user named `name`.
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|entry| entry.name == name).map(|entry| &entry.user)
    }
}

/// The files the default loading rules read: each entry of `$KUBECONFIG` (colon-separated), or
/// `~/.kube/config` when it is unset or empty.
pub fn default_paths() -> Vec<PathBuf> {
    match std::env::var_os("KUBECONFIG") {
        Some(list) if !list.is_empty() => {
            std::env::split_paths(&list).filter(|path| !path.as_os_str().is_empty()).collect()
        }
        _ => home_config().into_iter().collect(),
    }
}

/// `~/.kube/config`.
fn home_config() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".kube").join("config"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST: &str = r#"
apiVersion: v1
kind: Config
current-context: local
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: ca.crt
contexts:
- name: local
  context: {cluster: local, user: admin, namespace: team-a}
users:
- name: admin
  user:
    client-certificate: certs/admin.crt
    client-key: /abs/admin.key
"#;

    const SECOND: &str = r#"
current-context: other
clusters:
- name: local
  cluster: {server: "http://ignored:8080"}
- name: remote
  cluster: {server: "https://10.0.0.1", insecure-skip-tls-verify: true}
contexts:
- name: other
  context: {cluster: remote, user: token-user}
users:
- name: token-user
  user: {token: abc, tokenFile: tok}
"#;

    #[test]
    fn parses_upstream_keys() {
        let config = Kubeconfig::parse(FIRST).unwrap();
        assert_eq!(config.current_context, "local");
        let cluster = config.cluster("local").unwrap();
        assert_eq!(cluster.server, "https://127.0.0.1:6443");
        assert_eq!(cluster.certificate_authority, "ca.crt");
        let context = config.context("local").unwrap();
        assert_eq!((context.cluster.as_str(), context.namespace.as_str()), ("local", "team-a"));
        let second = Kubeconfig::parse(SECOND).unwrap();
        assert!(second.cluster("remote").unwrap().insecure_skip_tls_verify);
        assert_eq!(second.user("token-user").unwrap().token_file, "tok");
        assert_eq!(Kubeconfig::parse("  \n").unwrap(), Kubeconfig::default());
        assert!(Kubeconfig::parse("clusters: null\n").unwrap().clusters.is_empty());
    }

    #[test]
    fn merging_keeps_the_first_files_entries_and_context() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first");
        let second = dir.path().join("nested").join("second");
        std::fs::create_dir_all(second.parent().unwrap()).unwrap();
        std::fs::write(&first, FIRST).unwrap();
        std::fs::write(&second, SECOND).unwrap();
        let missing = dir.path().join("missing");

        let merged = Kubeconfig::read_merged(&[first, missing, second]).unwrap();
        assert_eq!(merged.current_context, "local");
        assert_eq!(merged.cluster("local").unwrap().server, "https://127.0.0.1:6443");
        assert_eq!(merged.cluster("remote").unwrap().server, "https://10.0.0.1");
        assert_eq!(merged.clusters.len(), 2);
        // Relative names resolve against the directory of the file that holds them.
        let ca = &merged.cluster("local").unwrap().certificate_authority;
        assert_eq!(Path::new(ca), dir.path().join("ca.crt"));
        let admin = merged.user("admin").unwrap();
        assert_eq!(Path::new(&admin.client_certificate), dir.path().join("certs/admin.crt"));
        assert_eq!(admin.client_key, "/abs/admin.key");
        let token_file = &merged.user("token-user").unwrap().token_file;
        assert_eq!(Path::new(token_file), dir.path().join("nested").join("tok"));
    }

    #[test]
    fn a_broken_file_names_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad");
        std::fs::write(&path, "clusters: {not: a list}").unwrap();
        let error = Kubeconfig::read(&path).unwrap_err();
        assert!(error.to_string().starts_with(&format!("parsing {}", path.display())), "{error}");
    }
}
