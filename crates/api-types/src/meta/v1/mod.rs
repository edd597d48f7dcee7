//! `meta/v1`: object and list metadata, time, label selectors, and the API's envelope types:
//! `Status` errors, watch events, verb options and their query strings, tables, metadata-only
//! objects, discovery documents (legacy and `apidiscovery.k8s.io/v2`) and patch formats.

mod aggregated_discovery;
mod discovery;
mod group_version_kind;
mod label_selector;
mod object_meta;
mod options;
mod partial;
mod patch_type;
mod query;
mod status;
mod status_reason;
mod table;
mod time;
mod watch;

pub use aggregated_discovery::{
    AGGREGATED_DISCOVERY_MEDIA_TYPE, APIGroupDiscovery, APIGroupDiscoveryList,
    APIResourceDiscovery, APISubresourceDiscovery, APIVersionDiscovery, discovery_freshness,
    resource_scope,
};
pub use discovery::{
    APIGroup, APIGroupList, APIResource, APIResourceList, APIVersions, GroupVersionForDiscovery,
    RootPaths, ServerAddressByClientCIDR,
};
pub use group_version_kind::GroupVersionKind;
pub use label_selector::{LabelSelector, LabelSelectorRequirement};
pub use object_meta::{ListMeta, ManagedFieldsEntry, ObjectMeta, OwnerReference, TypeMeta};
pub use options::{
    CreateOptions, DRY_RUN_ALL, DeleteOptions, GetOptions, ListOptions, PatchOptions,
    Preconditions, UpdateOptions, field_validation, propagation_policy, resource_version_match,
};
pub use partial::{PartialObjectMetadata, PartialObjectMetadataList};
pub use patch_type::PatchType;
pub use query::{
    DecodeError, QueryBuilder, QueryError, QueryParameters, QueryParams, percent_decode,
    percent_encode,
};
pub use status::{STATUS_FAILURE, STATUS_SUCCESS, Status, StatusCause, StatusDetails};
pub use status_reason::{StatusReason, cause_type};
pub use table::{
    ROW_COMPLETED, Table, TableColumnDefinition, TableOptions, TableRow, TableRowCondition,
    include_object,
};
pub use time::{MicroTime, Time};
pub use watch::{INITIAL_EVENTS_END_ANNOTATION, WatchEvent, WatchEventError, WatchEventType};
