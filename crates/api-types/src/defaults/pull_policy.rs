//! The default `imagePullPolicy`: pull every time when the image floats on `latest` (written or
//! implied), otherwise only when the node lacks it.

use super::image_reference::{DEFAULT_TAG, ImageReference};

/// `imagePullPolicy: Always`.
pub const PULL_ALWAYS: &str = "Always";
/// `imagePullPolicy: IfNotPresent`.
pub const PULL_IF_NOT_PRESENT: &str = "IfNotPresent";

/// The pull policy a container gets when it names none. A reference that does not parse counts
/// as untagged-but-not-`latest` (`IfNotPresent`), as upstream ignores the parse error here and
/// leaves rejecting the image to validation.
pub fn default_image_pull_policy(image: &str) -> &'static str {
    let floats_on_latest = ImageReference::parse(image)
        .ok()
        .is_some_and(|reference| reference.effective_tag() == Some(DEFAULT_TAG));
    if floats_on_latest { PULL_ALWAYS } else { PULL_IF_NOT_PRESENT }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa";

    #[test]
    fn image_tag_rule_table() {
        let cases = [
            ("nginx", PULL_ALWAYS),
            ("nginx:latest", PULL_ALWAYS),
            ("nginx:1.7.9", PULL_IF_NOT_PRESENT),
            ("localhost:5000/nginx", PULL_ALWAYS),
            ("localhost:5000/nginx:v1", PULL_IF_NOT_PRESENT),
            ("localhost:5000/nginx:latest", PULL_ALWAYS),
            ("docker.io/library/nginx:latest", PULL_ALWAYS),
            ("gcr.io/google_samples/gb-redisslave:v1", PULL_IF_NOT_PRESENT),
            ("redis", PULL_ALWAYS),
            // The tag is case-sensitive: only the exact word `latest` floats.
            ("nginx:Latest", PULL_IF_NOT_PRESENT),
            // A port-only registry reference with no path: `5000` is the tag.
            ("localhost:5000", PULL_IF_NOT_PRESENT),
            // Unparseable references fall back to IfNotPresent even when they say `latest`.
            ("", PULL_IF_NOT_PRESENT),
            ("Nginx:latest", PULL_IF_NOT_PRESENT),
            ("nginx:latest@sha256:short", PULL_IF_NOT_PRESENT),
        ];
        for (image, expected) in cases {
            assert_eq!(default_image_pull_policy(image), expected, "{image:?}");
        }
    }

    #[test]
    fn digests_pin_unless_a_latest_tag_is_also_written() {
        assert_eq!(default_image_pull_policy(&format!("nginx@{DIGEST}")), PULL_IF_NOT_PRESENT);
        assert_eq!(
            default_image_pull_policy(&format!("localhost:5000/nginx@{DIGEST}")),
            PULL_IF_NOT_PRESENT
        );
        assert_eq!(default_image_pull_policy(&format!("nginx:latest@{DIGEST}")), PULL_ALWAYS);
        assert_eq!(default_image_pull_policy(&format!("nginx:1.25@{DIGEST}")), PULL_IF_NOT_PRESENT);
    }
}
