//! Table-driven tests; the tables follow upstream's `quantity_test.go` where it has one.

use super::*;
use Format::{BinarySI, DecimalExponent, DecimalSI};

fn q(text: &str) -> Quantity {
    Quantity::parse(text).unwrap_or_else(|err| panic!("{text:?} should parse: {err}"))
}

/// Input, the text upstream writes back, and the format it remembers.
const PARSE_CASES: &[(&str, &str, Format)] = &[
    // Zero in every suffix.
    ("0", "0", DecimalSI),
    ("0n", "0", DecimalSI),
    ("0u", "0", DecimalSI),
    ("0m", "0", DecimalSI),
    ("0k", "0", DecimalSI),
    ("0M", "0", DecimalSI),
    ("0G", "0", DecimalSI),
    ("0T", "0", DecimalSI),
    ("0Ki", "0", BinarySI),
    ("0Mi", "0", BinarySI),
    ("0Gi", "0", BinarySI),
    ("0Ti", "0", BinarySI),
    ("-0", "0", DecimalSI),
    ("0.0", "0", DecimalSI),
    // Plain numbers and decimal SI suffixes.
    ("1", "1", DecimalSI),
    ("9", "9", DecimalSI),
    ("1000", "1k", DecimalSI),
    ("1100", "1100", DecimalSI),
    ("5n", "5n", DecimalSI),
    ("4u", "4u", DecimalSI),
    ("3m", "3m", DecimalSI),
    ("8k", "8k", DecimalSI),
    ("50k", "50k", DecimalSI),
    ("7M", "7M", DecimalSI),
    ("100M", "100M", DecimalSI),
    ("6G", "6G", DecimalSI),
    ("5T", "5T", DecimalSI),
    ("40T", "40T", DecimalSI),
    ("300T", "300T", DecimalSI),
    ("2P", "2P", DecimalSI),
    ("1E", "1E", DecimalSI),
    ("12E", "12E", DecimalSI),
    ("1000m", "1", DecimalSI),
    ("1000M", "1G", DecimalSI),
    ("10000m", "10", DecimalSI),
    ("1000E", "1e21", DecimalSI),
    // Binary suffixes.
    ("1Ki", "1Ki", BinarySI),
    ("8Ki", "8Ki", BinarySI),
    ("7Mi", "7Mi", BinarySI),
    ("6Gi", "6Gi", BinarySI),
    ("5Ti", "5Ti", BinarySI),
    ("4Pi", "4Pi", BinarySI),
    ("3Ei", "3Ei", BinarySI),
    ("10Ti", "10Ti", BinarySI),
    ("100Ti", "100Ti", BinarySI),
    ("1024Mi", "1Gi", BinarySI),
    ("2048Ki", "2Mi", BinarySI),
    ("1025Ki", "1025Ki", BinarySI),
    ("1.5Gi", "1536Mi", BinarySI),
    ("0.5Mi", "512Ki", BinarySI),
    ("100.035Ki", "102435840m", BinarySI),
    ("0.05Gi", "53687091200m", BinarySI),
    ("0.025Ti", "27487790694400m", BinarySI),
    (".001Ki", "1024m", BinarySI),
    (".000001Ki", "1024u", DecimalSI),
    (".000000001Ki", "1024n", DecimalSI),
    // Binary values below one cannot be spelled in binary and switch to decimal SI.
    (".000000000001Ki", "2n", DecimalSI),
    ("0.0001Ki", "102400u", DecimalSI),
    // Binary values cap at 2^63 - 1; decimal ones do not.
    ("8Ei", "9223372036854775807", BinarySI),
    ("9Ei", "9223372036854775807", BinarySI),
    ("9223372036854775807Ki", "9223372036854775807", BinarySI),
    ("9E", "9E", DecimalSI),
    ("10E", "10E", DecimalSI),
    // Decimal exponents.
    ("1e3", "1e3", DecimalExponent),
    ("1e9", "1e9", DecimalExponent),
    ("1e15", "1e15", DecimalExponent),
    ("1e14", "100e12", DecimalExponent),
    ("1e13", "10e12", DecimalExponent),
    ("1e2", "100", DecimalExponent),
    ("1.5e3", "1500", DecimalExponent),
    ("1.2e3", "1200", DecimalExponent),
    ("1.3E+6", "1300e3", DecimalExponent),
    ("1.40e9", "1400e6", DecimalExponent),
    ("1.53E12", "1530e9", DecimalExponent),
    ("1.6e15", "1600e12", DecimalExponent),
    ("1.7E18", "1700e15", DecimalExponent),
    ("0.5e0", "500e-3", DecimalExponent),
    ("0.5e-1", "50e-3", DecimalExponent),
    ("0.5e-2", "5e-3", DecimalExponent),
    ("5e-2", "50e-3", DecimalExponent),
    ("1e0003", "1e0003", DecimalExponent),
    ("1e2147483646", "1e2147483646", DecimalExponent),
    // Decimals.
    ("0.5", "500m", DecimalSI),
    ("0.001", "1m", DecimalSI),
    ("0.005", "5m", DecimalSI),
    ("0.05", "50m", DecimalSI),
    ("0.0005k", "500m", DecimalSI),
    ("0.00050k", "500m", DecimalSI),
    ("0.00500", "5m", DecimalSI),
    ("0.05000", "50m", DecimalSI),
    ("0.50000", "500m", DecimalSI),
    ("0.1m", "100u", DecimalSI),
    ("1.5", "1500m", DecimalSI),
    ("9.01", "9010m", DecimalSI),
    ("8.1k", "8100", DecimalSI),
    ("40.1T", "40100G", DecimalSI),
    ("300.2T", "300200G", DecimalSI),
    ("2.5P", "2500T", DecimalSI),
    ("1.01E", "1010P", DecimalSI),
    (".001", "1m", DecimalSI),
    (".0001k", "100m", DecimalSI),
    ("1.0E", "1E", DecimalSI),
    ("999999999999999999.1", "999999999999999999100m", DecimalSI),
    ("9999999999999999999", "9999999999999999999", DecimalSI),
    ("1000000000000000000", "1E", DecimalSI),
    ("9223372036854775808000m", "9223372036854775808", DecimalSI),
    ("1.0000000000000000001E", "1000000000000000000100m", DecimalSI),
    ("10.000000000000000001E", "10000000000000000001", DecimalSI),
    // Below nano, values round away from zero to the next nano-unit.
    ("0.1n", "1n", DecimalSI),
    ("0.9n", "1n", DecimalSI),
    ("3.001n", "4n", DecimalSI),
    ("1.1E-9", "2e-9", DecimalExponent),
    ("0.5e-9", "1e-9", DecimalExponent),
    ("0.0000000001", "1n", DecimalSI),
    ("0.0000000005", "1n", DecimalSI),
    ("0.00000000050", "1n", DecimalSI),
    ("0.00000012345", "124n", DecimalSI),
    ("0.00000012354", "124n", DecimalSI),
    ("1e-1000", "1e-9", DecimalExponent),
    ("0.0000000000e5", "0", DecimalExponent),
    // Negatives.
    ("-1", "-1", DecimalSI),
    ("-0.5", "-500m", DecimalSI),
    ("-1.5Gi", "-1536Mi", BinarySI),
    ("-1024Mi", "-1Gi", BinarySI),
    ("-9Ei", "-9223372036854775807", BinarySI),
    ("-0.1n", "-1n", DecimalSI),
    ("-1e3", "-1e3", DecimalExponent),
    // Texts upstream's fast path already finds canonical are written back exactly as given.
    ("+1", "+1", DecimalSI),
    ("01", "01", DecimalSI),
    ("1E3", "1E3", DecimalExponent),
    ("1E-3", "1E-3", DecimalExponent),
    ("1.", "1.", DecimalSI),
    ("1.G", "1.G", DecimalSI),
    ("1.234", "1.234", DecimalSI),
    ("1.500", "1.500", DecimalSI),
    ("100.035k", "100.035k", DecimalSI),
    ("7.123456M", "7.123456M", DecimalSI),
    ("+1Ki", "+1Ki", BinarySI),
    // ... but not when they carry a fraction upstream's fast path cannot take.
    ("1.000", "1", DecimalSI),
    ("+1.5", "1500m", DecimalSI),
    ("+0.5", "500m", DecimalSI),
    // A bare suffix reads as zero upstream (kubernetes/apimachinery#165).
    ("Mi", "0", BinarySI),
    ("k", "0", DecimalSI),
    ("-", "0", DecimalSI),
    (".", "0", DecimalSI),
];

