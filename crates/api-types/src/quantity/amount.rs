//! The exact number behind a quantity: `mantissa × 10^exponent`, and the arithmetic on it.
//!
//! Upstream keeps an `int64` fast path and an arbitrary-precision fallback. One `i128` mantissa
//! covers everything a cluster writes (an exabyte counted in nano-units needs 28 digits) and
//! keeps the code to a single path; the bound below says what happens past that.

use std::cmp::Ordering;

/// Most significant digits a mantissa may carry. Two such mantissas still add inside an `i128`
/// (2 × 10^37 < 1.7 × 10^38), so no intermediate step below can overflow.
pub(super) const MAX_DIGITS: u32 = 37;

/// `10^MAX_DIGITS`: every stored mantissa is strictly below this in magnitude.
const MANTISSA_LIMIT: i128 = pow10(MAX_DIGITS);

/// A decimal number kept in one canonical shape, so that derived equality and hashing are
/// equality and hashing by value: the mantissa has no trailing zeros (zero is `0 × 10^0`) and
/// fewer than [`MAX_DIGITS`] + 1 digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(super) struct Amount {
    mantissa: i128,
    exponent: i64,
}

impl Amount {
    pub(super) const ZERO: Amount = Amount { mantissa: 0, exponent: 0 };

    /// Builds `mantissa × 10^exponent`. A mantissa longer than [`MAX_DIGITS`] is rounded away
    /// from zero, the direction upstream rounds whenever it cannot keep a value exactly.
    pub(super) fn new(mut mantissa: i128, mut exponent: i64) -> Amount {
        if mantissa == 0 {
            return Amount::ZERO;
        }
        while mantissa.abs() >= MANTISSA_LIMIT {
            mantissa = divide_away_from_zero(mantissa, 10);
            exponent += 1;
        }
        while mantissa % 10 == 0 {
            mantissa /= 10;
            exponent += 1;
        }
        Amount { mantissa, exponent }
    }

    pub(super) fn from_i64(value: i64) -> Amount {
        Amount::new(i128::from(value), 0)
    }

    pub(super) fn mantissa(self) -> i128 {
        self.mantissa
    }

    pub(super) fn exponent(self) -> i64 {
        self.exponent
    }

    pub(super) fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    pub(super) fn signum(self) -> i32 {
        self.mantissa.signum() as i32
    }

    pub(super) fn abs(self) -> Amount {
        Amount { mantissa: self.mantissa.abs(), ..self }
    }

    pub(super) fn negated(self) -> Amount {
        Amount { mantissa: -self.mantissa, ..self }
    }

    /// The sum, exact whenever it fits in [`MAX_DIGITS`] significant digits and otherwise
    /// rounded away from zero at the last digit that fits.
    pub(super) fn plus(self, other: Amount) -> Amount {
        if self.is_zero() {
            return other;
        }
        if other.is_zero() {
            return self;
        }
        let (high, low) =
            if self.exponent >= other.exponent { (self, other) } else { (other, self) };
        let room = MAX_DIGITS - digit_count(high.mantissa);
        let gap = high.exponent - low.exponent;
        if gap <= i64::from(room) {
            let aligned = high.mantissa * pow10(gap as u32);
            return Amount::new(aligned + low.mantissa, low.exponent);
        }
        // `low` reaches below the last digit the result can hold. Keep `high` at full width and
        // fold whatever `low` has below that digit into one rounding step.
        let target = high.exponent - i64::from(room);
        let dropped_places = target - low.exponent;
        let (kept_low, dropped_low) = if dropped_places >= i64::from(MAX_DIGITS) {
            (0, low.mantissa)
        } else {
            let unit = pow10(dropped_places as u32);
            (low.mantissa / unit, low.mantissa % unit)
        };
        let mut sum = high.mantissa * pow10(room) + kept_low;
        // The dropped part lies strictly between two multiples of the kept unit. Rounding away
        // from zero moves one unit outwards only when it points away from zero too.
        if dropped_low != 0 && (sum == 0 || sum.signum() == dropped_low.signum()) {
            sum += dropped_low.signum();
        }
        Amount::new(sum, target)
    }

    /// The value divided by `10^scale`, rounded away from zero, saturated to the `i64` range.
    pub(super) fn scaled_i64(self, scale: i64) -> i64 {
        if self.is_zero() {
            return 0;
        }
        let saturated = if self.mantissa > 0 { i64::MAX } else { i64::MIN };
        let shift = self.exponent - scale;
        let scaled = if shift >= 0 {
            u32::try_from(shift)
                .ok()
                .filter(|&places| places <= 38)
                .and_then(|places| self.mantissa.checked_mul(pow10(places)))
        } else {
            let places = shift.unsigned_abs();
            if places > u64::from(MAX_DIGITS) {
                // |mantissa| < 10^37 <= 10^places, so the value is a non-zero fraction.
                Some(self.mantissa.signum())
            } else {
                Some(divide_away_from_zero(self.mantissa, pow10(places as u32)))
            }
        };
        scaled.and_then(|value| i64::try_from(value).ok()).unwrap_or(saturated)
    }

    /// The value as an integer, if it is whole and fits an `i128`.
    pub(super) fn to_integer(self) -> Option<i128> {
        let places = u32::try_from(self.exponent).ok().filter(|&places| places <= 38)?;
        self.mantissa.checked_mul(pow10(places))
    }

    fn cmp_magnitude(self, other: Amount) -> Ordering {
        // Leading digit positions decide unless they are equal; then the exponents differ by
        // less than MAX_DIGITS and aligning one mantissa onto the other stays in range.
        let top = |amount: Amount| amount.exponent + i64::from(digit_count(amount.mantissa));
        top(self).cmp(&top(other)).then_with(|| {
            let (a, b) = (self.mantissa.unsigned_abs(), other.mantissa.unsigned_abs());
            match self.exponent.cmp(&other.exponent) {
                Ordering::Greater => (a * pow10_u(self.exponent - other.exponent)).cmp(&b),
                Ordering::Less => a.cmp(&(b * pow10_u(other.exponent - self.exponent))),
                Ordering::Equal => a.cmp(&b),
            }
        })
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Amount) -> Ordering {
        let sign = self.signum();
        match sign.cmp(&other.signum()) {
            Ordering::Equal if sign == 0 => Ordering::Equal,
            Ordering::Equal if sign > 0 => self.cmp_magnitude(*other),
            Ordering::Equal => self.cmp_magnitude(*other).reverse(),
            unequal => unequal,
        }
    }
}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Amount) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `10^places` for `places <= 38`, the largest power of ten an `i128` holds.
pub(super) const fn pow10(places: u32) -> i128 {
    10i128.pow(places)
}

fn pow10_u(places: i64) -> u128 {
    10u128.pow(places as u32)
}

/// Decimal digits of a non-zero mantissa.
fn digit_count(mantissa: i128) -> u32 {
    mantissa.unsigned_abs().checked_ilog10().map_or(0, |log| log + 1)
}

fn divide_away_from_zero(value: i128, divisor: i128) -> i128 {
    let quotient = value / divisor;
    if value % divisor == 0 { quotient } else { quotient + value.signum() }
}
