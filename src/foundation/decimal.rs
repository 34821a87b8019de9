//! Exact decimal numbers read from YAML text.
//!
//! Money, rates and volumes are `rust_decimal::Decimal`, parsed from the scalar's source text
//! (never through `f64`), so `0.1` is one tenth and `12345678901234567.891` keeps its last digit.
//! A number that does not fit (more than 28 significant digits, `1e300`) is an error with its
//! place, not a rounded guess.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Deserializer, Visitor};

/// Parses YAML number text exactly: plain decimals, exponents (`1.5e3`), and the YAML 1.2
/// integer forms `0x1F` and `0o17`. The result is the number written, never a rounded one: a
/// number that needs more than 28 decimal places or a mantissa beyond 96 bits is an error in
/// every notation (`0.00000000000000000000000000002e0` is not zero). Zeros that change nothing
/// do not count against the limits (`1.50e1` is 15, `0e-99` is 0), and the scale written is kept
/// when it fits (`0.10` has two places), as `Decimal::from_str_exact` keeps it.
///
/// # Errors
/// A message saying why the text is not an exact decimal.
pub fn parse_exact(text: &str) -> Result<Decimal, String> {
    let trimmed = text.trim();
    let tail = trimmed.len().saturating_sub(3);
    if trimmed
        .get(tail..)
        .is_some_and(|end| end.eq_ignore_ascii_case("inf") || end.eq_ignore_ascii_case("nan"))
    {
        return Err(format!("`{text}` is not a finite number"));
    }
    // Nearly every number is plain digits with at most a point and a sign, which
    // `from_str_exact` reads exactly; the rest (exponents, `0x`, `0o`), and every error, take
    // the exact reader below.
    let unsigned = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    if unsigned.bytes().any(|b| b.is_ascii_digit())
        && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && let Ok(value) = Decimal::from_str_exact(trimmed.strip_prefix('+').unwrap_or(trimmed))
    {
        return Ok(value);
    }
    exact(trimmed).map_err(|error| match error {
        Inexact::NotANumber => format!("`{text}` is not a number"),
        Inexact::TooManyDigits => format!(
            "`{text}` cannot be represented exactly (imgcost computes with at most 28 significant digits)"
        ),
        Inexact::TooManyPlaces => format!(
            "`{text}` cannot be represented exactly (imgcost computes with at most 28 decimal places)"
        ),
    })
}

/// The largest monthly amount imgcost reports, a trillion trillion dollars ($10^24): any figure
/// above it is a typo in a volume, and below it every figure keeps its cents (and per-image
/// figures their four places) within `Decimal`'s 28 digits. A workflow, manifest or run total
/// beyond it is an IC108 finding, never a saturated or rounded figure.
pub const MAX_USD: Decimal = Decimal::from_parts(2_701_131_776, 466_537_709, 54_210, false, 0);

/// Sums amounts of money, each at most [`MAX_USD`], stopping at the first whose addition takes
/// the sum beyond [`MAX_USD`].
///
/// # Errors
/// The index of the amount that took the sum over.
pub fn sum_usd(amounts: impl IntoIterator<Item = Decimal>) -> Result<Decimal, usize> {
    let mut sum = Decimal::ZERO;
    for (index, amount) in amounts.into_iter().enumerate() {
        sum = sum
            .checked_add(amount)
            .filter(|total| total.abs() <= MAX_USD)
            .ok_or(index)?;
    }
    Ok(sum)
}

/// Why a text is not an exact decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inexact {
    NotANumber,
    /// The mantissa needs more than 96 bits.
    TooManyDigits,
    /// The number needs more than 28 decimal places.
    TooManyPlaces,
}

/// The largest scale `Decimal` holds.
const MAX_SCALE: u32 = 28;

/// One more than the largest mantissa `Decimal` holds (2^96).
const MANTISSA_LIMIT: u128 = 1 << 96;