#[test]
fn parse_writes_back_upstreams_text_and_remembers_format() {
    for &(input, expected, format) in PARSE_CASES {
        let quantity = q(input);
        assert_eq!(quantity.to_string(), expected, "{input:?}");
        assert_eq!(quantity.format(), format, "{input:?}");
        // Whatever was written must read back as the same value.
        assert_eq!(q(expected), quantity, "{input:?} -> {expected:?}");
    }
}

#[test]
fn negated_inputs_write_back_negated() {
    for &(input, expected, format) in PARSE_CASES {
        if input.starts_with(['-', '+']) || q(input).is_zero() {
            continue;
        }
        let negative = q(&format!("-{input}"));
        assert_eq!(negative, -q(input), "-{input}");
        assert_eq!(negative.format(), format, "-{input}");
        assert_eq!(negative.to_string(), format!("-{expected}"), "-{input}");
    }
}

#[test]
fn parse_errors() {
    use QuantityError::*;
    let cases: &[(&str, QuantityError)] = &[
        ("", FormatWrong),
        ("1.1.1", FormatWrong),
        ("1.1.M", FormatWrong),
        ("1+1.0M", FormatWrong),
        ("1Kb", FormatWrong),
        (" 1", FormatWrong),
        ("1 ", FormatWrong),
        ("aoeu", FormatWrong),
        ("0.1am", FormatWrong),
        ("1e3.5", FormatWrong),
        ("1e3e3", FormatWrong),
        ("Non-Numeric", FormatWrong),
        ("1ii", Suffix),
        ("1i", Suffix),
        (".5i", Suffix),
        ("-3.01i", Suffix),
        ("0.1mi", Suffix),
        ("1ki", Suffix),
        ("1Mi3", Suffix),
        ("1e", Suffix),
        ("1e-", Suffix),
        ("-3.01e-", Suffix),
        ("1E+", Suffix),
        ("1Ee3", Suffix),
        ("1e99999999999999999999", Suffix),
        ("1e2147483648", OutOfRange),
        ("1e-2147483649", OutOfRange),
        ("12345678901234567890123456789012345678", OutOfRange),
        ("Pi", Numeric),
        ("e-12", Numeric),
    ];
    for &(input, expected) in cases {
        assert_eq!(Quantity::parse(input), Err(expected), "{input:?}");
    }
    assert!(FormatWrong.to_string().starts_with("quantities must match the regular expression"));
    assert_eq!(Suffix.to_string(), "unable to parse quantity's suffix");
}

