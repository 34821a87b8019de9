//! Pricing one workflow from a rate card: the single function every command uses.
//!
//! [`project`] implements docs/cost-model.md exactly, in `rust_decimal` with checked arithmetic (an overflow
//! is an IC108 finding, never a panic). `check` calls it for every workflow, `explain` calls it
//! with a [`Trace`] to print each step with its source, `quote` calls it for a one-request
//! workflow, and `diff` compares its results at two commits.
//!
//! ```text
//! attempts        = requests_per_month × (1 + retry_rate)
//! images          = attempts × n
//! accepted_images = requests_per_month × n × accepted_fraction
//! out_per_call    = output_tokens(model, quality, size, n) + n × partial_images × partial_image_tokens
//! text_per_call   = (prompt_tokens + per-input-image text tokens) (× n where input is billed per image)
//! img_in_per_call = Σ per_request × input_image_tokens(size, fidelity) (× n likewise)
//! tokens/month    = attempts × per-call tokens, split cached / uncached where the card allows caching
//! cost            = Σ tokens × price(tier) / 1 000 000  (+ the mainline model for responses)
//! per_accepted    = cost / accepted_images
//! ```

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::foundation::{Rule, decimal};
use crate::model::{Dimensions, Endpoint, Quality, Size, WorkflowSpec};
use crate::pricing::ratecard::token_rules::{
    calculator_output_tokens, patch_input_tokens, short_axis, tile_input_tokens,
};
use crate::pricing::ratecard::{
    Confidence, ImageModel, InputImageRuleKind, OutputRule, RateCard, TextRates, TokenRates,
};
use crate::rules;

/// `standard` or `batch` pricing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Standard,
    Batch,
}

impl Tier {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Batch => "batch",
        }
    }
}

/// Monthly amounts by kind of token (also used for their costs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ByKind {
    pub text_input: Decimal,
    pub cached_text_input: Decimal,
    pub image_input: Decimal,
    pub cached_image_input: Decimal,
    pub image_output: Decimal,
    pub text_output: Decimal,
    pub mainline_input: Decimal,
    pub mainline_cached_input: Decimal,
    pub mainline_output: Decimal,
}

impl ByKind {
    /// The kinds in report order, with their JSON names.
    #[must_use]
    pub fn entries(&self) -> [(&'static str, Decimal); 9] {
        [
            ("text_input", self.text_input),
            ("cached_text_input", self.cached_text_input),
            ("image_input", self.image_input),
            ("cached_image_input", self.cached_image_input),
            ("image_output", self.image_output),
            ("text_output", self.text_output),
            ("mainline_input", self.mainline_input),
            ("mainline_cached_input", self.mainline_cached_input),
            ("mainline_output", self.mainline_output),
        ]
    }

    fn total(&self) -> Result<Decimal, PricingError> {
        self.entries()
            .iter()
            .try_fold(Decimal::ZERO, |sum, (_, v)| add(sum, *v))
    }

    /// The cost of the mainline model alone.
    #[must_use]
    pub fn mainline(&self) -> Decimal {
        self.mainline_input + self.mainline_cached_input + self.mainline_output
    }
}

/// What a workflow costs a month, and how that was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    /// The canonical model id (aliases resolved).
    pub model: String,
    pub tier: Tier,
    /// The quality and size priced (after `auto` was resolved).
    pub quality: Quality,
    pub size: Dimensions,
    pub n: u32,
    pub attempts: Decimal,
    pub images: Decimal,
    pub accepted_images: Decimal,
    /// Monthly token counts.
    pub tokens: ByKind,
    /// False for per-image-priced models, whose image output has no published token count
    /// (`tokens.image_output` then holds only partial-image tokens).
    pub image_output_tokens_known: bool,
    pub cost: ByKind,
    pub monthly_usd: Decimal,
    /// `None` when no image is accepted (zero requests).
    pub per_accepted_image_usd: Option<Decimal>,
    pub confidence: Confidence,
    /// Assumptions and approximations a reader should know about.
    pub assumptions: Assumptions,
}

