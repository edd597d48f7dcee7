//! Reading a quantity from text: `<sign><digits>.<digits><suffix>`.
//!
//! Three steps, each its own function: [`scan`] splits the text without judging the suffix,
//! [`interpret_suffix`] turns the suffix into a scaling, and [`exact_value`] computes the number
//! with upstream's rounding (values finer than nano round away from zero) and cap (binary values
//! stop at 2^63 - 1). [`upstream_fast_path`] answers the one question that depends on how
//! upstream happens to parse: whether it keeps the input text as the serialized form.

use super::Format;
use super::amount::{Amount, MAX_DIGITS};

/// Why a text is not a quantity.
///
/// The first three messages are upstream's, word for word: they reach API clients inside
/// decoding errors, and clients and tests match on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// The text is empty or is not `<number><suffix>` (stray characters, spaces, two dots).
    #[error(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )]
    FormatWrong,
    /// The number part has no digits where upstream insists on some (a bare `Pi` or `e-12`).
    #[error("unable to parse numeric part of quantity")]
    Numeric,
    /// The suffix is well formed but unknown (`ki`, `Mi3`, `e`, `e+`).
    #[error("unable to parse quantity's suffix")]
    Suffix,
    /// The value needs more than 37 significant digits, or an exponent beyond the `i32` range.
    /// Upstream accepts these (with arbitrary precision, or a wrapped exponent); see the module
    /// documentation for why this implementation refuses them instead.
    #[error(
        "quantity is out of the representable range (at most 37 significant digits and a 32-bit exponent)"
    )]
    OutOfRange,
}

/// The outcome of a successful parse.
pub(super) struct Parsed {
    pub(super) amount: Amount,
    pub(super) format: Format,
    /// Whether upstream would keep the input text verbatim as the quantity's serialized form.
    pub(super) keeps_spelling: bool,
}

/// The smallest power of ten a parsed quantity keeps.
const NANO: i64 = -9;

/// What a suffix multiplies the number by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scaling {
    /// `10^n`: decimal SI letters and `e<n>`.
    Decimal(i32),
    /// `2^n`: `Ki` (n = 10) through `Ei` (n = 60).
    Binary(u32),
}

/// The text split into its parts, before any interpretation.
#[derive(Debug)]
struct Lexeme<'a> {
    negative: bool,
    /// Whether the number part has any digit at all (`0` counts; `.` alone does not).
    has_digits: bool,
    /// Integer digits without leading zeros: empty for zero.
    whole: &'a str,
    /// Digits after the point, exactly as written.
    fraction: &'a str,
    suffix: &'a str,
}

pub(super) fn parse(text: &str) -> Result<Parsed, QuantityError> {
    if text.is_empty() {
        return Err(QuantityError::FormatWrong);
    }
    let lexeme = scan(text)?;
    let (scaling, mut format) = interpret_suffix(lexeme.suffix)?;
    let fast_path = upstream_fast_path(&lexeme, scaling);
    let keeps_spelling = text == "0" || fast_path == Some(true);
    if !lexeme.has_digits {
        // Upstream's fast path reads a bare suffix ("Mi", "k", "-") as zero; its slow path
        // rejects the same shape.
        return match fast_path {
            Some(_) => Ok(Parsed { amount: Amount::ZERO, format, keeps_spelling }),
            None => Err(QuantityError::Numeric),
        };
    }
    let amount = exact_value(&lexeme, scaling)?;
    if format == Format::BinarySI && !amount.is_zero() && amount.abs() < Amount::from_i64(1) {
        // A binary suffix cannot spell a fraction of one.
        format = Format::DecimalSI;
    }
    Ok(Parsed { amount, format, keeps_spelling })
}

