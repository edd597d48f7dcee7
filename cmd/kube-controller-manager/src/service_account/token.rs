//! What a service account token secret is and when one is valid (upstream's token controller
//! rules, without the API calls): the secret's type, annotations and data keys, its name, and
//! which of its fields need filling in.

use api_types::api::core::v1::{ObjectReference, Secret, ServiceAccount};
use api_types::meta::v1::ObjectMeta;
use api_types::resource::Resource;
use api_types::serde_util::ByteString;
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// The type of secrets holding a service account's API token.
pub const TOKEN_SECRET_TYPE: &str = "kubernetes.io/service-account-token";
/// Names the account a token secret belongs to.
pub const ACCOUNT_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";
/// The uid of that account, so a recreated account with the same name is not confused with it.
pub const ACCOUNT_UID_ANNOTATION: &str = "kubernetes.io/service-account.uid";
/// The data key of the signed token.
pub const TOKEN_KEY: &str = "token";
/// The data key of the CA bundle (`--root-ca-file`).
pub const CA_KEY: &str = "ca.crt";
/// The data key of the account's namespace.
pub const NAMESPACE_KEY: &str = "namespace";

/// Characters of generated name suffixes (upstream's: no vowels, no look-alikes).
const SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
/// Length of the random suffix.
const SUFFIX_LENGTH: usize = 5;
/// The longest prefix that leaves room for the suffix in a 63-character name.
const MAX_PREFIX: usize = 63 - SUFFIX_LENGTH;

/// Whether `secret` is a token secret of the account `name` with uid `uid`.
pub fn is_token_for(secret: &Secret, name: &str, uid: &str) -> bool {
    let annotations = &secret.metadata.annotations;
    secret.type_ == TOKEN_SECRET_TYPE
        && annotations.get(ACCOUNT_NAME_ANNOTATION).is_some_and(|value| value == name)
        && annotations
            .get(ACCOUNT_UID_ANNOTATION)
            .is_none_or(|value| value.is_empty() || value == uid)
}

/// The account (name, uid) a token secret names, if it is a token secret.
pub fn owner_of(secret: &Secret) -> Option<(&str, &str)> {
    if secret.type_ != TOKEN_SECRET_TYPE {
        return None;
    }
    let annotations = &secret.metadata.annotations;
    let name = annotations.get(ACCOUNT_NAME_ANNOTATION)?;
    let uid = annotations.get(ACCOUNT_UID_ANNOTATION).map_or("", String::as_str);
    Some((name, uid))
}

/// Whether one of the account's `secrets` references is a token secret of this account, as
/// `lookup` (a cache or the apiserver) finds it.
pub fn has_token<F, S>(account: &ServiceAccount, mut lookup: F) -> bool
where
    F: FnMut(&str) -> Option<S>,
    S: Borrow<Secret>,
{
    account.secrets.iter().any(|reference| {
        lookup(&reference.name).is_some_and(|secret| {
            is_token_for(secret.borrow(), &account.metadata.name, &account.metadata.uid)
        })
    })
}

/// A fresh secret name, `<account>-token-<5 random characters>`.
pub fn secret_name(account: &str) -> String {
    let mut prefix = format!("{account}-token-");
    if prefix.len() > MAX_PREFIX {
        let mut cut = MAX_PREFIX;
        while !prefix.is_char_boundary(cut) {
            cut -= 1;
        }
        prefix.truncate(cut);
    }
    let suffix: String = (0..SUFFIX_LENGTH)
        .map(|_| char::from(SUFFIX_ALPHABET[fastrand::usize(..SUFFIX_ALPHABET.len())]))
        .collect();
    prefix + &suffix
}

/// The token secret `name` for `account`, holding `token`, the CA bundle and the namespace.
pub fn token_secret(
    account: &ServiceAccount,
    name: &str,
    token: String,
    ca: Option<&[u8]>,
) -> Secret {
    let meta = &account.metadata;
    let annotations = BTreeMap::from([
        (ACCOUNT_NAME_ANNOTATION.to_string(), meta.name.clone()),
        (ACCOUNT_UID_ANNOTATION.to_string(), meta.uid.clone()),
    ]);
    let mut data = BTreeMap::from([
        (TOKEN_KEY.to_string(), ByteString(token.into_bytes())),
        (NAMESPACE_KEY.to_string(), ByteString(meta.namespace.clone().into_bytes())),
    ]);
    if let Some(ca) = ca {
        data.insert(CA_KEY.to_string(), ByteString(ca.to_vec()));
    }
    let mut secret = Secret {
        metadata: ObjectMeta {
            name: name.to_string(),
            namespace: meta.namespace.clone(),
            annotations,
            ..Default::default()
        },
        type_: TOKEN_SECRET_TYPE.to_string(),
        data,
        ..Default::default()
    };
    secret.set_type_meta();
    secret
}

