//! apimachinery's special types, which protobuf writes as small messages and JSON as scalars:
//! `Time` and `MicroTime` (`{seconds, nanos}` ↔ RFC 3339), `Duration` (nanoseconds ↔ Go's
//! duration text), `Quantity` (`{string}` ↔ its text), `IntOrString` (`{type, intVal, strVal}` ↔
//! a number or a string) and raw JSON (`RawExtension`, `FieldsV1`: `{raw}` ↔ the JSON inline).

use super::wire::{RawValue, Reader, Writer};
use api_types::meta::v1::{MicroTime, Time};
use chrono::DateTime;
use serde_json::Value;

/// Go's zero `time.Time` in Unix seconds (January 1 of year 1), which JSON writes as `null`.
const GO_ZERO_TIME_SECONDS: i64 = -62_135_596_800;

/// The varint and length-delimited fields of a small message, by number; later fields win.
fn small_message(bytes: &[u8]) -> Result<Vec<(u32, RawValue<'_>)>, String> {
    let mut reader = Reader::new(bytes);
    let mut fields = Vec::new();
    while let Some(field) = reader.next_field().map_err(|error| error.0)? {
        fields.push(field);
    }
    Ok(fields)
}

fn varint_of(fields: &[(u32, RawValue<'_>)], number: u32) -> Result<u64, String> {
    match fields.iter().rev().find(|(n, _)| *n == number) {
        None => Ok(0),
        Some((_, RawValue::Varint(value))) => Ok(*value),
        Some(_) => Err(format!("field {number} is not a varint")),
    }
}

fn bytes_of<'a>(fields: &[(u32, RawValue<'a>)], number: u32) -> Result<&'a [u8], String> {
    match fields.iter().rev().find(|(n, _)| *n == number) {
        None => Ok(&[]),
        Some((_, RawValue::Bytes(bytes))) => Ok(bytes),
        Some(_) => Err(format!("field {number} is not length-delimited")),
    }
}

fn only_fields(fields: &[(u32, RawValue<'_>)], known: &[u32], what: &str) -> Result<(), String> {
    match fields.iter().find(|(number, _)| !known.contains(number)) {
        Some((number, _)) => Err(format!("unknown field {number} in {what}")),
        None => Ok(()),
    }
}

/// A `Time` or `MicroTime` message as JSON: `null` for Go's zero time (an empty message), else
/// RFC 3339. `Time` drops the nanoseconds, as upstream's decoder does.
pub fn decode_time(bytes: &[u8], micro: bool) -> Result<Value, String> {
    let fields = small_message(bytes)?;
    only_fields(&fields, &[1, 2], "k8s.io.apimachinery.pkg.apis.meta.v1.Time")?;
    let seconds = varint_of(&fields, 1)? as i64;
    let nanos = if micro { varint_of(&fields, 2)? as i64 as i32 } else { 0 };
    if fields.is_empty() || (seconds == GO_ZERO_TIME_SECONDS && nanos == 0) {
        return Ok(Value::Null);
    }
    let nanos = u32::try_from(nanos).map_err(|_| format!("negative nanoseconds {nanos}"))?;
    let at = DateTime::from_timestamp(seconds, nanos)
        .ok_or_else(|| format!("timestamp {seconds}s out of range"))?;
    Ok(Value::from(if micro { MicroTime(at).to_string() } else { Time(at).to_string() }))
}

/// The `Time` or `MicroTime` message for an RFC 3339 string, seconds and nanoseconds as Go
/// writes them (`Time` carries no nanoseconds).
pub fn encode_time(value: &Value, micro: bool) -> Result<Vec<u8>, String> {
    let text = value.as_str().ok_or_else(|| format!("expected a timestamp, found {value}"))?;
    let at = DateTime::parse_from_rfc3339(text)
        .map_err(|error| format!("parsing time {text:?} as RFC 3339: {error}"))?;
    let nanos = if micro { at.timestamp_subsec_micros() * 1000 } else { 0 };
    let mut writer = Writer::new();
    writer.varint_field(1, at.timestamp() as u64);
    writer.varint_field(2, u64::from(nanos));
    Ok(writer.into_bytes())
}

/// A `Duration` message (`{duration: nanoseconds}`) as Go's text (`1h2m3.5s`).
pub fn decode_duration(bytes: &[u8]) -> Result<Value, String> {
    let fields = small_message(bytes)?;
    only_fields(&fields, &[1], "k8s.io.apimachinery.pkg.apis.meta.v1.Duration")?;
    Ok(Value::from(format_go_duration(varint_of(&fields, 1)? as i64)))
}

/// The `Duration` message for Go's duration text.
pub fn encode_duration(value: &Value) -> Result<Vec<u8>, String> {
    let text = value.as_str().ok_or_else(|| format!("expected a duration, found {value}"))?;
    let mut writer = Writer::new();
    writer.varint_field(1, parse_go_duration(text)? as u64);
    Ok(writer.into_bytes())
}

/// A `Quantity` message (`{string}`) as its text.
pub fn decode_quantity(bytes: &[u8]) -> Result<Value, String> {
    let fields = small_message(bytes)?;
    only_fields(&fields, &[1], "k8s.io.apimachinery.pkg.api.resource.Quantity")?;
    let text = std::str::from_utf8(bytes_of(&fields, 1)?)
        .map_err(|_| "quantity is not UTF-8".to_string())?;
    Ok(Value::from(if text.is_empty() { "0" } else { text }))
}

/// The `Quantity` message for a quantity written as a string or, as JSON allows, a number.
pub fn encode_quantity(value: &Value) -> Result<Vec<u8>, String> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        other => return Err(format!("expected a quantity, found {other}")),
    };
    let mut writer = Writer::new();
    writer.bytes_field(1, text.as_bytes());
    Ok(writer.into_bytes())
}