/// Splits `text` into sign, digits and suffix; the only failure is a character that cannot
/// belong to any quantity at that position.
fn scan(text: &str) -> Result<Lexeme<'_>, QuantityError> {
    let bytes = text.as_bytes();
    let skip = |from: usize, accept: fn(u8) -> bool| {
        from + bytes[from..].iter().take_while(|&&byte| accept(byte)).count()
    };

    let (negative, sign_len) = match bytes[0] {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let whole_end = skip(sign_len, |byte| byte.is_ascii_digit());
    let whole_raw = &text[sign_len..whole_end];
    let (fraction, number_end) = if bytes.get(whole_end) == Some(&b'.') {
        let fraction_end = skip(whole_end + 1, |byte| byte.is_ascii_digit());
        (&text[whole_end + 1..fraction_end], fraction_end)
    } else {
        ("", whole_end)
    };

    // A suffix is letters, then an optional signed integer (the exponent of `e3`, `E-2`).
    let mut end = skip(number_end, |byte| b"eEinumkKMGTP".contains(&byte));
    if matches!(bytes.get(end), Some(b'+' | b'-')) {
        end += 1;
    }
    end = skip(end, |byte| byte.is_ascii_digit());
    if end != bytes.len() {
        return Err(QuantityError::FormatWrong);
    }

    Ok(Lexeme {
        negative,
        has_digits: !whole_raw.is_empty() || !fraction.is_empty(),
        whole: whole_raw.trim_start_matches('0'),
        fraction,
        suffix: &text[number_end..],
    })
}

/// Maps a suffix to its scaling and to the format the quantity will be written back in.
fn interpret_suffix(suffix: &str) -> Result<(Scaling, Format), QuantityError> {
    let decimal_si = |exponent| Ok((Scaling::Decimal(exponent), Format::DecimalSI));
    let binary_si = |power| Ok((Scaling::Binary(power), Format::BinarySI));
    match suffix {
        "n" => decimal_si(-9),
        "u" => decimal_si(-6),
        "m" => decimal_si(-3),
        "" => decimal_si(0),
        "k" => decimal_si(3),
        "M" => decimal_si(6),
        "G" => decimal_si(9),
        "T" => decimal_si(12),
        "P" => decimal_si(15),
        "E" => decimal_si(18),
        "Ki" => binary_si(10),
        "Mi" => binary_si(20),
        "Gi" => binary_si(30),
        "Ti" => binary_si(40),
        "Pi" => binary_si(50),
        "Ei" => binary_si(60),
        _ => {
            let digits = suffix
                .strip_prefix(['e', 'E'])
                .filter(|digits| !digits.is_empty())
                .ok_or(QuantityError::Suffix)?;
            let exponent: i64 = digits.parse().map_err(|_| QuantityError::Suffix)?;
            let exponent = i32::try_from(exponent).map_err(|_| QuantityError::OutOfRange)?;
            Ok((Scaling::Decimal(exponent), Format::DecimalExponent))
        }
    }
}

/// The value the text denotes, rounded away from zero to a whole number of nano-units, with
/// binary values capped at `i64::MAX` in magnitude as upstream caps them.
fn exact_value(lexeme: &Lexeme<'_>, scaling: Scaling) -> Result<Amount, QuantityError> {
    // Work on decimal digits until the value is final: a binary suffix and the nano rounding
    // may both need more digits than the stored mantissa can hold along the way.
    let mut digits: Vec<u8> =
        lexeme.whole.bytes().chain(lexeme.fraction.bytes()).map(|byte| byte - b'0').collect();
    let mut exponent = -(lexeme.fraction.len() as i64);
    match scaling {
        Scaling::Decimal(power) => exponent += i64::from(power),
        Scaling::Binary(power) => {
            for _ in 0..power / 10 {
                multiply_digits(&mut digits, 1024);
            }
        }
    }
    round_up_to_nano(&mut digits, &mut exponent);

    let magnitude = amount_from_digits(&digits, exponent)?;
    let cap = Amount::from_i64(i64::MAX);
    let magnitude =
        if matches!(scaling, Scaling::Binary(_)) && magnitude > cap { cap } else { magnitude };
    Ok(if lexeme.negative { magnitude.negated() } else { magnitude })
}

