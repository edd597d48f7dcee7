//! Why a field selector string was rejected, worded as upstream words it.

/// A field selector that cannot be parsed. The messages are upstream's, including the quirk that
/// an unescaped character is reported by its code point (`61` for `=`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FieldSelectorError {
    /// A term with none of `=`, `==`, `!=` in it.
    #[error("invalid selector: '{selector}'; can't understand '{term}'")]
    UnknownTerm { selector: String, term: String },
    /// A backslash followed by something other than `\`, `,` or `=`, or ending the value.
    #[error("invalid field selector: invalid escape sequence: {sequence}")]
    InvalidEscape { sequence: String },
    /// A bare `,` or `=` inside a value.
    #[error("invalid field selector: unescaped character in value: {}", u32::from(*.character))]
    UnescapedCharacter { character: char },
}