fn exact(text: &str) -> Result<Decimal, Inexact> {
    if let Some(hex) = text.strip_prefix("0x") {
        return radix_integer(hex, 16);
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return radix_integer(octal, 8);
    }
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (significand, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = significand.split_once('.').unwrap_or((significand, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return Err(Inexact::NotANumber);
    }
    let exponent = match exponent {
        Some(text) => parse_exponent(text)?,
        None => 0,
    };
    // The value is `digits × 10^(exponent − fraction.len())`. Leading zeros are nothing, and
    // trailing ones only move the point, so they are taken out before judging the size.
    let digits = || whole.bytes().chain(fraction.bytes());
    let count = whole.len() + fraction.len();
    let fraction_len = i64::try_from(fraction.len()).map_err(|_| Inexact::TooManyPlaces)?;
    // The scale as written: `0.10` has two places, `1.5e3` none.
    let written_scale = fraction_len.saturating_sub(exponent).max(0);
    let Some(first) = digits().position(|b| b != b'0') else {
        // Zero, however written; its sign is dropped, as `from_str_exact` drops it.
        let scale = u32::try_from(written_scale)
            .ok()
            .filter(|&s| s <= MAX_SCALE)
            .unwrap_or(0);
        return Ok(Decimal::new(0, scale));
    };
    let last = count - 1 - digits().rev().position(|b| b != b'0').unwrap_or(0);
    let trailing_zeros = i64::try_from(count - 1 - last).map_err(|_| Inexact::TooManyPlaces)?;
    // value = significant × 10^power
    let power = trailing_zeros
        .saturating_sub(fraction_len)
        .saturating_add(exponent);
    if power < -i64::from(MAX_SCALE) {
        return Err(Inexact::TooManyPlaces);
    }
    // 2^96 has 29 digits: a longer significant part cannot fit, whatever its scale.
    if last - first >= 29 {
        return Err(Inexact::TooManyDigits);
    }
    let significant = digits()
        .skip(first)
        .take(last - first + 1)
        .fold(0_u128, |n, b| n * 10 + u128::from(b - b'0'));
    let (mut mantissa, mut scale) = if power >= 0 {
        let scaled = u32::try_from(power)
            .ok()
            .and_then(|p| 10_u128.checked_pow(p))
            .and_then(|factor| significant.checked_mul(factor))
            .filter(|&m| m < MANTISSA_LIMIT)
            .ok_or(Inexact::TooManyDigits)?;
        (scaled, 0)
    } else {
        if significant >= MANTISSA_LIMIT {
            return Err(Inexact::TooManyDigits);
        }
        (significant, u32::try_from(-power).unwrap_or(MAX_SCALE))
    };
    // Put back the places written when they fit, so `0.10` reads as `from_str_exact` reads it.
    if let Ok(written) = u32::try_from(written_scale)
        && written > scale
        && written <= MAX_SCALE
        && let Some(widened) = 10_u128
            .checked_pow(written - scale)
            .and_then(|factor| mantissa.checked_mul(factor))
            .filter(|&m| m < MANTISSA_LIMIT)
    {
        mantissa = widened;
        scale = written;
    }
    let signed = i128::try_from(mantissa).map_err(|_| Inexact::TooManyDigits)?;
    let signed = if negative { -signed } else { signed };
    Decimal::try_from_i128_with_scale(signed, scale).map_err(|_| Inexact::TooManyDigits)
}

/// The exponent after `e`: a sign and at least one digit. Its size is capped far beyond any
/// exponent that could fit, so that a thousand digits cannot overflow it.
fn parse_exponent(text: &str) -> Result<i64, Inexact> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Inexact::NotANumber);
    }
    let magnitude = digits.bytes().fold(0_i64, |n, b| {
        n.saturating_mul(10)
            .saturating_add(i64::from(b - b'0'))
            .min(1 << 40)
    });
    Ok(if negative { -magnitude } else { magnitude })
}

/// `0x1F` and `0o17`: unsigned digits of the radix, at most the largest mantissa.
fn radix_integer(digits: &str, radix: u32) -> Result<Decimal, Inexact> {
    if digits.is_empty() {
        return Err(Inexact::NotANumber);
    }
    let mut value: u128 = 0;
    for c in digits.chars() {
        let digit = c.to_digit(radix).ok_or(Inexact::NotANumber)?;
        value = value * u128::from(radix) + u128::from(digit);
        if value >= MANTISSA_LIMIT {
            return Err(Inexact::TooManyDigits);
        }
    }
    let value = i128::try_from(value).map_err(|_| Inexact::TooManyDigits)?;
    Decimal::try_from_i128_with_scale(value, 0).map_err(|_| Inexact::TooManyDigits)
}

