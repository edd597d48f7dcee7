//! The secure port's TLS: the certificate from `--tls-cert-file`/`--tls-private-key-file`, or, as
//! upstream does when none is given, a self-signed one kept in `--cert-dir` (`apiserver.crt`,
//! `apiserver.key`) and generated on first start, valid for this host, `localhost`, the loopback
//! addresses, the `kubernetes` service's names and its cluster IP.

use crate::options::ServingOptions;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// File names of the generated pair in `--cert-dir`, as upstream names them.
const CERT_FILE: &str = "apiserver.crt";
const KEY_FILE: &str = "apiserver.key";

/// How long a generated certificate is valid, as upstream's self-signed certificates: one year.
const VALIDITY_DAYS: i64 = 365;

/// The DNS names of the in-cluster `kubernetes` service, which clients in pods connect to.
const SERVICE_DNS_NAMES: [&str; 4] = [
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
];

/// Why the secure port has no usable certificate.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("reading {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("writing {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("generating a self-signed certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("the certificate and key are not usable: {0}")]
    Config(#[from] rustls::Error),
}

/// Where the serving certificate comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateSource {
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
    /// Whether the files are generated (in `--cert-dir`) when missing.
    pub generate: bool,
}

impl CertificateSource {
    /// The files the flags name: the given pair, else the pair in `--cert-dir`.
    pub fn from_options(serving: &ServingOptions) -> Self {
        match (&serving.tls_cert_file, &serving.tls_private_key_file) {
            (Some(cert_file), Some(key_file)) => CertificateSource {
                cert_file: cert_file.clone(),
                key_file: key_file.clone(),
                generate: false,
            },
            _ => CertificateSource {
                cert_file: serving.cert_dir.join(CERT_FILE),
                key_file: serving.cert_dir.join(KEY_FILE),
                generate: true,
            },
        }
    }
}

/// The names a generated certificate covers besides the fixed ones: the host name, the address
/// clients are told to use, and the `kubernetes` service's cluster IP.
#[derive(Clone, Debug, Default)]
pub struct ServingNames {
    pub host_name: Option<String>,
    pub addresses: Vec<IpAddr>,
}

/// The TLS configuration of the secure port, generating the self-signed pair first if needed.
/// ALPN offers HTTP/2 and HTTP/1.1, as upstream's server does.
pub fn server_config(
    source: &CertificateSource,
    names: &ServingNames,
) -> Result<Arc<ServerConfig>, TlsError> {
    if source.generate && !(source.cert_file.exists() && source.key_file.exists()) {
        write_self_signed(source, names)?;
        tracing::info!(cert = %source.cert_file.display(), "generated a self-signed serving certificate");
    }
    let certificates = read_certificates(&source.cert_file)?;
    let key = PrivateKeyDer::from_pem_file(&source.key_file)
        .map_err(|error| read_error(&source.key_file, error))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certificates, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read_error(path: &Path, error: impl std::fmt::Display) -> TlsError {
    TlsError::Read { path: path.to_path_buf(), message: error.to_string() }
}

/// Every certificate in a PEM file, leaf first; at least one.
fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certificates = CertificateDer::pem_file_iter(path)
        .map_err(|error| read_error(path, error))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| read_error(path, error))?;
    if certificates.is_empty() {
        return Err(read_error(path, "no PEM certificate found"));
    }
    Ok(certificates)
}

/// Generates a CA and a serving certificate it signs, and writes the serving certificate
/// followed by the CA to the certificate file and the serving key (mode 0600) to the key file,
/// the layout upstream's self-signed pair has.
fn write_self_signed(source: &CertificateSource, names: &ServingNames) -> Result<(), TlsError> {
    let host = names.host_name.clone().unwrap_or_else(|| "localhost".to_string());
    let now = chrono::Utc::now();
    let not_before = now - chrono::Duration::days(1);
    let not_after = now + chrono::Duration::days(VALIDITY_DAYS);
    let validity = |params: &mut CertificateParams| {
        use chrono::Datelike;
        params.not_before = rcgen::date_time_ymd(
            not_before.year(),
            not_before.month() as u8,
            not_before.day() as u8,
        );
        params.not_after =
            rcgen::date_time_ymd(not_after.year(), not_after.month() as u8, not_after.day() as u8);
    };

    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::default();
    ca_params.distinguished_name = common_name(&format!("{host}-ca@{}", now.timestamp()));
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::CrlSign,
    ];
    validity(&mut ca_params);
    let ca_certificate = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate()?;
    let mut params = CertificateParams::default();
    params.distinguished_name = common_name(&format!("{host}@{}", now.timestamp()));
    params.subject_alt_names = subject_alt_names(names)?;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    validity(&mut params);
    let certificate = params.signed_by(&key, &issuer)?;

    if let Some(directory) = source.cert_file.parent() {
        std::fs::create_dir_all(directory)
            .map_err(|source| TlsError::Write { path: directory.to_path_buf(), source })?;
    }
    let chain = format!("{}{}", certificate.pem(), ca_certificate.pem());
    write_file(&source.cert_file, chain.as_bytes(), 0o644)?;
    write_file(&source.key_file, key.serialize_pem().as_bytes(), 0o600)
}

