//! ServiceAccount: only its metadata is constrained (a DNS-subdomain name); the secrets it lists
//! are references checked when used, not when stored.

use crate::api::core::v1::ServiceAccount;
use crate::validation::meta::{validate_core_object_meta, validate_core_object_meta_update};
use crate::validation::names::name_is_dns_subdomain;
use crate::validation::{ErrorList, FieldPath, Validate};

impl Validate for ServiceAccount {
    fn validate(&self) -> ErrorList {
        validate_core_object_meta(
            &self.metadata,
            true,
            name_is_dns_subdomain,
            &FieldPath::new("metadata"),
        )
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        );
        errors.append(self.validate());
        errors
    }
}
