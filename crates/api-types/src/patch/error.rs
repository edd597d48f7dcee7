//! The one error type of every patch format, with the HTTP status upstream answers it with.

/// Why a patch could not be decoded or applied.
///
/// The apiserver turns it into a `Status` with [`PatchError::status_code`], which follows
/// upstream's handler exactly:
///
/// - **400 Bad Request**: the body is not a patch of its kind ([`PatchError::InvalidJsonPatch`],
///   [`PatchError::InvalidJsonDocument`]) or a strategic directive has the wrong shape
///   ([`PatchError::BadPrimitiveListDirective`], [`PatchError::BadRetainKeysDirective`],
///   [`PatchError::BadSetElementOrderDirective`]).
/// - **422 Unprocessable Entity**: a well-formed JSON patch does not fit the object (missing path,
///   index out of range, failed `test`, move into a child), and lists of lists in a strategic
///   patch.
/// - **500 Internal Server Error** (reason left empty): every other strategic merge patch error.
///   Upstream classifies only the errors above and passes the rest through unwrapped, which the
///   apiserver reports as 500; kubectl prints them as `Error from server: <message>`. We keep that
///   answer so clients see what they would see from a real cluster.
///
/// Messages copy upstream's wording where clients or users may match on it
/// (`does not contain declared merge key`, `doc is missing path`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    /// The body of a JSON patch is not an array of well-formed operations.
    #[error("invalid JSON patch: {0}")]
    InvalidJsonPatch(String),

    /// A JSON patch operation names a location that does not exist in the document.
    #[error("{op} operation does not apply: doc is missing path: \"{path}\": missing value")]
    MissingPath { op: &'static str, path: String },

    /// A JSON patch operation addresses an array element past its end.
    #[error("{op} operation does not apply: index out of range in path \"{path}\"")]
    IndexOutOfRange { op: &'static str, path: String },

    /// A JSON patch `test` operation found a different value.
    #[error("testing value \"{path}\" failed: test failed")]
    TestFailed { path: String },

    /// A JSON patch `move` would put a value inside itself.
    #[error(
        "move operation does not apply: \"{from}\" cannot be moved into its own child \"{path}\""
    )]
    MoveIntoChild { from: String, path: String },

    /// The object or the strategic patch is not a JSON object.
    #[error("invalid JSON document")]
    InvalidJsonDocument,

    /// A `$deleteFromPrimitiveList` key or value has the wrong shape.
    #[error("invalid patch format of primitive list")]
    BadPrimitiveListDirective,

    /// A `$retainKeys` value is not a list, or the patch sets a field the list does not keep.
    #[error("invalid patch format of retainKeys")]
    BadRetainKeysDirective,

    /// A `$setElementOrder` key or value has the wrong shape.
    #[error("invalid patch format of setElementOrder list")]
    BadSetElementOrderDirective,

    /// A list whose elements are lists: strategic merge patch cannot key them.
    #[error("lists of lists are not supported")]
    ListOfLists,

    /// An element of a keyed list lacks its merge key (e.g. a container without `name`).
    #[error("map: {item} does not contain declared merge key: {key}")]
    MissingMergeKey { item: String, key: String },

    /// A `$patch` directive with a value other than `replace`, `delete` or `merge`.
    #[error("unknown patch type: {directive} in map: {item}")]
    UnknownDirective { directive: String, item: String },

    /// A `{"$patch": "merge"}` list element, which upstream reserves and rejects.
    #[error("merging lists cannot yet be specified in the patch")]
    MergeDirectiveInList,

    /// The patch list of a field is not in the order its `$setElementOrder` list gives.
    #[error("the order in patch list:\n{patch}\n doesn't match $setElementOrder list:\n{order}")]
    SetElementOrderMismatch { patch: String, order: String },

    /// The elements of the lists being merged are not all of one JSON type.
    #[error("list element types are not identical: {lists}")]
    MixedListElements { lists: String },

    /// A list of objects is declared as merging but has no merge key to match elements by.
    #[error("cannot merge lists without merge key for {field}")]
    ListWithoutMergeKey { field: String },

    /// A value where strategic merge patch needs another JSON type (a list, an object, ...).
    #[error("expected a {expected}, but received a {found}")]
    UnexpectedType { expected: &'static str, found: &'static str },
}

impl PatchError {
    /// The HTTP status code upstream's apiserver answers this error with (see the type's docs).
    pub fn status_code(&self) -> u16 {
        match self {
            PatchError::InvalidJsonPatch(_)
            | PatchError::InvalidJsonDocument
            | PatchError::BadPrimitiveListDirective
            | PatchError::BadRetainKeysDirective
            | PatchError::BadSetElementOrderDirective => 400,
            PatchError::MissingPath { .. }
            | PatchError::IndexOutOfRange { .. }
            | PatchError::TestFailed { .. }
            | PatchError::MoveIntoChild { .. }
            | PatchError::ListOfLists => 422,
            PatchError::MissingMergeKey { .. }
            | PatchError::UnknownDirective { .. }
            | PatchError::MergeDirectiveInList
            | PatchError::SetElementOrderMismatch { .. }
            | PatchError::MixedListElements { .. }
            | PatchError::ListWithoutMergeKey { .. }
            | PatchError::UnexpectedType { .. } => 500,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_follow_upstream_classification() {
        let cases = [
            (PatchError::InvalidJsonPatch("x".into()), 400),
            (PatchError::InvalidJsonDocument, 400),
            (PatchError::BadRetainKeysDirective, 400),
            (PatchError::BadSetElementOrderDirective, 400),
            (PatchError::BadPrimitiveListDirective, 400),
            (PatchError::TestFailed { path: "/a".into() }, 422),
            (PatchError::MissingPath { op: "remove", path: "/a".into() }, 422),
            (PatchError::ListOfLists, 422),
            (
                PatchError::MissingMergeKey { item: "map[image:nginx]".into(), key: "name".into() },
                500,
            ),
        ];
        for (error, code) in cases {
            assert_eq!(error.status_code(), code, "{error}");
        }
    }

    #[test]
    fn messages_match_upstream_wording() {
        let missing_key =
            PatchError::MissingMergeKey { item: "map[image:httpd]".into(), key: "name".into() };
        assert_eq!(
            missing_key.to_string(),
            "map: map[image:httpd] does not contain declared merge key: name"
        );
        let missing_path = PatchError::MissingPath { op: "add", path: "/spec/volumes/-".into() };
        assert_eq!(
            missing_path.to_string(),
            "add operation does not apply: doc is missing path: \"/spec/volumes/-\": missing value"
        );
    }
}