/// Rounds half away from zero, as money is shown (docs/cost-model.md).
#[must_use]
pub fn round_half_away(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// Formats with exactly `places` decimals, rounded half away from zero.
#[must_use]
pub fn format_fixed(value: Decimal, places: u32) -> String {
    Fixed(value, places).to_string()
}

/// Formats without trailing zeros (`12600`, `0.05`).
#[must_use]
pub fn format_plain(value: Decimal) -> String {
    Plain(value).to_string()
}

/// A decimal shown with exactly so many places, rounded half away from zero; written into JSON
/// as a string without allocating one first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed(pub Decimal, pub u32);

impl Fixed {
    /// The value as shown: rounded, with exactly the places asked for.
    #[must_use]
    pub fn rounded(self) -> Decimal {
        let mut rounded = round_half_away(self.0, self.1);
        rounded.rescale(self.1);
        rounded
    }
}

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Text::of(self.rounded()).pad(f)
    }
}

impl serde::Serialize for Fixed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(Text::of(self.rounded()).as_str())
    }
}

/// Read back from a report: the text's places are the places shown.
impl<'de> serde::Deserialize<'de> for Fixed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_str(ReportTextVisitor)?;
        Ok(Self(value, value.scale()))
    }
}

/// A decimal shown without trailing zeros; written into JSON as a string without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plain(pub Decimal);

impl std::fmt::Display for Plain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Text::of(self.0.normalize()).pad(f)
    }
}

impl serde::Serialize for Plain {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(Text::of(self.0.normalize()).as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Plain {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(ReportTextVisitor).map(Self)
    }
}

/// Reads a figure as a report writes it: a string of digits with at most a point and a leading
/// `-` (`"12.30"`, `"-0.50"`, `"12600"`), never an exponent, a `+` or a JSON number, read
/// exactly (`Decimal::from_str_exact`: more than 28 digits is an error, not a rounded figure).
struct ReportTextVisitor;

impl Visitor<'_> for ReportTextVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a decimal figure as a string (\"12.30\")")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (unsigned, None),
        };
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !fraction.is_none_or(digits) {
            return Err(E::invalid_value(de::Unexpected::Str(text), &self));
        }
        Decimal::from_str_exact(text).map_err(|_| {
            E::custom(format!(
                "`{text}` has more digits than imgcost computes with"
            ))
        })
    }
}

/// A decimal's text as `Decimal`'s `Display` writes it (every digit of its scale, `-` for a
/// negative value, even `-0.00`), built on the stack. A report writes about thirty figures a
/// workflow; going through `Display` and serde's `collect_str` for each was a tenth of a large
/// run's instructions.
struct Text {
    /// Filled from the end: at most 29 digits, a point, a leading zero and a sign.
    bytes: [u8; 32],
    start: usize,
}

/// Removes and returns the last decimal digit, in 64-bit arithmetic when the number fits (nearly
/// always: 128-bit division is a library call).
fn last_digit(number: &mut u128) -> u8 {
    let digit = match u64::try_from(*number) {
        Ok(small) => {
            *number = u128::from(small / 10);
            small % 10
        }
        Err(_) => {
            let digit = *number % 10;
            *number /= 10;
            u64::try_from(digit).unwrap_or_default()
        }
    };
    u8::try_from(digit).unwrap_or_default()
}

impl Text {
    fn of(value: Decimal) -> Self {
        let mut text = Self {
            bytes: [0; 32],
            start: 32,
        };
        let scale = value.scale();
        let mut mantissa = value.mantissa().unsigned_abs();
        let mut written = 0;
        // Every digit of the scale, then the point, then at least one whole digit.
        while mantissa > 0 || written <= scale {
            if written == scale && scale > 0 {
                text.push(b'.');
            }
            text.push(b'0' + last_digit(&mut mantissa));
            written += 1;
        }
        if value.is_sign_negative() {
            text.push(b'-');
        }
        text
    }

    fn push(&mut self, byte: u8) {
        self.start -= 1;
        self.bytes[self.start] = byte;
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[self.start..]).unwrap_or_default()
    }

    /// Writes the text honouring the formatter's width and fill, as `Decimal`'s `Display` does.
    fn pad(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.as_str();
        let digits = text.strip_prefix('-');
        f.pad_integral(digits.is_none(), "", digits.unwrap_or(text))
    }
}

