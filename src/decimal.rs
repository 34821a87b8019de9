//! Exact decimal numbers read from YAML text.
//!
//! Money, rates and volumes are `rust_decimal::Decimal`, parsed from the scalar's source text
//! (never through `f64`), so `0.1` is one tenth and `12345678901234567.891` keeps its last digit.
//! A number that does not fit (more than 28 significant digits, `1e300`) is an error with its
//! place, not a rounded guess.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Deserializer, Visitor};

/// Parses YAML number text exactly: plain decimals, exponents (`1.5e3`), and the YAML 1.2
/// integer forms `0x1F` and `0o17`.
///
/// # Errors
/// A message saying why the text is not an exact decimal.
pub fn parse_exact(text: &str) -> Result<Decimal, String> {
    let trimmed = text.trim();
    let radix = |digits: &str, radix: u32| {
        i64::from_str_radix(digits, radix)
            .map(Decimal::from)
            .map_err(|_| out_of_range(text))
    };
    if let Some(hex) = trimmed.strip_prefix("0x") {
        return radix(hex, 16);
    }
    if let Some(octal) = trimmed.strip_prefix("0o") {
        return radix(octal, 8);
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.ends_with("inf") || lower.ends_with("nan") {
        return Err(format!("`{text}` is not a finite number"));
    }
    let unsigned = trimmed.strip_prefix('+').unwrap_or(trimmed);
    if unsigned.contains(['e', 'E']) {
        return Decimal::from_scientific(unsigned).map_err(|_| out_of_range(text));
    }
    if !unsigned.bytes().any(|b| b.is_ascii_digit()) {
        return Err(format!("`{text}` is not a number"));
    }
    Decimal::from_str_exact(unsigned).map_err(|_| out_of_range(text))
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

fn out_of_range(text: &str) -> String {
    format!(
        "`{text}` cannot be represented exactly (imgcost computes with at most 28 significant digits)"
    )
}

/// Rounds half away from zero, as SPEC §4.3 says money is shown.
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
    deserializer.deserialize_str(ExactVisitor)
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

struct ExactVisitor;

impl Visitor<'_> for ExactVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a number")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
        parse_exact(text).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(value))
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
