//! `IntOrString`: a field that holds either a number or a name (`targetPort: 8080` or
//! `targetPort: http`, `maxSurge: 1` or `maxSurge: "25%"`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Upstream's `intstr.IntOrString`; on the wire a bare JSON number or a JSON string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IntOrString {
    Int(i32),
    String(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl From<i32> for IntOrString {
    fn from(value: i32) -> Self {
        IntOrString::Int(value)
    }
}

impl From<&str> for IntOrString {
    fn from(value: &str) -> Self {
        IntOrString::String(value.to_string())
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(value) => write!(f, "{value}"),
            IntOrString::String(value) => f.write_str(value),
        }
    }
}

impl IntOrString {
    /// Resolves a value that is either absolute or a percentage of `total`, as rolling updates and
    /// disruption budgets do; `round_up` picks ceil (maxSurge) or floor (maxUnavailable).
    pub fn scaled_value(&self, total: i32, round_up: bool) -> Result<i32, String> {
        match self {
            IntOrString::Int(value) => Ok(*value),
            IntOrString::String(text) => {
                let percent = text
                    .strip_suffix('%')
                    .and_then(|digits| digits.parse::<i64>().ok())
                    .ok_or_else(|| format!("invalid value for IntOrString: invalid type: string is not a percentage: {text:?}"))?;
                let product = percent * i64::from(total);
                let value =
                    if round_up { (product + 99).div_euclid(100) } else { product.div_euclid(100) };
                i32::try_from(value).map_err(|_| format!("value {value} out of range"))
            }
        }
    }
}

impl Serialize for IntOrString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrString::Int(value) => serializer.serialize_i32(*value),
            IntOrString::String(value) => serializer.serialize_str(value),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = IntOrString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
                i32::try_from(value)
                    .map(IntOrString::Int)
                    .map_err(|_| E::custom(format!("integer {value} out of int32 range")))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
                i32::try_from(value)
                    .map(IntOrString::Int)
                    .map_err(|_| E::custom(format!("integer {value} out of int32 range")))
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(IntOrString::String(value.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_forms() {
        assert_eq!(serde_json::from_str::<IntOrString>("8080").unwrap(), IntOrString::Int(8080));
        assert_eq!(
            serde_json::from_str::<IntOrString>(r#""http""#).unwrap(),
            IntOrString::from("http")
        );
        assert_eq!(serde_json::to_string(&IntOrString::Int(1)).unwrap(), "1");
        assert_eq!(serde_json::to_string(&IntOrString::from("25%")).unwrap(), r#""25%""#);
        assert!(serde_json::from_str::<IntOrString>("4294967296").is_err());
        assert!(serde_json::from_str::<IntOrString>("true").is_err());
    }

    #[test]
    fn percentages_scale_with_rounding() {
        let quarter = IntOrString::from("25%");
        assert_eq!(quarter.scaled_value(10, true), Ok(3));
        assert_eq!(quarter.scaled_value(10, false), Ok(2));
        assert_eq!(IntOrString::Int(4).scaled_value(10, true), Ok(4));
        assert!(IntOrString::from("abc").scaled_value(10, true).is_err());
    }
}
