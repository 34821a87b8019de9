//! A price or factor read exactly from a rate card.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

use crate::foundation::decimal;

/// An exact decimal from a rate card (USD per 1M tokens, USD per image, or a factor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub Decimal);

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        decimal::deserialize(deserializer).map(Self)
    }
}
