//! The metadata part of every kind's field set, for kinds that add fields of their own.

use api_types::Resource;
use std::collections::BTreeMap;

/// Upstream's `ObjectMetaFieldsSet`: `metadata.name`, plus `metadata.namespace` for namespaced
/// kinds. A kind's `field_set` starts here and adds its own fields.
pub fn object_meta_fields<T: Resource>(object: &T) -> BTreeMap<String, String> {
    let meta = object.metadata();
    let mut fields = BTreeMap::from([("metadata.name".to_string(), meta.name.clone())]);
    if T::NAMESPACED {
        fields.insert("metadata.namespace".to_string(), meta.namespace.clone());
    }
    fields
}

/// [`object_meta_fields`] extended with a kind's own fields.
pub fn with_meta_fields<T: Resource>(
    object: &T,
    own: impl IntoIterator<Item = (&'static str, String)>,
) -> BTreeMap<String, String> {
    let mut fields = object_meta_fields(object);
    fields.extend(own.into_iter().map(|(path, value)| (path.to_string(), value)));
    fields
}
