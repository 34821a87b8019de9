//! One image model of a rate card: its prices and the rules that turn a request into tokens.
//! Its rates, output rule and `auto` assumptions may be dated records ([`Dated`]).

use std::sync::Arc;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Confidence, Dateable, Dated, Lifecycle, Money, Period};
use crate::foundation::Date;
use crate::model::{Dimensions, Endpoint, OutputFormat, Quality};

/// An image model as the rate card describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageModel {
    #[serde(default)]
    pub aliases: Vec<String>,
    pub released: Option<Date>,
    pub shutdown: Option<Date>,
    pub replacement: Option<String>,
    /// When the shutdown was announced, who else is named as a replacement, and the source.
    pub lifecycle: Option<Lifecycle>,
    pub endpoints: Vec<EndpointName>,
    pub rates: Dated<TokenRateTiers>,
    /// Present when the Batch API does not serve the model (`batch: true` is refused).
    pub no_batch: Option<Sourced>,
    pub output: Dated<OutputSpec>,
    /// How `output_format: gif` is drawn and billed (frames on one sheet).
    pub gif: Option<GifRule>,
    /// Present when `output_format: svg` also bills the model that writes the SVG.
    pub svg: Option<Sourced>,
    /// Present when the model takes `complexity` (at no extra charge).
    pub complexity: Option<Sourced>,
    pub input_images: Option<InputImageRule>,
    pub text_input: Option<TextInputRule>,
    pub per_image_billing: Option<Sourced>,
    pub partial_images: Option<PartialImageRule>,
    pub sizes: SizeRule,
    pub qualities: Vec<Quality>,
    pub formats: Vec<OutputFormat>,
    pub parameters: Parameters,
    pub caching: Option<CachingRule>,
    pub auto: Dated<AutoAssumptions>,
}

/// An endpoint name as written in rate cards (`images.generate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(transparent)]
pub struct EndpointName(pub Endpoint);

impl ImageModel {
    #[must_use]
    pub fn serves(&self, endpoint: Endpoint) -> bool {
        self.endpoints.iter().any(|e| e.0 == endpoint)
    }

    #[must_use]
    pub fn caches(&self, endpoint: Endpoint) -> bool {
        self.caching
            .as_ref()
            .is_some_and(|c| c.endpoints.iter().any(|e| e.0 == endpoint))
    }
}

/// Where a rule comes from and how far to trust it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced {
    pub source: Arc<str>,
    pub confidence: Confidence,
}

