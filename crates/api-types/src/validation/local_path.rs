//! Paths inside a volume or on the node: the rules that keep a user-supplied path from climbing
//! out of the directory it is meant to stay in (`..` elements) or from being absolute where a
//! relative one is expected. Mount sub-paths, projected file paths and host paths all use them.

use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;

/// A path may not contain a `..` element; one finding is enough however many there are.
pub(crate) fn validate_no_backsteps(target: &str, path: &FieldPath) -> ErrorList {
    if target.split('/').any(|element| element == "..") {
        FieldError::invalid(path, target, "must not contain '..'").into()
    } else {
        ErrorList::new()
    }
}

/// A path that must stay below the directory it is resolved against: relative and without `..`.
pub(crate) fn validate_local_descending_path(target: &str, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    if target.starts_with('/') {
        errors.push(FieldError::invalid(path, target, "must be a relative path"));
    }
    errors.append(validate_no_backsteps(target, path));
    errors
}

/// A file name written into a volume (secret items, downward API files): a descending path that
/// also may not start with `..` (which would collide with the volume's own `..data` links).
pub(crate) fn validate_local_non_reserved_path(target: &str, path: &FieldPath) -> ErrorList {
    let mut errors = validate_local_descending_path(target, path);
    if target.starts_with("..") && !target.starts_with("../") {
        errors.push(FieldError::invalid(path, target, "must not start with '..'"));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> FieldPath {
        FieldPath::new("spec").child("path")
    }

    fn details(errors: &ErrorList) -> Vec<&str> {
        errors.iter().map(|error| error.detail.as_str()).collect()
    }

    #[test]
    fn backsteps_are_reported_once() {
        assert!(validate_no_backsteps("a/b..c/d", &path()).is_empty());
        assert_eq!(
            details(&validate_no_backsteps("../../x/..", &path())),
            ["must not contain '..'"]
        );
    }

    #[test]
    fn descending_paths_are_relative() {
        assert!(validate_local_descending_path("conf/app.yaml", &path()).is_empty());
        let errors = validate_local_descending_path("/etc/../passwd", &path());
        assert_eq!(details(&errors), ["must be a relative path", "must not contain '..'"]);
        assert_eq!(errors[0].field, "spec.path");
    }

    #[test]
    fn reserved_prefix_is_reported_unless_already_a_backstep() {
        assert_eq!(
            details(&validate_local_non_reserved_path("..data", &path())),
            ["must not start with '..'"]
        );
        assert_eq!(
            details(&validate_local_non_reserved_path("../x", &path())),
            ["must not contain '..'"]
        );
        assert!(validate_local_non_reserved_path("data", &path()).is_empty());
    }
}
