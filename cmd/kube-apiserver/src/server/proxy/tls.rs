//! TLS client settings for backends. Pods and services are reached without verifying their
//! certificates, as upstream's proxy transport does; kubelets are verified against
//! `--kubelet-certificate-authority` when it is given, and otherwise not at all, as the v1.0
//! apiserver did with the kubelet's self-signed certificate.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why the kubelet client's TLS settings could not be built from the flags.
#[derive(Debug, thiserror::Error)]
pub enum ClientTlsError {
    #[error("reading {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{0}")]
    Config(#[from] rustls::Error),
}

/// Files that shape the kubelet client's TLS.
#[derive(Clone, Debug, Default)]
pub struct ClientTlsFiles<'a> {
    /// Verify the server against these CAs; `None` skips verification.
    pub certificate_authority: Option<&'a Path>,
    /// A client certificate and its key to present.
    pub client_certificate: Option<(&'a Path, &'a Path)>,
}

/// A client configuration that speaks HTTP/1.1 (the proxy's backend protocol, and the only one
/// that carries upgrades) and accepts any server certificate.
pub fn unverified() -> Arc<ClientConfig> {
    build(&ClientTlsFiles::default()).expect("a configuration without files cannot fail")
}

/// A client configuration from the given files.
pub fn build(files: &ClientTlsFiles<'_>) -> Result<Arc<ClientConfig>, ClientTlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()?;
    let builder = match files.certificate_authority {
        Some(path) => {
            let mut roots = RootCertStore::empty();
            let (added, _) = roots.add_parsable_certificates(read_certificates(path)?);
            if added == 0 {
                return Err(read_error(path, "no usable CA certificate found"));
            }
            builder.with_root_certificates(roots)
        }
        None => {
            builder.dangerous().with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
        }
    };
    let mut config = match files.client_certificate {
        Some((certificate, key)) => {
            let key = PrivateKeyDer::from_pem_file(key).map_err(|error| read_error(key, error))?;
            builder.with_client_auth_cert(read_certificates(certificate)?, key)?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read_error(path: &Path, error: impl std::fmt::Display) -> ClientTlsError {
    ClientTlsError::Read { path: path.to_path_buf(), message: error.to_string() }
}

fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, ClientTlsError> {
    CertificateDer::pem_file_iter(path)
        .map_err(|error| read_error(path, error))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| read_error(path, error))
}

/// Accepts whatever certificate the server shows, while still checking that the handshake was
/// signed by its key (so the session is at least bound to that certificate).
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
