//! Stage 2 of a projection, the tokens: the image output tokens of one call (by the card's
//! output rule: calculator, table or a price per image; a measured count for a model that
//! picks its own quality; a GIF's sheet as one image) with its partial images, the text and
//! image input tokens of one call, and then (after the volumes) the monthly tokens by kind,
//! split cached / uncached where the card allows caching, with the text models'.
//! Errors: IC104 and IC105 where the output rule has no entry for the request, IC107 where the
//! card lacks a rule the request needs, IC108 overflow.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::error::{PricingError, add, mul};
use super::kinds::Tally;
use super::rates::{ImageRates, Priced, size_help};
use super::trace::{InputFact, Ledger, OutputFact, cite};
use super::volumes::Volumes;
use super::{Tier, TokenKind};
use crate::model::{Dimensions, Fidelity, Mainline, Quality, WorkflowSpec};
use crate::pricing::ratecard::token_rules::{
    calculator_output_tokens, measured_output_tokens, patch_input_tokens, short_axis,
    tile_input_tokens,
};
use crate::pricing::ratecard::{
    InputImageRuleKind, MeasuredOutput, Money, OutputRule, PerImagePrices, RateCard,
};
use crate::rules;

/// Image output of one call.
#[derive(Debug, Clone, Copy)]
pub(super) struct OutputPerCall {
    /// Image output tokens (for a per-image-priced model, its partial images' tokens only).
    pub tokens: Decimal,
    /// The price of one image, for a per-image-priced model.
    pub per_image_usd: Option<Decimal>,
    /// The size is a calculator tie, where billing is unverified.
    pub calculator_tie: bool,
}

/// Input tokens of one call.
#[derive(Debug, Clone, Copy)]
pub(super) struct InputPerCall {
    pub text: Decimal,
    pub image: Decimal,
}

/// Monthly tokens by kind.
#[derive(Debug, Clone, Copy)]
pub(super) struct MonthlyTokens {
    pub tokens: Tally,
    /// `cached_fraction` was set but the card allows no caching on this endpoint.
    pub ignored_cached_fraction: bool,
}

/// The image output tokens of one call, partial images included.
pub(super) fn output_per_call<'card>(
    spec: &WorkflowSpec,
    card: &RateCard,
    image: &ImageRates<'card>,
    priced: &Priced,
    ledger: &mut Ledger<'card, '_>,
) -> Result<OutputPerCall, PricingError> {
    let ImageRates { id, output, .. } = *image;
    let rule = output.rule().ok_or_else(|| {
        PricingError::new(
            &rules::IC107,
            "model",
            format!(
                "rate card {} has an incomplete output rule for {id}",
                card.id
            ),
        )
    })?;
    ledger.lean_on("output rule", &output.source, output.confidence);
    let mut output = match (rule, priced.measured) {
        (OutputRule::Calculator { bases, .. }, Some(measured)) => {
            measured_output(bases, measured, image, priced, ledger)?
        }
        (OutputRule::Calculator { bases, multipliers }, None) => {
            calculator(bases, multipliers, image, priced, ledger)?
        }
        (OutputRule::Table { tokens }, _) => table(tokens, image, priced, ledger)?,
        (OutputRule::PerImage { prices }, _) => per_image(prices, card, image, priced, ledger)?,
    };
    if spec.request.partial_images > 0 {
        partial_images(spec, card, image, &mut output, ledger)?;
    }
    Ok(output)
}