/// Where a projection rests on an assumption rather than the manifest's own values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assumptions {
    /// `quality: auto` was budgeted at this quality (IC401).
    pub auto_quality: Option<Quality>,
    /// `size: auto` was budgeted at this size (IC402).
    pub auto_size: Option<Dimensions>,
    /// `cached_fraction` was set but the card allows no caching on this endpoint (IC404).
    pub ignored_cached_fraction: bool,
    /// The size is a calculator tie, where billing is unverified (IC405).
    pub calculator_tie: bool,
    /// The rules of lowest confidence that the figure depends on, with their sources (IC405).
    pub weakest: Vec<(&'static str, Arc<str>)>,
}

/// Why a workflow could not be priced: the rule to report, the field to point at (a path inside
/// the workflow, such as `request/size`), and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingError {
    pub rule: &'static Rule,
    pub field: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl PricingError {
    fn new(rule: &'static Rule, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            rule,
            field,
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// One line of `imgcost explain`: what was computed, how, and on what authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub label: String,
    pub arithmetic: String,
    pub result: String,
    /// The rule's source and confidence, when the step applies a rate-card rule.
    pub source: Option<(String, Confidence)>,
}

/// Collects steps when the caller wants them (`explain`); a `None` trace costs nothing.
pub type Trace<'a> = Option<&'a mut Vec<Step>>;

fn record(trace: &mut Trace<'_>, step: impl FnOnce() -> Step) {
    if let Some(steps) = trace.as_deref_mut() {
        steps.push(step());
    }
}

fn step(label: &str, arithmetic: String, result: impl ToString) -> Step {
    Step {
        label: label.to_owned(),
        arithmetic,
        result: result.to_string(),
        source: None,
    }
}

fn sourced(
    label: &str,
    arithmetic: String,
    result: impl ToString,
    source: &str,
    confidence: Confidence,
) -> Step {
    Step {
        label: label.to_owned(),
        arithmetic,
        result: result.to_string(),
        source: Some((source.to_owned(), confidence)),
    }
}

fn overflow(what: &str) -> PricingError {
    PricingError::new(
        &rules::IC108,
        "volume",
        format!(
            "the projection of {what} exceeds exact decimal arithmetic (28 significant digits)"
        ),
    )
    .help("check `requests_per_month` and the other volumes for a typo")
}

fn overflow_usd() -> PricingError {
    PricingError::new(
        &rules::IC108,
        "volume",
        format!(
            "the projected monthly cost exceeds {}, the largest amount imgcost reports",
            decimal::format_usd(decimal::MAX_USD, 0)
        ),
    )
    .help("check `requests_per_month` and the other volumes for a typo")
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, PricingError> {
    a.checked_mul(b).ok_or_else(|| overflow("a product"))
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, PricingError> {
    a.checked_add(b).ok_or_else(|| overflow("a sum"))
}

fn per_million(tokens: Decimal, rate: Decimal) -> Result<Decimal, PricingError> {
    mul(tokens, rate)?
        .checked_div(Decimal::from(1_000_000))
        .ok_or_else(|| overflow("a cost"))
}

fn plain(value: Decimal) -> String {
    decimal::format_plain(value)
}

/// Prices a workflow with a rate card. Records each step in `trace` when one is given.
///
/// # Errors
/// IC101 unknown model, IC104 size not accepted, IC105 quality not supported, IC107 a
/// combination the card cannot price, IC108 arithmetic overflow.
#[allow(clippy::too_many_lines)] // one straight walk through docs/cost-model.md, step by step
pub fn project(
    spec: &WorkflowSpec,
    card: &RateCard,
    mut trace: Trace<'_>,
) -> Result<Projection, PricingError> {
    let (model_id, model) = card.image_model(&spec.model).ok_or_else(|| {
        let error = PricingError::new(
            &rules::IC101,
            "model",
            format!("unknown model `{}` (rate card {})", spec.model, card.id),
        );
        match card.suggest_image_model(&spec.model) {
            Some(best) => error.help(format!(
                "did you mean `{best}`? `imgcost ratecard list` shows every model"
            )),
            None => error.help("`imgcost ratecard list` shows every model the rate card prices"),
        }
    })?;
    let mut confidence = model.rates.confidence;
    let mut weakest: Vec<(&'static str, Arc<str>, Confidence)> = vec![(
        "rates",
        Arc::clone(&model.rates.source),
        model.rates.confidence,
    )];
    let mut lean_on =
        |what: &'static str, source: &Arc<str>, level: Confidence, confidence: &mut Confidence| {
            *confidence = (*confidence).min(level);
            weakest.push((what, Arc::clone(source), level));
        };

    let tier = if spec.batch {
        Tier::Batch
    } else {
        Tier::Standard
    };
    let rates: TokenRates = match tier {
        Tier::Standard => model.rates.standard,
        Tier::Batch => model.rates.batch.ok_or_else(|| {
            PricingError::new(&rules::IC107, "batch", format!("rate card {} has no Batch rates for {model_id}", card.id))
                .help("set `batch: false`, or use a model with Batch rates (`imgcost ratecard show MODEL`)")
        })?,
    };
    record(&mut trace, || {
        let alias = if spec.model == model_id {
            String::new()
        } else {
            format!(" (alias of {model_id})")
        };
        sourced(
            "model",
            format!(
                "{}{alias}, {} tier, {}",
                spec.model,
                tier.as_str(),
                spec.endpoint
            ),
            model_id,
            &model.rates.source,
            model.rates.confidence,
        )
    });

    let mut assumptions = Assumptions::default();
    let quality = match spec.request.quality {
        Quality::Auto => {
            assumptions.auto_quality = Some(model.auto.quality);
            lean_on(
                "auto quality",
                &model.auto.source,
                model.auto.confidence,
                &mut confidence,
            );
            record(&mut trace, || {
                sourced(
                    "quality",
                    "auto, budgeted at the card's assumption".to_owned(),
                    model.auto.quality,
                    &model.auto.source,
                    model.auto.confidence,
                )
            });
            model.auto.quality
        }
        quality if model.qualities.contains(&quality) => quality,
        quality => {
            let supported: Vec<&str> = model.qualities.iter().map(|q| q.as_str()).collect();
            return Err(PricingError::new(
                &rules::IC105,
                "request/quality",
                format!("{model_id} does not support quality `{quality}`"),
            )
            .help(format!("use one of: {}", supported.join(", "))));
        }
    };
    let size = match spec.request.size {
        Size::Auto => {
            let size = model.auto.size_for(spec.endpoint).ok_or_else(|| {
                PricingError::new(
                    &rules::IC107,
                    "request/size",
                    format!(
                        "rate card {} has no `size: auto` assumption for {model_id} on {}",
                        card.id, spec.endpoint
                    ),
                )
                .help("write the size explicitly")
            })?;
            assumptions.auto_size = Some(size);
            lean_on(
                "auto size",
                &model.auto.source,
                model.auto.confidence,
                &mut confidence,
            );
            record(&mut trace, || {
                sourced(
                    "size",
                    format!(
                        "auto on {}, budgeted at the card's assumption",
                        spec.endpoint
                    ),
                    size,
                    &model.auto.source,
                    model.auto.confidence,
                )
            });
            size
        }
        Size::Exact(size) => {
            if let Some(reason) = model.sizes.rejects(size) {
                return Err(PricingError::new(
                    &rules::IC104,
                    "request/size",
                    format!("{model_id} does not accept size {size}: {reason}"),
                )
                .help(size_help(model)));
            }
            size
        }
    };
    let n = spec.request.n;
    let n_dec = Decimal::from(n);

    // Output per call.
    let output_rule = model.output.rule().ok_or_else(|| {
        PricingError::new(
            &rules::IC107,
            "model",
            format!(
                "rate card {} has an incomplete output rule for {model_id}",
                card.id
            ),
        )
    })?;
    lean_on(
        "output rule",
        &model.output.source,
        model.output.confidence,
        &mut confidence,
    );
    let mut per_image_price = None;
    let mut output_per_call = match output_rule {
        OutputRule::Calculator { bases, multipliers } => {
            let base = *bases.get(&quality).ok_or_else(|| {
                PricingError::new(
                    &rules::IC105,
                    "request/quality",
                    format!("{model_id} has no calculator base for quality `{quality}`"),
                )
            })?;
            let axis = short_axis(base, size);
            let tokens = Decimal::from(calculator_output_tokens(base, size, n));
            let pixels = size.pixels();
            record(&mut trace, || {
                sourced(
                    "output tokens per call",
                    format!(
                        "ceil({n} × {base} × {} × (2000000 + {pixels}) / 4000000)   [base {base} for {quality}; short-axis cells {}]",
                        axis.cells, axis.cells
                    ),
                    plain(tokens),
                    &model.output.source,
                    model.output.confidence,
                )
            });
            if axis.uncertain_tie {
                assumptions.calculator_tie = true;
                lean_on(
                    "calculator tie",
                    &Arc::from(
                        "the calculator and the exact rounding rules disagree at this size; billing there is unverified",
                    ),
                    Confidence::Low,
                    &mut confidence,
                );
            }
            match multipliers.and_then(|m| m.get(&quality)) {
                Some(factor) => {
                    let scaled = mul(tokens, factor.0)?;
                    record(&mut trace, || {
                        sourced(
                            "estimated output tokens",
                            format!("{} × {}", plain(tokens), plain(factor.0)),
                            plain(scaled),
                            &model.output.source,
                            model.output.confidence,
                        )
                    });
                    scaled
                }
                None => tokens,
            }
        }
        OutputRule::Table { tokens } => {
            let per_image = tokens
                .get(&quality)
                .and_then(|row| row.get(&size))
                .ok_or_else(|| {
                    PricingError::new(
                        &rules::IC104,
                        "request/size",
                        format!("{model_id} has no token count for {quality} at {size}"),
                    )
                    .help(size_help(model))
                })?;
            let total = mul(Decimal::from(*per_image), n_dec)?;
            record(&mut trace, || {
                sourced(
                    "output tokens per call",
                    format!("{n} × {per_image}   [table: {quality} at {size}]"),
                    plain(total),
                    &model.output.source,
                    model.output.confidence,
                )
            });
            total
        }
        OutputRule::PerImage { prices } => {
            let table = match tier {
                Tier::Standard => &prices.standard,
                Tier::Batch => prices.batch.as_ref().ok_or_else(|| {
                    PricingError::new(
                        &rules::IC107,
                        "batch",
                        format!(
                            "rate card {} has no Batch per-image prices for {model_id}",
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
                        format!("{model_id} has no price for {quality} at {size}"),
                    )
                    .help(size_help(model))
                })?;
            per_image_price = Some(price.0);
            record(&mut trace, || {
                sourced(
                    "price per image",
                    format!("{quality} at {size}, {} tier", tier.as_str()),
                    format!("${}", plain(price.0)),
                    &model.output.source,
                    model.output.confidence,
                )
            });
            Decimal::ZERO
        }
    };
    if spec.request.partial_images > 0 {
        let partial = model.partial_images.as_ref().ok_or_else(|| {
            PricingError::new(
                &rules::IC107,
                "request/partial_images",
                format!(
                    "rate card {} has no partial-image rule for {model_id} (it does not stream)",
                    card.id
                ),
            )
            .help("remove `partial_images`")
        })?;
        lean_on(
            "partial images",
            &partial.source,
            partial.confidence,
            &mut confidence,
        );
        let extra = mul(
            mul(n_dec, Decimal::from(spec.request.partial_images))?,
            Decimal::from(partial.tokens),
        )?;
        output_per_call = add(output_per_call, extra)?;
        record(&mut trace, || {
            sourced(
                "partial image tokens per call",
                format!("{n} × {} × {}", spec.request.partial_images, partial.tokens),
                plain(extra),
                &partial.source,
                partial.confidence,
            )
        });
    }

    // Input per call.
    let billed_per_image = model.per_image_billing.as_ref();
    let input_multiplier = if billed_per_image.is_some() {
        n_dec
    } else {
        Decimal::ONE
    };
    let images_per_call = spec
        .inputs
        .images
        .iter()
        .try_fold(Decimal::ZERO, |sum, image| add(sum, image.per_request))?;
    let text_overhead = match (&model.text_input, images_per_call > Decimal::ZERO) {
        (Some(rule), true) if rule.tokens_per_input_image > 0 => {
            lean_on(
                "text tokens per input image",
                &rule.source,
                rule.confidence,
                &mut confidence,
            );
            let overhead = mul(Decimal::from(rule.tokens_per_input_image), images_per_call)?;
            record(&mut trace, || {
                sourced(
                    "text tokens added per input image",
                    format!(
                        "{} × {}",
                        rule.tokens_per_input_image,
                        plain(images_per_call)
                    ),
                    plain(overhead),
                    &rule.source,
                    rule.confidence,
                )
            });
            overhead
        }
        _ => Decimal::ZERO,
    };
    let text_per_call = mul(
        add(spec.inputs.prompt_tokens, text_overhead)?,
        input_multiplier,
    )?;
    let mut image_tokens_per_call = Decimal::ZERO;
    if !spec.inputs.images.is_empty() {
        let rule = model.input_images.as_ref().ok_or_else(|| {
            PricingError::new(
                &rules::IC107,
                "inputs/images",
                format!(
                    "rate card {} has no input-image rule for {model_id}",
                    card.id
                ),
            )
        })?;
        lean_on(
            "input image rule",
            &rule.source,
            rule.confidence,
            &mut confidence,
        );
        let high_fidelity = spec.request.input_fidelity == Some(crate::model::Fidelity::High);
        for image in &spec.inputs.images {
            let tokens = Decimal::from(match rule.rule {
                InputImageRuleKind::Patches => patch_input_tokens(image.size),
                InputImageRuleKind::Tiles => tile_input_tokens(image.size, high_fidelity),
            });
            let weighted = mul(tokens, image.per_request)?;
            image_tokens_per_call = add(image_tokens_per_call, weighted)?;
            record(&mut trace, || {
                sourced(
                    "input image tokens",
                    format!(
                        "{} × {} tokens for {}",
                        plain(image.per_request),
                        plain(tokens),
                        image.size
                    ),
                    plain(weighted),
                    &rule.source,
                    rule.confidence,
                )
            });
        }
        image_tokens_per_call = mul(image_tokens_per_call, input_multiplier)?;
    }
    if let Some(rule) = billed_per_image
        && n > 1
        && (text_per_call > Decimal::ZERO || image_tokens_per_call > Decimal::ZERO)
    {
        lean_on(
            "input billed per image",
            &rule.source,
            rule.confidence,
            &mut confidence,
        );
        record(&mut trace, || {
            sourced(
                "input billed per generated image",
                format!("text and image input × n = {n}"),
                "",
                &rule.source,
                rule.confidence,
            )
        });
    }
    record(&mut trace, || {
        step(
            "text input tokens per call",
            format!(
                "({} + {}) × {}",
                plain(spec.inputs.prompt_tokens),
                plain(text_overhead),
                plain(input_multiplier)
            ),
            plain(text_per_call),
        )
    });
    record(&mut trace, || {
        step(
            "image input tokens per call",
            "sum of the input images above, × n where billed per image".to_owned(),
            plain(image_tokens_per_call),
        )
    });

    // Volume.
    let volume = &spec.volume;
    let attempts = mul(
        volume.requests_per_month,
        add(Decimal::ONE, volume.retry_rate)?,
    )?;
    let images = mul(attempts, n_dec)?;
    let accepted_images = mul(
        mul(volume.requests_per_month, n_dec)?,
        volume.accepted_fraction,
    )?;
    record(&mut trace, || {
        step(
            "attempts per month",
            format!(
                "{} × (1 + {})",
                plain(volume.requests_per_month),
                plain(volume.retry_rate)
            ),
            plain(attempts),
        )
    });
    record(&mut trace, || {
        step(
            "images generated",
            format!("{} × {n}", plain(attempts)),
            plain(images),
        )
    });
    record(&mut trace, || {
        step(
            "images accepted",
            format!(
                "{} × {n} × {}",
                plain(volume.requests_per_month),
                plain(volume.accepted_fraction)
            ),
            plain(accepted_images),
        )
    });

    // Monthly tokens, cached split.
    let cached_fraction = if model.caches(spec.endpoint) {
        if let Some(rule) = &model.caching
            && spec.inputs.cached_fraction > Decimal::ZERO
        {
            lean_on("caching", &rule.source, rule.confidence, &mut confidence);
        }
        spec.inputs.cached_fraction
    } else {
        assumptions.ignored_cached_fraction = spec.inputs.cached_fraction > Decimal::ZERO;
        Decimal::ZERO
    };
    let text_month = mul(attempts, text_per_call)?;
    let image_in_month = mul(attempts, image_tokens_per_call)?;
    let mut tokens = ByKind {
        cached_text_input: mul(text_month, cached_fraction)?,
        cached_image_input: mul(image_in_month, cached_fraction)?,
        image_output: mul(attempts, output_per_call)?,
        ..ByKind::default()
    };
    tokens.text_input = text_month - tokens.cached_text_input;
    tokens.image_input = image_in_month - tokens.cached_image_input;
    if cached_fraction > Decimal::ZERO {
        record(&mut trace, || {
            sourced(
                "cached share of input",
                format!(
                    "{} of input tokens on {}",
                    plain(cached_fraction),
                    spec.endpoint
                ),
                plain(cached_fraction),
                model.caching.as_ref().map_or("", |c| &*c.source),
                model
                    .caching
                    .as_ref()
                    .map_or(Confidence::Low, |c| c.confidence),
            )
        });
    }

    // Costs.
    let mut cost = ByKind {
        text_input: per_million(tokens.text_input, rates.text_input.0)?,
        cached_text_input: per_million(tokens.cached_text_input, rates.cached_text_input.0)?,
        image_input: per_million(tokens.image_input, rates.image_input.0)?,
        cached_image_input: per_million(tokens.cached_image_input, rates.cached_image_input.0)?,
        image_output: per_million(tokens.image_output, rates.image_output.0)?,
        ..ByKind::default()
    };
    for (label, count, rate, value) in [
        (
            "text input",
            tokens.text_input,
            rates.text_input.0,
            cost.text_input,
        ),
        (
            "cached text input",
            tokens.cached_text_input,
            rates.cached_text_input.0,
            cost.cached_text_input,
        ),
        (
            "image input",
            tokens.image_input,
            rates.image_input.0,
            cost.image_input,
        ),
        (
            "cached image input",
            tokens.cached_image_input,
            rates.cached_image_input.0,
            cost.cached_image_input,
        ),
        (
            "image output",
            tokens.image_output,
            rates.image_output.0,
            cost.image_output,
        ),
    ] {
        if !count.is_zero() {
            record(&mut trace, || {
                sourced(
                    &format!("{label} cost"),
                    format!("{} tokens × ${} / 1M", plain(count), plain(rate)),
                    format!("${}", plain(value)),
                    &model.rates.source,
                    model.rates.confidence,
                )
            });
        }
    }
    if let Some(price) = per_image_price {
        let images_cost = mul(images, price)?;
        cost.image_output = add(cost.image_output, images_cost)?;
        record(&mut trace, || {
            sourced(
                "image output cost",
                format!("{} images × ${}", plain(images), plain(price)),
                format!("${}", plain(images_cost)),
                &model.output.source,
                model.output.confidence,
            )
        });
    }

    // Mainline text model of a Responses workflow.
    match (&spec.mainline, spec.endpoint) {
        (Some(mainline), Endpoint::Responses) => {
            let (text_id, text_model) = card.text_model(&mainline.model).ok_or_else(|| {
                let error = PricingError::new(
                    &rules::IC101,
                    "mainline/model",
                    format!(
                        "unknown text model `{}` (rate card {})",
                        mainline.model, card.id
                    ),
                );
                match card.suggest_text_model(&mainline.model) {
                    Some(best) => error.help(format!("did you mean `{best}`?")),
                    None => {
                        error.help("`imgcost ratecard list` shows the text models the card prices")
                    }
                }
            })?;
            let text_rates: TextRates = match tier {
                Tier::Standard => text_model.rates.standard,
                Tier::Batch => text_model.rates.batch.ok_or_else(|| {
                    PricingError::new(
                        &rules::IC107,
                        "batch",
                        format!("rate card {} has no Batch rates for {text_id}", card.id),
                    )
                })?,
            };
            lean_on(
                "mainline rates",
                &text_model.rates.source,
                text_model.rates.confidence,
                &mut confidence,
            );
            let input = mul(attempts, mainline.input_tokens)?;
            tokens.mainline_cached_input = mul(input, mainline.cached_fraction)?;
            tokens.mainline_input = input - tokens.mainline_cached_input;
            tokens.mainline_output = mul(attempts, mainline.output_tokens)?;
            cost.mainline_input = per_million(tokens.mainline_input, text_rates.input.0)?;
            cost.mainline_cached_input =
                per_million(tokens.mainline_cached_input, text_rates.cached_input.0)?;
            cost.mainline_output = per_million(tokens.mainline_output, text_rates.output.0)?;
            record(&mut trace, || {
                sourced(
                    "mainline model cost",
                    format!(
                        "{text_id}: {} input × ${} + {} cached × ${} + {} output × ${} (per 1M)",
                        plain(tokens.mainline_input),
                        plain(text_rates.input.0),
                        plain(tokens.mainline_cached_input),
                        plain(text_rates.cached_input.0),
                        plain(tokens.mainline_output),
                        plain(text_rates.output.0)
                    ),
                    format!("${}", plain(cost.mainline())),
                    &text_model.rates.source,
                    text_model.rates.confidence,
                )
            });
        }
        (None, Endpoint::Responses) => {
            return Err(PricingError::new(
                &rules::IC107,
                "endpoint",
                "a `responses` workflow also pays for its mainline text model, which is not given",
            )
            .help("add `mainline: { model: gpt-5.4, input_tokens: …, output_tokens: … }`"));
        }
        (_, _) => {}
    }

    let monthly_usd = cost.total()?;
    if monthly_usd > decimal::MAX_USD {
        return Err(overflow_usd());
    }
    let per_accepted_image_usd = if accepted_images.is_zero() {
        None
    } else {
        monthly_usd.checked_div(accepted_images)
    };
    record(&mut trace, || {
        step(
            "monthly cost",
            "sum of the costs above".to_owned(),
            format!("${}", plain(monthly_usd)),
        )
    });
    if let Some(per_image) = per_accepted_image_usd {
        record(&mut trace, || {
            step(
                "per accepted image",
                format!("${} / {}", plain(monthly_usd), plain(accepted_images)),
                format!("${}", plain(per_image)),
            )
        });
    }
    let floor = weakest
        .iter()
        .map(|(_, _, level)| *level)
        .min()
        .unwrap_or(Confidence::High);
    assumptions.weakest = weakest
        .into_iter()
        .filter(|(_, _, level)| *level == floor)
        .map(|(what, source, _)| (what, source))
        .collect();
    Ok(Projection {
        model: model_id.to_owned(),
        tier,
        quality,
        size,
        n,
        attempts,
        images,
        accepted_images,
        tokens,
        image_output_tokens_known: per_image_price.is_none(),
        cost,
        monthly_usd,
        per_accepted_image_usd,
        confidence,
        assumptions,
    })
}

fn size_help(model: &ImageModel) -> String {
    match model.sizes.rule {
        crate::pricing::ratecard::SizeRuleKind::Fixed => {
            let allowed: Vec<String> = model
                .sizes
                .allowed
                .iter()
                .map(ToString::to_string)
                .collect();
            format!("use one of {} (or `auto`)", allowed.join(", "))
        }
        crate::pricing::ratecard::SizeRuleKind::Custom => {
            "use a size such as 1024x1024, 1536x1024 or 2048x2048 (or `auto`)".to_owned()
        }
    }
}
