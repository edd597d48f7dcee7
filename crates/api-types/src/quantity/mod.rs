//! `Quantity`: an exact number with an SI or binary suffix (`500m`, `128Mi`, `1e3`), upstream's
//! `resource.Quantity`.
//!
//! Resource requests, limits, capacities and quotas are all quantities, and kubectl, the Python
//! client and our own components compare and add them. So the value is exact (never a float),
//! equality is by value (`1Gi == 1024Mi`), and the text written back is the one upstream writes.
//!
//! Layout: [`parse`] reads text, [`amount`] holds the number and its arithmetic, [`format`]
//! writes the canonical text; this module ties them into the public type and its serde form.
//!
//! # Behaviour, as upstream
//!
//! - Suffixes: decimal SI `n u m "" k M G T P E`, binary `Ki Mi Gi Ti Pi Ei`, exponents `e3`,
//!   `E-2`. The suffix picks the [`Format`] used when writing the value back.
//! - Values finer than one nano-unit round away from zero to the next nano (`0.1n` is `1n`);
//!   binary values are capped at 2^63 - 1 in magnitude (`9Ei`); decimal ones are not.
//! - Written form: the largest suffix of the format that needs no fraction (`0.5` is `500m`,
//!   `1.5Gi` is `1536Mi`). A binary value that is fractional or below 1024 is written in decimal
//!   SI. When upstream's parser already considers the input canonical it keeps the input text
//!   and writes that back unchanged, including its quirks (`+1`, `1E3`, `1.234`); so do we.
//! - A bare suffix (`Mi`, `k`) parses as zero, an upstream quirk (kubernetes/apimachinery#165).
//!
//! # Representation and its limits
//!
//! The value is `mantissa × 10^exponent` with an `i128` mantissa of at most 37 significant
//! digits and an `i64` exponent. Upstream falls back to arbitrary precision; the difference shows
//! only far outside what clusters use (an exabyte in nano-units needs 28 digits):
//! - parsing refuses values needing more than 37 significant digits, and exponents outside the
//!   `i32` range (upstream wraps those), with [`QuantityError::OutOfRange`];
//! - a sum or difference needing more than 37 digits is rounded away from zero at the 37th;
//! - [`Quantity::value`] and friends saturate at the `i64` bounds instead of overflowing;
//! - a JSON number is read through `f64` (serde_json keeps no literal text), so an integer
//!   beyond `u64` or a fraction with more than ~15 significant digits may lose precision, and a
//!   number's spelling is never echoed back; JSON strings, the form clients send, are exact.

mod amount;
mod format;
mod parse;
#[cfg(test)]
mod tests;

pub use parse::QuantityError;

use amount::Amount;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

/// How a quantity is written back; parsing remembers it from the input's suffix so that
/// `128Mi` stays binary and `1e3` stays in exponent form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// `12e6`: a power of ten written as `e<n>`, the exponent a multiple of three.
    DecimalExponent,
    /// `12Mi`: powers of 1024.
    BinarySI,
    /// `12M`: powers of 1000 as SI letters; the format of plain numbers.
    #[default]
    DecimalSI,
}

/// Upstream's `resource.Quantity`: an exact decimal number plus the format to write it in.
///
/// Equality, ordering and hashing look at the value only, like upstream's `Cmp`.
#[derive(Clone, Debug, Default)]
pub struct Quantity {
    amount: Amount,
    format: Format,
    /// The input text, when upstream would write it back verbatim instead of the canonical form.
    spelling: Option<Box<str>>,
}

