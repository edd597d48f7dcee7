//! Canonical rendering: the text upstream's `Quantity.String()` produces for a value and format.
//!
//! The rules: no fractional digits, the largest suffix that keeps the value exact, and the
//! format's own family of suffixes (decimal SI letters, powers of 1024, or `e<n>`).

use super::Format;
use super::amount::Amount;

/// Decimal SI suffixes by power of ten.
const DECIMAL_SI_SUFFIXES: [(i64, &str); 10] = [
    (-9, "n"),
    (-6, "u"),
    (-3, "m"),
    (0, ""),
    (3, "k"),
    (6, "M"),
    (9, "G"),
    (12, "T"),
    (15, "P"),
    (18, "E"),
];

/// Binary suffixes by power of 1024.
const BINARY_SI_SUFFIXES: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

/// Renders `amount` the way upstream serializes a quantity of that format.
pub(super) fn canonical(amount: Amount, format: Format) -> String {
    if amount.is_zero() {
        return "0".to_string();
    }
    match format {
        // Binary notation only when it is exact and reads naturally; small or fractional
        // values fall back to decimal SI, as upstream does.
        Format::BinarySI => binary(amount).unwrap_or_else(|| decimal(amount, Format::DecimalSI)),
        Format::DecimalSI | Format::DecimalExponent => decimal(amount, format),
    }
}

/// `<digits><suffix>` with the exponent lowered to a multiple of three.
fn decimal(amount: Amount, format: Format) -> String {
    let padding = amount.exponent().rem_euclid(3);
    let exponent = amount.exponent() - padding;
    let mut text = amount.mantissa().to_string();
    text.extend(std::iter::repeat_n('0', padding as usize));
    let si_suffix =
        DECIMAL_SI_SUFFIXES.iter().find(|(power, _)| *power == exponent).map(|(_, suffix)| *suffix);
    match (format, si_suffix) {
        (Format::DecimalSI, Some(suffix)) => text.push_str(suffix),
        // Beyond "E" (or below "n") decimal SI has no letter; the exponent keeps the value.
        _ if exponent != 0 => text.push_str(&format!("e{exponent}")),
        _ => {}
    }
    text
}

/// `<integer><binary suffix>`, or `None` when the value is not a whole number of at least 1024
/// in magnitude. Integers beyond `i128` also fall back to decimal: they only arise from adding
/// astronomically large decimal quantities to a binary one.
fn binary(amount: Amount) -> Option<String> {
    let mut integer = amount.to_integer().filter(|value| value.unsigned_abs() >= 1024)?;
    let mut power = 0;
    while integer % 1024 == 0 {
        integer /= 1024;
        power += 1;
    }
    // Upstream has no suffix past "Ei"; keep the value exact by leaving the rest in the digits.
    let largest = BINARY_SI_SUFFIXES.len() - 1;
    while power > largest {
        integer *= 1024;
        power -= 1;
    }
    Some(format!("{integer}{}", BINARY_SI_SUFFIXES[power]))
}
