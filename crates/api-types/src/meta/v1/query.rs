//! URL query strings as the API reads and writes them: percent-decoding into parameters with Go's
//! value rules (first value wins, `?watch` means true, integers must parse), and encoding back in
//! Go's `url.Values.Encode` form (sorted keys, `QueryEscape` escaping).
//!
//! The option structs ([`ListOptions`](super::ListOptions) and friends) implement
//! [`QueryParameters`] on top of this, so the apiserver parses requests and clients build URLs
//! with one codec.

use std::fmt::Write as _;

/// Why a query string or one of its parameters could not be read. Each variant names the
/// parameter, so the apiserver's 400 tells the user what to fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("invalid URL escape in query parameter {name:?}: {text:?}")]
    BadEscape { name: String, text: String },
    #[error("query parameter {name:?} is not valid UTF-8 once decoded")]
    NotUtf8 { name: String },
    #[error("invalid value for query parameter {name:?}: {value:?} is not an integer")]
    NotAnInteger { name: String, value: String },
}

/// A decoded query string: `(name, value)` pairs in request order, repeats kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    /// Splits on `&`, then each part on its first `=` (a bare `name` has the empty value), and
    /// percent-decodes both sides with `+` as a space. A leading `?` is ignored.
    pub fn parse(query: &str) -> Result<Self, QueryError> {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut pairs = Vec::new();
        for part in query.split('&').filter(|part| !part.is_empty()) {
            let (raw_name, raw_value) = part.split_once('=').unwrap_or((part, ""));
            let name = percent_decode(raw_name).map_err(|error| error.named(raw_name))?;
            let value = percent_decode(raw_value).map_err(|error| error.named(&name))?;
            pairs.push((name, value));
        }
        Ok(QueryParams { pairs })
    }

    /// The first value of `name`, which is the one upstream's option decoding uses.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Every value of `name`, for list-valued parameters such as `dryRun`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs.iter().filter(move |(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The first value of `name`, or empty when absent.
    pub fn string(&self, name: &str) -> String {
        self.first(name).unwrap_or_default().to_string()
    }

    /// The first value of `name` when present.
    pub fn optional_string(&self, name: &str) -> Option<String> {
        self.first(name).map(str::to_string)
    }

    /// Go's rule for boolean parameters: absent is false; `false` (any case) and `0` are false;
    /// anything else, including the empty value of a bare `?watch`, is true.
    pub fn bool(&self, name: &str) -> bool {
        self.optional_bool(name).unwrap_or(false)
    }

    /// [`QueryParams::bool`] for pointer fields: `None` when the parameter is absent.
    pub fn optional_bool(&self, name: &str) -> Option<bool> {
        self.first(name).map(|value| !(value == "0" || value.eq_ignore_ascii_case("false")))
    }

    /// A base-10 integer; absent is 0, and a present but unparsable value (even empty) is an error.
    pub fn int64(&self, name: &str) -> Result<i64, QueryError> {
        Ok(self.optional_int64(name)?.unwrap_or(0))
    }

    /// [`QueryParams::int64`] for pointer fields: `None` when the parameter is absent.
    pub fn optional_int64(&self, name: &str) -> Result<Option<i64>, QueryError> {
        self.first(name)
            .map(|value| {
                value.parse::<i64>().map_err(|_| QueryError::NotAnInteger {
                    name: name.to_string(),
                    value: value.to_string(),
                })
            })
            .transpose()
    }
}

/// Collects parameters and renders them as Go's `url.Values.Encode` does: keys sorted (values of
/// one key in insertion order), each side escaped with [`percent_encode`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryBuilder {
    pairs: Vec<(String, String)>,
}

impl QueryBuilder {
    /// Adds `name=value` unconditionally.
    pub fn push(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.pairs.push((name.to_string(), value.into()));
        self
    }

    /// Adds a string that Go tags `omitempty`: nothing when empty.
    pub fn string(&mut self, name: &str, value: &str) -> &mut Self {
        if !value.is_empty() {
            self.push(name, value);
        }
        self
    }

