//! Signing service account tokens: the legacy (secret-based) JWTs upstream's token controller
//! puts in `kubernetes.io/service-account-token` secrets, signed with the key of
//! `--service-account-private-key-file`: RS256 for an RSA key, ES256/ES384 for a P-256/P-384
//! key. The PEM may hold PKCS#1 (`RSA PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`) or PKCS#8
//! (`PRIVATE KEY`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest::{SHA256, digest};
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair,
    EcdsaSigningAlgorithm, KeyPair, RSA_PKCS1_SHA256, RsaKeyPair,
};
use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject;
use serde::Serialize;
use std::path::Path;

/// The issuer of legacy service account tokens.
pub const LEGACY_ISSUER: &str = "kubernetes/serviceaccount";

/// Why a signing key could not be loaded or used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("reading {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("no private key in PEM: {0}")]
    Pem(String),
    #[error("unsupported or malformed private key: {0}")]
    Rejected(String),
    #[error("signing failed")]
    Signing,
}

/// The claims of a legacy token (upstream's `LegacyClaims`): who the token speaks for and which
/// secret holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct LegacyClaims {
    pub iss: String,
    pub sub: String,
    #[serde(rename = "kubernetes.io/serviceaccount/namespace")]
    pub namespace: String,
    #[serde(rename = "kubernetes.io/serviceaccount/secret.name")]
    pub secret_name: String,
    #[serde(rename = "kubernetes.io/serviceaccount/service-account.name")]
    pub service_account_name: String,
    #[serde(rename = "kubernetes.io/serviceaccount/service-account.uid")]
    pub service_account_uid: String,
}

impl LegacyClaims {
    /// The claims for the token of account `name` (uid `uid`) in `namespace`, kept in secret
    /// `secret_name`.
    pub fn new(namespace: &str, name: &str, uid: &str, secret_name: &str) -> Self {
        LegacyClaims {
            iss: LEGACY_ISSUER.to_string(),
            sub: format!("system:serviceaccount:{namespace}:{name}"),
            namespace: namespace.to_string(),
            secret_name: secret_name.to_string(),
            service_account_name: name.to_string(),
            service_account_uid: uid.to_string(),
        }
    }
}

/// The key behind one signing algorithm.
enum Key {
    Rsa(RsaKeyPair),
    Ecdsa(EcdsaKeyPair, &'static Curve),
}

impl Key {
    /// The DER SubjectPublicKeyInfo of the public half (what Go's `MarshalPKIXPublicKey`
    /// writes).
    fn public_key_info(&self) -> Vec<u8> {
        const RSA_ENCRYPTION: &[u8] =
            &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
        let (algorithm, key) = match self {
            Key::Rsa(key) => (RSA_ENCRYPTION.to_vec(), key.public().as_ref()),
            Key::Ecdsa(key, curve) => {
                ([EC_PUBLIC_KEY_OID, curve.oid].concat(), key.public_key().as_ref())
            }
        };
        let bits = der_tlv(0x03, &[&[0x00], key].concat());
        der_tlv(0x30, &[der_tlv(0x30, &algorithm), bits].concat())
    }
}

/// A private key that signs compact JWS tokens.
pub struct TokenSigner {
    key: Key,
    key_id: String,
    rng: SystemRandom,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner").field("algorithm", &self.algorithm()).finish()
    }
}

impl TokenSigner {
    /// Loads the key in the PEM file at `path`.
    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let pem = std::fs::read(path)
            .map_err(|source| KeyError::Read { path: path.display().to_string(), source })?;
        Self::from_pem(&pem)
    }

    /// Loads the first private key in `pem`.
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        let der =
            PrivateKeyDer::from_pem_slice(pem).map_err(|error| KeyError::Pem(error.to_string()))?;
        let rng = SystemRandom::new();
        let rejected = |error: ring::error::KeyRejected| KeyError::Rejected(error.to_string());
        let key = match &der {
            PrivateKeyDer::Pkcs1(key) => {
                Key::Rsa(RsaKeyPair::from_der(key.secret_pkcs1_der()).map_err(rejected)?)
            }
            PrivateKeyDer::Pkcs8(key) => {
                let der = key.secret_pkcs8_der();
                match RsaKeyPair::from_pkcs8(der) {
                    Ok(key) => Key::Rsa(key),
                    Err(_) => ecdsa_from_pkcs8(der, &rng)?,
                }
            }
            PrivateKeyDer::Sec1(key) => ecdsa_from_sec1(key.secret_sec1_der(), &rng)?,
            _ => return Err(KeyError::Rejected("unknown key format".into())),
        };
        // Upstream's key id: the unpadded base64url SHA-256 of the public key's DER.
        let key_id = URL_SAFE_NO_PAD.encode(digest(&SHA256, &key.public_key_info()));
        Ok(TokenSigner { key, key_id, rng })
    }

    /// The JWS `alg` this key signs with.
    pub fn algorithm(&self) -> &'static str {
        match &self.key {
            Key::Rsa(_) => "RS256",
            Key::Ecdsa(_, curve) => curve.algorithm,
        }
    }

    /// The `kid` put in every token's header, by which verifiers holding several public keys
    /// pick the right one.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// `claims` as a compact JWS: `header.payload.signature`, each base64url without padding.
    pub fn sign<C: Serialize>(&self, claims: &C) -> Result<String, KeyError> {
        let header =
            serde_json::to_vec(&serde_json::json!({"alg": self.algorithm(), "kid": self.key_id}))
                .map_err(|_| KeyError::Signing)?;
        let payload = serde_json::to_vec(claims).map_err(|_| KeyError::Signing)?;
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(payload));
        let signature = match &self.key {
            Key::Rsa(key) => {
                let mut signature = vec![0; key.public().modulus_len()];
                key.sign(&RSA_PKCS1_SHA256, &self.rng, signing_input.as_bytes(), &mut signature)
                    .map_err(|_| KeyError::Signing)?;
                signature
            }
            Key::Ecdsa(key, _) => key
                .sign(&self.rng, signing_input.as_bytes())
                .map_err(|_| KeyError::Signing)?
                .as_ref()
                .to_vec(),
        };
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