#[test]
fn precision_limit_counts_significant_digits_only() {
    let long_but_short = format!("1{}", "0".repeat(60));
    assert_eq!(q(&long_but_short), q("1e60"));
    assert_eq!(
        q("1234567890123456789012345678901234567").to_string(),
        "1234567890123456789012345678901234567"
    );
    assert_eq!(q("0.000000000000000000000000000000000000000000000001").to_string(), "1n");
}

#[test]
fn constructed_quantities_render_canonically() {
    let cases: &[(Quantity, &str)] = &[
        (Quantity::from_int(1024 * 1024 * 1024, BinarySI), "1Gi"),
        (Quantity::from_int(300 * 1024 * 1024, BinarySI), "300Mi"),
        (Quantity::from_int(6 * 1024, BinarySI), "6Ki"),
        (Quantity::from_int(1001 * 1024 * 1024 * 1024, BinarySI), "1001Gi"),
        (Quantity::from_int(1024 * 1024 * 1024 * 1024, BinarySI), "1Ti"),
        (Quantity::from_int(5, BinarySI), "5"),
        (Quantity::from_int(1025, BinarySI), "1025"),
        (Quantity::from_scaled(500, -3).with_format(BinarySI), "500m"),
        (Quantity::from_scaled(1234567, -3).with_format(BinarySI), "1234567m"),
        (Quantity::from_scaled(1, 9), "1G"),
        (Quantity::from_scaled(1000, 6), "1G"),
        (Quantity::from_scaled(1_000_000, 3), "1G"),
        (Quantity::from_scaled(1, -3), "1m"),
        (Quantity::from_scaled(80, -3), "80m"),
        (Quantity::from_scaled(1080, -3), "1080m"),
        (Quantity::from_scaled(108, -2), "1080m"),
        (Quantity::from_scaled(10800, -4), "1080m"),
        (Quantity::from_scaled(300, 6), "300M"),
        (Quantity::from_scaled(1, 12), "1T"),
        (Quantity::from_scaled(1, 18), "1E"),
        (Quantity::from_scaled(1, 21), "1e21"),
        (Quantity::from_scaled(5, 21), "5e21"),
        (Quantity::from_scaled(1234567, 6), "1234567M"),
        (Quantity::from_scaled(3, 3), "3k"),
        (Quantity::from_scaled(1, -9), "1n"),
        (Quantity::from_scaled(108, -8), "1080n"),
        (Quantity::from_scaled(10800, -10), "1080n"),
        (Quantity::from_scaled(80, -6), "80u"),
        (Quantity::from_scaled(1, -12), "1e-12"),
        (Quantity::from_scaled(1, 9).with_format(DecimalExponent), "1e9"),
        (Quantity::from_scaled(1, -3).with_format(DecimalExponent), "1e-3"),
        (Quantity::from_scaled(80, -3).with_format(DecimalExponent), "80e-3"),
        (Quantity::from_scaled(300, 6).with_format(DecimalExponent), "300e6"),
        (Quantity::from_scaled(3, 3).with_format(DecimalExponent), "3e3"),
        (Quantity::from_scaled(0, 0).with_format(DecimalExponent), "0"),
        (Quantity::from_scaled(0, 0).with_format(BinarySI), "0"),
        (Quantity::from_scaled(901, -2), "9010m"),
        (-Quantity::from_scaled(901, -2), "-9010m"),
        (Quantity::from_int(i64::MIN, BinarySI), "-8Ei"),
        (-Quantity::from_int(i64::MIN, BinarySI), "8Ei"),
        (std::iter::repeat_n(Quantity::from_int(1 << 62, BinarySI), 4).sum(), "16Ei"),
        // No suffix beyond "Ei": the rest stays in the digits.
        (std::iter::repeat_n(Quantity::from_int(1 << 60, BinarySI), 1024).sum(), "1024Ei"),
        // From upstream's TestNewSet, TestMilliNewSet and TestNewScaledSet.
        (Quantity::from_int(1000, DecimalSI), "1k"),
        (Quantity::from_int(1234000, DecimalSI), "1234k"),
        (Quantity::from_int(1024, BinarySI), "1Ki"),
        (Quantity::from_int(1_000_000, DecimalExponent), "1e6"),
        (Quantity::from_milli(1, DecimalSI), "1m"),
        (Quantity::from_milli(1000, DecimalSI), "1"),
        (Quantity::from_milli(1234000, DecimalSI), "1234"),
        (Quantity::from_milli(1024, BinarySI), "1024m"),
        (Quantity::from_milli(1_000_000, DecimalExponent), "1e3"),
        (Quantity::from_milli(1024 * 1024, BinarySI), "1048576m"),
        (Quantity::from_scaled(1000, -9), "1u"),
        (Quantity::from_scaled(1000, -6), "1m"),
        (Quantity::from_scaled(0, -9), "0"),
    ];
    for (quantity, expected) in cases {
        assert_eq!(quantity.to_string(), *expected, "{quantity:?}");
    }
}