    /// Adds a pointer string: nothing when `None`, even an empty value otherwise.
    pub fn optional_string(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.push(name, value);
        }
        self
    }

    /// Adds one `name=value` per element, for list-valued parameters.
    pub fn strings(&mut self, name: &str, values: &[String]) -> &mut Self {
        for value in values {
            self.push(name, value.as_str());
        }
        self
    }

    /// Adds an `omitempty` boolean: `name=true`, or nothing when false.
    pub fn bool(&mut self, name: &str, value: bool) -> &mut Self {
        if value {
            self.push(name, "true");
        }
        self
    }

    /// Adds a pointer boolean: `true`/`false`, or nothing when `None`.
    pub fn optional_bool(&mut self, name: &str, value: Option<bool>) -> &mut Self {
        if let Some(value) = value {
            self.push(name, value.to_string());
        }
        self
    }

    /// Adds an `omitempty` integer: nothing when zero.
    pub fn int64(&mut self, name: &str, value: i64) -> &mut Self {
        if value != 0 {
            self.push(name, value.to_string());
        }
        self
    }

    /// Adds a pointer integer: nothing when `None`, even `0` otherwise.
    pub fn optional_int64(&mut self, name: &str, value: Option<i64>) -> &mut Self {
        if let Some(value) = value {
            self.push(name, value.to_string());
        }
        self
    }

    /// The encoded query string without a leading `?`; empty when no parameter was added.
    pub fn finish(&self) -> String {
        let mut sorted: Vec<&(String, String)> = self.pairs.iter().collect();
        sorted.sort_by(|left, right| left.0.cmp(&right.0));
        let mut query = String::new();
        for (name, value) in sorted {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&percent_encode(name));
            query.push('=');
            query.push_str(&percent_encode(value));
        }
        query
    }
}

/// A set of options carried in a URL query (`?labelSelector=...&limit=500`), read by the apiserver
/// and written by clients.
pub trait QueryParameters: Sized {
    /// Reads the options from already-decoded parameters; unknown parameters are ignored, as
    /// upstream ignores them.
    fn from_params(params: &QueryParams) -> Result<Self, QueryError>;

    /// Adds the options that differ from their zero value.
    fn write_params(&self, query: &mut QueryBuilder);

    /// Reads the options from a raw query string (with or without its leading `?`).
    fn from_query(query: &str) -> Result<Self, QueryError> {
        Self::from_params(&QueryParams::parse(query)?)
    }

    /// Renders the options as a query string without the leading `?`.
    fn to_query(&self) -> String {
        let mut query = QueryBuilder::default();
        self.write_params(&mut query);
        query.finish()
    }
}

/// Escapes `text` as Go's `url.QueryEscape`: ASCII letters, digits and `-_.~` stay, space becomes
/// `+`, every other byte becomes `%XX` with upper-case hex.
pub fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(char::from(byte));
            }
            b' ' => encoded.push('+'),
            _ => {
                let _ = write!(encoded, "%{byte:02X}");
            }
        }
    }
    encoded
}

/// Why [`percent_decode`] failed, before the parameter name is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits; holds the offending escape.
    BadEscape(String),
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

impl DecodeError {
    fn named(self, name: &str) -> QueryError {
        let name = name.to_string();
        match self {
            DecodeError::BadEscape(text) => QueryError::BadEscape { name, text },
            DecodeError::NotUtf8 => QueryError::NotUtf8 { name },
        }
    }
}

