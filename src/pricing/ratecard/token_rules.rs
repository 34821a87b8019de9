//! The token formulas of the rate card's rules, as pure functions.
//!
//! * [`calculator_output_tokens`]: OpenAI's calculator for gpt-image-2 and later. Its short-axis
//!   step is computed in IEEE-754 doubles exactly as the calculator does (docs/cost-model.md: the one
//!   place imgcost uses `f64`); everything else is integer arithmetic.
//! * [`patch_input_tokens`]: image input tokens of the gpt-image-2 family (community-measured
//!   rule), in exact rational arithmetic.
//! * [`tile_input_tokens`]: image input tokens of gpt-image-1 (OpenAI's vision guide), exact.

use crate::model::Dimensions;

/// The calculator's short-axis grid count, and whether this size is a "tie" where the
/// calculator and the exact rules disagree (no billing evidence exists for those sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortAxis {
    pub cells: u64,
    pub uncertain_tie: bool,
}

/// `s = base / (L / S)` in doubles; an exact `.5` rounds half to even, anything else rounds as
/// JavaScript's `Math.round`. Compared with the exact half-even and the forum's half-up rules to
/// flag the sizes where they differ.
#[must_use]
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::float_cmp
)]
pub fn short_axis(base: u32, size: Dimensions) -> ShortAxis {
    let long = u64::from(size.long_edge());
    let short = u64::from(size.short_edge());
    let base = u64::from(base);
    // The calculator's own float steps, in its operation order.
    let s = base as f64 / (long as f64 / short as f64);
    let floor = s.floor();
    let calculator = if s - floor == 0.5 {
        floor + floor % 2.0
    } else {
        (s + 0.5).floor()
    };
    let cells = calculator as u64;
    // Exact rules: integer half-to-even, and the forum's (2·f·S + L) div (2·L) half-up.
    let (quotient, remainder) = ((base * short) / long, (base * short) % long);
    let half_even =
        quotient + u64::from(2 * remainder > long || (2 * remainder == long && quotient % 2 == 1));
    let half_up = (2 * base * short + long) / (2 * long);
    ShortAxis {
        cells,
        uncertain_tie: cells != half_even || cells != half_up,
    }
}

/// Output tokens of one request of `n` images: `ceil(n × base × u × (2 000 000 + W×H) / 4 000 000)`
/// (ceil after multiplying by n, as measured).
#[must_use]
pub fn calculator_output_tokens(base: u32, size: Dimensions, n: u32) -> u64 {
    let total = u128::from(n) * calculator_numerator(base, size);
    u64::try_from(total.div_ceil(4_000_000)).unwrap_or(u64::MAX)
}

/// The calculator's numerator for one image: `base × u × (2 000 000 + W×H)`.
fn calculator_numerator(base: u32, size: Dimensions) -> u128 {
    let cells = short_axis(base, size).cells;
    u128::from(base) * u128::from(cells) * (2_000_000 + u128::from(size.pixels()))
}

/// Output tokens of one request of `n` images on a model that picks its own quality, from a
/// count measured for one image at `at`: scaled as the calculator scales `base` from `at` to
/// `size`, `ceil(n × measured × N(size) / N(at))` (ceil after multiplying by n, as the
/// calculator does). Exact at `at` for one image.
#[must_use]
pub fn measured_output_tokens(
    base: u32,
    size: Dimensions,
    n: u32,
    measured: u64,
    at: Dimensions,
) -> u64 {
    let numerator = u128::from(n) * u128::from(measured) * calculator_numerator(base, size);
    let denominator = calculator_numerator(base, at).max(1);
    u64::try_from(numerator.div_ceil(denominator)).unwrap_or(u64::MAX)
}

/// A non-negative rational number, for exact scaling of image sides.
#[derive(Debug, Clone, Copy)]
struct Ratio {
    numerator: u128,
    denominator: u128,
}

impl Ratio {
    const fn whole(value: u128) -> Self {
        Self {
            numerator: value,
            denominator: 1,
        }
    }

    /// `self × numerator / denominator`.
    const fn scaled(self, numerator: u128, denominator: u128) -> Self {
        Self {
            numerator: self.numerator * numerator,
            denominator: self.denominator * denominator,
        }
    }

    const fn ceil_div(self, by: u128) -> u128 {
        self.numerator.div_ceil(self.denominator * by)
    }

    /// `self > other`
    const fn greater(self, other: Self) -> bool {
        self.numerator * other.denominator > other.numerator * self.denominator
    }

    const fn greater_or_equal(self, other: Self) -> bool {
        self.numerator * other.denominator >= other.numerator * self.denominator
    }
}

/// Largest `m` with `m² ≤ numerator / denominator`.
fn floor_sqrt(numerator: u128, denominator: u128) -> u128 {
    let target = numerator / denominator;
    let mut m = target.isqrt();
    while (m + 1) * (m + 1) * denominator <= numerator {
        m += 1;
    }
    while m > 0 && m * m * denominator > numerator {
        m -= 1;
    }
    m
}

