//! RFC 6901 JSON pointers, the addresses JSON patch operations act on.

use super::PatchError;
use serde_json::Value;
use std::fmt;

/// A parsed JSON pointer: the reference tokens from the root down, unescaped.
///
/// Parsing follows RFC 6901 strictly: a non-empty pointer starts with `/`, `~` must be followed
/// by `0` (a literal `~`) or `1` (a literal `/`), and array indices are `0` or digits without a
/// leading zero. (Upstream's json-patch library is laxer and also takes negative indices; a
/// patch that relies on that is rejected here.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonPointer {
    tokens: Vec<String>,
}

impl JsonPointer {
    /// Parses the textual form used in a patch's `path` and `from` members.
    pub fn parse(text: &str) -> Result<Self, PatchError> {
        if text.is_empty() {
            return Ok(JsonPointer { tokens: Vec::new() });
        }
        let Some(rest) = text.strip_prefix('/') else {
            return Err(PatchError::InvalidJsonPatch(format!(
                "JSON pointer {text:?} must be empty or start with '/'"
            )));
        };
        let tokens = rest.split('/').map(|raw| unescape(raw, text)).collect::<Result<_, _>>()?;
        Ok(JsonPointer { tokens })
    }

    /// Whether this pointer names the whole document.
    pub fn is_root(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The unescaped reference tokens, outermost first.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// Whether `other` points strictly inside the value this pointer names.
    pub fn is_proper_prefix_of(&self, other: &JsonPointer) -> bool {
        self.tokens.len() < other.tokens.len() && other.tokens.starts_with(&self.tokens)
    }

    /// The value this pointer names in `document`, if there is one.
    pub fn resolve<'a>(&self, document: &'a Value) -> Option<&'a Value> {
        self.tokens.iter().try_fold(document, |current, token| child(current, token))
    }

    /// The value this pointer names, for changing in place.
    pub fn resolve_mut<'a>(&self, document: &'a mut Value) -> Option<&'a mut Value> {
        self.tokens.iter().try_fold(document, |current, token| child_mut(current, token))
    }

    /// The container holding the named value, and the token that selects the value in it.
    /// `None` for the root pointer or when the container does not exist.
    pub fn resolve_parent_mut<'a>(&self, document: &'a mut Value) -> Option<(&'a mut Value, &str)> {
        let (last, parents) = self.tokens.split_last()?;
        let parent =
            parents.iter().try_fold(document, |current, token| child_mut(current, token))?;
        Some((parent, last.as_str()))
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for token in &self.tokens {
            write!(f, "/{}", token.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}

/// Reads an RFC 6901 array index: `0`, or digits without a leading zero.
pub(crate) fn array_index(token: &str) -> Option<usize> {
    let digits_only = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits_only || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

fn child<'a>(value: &'a Value, token: &str) -> Option<&'a Value> {
    match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => items.get(array_index(token)?),
        _ => None,
    }
}

fn child_mut<'a>(value: &'a mut Value, token: &str) -> Option<&'a mut Value> {
    match value {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => items.get_mut(array_index(token)?),
        _ => None,
    }
}

fn unescape(raw: &str, pointer: &str) -> Result<String, PatchError> {
    let mut token = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '~' {
            token.push(c);
            continue;
        }
        match chars.next() {
            Some('0') => token.push('~'),
            Some('1') => token.push('/'),
            _ => {
                return Err(PatchError::InvalidJsonPatch(format!(
                    "JSON pointer {pointer:?} has a '~' not followed by '0' or '1'"
                )));
            }
        }
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// RFC 6901 section 5: every pointer of the example resolves to the listed value.
    #[test]
    fn rfc6901_examples_resolve() {
        let document = json!({
            "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3,
            "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8
        });
        let cases = [
            ("", document.clone()),
            ("/foo", json!(["bar", "baz"])),
            ("/foo/0", json!("bar")),
            ("/", json!(0)),
            ("/a~1b", json!(1)),
            ("/c%d", json!(2)),
            ("/e^f", json!(3)),
            ("/g|h", json!(4)),
            ("/i\\j", json!(5)),
            ("/k\"l", json!(6)),
            ("/ ", json!(7)),
            ("/m~0n", json!(8)),
        ];
        for (text, expected) in cases {
            let pointer = JsonPointer::parse(text).unwrap();
            assert_eq!(pointer.resolve(&document), Some(&expected), "{text}");
            assert_eq!(pointer.to_string(), text, "round trip of {text}");
        }
    }

    #[test]
    fn escapes_decode_in_order() {
        // `~01` is a literal `~1`, not `/`.
        let pointer = JsonPointer::parse("/~01").unwrap();
        assert_eq!(pointer.tokens(), ["~1"]);
    }

    #[test]
    fn rejects_malformed_pointers() {
        for text in ["foo", "/a~", "/a~2"] {
            assert!(
                matches!(JsonPointer::parse(text), Err(PatchError::InvalidJsonPatch(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn array_indices_are_strict() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("12"), Some(12));
        for token in ["", "01", "-1", "+1", "1a", "-"] {
            assert_eq!(array_index(token), None, "{token}");
        }
        let document = json!({"a": [1, 2]});
        assert_eq!(JsonPointer::parse("/a/01").unwrap().resolve(&document), None);
        assert_eq!(JsonPointer::parse("/a/2").unwrap().resolve(&document), None);
    }

    #[test]
    fn prefix_relation() {
        let a = JsonPointer::parse("/a").unwrap();
        let ab = JsonPointer::parse("/a/b").unwrap();
        assert!(a.is_proper_prefix_of(&ab));
        assert!(!ab.is_proper_prefix_of(&a));
        assert!(!a.is_proper_prefix_of(&a));
    }
}
