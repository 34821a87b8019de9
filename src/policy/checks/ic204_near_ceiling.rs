//! The check of IC204: a projection reached the `warn_at` share of a budget or limit.
//!
//! The rule itself (code, severity, documentation) is declared in `crate::rules`.

use super::context::{monthly, per_image, percent};
use crate::foundation::{Diagnostic, Label};
use crate::policy::PolicySet;
use crate::rules::IC204;
use rust_decimal::Decimal;

/// How an amount stands against a ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Over,
    Near,
    Under,
}

/// Compares exactly (docs/cost-model.md): over when strictly above the ceiling; near when at or above
/// `warn_at` × ceiling.
#[must_use]
pub fn standing(amount: Decimal, ceiling: Decimal, warn_at: Option<Decimal>) -> Standing {
    if amount > ceiling {
        Standing::Over
    } else if warn_at
        .and_then(|share| share.checked_mul(ceiling))
        .is_some_and(|threshold| amount >= threshold)
    {
        Standing::Near
    } else {
        Standing::Under
    }
}

/// Whether an amount is over its ceiling or near enough to warn: a clean workflow builds no
/// labels or messages at all.
#[must_use]
pub fn concerns(amount: Decimal, ceiling: Decimal, policies: &PolicySet) -> bool {
    standing(amount, ceiling, policies.warn_at().map(|w| w.value)) != Standing::Under
}

/// What a ceiling is, for messages: "the workflow budget", with the amount's unit.
pub struct Ceiling<'a> {
    pub what: &'a str,
    pub amount: Decimal,
    pub ceiling: Decimal,
    pub per_image: bool,
}

impl Ceiling<'_> {
    pub fn show(&self, value: Decimal) -> String {
        if self.per_image {
            per_image(value)
        } else {
            monthly(value)
        }
    }

    /// "projected $X a month, over the workflow budget of $Y by $Z (N %)"
    pub fn over_message(&self) -> String {
        let unit = if self.per_image {
            " per accepted image"
        } else {
            " a month"
        };
        format!(
            "projected {}{unit}, over {} of {} by {} ({})",
            self.show(self.amount),
            self.what,
            self.show(self.ceiling),
            self.show(self.amount - self.ceiling),
            percent(self.amount - self.ceiling, self.ceiling)
        )
    }
}

/// The IC204 finding for an amount near its ceiling, or `None`.
pub fn near_finding(
    ceiling: &Ceiling<'_>,
    policies: &PolicySet,
    primary: Label,
) -> Option<Diagnostic> {
    let warn_at = policies.warn_at()?;
    if standing(ceiling.amount, ceiling.ceiling, Some(warn_at.value)) != Standing::Near {
        return None;
    }
    let unit = if ceiling.per_image {
        " per accepted image"
    } else {
        " a month"
    };
    Some(
        Diagnostic::new(
            &IC204,
            format!(
                "projected {}{unit} is {} of {} of {}",
                ceiling.show(ceiling.amount),
                percent(ceiling.amount, ceiling.ceiling),
                ceiling.what,
                ceiling.show(ceiling.ceiling)
            ),
            primary,
        )
        .with_related(warn_at.policy.label("/rules/warn_at", format!("policy `{}` warns at {} %", warn_at.policy.name, crate::foundation::decimal::format_plain(warn_at.value * Decimal::ONE_HUNDRED))))
        .with_help("raise the ceiling if the cost is expected, or lower what drives it (quality, size, n, volume)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundation::decimal::dec;

    #[test]
    fn over_is_strict_and_near_is_inclusive() {
        assert_eq!(
            standing(dec("100"), dec("100"), Some(dec("0.9"))),
            Standing::Near
        );
        assert_eq!(
            standing(dec("100.01"), dec("100"), Some(dec("0.9"))),
            Standing::Over
        );
        assert_eq!(
            standing(dec("90"), dec("100"), Some(dec("0.9"))),
            Standing::Near
        );
        assert_eq!(
            standing(dec("89.99"), dec("100"), Some(dec("0.9"))),
            Standing::Under
        );
        assert_eq!(standing(dec("99"), dec("100"), None), Standing::Under);
    }
}
