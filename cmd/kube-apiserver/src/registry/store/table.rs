//! The server-side `Table` (`kubectl get`) of a kind's objects: the kind's columns and cells, and
//! each row's object as `PartialObjectMetadata` (upstream's default `includeObject=Metadata`;
//! the HTTP layer swaps in the full object or nothing for `includeObject=Object`/`None`).

use super::convert::to_json;
use crate::registry::Strategy;
use api_types::meta::v1::{ListMeta, PartialObjectMetadata, Status, Table, TableRow};
use serde_json::Value;

/// The table of `objects` (one object, or a list's items); its metadata is the list's
/// resourceVersion, continue token and remaining count, or the single object's resourceVersion.
pub(super) fn build<T: Strategy>(
    objects: &[Value],
    list_meta: Option<Value>,
) -> Result<Table, Status> {
    let objects = objects
        .iter()
        // Deserializing from a borrowed tree avoids cloning every object first.
        .map(T::deserialize)
        .collect::<Result<Vec<T>, _>>()
        .map_err(|error| {
            Status::internal_error(format!("converting {} objects to a table: {error}", T::KIND))
        })?;
    let metadata = match (list_meta, objects.as_slice()) {
        (Some(list_meta), _) => ListMeta {
            self_link: String::new(),
            ..serde_json::from_value(list_meta).map_err(|error| {
                Status::internal_error(format!("reading the list metadata of a table: {error}"))
            })?
        },
        (None, [single]) => ListMeta {
            resource_version: single.metadata().resource_version.clone(),
            ..Default::default()
        },
        (None, _) => ListMeta::default(),
    };
    let rows = objects
        .iter()
        .map(|object| {
            Ok(TableRow {
                cells: object.table_cells(),
                conditions: object.table_row_conditions(),
                object: to_json(&PartialObjectMetadata::of(object))?,
            })
        })
        .collect::<Result<Vec<TableRow>, Status>>()?;
    Ok(Table::new(T::table_columns(), rows, metadata))
}