fn common_name(name: &str) -> DistinguishedName {
    let mut distinguished_name = DistinguishedName::new();
    distinguished_name.push(DnType::CommonName, name);
    distinguished_name
}

/// The serving certificate's names: the host name, `localhost`, the service's DNS names, the
/// loopback addresses and the given addresses (unspecified ones skipped), without repeats.
fn subject_alt_names(names: &ServingNames) -> Result<Vec<SanType>, rcgen::Error> {
    let mut dns_names: Vec<String> = Vec::new();
    let host_name = names.host_name.iter().filter(|name| name.parse::<IpAddr>().is_err());
    for name in host_name.map(String::as_str).chain(["localhost"]).chain(SERVICE_DNS_NAMES) {
        if !dns_names.iter().any(|known| known == name) {
            dns_names.push(name.to_string());
        }
    }
    let mut addresses: Vec<IpAddr> =
        vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)];
    let host_address = names.host_name.iter().filter_map(|name| name.parse::<IpAddr>().ok());
    for address in names.addresses.iter().copied().chain(host_address) {
        if !address.is_unspecified() && !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    let mut sans = Vec::new();
    for name in dns_names {
        sans.push(SanType::DnsName(name.try_into()?));
    }
    sans.extend(addresses.into_iter().map(SanType::IpAddress));
    Ok(sans)
}

/// Writes a file with the given Unix permissions (set before any content is written).
fn write_file(path: &Path, contents: &[u8], mode: u32) -> Result<(), TlsError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(path)?;
        file.write_all(contents)?;
        file.sync_all()
    };
    write().map_err(|source| TlsError::Write { path: path.to_path_buf(), source })
}

/// This machine's host name, for the generated certificate; `None` when it cannot be read.
pub fn host_name() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()?;
    let name = name.trim().to_ascii_lowercase();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn generated_source(directory: &Path) -> CertificateSource {
        CertificateSource {
            cert_file: directory.join(CERT_FILE),
            key_file: directory.join(KEY_FILE),
            generate: true,
        }
    }

    #[test]
    fn a_self_signed_pair_is_generated_once_and_reused() {
        let directory = tempfile::tempdir().unwrap();
        let source = generated_source(&directory.path().join("certs"));
        let names = ServingNames {
            host_name: Some("master-1".into()),
            addresses: vec!["10.0.0.1".parse().unwrap(), "0.0.0.0".parse().unwrap()],
        };
        let config = server_config(&source, &names).unwrap();
        assert_eq!(config.alpn_protocols, [b"h2".to_vec(), b"http/1.1".to_vec()]);

        let chain = read_certificates(&source.cert_file).unwrap();
        assert_eq!(chain.len(), 2, "serving certificate followed by its CA");
        let mode = std::fs::metadata(&source.key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);

        let first = std::fs::read(&source.cert_file).unwrap();
        server_config(&source, &names).unwrap();
        assert_eq!(std::fs::read(&source.cert_file).unwrap(), first, "an existing pair is kept");
    }

    #[test]
    fn names_cover_the_host_loopback_and_service() {
        let names = ServingNames {
            host_name: Some("master-1".into()),
            addresses: vec!["10.0.0.1".parse().unwrap(), "0.0.0.0".parse().unwrap()],
        };
        let sans = subject_alt_names(&names).unwrap();
        let dns: Vec<String> = sans
            .iter()
            .filter_map(|san| match san {
                SanType::DnsName(name) => Some(name.as_str().to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(dns[..2], ["master-1".to_string(), "localhost".to_string()]);
        assert!(dns.contains(&"kubernetes.default.svc".to_string()));
        let ips: Vec<String> = sans
            .iter()
            .filter_map(|san| match san {
                SanType::IpAddress(address) => Some(address.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(ips, ["127.0.0.1", "::1", "10.0.0.1"]);
    }

    #[test]
    fn given_files_must_exist() {
        let directory = tempfile::tempdir().unwrap();
        let source = CertificateSource {
            cert_file: directory.path().join("missing.crt"),
            key_file: directory.path().join("missing.key"),
            generate: false,
        };
        let error = server_config(&source, &ServingNames::default()).unwrap_err();
        assert!(error.to_string().contains("missing.crt"), "{error}");
    }

    #[test]
    fn given_files_are_used_as_they_are() {
        let directory = tempfile::tempdir().unwrap();
        let generated = generated_source(directory.path());
        server_config(&generated, &ServingNames::default()).unwrap();
        let given = CertificateSource { generate: false, ..generated };
        assert!(server_config(&given, &ServingNames::default()).is_ok());
        std::fs::write(&given.key_file, "not a key").unwrap();
        assert!(server_config(&given, &ServingNames::default()).is_err());
    }
}
