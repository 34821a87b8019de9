//! Pricing one workflow from a rate card: the single function every command uses.
//!
//! [`project`] implements docs/cost-model.md exactly, in `rust_decimal` with checked arithmetic
//! (an overflow is an IC108 finding, never a panic). `check` calls it for every workflow,
//! `explain` calls it with a [`Trace`] to print each [`Fact`] it established with its source,
//! `quote` calls it for a one-request workflow, and `diff` compares its results at two commits.
//!
//! It runs in typed stages, each a module of its own returning a typed result, reporting its
//! pricing errors where they arise (IC101, IC104, IC105, IC107 in `rates` and `tokens`, IC108
//! wherever arithmetic overflows) and recording its facts into the trace:
//!
//! ```text
//! rates    the model, its records in force on the as-of date, its rates for the tier, the
//!          quality and size (auto → the card's assumption; gif → the sheet of its frames)
//! tokens   out_per_call    = output_tokens(model, quality, size, n) + n × partial_images × partial_image_tokens
//!          text_per_call   = (prompt_tokens + per-input-image text tokens) (× n where input is billed per image)
//!          img_in_per_call = Σ per_request × input_image_tokens(size, fidelity) (× n likewise)
//! volumes  attempts        = requests_per_month × (1 + retry_rate)
//!          images          = attempts × n
//!          accepted_images = requests_per_month × n × accepted_fraction
//! tokens   tokens/month    = attempts × per-call tokens, split cached / uncached where the card allows caching
//! money    cost            = Σ tokens × price(tier) / 1 000 000  (+ the mainline model for
//!                            responses, + the SVG author for svg output)
//!          per_accepted    = cost / accepted_images
//! ```
//!
//! The kinds of token are named once, by [`TokenKind`].

mod error;
mod kinds;
mod money;
mod rates;
mod tokens;
mod trace;
mod volumes;

use std::sync::Arc;

use rust_decimal::Decimal;

pub use error::PricingError;
pub use kinds::{ByKind, TokenKind};
pub use trace::{CostFact, Fact, InputFact, ModelFact, OutputFact, Trace, VolumeFact};

use crate::foundation::Date;
use crate::model::{Dimensions, Endpoint, OutputFormat, Quality, WorkflowSpec};
use crate::pricing::ratecard::{AutoQualityRule, Confidence, MeasuredOutput, RateCard};
use crate::rules;
use kinds::Tally;
use trace::{Ledger, Weakest};

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

/// What a workflow costs a month, and how that was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    /// The canonical model id (aliases resolved): the rate card's own, shared.
    pub model: Arc<str>,
    pub tier: Tier,
    /// The quality and size priced (after `auto` was resolved; `auto` when the model picks its
    /// own and a measured count is budgeted). For GIF output, `size` is a frame's.
    pub quality: Quality,
    pub size: Dimensions,
    /// GIF output: the sheet the frames are drawn on, which is what is priced.
    pub sheet: Option<Dimensions>,
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
    /// How the card prices `quality: auto`, when it was used (IC401 words it).
    pub auto_rule: Option<AutoQualityRule>,
    /// `quality: auto` is budgeted at this measured count, scaled to the size (IC401).
    pub auto_measured: Option<MeasuredOutput>,
    /// `size: auto` was budgeted at this size (IC402).
    pub auto_size: Option<Dimensions>,
    /// `cached_fraction` was set but the card allows no caching on this endpoint (IC404).
    pub ignored_cached_fraction: bool,
    /// The size is a calculator tie, where billing is unverified (IC405).
    pub calculator_tie: bool,
    /// The rules of lowest confidence that the figure depends on, with their sources (IC405).
    pub weakest: Weakest,
}

