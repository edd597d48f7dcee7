//! `PatchType`: the four patch formats a PATCH request can use, named by its `Content-Type`.
//! The apiserver picks the patch algorithm (see [`crate::patch`]) from it and answers 415 for any
//! other content type.

use std::fmt;

/// A patch format, as upstream's `types.PatchType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PatchType {
    /// RFC 6902 operations (`[{"op":"replace","path":"/spec/replicas","value":3}]`).
    Json,
    /// RFC 7386 merge patch: objects merge, lists and scalars replace, `null` deletes.
    Merge,
    /// Kubernetes' strategic merge: lists merge by key where the type says so; built-in kinds only.
    StrategicMerge,
    /// Server-side apply: the body is the caller's full intent, owned by `fieldManager`.
    Apply,
}

impl PatchType {
    /// Every format, in the order upstream lists them in its 415 message.
    pub const ALL: [PatchType; 4] =
        [PatchType::Json, PatchType::Merge, PatchType::StrategicMerge, PatchType::Apply];

    /// The `Content-Type` naming this format.
    pub const fn content_type(self) -> &'static str {
        match self {
            PatchType::Json => "application/json-patch+json",
            PatchType::Merge => "application/merge-patch+json",
            PatchType::StrategicMerge => "application/strategic-merge-patch+json",
            PatchType::Apply => "application/apply-patch+yaml",
        }
    }

    /// The format a request's `Content-Type` names. Parameters such as `; charset=utf-8` are
    /// ignored, as upstream ignores them; `None` means the server should answer 415.
    pub fn from_content_type(content_type: &str) -> Option<Self> {
        let media_type = content_type.split(';').next().unwrap_or_default().trim();
        Self::ALL.into_iter().find(|patch| patch.content_type().eq_ignore_ascii_case(media_type))
    }
}

impl fmt::Display for PatchType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.content_type())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_round_trip() {
        for patch in PatchType::ALL {
            assert_eq!(PatchType::from_content_type(patch.content_type()), Some(patch));
            assert_eq!(patch.to_string(), patch.content_type());
        }
    }

    #[test]
    fn parameters_and_case_are_ignored() {
        assert_eq!(
            PatchType::from_content_type("application/merge-patch+json; charset=utf-8"),
            Some(PatchType::Merge)
        );
        assert_eq!(
            PatchType::from_content_type("Application/Strategic-Merge-Patch+JSON"),
            Some(PatchType::StrategicMerge)
        );
    }

    #[test]
    fn other_content_types_are_rejected() {
        assert_eq!(PatchType::from_content_type("application/json"), None);
        assert_eq!(PatchType::from_content_type("application/apply-patch+cbor"), None);
        assert_eq!(PatchType::from_content_type(""), None);
    }
}
