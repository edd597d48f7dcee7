//! The randomness the store needs: object uids and `generateName` suffixes.
//!
//! Neither is a secret, so no cryptographic generator is needed; what matters is that values do
//! not repeat. Each draw hashes a process-wide counter and the clock with a freshly keyed SipHash
//! (std's `RandomState`, whose keys come from the operating system's random source), which gives
//! unpredictable, non-repeating 64-bit values without another dependency.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The characters of generated names: upstream's set, lower-case alphanumerics without vowels
/// and look-alike digits, so that generated names never spell words or read ambiguously.
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
/// How many random characters `generateName` appends, as upstream.
const NAME_SUFFIX_LENGTH: usize = 5;
/// The longest generated name, as upstream (a DNS label), so the prefix is cut to leave room.
const MAX_GENERATED_NAME_LENGTH: usize = 63;

fn random_u64() -> u64 {
    static DRAWS: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(DRAWS.fetch_add(1, Ordering::Relaxed));
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_nanos());
    hasher.write_u128(nanos);
    hasher.finish()
}

/// A random (version 4) UUID in its text form, for `metadata.uid`.
pub(super) fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&random_u64().to_be_bytes());
    bytes[8..].copy_from_slice(&random_u64().to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// A name for an object created with `generateName`: the prefix (cut so the whole fits in 63
/// characters) and five random characters.
pub(super) fn generate_name(prefix: &str) -> String {
    let room = MAX_GENERATED_NAME_LENGTH - NAME_SUFFIX_LENGTH;
    let mut name: String = prefix.chars().take(room).collect();
    let mut bits = random_u64();
    for _ in 0..NAME_SUFFIX_LENGTH {
        let index = (bits % NAME_ALPHABET.len() as u64) as usize;
        name.push(char::from(NAME_ALPHABET[index]));
        bits /= NAME_ALPHABET.len() as u64;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn uuids_have_the_v4_shape_and_do_not_repeat() {
        let uuids: HashSet<String> = (0..1000).map(|_| uuid_v4()).collect();
        assert_eq!(uuids.len(), 1000);
        for uuid in uuids.iter().take(20) {
            let groups: Vec<&str> = uuid.split('-').collect();
            assert_eq!(
                groups.iter().map(|group| group.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(groups[2].starts_with('4'), "{uuid}");
            assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"), "{uuid}");
            assert!(uuid.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        }
    }

    #[test]
    fn generated_names_use_upstreams_alphabet_and_fit_a_label() {
        let name = generate_name("web-");
        assert_eq!(name.len(), 9);
        assert!(name.starts_with("web-"));
        assert!(name[4..].bytes().all(|byte| NAME_ALPHABET.contains(&byte)), "{name}");

        let long = generate_name(&"x".repeat(80));
        assert_eq!(long.len(), 63);
        assert!(long.starts_with(&"x".repeat(58)));

        let names: HashSet<String> = (0..200).map(|_| generate_name("a-")).collect();
        assert!(names.len() > 190, "generated names repeat too often: {}", names.len());
    }
}
