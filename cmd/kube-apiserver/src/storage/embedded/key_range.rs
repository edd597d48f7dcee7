//! Which keys a list or watch covers, as a half-open byte range the database can seek in.

/// The keys `[start, end)` in byte order, which is also the order SQLite compares BLOBs in and the
/// order etcd lists keys in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct KeyRange {
    pub start: Vec<u8>,
    pub end: Vec<u8>,
}

impl KeyRange {
    /// Every key starting with `prefix`. Keys are UTF-8, whose bytes never exceed 0xF4, so the
    /// prefix with its last byte raised by one bounds the range (and `[0xFF]` bounds the empty
    /// prefix).
    pub fn prefix(prefix: &str) -> Self {
        let start = prefix.as_bytes().to_vec();
        let end = match start.split_last() {
            Some((last, head)) => {
                let mut end = head.to_vec();
                end.push(last + 1);
                end
            }
            None => vec![0xFF],
        };
        KeyRange { start, end }
    }

    /// Exactly `key`: no key sorts strictly between `key` and `key` followed by a NUL byte.
    pub fn single(key: &str) -> Self {
        let start = key.as_bytes().to_vec();
        let mut end = start.clone();
        end.push(0);
        KeyRange { start, end }
    }

    pub fn contains(&self, key: &str) -> bool {
        let key = key.as_bytes();
        key >= self.start.as_slice() && key < self.end.as_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_excludes_siblings_sharing_a_stem() {
        let range = KeyRange::prefix("/registry/pods/default/");
        assert!(range.contains("/registry/pods/default/web"));
        assert!(range.contains("/registry/pods/default/"));
        assert!(!range.contains("/registry/pods/default-2/web"));
        assert!(!range.contains("/registry/pods/defaul"));
        assert!(KeyRange::prefix("").contains("\u{10FFFF}"));
    }

    #[test]
    fn single_matches_only_the_key() {
        let range = KeyRange::single("/registry/pods/default/web");
        assert!(range.contains("/registry/pods/default/web"));
        assert!(!range.contains("/registry/pods/default/web-2"));
        assert!(!range.contains("/registry/pods/default/we"));
    }
}
