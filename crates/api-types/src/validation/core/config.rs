//! Secret and ConfigMap: key names, the 1 MiB size limit, the keys each Secret type requires,
//! and on update the immutability of `type` and, once `immutable` is set, of the data.
//!
//! As upstream, a Secret's `stringData` counts as part of `data` (the API merges it in, its
//! entries winning, before validating), so keys, sizes and required entries see both.

use crate::api::core::v1::{ConfigMap, Secret};
use crate::serde_util::ByteString;
use crate::validation::common::validate_immutable;
use crate::validation::go_json::object_unmarshal_error;
use crate::validation::meta::{validate_core_object_meta, validate_core_object_meta_update};
use crate::validation::names::{config_map_key_errors, name_is_dns_subdomain};
use crate::validation::{ErrorList, FieldError, FieldPath, Validate};
use std::collections::BTreeMap;

/// The largest total size of a Secret's or ConfigMap's values, in bytes.
pub const MAX_DATA_SIZE: usize = 1024 * 1024;

const TYPE_SERVICE_ACCOUNT_TOKEN: &str = "kubernetes.io/service-account-token";
const TYPE_DOCKERCFG: &str = "kubernetes.io/dockercfg";
const TYPE_DOCKER_CONFIG_JSON: &str = "kubernetes.io/dockerconfigjson";
const TYPE_BASIC_AUTH: &str = "kubernetes.io/basic-auth";
const TYPE_SSH_AUTH: &str = "kubernetes.io/ssh-auth";
const TYPE_TLS: &str = "kubernetes.io/tls";
const SERVICE_ACCOUNT_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";
const DOCKERCFG_KEY: &str = ".dockercfg";
const DOCKER_CONFIG_JSON_KEY: &str = ".dockerconfigjson";
const BASIC_AUTH_USERNAME_KEY: &str = "username";
const BASIC_AUTH_PASSWORD_KEY: &str = "password";
const SSH_PRIVATE_KEY_KEY: &str = "ssh-privatekey";
const TLS_CERT_KEY: &str = "tls.crt";
const TLS_PRIVATE_KEY_KEY: &str = "tls.key";
const IMMUTABLE_DETAIL: &str = "field is immutable when `immutable` is set";

impl Validate for Secret {
    fn validate(&self) -> ErrorList {
        validate_secret(self)
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_immutable(&self.type_, &old.type_, &FieldPath::new("type")));
        if old.immutable == Some(true) {
            if self.immutable != Some(true) {
                errors.push(FieldError::forbidden(&FieldPath::new("immutable"), IMMUTABLE_DETAIL));
            }
            if secret_data(self) != secret_data(old) {
                errors.push(FieldError::forbidden(&FieldPath::new("data"), IMMUTABLE_DETAIL));
            }
        }
        errors.append(validate_secret(self));
        errors
    }
}

/// A Secret's data as the API sees it: `data` with `stringData` merged over it.
fn secret_data(secret: &Secret) -> BTreeMap<&str, &[u8]> {
    let mut data: BTreeMap<&str, &[u8]> = secret
        .data
        .iter()
        .map(|(key, ByteString(bytes))| (key.as_str(), bytes.as_slice()))
        .collect();
    for (key, text) in &secret.string_data {
        data.insert(key, text.as_bytes());
    }
    data
}

