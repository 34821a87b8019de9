//! Stage 1 of a projection, the rates: which model of the card prices the workflow, at which
//! tier's rates, for which quality and size (resolving `auto` to the card's assumptions), and
//! the mainline text model's rates. Errors: IC101 unknown model, IC104 size not accepted,
//! IC105 quality not supported, IC107 no Batch rates or no `size: auto` assumption.

use rust_decimal::Decimal;

use super::error::PricingError;
use super::trace::{Ledger, ModelFact, cite};
use super::{Tier, TokenKind};
use crate::model::{Dimensions, Mainline, Quality, Size, WorkflowSpec};
use crate::pricing::ratecard::{
    ImageModel, RateCard, SizeRuleKind, TextModel, TextRates, TokenRates,
};
use crate::rules;

/// The image model that prices a workflow, and its rates for the tier.
#[derive(Debug, Clone, Copy)]
pub(super) struct ImageRates<'card> {
    /// The canonical model id (aliases resolved).
    pub id: &'card str,
    pub model: &'card ImageModel,
    pub tier: Tier,
    pub rates: TokenRates,
}

impl ImageRates<'_> {
    /// USD per 1M tokens of a kind the image model bills (`None` for the kinds it does not:
    /// text output, and the mainline model's).
    pub fn rate(&self, kind: TokenKind) -> Option<Decimal> {
        let rates = &self.rates;
        match kind {
            TokenKind::TextInput => Some(rates.text_input.0),
            TokenKind::CachedTextInput => Some(rates.cached_text_input.0),
            TokenKind::ImageInput => Some(rates.image_input.0),
            TokenKind::CachedImageInput => Some(rates.cached_image_input.0),
            TokenKind::ImageOutput => Some(rates.image_output.0),
            TokenKind::TextOutput
            | TokenKind::MainlineInput
            | TokenKind::MainlineCachedInput
            | TokenKind::MainlineOutput => None,
        }
    }
}

/// The quality, size and count priced, after `auto` was resolved.
#[derive(Debug, Clone, Copy)]
pub(super) struct Priced {
    pub quality: Quality,
    pub size: Dimensions,
    pub n: u32,
    /// `quality: auto` was budgeted at this quality.
    pub auto_quality: Option<Quality>,
    /// `size: auto` was budgeted at this size.
    pub auto_size: Option<Dimensions>,
}

