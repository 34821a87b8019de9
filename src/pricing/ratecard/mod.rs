//! Rate cards: dated prices and the token rules of every model, each with a source and a
//! confidence (docs/cost-model.md). `projection` prices workflows from them.

mod confidence;
mod image_model;
mod money;
mod rate_card;
mod text_model;
pub mod token_rules;

pub use confidence::Confidence;
pub use image_model::{
    AutoAssumptions, CachingRule, EndpointName, ImageModel, InputImageRule, InputImageRuleKind,
    OutputRule, OutputSpec, Parameters, PartialImageRule, PerImagePrices, SizeRule, SizeRuleKind,
    Sourced, TextInputRule, TokenRateTiers, TokenRates,
};
pub use money::Money;
pub use rate_card::RateCard;
pub use text_model::{TextModel, TextRateTiers, TextRates};