/// Prices a workflow with a rate card as of a day (which of the card's dated records apply),
/// stage by stage. Records each fact in `trace` when one is given.
///
/// # Errors
/// IC101 unknown model, IC104 size not accepted, IC105 quality not supported, IC107 a
/// combination the card cannot price, IC108 arithmetic overflow.
pub fn project(
    spec: &WorkflowSpec,
    card: &RateCard,
    as_of: Date,
    trace: Trace<'_>,
) -> Result<Projection, PricingError> {
    let mut ledger = Ledger::new(trace);
    let image = rates::image_model(spec, card, as_of, &mut ledger)?;
    let priced = rates::request(spec, card, as_of, &image, &mut ledger)?;
    let output = tokens::output_per_call(spec, card, &image, &priced, &mut ledger)?;
    let input = tokens::input_per_call(spec, card, &image, &mut ledger)?;
    let volumes = volumes::volumes(&spec.volume, priced.n, &mut ledger)?;
    let monthly = tokens::monthly(spec, &image, &output, &input, &volumes, &mut ledger)?;
    let mut tokens = monthly.tokens;
    let mut cost = money::image_costs(&tokens, &image, &output, &volumes, &mut ledger)?;
    let text = TextModels {
        card,
        tier: image.tier,
        as_of,
        attempts: volumes.attempts,
    };
    text.mainline(spec, &mut tokens, &mut cost, &mut ledger)?;
    text.svg_author(spec, &image, &mut tokens, &mut cost, &mut ledger)?;
    let totals = money::totals(&cost, &volumes, &mut ledger)?;
    let (confidence, weakest) = ledger.weakest();
    Ok(Projection {
        model: Arc::clone(image.id),
        tier: image.tier,
        quality: if priced.measured.is_some() {
            Quality::Auto
        } else {
            priced.quality
        },
        size: priced.size,
        sheet: priced.sheet,
        n: priced.n,
        attempts: volumes.attempts,
        images: volumes.images,
        accepted_images: volumes.accepted,
        tokens: ByKind::from(&tokens),
        image_output_tokens_known: output.per_image_usd.is_none(),
        cost: ByKind::from(&cost),
        monthly_usd: totals.monthly_usd,
        per_accepted_image_usd: totals.per_accepted_image_usd,
        confidence,
        assumptions: Assumptions {
            auto_quality: priced.auto_quality,
            auto_rule: priced.auto_rule,
            auto_measured: priced.measured,
            auto_size: priced.auto_size,
            ignored_cached_fraction: monthly.ignored_cached_fraction,
            calculator_tie: output.calculator_tie,
            weakest,
        },
    })
}

/// The text models a workflow pays for besides its image model, through the stages: their
/// rates on the as-of date, their tokens, their cost.
struct TextModels<'card> {
    card: &'card RateCard,
    tier: Tier,
    as_of: Date,
    attempts: Decimal,
}

impl<'card> TextModels<'card> {
    /// The mainline text model of a `responses` workflow (IC101, IC107 where it is missing or
    /// the card cannot price it).
    fn mainline(
        &self,
        spec: &WorkflowSpec,
        tokens: &mut Tally,
        cost: &mut Tally,
        ledger: &mut Ledger<'card, '_>,
    ) -> Result<(), PricingError> {
        match (&spec.mainline, spec.endpoint) {
            (Some(mainline), Endpoint::Responses) => {
                self.add(mainline, rates::MAINLINE, tokens, cost, ledger)
            }
            (None, Endpoint::Responses) => Err(PricingError::new(
                &rules::IC107,
                "endpoint",
                "a `responses` workflow also pays for its mainline text model, which is not given",
            )
            .help("add `mainline: { model: gpt-5.4, input_tokens: …, output_tokens: … }`")),
            (_, _) => Ok(()),
        }
    }

    /// The model that writes an SVG, where the card says the SVG route bills it (IC101, IC107
    /// where it is missing or the card cannot price it).
    fn svg_author(
        &self,
        spec: &WorkflowSpec,
        image: &rates::ImageRates<'card>,
        tokens: &mut Tally,
        cost: &mut Tally,
        ledger: &mut Ledger<'card, '_>,
    ) -> Result<(), PricingError> {
        let Some(rule) = image
            .model
            .svg
            .as_ref()
            .filter(|_| spec.request.output_format == Some(OutputFormat::Svg))
        else {
            // An author's tokens the card cannot price are refused, never dropped (an author
            // of another format is IC106's).
            if spec.svg.is_some() && spec.request.output_format == Some(OutputFormat::Svg) {
                return Err(PricingError::new(
                    &rules::IC107,
                    "svg",
                    format!(
                        "the rate card has no SVG rule for {}: it cannot price the model that writes the SVG",
                        image.id
                    ),
                )
                .help("remove `svg`, or use a model whose card prices SVG output (`imgcost ratecard show MODEL`)"));
            }
            return Ok(());
        };
        let Some(author) = &spec.svg else {
            return Err(PricingError::new(
                &rules::IC107,
                "request/output_format",
                format!(
                    "svg output on {} also pays for the text model that writes the SVG (`svg.model` in the API), which is not given",
                    image.id
                ),
            )
            .help("add `svg: { model: gpt-5.4-mini, input_tokens: …, output_tokens: … }` with the tokens `svg_usage` reports (`quote`: `--svg-model` and its token flags)"));
        };
        ledger.lean_on("svg authoring", &rule.source, rule.confidence);
        self.add(author, rates::SVG_AUTHOR, tokens, cost, ledger)
    }