/// Which parts of an existing token secret must be (re)written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stale {
    /// No token: sign one.
    pub token: bool,
    /// The CA bundle is missing or not the configured one.
    pub ca: bool,
    /// No namespace.
    pub namespace: bool,
}

impl Stale {
    /// Whether anything needs writing.
    pub fn any(&self) -> bool {
        self.token || self.ca || self.namespace
    }
}

/// What of `secret` needs filling in, given the configured CA bundle.
pub fn stale_fields(secret: &Secret, ca: Option<&[u8]>) -> Stale {
    let empty = |key: &str| secret.data.get(key).is_none_or(|value| value.0.is_empty());
    Stale {
        token: empty(TOKEN_KEY),
        ca: ca.is_some_and(|ca| secret.data.get(CA_KEY).is_none_or(|value| value.0 != ca)),
        namespace: empty(NAMESPACE_KEY),
    }
}

/// `references` with `name` added once.
pub fn with_reference(references: &[ObjectReference], name: &str) -> Vec<ObjectReference> {
    let mut references = references.to_vec();
    if !references.iter().any(|reference| reference.name == name) {
        references.push(ObjectReference { name: name.to_string(), ..Default::default() });
    }
    references
}

/// `references` without `name`.
pub fn without_reference(references: &[ObjectReference], name: &str) -> Vec<ObjectReference> {
    references.iter().filter(|reference| reference.name != name).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn account() -> ServiceAccount {
        serde_json::from_value(json!({
            "metadata": {"name": "builder", "namespace": "ci", "uid": "sa-uid"},
            "secrets": [{"name": "builder-token-abcde"}, {"name": "other"}]
        }))
        .unwrap()
    }

    #[test]
    fn names_carry_a_five_character_suffix() {
        let name = secret_name("builder");
        assert!(name.starts_with("builder-token-"), "{name}");
        let suffix = &name["builder-token-".len()..];
        assert_eq!(suffix.len(), 5);
        assert!(suffix.bytes().all(|byte| SUFFIX_ALPHABET.contains(&byte)));
        assert_eq!(secret_name(&"a".repeat(70)).len(), 63);
    }

    #[test]
    fn a_token_secret_names_its_account() {
        let ca = b"-----BEGIN CERTIFICATE-----";
        let secret = token_secret(&account(), "builder-token-abcde", "jwt".into(), Some(ca));
        let value = serde_json::to_value(&secret).unwrap();
        assert_eq!(value["type"], "kubernetes.io/service-account-token");
        assert_eq!(value["metadata"]["namespace"], "ci");
        assert_eq!(
            value["metadata"]["annotations"],
            json!({"kubernetes.io/service-account.name": "builder",
                   "kubernetes.io/service-account.uid": "sa-uid"})
        );
        assert_eq!(secret.data["token"].0, b"jwt");
        assert_eq!(secret.data["namespace"].0, b"ci");
        assert_eq!(secret.data["ca.crt"].0, ca);
        assert!(is_token_for(&secret, "builder", "sa-uid"));
        assert!(!is_token_for(&secret, "builder", "another-uid"));
        assert!(!is_token_for(&secret, "deployer", "sa-uid"));
        assert_eq!(owner_of(&secret), Some(("builder", "sa-uid")));
        assert!(!stale_fields(&secret, Some(ca)).any());
        assert_eq!(
            stale_fields(&secret, Some(b"new ca")),
            Stale { ca: true, ..Default::default() }
        );
        let without_ca = token_secret(&account(), "n", "jwt".into(), None);
        assert!(!without_ca.data.contains_key("ca.crt"));
        assert!(!stale_fields(&without_ca, None).any());
    }

    #[test]
    fn only_a_referenced_valid_token_counts() {
        let valid = token_secret(&account(), "builder-token-abcde", "jwt".into(), None);
        let lookup = |name: &str| (name == "builder-token-abcde").then(|| valid.clone());
        assert!(has_token(&account(), lookup));
        // The referenced secret is gone.
        assert!(!has_token(&account(), |_| None::<Secret>));
        // The referenced secret belongs to an earlier account of the same name.
        let mut stale_account = account();
        stale_account.metadata.uid = "new-uid".into();
        assert!(!has_token(&stale_account, lookup));
        let mut opaque = valid.clone();
        opaque.type_ = "Opaque".into();
        assert!(!has_token(&account(), |_| Some(opaque.clone())));
        assert_eq!(owner_of(&opaque), None);
    }

    #[test]
    fn references_are_added_once_and_removed() {
        let references = account().secrets;
        assert_eq!(with_reference(&references, "other").len(), 2);
        let added = with_reference(&references, "builder-token-xyz");
        assert_eq!(added.last().unwrap().name, "builder-token-xyz");
        let removed = without_reference(&references, "builder-token-abcde");
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].name, "other");
        let empty = Secret::default();
        assert_eq!(stale_fields(&empty, None), Stale { token: true, ca: false, namespace: true });
    }
}
