use super::{findings, messages, object, only};
use crate::api::core::v1::{ConfigMap, Secret};
use crate::serde_util::ByteString;
use crate::validation::core::MAX_DATA_SIZE;
use crate::validation::{ErrorType, Validate};
use serde_json::json;

fn secret(type_: &str, data: serde_json::Value) -> Secret {
    object(json!({
        "metadata": {"name": "creds", "namespace": "default", "resourceVersion": "4"},
        "type": type_,
        "data": data
    }))
}

fn bytes(text: &str) -> ByteString {
    ByteString(text.as_bytes().to_vec())
}

#[test]
fn well_formed_secrets_of_each_type_pass() {
    // Values are base64: "e30=" is "{}", "eA==" is "x".
    let cases = [
        ("Opaque", json!({"anything": "eA=="})),
        ("", json!({})),
        ("example.com/custom", json!({})),
        ("kubernetes.io/dockercfg", json!({".dockercfg": "e30="})),
        ("kubernetes.io/dockerconfigjson", json!({".dockerconfigjson": "e30="})),
        ("kubernetes.io/basic-auth", json!({"password": ""})),
        ("kubernetes.io/ssh-auth", json!({"ssh-privatekey": "eA=="})),
        ("kubernetes.io/tls", json!({"tls.crt": "eA==", "tls.key": "eA=="})),
    ];
    for (type_, data) in cases {
        let secret = secret(type_, data);
        assert!(secret.validate().is_empty(), "{type_}: {:?}", secret.validate());
    }
}