#[test]
fn formats_survive_a_write_and_read() {
    for text in ["1Gi", "300Mi", "1e9", "80e-3", "1080m", "1e21", "1234567M", "-1536Mi"] {
        let quantity = q(text);
        let again = q(&quantity.to_string());
        assert_eq!((again.to_string(), again.format()), (quantity.to_string(), quantity.format()));
    }
}

#[test]
fn comparison_is_by_value() {
    use Ordering::*;
    let cases: &[(&str, &str, Ordering)] = &[
        ("0", "0", Equal),
        ("0", "0Gi", Equal),
        ("0", "-0", Equal),
        ("100m", "50m", Greater),
        ("50m", "100m", Less),
        ("10000T", "100Gi", Greater),
        ("1Gi", "1024Mi", Equal),
        ("1Gi", "1073741824", Equal),
        ("1k", "1e3", Equal),
        ("1000m", "1", Equal),
        ("0.5", "500m", Equal),
        ("1.5Gi", "1536Mi", Equal),
        ("1", "999m", Greater),
        ("-1", "-999m", Less),
        ("-1", "1n", Less),
        ("1n", "0", Greater),
        ("1e100", "9E", Greater),
        ("-1e100", "-9E", Less),
        ("1e-9", "1n", Equal),
        ("9223372036854775807", "8Ei", Equal),
        ("9223372036854775808", "9223372036854775807", Greater),
        ("1.0000000000000000001E", "1E", Greater),
        ("100000000000000000001", "1e20", Greater),
    ];
    for &(left, right, expected) in cases {
        assert_eq!(q(left).cmp(&q(right)), expected, "{left} vs {right}");
        assert_eq!(q(right).cmp(&q(left)), expected.reverse(), "{right} vs {left}");
        assert_eq!(q(left) == q(right), expected == Equal, "{left} == {right}");
    }
}

