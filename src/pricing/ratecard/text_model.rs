//! A text model of a rate card: the `mainline` model of a `responses` workflow, or the model
//! that writes an SVG (`svg:`). Its rates may be dated records ([`Dated`]).

use std::sync::Arc;

use serde::Deserialize;

use super::{Confidence, Dateable, Dated, Lifecycle, Money, Period};
use crate::foundation::Date;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextModel {
    #[serde(default)]
    pub aliases: Vec<String>,
    pub released: Option<Date>,
    pub shutdown: Option<Date>,
    /// A text model of the card recommended instead, named by IC102/IC103.
    pub replacement: Option<String>,
    pub lifecycle: Option<Lifecycle>,
    pub rates: Dated<TextRateTiers>,
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
    pub effective_from: Option<Date>,
    pub effective_until: Option<Date>,
    pub standard: TextRates,
    pub batch: Option<TextRates>,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

impl Dateable for TextRateTiers {
    fn period(&self) -> Period {
        Period {
            from: self.effective_from,
            until: self.effective_until,
        }
    }
}