/// Image input tokens of one reference image on the gpt-image-2 family: scale by
/// `clamp(512 / long, 0.5, 1)`, pad the short side to a third of the long one, count 16 px
/// patches (rounding up), and above 1536 patches rescale to a 1536-patch area (rounding down).
#[must_use]
pub fn patch_input_tokens(size: Dimensions) -> u64 {
    let (width, height) = (u128::from(size.width), u128::from(size.height));
    let long = width.max(height);
    let (num, den) = if long <= 512 {
        (1, 1)
    } else if long >= 1024 {
        (1, 2)
    } else {
        (512, long)
    };
    let mut w = Ratio::whole(width).scaled(num, den);
    let mut h = Ratio::whole(height).scaled(num, den);
    if w.greater_or_equal(h) {
        let third = w.scaled(1, 3);
        if third.greater(h) {
            h = third;
        }
    } else {
        let third = h.scaled(1, 3);
        if third.greater(w) {
            w = third;
        }
    }
    let (mut columns, mut rows) = (w.ceil_div(16), h.ceil_div(16));
    if columns * rows > 1536 {
        // floor(w·k/16) with k = sqrt(1536·256 / (w·h)) is floor(sqrt(1536·w/h)).
        let w_over_h = (w.numerator * h.denominator, w.denominator * h.numerator);
        columns = floor_sqrt(1536 * w_over_h.0, w_over_h.1);
        rows = floor_sqrt(1536 * w_over_h.1, w_over_h.0);
    }
    u64::try_from((columns * rows).max(1)).unwrap_or(u64::MAX)
}

/// Image input tokens of one reference image on gpt-image-1: fit into 2048×2048, scale the
/// short side down to 512, then 65 + 129 per 512 px tile; high fidelity adds 4160 for a square
/// image and 6240 otherwise.
#[must_use]
pub fn tile_input_tokens(size: Dimensions, high_fidelity: bool) -> u64 {
    let (width, height) = (u128::from(size.width), u128::from(size.height));
    let long = width.max(height);
    let mut w = Ratio::whole(width);
    let mut h = Ratio::whole(height);
    if long > 2048 {
        w = w.scaled(2048, long);
        h = h.scaled(2048, long);
    }
    let short = if w.greater(h) { h } else { w };
    if short.greater(Ratio::whole(512)) {
        // × 512 / short
        w = w.scaled(512 * short.denominator, short.numerator);
        h = h.scaled(512 * short.denominator, short.numerator);
    }
    let tiles = w.ceil_div(512) * h.ceil_div(512);
    let fidelity = match (high_fidelity, size.is_square()) {
        (false, _) => 0,
        (true, true) => 4160,
        (true, false) => 6240,
    };
    u64::try_from(65 + 129 * tiles + fidelity).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(width: u32, height: u32) -> Dimensions {
        Dimensions::new(width, height)
    }

    #[test]
    fn calculator_matches_the_official_prices() {
        // 196 / 1756 / 7024 tokens at $30/M are the guide's $0.006 / $0.053 / $0.211.
        assert_eq!(calculator_output_tokens(16, d(1024, 1024), 1), 196);
        assert_eq!(calculator_output_tokens(48, d(1024, 1024), 1), 1756);
        assert_eq!(calculator_output_tokens(96, d(1024, 1024), 1), 7024);
        assert_eq!(calculator_output_tokens(96, d(1536, 1024), 1), 5488);
    }

    #[test]
    fn a_measured_count_is_exact_at_its_size_and_scales_as_the_calculator() {
        // Flare without a quality: about 5 800 tokens at 1024x1024 (docs.laozhang.ai,
        // 2026-11-05), scaled as `max` (base 96: 7 024 at 1024x1024, 5 488 at 1536x1024).
        let at = d(1024, 1024);
        assert_eq!(measured_output_tokens(96, at, 1, 5800, at), 5800);
        assert_eq!(measured_output_tokens(96, at, 2, 5800, at), 11_600);
        // 5 800 × 21 951 676 416 / 28 095 676 416 = 4 531.6…
        assert_eq!(measured_output_tokens(96, d(1536, 1024), 1, 5800, at), 4532);
    }

    #[test]
    fn ceil_comes_after_n() {
        assert_eq!(calculator_output_tokens(16, d(1024, 1024), 2), 391);
        assert_eq!(calculator_output_tokens(16, d(1024, 1024), 3), 586);
    }

    #[test]
    fn ties_follow_the_calculator_and_are_flagged() {
        // low 1024×672: calculator 108, forum half-up 119.
        assert_eq!(calculator_output_tokens(16, d(1024, 672), 1), 108);
        assert!(short_axis(16, d(1024, 672)).uncertain_tie);
        // medium 944×1536: 48/(1536/944) = 29.4999… in doubles: 1201, exact rules give 1242.
        assert_eq!(calculator_output_tokens(48, d(944, 1536), 1), 1201);
        assert!(short_axis(48, d(944, 1536)).uncertain_tie);
        assert!(!short_axis(48, d(1024, 1024)).uncertain_tie);
    }

    #[test]
    fn patch_rule_matches_measurements() {
        for (w, h, tokens) in [
            (64, 64, 16),
            (256, 256, 256),
            (400, 400, 625),
            (300, 600, 512),
            (240, 600, 416),
            (900, 900, 1024),
            (200, 800, 352),
            (100, 800, 352),
            (1200, 600, 722),
            (1376, 768, 1032),
            (1024, 1024, 1024),
            (1536, 1024, 1536),
            (1024, 1536, 1536),
            (1280, 720, 920),
            (2048, 2048, 1521),
            (3840, 2160, 1508),
            (6000, 4000, 1536),
            (341, 512, 704),
            (1179, 2556, 1482),
        ] {
            assert_eq!(patch_input_tokens(d(w, h)), tokens, "{w}x{h}");
        }
    }

    #[test]
    fn tile_rule_matches_the_vision_guide() {
        assert_eq!(tile_input_tokens(d(1024, 1024), false), 194);
        assert_eq!(tile_input_tokens(d(1024, 1024), true), 4354);
        assert_eq!(tile_input_tokens(d(1536, 1024), false), 323);
        assert_eq!(tile_input_tokens(d(1536, 1024), true), 6563);
        assert_eq!(tile_input_tokens(d(2048, 4096), false), 323);
        assert_eq!(tile_input_tokens(d(512, 512), true), 4354);
    }
}
