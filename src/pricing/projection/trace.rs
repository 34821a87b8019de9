//! What a projection found, as typed facts: the numbers as decimals, the rate-card rule each
//! step applied with its source and confidence, the assumptions made. `explain` asks for them
//! (a [`Trace`]) and `render::explain` only formats them; `check` passes no trace and pays
//! nothing for it. The facts come in the order the stages established them, one enum per stage.

use std::sync::{Arc, LazyLock};

use rust_decimal::Decimal;

use super::{Tier, TokenKind};
use crate::model::{Dimensions, Endpoint, Quality};
use crate::pricing::ratecard::{Confidence, Sourced, TextRates};

/// Collects the facts when the caller wants them (`explain`); `None` costs nothing.
pub type Trace<'a> = Option<&'a mut Vec<Fact>>;

/// One fact a projection established, by the stage that established it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    Model(ModelFact),
    Output(OutputFact),
    Input(InputFact),
    Volume(VolumeFact),
    Cost(CostFact),
}

/// The model, tier, quality and size priced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelFact {
    /// The model as written, the canonical id it resolved to, and whose rates apply.
    Rates {
        requested: String,
        model: String,
        tier: Tier,
        endpoint: Endpoint,
        rule: Sourced,
    },
    /// `quality: auto`, budgeted at the card's assumption.
    AutoQuality { quality: Quality, rule: Sourced },
    /// `size: auto`, budgeted at the card's assumption for the endpoint.
    AutoSize {
        endpoint: Endpoint,
        size: Dimensions,
        rule: Sourced,
    },
}

/// Image output tokens (or the price per image) of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFact {
    /// OpenAI's calculator: `ceil(n × base × cells × (2000000 + pixels) / 4000000)`.
    Calculator {
        n: u32,
        base: u32,
        cells: u64,
        pixels: u64,
        quality: Quality,
        tokens: Decimal,
        rule: Sourced,
    },
    /// The calculator's count scaled by the card's estimated factor for the quality.
    Estimated {
        calculated: Decimal,
        factor: Decimal,
        tokens: Decimal,
        rule: Sourced,
    },
    /// `n` × the card's token count for the quality and size.
    Table {
        n: u32,
        per_image: u64,
        quality: Quality,
        size: Dimensions,
        tokens: Decimal,
        rule: Sourced,
    },
    /// A per-image-priced model's price for the quality, size and tier.
    PricePerImage {
        quality: Quality,
        size: Dimensions,
        tier: Tier,
        usd: Decimal,
        rule: Sourced,
    },
    /// `n` × partial images × tokens per partial image.
    PartialImages {
        n: u32,
        partial_images: u32,
        tokens_each: u32,
        tokens: Decimal,
        rule: Sourced,
    },
}

/// Text and image input tokens of one call, and the cached share of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputFact {
    /// Text tokens the API adds for each input image.
    TextPerInputImage {
        tokens_each: u32,
        images: Decimal,
        tokens: Decimal,
        rule: Sourced,
    },
    /// One input image: how many a call carries × its tokens.
    Image {
        per_request: Decimal,
        tokens_each: Decimal,
        size: Dimensions,
        tokens: Decimal,
        rule: Sourced,
    },
    /// Text and image input are billed once per generated image (× n).
    BilledPerImage { n: u32, rule: Sourced },
    /// `(prompt + text per input image) × multiplier` (n where billed per image, else 1).
    TextPerCall {
        prompt: Decimal,
        per_input_image: Decimal,
        multiplier: Decimal,
        tokens: Decimal,
    },
    /// The input images' tokens together, × n where billed per image.
    ImagePerCall { tokens: Decimal },
    /// The share of input tokens billed at cached rates.
    CachedShare {
        fraction: Decimal,
        endpoint: Endpoint,
        rule: Sourced,
    },
}

/// Monthly volumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeFact {
    /// `requests × (1 + retry rate)`.
    Attempts {
        requests: Decimal,
        retry_rate: Decimal,
        attempts: Decimal,
    },
    /// `attempts × n`.
    Images {
        attempts: Decimal,
        n: u32,
        images: Decimal,
    },
    /// `requests × n × accepted fraction`.
    Accepted {
        requests: Decimal,
        n: u32,
        accepted_fraction: Decimal,
        accepted: Decimal,
    },
}

