//! The rustls client configuration a [`TlsSettings`] asks for: trust the configured CA (or,
//! with `insecure-skip-tls-verify`, anything), and present the client certificate when given.

use crate::config::TlsSettings;
use crate::error::{Error, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::Arc;

/// Builds the TLS client configuration for `settings`.
pub fn client_config(settings: &TlsSettings) -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::Tls(error.to_string()))?;
    let builder = if settings.insecure {
        let verifier =
            AnyServerCertificate { algorithms: provider.signature_verification_algorithms };
        builder.dangerous().with_custom_certificate_verifier(Arc::new(verifier))
    } else {
        let mut roots = RootCertStore::empty();
        if let Some(pem) = &settings.ca_pem {
            for certificate in certificates(pem, "certificate authority")? {
                roots
                    .add(certificate)
                    .map_err(|error| Error::Tls(format!("certificate authority: {error}")))?;
            }
        }
        builder.with_root_certificates(roots)
    };
    let config = match (&settings.client_certificate_pem, &settings.client_key_pem) {
        (Some(chain), Some(key)) => {
            let chain = certificates(chain, "client certificate")?;
            let key = PrivateKeyDer::from_pem_slice(key)
                .map_err(|error| Error::Tls(format!("client key: {error}")))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|error| Error::Tls(format!("client certificate: {error}")))?
        }
        _ => builder.with_no_client_auth(),
    };
    Ok(config)
}

/// The certificates of a PEM bundle; an empty or unreadable bundle is an error naming `what`.
fn certificates(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| Error::Tls(format!("{what}: {error}")))?;
    if certificates.is_empty() {
        return Err(Error::Tls(format!("{what}: no PEM certificate found")));
    }
    Ok(certificates)
}

/// `insecure-skip-tls-verify`: any certificate is accepted, but handshake signatures are still
/// checked so the connection is at least encrypted to whoever holds the key.
#[derive(Debug)]
struct AnyServerCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AnyServerCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, certificate, signature, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, certificate, signature, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_material_is_named() {
        let settings = TlsSettings { ca_pem: Some(b"not pem".to_vec()), ..Default::default() };
        let error = client_config(&settings).unwrap_err();
        assert_eq!(
            error.to_string(),
            "TLS configuration: certificate authority: no PEM certificate found"
        );
        let settings = TlsSettings { insecure: true, ..Default::default() };
        assert!(client_config(&settings).is_ok());
    }
}