fn validate_secret(secret: &Secret) -> ErrorList {
    let mut errors = validate_core_object_meta(
        &secret.metadata,
        true,
        name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    let data_path = FieldPath::new("data");
    let data = secret_data(secret);
    let mut total_size = 0;
    for (key, value) in &data {
        for message in config_map_key_errors(key) {
            errors.push(FieldError::invalid(&data_path.key(key), key, message));
        }
        total_size += value.len();
    }
    if total_size > MAX_DATA_SIZE {
        errors.push(FieldError::too_long(&data_path, MAX_DATA_SIZE));
    }

    let required = |key: &str| FieldError::required(&data_path.key(key), "");
    match secret.type_.as_str() {
        TYPE_SERVICE_ACCOUNT_TOKEN => {
            // Only the account name is required up front; the token controller adds the uid
            // annotation and the token itself later.
            let has_name = secret
                .metadata
                .annotations
                .get(SERVICE_ACCOUNT_NAME_ANNOTATION)
                .is_some_and(|name| !name.is_empty());
            if !has_name {
                errors.push(FieldError::required(
                    &FieldPath::new("metadata")
                        .child("annotations")
                        .key(SERVICE_ACCOUNT_NAME_ANNOTATION),
                    "",
                ));
            }
        }
        TYPE_DOCKERCFG | TYPE_DOCKER_CONFIG_JSON => {
            let key =
                if secret.type_ == TYPE_DOCKERCFG { DOCKERCFG_KEY } else { DOCKER_CONFIG_JSON_KEY };
            match data.get(key) {
                None => errors.push(required(key)),
                Some(contents) => {
                    if let Some(problem) = object_unmarshal_error(contents) {
                        errors.push(FieldError::invalid(
                            &data_path.key(key),
                            "<secret contents redacted>",
                            problem,
                        ));
                    }
                }
            }
        }
        // Either may be empty, but at least one must be present.
        TYPE_BASIC_AUTH
            if !data.contains_key(BASIC_AUTH_USERNAME_KEY)
                && !data.contains_key(BASIC_AUTH_PASSWORD_KEY) =>
        {
            errors.push(required(BASIC_AUTH_USERNAME_KEY));
            errors.push(required(BASIC_AUTH_PASSWORD_KEY));
        }
        TYPE_SSH_AUTH if data.get(SSH_PRIVATE_KEY_KEY).is_none_or(|key| key.is_empty()) => {
            errors.push(required(SSH_PRIVATE_KEY_KEY));
        }
        TYPE_TLS => {
            for key in [TLS_CERT_KEY, TLS_PRIVATE_KEY_KEY] {
                if !data.contains_key(key) {
                    errors.push(required(key));
                }
            }
        }
        // `Opaque`, empty (defaulted to `Opaque`) and custom types carry anything.
        _ => {}
    }
    errors
}

impl Validate for ConfigMap {
    fn validate(&self) -> ErrorList {
        validate_config_map(self)
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        );
        if old.immutable == Some(true) {
            if self.immutable != Some(true) {
                errors.push(FieldError::forbidden(&FieldPath::new("immutable"), IMMUTABLE_DETAIL));
            }
            if self.data != old.data {
                errors.push(FieldError::forbidden(&FieldPath::new("data"), IMMUTABLE_DETAIL));
            }
            if self.binary_data != old.binary_data {
                errors.push(FieldError::forbidden(&FieldPath::new("binaryData"), IMMUTABLE_DETAIL));
            }
        }
        errors.append(validate_config_map(self));
        errors
    }
}

fn validate_config_map(config_map: &ConfigMap) -> ErrorList {
    let mut errors = validate_core_object_meta(
        &config_map.metadata,
        true,
        name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    let data_path = FieldPath::new("data");
    let binary_path = FieldPath::new("binaryData");
    let mut total_size = 0;
    for (key, value) in &config_map.data {
        for message in config_map_key_errors(key) {
            errors.push(FieldError::invalid(&data_path.key(key), key, message));
        }
        if config_map.binary_data.contains_key(key) {
            errors.push(FieldError::invalid(
                &data_path.key(key),
                key,
                "duplicate of key present in binaryData",
            ));
        }
        total_size += value.len();
    }
    for (key, ByteString(value)) in &config_map.binary_data {
        for message in config_map_key_errors(key) {
            errors.push(FieldError::invalid(&binary_path.key(key), key, message));
        }
        total_size += value.len();
    }
    if total_size > MAX_DATA_SIZE {
        // The limit is on the object as a whole, which upstream reports with an empty path.
        errors.push(FieldError::too_long(&FieldPath::new(""), MAX_DATA_SIZE));
    }
    errors
}
