//! The error Go's `encoding/json` reports when decoding bytes into `map[string]interface{}`.
//!
//! Docker config secrets must hold a JSON object, and upstream puts the decoder's own error text
//! into the validation message (`invalid character 'x' looking for beginning of value`). This is a
//! byte-at-a-time syntax checker with the states and messages of Go's scanner, followed by the
//! type check of decoding into a map.

/// What the scanner expects next. Mirrors the states of Go's scanner so that the same byte fails
/// with the same explanation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    BeginValueOrEmpty,
    BeginValue,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEscape,
    InStringEscapeU(u8),
    Negative,
    Zero,
    Digits,
    Dot,
    DotDigits,
    Exponent,
    ExponentSign,
    ExponentDigits,
    /// Inside `true`, `false` or `null`: the literal and how many bytes have been matched.
    Literal(&'static str, usize),
}

/// What an open bracket is waiting for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nesting {
    ObjectKey,
    ObjectValue,
    Array,
}

struct Scanner {
    state: State,
    nesting: Vec<Nesting>,
}

impl Scanner {
    /// Feeds one byte; `Err` carries Go's explanation.
    fn step(&mut self, byte: u8) -> Result<(), String> {
        let is_space = matches!(byte, b' ' | b'\t' | b'\r' | b'\n');
        match self.state {
            State::BeginValueOrEmpty if is_space => Ok(()),
            State::BeginValueOrEmpty if byte == b']' => self.end_container(),
            State::BeginValueOrEmpty | State::BeginValue => self.begin_value(byte, is_space),
            State::BeginStringOrEmpty if is_space => Ok(()),
            State::BeginStringOrEmpty if byte == b'}' => self.end_container(),
            State::BeginStringOrEmpty | State::BeginString => {
                if is_space {
                    Ok(())
                } else if byte == b'"' {
                    self.state = State::InString;
                    Ok(())
                } else {
                    Err(invalid(byte, "looking for beginning of object key string"))
                }
            }
            State::EndValue => self.end_value(byte, is_space),
            State::EndTop => {
                if is_space {
                    Ok(())
                } else {
                    Err(invalid(byte, "after top-level value"))
                }
            }
            State::InString => {
                match byte {
                    b'"' => self.state = State::EndValue,
                    b'\\' => self.state = State::InStringEscape,
                    byte if byte < 0x20 => return Err(invalid(byte, "in string literal")),
                    _ => {}
                }
                Ok(())
            }
            State::InStringEscape => match byte {
                b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                    self.state = State::InString;
                    Ok(())
                }
                b'u' => {
                    self.state = State::InStringEscapeU(0);
                    Ok(())
                }
                _ => Err(invalid(byte, "in string escape code")),
            },
            State::InStringEscapeU(seen) => {
                if !byte.is_ascii_hexdigit() {
                    return Err(invalid(byte, "in \\u hexadecimal character escape"));
                }
                self.state =
                    if seen == 3 { State::InString } else { State::InStringEscapeU(seen + 1) };
                Ok(())
            }
            State::Negative => match byte {
                b'0' => {
                    self.state = State::Zero;
                    Ok(())
                }
                b'1'..=b'9' => {
                    self.state = State::Digits;
                    Ok(())
                }
                _ => Err(invalid(byte, "in numeric literal")),
            },
            State::Digits if byte.is_ascii_digit() => Ok(()),
            State::Zero | State::Digits => match byte {
                b'.' => {
                    self.state = State::Dot;
                    Ok(())
                }
                b'e' | b'E' => {
                    self.state = State::Exponent;
                    Ok(())
                }
                _ => self.end_value(byte, is_space),
            },
            State::Dot => {
                if byte.is_ascii_digit() {
                    self.state = State::DotDigits;
                    Ok(())
                } else {
                    Err(invalid(byte, "after decimal point in numeric literal"))
                }
            }
            State::DotDigits => match byte {
                b'0'..=b'9' => Ok(()),
                b'e' | b'E' => {
                    self.state = State::Exponent;
                    Ok(())
                }
                _ => self.end_value(byte, is_space),
            },
            State::Exponent if matches!(byte, b'+' | b'-') => {
                self.state = State::ExponentSign;
                Ok(())
            }
            State::Exponent | State::ExponentSign => {
                if byte.is_ascii_digit() {
                    self.state = State::ExponentDigits;
                    Ok(())
                } else {
                    Err(invalid(byte, "in exponent of numeric literal"))
                }
            }
            State::ExponentDigits => {
                if byte.is_ascii_digit() {
                    Ok(())
                } else {
                    self.end_value(byte, is_space)
                }
            }
            State::Literal(word, matched) => {
                let expected = word.as_bytes()[matched];
                if byte != expected {
                    return Err(invalid(
                        byte,
                        &format!("in literal {word} (expecting {})", quote_byte(expected)),
                    ));
                }
                self.state = if matched + 1 == word.len() {
                    State::EndValue
                } else {
                    State::Literal(word, matched + 1)
                };
                Ok(())
            }
        }
    }

    fn begin_value(&mut self, byte: u8, is_space: bool) -> Result<(), String> {
        self.state = match byte {
            _ if is_space => return Ok(()),
            b'{' => {
                self.nesting.push(Nesting::ObjectKey);
                State::BeginStringOrEmpty
            }
            b'[' => {
                self.nesting.push(Nesting::Array);
                State::BeginValueOrEmpty
            }
            b'"' => State::InString,
            b'-' => State::Negative,
            b'0' => State::Zero,
            b'1'..=b'9' => State::Digits,
            b't' => State::Literal("true", 1),
            b'f' => State::Literal("false", 1),
            b'n' => State::Literal("null", 1),
            _ => return Err(invalid(byte, "looking for beginning of value")),
        };
        Ok(())
    }

    fn end_value(&mut self, byte: u8, is_space: bool) -> Result<(), String> {
        let Some(nesting) = self.nesting.last().copied() else {
            self.state = State::EndTop;
            return self.step(byte);
        };
        if is_space {
            self.state = State::EndValue;
            return Ok(());
        }
        match (nesting, byte) {
            (Nesting::ObjectKey, b':') => {
                self.replace_nesting(Nesting::ObjectValue);
                self.state = State::BeginValue;
                Ok(())
            }
            (Nesting::ObjectKey, _) => Err(invalid(byte, "after object key")),
            (Nesting::ObjectValue, b',') => {
                self.replace_nesting(Nesting::ObjectKey);
                self.state = State::BeginString;
                Ok(())
            }
            (Nesting::ObjectValue, b'}') | (Nesting::Array, b']') => self.end_container(),
            (Nesting::ObjectValue, _) => Err(invalid(byte, "after object key:value pair")),
            (Nesting::Array, b',') => {
                self.state = State::BeginValue;
                Ok(())
            }
            (Nesting::Array, _) => Err(invalid(byte, "after array element")),
        }
    }

    /// A container just closed: at top level the document is complete, otherwise the enclosing
    /// container continues.
    fn end_container(&mut self) -> Result<(), String> {
        self.nesting.pop();
        self.state = if self.nesting.is_empty() { State::EndTop } else { State::EndValue };
        Ok(())
    }

    fn replace_nesting(&mut self, nesting: Nesting) {
        if let Some(last) = self.nesting.last_mut() {
            *last = nesting;
        }
    }
}