/// A curve ring signs on: its signing algorithm, JWS name and DER object identifier (full TLV).
struct Curve {
    signing: &'static EcdsaSigningAlgorithm,
    algorithm: &'static str,
    oid: &'static [u8],
}

/// The supported curves, P-256 and P-384.
static CURVES: [Curve; 2] = [
    Curve {
        signing: &ECDSA_P256_SHA256_FIXED_SIGNING,
        algorithm: "ES256",
        oid: &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
    },
    Curve {
        signing: &ECDSA_P384_SHA384_FIXED_SIGNING,
        algorithm: "ES384",
        oid: &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],
    },
];

/// The object identifier (full TLV) of EC public keys.
const EC_PUBLIC_KEY_OID: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

/// An EC key from PKCS#8, whichever supported curve it is on.
fn ecdsa_from_pkcs8(der: &[u8], rng: &SystemRandom) -> Result<Key, KeyError> {
    for curve in &CURVES {
        if let Ok(key) = EcdsaKeyPair::from_pkcs8(curve.signing, der, rng) {
            return Ok(Key::Ecdsa(key, curve));
        }
    }
    Err(KeyError::Rejected("neither an RSA key nor an EC key on P-256 or P-384".into()))
}

/// An EC key from SEC1 (`EC PRIVATE KEY`): ring reads EC keys only inside PKCS#8, so the SEC1
/// structure is wrapped in a PKCS#8 envelope naming each supported curve in turn (ring refuses
/// the envelope when the key names another curve).
fn ecdsa_from_sec1(sec1: &[u8], rng: &SystemRandom) -> Result<Key, KeyError> {
    for curve in &CURVES {
        let algorithm_id = der_tlv(0x30, &[EC_PUBLIC_KEY_OID, curve.oid].concat());
        let version = [0x02, 0x01, 0x00];
        let body = [&version[..], &algorithm_id, &der_tlv(0x04, sec1)].concat();
        if let Ok(key) = EcdsaKeyPair::from_pkcs8(curve.signing, &der_tlv(0x30, &body), rng) {
            return Ok(Key::Ecdsa(key, curve));
        }
    }
    Err(KeyError::Rejected("an EC key on a curve other than P-256 or P-384".into()))
}

