//! `autoscaling/v1` Scale, the body of every `scale` subresource: generic metadata with a
//! DNS-subdomain name and a non-negative replica count.

use super::meta::validate_object_meta;
use super::names::name_is_dns_subdomain;
use super::{ErrorList, FieldError, FieldPath, Validate};
use crate::api::autoscaling::v1::Scale;

impl Validate for Scale {
    fn validate(&self) -> ErrorList {
        let mut errors = validate_object_meta(
            &self.metadata,
            true,
            name_is_dns_subdomain,
            &FieldPath::new("metadata"),
        );
        if self.spec.replicas < 0 {
            errors.push(FieldError::invalid(
                &FieldPath::new("spec").child("replicas"),
                self.spec.replicas,
                "must be greater than or equal to 0",
            ));
        }
        errors
    }

    /// Upstream checks a scale update like a create: the stored object behind the subresource
    /// applies its own update rules when the new replica count is written to it.
    fn validate_update(&self, _old: &Self) -> ErrorList {
        self.validate()
    }
}