/// Go's `invalid character 'x' <context>`.
fn invalid(byte: u8, context: &str) -> String {
    format!("invalid character {} {context}", quote_byte(byte))
}

/// Go's `quoteChar`: the byte as a rune, single-quoted with `%q`-style escapes.
fn quote_byte(byte: u8) -> String {
    match byte {
        b'\'' => r"'\''".to_string(),
        b'"' => "'\"'".to_string(),
        _ => {
            let quoted = crate::go_fmt::quote(&char::from(byte).to_string());
            format!("'{}'", &quoted[1..quoted.len() - 1])
        }
    }
}

/// The error of Go's `json.Unmarshal(data, &map[string]interface{}{})`, or `None` when it
/// succeeds (an object, or `null`).
pub(crate) fn object_unmarshal_error(data: &[u8]) -> Option<String> {
    let mut scanner = Scanner { state: State::BeginValue, nesting: Vec::new() };
    for byte in data {
        if let Err(message) = scanner.step(*byte) {
            return Some(message);
        }
    }
    if scanner.state != State::EndTop {
        // At the end of input Go feeds one more space, which completes a trailing number or
        // fails where a space is not allowed.
        if let Err(message) = scanner.step(b' ') {
            return Some(message);
        }
        if scanner.state != State::EndTop {
            return Some("unexpected end of JSON input".to_string());
        }
    }
    let first = data.iter().find(|byte| !matches!(byte, b' ' | b'\t' | b'\r' | b'\n'))?;
    let kind = match first {
        b'{' | b'n' => return None,
        b'[' => "array",
        b'"' => "string",
        b't' | b'f' => "bool",
        _ => "number",
    };
    Some(format!("json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> Option<String> {
        object_unmarshal_error(text.as_bytes())
    }

    #[test]
    fn objects_and_null_decode() {
        assert_eq!(error(r#"{"auths":{"r":{"auth":"eA=="}}}"#), None);
        assert_eq!(error(" { } "), None);
        assert_eq!(error("null"), None);
        assert_eq!(error(r#"{"a":[1,-2.5e+3,true,false,null,"\u00e9\n"]}"#), None);
    }

    #[test]
    fn syntax_errors_read_like_go() {
        assert_eq!(
            error("x").as_deref(),
            Some("invalid character 'x' looking for beginning of value")
        );
        assert_eq!(error("").as_deref(), Some("unexpected end of JSON input"));
        assert_eq!(error("{").as_deref(), Some("unexpected end of JSON input"));
        assert_eq!(error(r#"{"a" 1}"#).as_deref(), Some("invalid character '1' after object key"));
        assert_eq!(
            error(r#"{"a":1 "b":2}"#).as_deref(),
            Some("invalid character '\"' after object key:value pair")
        );
        assert_eq!(
            error("{'a':1}").as_deref(),
            Some(r"invalid character '\'' looking for beginning of object key string")
        );
        assert_eq!(error("[1 2]").as_deref(), Some("invalid character '2' after array element"));
        assert_eq!(error("{} x").as_deref(), Some("invalid character 'x' after top-level value"));
        assert_eq!(
            error("tru").as_deref(),
            Some("invalid character ' ' in literal true (expecting 'e')")
        );
        assert_eq!(
            error("nul!").as_deref(),
            Some("invalid character '!' in literal null (expecting 'l')")
        );
        assert_eq!(error("-").as_deref(), Some("invalid character ' ' in numeric literal"));
        assert_eq!(
            error("1.x").as_deref(),
            Some("invalid character 'x' after decimal point in numeric literal")
        );
        assert_eq!(
            error("1e+").as_deref(),
            Some("invalid character ' ' in exponent of numeric literal")
        );
        assert_eq!(
            error("\"a\\x\"").as_deref(),
            Some("invalid character 'x' in string escape code")
        );
        assert_eq!(
            error("\"\\u12g4\"").as_deref(),
            Some(r"invalid character 'g' in \u hexadecimal character escape")
        );
        assert_eq!(error("\"a\tb\"").as_deref(), Some(r"invalid character '\t' in string literal"));
        assert_eq!(error("\"abc").as_deref(), Some("unexpected end of JSON input"));
    }

    #[test]
    fn other_values_do_not_fit_a_map() {
        assert_eq!(
            error("[1]").as_deref(),
            Some("json: cannot unmarshal array into Go value of type map[string]interface {}")
        );
        assert_eq!(
            error(" 12 ").as_deref(),
            Some("json: cannot unmarshal number into Go value of type map[string]interface {}")
        );
        assert_eq!(
            error(r#""s""#).as_deref(),
            Some("json: cannot unmarshal string into Go value of type map[string]interface {}")
        );
        assert_eq!(
            error("true").as_deref(),
            Some("json: cannot unmarshal bool into Go value of type map[string]interface {}")
        );
    }
}
