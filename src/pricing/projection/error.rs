//! Why a workflow could not be priced ([`PricingError`]), and the checked arithmetic every stage
//! of the projection uses: an overflow is an IC108 finding, never a panic.

use rust_decimal::Decimal;

use crate::foundation::{Rule, decimal};
use crate::rules;

/// Why a workflow could not be priced: the rule to report, the field to point at (a path inside
/// the workflow, such as `request/size`), and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingError {
    pub rule: &'static Rule,
    pub field: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl PricingError {
    pub(crate) fn new(
        rule: &'static Rule,
        field: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            field,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

pub(super) fn overflow(what: &str) -> PricingError {
    PricingError::new(
        &rules::IC108,
        "volume",
        format!(
            "the projection of {what} exceeds exact decimal arithmetic (28 significant digits)"
        ),
    )
    .help("check `requests_per_month` and the other volumes for a typo")
}

pub(super) fn overflow_usd() -> PricingError {
    PricingError::new(
        &rules::IC108,
        "volume",
        format!(
            "the projected monthly cost exceeds {}, the largest amount imgcost reports",
            decimal::format_usd(decimal::MAX_USD, 0)
        ),
    )
    .help("check `requests_per_month` and the other volumes for a typo")
}

pub(super) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, PricingError> {
    a.checked_mul(b).ok_or_else(|| overflow("a product"))
}

pub(super) fn add(a: Decimal, b: Decimal) -> Result<Decimal, PricingError> {
    a.checked_add(b).ok_or_else(|| overflow("a sum"))
}

/// The cost of `tokens` at `rate` USD per 1M tokens.
pub(super) fn per_million(tokens: Decimal, rate: Decimal) -> Result<Decimal, PricingError> {
    mul(tokens, rate)?
        .checked_div(Decimal::from(1_000_000))
        .ok_or_else(|| overflow("a cost"))
}
