//! Stage 4 of a projection, the money: each kind of token at its rate, images at a per-image
//! price, the text models (mainline, SVG author), then the monthly total and the cost per
//! accepted image.
//! Errors: IC108 overflow, or a total above the largest amount imgcost reports.

use rust_decimal::Decimal;

use super::TokenKind;
use super::error::{PricingError, add, mul, overflow, overflow_usd, per_million};
use super::kinds::Tally;
use super::rates::{ImageRates, SVG_AUTHOR, TextModelRates, TextRole};
use super::tokens::OutputPerCall;
use super::trace::{CostFact, Ledger, cite};
use super::volumes::Volumes;
use crate::foundation::decimal;

/// The monthly cost and what an accepted image costs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Totals {
    pub monthly_usd: Decimal,
    /// `None` when no image is accepted (zero requests).
    pub per_accepted_image_usd: Option<Decimal>,
}

/// The image model's monthly cost by kind: tokens at the tier's rates, plus images at their
/// price for a per-image-priced model.
pub(super) fn image_costs(
    tokens: &Tally,
    image: &ImageRates<'_>,
    output: &OutputPerCall,
    volumes: &Volumes,
    ledger: &mut Ledger<'_, '_>,
) -> Result<Tally, PricingError> {
    let mut cost = Tally::default();
    for &kind in TokenKind::ALL {
        if let Some(rate) = image.rate(kind) {
            cost.set(kind, per_million(tokens.get(kind), rate)?);
        }
    }
    let rates = image.tiers;
    for &kind in TokenKind::ALL {
        if let Some(rate) = image.rate(kind)
            && !tokens.get(kind).is_zero()
        {
            ledger.record(|| CostFact::Tokens {
                kind,
                tokens: tokens.get(kind),
                rate,
                usd: cost.get(kind),
                rule: cite(&rates.source, rates.confidence),
            });
        }
    }
    if let Some(price) = output.per_image_usd {
        let usd = mul(volumes.images, price)?;
        cost.set(
            TokenKind::ImageOutput,
            add(cost.get(TokenKind::ImageOutput), usd)?,
        );
        let rule = image.output;
        ledger.record(|| CostFact::Images {
            images: volumes.images,
            price,
            usd,
            rule: cite(&rule.source, rule.confidence),
        });
    }
    Ok(cost)
}

/// A text model's monthly cost by kind, at its rates (`tokens` holds its tokens only, in the
/// text-model kinds).
pub(super) fn text_model(
    tokens: &Tally,
    text: &TextModelRates<'_>,
    role: TextRole,
    ledger: &mut Ledger<'_, '_>,
) -> Result<Tally, PricingError> {
    let mut cost = Tally::default();
    for &kind in TokenKind::ALL {
        if let Some(rate) = text.rate(kind) {
            cost.set(kind, per_million(tokens.get(kind), rate)?);
        }
    }
    let rates = text.tiers;
    let fields = || {
        (
            text.id.to_owned(),
            tokens.get(TokenKind::MainlineInput),
            tokens.get(TokenKind::MainlineCachedInput),
            tokens.get(TokenKind::MainlineOutput),
            text.rates,
            cost.mainline(),
            cite(&rates.source, rates.confidence),
        )
    };
    if role.field == SVG_AUTHOR.field {
        ledger.record(|| {
            let (model, input, cached_input, output, rates, usd, rule) = fields();
            CostFact::SvgAuthor {
                model,
                input,
                cached_input,
                output,
                rates,
                usd,
                rule,
            }
        });
    } else {
        ledger.record(|| {
            let (model, input, cached_input, output, rates, usd, rule) = fields();
            CostFact::Mainline {
                model,
                input,
                cached_input,
                output,
                rates,
                usd,
                rule,
            }
        });
    }
    Ok(cost)
}

/// The monthly total (at most [`decimal::MAX_USD`]) and the cost per accepted image.
pub(super) fn totals(
    cost: &Tally,
    volumes: &Volumes,
    ledger: &mut Ledger<'_, '_>,
) -> Result<Totals, PricingError> {
    let monthly_usd = cost.checked_total().ok_or_else(|| overflow("a sum"))?;
    if monthly_usd > decimal::MAX_USD {
        return Err(overflow_usd());
    }
    let accepted = volumes.accepted;
    let per_accepted_image_usd = if accepted.is_zero() {
        None
    } else {
        monthly_usd.checked_div(accepted)
    };
    ledger.record(|| CostFact::Monthly { usd: monthly_usd });
    if let Some(usd) = per_accepted_image_usd {
        ledger.record(|| CostFact::PerAcceptedImage {
            monthly: monthly_usd,
            accepted,
            usd,
        });
    }
    Ok(Totals {
        monthly_usd,
        per_accepted_image_usd,
    })
}