/// OpenAI's calculator formula, scaled by the card's estimated factor where it has one (IC105).
fn calculator(
    bases: &BTreeMap<Quality, u32>,
    multipliers: Option<&BTreeMap<Quality, Money>>,
    image: &ImageRates<'_>,
    priced: &Priced,
    ledger: &mut Ledger<'_, '_>,
) -> Result<OutputPerCall, PricingError> {
    let Priced { quality, n, .. } = *priced;
    let size = priced.billed_size();
    let output = image.output;
    let base = *bases.get(&quality).ok_or_else(|| {
        PricingError::new(
            &rules::IC105,
            "request/quality",
            format!(
                "{} has no calculator base for quality `{quality}`",
                image.id
            ),
        )
    })?;
    let axis = short_axis(base, size);
    let calculated = Decimal::from(calculator_output_tokens(base, size, n));
    ledger.record(|| OutputFact::Calculator {
        n,
        base,
        cells: axis.cells,
        pixels: size.pixels(),
        quality,
        tokens: calculated,
        rule: cite(&output.source, output.confidence),
    });
    if axis.uncertain_tie {
        ledger.lean_on_calculator_tie();
    }
    let tokens = match multipliers.and_then(|m| m.get(&quality)) {
        Some(factor) => {
            // Tokens are whole: an estimate that is not is rounded up.
            let tokens = mul(calculated, factor.0)?.ceil();
            ledger.record(|| OutputFact::Estimated {
                calculated,
                factor: factor.0,
                tokens,
                rule: cite(&output.source, output.confidence),
            });
            tokens
        }
        None => calculated,
    };
    Ok(OutputPerCall {
        tokens,
        per_image_usd: None,
        calculator_tie: axis.uncertain_tie,
    })
}

/// A model that picks its own quality: the card's measured count for one image at one size,
/// scaled to the size priced and to n as the calculator scales the shape quality (IC105).
fn measured_output(
    bases: &BTreeMap<Quality, u32>,
    measured: MeasuredOutput,
    image: &ImageRates<'_>,
    priced: &Priced,
    ledger: &mut Ledger<'_, '_>,
) -> Result<OutputPerCall, PricingError> {
    let Priced { quality, n, .. } = *priced;
    let size = priced.billed_size();
    let base = *bases.get(&quality).ok_or_else(|| {
        PricingError::new(
            &rules::IC105,
            "request/quality",
            format!(
                "{} has no calculator base for quality `{quality}`",
                image.id
            ),
        )
    })?;
    let tokens = Decimal::from(measured_output_tokens(
        base,
        size,
        n,
        measured.tokens,
        measured.size,
    ));
    let output = image.output;
    ledger.record(|| OutputFact::Measured {
        n,
        measured,
        base,
        size,
        tokens,
        rule: cite(&output.source, output.confidence),
    });
    Ok(OutputPerCall {
        tokens,
        per_image_usd: None,
        calculator_tie: false,
    })
}

/// The card's token count for the quality and size, × n (IC104).
fn table(
    tokens: &BTreeMap<Quality, BTreeMap<Dimensions, u64>>,
    image: &ImageRates<'_>,
    priced: &Priced,
    ledger: &mut Ledger<'_, '_>,
) -> Result<OutputPerCall, PricingError> {
    let Priced {
        quality, size, n, ..
    } = *priced;
    let output = image.output;
    let per_image = *tokens
        .get(&quality)
        .and_then(|row| row.get(&size))
        .ok_or_else(|| {
            PricingError::new(
                &rules::IC104,
                "request/size",
                format!("{} has no token count for {quality} at {size}", image.id),
            )
            .help(size_help(image.model))
        })?;
    let tokens = mul(Decimal::from(per_image), Decimal::from(n))?;
    ledger.record(|| OutputFact::Table {
        n,
        per_image,
        quality,
        size,
        tokens,
        rule: cite(&output.source, output.confidence),
    });
    Ok(OutputPerCall {
        tokens,
        per_image_usd: None,
        calculator_tie: false,
    })
}

/// A price per image for the quality, size and tier: no output tokens (IC104, IC107).
fn per_image(
    prices: &PerImagePrices,
    card: &RateCard,
    image: &ImageRates<'_>,
    priced: &Priced,
    ledger: &mut Ledger<'_, '_>,
) -> Result<OutputPerCall, PricingError> {
    let Priced { quality, size, .. } = *priced;
    let ImageRates {
        id, model, tier, ..
    } = *image;
    let table = match tier {
        Tier::Standard => &prices.standard,
        Tier::Batch => prices.batch.as_ref().ok_or_else(|| {
            PricingError::new(
                &rules::IC107,
                "batch",
                format!(
                    "rate card {} has no Batch per-image prices for {id}",
                    card.id
                ),
            )
        })?,
    };
    let price = table
        .get(&quality)
        .and_then(|row| row.get(&size))
        .ok_or_else(|| {
            PricingError::new(
                &rules::IC104,
                "request/size",
                format!("{id} has no price for {quality} at {size}"),
            )
            .help(size_help(model))
        })?
        .0;
    ledger.record(|| OutputFact::PricePerImage {
        quality,
        size,
        tier,
        usd: price,
        rule: cite(&image.output.source, image.output.confidence),
    });
    Ok(OutputPerCall {
        tokens: Decimal::ZERO,
        per_image_usd: Some(price),
        calculator_tie: false,
    })
}