#[test]
fn keys_are_config_keys() {
    let secret = secret("Opaque", json!({"a/b": "eA=="}));
    let text = only(&secret.validate(), ErrorType::Invalid, "data[a/b]");
    assert!(
        text.starts_with(r#"data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters"#),
        "{text}"
    );
}

#[test]
fn string_data_counts_as_data() {
    let mut secret = secret("kubernetes.io/tls", json!({"tls.crt": "eA=="}));
    secret.string_data.insert("tls.key".into(), "key".into());
    assert!(secret.validate().is_empty());
    secret.string_data.insert("..bad".into(), "x".into());
    only(&secret.validate(), ErrorType::Invalid, "data[..bad]");
}

#[test]
fn total_size_is_at_most_one_mebibyte() {
    let mut secret = secret("Opaque", json!({}));
    secret.data.insert("a".into(), ByteString(vec![0; MAX_DATA_SIZE]));
    assert!(secret.validate().is_empty());
    secret.data.insert("b".into(), bytes("x"));
    assert_eq!(
        only(&secret.validate(), ErrorType::TooLong, "data"),
        "data: Too long: may not be more than 1048576 bytes"
    );
}

#[test]
fn service_account_tokens_name_their_account() {
    let mut secret = secret("kubernetes.io/service-account-token", json!({}));
    assert_eq!(
        only(
            &secret.validate(),
            ErrorType::Required,
            "metadata.annotations[kubernetes.io/service-account.name]"
        ),
        "metadata.annotations[kubernetes.io/service-account.name]: Required value"
    );
    secret
        .metadata
        .annotations
        .insert("kubernetes.io/service-account.name".into(), "default".into());
    assert!(secret.validate().is_empty());
}

#[test]
fn docker_configs_are_present_json_objects() {
    let missing = secret("kubernetes.io/dockercfg", json!({}));
    only(&missing.validate(), ErrorType::Required, "data[.dockercfg]");
    let missing = secret("kubernetes.io/dockerconfigjson", json!({}));
    only(&missing.validate(), ErrorType::Required, "data[.dockerconfigjson]");
    // "bm9wZQ==" is "nope".
    let malformed =
        secret("kubernetes.io/dockerconfigjson", json!({".dockerconfigjson": "bm9wZQ=="}));
    assert_eq!(
        only(&malformed.validate(), ErrorType::Invalid, "data[.dockerconfigjson]"),
        r#"data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'o' in literal null (expecting 'u')"#
    );
    // "WzFd" is "[1]".
    let not_object = secret("kubernetes.io/dockercfg", json!({".dockercfg": "WzFd"}));
    assert_eq!(
        not_object.validate()[0].detail,
        "json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
}

#[test]
fn basic_auth_needs_a_username_or_password() {
    let secret = secret("kubernetes.io/basic-auth", json!({}));
    assert_eq!(
        findings(&secret.validate()),
        [(ErrorType::Required, "data[username]"), (ErrorType::Required, "data[password]"),]
    );
}

#[test]
fn ssh_auth_needs_a_non_empty_private_key() {
    let secret = secret("kubernetes.io/ssh-auth", json!({"ssh-privatekey": ""}));
    only(&secret.validate(), ErrorType::Required, "data[ssh-privatekey]");
}

#[test]
fn tls_needs_certificate_and_key() {
    let secret = secret("kubernetes.io/tls", json!({}));
    assert_eq!(
        messages(&secret.validate()),
        ["data[tls.crt]: Required value", "data[tls.key]: Required value"]
    );
}

#[test]
fn secret_type_is_immutable() {
    let old = secret("Opaque", json!({}));
    let new = secret("kubernetes.io/basic-auth", json!({"username": "eA=="}));
    assert_eq!(
        only(&new.validate_update(&old), ErrorType::Invalid, "type"),
        r#"type: Invalid value: "kubernetes.io/basic-auth": field is immutable"#
    );
}

#[test]
fn immutable_secrets_keep_their_data() {
    let mut old = secret("Opaque", json!({"a": "eA=="}));
    old.immutable = Some(true);
    assert!(old.validate_update(&old).is_empty());
    let mut new = old.clone();
    new.immutable = Some(false);
    new.data.insert("b".into(), bytes("y"));
    assert_eq!(
        messages(&new.validate_update(&old)),
        [
            "immutable: Forbidden: field is immutable when `immutable` is set",
            "data: Forbidden: field is immutable when `immutable` is set",
        ]
    );
    let mut via_string_data = old.clone();
    via_string_data.string_data.insert("a".into(), "changed".into());
    only(&via_string_data.validate_update(&old), ErrorType::Forbidden, "data");
    let mut mutable = old.clone();
    mutable.immutable = None;
    let mut new = mutable.clone();
    new.data.insert("b".into(), bytes("y"));
    assert!(new.validate_update(&mutable).is_empty());
}

fn config_map() -> ConfigMap {
    object(json!({
        "metadata": {"name": "settings", "namespace": "default", "resourceVersion": "2"},
        "data": {"app.properties": "debug=true"},
        "binaryData": {"logo.png": "iVBORw=="}
    }))
}

#[test]
fn a_config_map_passes() {
    assert!(config_map().validate().is_empty());
    assert!(config_map().validate_update(&config_map()).is_empty());
}

#[test]
fn config_map_keys_are_config_keys_in_both_maps() {
    let mut config_map = config_map();
    config_map.data.insert("..".into(), String::new());
    config_map.binary_data.insert("a b".into(), bytes("x"));
    assert_eq!(
        findings(&config_map.validate()),
        [(ErrorType::Invalid, "data[..]"), (ErrorType::Invalid, "binaryData[a b]"),]
    );
    assert_eq!(config_map.validate()[0].detail, "must not be '..'");
}

#[test]
fn a_key_lives_in_one_map_only() {
    let mut config_map = config_map();
    config_map.data.insert("logo.png".into(), String::new());
    assert_eq!(
        only(&config_map.validate(), ErrorType::Invalid, "data[logo.png]"),
        r#"data[logo.png]: Invalid value: "logo.png": duplicate of key present in binaryData"#
    );
}

#[test]
fn config_map_size_limit_covers_both_maps() {
    let mut config_map = config_map();
    config_map.data.insert("big".into(), "x".repeat(MAX_DATA_SIZE - 10));
    assert_eq!(
        only(&config_map.validate(), ErrorType::TooLong, ""),
        ": Too long: may not be more than 1048576 bytes"
    );
}

#[test]
fn immutable_config_maps_keep_both_maps() {
    let mut old = config_map();
    old.immutable = Some(true);
    let mut new = old.clone();
    new.data.clear();
    new.binary_data.clear();
    assert_eq!(
        findings(&new.validate_update(&old)),
        [(ErrorType::Forbidden, "data"), (ErrorType::Forbidden, "binaryData"),]
    );
    let mut unset = old.clone();
    unset.immutable = None;
    only(&unset.validate_update(&old), ErrorType::Forbidden, "immutable");
}
