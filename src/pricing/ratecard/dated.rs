//! Dated records of a rate-card rule: a price or rule written once, or as a list of records
//! each in force over a period (`effective_from` and `effective_until`, both inclusive, either
//! open), so that `--as-of` moves across a price change without a whole new card
//! (docs/ratecards.md). A projection uses the record in force on its as-of date and `explain`
//! says which one that was.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::foundation::Date;

/// The days a record is in force: from `from` through `until`, both inclusive; `None` is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Period {
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl Period {
    #[must_use]
    pub fn contains(self, day: Date) -> bool {
        self.from.is_none_or(|from| from <= day) && self.until.is_none_or(|until| day <= until)
    }

    /// Whether the record is in force on every day.
    #[must_use]
    pub const fn is_always(self) -> bool {
        self.from.is_none() && self.until.is_none()
    }

    /// Whether every day of `self` comes before every day of `later`.
    #[must_use]
    pub fn ends_before(self, later: Self) -> bool {
        matches!((self.until, later.from), (Some(until), Some(from)) if until < from)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.until) {
            (None, None) => f.write_str("always"),
            (Some(from), None) => write!(f, "from {from}"),
            (None, Some(until)) => write!(f, "through {until}"),
            (Some(from), Some(until)) => write!(f, "from {from} through {until}"),
        }
    }
}

/// A rule that can be dated: it says over which days it is in force.
pub trait Dateable {
    fn period(&self) -> Period;
}

/// A rule of a card: one record, or dated records in date order (the card's consistency check
/// refuses records that overlap or are out of order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dated<T> {
    One(T),
    Records(Vec<T>),
}

impl<T: Dateable> Dated<T> {
    /// The record in force on `day`, if any.
    #[must_use]
    pub fn at(&self, day: Date) -> Option<&T> {
        self.records()
            .iter()
            .find(|record| record.period().contains(day))
    }

    /// Every record, in the order written.
    #[must_use]
    pub fn records(&self) -> &[T] {
        match self {
            Self::One(record) => std::slice::from_ref(record),
            Self::Records(records) => records,
        }
    }

    /// Whether the rule depends on the date: several records, or one with a bound.
    #[must_use]
    pub fn is_dated(&self) -> bool {
        match self {
            Self::One(record) => !record.period().is_always(),
            Self::Records(_) => true,
        }
    }

    /// Why the records cannot be read as one timeline (a record that ends before it starts, or
    /// that starts before the previous one ends), by the index of the record at fault.
    #[must_use]
    pub fn disorder(&self) -> Option<(usize, String)> {
        let records = self.records();
        for (index, record) in records.iter().enumerate() {
            let period = record.period();
            if let (Some(from), Some(until)) = (period.from, period.until)
                && until < from
            {
                return Some((
                    index,
                    format!("`effective_until` {until} is before `effective_from` {from}"),
                ));
            }
            if index > 0 && !records[index - 1].period().ends_before(period) {
                return Some((
                    index,
                    format!(
                        "record {} ({period}) does not start after record {} ({}) ends: dated records must be in date order and must not overlap",
                        index + 1,
                        index,
                        records[index - 1].period()
                    ),
                ));
            }
        }
        None
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Dated<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DatedVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for DatedVisitor<T> {
            type Value = Dated<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping, or a list of dated mappings")
            }

            // The mapping's values are read by the card's own deserializer (no buffering), so
            // prices keep their exact decimal text.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Dated::One)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::<T>::deserialize(SeqAccessDeserializer::new(seq)).map(Dated::Records)
            }
        }

        deserializer.deserialize_any(DatedVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Record(Period);

    impl Dateable for Record {
        fn period(&self) -> Period {
            self.0
        }
    }

    fn day(text: &str) -> Date {
        text.parse().expect("a date")
    }

    fn period(from: Option<&str>, until: Option<&str>) -> Period {
        Period {
            from: from.map(day),
            until: until.map(day),
        }
    }

    #[test]
    fn the_record_in_force_is_found_with_both_ends_inclusive() {
        let dated = Dated::Records(vec![
            Record(period(None, Some("2026-08-20"))),
            Record(period(Some("2026-08-21"), Some("2026-11-21"))),
            Record(period(Some("2026-11-22"), None)),
        ]);
        assert_eq!(dated.disorder(), None);
        assert!(dated.is_dated());
        for (on, index) in [
            ("2026-01-01", 0),
            ("2026-08-20", 0),
            ("2026-08-21", 1),
            ("2026-11-21", 1),
            ("2026-11-22", 2),
            ("2027-06-01", 2),
        ] {
            let found = dated.at(day(on)).expect("a record");
            assert_eq!(found, &dated.records()[index], "{on}");
        }
    }

    #[test]
    fn a_gap_has_no_record_and_disorder_is_named() {
        let gap = Dated::Records(vec![
            Record(period(None, Some("2026-01-31"))),
            Record(period(Some("2026-03-01"), None)),
        ]);
        assert_eq!(gap.at(day("2026-02-10")), None);
        assert_eq!(gap.disorder(), None);
        let overlapping = Dated::Records(vec![
            Record(period(None, Some("2026-03-01"))),
            Record(period(Some("2026-03-01"), None)),
        ]);
        assert_eq!(overlapping.disorder().map(|(i, _)| i), Some(1));
        let backwards = Dated::One(Record(period(Some("2026-03-02"), Some("2026-03-01"))));
        assert_eq!(backwards.disorder().map(|(i, _)| i), Some(0));
        assert!(!Dated::One(Record(Period::default())).is_dated());
        assert_eq!(
            period(Some("2026-08-21"), Some("2026-11-21")).to_string(),
            "from 2026-08-21 through 2026-11-21"
        );
    }
}
