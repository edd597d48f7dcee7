//! ComponentStatus: upstream computes these on read and accepts no writes, so it has no rules of
//! its own; an object built or stored here gets the baseline metadata rules of a cluster-scoped
//! kind with DNS-subdomain names.

use crate::api::core::v1::ComponentStatus;
use crate::validation::meta::{validate_core_object_meta, validate_core_object_meta_update};
use crate::validation::names::name_is_dns_subdomain;
use crate::validation::{ErrorList, FieldPath, Validate};

impl Validate for ComponentStatus {
    fn validate(&self) -> ErrorList {
        validate_core_object_meta(
            &self.metadata,
            false,
            name_is_dns_subdomain,
            &FieldPath::new("metadata"),
        )
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        validate_core_object_meta_update(&self.metadata, &old.metadata, &FieldPath::new("metadata"))
    }
}