/// Money for people: `$12,345.67` (monthly figures) or `$0.0875` (per image).
#[must_use]
pub fn format_usd(value: Decimal, places: u32) -> String {
    let text = format_fixed(value.abs(), places);
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}${grouped}")
    } else {
        format!("{sign}${grouped}.{fraction}")
    }
}

/// A total for people: `$12,345.67`, or what stands in for one that passed [`MAX_USD`] (an
/// IC108 finding says where).
#[must_use]
pub fn format_total(value: Option<Decimal>) -> String {
    value.map_or_else(
        || format!("over {} (IC108)", format_usd(MAX_USD, 0)),
        |v| format_usd(v, 2),
    )
}

/// serde: a required exact decimal.
///
/// # Errors
/// When the node is not a number that fits.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_str(ExactVisitor(Bound::Any))
}

/// serde: an optional exact decimal.
///
/// # Errors
/// When the node is present but not a number that fits.
pub fn deserialize_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Decimal>, D::Error> {
    struct OptionVisitor;
    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a number")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserialize(deserializer).map(Some)
        }
    }
    deserializer.deserialize_option(OptionVisitor)
}

/// serde: a share, an exact decimal at most 1 (`accepted_fraction`, `cached_fraction`). The
/// schema sees numbers as 64-bit floats, in which `1.0000000000000000000000000001` is 1; the
/// decimal read here is what is priced, so its range is checked here too.
///
/// # Errors
/// When the node is not a number that fits, or is above 1.
pub fn deserialize_share<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_str(ExactVisitor(Bound::Share))
}

/// serde: a count, an exact whole number (token counts). As a 64-bit float,
/// `100.00000000000000000001` is whole; as the decimal priced, it is not.
///
/// # Errors
/// When the node is not a number that fits, or has a fraction.
pub fn deserialize_whole<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_str(ExactVisitor(Bound::Whole))
}

/// What a decimal must also be, beyond exact.
#[derive(Clone, Copy)]
enum Bound {
    Any,
    Share,
    Whole,
}

impl Bound {
    fn check(self, value: Decimal) -> Result<Decimal, String> {
        match self {
            Self::Share if value > Decimal::ONE => {
                Err(format!("a share must be at most 1, found `{value}`"))
            }
            Self::Whole if !value.fract().is_zero() => {
                Err(format!("a count must be a whole number, found `{value}`"))
            }
            _ => Ok(value),
        }
    }
}

/// Reads an exact decimal from the scalar's text; the error is made here, inside the value's
/// own deserializer, so that it is located at the value.
struct ExactVisitor(Bound);

impl Visitor<'_> for ExactVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a number")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
        parse_exact(text)
            .and_then(|value| self.0.check(value))
            .map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
        self.0.check(Decimal::from(value)).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
        self.0.check(Decimal::from(value)).map_err(E::custom)
    }
}

/// serde default: 1.
#[must_use]
pub const fn one() -> Decimal {
    Decimal::ONE
}

