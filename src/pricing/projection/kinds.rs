//! The kinds of token a workflow is billed for, named once. [`TokenKind`] gives each kind its
//! name in reports (`cached_text_input`) and its label in `explain` (`cached text input`).
//! A [`Tally`] holds one amount per kind (tokens, or their cost) while the stages add them up;
//! the projection keeps a [`ByKind`], which stores only the kinds that have an amount.

use std::sync::LazyLock;

use rust_decimal::Decimal;
use strum::{EnumCount, VariantArray};

/// A kind of billed token. Declared in listing order (the image model's input, then its output,
/// then the text models': mainline and SVG author together), the order in which a projection sums the kinds and
/// `quote` lists them; [`TokenKind::in_report_order`] gives the JSON report's order (by name).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::Display,
    strum::IntoStaticStr,
    strum::EnumString,
    VariantArray,
    EnumCount,
)]
#[strum(serialize_all = "snake_case")]
pub enum TokenKind {
    TextInput,
    CachedTextInput,
    ImageInput,
    CachedImageInput,
    ImageOutput,
    TextOutput,
    MainlineInput,
    MainlineCachedInput,
    MainlineOutput,
}

impl TokenKind {
    /// Every kind, in listing order.
    pub const ALL: &'static [Self] = Self::VARIANTS;

    /// The kind's name in reports: `cached_text_input`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The kind as `explain` words it: `cached text input`.
    #[must_use]
    pub fn label(self) -> String {
        self.as_str().replace('_', " ")
    }

    /// Billed for a text model rather than the image model: the mainline model of a
    /// `responses` workflow, or the model that writes an SVG.
    #[must_use]
    pub const fn is_mainline(self) -> bool {
        matches!(
            self,
            Self::MainlineInput | Self::MainlineCachedInput | Self::MainlineOutput
        )
    }

    /// Sent rather than received: what a change of prompt or reference images moves.
    #[must_use]
    pub const fn is_input(self) -> bool {
        !matches!(
            self,
            Self::ImageOutput | Self::TextOutput | Self::MainlineOutput
        )
    }

    /// Every kind sorted by name: the order of the kinds in the JSON report and in
    /// `quote --format json`, whose objects list their fields alphabetically.
    #[must_use]
    pub fn in_report_order() -> &'static [Self; Self::COUNT] {
        static BY_NAME: LazyLock<[TokenKind; TokenKind::COUNT]> = LazyLock::new(|| {
            let mut kinds = TokenKind::listed();
            kinds.sort_unstable_by_key(|kind| kind.as_str());
            kinds
        });
        &BY_NAME
    }

    /// The kind's bit in a [`ByKind`]'s mask.
    const fn bit(self) -> u16 {
        1 << self as u16
    }

    /// Every kind, in listing order, as an array.
    fn listed() -> [Self; Self::COUNT] {
        std::array::from_fn(|index| Self::VARIANTS[index])
    }
}

/// Monthly amounts by kind of token (also used for their costs), as a [`Projection`] keeps them
/// for the rest of the run; [`ByKind::get`] reads one by its kind.
///
/// Only the kinds with a nonzero amount are stored, in listing order, with a bit mask of which
/// they are. Most workflows pay for two or three of the nine kinds (an `images.generate`
/// workflow for text input and image output), and a run of 50 000 workflows keeps two tables
/// each: nine decimals in full (144 bytes a table) were a fifth of such a run's memory. A zero
/// is not stored, so it reads back as `0` whatever its scale (`0.00`): every reader shows an
/// amount normalized or rounded to fixed places, where the scale of a zero never shows.
///
/// [`Projection`]: super::Projection
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ByKind {
    /// Bit `kind as u16` is set when `amounts` holds an amount of `kind`.
    present: u16,
    /// The amounts of the kinds in `present`, in listing order (exactly as many as its bits).
    amounts: Box<[Decimal]>,
}

impl ByKind {
    /// The amount of one kind (zero when it has none).
    #[must_use]
    pub fn get(&self, kind: TokenKind) -> Decimal {
        let bit = kind.bit();
        if self.present & bit == 0 {
            return Decimal::ZERO;
        }
        // The kinds before this one that have an amount: its place in `amounts`.
        let index = (self.present & (bit - 1)).count_ones() as usize;
        self.amounts[index]
    }

    /// Every kind with its amount, in listing order.
    #[must_use]
    pub fn by_kind(&self) -> [(TokenKind, Decimal); TokenKind::COUNT] {
        TokenKind::listed().map(|kind| (kind, self.get(kind)))
    }

