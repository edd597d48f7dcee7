//! Recursive-descent parser for the label selector string syntax, following upstream's grammar
//! and error messages:
//!
//! ```text
//! selector    := requirement ("," requirement)*  |  ""
//! requirement := ["!"] KEY [ ("in" | "notin") "(" values ")"  |  ("=" | "==" | "!=" | ">" | "<") VALUE ]
//! ```

use super::error::{InvalidValue, SelectorError};
use super::lexer::{Token, TokenKind, tokenize};
use super::requirement::{Operator, Requirement};
use super::syntax::qualified_name_errors;
use std::collections::BTreeSet;

/// The operators a key may be followed by, as upstream lists them when it finds something else.
const BINARY_OPERATORS: &str = "in, notin, =, ==, !=, gt, lt";

/// Parses a selector into requirements sorted by key (stable, so clauses on one key keep their
/// order). An empty or all-whitespace string yields no requirements.
pub(super) fn parse(input: &str) -> Result<Vec<Requirement>, SelectorError> {
    let mut parser = Parser { tokens: tokenize(input), position: 0 };
    let mut requirements = parser.requirements()?;
    requirements.sort_by(|left, right| left.key().cmp(right.key()));
    Ok(requirements)
}

/// Whether a token is read where a key or operator may stand, or where only values may: in the
/// latter, `in` and `notin` are ordinary words (`x in (in, notin)`).
#[derive(Clone, Copy)]
enum Context {
    KeyOrOperator,
    Values,
}

struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    position: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self, context: Context) -> Token<'a> {
        let index = self.position.min(self.tokens.len() - 1);
        let token = self.tokens[index];
        match (context, token.kind) {
            (Context::Values, TokenKind::In | TokenKind::NotIn) => {
                Token { kind: TokenKind::Identifier, text: token.text }
            }
            _ => token,
        }
    }

    fn next(&mut self, context: Context) -> Token<'a> {
        let token = self.peek(context);
        self.position += 1;
        token
    }

    fn requirements(&mut self) -> Result<Vec<Requirement>, SelectorError> {
        let mut requirements = Vec::new();
        loop {
            let start = self.peek(Context::Values);
            match start.kind {
                TokenKind::Identifier | TokenKind::Bang => {
                    requirements.push(self.requirement().map_err(SelectorError::in_requirement)?);
                    let separator = self.next(Context::Values);
                    match separator.kind {
                        TokenKind::EndOfInput => return Ok(requirements),
                        TokenKind::Comma => {
                            let following = self.peek(Context::Values);
                            if !matches!(following.kind, TokenKind::Identifier | TokenKind::Bang) {
                                return Err(found(following, ", expected: identifier after ','"));
                            }
                        }
                        _ => return Err(found(separator, ", expected: ',' or 'end of string'")),
                    }
                }
                TokenKind::EndOfInput => return Ok(requirements),
                _ => {
                    return Err(found(start, ", expected: !, identifier, or 'end of string'"));
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, SelectorError> {
        let (key, unary) = self.key_and_unary_operator()?;
        if let Some(operator) = unary {
            return Requirement::new(key, operator, Vec::new());
        }
        let operator = self.binary_operator()?;
        let values = match operator {
            Operator::In | Operator::NotIn => self.value_set()?,
            _ => self.exact_value()?,
        };
        Requirement::new(key, operator, values)
    }

    /// Reads `[!]KEY` and says whether that is already the whole requirement (`!key` or `key`
    /// followed by `,` or the end).
    fn key_and_unary_operator(&mut self) -> Result<(String, Option<Operator>), SelectorError> {
        let mut token = self.next(Context::Values);
        let negated = token.kind == TokenKind::Bang;
        if negated {
            token = self.next(Context::Values);
        }
        if token.kind != TokenKind::Identifier {
            return Err(found(token, ", expected: identifier"));
        }
        let key_errors = qualified_name_errors(token.text);
        if !key_errors.is_empty() {
            return Err(
                InvalidValue::of_text("<nil>", token.text, key_errors.join("; ")).into_error()
            );
        }
        let ends_here =
            matches!(self.peek(Context::Values).kind, TokenKind::EndOfInput | TokenKind::Comma);
        let unary = if negated {
            Some(Operator::DoesNotExist)
        } else if ends_here {
            Some(Operator::Exists)
        } else {
            None
        };
        Ok((token.text.to_string(), unary))
    }

    fn binary_operator(&mut self) -> Result<Operator, SelectorError> {
        let token = self.next(Context::KeyOrOperator);
        let operator = match token.kind {
            TokenKind::In => Operator::In,
            TokenKind::NotIn => Operator::NotIn,
            TokenKind::Equals => Operator::Equals,
            TokenKind::DoubleEquals => Operator::DoubleEquals,
            TokenKind::NotEquals => Operator::NotEquals,
            TokenKind::GreaterThan => Operator::GreaterThan,
            TokenKind::LessThan => Operator::LessThan,
            _ => return Err(found(token, &format!(", expected: {BINARY_OPERATORS}"))),
        };
        Ok(operator)
    }

    /// Reads `( v1, v2, ... )`. Empty slots are the empty value: `()`, `(,a)` and `(a,)` all
    /// contain `""`.
    fn value_set(&mut self) -> Result<Vec<String>, SelectorError> {
        let open = self.next(Context::Values);
        if open.kind != TokenKind::OpenParen {
            return Err(found(open, " expected: '('"));
        }
        let first = self.peek(Context::Values);
        match first.kind {
            TokenKind::Identifier | TokenKind::Comma => {
                let values = self.value_list()?;
                if self.next(Context::Values).kind != TokenKind::CloseParen {
                    return Err(found(first, ", expected: ')'"));
                }
                Ok(values.into_iter().collect())
            }
            TokenKind::CloseParen => {
                self.next(Context::Values);
                Ok(vec![String::new()])
            }
            _ => Err(found(first, ", expected: ',', ')' or identifier")),
        }
    }

    /// Reads the comma-separated values up to (not including) the closing parenthesis.
    fn value_list(&mut self) -> Result<BTreeSet<String>, SelectorError> {
        let mut values = BTreeSet::new();
        loop {
            let token = self.next(Context::Values);
            match token.kind {
                TokenKind::Identifier => {
                    values.insert(token.text.to_string());
                    let following = self.peek(Context::Values);
                    match following.kind {
                        TokenKind::Comma => {}
                        TokenKind::CloseParen => return Ok(values),
                        _ => return Err(found(following, ", expected: ',' or ')'")),
                    }
                }
                TokenKind::Comma => {
                    if values.is_empty() {
                        values.insert(String::new());
                    }
                    match self.peek(Context::Values).kind {
                        TokenKind::CloseParen => {
                            values.insert(String::new());
                            return Ok(values);
                        }
                        TokenKind::Comma => {
                            self.next(Context::Values);
                            values.insert(String::new());
                        }
                        _ => {}
                    }
                }
                _ => return Err(found(token, ", expected: ',', or identifier")),
            }
        }
    }

    /// Reads the single value after `=`, `==`, `!=`, `>` or `<`; nothing at all means `""`.
    fn exact_value(&mut self) -> Result<Vec<String>, SelectorError> {
        if matches!(self.peek(Context::Values).kind, TokenKind::EndOfInput | TokenKind::Comma) {
            return Ok(vec![String::new()]);
        }
        let token = self.next(Context::Values);
        if token.kind != TokenKind::Identifier {
            return Err(found(token, ", expected: identifier"));
        }
        Ok(vec![token.text.to_string()])
    }
}

/// Upstream's "found 'x', expected: ..." message; `rest` carries its own leading punctuation
/// because upstream's wording is not uniform there.
fn found(token: Token<'_>, rest: &str) -> SelectorError {
    SelectorError::new(format!("found '{}'{rest}", token.text))
}
