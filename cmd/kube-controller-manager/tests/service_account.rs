//! The service account and token controllers against a real apiserver, started as the
//! controller manager starts them: every namespace's `default` account (and its return after a
//! deletion), no tokens without a signing key, and with one a token secret whose JWT verifies
//! with the public key, carries upstream's claims, comes back after deletion and goes with its
//! account.

mod support;

use api_types::api::core::v1::{Namespace, Secret, ServiceAccount};
use api_types::meta::v1::{CreateOptions, DeleteOptions, ListOptions, PatchOptions, PatchType};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use client::Api;
use kube_controller_manager::service_account::jwt::LegacyClaims;
use kube_controller_manager::start_controllers;
use rcgen::PublicKeyData;
use ring::digest::{SHA256, digest};
use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
use serde_json::json;
use std::time::Duration;
use support::{Backend, ControlPlane, eventually};

const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";

/// A namespace whose deletion a finalizer holds, so that it stays terminating for the test.
fn held_namespace(name: &str) -> Namespace {
    serde_json::from_value(json!({"apiVersion": "v1", "kind": "Namespace",
                                  "metadata": {"name": name, "finalizers": ["example.com/hold"]}}))
    .unwrap()
}

/// The token secrets in `namespace`.
async fn token_secrets(plane: &ControlPlane, namespace: &str) -> Vec<Secret> {
    let secrets: Api<Secret> = Api::namespaced(plane.client.clone(), namespace);
    let list = secrets.list(&ListOptions::default()).await.unwrap();
    list.items.into_iter().filter(|secret| secret.type_ == TOKEN_TYPE).collect()
}

