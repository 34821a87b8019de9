//! Stage 3, pricing: what a workflow costs.
//!
//! The dated [`RateCard`] (prices, token rules, shutdowns, with sources and confidence), and the
//! one function that prices a workflow from it, [`project`], which every command calls: `check`
//! for every workflow, `explain` with a trace, `quote` for one request. Below: `model`, `input`,
//! `rules`, `foundation`. [`interchange`] writes and reads the price libraries' files.

pub mod api_models;
pub mod interchange;
pub mod projection;
pub mod quote;
pub mod ratecard;

pub use projection::{
    ByKind, CostFact, Fact, InputFact, ModelFact, OutputFact, PricingError, Projection, Tier,
    TokenKind, Trace, VolumeFact, project,
};
pub use quote::{QuoteRequest, quote};
pub use ratecard::{Confidence, RateCard};
