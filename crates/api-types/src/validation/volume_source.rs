//! "Exactly one of" unions of storage sources (a pod volume, a PersistentVolume): the first source
//! present is checked, every further one is refused, and none at all is an error.

use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;

/// Collects the members of a source union in declaration order.
pub(crate) struct SourceUnion<'p> {
    path: &'p FieldPath,
    present: usize,
    errors: ErrorList,
}

impl<'p> SourceUnion<'p> {
    /// An empty union whose members sit under `path`.
    pub(crate) fn new(path: &'p FieldPath) -> Self {
        SourceUnion { path, present: 0, errors: ErrorList::new() }
    }

    /// Member `field`: checked with `check` at `path.field` if it is the first one present.
    pub(crate) fn add<T>(
        &mut self,
        field: &'static str,
        source: Option<&T>,
        check: impl FnOnce(&T, &FieldPath) -> ErrorList,
    ) {
        self.add_checked_at(field, field, source, check);
    }

    /// Like [`SourceUnion::add`], where upstream checks the member under another name than the
    /// one it refuses it under (`gcePersistentDisk` is checked as `persistentDisk`).
    pub(crate) fn add_checked_at<T>(
        &mut self,
        field: &'static str,
        checked_as: &'static str,
        source: Option<&T>,
        check: impl FnOnce(&T, &FieldPath) -> ErrorList,
    ) {
        let Some(source) = source else {
            return;
        };
        if self.present > 0 {
            self.errors.push(FieldError::forbidden(
                &self.path.child(field),
                "may not specify more than 1 volume type",
            ));
        } else {
            self.present += 1;
            self.errors.append(check(source, &self.path.child(checked_as)));
        }
    }

    /// A member that upstream counts and checks even after another one (a PersistentVolume's
    /// `flexVolume`); later members are still refused.
    pub(crate) fn add_always<T>(
        &mut self,
        field: &'static str,
        source: Option<&T>,
        check: impl FnOnce(&T, &FieldPath) -> ErrorList,
    ) {
        if let Some(source) = source {
            self.present += 1;
            self.errors.append(check(source, &self.path.child(field)));
        }
    }

    /// Adds findings that belong right after the member just added, whatever its standing.
    pub(crate) fn append(&mut self, errors: ErrorList) {
        self.errors.append(errors);
    }

    /// The findings, with `Required` when no member was present.
    pub(crate) fn finish(mut self) -> ErrorList {
        if self.present == 0 {
            self.errors.push(FieldError::required(self.path, "must specify a volume type"));
        }
        self.errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::ErrorType;

    fn never_valid(_: &(), path: &FieldPath) -> ErrorList {
        FieldError::required(&path.child("x"), "").into()
    }

    #[test]
    fn first_member_is_checked_and_later_ones_refused() {
        let path = FieldPath::new("spec").child("volumes").index(0);
        let mut union = SourceUnion::new(&path);
        union.add("hostPath", Some(&()), never_valid);
        union.add("nfs", None::<&()>, never_valid);
        union.add_checked_at("gcePersistentDisk", "persistentDisk", Some(&()), never_valid);
        let errors = union.finish();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "spec.volumes[0].hostPath.x");
        assert_eq!(
            errors[1].to_string(),
            "spec.volumes[0].gcePersistentDisk: Forbidden: may not specify more than 1 volume type"
        );
    }

    #[test]
    fn no_member_is_required() {
        let path = FieldPath::new("spec");
        let errors = SourceUnion::new(&path).finish();
        assert_eq!(errors[0].kind, ErrorType::Required);
        assert_eq!(errors[0].to_string(), "spec: Required value: must specify a volume type");
    }

    #[test]
    fn always_counted_members_are_checked_after_others() {
        let path = FieldPath::new("spec");
        let mut union = SourceUnion::new(&path);
        union.add("nfs", Some(&()), |_, _| ErrorList::new());
        union.add_always("flexVolume", Some(&()), never_valid);
        union.add("csi", Some(&()), never_valid);
        let fields: Vec<String> = union.finish().iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["spec.flexVolume.x", "spec.csi"]);
    }
}
