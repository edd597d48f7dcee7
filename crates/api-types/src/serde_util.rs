//! Small serde helpers that make Rust fields behave like Go's `encoding/json`.
//!
//! Go accepts `null` for any non-pointer field (leaving the zero value) and omits zero values of
//! `omitempty` fields. YAML manifests often carry `key:` with no value, which arrives as `null`, so
//! every non-`Option` field must accept it too. See `docs/api-types.md` for the full mapping.

use serde::{Deserialize, Deserializer};

/// Deserializes `null` as the type's default, like Go does for non-pointer fields.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// `skip_serializing_if` for Go `omitempty` on numbers.
pub fn is_zero<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// `skip_serializing_if` for Go `omitempty` on `bool`.
pub fn is_false(value: &bool) -> bool {
    !*value
}

/// Base64-encoded bytes, Go's `[]byte` on the wire (Secret `data`, ConfigMap `binaryData`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteString(pub Vec<u8>);

impl serde::Serialize for ByteString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for ByteString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        let text = Option::<String>::deserialize(deserializer)?.unwrap_or_default();
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(ByteString)
            .map_err(|err| serde::de::Error::custom(format!("illegal base64 data: {err}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Deserialize, Serialize, Default, Debug, PartialEq)]
    struct Sample {
        #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
        items: Vec<String>,
        #[serde(default, skip_serializing_if = "is_zero")]
        count: i32,
        #[serde(default, skip_serializing_if = "is_false")]
        flag: bool,
    }

    #[test]
    fn null_is_the_zero_value() {
        let sample: Sample = serde_json::from_str(r#"{"items":null,"count":0}"#).unwrap();
        assert_eq!(sample, Sample::default());
        assert_eq!(serde_json::to_string(&sample).unwrap(), "{}");
    }

    #[test]
    fn byte_string_is_base64() {
        let bytes: ByteString = serde_json::from_str(r#""aGVsbG8=""#).unwrap();
        assert_eq!(bytes.0, b"hello");
        assert_eq!(serde_json::to_string(&bytes).unwrap(), r#""aGVsbG8=""#);
        let err = serde_json::from_str::<ByteString>(r#""***""#).unwrap_err();
        assert!(err.to_string().contains("illegal base64"), "{err}");
    }
}
