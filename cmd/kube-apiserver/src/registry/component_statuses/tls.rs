//! The TLS client configuration of probes of `https` etcd members: the CA of `--etcd-cafile`,
//! and the client certificate of `--etcd-certfile`/`--etcd-keyfile` when given, as the storage
//! client itself uses them.

use crate::storage::StorageFlags;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::Path;
use std::sync::Arc;

/// The configuration, or `None` when no member is reached over `https`.
pub fn etcd_client_config(
    flags: &StorageFlags,
) -> Result<Option<Arc<rustls::ClientConfig>>, String> {
    if !flags.etcd_servers.iter().any(|server| server.starts_with("https://")) {
        return Ok(None);
    }
    let mut roots = rustls::RootCertStore::empty();
    if let Some(ca_file) = &flags.etcd_cafile {
        for certificate in certificates(ca_file)? {
            roots.add(certificate).map_err(|error| format!("{}: {error}", ca_file.display()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .with_root_certificates(roots);
    let config = match (&flags.etcd_certfile, &flags.etcd_keyfile) {
        (Some(cert_file), Some(key_file)) => {
            let key = PrivateKeyDer::from_pem_file(key_file)
                .map_err(|error| format!("{}: {error}", key_file.display()))?;
            builder
                .with_client_auth_cert(certificates(cert_file)?, key)
                .map_err(|error| error.to_string())?
        }
        _ => builder.with_no_client_auth(),
    };
    Ok(Some(Arc::new(config)))
}

fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    CertificateDer::pem_file_iter(path)
        .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
        .map_err(|error| format!("{}: {error}", path.display()))
}