/// An `IntOrString` message as a JSON number (type 0) or string (type 1).
pub fn decode_int_or_string(bytes: &[u8]) -> Result<Value, String> {
    let fields = small_message(bytes)?;
    only_fields(&fields, &[1, 2, 3], "k8s.io.apimachinery.pkg.util.intstr.IntOrString")?;
    match varint_of(&fields, 1)? {
        0 => Ok(Value::from(varint_of(&fields, 2)? as i64 as i32)),
        1 => std::str::from_utf8(bytes_of(&fields, 3)?)
            .map(Value::from)
            .map_err(|_| "IntOrString is not UTF-8".to_string()),
        other => Err(format!("IntOrString has unknown type {other}")),
    }
}

/// The `IntOrString` message for a JSON number or string, all three fields written as Go does.
pub fn encode_int_or_string(value: &Value) -> Result<Vec<u8>, String> {
    let mut writer = Writer::new();
    match value {
        Value::Number(number) => {
            let int = number
                .as_i64()
                .and_then(|int| i32::try_from(int).ok())
                .ok_or_else(|| format!("IntOrString {number} is not a 32-bit integer"))?;
            writer.varint_field(1, 0);
            writer.varint_field(2, int as i64 as u64);
            writer.bytes_field(3, b"");
        }
        Value::String(text) => {
            writer.varint_field(1, 1);
            writer.varint_field(2, 0);
            writer.bytes_field(3, text.as_bytes());
        }
        other => return Err(format!("expected an integer or a string, found {other}")),
    }
    Ok(writer.into_bytes())
}

/// A `RawExtension` or `FieldsV1` message (`{raw}`) as the JSON document it carries; empty is
/// `null`.
pub fn decode_raw_json(bytes: &[u8]) -> Result<Value, String> {
    let fields = small_message(bytes)?;
    only_fields(&fields, &[1], "k8s.io.apimachinery.pkg.runtime.RawExtension")?;
    let raw = bytes_of(&fields, 1)?;
    if raw.is_empty() {
        return Ok(Value::Null);
    }
    // Only JSON: a nested protobuf envelope is refused rather than decoded, so a body cannot
    // nest objects deeper than the tables do.
    serde_json::from_slice(raw).map_err(|error| format!("raw JSON: {error}"))
}

/// The `RawExtension` or `FieldsV1` message carrying `value` as compact JSON.
pub fn encode_raw_json(value: &Value) -> Result<Vec<u8>, String> {
    let raw = serde_json::to_vec(value).map_err(|error| error.to_string())?;
    let mut writer = Writer::new();
    writer.bytes_field(1, &raw);
    Ok(writer.into_bytes())
}

/// Go's `time.Duration.String`: `0s`, `1.5µs`, `2ms`, `1m30s`, `1h0m0s`.
pub fn format_go_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let magnitude = nanos.unsigned_abs();
    let text = if magnitude < 1_000_000_000 {
        let (unit, precision) = match magnitude {
            0..1_000 => ("ns", 0),
            1_000..1_000_000 => ("µs", 3),
            _ => ("ms", 6),
        };
        let (whole, fraction) = split_fraction(magnitude, precision);
        format!("{whole}{fraction}{unit}")
    } else {
        let (seconds, fraction) = split_fraction(magnitude, 9);
        let (minutes, hours) = (seconds / 60, seconds / 3600);
        match (hours, minutes) {
            (0, 0) => format!("{seconds}{fraction}s"),
            (0, _) => format!("{minutes}m{}{fraction}s", seconds % 60),
            _ => format!("{hours}h{}m{}{fraction}s", minutes % 60, seconds % 60),
        }
    };
    format!("{sign}{text}")
}

/// `value / 10^precision` and its fraction as `.ddd` without trailing zeros (empty when whole).
fn split_fraction(value: u64, precision: u32) -> (u64, String) {
    let scale = 10u64.pow(precision);
    let fraction = value % scale;
    if fraction == 0 {
        return (value / scale, String::new());
    }
    let digits = format!("{fraction:0width$}", width = precision as usize);
    (value / scale, format!(".{}", digits.trim_end_matches('0')))
}

