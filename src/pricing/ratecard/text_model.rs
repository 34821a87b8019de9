//! A text model of a rate card: the `mainline` model of a `responses` workflow.

use std::sync::Arc;

use serde::Deserialize;

use super::{Confidence, Money};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextModel {
    #[serde(default)]
    pub aliases: Vec<String>,
    pub rates: TextRateTiers,
}

/// Text token prices of a tier, USD per 1M tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextRates {
    pub input: Money,
    pub cached_input: Money,
    pub output: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextRateTiers {
    pub standard: TextRates,
    pub batch: Option<TextRates>,
    pub source: Arc<str>,
    pub confidence: Confidence,
}
