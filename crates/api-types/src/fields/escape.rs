//! The backslash escaping of field selector values: `\\`, `\,` and `\=` stand for `\`, `,` and
//! `=`, so a value may contain the selector's own separators.

use super::error::FieldSelectorError;

/// Escapes a literal value for use after `=` or `!=` (what clients do before sending
/// `metadata.name=...`).
pub fn escape_value(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for character in value.chars() {
        if matches!(character, '\\' | ',' | '=') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

/// Recovers the literal value from its escaped form, rejecting unknown escapes, a trailing lone
/// backslash, and unescaped `,` or `=`.
pub fn unescape_value(escaped: &str) -> Result<String, FieldSelectorError> {
    let mut value = String::with_capacity(escaped.len());
    let mut after_backslash = false;
    for character in escaped.chars() {
        if after_backslash {
            if !matches!(character, '\\' | ',' | '=') {
                return Err(FieldSelectorError::InvalidEscape {
                    sequence: format!("\\{character}"),
                });
            }
            value.push(character);
            after_backslash = false;
            continue;
        }
        match character {
            '\\' => after_backslash = true,
            ',' | '=' => return Err(FieldSelectorError::UnescapedCharacter { character }),
            other => value.push(other),
        }
    }
    if after_backslash {
        return Err(FieldSelectorError::InvalidEscape { sequence: "\\".to_string() });
    }
    Ok(value)
}