/// Adds the tokens of the streamed partial images: n × partial images × tokens each (IC107).
fn partial_images<'card>(
    spec: &WorkflowSpec,
    card: &RateCard,
    image: &ImageRates<'card>,
    output: &mut OutputPerCall,
    ledger: &mut Ledger<'card, '_>,
) -> Result<(), PricingError> {
    let partial = image.model.partial_images.as_ref().ok_or_else(|| {
        PricingError::new(
            &rules::IC107,
            "request/partial_images",
            format!(
                "rate card {} has no partial-image rule for {} (it does not stream)",
                card.id, image.id
            ),
        )
        .help("remove `partial_images`")
    })?;
    ledger.lean_on("partial images", &partial.source, partial.confidence);
    let n = spec.request.n;
    let partial_images = spec.request.partial_images;
    let tokens = mul(
        mul(Decimal::from(n), Decimal::from(partial_images))?,
        Decimal::from(partial.tokens),
    )?;
    output.tokens = add(output.tokens, tokens)?;
    ledger.record(|| OutputFact::PartialImages {
        n,
        partial_images,
        tokens_each: partial.tokens,
        tokens,
        rule: cite(&partial.source, partial.confidence),
    });
    Ok(())
}

/// The text and image input tokens of one call, × n where the card bills input per generated
/// image.
pub(super) fn input_per_call<'card>(
    spec: &WorkflowSpec,
    card: &RateCard,
    image: &ImageRates<'card>,
    ledger: &mut Ledger<'card, '_>,
) -> Result<InputPerCall, PricingError> {
    let model = image.model;
    let n = spec.request.n;
    let billed_per_image = model.per_image_billing.as_ref();
    let multiplier = if billed_per_image.is_some() {
        Decimal::from(n)
    } else {
        Decimal::ONE
    };
    let images_per_call = spec
        .inputs
        .images
        .iter()
        .try_fold(Decimal::ZERO, |sum, image| add(sum, image.per_request))?;
    let per_input_image = text_per_input_image(image, images_per_call, ledger)?;
    let prompt = spec.inputs.prompt_tokens;
    let text = mul(add(prompt, per_input_image)?, multiplier)?;
    let image_tokens = if spec.inputs.images.is_empty() {
        Decimal::ZERO
    } else {
        mul(input_images(spec, card, image, ledger)?, multiplier)?
    };
    if let Some(rule) = billed_per_image
        && n > 1
        && (text > Decimal::ZERO || image_tokens > Decimal::ZERO)
    {
        ledger.lean_on("input billed per image", &rule.source, rule.confidence);
        ledger.record(|| InputFact::BilledPerImage {
            n,
            rule: rule.clone(),
        });
    }
    ledger.record(|| InputFact::TextPerCall {
        prompt,
        per_input_image,
        multiplier,
        tokens: text,
    });
    ledger.record(|| InputFact::ImagePerCall {
        tokens: image_tokens,
    });
    Ok(InputPerCall {
        text,
        image: image_tokens,
    })
}

/// The text tokens the API adds for the input images of one call.
fn text_per_input_image<'card>(
    image: &ImageRates<'card>,
    images_per_call: Decimal,
    ledger: &mut Ledger<'card, '_>,
) -> Result<Decimal, PricingError> {
    match &image.model.text_input {
        Some(rule) if images_per_call > Decimal::ZERO && rule.tokens_per_input_image > 0 => {
            ledger.lean_on("text tokens per input image", &rule.source, rule.confidence);
            let tokens = mul(Decimal::from(rule.tokens_per_input_image), images_per_call)?;
            ledger.record(|| InputFact::TextPerInputImage {
                tokens_each: rule.tokens_per_input_image,
                images: images_per_call,
                tokens,
                rule: cite(&rule.source, rule.confidence),
            });
            Ok(tokens)
        }
        _ => Ok(Decimal::ZERO),
    }
}