/// Monthly costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CostFact {
    /// Tokens of one kind at the model's rate (USD per 1M tokens).
    Tokens {
        kind: TokenKind,
        tokens: Decimal,
        rate: Decimal,
        usd: Decimal,
        rule: Sourced,
    },
    /// Images at a per-image price.
    Images {
        images: Decimal,
        price: Decimal,
        usd: Decimal,
        rule: Sourced,
    },
    /// The mainline text model: its input, cached input and output tokens at its rates.
    Mainline {
        model: String,
        input: Decimal,
        cached_input: Decimal,
        output: Decimal,
        rates: TextRates,
        usd: Decimal,
        rule: Sourced,
    },
    /// The sum of the costs.
    Monthly { usd: Decimal },
    /// The monthly cost over the accepted images.
    PerAcceptedImage {
        monthly: Decimal,
        accepted: Decimal,
        usd: Decimal,
    },
}

macro_rules! into_fact {
    ($($stage:ident => $variant:ident),* $(,)?) => {$(
        impl From<$stage> for Fact {
            fn from(fact: $stage) -> Self {
                Self::$variant(fact)
            }
        }
    )*};
}

into_fact!(
    ModelFact => Model,
    OutputFact => Output,
    InputFact => Input,
    VolumeFact => Volume,
    CostFact => Cost,
);

/// A rule of the card, as a fact cites it.
pub(super) fn cite(source: &Arc<str>, confidence: Confidence) -> Sourced {
    Sourced {
        source: Arc::clone(source),
        confidence,
    }
}

/// Where no rule of the card decides: a calculator size where the rounding rules disagree.
static CALCULATOR_TIE: LazyLock<Arc<str>> = LazyLock::new(|| {
    Arc::from(
        "the calculator and the exact rounding rules disagree at this size; billing there is unverified",
    )
});

/// What the stages pass along: the rules the projection leans on (its confidence is that of
/// the weakest) and, when the caller asked for it, the trace.
pub(super) struct Ledger<'card, 'trace> {
    trace: Trace<'trace>,
    leaned_on: Vec<(&'static str, &'card Arc<str>, Confidence)>,
}

impl<'card, 'trace> Ledger<'card, 'trace> {
    pub(super) fn new(trace: Trace<'trace>) -> Self {
        Self {
            trace,
            // Room for every rule a projection can lean on.
            leaned_on: Vec::with_capacity(12),
        }
    }

    /// Records a fact when there is a trace (the fact is only built then).
    pub(super) fn record<F: Into<Fact>>(&mut self, fact: impl FnOnce() -> F) {
        if let Some(facts) = self.trace.as_deref_mut() {
            facts.push(fact().into());
        }
    }

    /// Notes that the projection rests on a rule (`what`) of the given source and confidence.
    pub(super) fn lean_on(
        &mut self,
        what: &'static str,
        source: &'card Arc<str>,
        confidence: Confidence,
    ) {
        self.leaned_on.push((what, source, confidence));
    }

    /// Notes that the size is a calculator tie, where billing is unverified.
    pub(super) fn lean_on_calculator_tie(&mut self) {
        self.lean_on("calculator tie", &CALCULATOR_TIE, Confidence::Low);
    }

    /// The projection's confidence (that of its weakest rule) and the rules of that confidence
    /// with their sources, in the order they were leaned on.
    pub(super) fn weakest(self) -> (Confidence, Vec<(&'static str, Arc<str>)>) {
        let floor = self
            .leaned_on
            .iter()
            .map(|(_, _, level)| *level)
            .min()
            .unwrap_or(Confidence::High);
        let weakest = self
            .leaned_on
            .into_iter()
            .filter(|(_, _, level)| *level == floor)
            .map(|(what, source, _)| (what, Arc::clone(source)))
            .collect();
        (floor, weakest)
    }
}