async fn every_active_namespace_keeps_a_default_account_on(backend: Backend) {
    let plane = ControlPlane::start_on(backend, &["--leader-elect=false"]).await;
    tokio::spawn(start_controllers(plane.context.clone()));
    let namespaces: Api<Namespace> = Api::all(plane.client.clone());
    namespaces.create(&held_namespace("team-a"), &CreateOptions::default()).await.unwrap();
    let accounts: Api<ServiceAccount> = Api::namespaced(plane.client.clone(), "team-a");
    let first =
        eventually("team-a/default", || async { accounts.get_opt("default").await.unwrap() }).await;
    let defaults: Api<ServiceAccount> = Api::default_namespaced(plane.client.clone());
    eventually("default/default", || async { defaults.get_opt("default").await.unwrap() }).await;

    // Deleted, it comes back as a new account.
    accounts.delete("default", &DeleteOptions::default()).await.unwrap();
    let second = eventually("a new team-a/default", || async {
        accounts
            .get_opt("default")
            .await
            .unwrap()
            .filter(|sa| sa.metadata.uid != first.metadata.uid)
    })
    .await;
    assert_eq!(second.metadata.name, "default");
    // Without --service-account-private-key-file no token secrets are made.
    assert!(token_secrets(&plane, "team-a").await.is_empty());
    assert!(second.secrets.is_empty());

    // A terminating namespace is left alone. The deletion of default/default is handled after
    // team-a's (one worker, in order), so once it is back team-a's would be too.
    namespaces.delete("team-a", &DeleteOptions::default()).await.unwrap();
    eventually("team-a terminating", || async {
        let ns = namespaces.get("team-a").await.unwrap();
        ns.metadata.deletion_timestamp.is_some().then_some(())
    })
    .await;
    accounts.delete("default", &DeleteOptions::default()).await.unwrap();
    let before = defaults.get("default").await.unwrap();
    defaults.delete("default", &DeleteOptions::default()).await.unwrap();
    eventually("a new default/default", || async {
        defaults
            .get_opt("default")
            .await
            .unwrap()
            .filter(|sa| sa.metadata.uid != before.metadata.uid)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        accounts.get_opt("default").await.unwrap().is_none(),
        "made in a terminating namespace"
    );
}

#[tokio::test]
async fn every_active_namespace_keeps_a_default_account() {
    every_active_namespace_keeps_a_default_account_on(Backend::Embedded).await;
}

#[tokio::test]
async fn every_active_namespace_keeps_a_default_account_on_etcd() {
    every_active_namespace_keeps_a_default_account_on(Backend::Etcd).await;
}

/// Checks `token`'s ES256 signature with `key`'s public half and its key id, and returns its
/// claims.
fn verified_claims(token: &str, key: &rcgen::KeyPair) -> LegacyClaims {
    let (signing_input, signature) = token.rsplit_once('.').expect("a compact JWS");
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, key.public_key_raw())
        .verify(signing_input.as_bytes(), &signature)
        .expect("the token's signature verifies with the public key");
    let (header, payload) = signing_input.split_once('.').unwrap();
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    assert_eq!(header["alg"], "ES256");
    // Upstream's key id: base64url SHA-256 of the public key's SubjectPublicKeyInfo.
    let key_id = URL_SAFE_NO_PAD.encode(digest(&SHA256, &key.subject_public_key_info()));
    assert_eq!(header["kid"], key_id);
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The token secret account `name` references, once it exists.
async fn referenced_token(plane: &ControlPlane, name: &str) -> (ServiceAccount, Secret) {
    let accounts: Api<ServiceAccount> = Api::default_namespaced(plane.client.clone());
    let secrets: Api<Secret> = Api::default_namespaced(plane.client.clone());
    eventually(&format!("a token secret referenced by {name}"), || async {
        let account = accounts.get_opt(name).await.unwrap()?;
        for reference in &account.secrets {
            if let Some(secret) = secrets.get_opt(&reference.name).await.unwrap()
                && secret.type_ == TOKEN_TYPE
            {
                return Some((account.clone(), secret));
            }
        }
        None
    })
    .await
}

#[tokio::test]
async fn accounts_get_signed_tokens_that_come_back_and_go_with_them() {
    let directory = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let key_file = directory.path().join("sa.key");
    std::fs::write(&key_file, key.serialize_pem()).unwrap();
    let ca = rcgen::CertificateParams::new(vec!["kubernetes".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap()
        .pem();
    let ca_file = directory.path().join("ca.crt");
    std::fs::write(&ca_file, &ca).unwrap();
    let key_flag = format!("--service-account-private-key-file={}", key_file.display());
    let ca_flag = format!("--root-ca-file={}", ca_file.display());
    let plane = ControlPlane::start(&["--leader-elect=false", &key_flag, &ca_flag]).await;
    tokio::spawn(start_controllers(plane.context.clone()));

    let accounts: Api<ServiceAccount> = Api::default_namespaced(plane.client.clone());
    let secrets: Api<Secret> = Api::default_namespaced(plane.client.clone());
    let builder: ServiceAccount = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "builder"}}))
    .unwrap();
    accounts.create(&builder, &CreateOptions::default()).await.unwrap();
    let (account, secret) = referenced_token(&plane, "builder").await;
    let name = &secret.metadata.name;
    let suffix = name.strip_prefix("builder-token-").expect("named <account>-token-<suffix>");
    assert_eq!(suffix.len(), 5, "{name}");
    let annotations = &secret.metadata.annotations;
    assert_eq!(annotations["kubernetes.io/service-account.name"], "builder");
    assert_eq!(annotations["kubernetes.io/service-account.uid"], account.metadata.uid);
    assert_eq!(secret.data["namespace"].0, b"default");
    assert_eq!(secret.data["ca.crt"].0, ca.as_bytes());
    let token = String::from_utf8(secret.data["token"].0.clone()).unwrap();
    let claims = verified_claims(&token, &key);
    assert_eq!(claims, LegacyClaims::new("default", "builder", &account.metadata.uid, name));
    assert_eq!(claims.iss, "kubernetes/serviceaccount");
    assert_eq!(claims.sub, "system:serviceaccount:default:builder");
    // The namespace's default account has one too, and each account has exactly one.
    referenced_token(&plane, "default").await;
    let owned_by = |secrets: &[Secret], account: &str| {
        secrets
            .iter()
            .filter(|s| s.metadata.annotations["kubernetes.io/service-account.name"] == account)
            .count()
    };
    assert_eq!(owned_by(&token_secrets(&plane, "default").await, "builder"), 1);

    // Data removed from a token secret is filled in again.
    let strip = json!({"data": {"namespace": null, "ca.crt": null}});
    secrets.patch(name, PatchType::Merge, &strip, &PatchOptions::default()).await.unwrap();
    eventually("namespace and ca.crt restored", || async {
        let secret = secrets.get(name).await.unwrap();
        let restored = secret.data.get("namespace").is_some_and(|value| value.0 == b"default")
            && secret.data.get("ca.crt").is_some_and(|value| value.0 == ca.as_bytes());
        restored.then_some(())
    })
    .await;

    // A deleted token secret is replaced and the reference follows.
    secrets.delete(name, &DeleteOptions::default()).await.unwrap();
    let (account, replacement) = eventually("a replacement token", || async {
        let (account, secret) = referenced_token(&plane, "builder").await;
        let stale = account.secrets.iter().any(|reference| &reference.name == name);
        (secret.metadata.name != *name && !stale).then_some((account, secret))
    })
    .await;
    let token = String::from_utf8(replacement.data["token"].0.clone()).unwrap();
    let claims = verified_claims(&token, &key);
    assert_eq!(claims.secret_name, replacement.metadata.name);
    assert_eq!(account.secrets.len(), 1);

    // The account's deletion takes its token secrets with it.
    accounts.delete("builder", &DeleteOptions::default()).await.unwrap();
    eventually("builder's tokens gone", || async {
        (owned_by(&token_secrets(&plane, "default").await, "builder") == 0).then_some(())
    })
    .await;
    assert_eq!(owned_by(&token_secrets(&plane, "default").await, "default"), 1);
}
