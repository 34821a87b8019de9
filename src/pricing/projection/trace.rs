//! What a projection found, as typed facts: the numbers as decimals, the rate-card rule each
//! step applied with its source and confidence, the assumptions made. `explain` asks for them
//! (a [`Trace`]) and `render::explain` only formats them; `check` passes no trace and pays
//! nothing for it. The facts come in the order the stages established them, one enum per stage.

use std::sync::{Arc, LazyLock};

use rust_decimal::Decimal;

use super::{Tier, TokenKind};
use crate::model::{Complexity, Dimensions, Endpoint, Quality};
use crate::pricing::ratecard::{Confidence, MeasuredOutput, Period, Sheet, Sourced, TextRates};

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
    /// A dated rule of the card: which of its records applied on the as-of date.
    Record {
        /// The rule (`rates`, `output rule`, `auto`, `mainline rates`, `svg author rates`).
        rule: &'static str,
        /// The model whose rule it is.
        model: String,
        period: Period,
        /// Its place among the rule's records, from 1.
        number: usize,
        of: usize,
    },
    /// `quality: auto`, budgeted at the card's assumption.
    AutoQuality { quality: Quality, rule: Sourced },
    /// `quality: auto` (or none), which the API bills as this quality.
    AutoQualityBilled { quality: Quality, rule: Sourced },
    /// `quality: auto` (or none) on a model that picks its own quality: budgeted at a measured
    /// count, scaled as the calculator scales `shape`.
    AutoQualityMeasured {
        measured: MeasuredOutput,
        shape: Quality,
        rule: Sourced,
    },
    /// `complexity`, accepted at no extra charge.
    Complexity {
        complexity: Complexity,
        rule: Sourced,
    },
    /// `output_format: gif`: the frames are drawn on one sheet, which is priced.
    GifSheet {
        frames: u32,
        /// The frame count is the card's default (the request sets none).
        default_frames: bool,
        grid: Sheet,
        frame: Dimensions,
        sheet: Dimensions,
        rule: Sourced,
    },
    /// `size: auto` on gif output: the largest square frame the sheet allows.
    AutoFrame {
        frames: u32,
        frame: Dimensions,
        rule: Sourced,
    },
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
    /// A measured count for one image at one size, scaled to this size and n by the calculator:
    /// `ceil(n × tokens × N(size) / N(at))` with `N = base × cells × (2000000 + pixels)`.
    Measured {
        n: u32,
        measured: MeasuredOutput,
        base: u32,
        size: Dimensions,
        tokens: Decimal,
        rule: Sourced,
    },
    /// The calculator's count scaled by the card's estimated factor for the quality (rounded
    /// up to a whole token).
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
    /// The text model that writes an SVG: its input, cached input and output tokens at its
    /// rates.
    SvgAuthor {
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

/// The rules of lowest confidence a projection rests on, each with its source: a boxed slice,
/// not a `Vec`, as every workflow of a run keeps one and never adds to it.
pub(super) type Weakest = Box<[(&'static str, Arc<str>)]>;

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
    pub(super) fn weakest(self) -> (Confidence, Weakest) {
        let floor = self
            .leaned_on
            .iter()
            .map(|(_, _, level)| *level)
            .min()
            .unwrap_or(Confidence::High);
        // A new list at its size: collecting from `into_iter` would reuse the ledger's buffer
        // (room for twelve, 384 bytes) in place, and every workflow of the run keeps its list.
        let weakest_of = || {
            self.leaned_on
                .iter()
                .filter(|(_, _, level)| *level == floor)
        };
        let mut weakest = Vec::with_capacity(weakest_of().count());
        weakest.extend(weakest_of().map(|(what, source, _)| (*what, Arc::clone(source))));
        (floor, weakest.into_boxed_slice())
    }
}