/// Go's `time.ParseDuration`: signed sequences of decimal numbers with units (`ns`, `us`, `µs`,
/// `ms`, `s`, `m`, `h`); `0` alone is allowed.
pub fn parse_go_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_end);
        let unit_end = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_end);
        let scale: i128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(invalid()),
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() && fraction.is_empty() {
            return Err(invalid());
        }
        let whole: i128 =
            if whole.is_empty() { 0 } else { whole.parse().map_err(|_| invalid())? };
        let mut value = whole * scale;
        let mut place = scale;
        for digit in fraction.chars() {
            let digit = digit.to_digit(10).ok_or_else(invalid)?;
            place /= 10;
            value += i128::from(digit) * place;
        }
        total += value;
        if total > i128::from(i64::MAX) {
            return Err(invalid());
        }
        rest = after;
    }
    let total = i64::try_from(total).map_err(|_| invalid())?;
    Ok(if negative { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_drop_nanoseconds_and_micro_times_keep_microseconds() {
        let time = json!("2015-07-01T10:00:00Z");
        let bytes = encode_time(&time, false).unwrap();
        assert_eq!(bytes, [0x08, 0xa0, 0xf4, 0xce, 0xac, 0x05, 0x10, 0x00]);
        assert_eq!(decode_time(&bytes, false).unwrap(), time);

        let micro = json!("2015-07-01T10:00:00.123456Z");
        let bytes = encode_time(&micro, true).unwrap();
        assert_eq!(decode_time(&bytes, true).unwrap(), micro);
        // The same message read as a Time loses the fraction, as upstream's decoder does.
        assert_eq!(decode_time(&bytes, false).unwrap(), time);

        // Go writes its zero time as an empty message; JSON says null.
        assert_eq!(decode_time(&[], false).unwrap(), Value::Null);
        let mut zero = Writer::new();
        zero.varint_field(1, GO_ZERO_TIME_SECONDS as u64);
        assert_eq!(decode_time(&zero.into_bytes(), false).unwrap(), Value::Null);
        // The Unix epoch is a real time, not Go's zero.
        let mut epoch = Writer::new();
        epoch.varint_field(2, 0);
        assert_eq!(decode_time(&epoch.into_bytes(), false).unwrap(), "1970-01-01T00:00:00Z");

        assert!(encode_time(&json!("yesterday"), false).is_err());
        assert!(decode_time(&[0x18, 0x01], false).is_err(), "field 3 is not a Time field");
    }

    #[test]
    fn durations_use_gos_text() {
        for (nanos, text) in [
            (0, "0s"),
            (1, "1ns"),
            (1_500, "1.5µs"),
            (2_000_000, "2ms"),
            (1_500_000_000, "1.5s"),
            (90_000_000_000, "1m30s"),
            (3_600_000_000_000, "1h0m0s"),
            (3_723_000_000_000, "1h2m3s"),
            (-30_000_000_000, "-30s"),
        ] {
            assert_eq!(format_go_duration(nanos), text);
            assert_eq!(parse_go_duration(text), Ok(nanos), "{text}");
            let bytes = encode_duration(&json!(text)).unwrap();
            assert_eq!(decode_duration(&bytes).unwrap(), text);
        }
        assert_eq!(parse_go_duration("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(parse_go_duration(".5s"), Ok(500_000_000));
        assert_eq!(parse_go_duration("10us"), Ok(10_000));
        for bad in ["", "1", "s", "1x", "1.2.3s", "-"] {
            assert!(parse_go_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quantities_are_their_text() {
        let bytes = encode_quantity(&json!("500m")).unwrap();
        assert_eq!(bytes, [0x0a, 0x04, b'5', b'0', b'0', b'm']);
        assert_eq!(decode_quantity(&bytes).unwrap(), "500m");
        assert_eq!(decode_quantity(&encode_quantity(&json!(2)).unwrap()).unwrap(), "2");
        assert!(encode_quantity(&json!(true)).is_err());
    }

    #[test]
    fn int_or_string_keeps_its_variant() {
        for value in [json!(8080), json!("http"), json!(-1), json!("25%")] {
            let bytes = encode_int_or_string(&value).unwrap();
            assert_eq!(decode_int_or_string(&bytes).unwrap(), value);
        }
        // What Go writes for intstr.FromInt(80): type 0, intVal 80, strVal "".
        assert_eq!(encode_int_or_string(&json!(80)).unwrap(), [0x08, 0x00, 0x10, 0x50, 0x1a, 0x00]);
        assert!(encode_int_or_string(&json!(1.5)).is_err());
        assert!(encode_int_or_string(&json!(null)).is_err());
        assert!(decode_int_or_string(&[0x08, 0x07]).is_err(), "type 7 does not exist");
    }

    #[test]
    fn raw_json_is_inlined() {
        let fields = json!({"f:metadata": {"f:labels": {".": {}}}});
        let bytes = encode_raw_json(&fields).unwrap();
        assert_eq!(decode_raw_json(&bytes).unwrap(), fields);
        assert_eq!(decode_raw_json(&[]).unwrap(), Value::Null);
        let mut broken = Writer::new();
        broken.bytes_field(1, b"{not json");
        assert!(decode_raw_json(&broken.into_bytes()).is_err());
        let mut nested = Writer::new();
        nested.bytes_field(1, b"k8s\0\x0a\x00");
        assert!(decode_raw_json(&nested.into_bytes()).is_err(), "no envelopes inside");
    }
}