#[test]
fn equal_values_hash_alike() {
    use std::collections::HashSet;
    let set: HashSet<Quantity> =
        ["1Gi", "1024Mi", "1073741824", "1.073741824G"].into_iter().map(q).collect();
    assert_eq!(set.len(), 1);
}

#[test]
fn addition_and_subtraction() {
    // Left, operator, right, result and its format.
    let cases: &[(&str, char, &str, &str, Format)] = &[
        ("10", '+', "1e1", "20", DecimalSI),
        ("10", '+', "1Ki", "1034", DecimalSI),
        ("1Ki", '+', "10", "1034", BinarySI),
        ("0", '+', "50", "50", DecimalSI),
        ("0", '+', "1Gi", "1Gi", BinarySI),
        ("100m", '+', "0", "100m", DecimalSI),
        ("1Gi", '+', "0", "1Gi", BinarySI),
        ("1Gi", '+', "1Gi", "2Gi", BinarySI),
        ("512Mi", '+', "512Mi", "1Gi", BinarySI),
        ("100m", '+', "900m", "1", DecimalSI),
        ("1", '+', "1n", "1000000001n", DecimalSI),
        ("1E", '+', "1n", "1000000000000000000000000001n", DecimalSI),
        ("10", '-', "1e1", "0", DecimalSI),
        ("10", '-', "1Ki", "-1014", DecimalSI),
        ("1Ki", '-', "1", "1023", BinarySI),
        ("0", '-', "50", "-50", DecimalSI),
        ("0", '-', "1Gi", "-1Gi", BinarySI),
        ("100m", '-', "0", "100m", DecimalSI),
        ("1", '-', "1n", "999999999n", DecimalSI),
        ("2Gi", '-', "512Mi", "1536Mi", BinarySI),
        ("-8Ei", '-', "8Ei", "-18446744073709551614", BinarySI),
        // Beyond 37 significant digits the result rounds away from zero at the 37th.
        ("1e40", '+', "1n", "10000000000000000000000000000000000010e3", DecimalExponent),
        ("1e40", '+', "1", "10000000000000000000000000000000000010e3", DecimalExponent),
        ("1e40", '-', "1n", "10e39", DecimalExponent),
        ("-1e40", '-', "1n", "-10000000000000000000000000000000000010e3", DecimalExponent),
        ("1e40", '+', "1e-40", "10000000000000000000000000000000000010e3", DecimalExponent),
    ];
    for &(left, operator, right, expected, format) in cases {
        let result = match operator {
            '+' => q(left) + q(right),
            _ => q(left) - q(right),
        };
        assert_eq!(result.to_string(), expected, "{left} {operator} {right}");
        assert_eq!(result.format(), format, "{left} {operator} {right}");
    }
}