/// Parses a decimal literal of a test.
///
/// # Panics
/// When `text` is not a decimal.
#[cfg(test)]
#[must_use]
pub fn dec(text: &str) -> Decimal {
    <Decimal as std::str::FromStr>::from_str(text)
        .unwrap_or_else(|e| panic!("bad decimal literal {text}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_what_decimal_display_writes() {
        let mantissas = [
            0_i128,
            1,
            5,
            9,
            10,
            12_345,
            100_000,
            -1,
            -70,
            -123_456_789,
            i128::from(u64::MAX),
            79_228_162_514_264_337_593_543_950_335,
            -79_228_162_514_264_337_593_543_950_335,
        ];
        for mantissa in mantissas {
            for scale in 0..=28 {
                let value = Decimal::from_i128_with_scale(mantissa, scale);
                assert_eq!(
                    Text::of(value).as_str(),
                    value.to_string(),
                    "{mantissa}e-{scale}"
                );
                assert_eq!(
                    format!("{:>40}", Plain(value)),
                    format!("{:>40}", value.normalize())
                );
            }
        }
        let negative_zero = Decimal::from_i128_with_scale(-1, 3).round_dp(2);
        assert_eq!(Text::of(negative_zero).as_str(), negative_zero.to_string());
        assert_eq!(Fixed(Decimal::new(-5, 3), 2).to_string(), "-0.01");
        assert_eq!(Fixed(Decimal::new(12_345, 4), 2).to_string(), "1.23");
        assert_eq!(Fixed(Decimal::from(7), 2).to_string(), "7.00");
    }

    #[test]
    fn parses_exactly() {
        assert_eq!(parse_exact("0.1").unwrap().to_string(), "0.1");
        assert_eq!(
            parse_exact("12345678901234567.891").unwrap().to_string(),
            "12345678901234567.891"
        );
        assert_eq!(parse_exact("1.5e3").unwrap(), Decimal::from(1500));
        assert_eq!(parse_exact("0x10").unwrap(), Decimal::from(16));
        assert_eq!(parse_exact("+7").unwrap(), Decimal::from(7));
    }

    /// Gate integrity, class 4: an exponent never rounds; what cannot be held exactly is an
    /// error, in every notation, and zeros that change nothing are not held against a number.
    #[test]
    fn exponents_are_exact_or_errors() {
        let exact = |text: &str| parse_exact(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(parse_exact("0.00000000000000000000000000002e0").is_err());
        assert!(parse_exact("0.00000000000000000000000000002").is_err());
        assert!(parse_exact("2E-29").is_err());
        assert!(parse_exact("-2e-29").is_err());
        assert!(parse_exact("1.0e-31").is_err());
        assert!(parse_exact("123e30").is_err());
        assert!(parse_exact("1e99999999999999999999999999").is_err());
        assert_eq!(exact("1e-28"), Decimal::new(1, 28));
        assert_eq!(exact("0e-99"), Decimal::ZERO);
        assert_eq!(exact("-0.0E+99999"), Decimal::ZERO);
        assert_eq!(exact("1.50e1"), Decimal::from(15));
        assert_eq!(exact("1.50e1").to_string(), "15.0");
        assert_eq!(exact("+000.000150E+0005"), Decimal::from(15));
        assert_eq!(exact("1e28"), dec("10000000000000000000000000000"));
        assert_eq!(exact("100000000000000000000000000000000e-32"), Decimal::ONE);
        assert_eq!(
            exact("1.00000000000000000000000000000000"),
            Decimal::ONE,
            "trailing zeros beyond 28 places change nothing"
        );
        assert_eq!(exact("-7.9228162514264337593543950335e28"), Decimal::MIN);
        assert!(parse_exact("7.9228162514264337593543950336e28").is_err());
        assert_eq!(exact("0.10").to_string(), "0.10");
        assert_eq!(exact("100.0").to_string(), "100.0");
        assert_eq!(exact("1.").to_string(), "1");
        assert_eq!(exact(".5"), dec("0.5"));
        assert_eq!(exact("0o17"), Decimal::from(15));
        assert_eq!(exact("0xFFFFFFFFFFFFFFFFFFFFFFFF"), Decimal::MAX);
        assert!(parse_exact("0x1000000000000000000000000").is_err());
        for not_a_number in [
            "", "e5", ".", "1e", "1e+", "1.2.3", "1_000", "0x", "0x-1", "--1", "1e5.5",
        ] {
            assert!(
                parse_exact(not_a_number).is_err_and(|e| e.contains("is not a number")),
                "{not_a_number:?}"
            );
        }
        assert_eq!(
            parse_exact("2e-29").unwrap_err(),
            "`2e-29` cannot be represented exactly (imgcost computes with at most 28 decimal places)"
        );
    }

    /// The number whose digits are `digits` with the point after the first `point` of them
    /// (before them when negative, past them when beyond), written without superfluous zeros: the plain text `from_str_exact` reads exactly when it can.
    fn canonical_plain(negative: bool, digits: &str, point: i64) -> String {
        // The value is `digits` × 10^point once the point is at the end.
        let point = point - i64::try_from(digits.len()).unwrap();
        let significant = digits.trim_start_matches('0').trim_end_matches('0');
        if significant.is_empty() {
            return "0".to_owned();
        }
        let trailing_zeros = digits.len() - digits.trim_end_matches('0').len();
        let point = point + i64::try_from(trailing_zeros).unwrap();
        let sign = if negative { "-" } else { "" };
        if point >= 0 {
            let zeros = "0".repeat(usize::try_from(point).unwrap());
            return format!("{sign}{significant}{zeros}");
        }
        let places = usize::try_from(-point).unwrap();
        if places >= significant.len() {
            let zeros = "0".repeat(places - significant.len());
            format!("{sign}0.{zeros}{significant}")
        } else {
            let (whole, fraction) = significant.split_at(significant.len() - places);
            format!("{sign}{whole}.{fraction}")
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Gate integrity, class 4: the exponent form reads exactly what `from_str_exact` reads
        /// from the same number written plainly, and fails exactly where it fails.
        #[test]
        fn exponent_form_agrees_with_from_str_exact_on_plain_text(
            sign in proptest::sample::select(vec!["", "+", "-"]),
            whole in "[0-9]{0,32}",
            fraction in proptest::option::of("[0-9]{0,32}"),
            e in proptest::sample::select(vec!["e", "E"]),
            exponent in -45_i64..45,
            exponent_zeros in 0_usize..3,
        ) {
            let fraction_text = fraction.as_deref().unwrap_or("");
            proptest::prop_assume!(whole.len() + fraction_text.len() > 0);
            let point = fraction.as_ref().map_or(String::new(), |f| format!(".{f}"));
            let exponent_text = format!(
                "{}{}{}",
                if exponent < 0 { "-" } else { "" },
                "0".repeat(exponent_zeros),
                exponent.abs()
            );
            let text = format!("{sign}{whole}{point}{e}{exponent_text}");
            let digits = format!("{whole}{fraction_text}");
            let plain = canonical_plain(
                sign == "-",
                &digits,
                i64::try_from(whole.len()).unwrap() + exponent,
            );
            match Decimal::from_str_exact(&plain) {
                Ok(expected) => {
                    let parsed = parse_exact(&text);
                    proptest::prop_assert_eq!(parsed, Ok(expected), "{} vs {}", text, plain);
                }
                Err(_) => proptest::prop_assert!(parse_exact(&text).is_err(), "{} vs {}", text, plain),
            }
        }

        /// Plain text reads as `from_str_exact` reads it, scale included, wherever it succeeds.
        #[test]
        fn plain_form_keeps_what_from_str_exact_gives(
            sign in proptest::sample::select(vec!["", "+", "-"]),
            whole in "[0-9]{1,30}",
            fraction in proptest::option::of("[0-9]{0,30}"),
        ) {
            let point = fraction.as_ref().map_or(String::new(), |f| format!(".{f}"));
            let text = format!("{sign}{whole}{point}");
            if let Ok(expected) = Decimal::from_str_exact(&text) {
                let parsed = parse_exact(&text).map(|d| (d, d.scale()));
                proptest::prop_assert_eq!(parsed, Ok((expected, expected.scale())), "{}", text);
            }
            // The fast path for plain text and the exact reader agree, sign and scale included.
            let slow = exact(&text).map(|d| (d, d.scale(), d.is_sign_negative()));
            let fast = parse_exact(&text).map(|d| (d, d.scale(), d.is_sign_negative()));
            proptest::prop_assert_eq!(fast.ok(), slow.ok(), "{}", text);
        }
    }

    #[test]
    fn refuses_what_does_not_fit() {
        assert!(parse_exact("1e300").is_err());
        assert!(parse_exact(&"9".repeat(60)).is_err());
        assert!(parse_exact(".nan").is_err());
        assert!(parse_exact(".inf").is_err());
        assert!(parse_exact("0.123456789012345678901234567890").is_err());
    }

    #[test]
    fn money_has_a_ceiling_that_keeps_every_cent() {
        assert_eq!(MAX_USD, dec("1000000000000000000000000"));
        assert_eq!(
            Fixed(MAX_USD, 4).to_string(),
            "1000000000000000000000000.0000"
        );
        assert_eq!(sum_usd([dec("1.5"), dec("2.25")]), Ok(dec("3.75")));
        assert_eq!(sum_usd([MAX_USD, Decimal::ZERO, dec("0.01")]), Err(2));
        assert_eq!(sum_usd([Decimal::MAX, Decimal::MAX]), Err(0));
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(format_fixed(dec("2.345"), 2), "2.35");
        assert_eq!(format_fixed(dec("2.355"), 2), "2.36");
        assert_eq!(format_fixed(dec("-2.345"), 2), "-2.35");
        assert_eq!(format_fixed(dec("7"), 2), "7.00");
        assert_eq!(format_fixed(dec("0.00005"), 4), "0.0001");
    }
}
