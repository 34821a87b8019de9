//! When models stop working: a model's shutdown record ([`Lifecycle`], beside its `shutdown`
//! date and `replacement`) and the card's notice policy ([`NoticePolicy`]), which decides how
//! early IC103 warns.

use std::sync::Arc;

use serde::Deserialize;

use super::Confidence;
use crate::foundation::Date;

/// Where a model's shutdown date and replacements come from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// The day the shutdown was announced; IC103 does not warn before it.
    pub announced: Option<Date>,
    /// Other replacements the sources name besides `replacement`, priced by this card or not
    /// (IC102 and IC103 say which).
    #[serde(default)]
    pub also_named: Vec<String>,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

/// How far ahead the provider announces shutdowns, and so from when IC103 warns.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticePolicy {
    /// The provider's stated minimum notice, in its words.
    pub minimum: Arc<str>,
    /// Warn only this many days before a shutdown; without it, IC103 warns from the day a
    /// shutdown is announced.
    pub horizon_days: Option<u32>,
    pub source: Arc<str>,
    pub confidence: Confidence,
}

/// IC103's horizon on a card without a notice policy.
pub const LEGACY_NOTICE_DAYS: i64 = 90;

impl NoticePolicy {
    /// Whether IC103 warns on `as_of` about a shutdown on `shutdown` announced on `announced`
    /// (with `policy`, the card's; `None` for a card that has none).
    #[must_use]
    pub fn warns(
        policy: Option<&Self>,
        as_of: Date,
        shutdown: Date,
        announced: Option<Date>,
    ) -> bool {
        if shutdown <= as_of || announced.is_some_and(|day| as_of < day) {
            return false;
        }
        let horizon = match policy {
            None => Some(LEGACY_NOTICE_DAYS),
            Some(policy) => policy.horizon_days.map(i64::from),
        };
        horizon.is_none_or(|days| as_of.days_until(shutdown) <= days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().expect("a date")
    }

    #[test]
    fn without_a_policy_ic103_keeps_its_90_day_horizon() {
        let shutdown = day("2026-12-10");
        assert!(NoticePolicy::warns(None, day("2026-09-11"), shutdown, None));
        assert!(!NoticePolicy::warns(
            None,
            day("2026-09-10"),
            shutdown,
            None
        ));
        assert!(!NoticePolicy::warns(None, shutdown, shutdown, None));
    }

    #[test]
    fn a_policy_without_horizon_warns_from_the_announcement() {
        let policy = NoticePolicy {
            minimum: Arc::from("at least 3 months"),
            horizon_days: None,
            source: Arc::from("test"),
            confidence: Confidence::Medium,
        };
        let (shutdown, announced) = (day("2026-12-10"), Some(day("2026-06-11")));
        assert!(!NoticePolicy::warns(
            Some(&policy),
            day("2026-06-10"),
            shutdown,
            announced
        ));
        assert!(NoticePolicy::warns(
            Some(&policy),
            day("2026-06-11"),
            shutdown,
            announced
        ));
        assert!(NoticePolicy::warns(
            Some(&policy),
            day("2026-12-09"),
            shutdown,
            announced
        ));
        assert!(!NoticePolicy::warns(
            Some(&policy),
            day("2026-12-10"),
            shutdown,
            announced
        ));
        assert!(NoticePolicy::warns(
            Some(&policy),
            day("2020-01-01"),
            shutdown,
            None
        ));
    }
}
