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
//! rates    the model, its rates for the tier, the quality and size (auto → the card's assumption)
//! tokens   out_per_call    = output_tokens(model, quality, size, n) + n × partial_images × partial_image_tokens
//!          text_per_call   = (prompt_tokens + per-input-image text tokens) (× n where input is billed per image)
//!          img_in_per_call = Σ per_request × input_image_tokens(size, fidelity) (× n likewise)
//! volumes  attempts        = requests_per_month × (1 + retry_rate)
//!          images          = attempts × n
//!          accepted_images = requests_per_month × n × accepted_fraction
//! tokens   tokens/month    = attempts × per-call tokens, split cached / uncached where the card allows caching
//! money    cost            = Σ tokens × price(tier) / 1 000 000  (+ the mainline model for responses)
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

use crate::model::{Dimensions, Endpoint, Quality, WorkflowSpec};
use crate::pricing::ratecard::{Confidence, RateCard};
use crate::rules;
use trace::Ledger;

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

/// Prices a workflow with a rate card, stage by stage. Records each fact in `trace` when one is
/// given.
///
/// # Errors
/// IC101 unknown model, IC104 size not accepted, IC105 quality not supported, IC107 a
/// combination the card cannot price, IC108 arithmetic overflow.
pub fn project(
    spec: &WorkflowSpec,
    card: &RateCard,
    trace: Trace<'_>,
) -> Result<Projection, PricingError> {
    let mut ledger = Ledger::new(trace);
    let image = rates::image_model(spec, card, &mut ledger)?;
    let priced = rates::request(spec, card, &image, &mut ledger)?;
    let output = tokens::output_per_call(spec, card, &image, &priced, &mut ledger)?;
    let input = tokens::input_per_call(spec, card, &image, &mut ledger)?;
    let volumes = volumes::volumes(&spec.volume, priced.n, &mut ledger)?;
    let monthly = tokens::monthly(spec, &image, &output, &input, &volumes, &mut ledger)?;
    let mut tokens = monthly.tokens;
    let mut cost = money::image_costs(&tokens, &image, &output, &volumes, &mut ledger)?;
    mainline(
        spec,
        card,
        image.tier,
        &volumes,
        &mut tokens,
        &mut cost,
        &mut ledger,
    )?;
    let totals = money::totals(&cost, &volumes, &mut ledger)?;
    let (confidence, weakest) = ledger.weakest();
    Ok(Projection {
        model: image.id.to_owned(),
        tier: image.tier,
        quality: priced.quality,
        size: priced.size,
        n: priced.n,
        attempts: volumes.attempts,
        images: volumes.images,
        accepted_images: volumes.accepted,
        tokens,
        image_output_tokens_known: output.per_image_usd.is_none(),
        cost,
        monthly_usd: totals.monthly_usd,
        per_accepted_image_usd: totals.per_accepted_image_usd,
        confidence,
        assumptions: Assumptions {
            auto_quality: priced.auto_quality,
            auto_size: priced.auto_size,
            ignored_cached_fraction: monthly.ignored_cached_fraction,
            calculator_tie: output.calculator_tie,
            weakest,
        },
    })
}

/// The mainline text model of a `responses` workflow, through the stages: its rates, its
/// tokens, its cost (IC101, IC107 where it is missing or the card cannot price it).
fn mainline<'card>(
    spec: &WorkflowSpec,
    card: &'card RateCard,
    tier: Tier,
    volumes: &volumes::Volumes,
    tokens: &mut ByKind,
    cost: &mut ByKind,
    ledger: &mut Ledger<'card, '_>,
) -> Result<(), PricingError> {
    match (&spec.mainline, spec.endpoint) {
        (Some(mainline), Endpoint::Responses) => {
            let text = rates::text_model(mainline, card, tier)?;
            let rates = &text.model.rates;
            ledger.lean_on("mainline rates", &rates.source, rates.confidence);
            tokens::mainline(tokens, mainline, volumes.attempts)?;
            money::mainline(cost, tokens, &text, ledger)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Inputs, Latency, Request, Size, Volume};

    fn spec(model: &str, quality: Quality, size: Size) -> WorkflowSpec {
        WorkflowSpec {
            description: None,
            owner: None,
            labels: Vec::new(),
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
            budget: None,
            attribution: None,
        }
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
        let traced = project(&workflow, card, Some(&mut facts));
        assert_eq!(traced, project(&workflow, card, None));
        assert!(traced.is_ok());
        assert!(matches!(
            facts.last(),
            Some(Fact::Cost(CostFact::PerAcceptedImage { .. }))
        ));
    }
}
