//! JSON values written the way Go's `fmt` writes decoded JSON (`%v` of `interface{}`).
//!
//! Upstream's strategic merge patch puts such renderings in its error messages
//! (`map: map[image:httpd] does not contain declared merge key: name`) and compares scalars by
//! them when it diffs primitive lists, so both need the same text here.

use serde_json::Value;

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
        Value::Number(number) => out.push_str(&go_float(number.as_f64().unwrap_or(f64::NAN))),
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

/// Go's `%v` of a `float64` (`strconv.FormatFloat(f, 'g', -1, 64)`): the shortest round-tripping
/// digits, in exponent form when the decimal exponent is below -4 or at least 6.
fn go_float(number: f64) -> String {
    if number == 0.0 {
        return "0".to_string();
    }
    let exponent = number.abs().log10().floor() as i32;
    if !(-4..6).contains(&exponent) {
        // Rust writes `1e6` / `1.5e-5`; Go writes `1e+06` / `1.5e-05`.
        let rust = format!("{number:e}");
        let (mantissa, exp) = rust.split_once('e').unwrap_or((&rust, "0"));
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(digits) => ('-', digits),
            None => ('+', exp),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    format!("{number}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
