//! `imgcost quote`: the tokens and price of one request, through the same projection as every
//! workflow (a workflow of one request a month, no retries, every image kept).

use rust_decimal::Decimal;

use crate::model::{Endpoint, Inputs, Latency, Quality, Request, Size, Volume, WorkflowSpec};

use crate::pricing::{PricingError, Projection, RateCard, project};

/// What to quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRequest {
    pub model: String,
    pub endpoint: Endpoint,
    pub size: Size,
    pub quality: Quality,
    pub n: u32,
    pub batch: bool,
    pub prompt_tokens: Decimal,
}

/// Prices one request.
///
/// # Errors
/// The same pricing errors as a workflow (unknown model, size not accepted, …).
pub fn quote(card: &RateCard, request: &QuoteRequest) -> Result<Projection, PricingError> {
    let spec = WorkflowSpec {
        description: None,
        owner: None,
        labels: Vec::new(),
        endpoint: request.endpoint,
        model: request.model.clone(),
        batch: request.batch,
        latency: Latency::Interactive,
        request: Request {
            size: request.size,
            quality: request.quality,
            n: request.n,
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
        budget: None,
        attribution: None,
    };
    project(&spec, card, None)
}
