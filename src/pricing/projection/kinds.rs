//! The kinds of token a workflow is billed for, named once. [`TokenKind`] gives each kind its
//! name in reports (`cached_text_input`) and its label in `explain` (`cached text input`);
//! [`ByKind`] holds one amount per kind (tokens, or their cost).

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

    /// Every kind, in listing order, as an array.
    fn listed() -> [Self; Self::COUNT] {
        std::array::from_fn(|index| Self::VARIANTS[index])
    }
}

/// Monthly amounts by kind of token (also used for their costs). The fields are the kinds of
/// [`TokenKind`]; [`ByKind::get`] reads one by its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ByKind {
    pub text_input: Decimal,
    pub cached_text_input: Decimal,
    pub image_input: Decimal,
    pub cached_image_input: Decimal,
    pub image_output: Decimal,
    pub text_output: Decimal,
    pub mainline_input: Decimal,
    pub mainline_cached_input: Decimal,
    pub mainline_output: Decimal,
}

impl ByKind {
    /// The amount of one kind.
    #[must_use]
    pub const fn get(&self, kind: TokenKind) -> Decimal {
        match kind {
            TokenKind::TextInput => self.text_input,
            TokenKind::CachedTextInput => self.cached_text_input,
            TokenKind::ImageInput => self.image_input,
            TokenKind::CachedImageInput => self.cached_image_input,
            TokenKind::ImageOutput => self.image_output,
            TokenKind::TextOutput => self.text_output,
            TokenKind::MainlineInput => self.mainline_input,
            TokenKind::MainlineCachedInput => self.mainline_cached_input,
            TokenKind::MainlineOutput => self.mainline_output,
        }
    }

    /// The amount of one kind, to set it.
    pub const fn get_mut(&mut self, kind: TokenKind) -> &mut Decimal {
        match kind {
            TokenKind::TextInput => &mut self.text_input,
            TokenKind::CachedTextInput => &mut self.cached_text_input,
            TokenKind::ImageInput => &mut self.image_input,
            TokenKind::CachedImageInput => &mut self.cached_image_input,
            TokenKind::ImageOutput => &mut self.image_output,
            TokenKind::TextOutput => &mut self.text_output,
            TokenKind::MainlineInput => &mut self.mainline_input,
            TokenKind::MainlineCachedInput => &mut self.mainline_cached_input,
            TokenKind::MainlineOutput => &mut self.mainline_output,
        }
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

    /// The sum of every kind, in listing order; `None` when it exceeds exact decimal arithmetic.
    #[must_use]
    pub fn checked_total(&self) -> Option<Decimal> {
        TokenKind::listed()
            .into_iter()
            .try_fold(Decimal::ZERO, |sum, kind| sum.checked_add(self.get(kind)))
    }

    /// The cost of the mainline model alone.
    #[must_use]
    pub fn mainline(&self) -> Decimal {
        self.mainline_input + self.mainline_cached_input + self.mainline_output
    }

    /// Adds `other` to `self`, kind by kind; `None` (and `self` partly added) on overflow.
    #[must_use]
    pub fn checked_add_assign(&mut self, other: &Self) -> Option<()> {
        for kind in TokenKind::listed() {
            let sum = self.get(kind).checked_add(other.get(kind))?;
            *self.get_mut(kind) = sum;
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of `ByKind` is one kind, and every kind one field.
    #[test]
    fn each_kind_reads_and_writes_its_own_field() {
        let mut amounts = ByKind::default();
        for (index, kind) in TokenKind::ALL.iter().enumerate() {
            *amounts.get_mut(*kind) = Decimal::from(index + 1);
        }
        // Destructured so that a field added without a kind fails to compile here.
        let ByKind {
            text_input,
            cached_text_input,
            image_input,
            cached_image_input,
            image_output,
            text_output,
            mainline_input,
            mainline_cached_input,
            mainline_output,
        } = amounts;
        let fields = [
            text_input,
            cached_text_input,
            image_input,
            cached_image_input,
            image_output,
            text_output,
            mainline_input,
            mainline_cached_input,
            mainline_output,
        ];
        let expected: Vec<Decimal> = (1..=TokenKind::COUNT).map(Decimal::from).collect();
        assert_eq!(fields.to_vec(), expected);
        for kind in TokenKind::ALL {
            assert_eq!(amounts.get(*kind), *amounts.get_mut(*kind));
        }
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