/// Multiplies a big-endian digit string by a small factor in place.
fn multiply_digits(digits: &mut Vec<u8>, factor: u32) {
    let mut carry = 0;
    for digit in digits.iter_mut().rev() {
        let product = u32::from(*digit) * factor + carry;
        *digit = (product % 10) as u8;
        carry = product / 10;
    }
    while carry > 0 {
        digits.insert(0, (carry % 10) as u8);
        carry /= 10;
    }
}

/// Drops digits below 10^-9, adding one nano-unit when any of them was non-zero: a request for
/// "a little" of a resource should get some, never none.
fn round_up_to_nano(digits: &mut Vec<u8>, exponent: &mut i64) {
    if *exponent >= NANO {
        return;
    }
    let dropped = usize::try_from(NANO - *exponent).unwrap_or(usize::MAX);
    let kept = digits.len().saturating_sub(dropped);
    let any_dropped = digits[kept..].iter().any(|&digit| digit != 0);
    digits.truncate(kept);
    *exponent = NANO;
    if any_dropped {
        increment_digits(digits);
    }
}

fn increment_digits(digits: &mut Vec<u8>) {
    for digit in digits.iter_mut().rev() {
        if *digit < 9 {
            *digit += 1;
            return;
        }
        *digit = 0;
    }
    digits.insert(0, 1);
}

fn amount_from_digits(digits: &[u8], exponent: i64) -> Result<Amount, QuantityError> {
    let Some(first) = digits.iter().position(|&digit| digit != 0) else {
        return Ok(Amount::ZERO);
    };
    let significant = &digits[first..];
    let trailing_zeros = significant.iter().rev().take_while(|&&digit| digit == 0).count();
    let significant = &significant[..significant.len() - trailing_zeros];
    if significant.len() > MAX_DIGITS as usize {
        return Err(QuantityError::OutOfRange);
    }
    let mantissa = significant.iter().fold(0i128, |value, &digit| value * 10 + i128::from(digit));
    Ok(Amount::new(mantissa, exponent + trailing_zeros as i64))
}

/// Whether upstream's int64 fast path parses this text (`Some`), and if so whether it keeps the
/// text as the serialized form (`Some(true)`).
///
/// Upstream remembers the input when it already looks canonical to its fast path, and then
/// writes it back unchanged: `+1`, `01`, `1E3`, `1.` and `1.234` survive a round trip as
/// written. Since the remembered text is what the apiserver stores and returns, matching it is
/// part of wire compatibility.
fn upstream_fast_path(lexeme: &Lexeme<'_>, scaling: Scaling) -> Option<bool> {
    // The fast path reads the integer digits as "0" when they were all zeros.
    let whole = if lexeme.whole.is_empty() { "0" } else { lexeme.whole };
    match scaling {
        Scaling::Decimal(power) => {
            let scale = i64::from(power) - lexeme.fraction.len() as i64;
            if whole.len() + lexeme.fraction.len() > 18 || scale < NANO {
                return None;
            }
            let trailing_zeros = match lexeme.fraction.trim_end_matches('0') {
                "" => lexeme.fraction.len() + (whole.len() - whole.trim_end_matches('0').len()),
                rest => lexeme.fraction.len() - rest.len(),
            };
            Some(scale % 3 == 0 && trailing_zeros < 3 && !whole.starts_with('0'))
        }
        Scaling::Binary(power) => {
            let digit_budget = 15 - whole.len() as i64 - i64::from(power * 3 / 10) - 1;
            if !lexeme.fraction.is_empty() || digit_budget < 0 {
                return None;
            }
            let value: i64 = whole.parse().ok()?;
            value.checked_mul(1 << power)?;
            Some(value & 0b111 != 0)
        }
    }
}