/// One DER tag-length-value.
fn der_tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let length = value.len();
    if length < 0x80 {
        out.push(length as u8);
    } else {
        let bytes: Vec<u8> =
            length.to_be_bytes().into_iter().skip_while(|byte| *byte == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{
        ECDSA_P256_SHA256_FIXED, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey,
        VerificationAlgorithm,
    };
    use std::process::Command;

    /// Checks `token`'s signature with `public_key` and returns its header and claims.
    fn verify(
        token: &str,
        algorithm: &'static dyn VerificationAlgorithm,
        public_key: &[u8],
    ) -> (serde_json::Value, LegacyClaims) {
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
        UnparsedPublicKey::new(algorithm, public_key)
            .verify(signing_input.as_bytes(), &signature)
            .expect("signature verifies");
        let (header, payload) = signing_input.split_once('.').unwrap();
        let header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
        let claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        (header, claims)
    }

    /// Runs `openssl` with `args` in `directory` (RSA keys cannot be generated with ring).
    fn openssl(directory: &Path, args: &[&str]) {
        let output = Command::new("openssl")
            .args(args)
            .current_dir(directory)
            .output()
            .expect("these tests need the openssl command");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "openssl {args:?}: {stderr}");
    }

    /// The key id of a public key, from the DER openssl wrote for it.
    fn key_id(spki: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(digest(&SHA256, spki))
    }

    fn claims() -> LegacyClaims {
        LegacyClaims::new("ci", "builder", "uid-1", "builder-token-x7k2p")
    }

    #[test]
    fn the_legacy_claims_are_upstreams() {
        let value = serde_json::to_value(claims()).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "iss": "kubernetes/serviceaccount",
                "sub": "system:serviceaccount:ci:builder",
                "kubernetes.io/serviceaccount/namespace": "ci",
                "kubernetes.io/serviceaccount/secret.name": "builder-token-x7k2p",
                "kubernetes.io/serviceaccount/service-account.name": "builder",
                "kubernetes.io/serviceaccount/service-account.uid": "uid-1",
            })
        );
    }

    #[test]
    fn rsa_keys_sign_rs256_in_pkcs1_and_pkcs8() {
        let directory = tempfile::tempdir().unwrap();
        let dir = directory.path();
        openssl(dir, &["genrsa", "-traditional", "-out", "pkcs1.pem", "2048"]);
        openssl(dir, &["pkcs8", "-topk8", "-nocrypt", "-in", "pkcs1.pem", "-out", "pkcs8.pem"]);
        openssl(
            dir,
            &["rsa", "-in", "pkcs1.pem", "-RSAPublicKey_out", "-outform", "DER", "-out", "pub"],
        );
        openssl(dir, &["rsa", "-in", "pkcs1.pem", "-pubout", "-outform", "DER", "-out", "spki"]);
        let public_key = std::fs::read(dir.join("pub")).unwrap();
        let spki = std::fs::read(dir.join("spki")).unwrap();
        let pkcs1 = std::fs::read_to_string(dir.join("pkcs1.pem")).unwrap();
        assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        for file in ["pkcs1.pem", "pkcs8.pem"] {
            let signer = TokenSigner::from_file(&dir.join(file)).unwrap();
            assert_eq!(signer.algorithm(), "RS256");
            let token = signer.sign(&claims()).unwrap();
            let (header, decoded) = verify(&token, &RSA_PKCS1_2048_8192_SHA256, &public_key);
            assert_eq!(header, serde_json::json!({"alg": "RS256", "kid": key_id(&spki)}));
            assert_eq!(decoded, claims());
        }
    }

    #[test]
    fn ec_keys_sign_es256_in_pkcs8_and_sec1() {
        let generated = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let signer = TokenSigner::from_pem(generated.serialize_pem().as_bytes()).unwrap();
        assert_eq!(signer.algorithm(), "ES256");
        let token = signer.sign(&claims()).unwrap();
        let (header, decoded) =
            verify(&token, &ECDSA_P256_SHA256_FIXED, generated.public_key_raw());
        assert_eq!(header["alg"], "ES256");
        assert_eq!(decoded, claims());

        let directory = tempfile::tempdir().unwrap();
        let dir = directory.path();
        openssl(dir, &["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem"]);
        openssl(dir, &["ec", "-in", "sec1.pem", "-pubout", "-outform", "DER", "-out", "spki"]);
        let sec1 = std::fs::read(dir.join("sec1.pem")).unwrap();
        assert!(sec1.starts_with(b"-----BEGIN EC PRIVATE KEY-----"));
        let spki = std::fs::read(dir.join("spki")).unwrap();
        // The uncompressed point ends the SubjectPublicKeyInfo.
        let point = &spki[spki.len() - 65..];
        let token = TokenSigner::from_pem(&sec1).unwrap().sign(&claims()).unwrap();
        let (header, decoded) = verify(&token, &ECDSA_P256_SHA256_FIXED, point);
        assert_eq!(header, serde_json::json!({"alg": "ES256", "kid": key_id(&spki)}));
        assert_eq!(decoded, claims());
    }

    #[test]
    fn other_keys_are_refused() {
        assert!(matches!(TokenSigner::from_pem(b"not a key"), Err(KeyError::Pem(_))));
        let ed25519 = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap();
        assert!(matches!(
            TokenSigner::from_pem(ed25519.serialize_pem().as_bytes()),
            Err(KeyError::Rejected(_))
        ));
        assert!(matches!(
            TokenSigner::from_file(Path::new("/nonexistent/key.pem")),
            Err(KeyError::Read { .. })
        ));
    }

    #[test]
    fn long_der_lengths_use_the_long_form() {
        assert_eq!(der_tlv(0x04, &[1, 2]), [0x04, 0x02, 1, 2]);
        let long = der_tlv(0x30, &[0; 300]);
        assert_eq!(&long[..4], &[0x30, 0x82, 0x01, 0x2c]);
        assert_eq!(long.len(), 304);
    }
}