/// The image model of the workflow and its rates for the tier (IC101, IC107).
pub(super) fn image_model<'card>(
    spec: &WorkflowSpec,
    card: &'card RateCard,
    ledger: &mut Ledger<'card, '_>,
) -> Result<ImageRates<'card>, PricingError> {
    let (id, model) = card.image_model(&spec.model).ok_or_else(|| {
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
    ledger.lean_on("rates", &model.rates.source, model.rates.confidence);
    let tier = if spec.batch {
        Tier::Batch
    } else {
        Tier::Standard
    };
    let rates = match tier {
        Tier::Standard => model.rates.standard,
        Tier::Batch => model.rates.batch.ok_or_else(|| {
            PricingError::new(&rules::IC107, "batch", format!("rate card {} has no Batch rates for {id}", card.id))
                .help("set `batch: false`, or use a model with Batch rates (`imgcost ratecard show MODEL`)")
        })?,
    };
    ledger.record(|| ModelFact::Rates {
        requested: spec.model.clone(),
        model: id.to_owned(),
        tier,
        endpoint: spec.endpoint,
        rule: cite(&model.rates.source, model.rates.confidence),
    });
    Ok(ImageRates {
        id,
        model,
        tier,
        rates,
    })
}

/// The quality and size priced: the request's own, or the card's assumption for `auto`
/// (IC104, IC105, IC107).
pub(super) fn request<'card>(
    spec: &WorkflowSpec,
    card: &RateCard,
    image: &ImageRates<'card>,
    ledger: &mut Ledger<'card, '_>,
) -> Result<Priced, PricingError> {
    let ImageRates { id, model, .. } = *image;
    let auto = &model.auto;
    let (quality, auto_quality) = match spec.request.quality {
        Quality::Auto => {
            ledger.lean_on("auto quality", &auto.source, auto.confidence);
            ledger.record(|| ModelFact::AutoQuality {
                quality: auto.quality,
                rule: cite(&auto.source, auto.confidence),
            });
            (auto.quality, Some(auto.quality))
        }
        quality if model.qualities.contains(&quality) => (quality, None),
        quality => {
            let supported: Vec<&str> = model.qualities.iter().map(|q| q.as_str()).collect();
            return Err(PricingError::new(
                &rules::IC105,
                "request/quality",
                format!("{id} does not support quality `{quality}`"),
            )
            .help(format!("use one of: {}", supported.join(", "))));
        }
    };
    let (size, auto_size) = match spec.request.size {
        Size::Auto => {
            let size = auto.size_for(spec.endpoint).ok_or_else(|| {
                PricingError::new(
                    &rules::IC107,
                    "request/size",
                    format!(
                        "rate card {} has no `size: auto` assumption for {id} on {}",
                        card.id, spec.endpoint
                    ),
                )
                .help("write the size explicitly")
            })?;
            ledger.lean_on("auto size", &auto.source, auto.confidence);
            ledger.record(|| ModelFact::AutoSize {
                endpoint: spec.endpoint,
                size,
                rule: cite(&auto.source, auto.confidence),
            });
            (size, Some(size))
        }
        Size::Exact(size) => {
            if let Some(reason) = model.sizes.rejects(size) {
                return Err(PricingError::new(
                    &rules::IC104,
                    "request/size",
                    format!("{id} does not accept size {size}: {reason}"),
                )
                .help(size_help(model)));
            }
            (size, None)
        }
    };
    Ok(Priced {
        quality,
        size,
        n: spec.request.n,
        auto_quality,
        auto_size,
    })
}

/// The mainline text model of a `responses` workflow, and its rates for the tier.
#[derive(Debug, Clone, Copy)]
pub(super) struct MainlineRates<'card> {
    /// The canonical model id (aliases resolved).
    pub id: &'card str,
    pub model: &'card TextModel,
    pub rates: TextRates,
}

impl MainlineRates<'_> {
    /// USD per 1M tokens of a kind the mainline model bills (`None` for the image model's).
    pub fn rate(&self, kind: TokenKind) -> Option<Decimal> {
        match kind {
            TokenKind::MainlineInput => Some(self.rates.input.0),
            TokenKind::MainlineCachedInput => Some(self.rates.cached_input.0),
            TokenKind::MainlineOutput => Some(self.rates.output.0),
            _ => None,
        }
    }
}

/// The mainline text model of a `responses` workflow and its rates for the tier (IC101, IC107).
pub(super) fn text_model<'card>(
    mainline: &Mainline,
    card: &'card RateCard,
    tier: Tier,
) -> Result<MainlineRates<'card>, PricingError> {
    let (id, model) = card.text_model(&mainline.model).ok_or_else(|| {
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
            None => error.help("`imgcost ratecard list` shows the text models the card prices"),
        }
    })?;
    let rates = match tier {
        Tier::Standard => model.rates.standard,
        Tier::Batch => model.rates.batch.ok_or_else(|| {
            PricingError::new(
                &rules::IC107,
                "batch",
                format!("rate card {} has no Batch rates for {id}", card.id),
            )
        })?,
    };
    Ok(MainlineRates { id, model, rates })
}

/// What IC104 suggests instead of a size the model does not price.
pub(super) fn size_help(model: &ImageModel) -> String {
    match model.sizes.rule {
        SizeRuleKind::Fixed => {
            let allowed: Vec<String> = model
                .sizes
                .allowed
                .iter()
                .map(ToString::to_string)
                .collect();
            format!("use one of {} (or `auto`)", allowed.join(", "))
        }
        SizeRuleKind::Custom => {
            "use a size such as 1024x1024, 1536x1024 or 2048x2048 (or `auto`)".to_owned()
        }
    }
}