/// Reverses [`percent_encode`] as Go's `url.QueryUnescape` does: `%XX` (either case) is a byte,
/// `+` is a space, and a malformed escape is an error rather than being passed through.
pub fn percent_decode(text: &str) -> Result<String, DecodeError> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let escape = bytes.get(index + 1..index + 3);
                let value =
                    escape.and_then(|hex| Some(hex_value(hex[0])? * 16 + hex_value(hex[1])?));
                let Some(value) = value else {
                    let end = (index + 3).min(bytes.len());
                    return Err(DecodeError::BadEscape(
                        String::from_utf8_lossy(&bytes[index..end]).into_owned(),
                    ));
                };
                decoded.push(value);
                index += 3;
            }
            b'+' => {
                decoded.push(b' ');
                index += 1;
            }
            byte => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).map_err(|_| DecodeError::NotUtf8)
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).map(|value| value as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_follows_query_unescape() {
        assert_eq!(percent_decode("app%3Dweb%2Ctier+in+%28fe%29").unwrap(), "app=web,tier in (fe)");
        assert_eq!(percent_decode("%c3%a9t%C3%A9").unwrap(), "été");
        assert_eq!(percent_decode("plain").unwrap(), "plain");
        assert_eq!(percent_decode("50%").unwrap_err(), DecodeError::BadEscape("%".into()));
        assert_eq!(percent_decode("%zz1").unwrap_err(), DecodeError::BadEscape("%zz".into()));
        assert_eq!(percent_decode("%ff").unwrap_err(), DecodeError::NotUtf8);
    }

    #[test]
    fn encoding_follows_query_escape() {
        assert_eq!(percent_encode("app=web,tier in (fe)"), "app%3Dweb%2Ctier+in+%28fe%29");
        assert_eq!(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(percent_encode("été/?&#+"), "%C3%A9t%C3%A9%2F%3F%26%23%2B");
        for text in ["metadata.name!=x", "k8s.io/x in (a, b)", "100%"] {
            assert_eq!(percent_decode(&percent_encode(text)).unwrap(), text);
        }
    }

    #[test]
    fn parameters_keep_order_and_repeats() {
        let params = QueryParams::parse("?dryRun=All&watch&dryRun=Other&empty=").unwrap();
        assert_eq!(params.all("dryRun").collect::<Vec<_>>(), ["All", "Other"]);
        assert_eq!(params.first("dryRun"), Some("All"));
        assert_eq!(params.first("watch"), Some(""));
        assert_eq!(params.first("empty"), Some(""));
        assert_eq!(params.first("missing"), None);
        assert_eq!(QueryParams::parse("").unwrap(), QueryParams::default());
    }

    #[test]
    fn booleans_follow_go_conversion() {
        let params = QueryParams::parse("a&b=true&c=0&d=FALSE&e=False&f=yes&g=1&h=no").unwrap();
        let values: Vec<bool> =
            ["a", "b", "c", "d", "e", "f", "g", "h"].iter().map(|name| params.bool(name)).collect();
        assert_eq!(values, [true, true, false, false, false, true, true, true]);
        assert!(!params.bool("missing"));
        assert_eq!(params.optional_bool("missing"), None);
        assert_eq!(params.optional_bool("c"), Some(false));
    }

    #[test]
    fn integers_must_parse_and_errors_name_the_parameter() {
        let params = QueryParams::parse("limit=500&neg=-3&plus=%2B7&bad=abc&empty=").unwrap();
        assert_eq!(params.int64("limit"), Ok(500));
        assert_eq!(params.int64("neg"), Ok(-3));
        assert_eq!(params.int64("plus"), Ok(7));
        assert_eq!(params.int64("missing"), Ok(0));
        assert_eq!(params.optional_int64("missing"), Ok(None));
        let error = params.int64("bad").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"invalid value for query parameter "bad": "abc" is not an integer"#
        );
        assert!(params.int64("empty").is_err());
    }

    #[test]
    fn bad_escapes_name_the_parameter() {
        let error = QueryParams::parse("labelSelector=app%3").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"invalid URL escape in query parameter "labelSelector": "%3""#
        );
    }

    #[test]
    fn builder_sorts_keys_and_skips_zero_values() {
        let mut query = QueryBuilder::default();
        query
            .string("resourceVersion", "")
            .int64("limit", 0)
            .bool("watch", false)
            .optional_bool("sendInitialEvents", Some(false))
            .strings("dryRun", &["All".to_string()])
            .string("labelSelector", "app=web")
            .optional_int64("timeoutSeconds", Some(0));
        assert_eq!(
            query.finish(),
            "dryRun=All&labelSelector=app%3Dweb&sendInitialEvents=false&timeoutSeconds=0"
        );
        assert_eq!(QueryBuilder::default().finish(), "");
    }
}