impl Quantity {
    /// Parses the wire form. Surrounding whitespace is an error here, as upstream's parser has
    /// it; only JSON decoding trims it.
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        let parsed = parse::parse(text)?;
        Ok(Quantity {
            amount: parsed.amount,
            format: parsed.format,
            spelling: parsed.keeps_spelling.then(|| text.into()),
        })
    }

    /// A whole number of units, for counts and byte sizes computed in code.
    pub fn from_int(value: i64, format: Format) -> Quantity {
        Quantity::from_amount(Amount::from_i64(value), format)
    }

    /// A number of thousandths, the unit CPU is usually computed in.
    pub fn from_milli(value: i64, format: Format) -> Quantity {
        Quantity::from_amount(Amount::new(i128::from(value), -3), format)
    }

    /// `value × 10^scale` in decimal SI, e.g. `from_scaled(5, -9)` for five nano-units.
    pub fn from_scaled(value: i64, scale: i32) -> Quantity {
        Quantity::from_amount(Amount::new(i128::from(value), i64::from(scale)), Format::DecimalSI)
    }

    fn from_amount(amount: Amount, format: Format) -> Quantity {
        Quantity { amount, format, spelling: None }
    }

    /// The format this quantity is written in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The same value written in another format (e.g. to report memory in binary units).
    pub fn with_format(self, format: Format) -> Quantity {
        Quantity::from_amount(self.amount, format)
    }

    /// Whether the value is zero, whatever its format.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// -1, 0 or 1 by the sign of the value.
    pub fn signum(&self) -> i32 {
        self.amount.signum()
    }

    /// The value as a whole number, rounded away from zero (`1.2` gives 2, `-1.2` gives -2) and
    /// saturated at the `i64` bounds.
    pub fn value(&self) -> i64 {
        self.scaled_value(0)
    }

    /// The value in thousandths, rounded away from zero and saturated: the CPU millicores that
    /// the scheduler and kubelet work with.
    pub fn milli_value(&self) -> i64 {
        self.scaled_value(-3)
    }

    /// The value in units of `10^scale` (scale -9 is nano, 3 is kilo), rounded away from zero
    /// and saturated at the `i64` bounds.
    pub fn scaled_value(&self, scale: i32) -> i64 {
        self.amount.scaled_i64(i64::from(scale))
    }

    /// The canonical text, ignoring any input spelling upstream would have echoed.
    fn canonical(&self) -> String {
        format::canonical(self.amount, self.format)
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Quantity, QuantityError> {
        Quantity::parse(text)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.spelling {
            Some(text) => f.write_str(text),
            None => f.write_str(&self.canonical()),
        }
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Quantity) -> bool {
        self.amount == other.amount
    }
}

impl Eq for Quantity {}

impl Hash for Quantity {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.amount.hash(state);
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Quantity) -> Ordering {
        self.amount.cmp(&other.amount)
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Quantity) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Sums keep the left operand's format, unless it is zero: then the right one's, so that
/// summing from zero (`0 + 1Gi`) keeps the unit of what was added.
impl Add for Quantity {
    type Output = Quantity;

    fn add(self, other: Quantity) -> Quantity {
        let format = if self.is_zero() { other.format } else { self.format };
        Quantity::from_amount(self.amount.plus(other.amount), format)
    }
}

/// Differences follow the format rule of [`Add`].
impl Sub for Quantity {
    type Output = Quantity;

    fn sub(self, other: Quantity) -> Quantity {
        self + (-other)
    }
}

impl Neg for Quantity {
    type Output = Quantity;

    fn neg(self) -> Quantity {
        Quantity::from_amount(self.amount.negated(), self.format)
    }
}

impl AddAssign<&Quantity> for Quantity {
    fn add_assign(&mut self, other: &Quantity) {
        *self = std::mem::take(self) + other.clone();
    }
}

impl SubAssign<&Quantity> for Quantity {
    fn sub_assign(&mut self, other: &Quantity) {
        *self = std::mem::take(self) - other.clone();
    }
}

impl<'a> Sum<&'a Quantity> for Quantity {
    fn sum<I: Iterator<Item = &'a Quantity>>(quantities: I) -> Quantity {
        quantities.fold(Quantity::default(), |total, quantity| total + quantity.clone())
    }
}

impl Sum for Quantity {
    fn sum<I: Iterator<Item = Quantity>>(quantities: I) -> Quantity {
        quantities.fold(Quantity::default(), Add::add)
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Accepts what upstream's JSON decoding accepts: a string (surrounding whitespace trimmed), a
/// bare number, or `null` for zero.
impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Quantity, D::Error> {
        deserializer.deserialize_any(QuantityVisitor)
    }
}

struct QuantityVisitor;

impl QuantityVisitor {
    fn parse<E: serde::de::Error>(text: &str) -> Result<Quantity, E> {
        Quantity::parse(text).map_err(E::custom)
    }
}

impl<'de> serde::de::Visitor<'de> for QuantityVisitor {
    type Value = Quantity;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a quantity string such as \"500m\" or \"1Gi\", or a number")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Quantity, E> {
        Self::parse(text.trim())
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Quantity, E> {
        Self::parse(&value.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Quantity, E> {
        Self::parse(&value.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Quantity, E> {
        if !value.is_finite() {
            return Err(E::custom(format!("quantity must be a finite number, got {value}")));
        }
        // Display writes the shortest digits that read back as the same f64, never with an
        // exponent, so the literal's digits come back whenever the f64 held them exactly.
        Self::parse(&value.to_string())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Quantity, E> {
        Ok(Quantity::default())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Quantity, E> {
        Ok(Quantity::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Quantity, D::Error> {
        deserializer.deserialize_any(QuantityVisitor)
    }
}