/// The image tokens of the input images of one call, by the card's input-image rule (IC107).
fn input_images<'card>(
    spec: &WorkflowSpec,
    card: &RateCard,
    image: &ImageRates<'card>,
    ledger: &mut Ledger<'card, '_>,
) -> Result<Decimal, PricingError> {
    let rule = image.model.input_images.as_ref().ok_or_else(|| {
        PricingError::new(
            &rules::IC107,
            "inputs/images",
            format!(
                "rate card {} has no input-image rule for {}",
                card.id, image.id
            ),
        )
    })?;
    ledger.lean_on("input image rule", &rule.source, rule.confidence);
    let high_fidelity = spec.request.input_fidelity == Some(Fidelity::High);
    let mut total = Decimal::ZERO;
    for input in &spec.inputs.images {
        let tokens_each = Decimal::from(match rule.rule {
            InputImageRuleKind::Patches => patch_input_tokens(input.size),
            InputImageRuleKind::Tiles => tile_input_tokens(input.size, high_fidelity),
        });
        let tokens = mul(tokens_each, input.per_request)?;
        total = add(total, tokens)?;
        ledger.record(|| InputFact::Image {
            per_request: input.per_request,
            tokens_each,
            size: input.size,
            tokens,
            rule: cite(&rule.source, rule.confidence),
        });
    }
    Ok(total)
}

/// The image model's monthly tokens by kind: attempts × per-call tokens, the input split cached
/// / uncached where the card allows caching on the endpoint.
pub(super) fn monthly<'card>(
    spec: &WorkflowSpec,
    image: &ImageRates<'card>,
    output: &OutputPerCall,
    input: &InputPerCall,
    volumes: &Volumes,
    ledger: &mut Ledger<'card, '_>,
) -> Result<MonthlyTokens, PricingError> {
    let wanted = spec.inputs.cached_fraction;
    let caching = image
        .model
        .caching
        .as_ref()
        .filter(|_| image.model.caches(spec.endpoint));
    let cached_fraction = match caching {
        Some(rule) => {
            if wanted > Decimal::ZERO {
                ledger.lean_on("caching", &rule.source, rule.confidence);
            }
            wanted
        }
        None => Decimal::ZERO,
    };
    let attempts = volumes.attempts;
    let text = mul(attempts, input.text)?;
    let image_input = mul(attempts, input.image)?;
    let cached_text = mul(text, cached_fraction)?;
    let cached_image = mul(image_input, cached_fraction)?;
    let tokens = Tally::of([
        (TokenKind::TextInput, text - cached_text),
        (TokenKind::CachedTextInput, cached_text),
        (TokenKind::ImageInput, image_input - cached_image),
        (TokenKind::CachedImageInput, cached_image),
        (TokenKind::ImageOutput, mul(attempts, output.tokens)?),
    ]);
    if let Some(rule) = caching
        && cached_fraction > Decimal::ZERO
    {
        ledger.record(|| InputFact::CachedShare {
            fraction: cached_fraction,
            endpoint: spec.endpoint,
            rule: cite(&rule.source, rule.confidence),
        });
    }
    Ok(MonthlyTokens {
        tokens,
        ignored_cached_fraction: caching.is_none() && wanted > Decimal::ZERO,
    })
}

/// A text model's monthly tokens (the mainline model's, or the SVG author's): attempts × its
/// input (split cached / uncached) and output tokens per call, in the text-model kinds.
pub(super) fn text_model(named: &Mainline, attempts: Decimal) -> Result<Tally, PricingError> {
    let input = mul(attempts, named.input_tokens)?;
    let cached = mul(input, named.cached_fraction)?;
    Ok(Tally::of([
        (TokenKind::MainlineInput, input - cached),
        (TokenKind::MainlineCachedInput, cached),
        (
            TokenKind::MainlineOutput,
            mul(attempts, named.output_tokens)?,
        ),
    ]))
}