    /// The kinds' report names with their amounts, in listing order (`text_input` first).
    #[must_use]
    pub fn entries(&self) -> [(&'static str, Decimal); TokenKind::COUNT] {
        TokenKind::listed().map(|kind| (kind.as_str(), self.get(kind)))
    }

    /// The kinds' report names with their amounts, in the JSON report's order (by name).
    #[must_use]
    pub fn report_entries(&self) -> [(&'static str, Decimal); TokenKind::COUNT] {
        TokenKind::in_report_order().map(|kind| (kind.as_str(), self.get(kind)))
    }

    /// The cost of the mainline model alone.
    #[must_use]
    pub fn mainline(&self) -> Decimal {
        mainline(|kind| self.get(kind))
    }
}

/// Kept from a tally once the projection is done: its nonzero amounts only.
impl From<&Tally> for ByKind {
    fn from(tally: &Tally) -> Self {
        let nonzero = || {
            TokenKind::ALL
                .iter()
                .map(|kind| (*kind, tally.get(*kind)))
                .filter(|(_, amount)| !amount.is_zero())
        };
        // Sized exactly: collecting a filtered iterator would leave spare room in every table.
        let mut amounts = Vec::with_capacity(nonzero().count());
        let mut present = 0;
        for (kind, amount) in nonzero() {
            present |= kind.bit();
            amounts.push(amount);
        }
        Self {
            present,
            amounts: amounts.into_boxed_slice(),
        }
    }
}

/// Monthly amounts by kind of token (or their cost) while a projection adds them up: every kind
/// in full, exactly as the stages computed it, so that the sums (and the figures derived from
/// them) are those of docs/cost-model.md to the last digit. The projection keeps a [`ByKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Tally([Decimal; TokenKind::COUNT]);

impl Tally {
    /// The amount of one kind.
    pub(super) const fn get(&self, kind: TokenKind) -> Decimal {
        self.0[kind as usize]
    }

    /// Sets the amount of one kind.
    pub(super) const fn set(&mut self, kind: TokenKind, amount: Decimal) {
        self.0[kind as usize] = amount;
    }

    /// A tally of the given kinds (the others zero).
    pub(super) fn of<const N: usize>(amounts: [(TokenKind, Decimal); N]) -> Self {
        let mut tally = Self::default();
        for (kind, amount) in amounts {
            tally.set(kind, amount);
        }
        tally
    }

    /// The sum of every kind, in listing order; `None` when it exceeds exact decimal arithmetic.
    pub(super) fn checked_total(&self) -> Option<Decimal> {
        self.0
            .iter()
            .try_fold(Decimal::ZERO, |sum, amount| sum.checked_add(*amount))
    }

    /// The cost of the mainline model alone.
    pub(super) fn mainline(&self) -> Decimal {
        mainline(|kind| self.get(kind))
    }

    /// Adds `other` to `self`, kind by kind; `None` (and `self` partly added) on overflow.
    #[must_use]
    pub(super) fn checked_add_assign(&mut self, other: &Self) -> Option<()> {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine = mine.checked_add(theirs)?;
        }
        Some(())
    }
}

/// The mainline kinds summed, in the order the reports always added them. Unchecked, and it
/// cannot overflow: each cost is a checked product divided by a million (`per_million`), so
/// at most `Decimal::MAX / 10^6`, and three of them add up to far less than `Decimal::MAX`
/// (`money` sums a tally's before its checked total).
fn mainline(get: impl Fn(TokenKind) -> Decimal) -> Decimal {
    get(TokenKind::MainlineInput)
        + get(TokenKind::MainlineCachedInput)
        + get(TokenKind::MainlineOutput)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kept table reads every kind as the tally had it, zeros included, and stores only the
    /// nonzero ones.
    #[test]
    fn a_kept_table_reads_as_its_tally() {
        let mut tally = Tally::default();
        let amounts = [
            (TokenKind::TextInput, "1500.5"),
            (TokenKind::CachedTextInput, "0.00"),
            (TokenKind::ImageOutput, "7024"),
            (TokenKind::MainlineOutput, "3"),
        ];
        for (kind, amount) in amounts {
            tally.set(kind, amount.parse().expect("a decimal"));
        }
        let kept = ByKind::from(&tally);
        for kind in TokenKind::ALL {
            assert_eq!(kept.get(*kind), tally.get(*kind), "{kind}");
        }
        let stored: Vec<String> = kept.amounts.iter().map(Decimal::to_string).collect();
        assert_eq!(stored, ["1500.5", "7024", "3"]);
        assert_eq!(kept.present, 0b1_0001_0001);
        assert_eq!(kept.mainline(), Decimal::from(3));
        assert_eq!(ByKind::from(&Tally::default()), ByKind::default());
    }

    /// Every kind has its own place in a tally and its own bit in a kept table.
    #[test]
    fn each_kind_has_its_own_place() {
        let mut tally = Tally::default();
        for (index, kind) in TokenKind::ALL.iter().enumerate() {
            tally.set(*kind, Decimal::from(index + 1));
        }
        let kept = ByKind::from(&tally);
        for (index, kind) in TokenKind::ALL.iter().enumerate() {
            assert_eq!(kept.get(*kind), Decimal::from(index + 1));
        }
        assert_eq!(tally.checked_total(), Some(Decimal::from(45)));
        assert_eq!(kept.amounts.len(), TokenKind::COUNT);
    }

    #[test]
    fn names_labels_and_orders() {
        let names: Vec<&str> = ByKind::default().entries().map(|(name, _)| name).to_vec();
        assert_eq!(
            names,
            [
                "text_input",
                "cached_text_input",
                "image_input",
                "cached_image_input",
                "image_output",
                "text_output",
                "mainline_input",
                "mainline_cached_input",
                "mainline_output",
            ]
        );
        let by_name: Vec<&str> = ByKind::default()
            .report_entries()
            .map(|(name, _)| name)
            .to_vec();
        assert_eq!(
            by_name,
            [
                "cached_image_input",
                "cached_text_input",
                "image_input",
                "image_output",
                "mainline_cached_input",
                "mainline_input",
                "mainline_output",
                "text_input",
                "text_output",
            ]
        );
        assert_eq!(TokenKind::CachedImageInput.label(), "cached image input");
        assert_eq!(
            "mainline_cached_input".parse::<TokenKind>(),
            Ok(TokenKind::MainlineCachedInput)
        );
        let inputs: Vec<&str> = TokenKind::ALL
            .iter()
            .filter(|kind| kind.is_input())
            .map(|kind| kind.as_str())
            .collect();
        assert_eq!(
            inputs,
            [
                "text_input",
                "cached_text_input",
                "image_input",
                "cached_image_input",
                "mainline_input",
                "mainline_cached_input",
            ]
        );
    }
}
