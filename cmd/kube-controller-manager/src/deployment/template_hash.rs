//! The `pod-template-hash`: the label that ties a Deployment's template to the ReplicaSet made
//! from it, so each revision's pods and ReplicaSet have a distinct, stable name and selector.
//!
//! Upstream hashes its in-memory form of the template; we hash the template's canonical JSON
//! (with the collision count, which the controller bumps if two templates ever collide) with
//! FNV-1a and spell the number with upstream's vowel-free alphabet, so names look alike
//! (`frontend-7d4b9c6f5`) though the values differ from upstream's.

use api_types::api::core::v1::PodTemplateSpec;

/// The label (on ReplicaSets, their selectors and their pods) naming the template revision.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

/// The characters upstream's safe encoding maps digits to: no vowels, so no words.
const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The hash of `template` (its own hash label ignored) and the collision count.
pub fn template_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut template = template.clone();
    template.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    let mut bytes = serde_json::to_vec(&template).expect("templates serialize");
    if let Some(count) = collision_count {
        bytes.extend_from_slice(&count.to_le_bytes());
    }
    safe_encode(&fnv1a_32(&bytes).to_string())
}

/// Whether two templates are the same revision: equal once their hash labels are ignored.
pub fn equal_ignoring_hash(left: &PodTemplateSpec, right: &PodTemplateSpec) -> bool {
    let strip = |template: &PodTemplateSpec| {
        let mut template = template.clone();
        template.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
        template
    };
    strip(left) == strip(right)
}

/// FNV-1a, 32 bits.
fn fnv1a_32(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193))
}

/// Maps every byte of `text` into [`SAFE_ALPHABET`].
fn safe_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| char::from(SAFE_ALPHABET[usize::from(byte) % SAFE_ALPHABET.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(image: &str) -> PodTemplateSpec {
        serde_json::from_value(json!({
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": image}]}
        }))
        .unwrap()
    }

    #[test]
    fn hashes_are_stable_distinct_and_ignore_their_own_label() {
        let v1 = template("nginx:1.26");
        let hash = template_hash(&v1, None);
        assert_eq!(hash, template_hash(&v1, None));
        assert!(hash.chars().all(|c| SAFE_ALPHABET.contains(&(c as u8))), "{hash}");
        assert_ne!(hash, template_hash(&template("nginx:1.27"), None));
        assert_ne!(hash, template_hash(&v1, Some(1)));
        let mut labelled = v1.clone();
        labelled.metadata.labels.insert(POD_TEMPLATE_HASH_LABEL.into(), hash.clone());
        assert_eq!(template_hash(&labelled, None), hash);
        assert!(equal_ignoring_hash(&labelled, &v1));
        assert!(!equal_ignoring_hash(&labelled, &template("nginx:1.27")));
    }

    #[test]
    fn fnv_matches_its_reference_values() {
        assert_eq!(fnv1a_32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a_32(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a_32(b"foobar"), 0xbf9c_f968);
    }
}
