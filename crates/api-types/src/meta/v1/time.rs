//! `Time` and `MicroTime`: timestamps with upstream's exact text forms.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A timestamp serialized as RFC 3339 with whole seconds (`2015-07-01T10:00:00Z`), as upstream's
/// `metav1.Time` is; sub-second precision is dropped on the wire like upstream drops it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub DateTime<Utc>);

/// A timestamp with microseconds (`2015-07-01T10:00:00.000000Z`), upstream's `metav1.MicroTime`,
/// used by Lease and events.k8s.io.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MicroTime(pub DateTime<Utc>);

impl Time {
    /// The current time truncated to seconds, so the value equals what a reader decodes.
    pub fn now() -> Self {
        Time(truncate(Utc::now(), 1_000_000_000))
    }
}

impl MicroTime {
    /// The current time truncated to microseconds.
    pub fn now() -> Self {
        MicroTime(truncate(Utc::now(), 1_000))
    }
}

fn truncate(at: DateTime<Utc>, nanos_unit: u32) -> DateTime<Utc> {
    let nanos = at.timestamp_subsec_nanos();
    at - chrono::Duration::nanoseconds(i64::from(nanos % nanos_unit))
}

fn parse(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|err| format!("parsing time {text:?} as RFC 3339: {err}"))
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Secs, true))
    }
}

impl fmt::Display for MicroTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Micros, true))
    }
}

impl std::str::FromStr for Time {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        parse(text).map(|at| Time(truncate(at, 1_000_000_000)))
    }
}

impl std::str::FromStr for MicroTime {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        parse(text).map(|at| MicroTime(truncate(at, 1_000)))
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for MicroTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for MicroTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_round_trips_in_seconds() {
        let time: Time = serde_json::from_str(r#""2015-07-01T10:00:00Z""#).unwrap();
        assert_eq!(serde_json::to_string(&time).unwrap(), r#""2015-07-01T10:00:00Z""#);
        let with_offset: Time = serde_json::from_str(r#""2015-07-01T12:00:00.75+02:00""#).unwrap();
        assert_eq!(with_offset, time);
    }

    #[test]
    fn micro_time_keeps_microseconds() {
        let time: MicroTime = serde_json::from_str(r#""2023-01-02T03:04:05.123456Z""#).unwrap();
        assert_eq!(serde_json::to_string(&time).unwrap(), r#""2023-01-02T03:04:05.123456Z""#);
        let whole: MicroTime = serde_json::from_str(r#""2023-01-02T03:04:05Z""#).unwrap();
        assert_eq!(whole.to_string(), "2023-01-02T03:04:05.000000Z");
    }

    #[test]
    fn bad_time_is_an_error() {
        assert!(serde_json::from_str::<Time>(r#""yesterday""#).is_err());
    }
}
