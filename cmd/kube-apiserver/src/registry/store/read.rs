//! GET of one object, its `status` or its `scale`.

use super::GenericStore;
use super::convert::{decode_stored, to_response};
use super::errors::{Operation, no_such_subresource, storage_status, too_large_resource_version};
use super::options::parse_read_resource_version;
use crate::registry::Strategy;
use api_types::meta::v1::{GetOptions, Status};
use serde_json::Value;

/// What a request for a subresource reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// The object itself.
    Object,
    /// The `status` subresource of a kind with [`Strategy::STATUS_SUBRESOURCE`].
    Status,
    /// The `scale` subresource of a kind that lists it.
    Scale,
    /// The `finalize` subresource of a kind that lists it (Namespace): a write of the object
    /// that may change its own finalizers ([`Strategy::finalizing`]) but not its status. Only
    /// PUT serves it, as upstream.
    Finalize,
}

impl Target {
    /// The target of `subresource` for kind `T`; 404 for subresources the store does not serve.
    pub(super) fn of<T: Strategy>(subresource: Option<&str>) -> Result<Self, Status> {
        match subresource {
            None => Ok(Target::Object),
            Some("status") if T::STATUS_SUBRESOURCE => Ok(Target::Status),
            Some("scale") if T::SUBRESOURCES.contains(&"scale") => Ok(Target::Scale),
            Some("finalize") if T::SUBRESOURCES.contains(&"finalize") => Ok(Target::Finalize),
            Some(_) => Err(no_such_subresource()),
        }
    }
}

impl<T: Strategy> GenericStore<T> {
    pub(super) async fn get_object(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        options: &GetOptions,
    ) -> Result<Value, Status> {
        let target = Target::of::<T>(subresource)?;
        if target == Target::Finalize {
            return Err(only_put_finalizes::<T>("get"));
        }
        let minimum = parse_read_resource_version(&options.resource_version)?;
        let object = self.read(namespace, name).await?;
        if let Some(minimum) = minimum {
            let current = self
                .storage
                .current_revision()
                .await
                .map_err(|error| storage_status::<T>(error, Operation::Get, name))?;
            if minimum > current {
                return Err(too_large_resource_version(minimum, current));
            }
        }
        match target {
            Target::Object | Target::Status => to_response(object),
            Target::Scale => super::scale::scale_response(&object),
            Target::Finalize => Err(only_put_finalizes::<T>("get")),
        }
    }

    /// The stored object `name`, as clients see it; 404 if there is none.
    pub(super) async fn read(&self, namespace: Option<&str>, name: &str) -> Result<T, Status> {
        let key = self.object_key(namespace, name)?;
        let stored = self
            .storage
            .get(&key)
            .await
            .map_err(|error| storage_status::<T>(error, Operation::Get, name))?;
        decode_stored(&stored)
    }
}

/// The 405 of a verb other than PUT on `finalize`.
pub(super) fn only_put_finalizes<T: Strategy>(verb: &str) -> Status {
    Status::method_not_supported(T::GROUP, &format!("{}/finalize", T::PLURAL), verb)
}
