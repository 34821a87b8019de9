//! `imgcost quote`: the tokens and price of one request, through the same projection as every
//! workflow (a workflow of one request a month, no retries, every image kept).

use rust_decimal::Decimal;

use crate::foundation::Date;
use crate::model::{
    Complexity, Endpoint, Inputs, Latency, Mainline, OutputFormat, Quality, Request, Size, Volume,
    WorkflowSpec,
};
use crate::pricing::{PricingError, Projection, RateCard, project};
use crate::rules;

/// What to quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRequest {
    pub model: String,
    pub endpoint: Endpoint,
    pub size: Size,
    /// `auto` when the request sends none.
    pub quality: Quality,
    pub n: u32,
    pub batch: bool,
    pub prompt_tokens: Decimal,
    pub output_format: Option<OutputFormat>,
    /// GIF frames (2–16).
    pub frames: Option<u32>,
    pub complexity: Option<Complexity>,
    /// The text model that writes an SVG, and its tokens.
    pub svg: Option<Mainline>,
}

/// Prices one request on the as-of date (which of the card's dated records apply).
///
/// # Errors
/// The same pricing errors as a workflow (unknown model, size not accepted, …), and IC106 for
/// a combination the API rejects (frames without gif output, `complexity` on a model that does
/// not take it, an SVG author without svg output).
pub fn quote(
    card: &RateCard,
    request: &QuoteRequest,
    as_of: Date,
) -> Result<Projection, PricingError> {
    rejected(card, request)?;
    let spec = WorkflowSpec {
        has_description: false,
        has_owner: false,
        has_labels: false,
        endpoint: request.endpoint,
        model: request.model.clone(),
        batch: request.batch,
        latency: Latency::Interactive,
        request: Request {
            size: request.size,
            quality: request.quality,
            n: request.n,
            output_format: request.output_format,
            frames: request.frames,
            complexity: request.complexity,
            ..Request::default()
        },
        volume: Volume {
            requests_per_month: Decimal::ONE,
            retry_rate: Decimal::ZERO,
            accepted_fraction: Decimal::ONE,
        },
        inputs: Inputs {
            prompt_tokens: request.prompt_tokens,
            ..Inputs::default()
        },
        mainline: None,
        svg: request.svg.clone().map(Box::new),
        budget: None,
        attribution: None,
    };
    project(&spec, card, as_of, None)
}

/// The combinations of the quote's new fields that `check` reports as IC106 (a quote runs no
/// rule but the projection's).
fn rejected(card: &RateCard, request: &QuoteRequest) -> Result<(), PricingError> {
    let format = request.output_format;
    if request.frames.is_some() && format != Some(OutputFormat::Gif) {
        return Err(PricingError::new(
            &rules::IC106,
            "request/frames",
            "`--frames` applies to gif output only",
        )
        .help("add `--output-format gif`"));
    }
    if request.svg.is_some() && format != Some(OutputFormat::Svg) {
        return Err(PricingError::new(
            &rules::IC106,
            "svg",
            "an SVG author applies to svg output only",
        )
        .help("add `--output-format svg`"));
    }
    if let Some((id, model)) = card.image_model(&request.model) {
        if let Some(format) = format.filter(|f| !model.formats.contains(f)) {
            return Err(PricingError::new(
                &rules::IC106,
                "request/output_format",
                format!("{id} does not produce {format}"),
            ));
        }
        if request.complexity.is_some() && model.complexity.is_none() {
            return Err(PricingError::new(
                &rules::IC106,
                "request/complexity",
                format!("{id} does not take `complexity`"),
            ));
        }
    }
    Ok(())
}
