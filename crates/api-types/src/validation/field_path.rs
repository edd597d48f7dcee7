//! `FieldPath`: where in an object a validation finding points, written the way upstream writes it
//! (`spec.containers[0].ports[1].containerPort`, `metadata.labels[app]`) because clients match on
//! that text in `Status.details.causes[].field`.

use std::fmt;

/// A path from the object's root to one field, list item or map entry.
///
/// Paths are built by extension (`FieldPath::new("spec").child("ports").index(0)`) and never
/// change once built, so one parent can be shared by all of its children.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldPath {
    rendered: String,
}

impl FieldPath {
    /// A path starting at the top-level field `name` (`metadata`, `spec`, `data`).
    pub fn new(name: &str) -> Self {
        FieldPath { rendered: name.to_string() }
    }

    /// The field `name` inside this one: `spec` → `spec.ports`.
    pub fn child(&self, name: &str) -> Self {
        if self.rendered.is_empty() {
            return FieldPath::new(name);
        }
        FieldPath { rendered: format!("{}.{name}", self.rendered) }
    }

    /// Item `index` of this list: `spec.ports` → `spec.ports[0]`.
    pub fn index(&self, index: usize) -> Self {
        FieldPath { rendered: format!("{}[{index}]", self.rendered) }
    }

    /// Entry `key` of this map, unquoted as upstream writes it: `metadata.labels` →
    /// `metadata.labels[app]`.
    pub fn key(&self, key: &str) -> Self {
        FieldPath { rendered: format!("{}[{key}]", self.rendered) }
    }

    /// The rendered path, as it appears in messages and in a cause's `field`.
    pub fn as_str(&self) -> &str {
        &self.rendered
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_indices_and_keys_render_like_upstream() {
        let ports = FieldPath::new("spec").child("containers").index(0).child("ports");
        assert_eq!(
            ports.index(1).child("containerPort").as_str(),
            "spec.containers[0].ports[1].containerPort"
        );
        assert_eq!(
            FieldPath::new("metadata").child("labels").key("app").to_string(),
            "metadata.labels[app]"
        );
        assert_eq!(FieldPath::new("data").key("tls.crt").as_str(), "data[tls.crt]");
    }

    #[test]
    fn a_child_of_the_empty_path_is_a_root() {
        assert_eq!(FieldPath::default().child("spec").as_str(), "spec");
    }

    #[test]
    fn extending_leaves_the_parent_unchanged() {
        let spec = FieldPath::new("spec");
        let _ = spec.child("ports");
        assert_eq!(spec.as_str(), "spec");
    }
}