#[test]
fn compound_assignment_and_sums() {
    let mut total = Quantity::default();
    total += &q("250m");
    total += &q("750m");
    total -= &q("500m");
    assert_eq!(total.to_string(), "500m");

    let requests = [q("1Gi"), q("512Mi"), q("512Mi")];
    let sum: Quantity = requests.iter().sum();
    assert_eq!((sum.to_string(), sum.format()), ("2Gi".to_string(), BinarySI));
    let owned: Quantity = requests.into_iter().sum();
    assert_eq!(owned, q("2Gi"));

    // Adding then removing the same values cancels exactly, across scales (within 37 digits).
    let parts: Vec<Quantity> =
        (0..40).map(|i| Quantity::from_scaled(i64::MAX - i, (i % 10 - 5) as i32)).collect();
    let mut running = Quantity::default();
    for part in &parts {
        running += part;
    }
    for part in &parts {
        running -= part;
    }
    assert!(running.is_zero(), "{running}");
}

#[test]
fn negation() {
    for (input, expected) in
        [("10", "-10"), ("-10", "10"), ("0", "0"), ("1Gi", "-1Gi"), ("1.5", "-1500m")]
    {
        let negated = -q(input);
        assert_eq!(negated.to_string(), expected, "-({input})");
        assert_eq!(-negated, q(input));
    }
    assert_eq!(q("-5").signum(), -1);
    assert_eq!(q("0").signum(), 0);
    assert!(q("0Gi").is_zero() && !q("1n").is_zero());
}

#[test]
fn integer_accessors_round_away_from_zero_and_saturate() {
    // Quantity, value(), milli_value().
    let cases: &[(&str, i64, i64)] = &[
        ("0", 0, 0),
        ("1", 1, 1000),
        ("1.5", 2, 1500),
        ("-1.5", -2, -1500),
        ("100m", 1, 100),
        ("1m", 1, 1),
        ("1n", 1, 1),
        ("-1n", -1, -1),
        ("1Gi", 1 << 30, 1000 << 30),
        ("1.5Gi", 1610612736, 1610612736000),
        ("9E", 9_000_000_000_000_000_000, i64::MAX),
        ("10E", i64::MAX, i64::MAX),
        ("-10E", i64::MIN, i64::MIN),
        ("8Ei", i64::MAX, i64::MAX),
        ("1e-1000", 1, 1),
        ("1e100", i64::MAX, i64::MAX),
    ];
    for &(input, value, milli) in cases {
        assert_eq!(q(input).value(), value, "{input}.value()");
        assert_eq!(q(input).milli_value(), milli, "{input}.milli_value()");
    }
}