    /// One text model's tokens and cost, added to the workflow's.
    fn add(
        &self,
        named: &crate::model::Mainline,
        role: rates::TextRole,
        tokens: &mut Tally,
        cost: &mut Tally,
        ledger: &mut Ledger<'card, '_>,
    ) -> Result<(), PricingError> {
        let text = rates::text_model(named, role, self.card, self.tier, self.as_of, ledger)?;
        let rates = text.tiers;
        ledger.lean_on(role.rates, &rates.source, rates.confidence);
        let own_tokens = tokens::text_model(named, self.attempts)?;
        let own_cost = money::text_model(&own_tokens, &text, role, ledger)?;
        tokens
            .checked_add_assign(&own_tokens)
            .and_then(|()| cost.checked_add_assign(&own_cost))
            .ok_or_else(|| error::overflow("a sum"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Inputs, Latency, Request, Size, Volume};

    fn spec(model: &str, quality: Quality, size: Size) -> WorkflowSpec {
        WorkflowSpec {
            has_description: false,
            has_owner: false,
            has_labels: false,
            endpoint: Endpoint::ImagesGenerate,
            model: model.to_owned(),
            batch: false,
            latency: Latency::Interactive,
            request: Request {
                size,
                quality,
                ..Request::default()
            },
            volume: Volume {
                requests_per_month: Decimal::from(1000),
                retry_rate: Decimal::ZERO,
                accepted_fraction: Decimal::ONE,
            },
            inputs: Inputs::default(),
            mainline: None,
            svg: None,
            budget: None,
            attribution: None,
        }
    }

    fn day() -> Date {
        "2026-11-25".parse().expect("a date")
    }

    /// `explain` prints what a projection established before its error, so the trace keeps it.
    #[test]
    fn a_failed_projection_keeps_the_facts_before_its_error() {
        let card = &RateCard::builtin()[0];
        let rejected = Size::Exact(Dimensions::new(2048, 2048));
        let mut facts = Vec::new();
        let error = project(
            &spec("gpt-image-1.5-2025-12-16", Quality::Auto, rejected),
            card,
            day(),
            Some(&mut facts),
        )
        .expect_err("gpt-image-1.5 has fixed sizes");
        assert_eq!(error.rule.code, "IC104");
        let [
            Fact::Model(ModelFact::Rates {
                requested,
                model,
                tier: Tier::Standard,
                ..
            }),
            Fact::Model(ModelFact::AutoQuality {
                quality: Quality::High,
                ..
            }),
        ] = facts.as_slice()
        else {
            panic!("unexpected facts: {facts:#?}");
        };
        assert_eq!(
            (requested.as_str(), model.as_str()),
            ("gpt-image-1.5-2025-12-16", "gpt-image-1.5")
        );
    }

    /// A trace records; it changes no figure.
    #[test]
    fn the_trace_changes_no_figure() {
        let card = &RateCard::builtin()[0];
        let workflow = spec("gpt-image-2", Quality::Medium, Size::Auto);
        let mut facts = Vec::new();
        let traced = project(&workflow, card, day(), Some(&mut facts));
        assert_eq!(traced, project(&workflow, card, day(), None));
        assert!(traced.is_ok());
        assert!(matches!(
            facts.last(),
            Some(Fact::Cost(CostFact::PerAcceptedImage { .. }))
        ));
    }
}