/// Token prices of a tier, USD per 1M tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRates {
    pub text_input: Money,
    pub cached_text_input: Money,
    pub text_output: Option<Money>,
    pub image_input: Money,
    pub cached_image_input: Money,
    pub image_output: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRateTiers {
    pub effective_from: Option<Date>,
    pub effective_until: Option<Date>,
    pub standard: TokenRates,
    pub batch: Option<TokenRates>,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

impl Dateable for TokenRateTiers {
    fn period(&self) -> Period {
        Period {
            from: self.effective_from,
            until: self.effective_until,
        }
    }
}

/// The output rule as written; [`OutputSpec::rule`] gives the typed form. (A flat struct rather
/// than a tagged enum: serde's tagged enums buffer numbers through `f64`.)
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    pub effective_from: Option<Date>,
    pub effective_until: Option<Date>,
    rule: OutputRuleKind,
    bases: Option<BTreeMap<Quality, u32>>,
    multipliers: Option<BTreeMap<Quality, Money>>,
    tokens: Option<BTreeMap<Quality, BTreeMap<Dimensions, u64>>>,
    prices: Option<PerImagePrices>,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

impl Dateable for OutputSpec {
    fn period(&self) -> Period {
        Period {
            from: self.effective_from,
            until: self.effective_until,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum OutputRuleKind {
    Calculator,
    Table,
    PerImage,
}

/// Per-image prices by tier, quality and size.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerImagePrices {
    pub standard: BTreeMap<Quality, BTreeMap<Dimensions, Money>>,
    pub batch: Option<BTreeMap<Quality, BTreeMap<Dimensions, Money>>>,
}

/// How a request's image output is counted.
#[derive(Debug, Clone, Copy)]
pub enum OutputRule<'a> {
    /// OpenAI's calculator formula, with an optional estimated multiplier per quality.
    Calculator {
        bases: &'a BTreeMap<Quality, u32>,
        multipliers: Option<&'a BTreeMap<Quality, Money>>,
    },
    /// Tokens per image from a quality × size table.
    Table {
        tokens: &'a BTreeMap<Quality, BTreeMap<Dimensions, u64>>,
    },
    /// A price per image.
    PerImage { prices: &'a PerImagePrices },
}

impl OutputSpec {
    /// The typed rule. The schema guarantees the fields each rule needs; a card that lacks them
    /// anyway prices nothing (the caller reports IC107).
    #[must_use]
    pub fn rule(&self) -> Option<OutputRule<'_>> {
        match self.rule {
            OutputRuleKind::Calculator => Some(OutputRule::Calculator {
                bases: self.bases.as_ref()?,
                multipliers: self.multipliers.as_ref(),
            }),
            OutputRuleKind::Table => Some(OutputRule::Table {
                tokens: self.tokens.as_ref()?,
            }),
            OutputRuleKind::PerImage => Some(OutputRule::PerImage {
                prices: self.prices.as_ref()?,
            }),
        }
    }

    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self.rule {
            OutputRuleKind::Calculator => "calculator",
            OutputRuleKind::Table => "table",
            OutputRuleKind::PerImage => "per-image price",
        }
    }
}

/// How reference images become image input tokens.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputImageRule {
    pub rule: InputImageRuleKind,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputImageRuleKind {
    /// gpt-image-2 family: 16 px patches.
    Patches,
    /// gpt-image-1: 512 px tiles.
    Tiles,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextInputRule {
    pub tokens_per_input_image: u32,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialImageRule {
    pub tokens: u32,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

/// Accepted output sizes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeRule {
    pub rule: SizeRuleKind,
    pub multiple_of: Option<u32>,
    pub max_edge: Option<u32>,
    pub max_aspect_ratio: Option<Money>,
    pub min_pixels: Option<u64>,
    pub max_pixels: Option<u64>,
    #[serde(default)]
    pub allowed: Vec<Dimensions>,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeRuleKind {
    Custom,
    Fixed,
}

impl SizeRule {
    /// Why the model does not accept `size`, or `None` when it does.
    #[must_use]
    pub fn rejects(&self, size: Dimensions) -> Option<String> {
        match self.rule {
            SizeRuleKind::Fixed => (!self.allowed.contains(&size)).then(|| {
                let allowed: Vec<String> = self.allowed.iter().map(ToString::to_string).collect();
                format!("only {} are accepted", allowed.join(", "))
            }),
            SizeRuleKind::Custom => {
                let multiple = self.multiple_of.unwrap_or(1);
                if !size.width.is_multiple_of(multiple) || !size.height.is_multiple_of(multiple) {
                    return Some(format!("both edges must be multiples of {multiple}"));
                }
                if let Some(max_edge) = self.max_edge.filter(|max| size.long_edge() > *max) {
                    return Some(format!("the longest edge may be at most {max_edge} px"));
                }
                if let Some(ratio) = self.max_aspect_ratio
                    && Decimal::from(size.long_edge()) > ratio.0 * Decimal::from(size.short_edge())
                {
                    return Some(format!(
                        "the aspect ratio may be at most {}:1",
                        ratio.0.normalize()
                    ));
                }
                if let Some(min) = self.min_pixels.filter(|min| size.pixels() < *min) {
                    return Some(format!(
                        "it has {} pixels; at least {min} are needed",
                        size.pixels()
                    ));
                }
                if let Some(max) = self.max_pixels.filter(|max| size.pixels() > *max) {
                    return Some(format!(
                        "it has {} pixels; at most {max} are accepted",
                        size.pixels()
                    ));
                }
                None
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    pub input_fidelity: bool,
    pub transparent_background: bool,
    pub max_input_images: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CachingRule {
    pub endpoints: Vec<EndpointName>,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

/// What `auto` quality and size are budgeted at.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoAssumptions {
    pub effective_from: Option<Date>,
    pub effective_until: Option<Date>,
    pub quality: Quality,
    /// What `quality` means for `quality: auto` (a worst-case budget unless the card says so).
    #[serde(default)]
    pub quality_rule: AutoQualityRule,
    /// The measured output of `quality: auto` (with `quality_rule: measured`).
    pub measured: Option<MeasuredOutput>,
    pub sizes: BTreeMap<EndpointName, Dimensions>,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

impl Dateable for AutoAssumptions {
    fn period(&self) -> Period {
        Period {
            from: self.effective_from,
            until: self.effective_until,
        }
    }
}

impl AutoAssumptions {
    #[must_use]
    pub fn size_for(&self, endpoint: Endpoint) -> Option<Dimensions> {
        self.sizes.get(&EndpointName(endpoint)).copied()
    }
}

/// How `quality: auto` (or no quality) is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoQualityRule {
    /// No source says what the model picks: budget at `quality`, the worst case.
    #[default]
    Budget,
    /// The API bills a request without a quality as `quality`.
    Billed,
    /// The model picks its own quality: budget at `measured` tokens, scaled to the size priced
    /// as the calculator scales `quality`.
    Measured,
}

/// A measured output token count of one image at one size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasuredOutput {
    pub tokens: u64,
    pub size: Dimensions,
}

/// `output_format: gif`: every frame is drawn on one sheet, a grid that depends on the number
/// of frames, and the sheet is what is generated (and, by the card's rule, billed).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GifRule {
    /// Frames when the request does not say (the API's default).
    pub default_frames: u32,
    /// The sheet's grid by frame count, in increasing `up_to`.
    pub sheets: Vec<Sheet>,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

/// The grid of a GIF sheet for frame counts up to `up_to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sheet {
    pub up_to: u32,
    pub columns: u32,
    pub rows: u32,
}

impl GifRule {
    /// The grid for `frames` frames (the first whose `up_to` covers it).
    #[must_use]
    pub fn sheet(&self, frames: u32) -> Option<Sheet> {
        self.sheets.iter().find(|s| frames <= s.up_to).copied()
    }
}

impl Sheet {
    /// The size of the sheet holding frames of `frame` size.
    #[must_use]
    pub fn size(self, frame: Dimensions) -> Option<Dimensions> {
        Some(Dimensions::new(
            frame.width.checked_mul(self.columns)?,
            frame.height.checked_mul(self.rows)?,
        ))
    }
}