#[test]
fn scaled_value_converts_between_scales() {
    // Upstream's TestScaledValue: 1 × 10^from read in units of 10^to.
    let cases: &[(i32, i32, i64)] = &[
        (-9, -9, 1),
        (-9, -6, 1),
        (-9, -3, 1),
        (-9, 0, 1),
        (-6, -9, 1000),
        (-6, -6, 1),
        (-6, -3, 1),
        (-6, 0, 1),
        (-3, -9, 1_000_000),
        (-3, -6, 1000),
        (-3, -3, 1),
        (-3, 0, 1),
        (0, -9, 1_000_000_000),
        (0, -6, 1_000_000),
        (0, -3, 1000),
        (0, 0, 1),
        (2, -2, 10_000),
    ];
    for &(from, to, expected) in cases {
        assert_eq!(
            Quantity::from_scaled(1, from).scaled_value(to),
            expected,
            "10^{from} in 10^{to}"
        );
    }
    assert_eq!(q("1234567").scaled_value(3), 1235);
    assert_eq!(q("-1234567").scaled_value(3), -1235);
    assert_eq!(q("1.5Gi").scaled_value(6), 1611);
}

#[test]
fn json_writes_the_string_form() {
    for (input, expected) in
        [("0.5", r#""500m""#), ("1024Mi", r#""1Gi""#), ("1e3", r#""1e3""#), ("+1", r#""+1""#)]
    {
        assert_eq!(serde_json::to_string(&q(input)).unwrap(), expected, "{input}");
    }
    assert_eq!(serde_json::to_string(&Quantity::default()).unwrap(), r#""0""#);
}

#[test]
fn json_reads_strings_numbers_and_null() {
    // JSON text, the quantity's written form afterwards.
    let cases: &[(&str, &str)] = &[
        (r#""500m""#, "500m"),
        (r#""1.5Gi""#, "1536Mi"),
        (r#"" 1""#, "1"),
        (r#""1 ""#, "1"),
        (r#"" 100Mi ""#, "100Mi"),
        ("1", "1"),
        (" 1", "1"),
        ("10", "10"),
        ("-1", "-1"),
        ("1000", "1k"),
        ("0.5", "500m"),
        ("1.5", "1500m"),
        ("-0.25", "-250m"),
        ("1e3", "1k"),
        ("1.0", "1"),
        ("18446744073709551615", "18446744073709551615"),
        ("null", "0"),
    ];
    for &(json, expected) in cases {
        let quantity: Quantity =
            serde_json::from_str(json).unwrap_or_else(|err| panic!("{json}: {err}"));
        assert_eq!(quantity.to_string(), expected, "{json}");
        let round_trip: Quantity =
            serde_json::from_str(&serde_json::to_string(&quantity).unwrap()).unwrap();
        assert_eq!(round_trip, quantity, "{json}");
    }
    for json in [r#""""#, r#""1Kb""#, r#""1.1.1""#, "true", "[]", "{}"] {
        assert!(serde_json::from_str::<Quantity>(json).is_err(), "{json} should be rejected");
    }
    let err = serde_json::from_str::<Quantity>(r#""abc""#).unwrap_err();
    assert!(err.to_string().starts_with("quantities must match the regular expression"), "{err}");
}

#[test]
fn serde_in_structs_and_yaml() {
    use std::collections::BTreeMap;
    let json = r#"{"cpu":"0.5","memory":"1024Mi","pods":110,"storage":null}"#;
    let resources: BTreeMap<String, Quantity> = serde_json::from_str(json).unwrap();
    assert_eq!(
        serde_json::to_string(&resources).unwrap(),
        r#"{"cpu":"500m","memory":"1Gi","pods":"110","storage":"0"}"#
    );
    let yaml = "cpu: 250m\nmemory: 1.5Gi\nreplicas: 3\nratio: 0.75\n";
    let from_yaml: BTreeMap<String, Quantity> = serde_yaml_ng::from_str(yaml).unwrap();
    let written: Vec<String> = from_yaml.values().map(Quantity::to_string).collect();
    assert_eq!(written, ["250m", "1536Mi", "750m", "3"]);
}
