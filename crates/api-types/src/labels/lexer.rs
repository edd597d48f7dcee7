//! Splits a label selector string into tokens, with upstream's rules: whitespace separates,
//! `= == != ! ( ) , < >` are symbols, `in`/`notin` are keywords, and anything else up to the next
//! symbol or whitespace is one identifier (a key or a value).

/// What a token is; the parser decides from context whether a keyword is really a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TokenKind {
    EndOfInput,
    Identifier,
    In,
    NotIn,
    Equals,
    DoubleEquals,
    NotEquals,
    Bang,
    GreaterThan,
    LessThan,
    OpenParen,
    CloseParen,
    Comma,
}

/// A token and its text (empty at the end of input, which is how upstream's messages show it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Token<'a> {
    pub kind: TokenKind,
    pub text: &'a str,
}

/// Tokenizes the whole input; the last token is always [`TokenKind::EndOfInput`].
pub(super) fn tokenize(input: &str) -> Vec<Token<'_>> {
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut position = 0;
    loop {
        while position < bytes.len() && is_whitespace(bytes[position]) {
            position += 1;
        }
        if position == bytes.len() {
            tokens.push(Token { kind: TokenKind::EndOfInput, text: "" });
            return tokens;
        }
        let start = position;
        let kind = if let Some((kind, length)) = symbol_at(&bytes[position..]) {
            position += length;
            kind
        } else {
            while position < bytes.len()
                && !is_symbol(bytes[position])
                && !is_whitespace(bytes[position])
            {
                position += 1;
            }
            match &input[start..position] {
                "in" => TokenKind::In,
                "notin" => TokenKind::NotIn,
                _ => TokenKind::Identifier,
            }
        };
        // Symbols and whitespace are ASCII, so both ends fall on character boundaries.
        tokens.push(Token { kind, text: &input[start..position] });
    }
}

/// The longest symbol at the start of `bytes` and its length, if it starts with one: only `==`
/// and `!=` are two bytes long, so `<=` is `<` followed by `=`.
fn symbol_at(bytes: &[u8]) -> Option<(TokenKind, usize)> {
    let symbol = match bytes {
        [b'=', b'=', ..] => (TokenKind::DoubleEquals, 2),
        [b'!', b'=', ..] => (TokenKind::NotEquals, 2),
        [b'=', ..] => (TokenKind::Equals, 1),
        [b'!', ..] => (TokenKind::Bang, 1),
        [b'>', ..] => (TokenKind::GreaterThan, 1),
        [b'<', ..] => (TokenKind::LessThan, 1),
        [b'(', ..] => (TokenKind::OpenParen, 1),
        [b')', ..] => (TokenKind::CloseParen, 1),
        [b',', ..] => (TokenKind::Comma, 1),
        _ => return None,
    };
    Some(symbol)
}

fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_symbol(byte: u8) -> bool {
    matches!(byte, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}
