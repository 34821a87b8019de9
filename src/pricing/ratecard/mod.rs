//! Rate cards: dated prices and the token rules of every model, each with a source and a
//! confidence (docs/cost-model.md, docs/ratecards.md). `projection` prices workflows from them.

mod changes;
mod confidence;
mod dated;
mod image_model;
mod lifecycle;
mod money;
mod rate_card;
mod text_model;
pub mod token_rules;

pub use changes::{Change, changes};
pub use confidence::Confidence;
pub use dated::{Dateable, Dated, Period};
pub use image_model::{
    AutoAssumptions, AutoQualityRule, CachingRule, EndpointName, GifRule, ImageModel,
    InputImageRule, InputImageRuleKind, MeasuredOutput, OutputRule, OutputSpec, Parameters,
    PartialImageRule, PerImagePrices, Sheet, SizeRule, SizeRuleKind, Sourced, TextInputRule,
    TokenRateTiers, TokenRates,
};
pub use lifecycle::{LEGACY_NOTICE_DAYS, Lifecycle, NoticePolicy};
pub use money::Money;
pub use rate_card::{RateCard, Shutdown};
pub use text_model::{TextModel, TextRateTiers, TextRates};
