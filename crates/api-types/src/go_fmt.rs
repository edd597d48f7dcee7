//! How Go prints the values that appear in upstream's messages: `%q` for names and strings, `%v`
//! for numbers and decoded JSON, `encoding/json` for structured bad values. Clients show these
//! messages verbatim (validation errors, `Status` messages, selector and patch errors) and tests
//! compare them, so the printing has to match byte for byte, in one place.

use serde_json::Value;
use std::fmt::Write as _;

/// A string as Go's `%q` (`strconv.Quote`) writes it: double-quoted, with `\"`, `\\`, the C
/// escapes, `\xNN` for other ASCII controls and `\uNNNN`/`\UNNNNNNNN` for non-printable runes.
pub(crate) fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\u{7}' => quoted.push_str("\\a"),
            '\u{8}' => quoted.push_str("\\b"),
            '\u{c}' => quoted.push_str("\\f"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            '\u{b}' => quoted.push_str("\\v"),
            c if is_printable(c) => quoted.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(quoted, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(quoted, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(quoted, "\\U{:08x}", c as u32);
            }
        }
    }
    quoted.push('"');
    quoted
}

/// A bad value as upstream's field errors print it: numbers and booleans bare, strings quoted
/// with `%q`, and lists, maps, structs and null as Go's `encoding/json` encodes them.
pub(crate) fn bad_value(value: &Value) -> String {
    match value {
        Value::String(text) => quote(text),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(signed), _, _) => signed.to_string(),
            (None, Some(unsigned), _) => unsigned.to_string(),
            (None, None, Some(number)) => float(number),
            (None, None, None) => number.to_string(),
        },
        Value::Null | Value::Array(_) | Value::Object(_) => json(value),
    }
}

/// JSON as Go's `encoding/json` writes it: compact, with `<`, `>`, `&`, U+2028 and U+2029
/// escaped (Go's HTML-safe default). Those characters only ever occur inside JSON strings, so
/// replacing them in serde's output changes nothing else.
pub(crate) fn json(value: &Value) -> String {
    let plain = value.to_string();
    let mut escaped = String::with_capacity(plain.len());
    for c in plain.chars() {
        match c {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            '\u{2028}' => escaped.push_str("\\u2028"),
            '\u{2029}' => escaped.push_str("\\u2029"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A float as Go's `%v` prints it: the shortest digits that round-trip, in exponent form
/// (`1e+06`, `1.5e-05`) when the decimal exponent is below -4 or at least 6.
pub(crate) fn float(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // Rust's `{:e}` gives the same shortest round-trip digits Go uses: `-1.2345e-7`.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .map(|(mantissa, exponent)| (mantissa, exponent.parse::<i32>().unwrap_or(0)))
        .unwrap_or((scientific.as_str(), 0));
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-4..6).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{exponent_sign}{:02}", exponent.unsigned_abs());
    }
    let point = exponent + 1;
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{whole}.{fraction}")
    };
    format!("{sign}{body}")
}

/// Renders `value` as Go's `fmt.Sprintf("%v", v)` renders the `interface{}` `encoding/json` decodes.
pub(crate) fn go_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// The Go type name `encoding/json` decodes `value` into, for "expected a X" messages.
pub(crate) fn go_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&float(number.as_f64().unwrap_or(f64::NAN))),
        Value::String(text) => out.push_str(text),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(' ');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // serde_json's map iterates in key order, which is also the order Go prints maps in.
            out.push_str("map[");
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push(' ');
                }
                out.push_str(key);
                out.push(':');
                write_value(out, item);
            }
            out.push(']');
        }
    }
}

/// Go's `unicode.IsPrint`, approximated without Unicode tables: letters, marks, numbers,
/// punctuation, symbols and the ASCII space are printable; controls, other spaces, format
/// characters, private-use characters and the noncharacters are not. Unassigned code points
/// (which Go escapes) are treated as printable.
pub(crate) fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let code = c as u32;
    let format_or_private = matches!(
        code,
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0xFFFE..=0xFFFF
            | 0x110BD
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
            | 0xE000..=0xF8FF
            | 0xF0000..=0x10FFFF
    );
    !format_or_private
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_are_quoted_like_go_percent_q() {
        assert_eq!(quote("Foo"), r#""Foo""#);
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("tab\there\nnl"), r#""tab\there\nnl""#);
        assert_eq!(quote("\u{1}\u{7f}"), r#""\x01\x7f""#);
        assert_eq!(quote("héllo 世界"), "\"héllo 世界\"");
        assert_eq!(quote("\u{a0}\u{200b}"), r#""\u00a0\u200b""#);
        assert_eq!(quote("\u{f0000}"), r#""\U000f0000""#);
    }

    #[test]
    fn simple_values_print_bare_and_others_as_json() {
        assert_eq!(bad_value(&json!(0)), "0");
        assert_eq!(bad_value(&json!(-3)), "-3");
        assert_eq!(bad_value(&json!(true)), "true");
        assert_eq!(bad_value(&json!("x")), r#""x""#);
        assert_eq!(bad_value(&json!(["a", "b"])), r#"["a","b"]"#);
        assert_eq!(bad_value(&json!({"k": "<v>"})), r#"{"k":"\u003cv\u003e"}"#);
        assert_eq!(bad_value(&Value::Null), "null");
    }

    #[test]
    fn floats_print_like_go_percent_v() {
        assert_eq!(float(0.5), "0.5");
        assert_eq!(float(5.0), "5");
        assert_eq!(float(100000.0), "100000");
        assert_eq!(float(1e6), "1e+06");
        assert_eq!(float(123456789.0), "1.23456789e+08");
        assert_eq!(float(0.0001), "0.0001");
        assert_eq!(float(0.00001), "1e-05");
        assert_eq!(float(-2.5e-7), "-2.5e-07");
        assert_eq!(float(1e21), "1e+21");
    }

    #[test]
    fn renders_like_go_fmt() {
        let cases = [
            (json!({"image": "httpd"}), "map[image:httpd]"),
            (json!({"b": 1, "a": [1, "x", true]}), "map[a:[1 x true] b:1]"),
            (json!(null), "<nil>"),
            (json!(8080), "8080"),
            (json!(0.5), "0.5"),
            (json!(1000000), "1e+06"),
            (json!(0.00001), "1e-05"),
            (json!(123456), "123456"),
            (json!(123456789), "1.23456789e+08"),
        ];
        for (value, expected) in cases {
            assert_eq!(go_string(&value), expected);
        }
    }

    #[test]
    fn names_go_types() {
        assert_eq!(go_type_name(&json!([])), "[]interface {}");
        assert_eq!(go_type_name(&json!({})), "map[string]interface {}");
        assert_eq!(go_type_name(&json!(1)), "float64");
    }
}
