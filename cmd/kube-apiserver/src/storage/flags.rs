//! The apiserver's storage flags and the choice of backend they make: `etcd3` when
//! `--etcd-servers` is given, `embedded` otherwise, and `--storage-backend` to say it explicitly.

use super::embedded::{EmbeddedOptions, EmbeddedStorage, SyncMode};
use super::etcd3::{Etcd3Config, Etcd3Storage};
use super::keys::DEFAULT_PREFIX;
use super::{Storage, StorageError};
use std::path::PathBuf;
use std::sync::Arc;

/// `--storage-backend`: which store holds the cluster's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BackendKind {
    /// A real etcd cluster (`--etcd-servers`), as upstream.
    Etcd3,
    /// A local SQLite database under `--data-dir`, for single-machine clusters without etcd.
    Embedded,
}

/// The storage flags of kube-apiserver, with upstream's names where upstream has the flag.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct StorageFlags {
    /// The storage backend; by default `etcd3` if --etcd-servers is set, else `embedded`.
    #[arg(long, value_enum)]
    pub storage_backend: Option<BackendKind>,
    /// etcd members to connect to, comma separated (`http://127.0.0.1:2379`).
    #[arg(long, value_delimiter = ',')]
    pub etcd_servers: Vec<String>,
    /// The prefix of every key in etcd (and in the embedded store).
    #[arg(long, default_value = DEFAULT_PREFIX)]
    pub etcd_prefix: String,
    /// CA bundle that signs the etcd members' certificates (needed for https:// servers).
    #[arg(long)]
    pub etcd_cafile: Option<PathBuf>,
    /// Client certificate presented to etcd.
    #[arg(long)]
    pub etcd_certfile: Option<PathBuf>,
    /// Private key of --etcd-certfile.
    #[arg(long)]
    pub etcd_keyfile: Option<PathBuf>,
    /// Directory of the embedded store's database.
    #[arg(long, default_value = "/var/lib/kube-apiserver")]
    pub data_dir: PathBuf,
    /// Fsync every embedded commit (survives power loss); `false` only survives the process dying.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub embedded_fsync: bool,
    /// How often the store's history is compacted (etcd's, or the embedded store's); `0`
    /// disables compaction.
    #[arg(long, default_value = "5m", value_parser = crate::options::parse_go_duration)]
    pub etcd_compaction_interval: std::time::Duration,
}

impl StorageFlags {
    /// The backend these flags select, or why they contradict each other.
    pub fn backend(&self) -> Result<BackendKind, StorageError> {
        let invalid = |why: &str| StorageError::Internal(format!("invalid storage flags: {why}"));
        match (self.storage_backend, self.etcd_servers.is_empty()) {
            (Some(BackendKind::Etcd3), true) => {
                Err(invalid("--storage-backend=etcd3 needs --etcd-servers"))
            }
            (Some(BackendKind::Embedded), false) => {
                Err(invalid("--etcd-servers is set but --storage-backend=embedded ignores it"))
            }
            (Some(kind), _) => Ok(kind),
            (None, true) => Ok(BackendKind::Embedded),
            (None, false) => Ok(BackendKind::Etcd3),
        }
    }

    /// Opens the selected backend: connects to etcd (failing if no member answers) or opens the
    /// embedded database (creating it on first use).
    pub async fn open(&self) -> Result<Arc<dyn Storage>, StorageError> {
        match self.backend()? {
            BackendKind::Etcd3 => {
                let config = Etcd3Config {
                    prefix: self.etcd_prefix.clone(),
                    ca_file: self.etcd_cafile.clone(),
                    cert_file: self.etcd_certfile.clone(),
                    key_file: self.etcd_keyfile.clone(),
                    compaction_interval: Some(self.etcd_compaction_interval)
                        .filter(|interval| !interval.is_zero()),
                    ..Etcd3Config::new(self.etcd_servers.iter().cloned())
                };
                Ok(Arc::new(Etcd3Storage::connect(config).await?))
            }
            BackendKind::Embedded => {
                let sync_mode = if self.embedded_fsync { SyncMode::Full } else { SyncMode::Normal };
                let compaction_interval =
                    Some(self.etcd_compaction_interval).filter(|interval| !interval.is_zero());
                let options = EmbeddedOptions {
                    sync_mode,
                    compaction_interval,
                    ..EmbeddedOptions::default()
                };
                Ok(Arc::new(EmbeddedStorage::open(&self.data_dir, options).await?))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        storage: StorageFlags,
    }

    fn parse(args: &[&str]) -> StorageFlags {
        Command::try_parse_from(std::iter::once("kube-apiserver").chain(args.iter().copied()))
            .expect("flags parse")
            .storage
    }

    #[test]
    fn etcd_servers_select_etcd3_and_their_absence_embedded() {
        assert_eq!(parse(&[]).backend(), Ok(BackendKind::Embedded));
        let flags = parse(&["--etcd-servers=http://127.0.0.1:2379,http://127.0.0.1:22379"]);
        assert_eq!(flags.etcd_servers.len(), 2);
        assert_eq!(flags.backend(), Ok(BackendKind::Etcd3));
        assert_eq!(flags.etcd_prefix, "/registry");
    }

    #[test]
    fn an_explicit_backend_must_agree_with_the_other_flags() {
        assert_eq!(parse(&["--storage-backend=embedded"]).backend(), Ok(BackendKind::Embedded));
        assert!(parse(&["--storage-backend=etcd3"]).backend().is_err());
        let both = parse(&["--storage-backend=embedded", "--etcd-servers=http://127.0.0.1:2379"]);
        assert!(both.backend().is_err());
    }

    #[tokio::test]
    async fn embedded_opens_under_the_data_dir() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("db");
        let flags =
            parse(&[&format!("--data-dir={}", data_dir.display()), "--embedded-fsync=false"]);
        let store = flags.open().await.expect("embedded store opens");
        let revision = store.create("/registry/namespaces/default", b"{}".to_vec()).await.unwrap();
        assert_eq!(store.current_revision().await.unwrap(), revision);
        assert!(data_dir.exists());
    }

    #[tokio::test]
    async fn etcd3_without_a_reachable_member_fails_instead_of_hanging() {
        let flags = parse(&["--etcd-servers=http://127.0.0.1:1"]);
        let opened = tokio::time::timeout(std::time::Duration::from_secs(60), flags.open()).await;
        assert!(matches!(opened, Ok(Err(StorageError::Unavailable(_)))), "{:?}", opened.err());
    }
}
