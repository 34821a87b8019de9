//! Stage 1 of a projection, the rates: which model of the card prices the workflow, which of its
//! dated records are in force on the as-of date, at which tier's rates, for which quality and
//! size (resolving `auto` to the card's assumptions, and a GIF's frames to the sheet they are
//! drawn on), and the rates of the text models it also pays for. Errors: IC101 unknown model,
//! IC104 size not accepted, IC105 quality not supported, IC107 no Batch (or a model the Batch
//! API does not serve), no record in force, or no `size: auto` assumption.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::error::PricingError;
use super::trace::{Ledger, ModelFact, cite};
use super::{Tier, TokenKind};
use crate::foundation::Date;
use crate::model::{Dimensions, Mainline, OutputFormat, Quality, Size, WorkflowSpec};
use crate::pricing::ratecard::{
    AutoAssumptions, AutoQualityRule, Dateable, Dated, GifRule, ImageModel, MeasuredOutput,
    OutputSpec, RateCard, Sheet, SizeRuleKind, TextModel, TextRateTiers, TextRates, TokenRateTiers,
    TokenRates,
};
use crate::rules;

/// The image model that prices a workflow, its records in force, and its rates for the tier.
#[derive(Debug, Clone, Copy)]
pub(super) struct ImageRates<'card> {
    /// The canonical model id (aliases resolved).
    pub id: &'card Arc<str>,
    pub model: &'card ImageModel,
    pub tier: Tier,
    pub rates: TokenRates,
    /// The rates record in force (with its source and confidence).
    pub tiers: &'card TokenRateTiers,
    /// The output rule in force.
    pub output: &'card OutputSpec,
}

impl ImageRates<'_> {
    /// USD per 1M tokens of a kind the image model bills (`None` for the kinds it does not:
    /// text output, and the text models').
    pub fn rate(&self, kind: TokenKind) -> Option<Decimal> {
        let rates = &self.rates;
        match kind {
            TokenKind::TextInput => Some(rates.text_input.0),
            TokenKind::CachedTextInput => Some(rates.cached_text_input.0),
            TokenKind::ImageInput => Some(rates.image_input.0),
            TokenKind::CachedImageInput => Some(rates.cached_image_input.0),
            TokenKind::ImageOutput => Some(rates.image_output.0),
            TokenKind::TextOutput
            | TokenKind::MainlineInput
            | TokenKind::MainlineCachedInput
            | TokenKind::MainlineOutput => None,
        }
    }
}

/// The quality, size and count priced, after `auto` was resolved.
#[derive(Debug, Clone, Copy)]
pub(super) struct Priced {
    /// The quality whose rule prices the request (for a measured `auto`, the one whose shape
    /// scales the measurement).
    pub quality: Quality,
    /// The size the request asks for (a GIF's: one frame).
    pub size: Dimensions,
    pub n: u32,
    /// `quality: auto` was budgeted at this quality.
    pub auto_quality: Option<Quality>,
    /// How the card prices `quality: auto`, when it was used.
    pub auto_rule: Option<AutoQualityRule>,
    /// `quality: auto` is budgeted at this measured count (scaled to the size).
    pub measured: Option<MeasuredOutput>,
    /// `size: auto` was budgeted at this size.
    pub auto_size: Option<Dimensions>,
    /// GIF output: the sheet its frames are drawn on, which is what is priced.
    pub sheet: Option<Dimensions>,
}

impl Priced {
    /// The size whose output is counted: a GIF's sheet, else the request's size.
    pub const fn billed_size(&self) -> Dimensions {
        match self.sheet {
            Some(sheet) => sheet,
            None => self.size,
        }
    }
}

/// The record of a dated rule in force on the as-of date, and its place among the records.
#[derive(Debug, Clone, Copy)]
pub(super) struct InForce<'card, T> {
    pub record: &'card T,
    number: usize,
    of: usize,
    dated: bool,
}

impl<'card, T: Dateable> InForce<'card, T> {
    /// Records which record applied, when the rule is dated.
    pub fn note(&self, what: &'static str, id: &str, ledger: &mut Ledger<'card, '_>) {
        if self.dated {
            ledger.record(|| ModelFact::Record {
                rule: what,
                model: id.to_owned(),
                period: self.record.period(),
                number: self.number,
                of: self.of,
            });
        }
    }
}

/// A dated rule's record in force on `as_of` (IC107 at `field` when none is).
pub(super) fn in_force<'card, T: Dateable>(
    dated: &'card Dated<T>,
    what: &str,
    id: &str,
    card: &RateCard,
    as_of: Date,
    field: &'static str,
) -> Result<InForce<'card, T>, PricingError> {
    let records = dated.records();
    let Some((index, record)) = records
        .iter()
        .enumerate()
        .find(|(_, record)| record.period().contains(as_of))
    else {
        let periods: Vec<String> = records.iter().map(|r| r.period().to_string()).collect();
        return Err(PricingError::new(
            &rules::IC107,
            field,
            format!(
                "rate card {} has no {what} for {id} in force on {as_of} (its records: {})",
                card.id,
                periods.join("; ")
            ),
        )
        .help("choose another `--as-of`, or a card whose records cover the date"));
    };
    Ok(InForce {
        record,
        number: index + 1,
        of: records.len(),
        dated: dated.is_dated(),
    })
}

/// The image model of the workflow, its records in force, and its rates for the tier (IC101,
/// IC107).
pub(super) fn image_model<'card>(
    spec: &WorkflowSpec,
    card: &'card RateCard,
    as_of: Date,
    ledger: &mut Ledger<'card, '_>,
) -> Result<ImageRates<'card>, PricingError> {
    let (id, model) = card.image_model_shared(&spec.model).ok_or_else(|| {
        let error = PricingError::new(
            &rules::IC101,
            "model",
            format!("unknown model `{}` (rate card {})", spec.model, card.id),
        );
        match card.suggest_image_model(&spec.model) {
            Some(best) => error.help(format!(
                "did you mean `{best}`? `imgcost ratecard list` shows every model"
            )),
            None => error.help("`imgcost ratecard list` shows every model the rate card prices"),
        }
    })?;
    let record = in_force(&model.rates, "rates", id, card, as_of, "model")?;
    let tiers = record.record;
    ledger.lean_on("rates", &tiers.source, tiers.confidence);
    let tier = if spec.batch {
        Tier::Batch
    } else {
        Tier::Standard
    };
    let rates = match tier {
        Tier::Standard => tiers.standard,
        Tier::Batch => batch_rates(tiers, model, id, card)?,
    };
    ledger.record(|| ModelFact::Rates {
        requested: spec.model.clone(),
        model: id.to_string(),
        tier,
        endpoint: spec.endpoint,
        rule: cite(&tiers.source, tiers.confidence),
    });
    record.note("rates", id, ledger);
    let output = in_force(&model.output, "output rule", id, card, as_of, "model")?;
    output.note("output rule", id, ledger);
    let output = output.record;
    Ok(ImageRates {
        id,
        model,
        tier,
        rates,
        tiers,
        output,
    })
}

/// The Batch rates of a rates record (IC107: none, or a model the Batch API does not serve).
fn batch_rates(
    tiers: &TokenRateTiers,
    model: &ImageModel,
    id: &str,
    card: &RateCard,
) -> Result<TokenRates, PricingError> {
    if let Some(rule) = &model.no_batch {
        // The API rejects the request: a validity error, never a standard price.
        return Err(PricingError::new(
            &rules::IC107,
            "batch",
            format!(
                "{id} is not offered through the Batch API, which rejects the request; it is not priced at any rate (rate card {}: {} [{}])",
                card.id, rule.source, rule.confidence
            ),
        )
        .help("set `batch: false`, or use a model the Batch API serves (`imgcost ratecard show MODEL`)"));
    }
    tiers.batch.ok_or_else(|| {
        PricingError::new(
            &rules::IC107,
            "batch",
            format!("rate card {} has no Batch rates for {id}", card.id),
        )
        .help("set `batch: false`, or use a model with Batch rates (`imgcost ratecard show MODEL`)")
    })
}

/// The quality and size priced: the request's own, or the card's assumption for `auto`; for
/// GIF output, the sheet its frames are drawn on (IC104, IC105, IC107).
pub(super) fn request<'card>(
    spec: &WorkflowSpec,
    card: &RateCard,
    as_of: Date,
    image: &ImageRates<'card>,
    ledger: &mut Ledger<'card, '_>,
) -> Result<Priced, PricingError> {
    let ImageRates { id, model, .. } = *image;
    let uses_auto = spec.request.quality == Quality::Auto || spec.request.size == Size::Auto;
    let auto = if uses_auto {
        let auto = in_force(&model.auto, "auto", id, card, as_of, "request")?;
        auto.note("auto", id, ledger);
        Some(auto.record)
    } else {
        None
    };
    let mut priced = Priced {
        quality: spec.request.quality,
        size: Dimensions::new(0, 0),
        n: spec.request.n,
        auto_quality: None,
        auto_rule: None,
        measured: None,
        auto_size: None,
        sheet: None,
    };
    match (spec.request.quality, auto) {
        (Quality::Auto, Some(auto)) => auto_quality(auto, &mut priced, ledger),
        (quality, _) if model.qualities.contains(&quality) => {}
        (quality, _) => {
            let supported: Vec<&str> = model.qualities.iter().map(|q| q.as_str()).collect();
            return Err(PricingError::new(
                &rules::IC105,
                "request/quality",
                format!("{id} does not support quality `{quality}`"),
            )
            .help(format!("use one of: {}", supported.join(", "))));
        }
    }
    if let Some(complexity) = spec.request.complexity
        && let Some(rule) = &model.complexity
    {
        ledger.lean_on("complexity", &rule.source, rule.confidence);
        ledger.record(|| ModelFact::Complexity {
            complexity,
            rule: cite(&rule.source, rule.confidence),
        });
    }
    // Frames the card cannot price are refused, never priced as one still image (frames on
    // another format are IC106's).
    if spec.request.frames.is_some()
        && spec.request.output_format == Some(OutputFormat::Gif)
        && model.gif.is_none()
    {
        return Err(PricingError::new(
            &rules::IC107,
            "request/frames",
            format!(
                "the rate card has no GIF rule for {}: it cannot price animated frames",
                image.id
            ),
        )
        .help("remove `frames`, or use a model whose card prices GIF output (`imgcost ratecard show MODEL`)"));
    }
    let gif = model
        .gif
        .as_ref()
        .filter(|_| spec.request.output_format == Some(OutputFormat::Gif));
    if let Some(gif) = gif {
        gif_sheet(spec, gif, image, &mut priced, ledger)?;
        return Ok(priced);
    }
    priced.size = match spec.request.size {
        Size::Auto => {
            let size = auto.and_then(|auto| auto.size_for(spec.endpoint).map(|size| (auto, size)));
            let (auto, size) = size.ok_or_else(|| {
                PricingError::new(
                    &rules::IC107,
                    "request/size",
                    format!(
                        "rate card {} has no `size: auto` assumption for {id} on {}",
                        card.id, spec.endpoint
                    ),
                )
                .help("write the size explicitly")
            })?;
            ledger.lean_on("auto size", &auto.source, auto.confidence);
            ledger.record(|| ModelFact::AutoSize {
                endpoint: spec.endpoint,
                size,
                rule: cite(&auto.source, auto.confidence),
            });
            priced.auto_size = Some(size);
            size
        }
        Size::Exact(size) => {
            if let Some(reason) = model.sizes.rejects(size) {
                return Err(PricingError::new(
                    &rules::IC104,
                    "request/size",
                    format!("{id} does not accept size {size}: {reason}"),
                )
                .help(size_help(model)));
            }
            size
        }
    };
    Ok(priced)
}

/// `quality: auto` by the card's rule: a worst-case budget, the quality the API bills, or a
/// measured count.
fn auto_quality<'card>(
    auto: &'card AutoAssumptions,
    priced: &mut Priced,
    ledger: &mut Ledger<'card, '_>,
) {
    ledger.lean_on("auto quality", &auto.source, auto.confidence);
    let rule = cite(&auto.source, auto.confidence);
    match (auto.quality_rule, auto.measured) {
        (AutoQualityRule::Measured, Some(measured)) => {
            ledger.record(|| ModelFact::AutoQualityMeasured {
                measured,
                shape: auto.quality,
                rule,
            });
            priced.measured = Some(measured);
        }
        (AutoQualityRule::Billed, _) => ledger.record(|| ModelFact::AutoQualityBilled {
            quality: auto.quality,
            rule,
        }),
        _ => ledger.record(|| ModelFact::AutoQuality {
            quality: auto.quality,
            rule,
        }),
    }
    priced.quality = auto.quality;
    priced.auto_quality = Some(auto.quality);
    priced.auto_rule = Some(auto.quality_rule);
}

/// GIF output: the frame count, the sheet's grid and size, checked against the model's size
/// rule (IC104); `size: auto` is the largest square frame the sheet allows.
fn gif_sheet<'card>(
    spec: &WorkflowSpec,
    gif: &'card GifRule,
    image: &ImageRates<'card>,
    priced: &mut Priced,
    ledger: &mut Ledger<'card, '_>,
) -> Result<(), PricingError> {
    let ImageRates { id, model, .. } = *image;
    ledger.lean_on("gif sheet", &gif.source, gif.confidence);
    let frames = spec.request.frames.unwrap_or(gif.default_frames);
    let grid = gif.sheet(frames).ok_or_else(|| {
        let most = gif.sheets.last().map_or(0, |s| s.up_to);
        PricingError::new(
            &rules::IC104,
            "request/frames",
            format!("{id} draws at most {most} GIF frames on a sheet, not {frames}"),
        )
        .help(format!("use at most {most} frames"))
    })?;
    let multiple = model.sizes.multiple_of.unwrap_or(1);
    let frame = match spec.request.size {
        Size::Exact(frame) => frame,
        Size::Auto => {
            let frame = largest_square_frame(model, grid).ok_or_else(|| {
                PricingError::new(
                    &rules::IC104,
                    "request/frames",
                    format!("no frame size fits a {frames}-frame sheet on {id}"),
                )
            })?;
            ledger.record(|| ModelFact::AutoFrame {
                frames,
                frame,
                rule: cite(&gif.source, gif.confidence),
            });
            priced.auto_size = Some(frame);
            frame
        }
    };
    let rejected = |reason: String| {
        PricingError::new(
            &rules::IC104,
            "request/size",
            format!("{id} does not accept {frames} GIF frames of {frame}: {reason}"),
        )
        .help(largest_square_frame(model, grid).map_or_else(
            || "use fewer frames".to_owned(),
            |cap| {
                format!(
                    "with {frames} frames, a square frame may be at most {cap}; or use fewer frames"
                )
            },
        ))
    };
    if !frame.width.is_multiple_of(multiple) || !frame.height.is_multiple_of(multiple) {
        return Err(rejected(format!(
            "both edges of a frame must be multiples of {multiple}"
        )));
    }
    let sheet = grid
        .size(frame)
        .ok_or_else(|| rejected("the sheet is too large".to_owned()))?;
    if let Some(reason) = model.sizes.rejects(sheet) {
        return Err(rejected(format!(
            "the frames are drawn on one {}x{} sheet of {sheet}, and {reason}",
            grid.columns, grid.rows
        )));
    }
    ledger.record(|| ModelFact::GifSheet {
        frames,
        default_frames: spec.request.frames.is_none(),
        grid,
        frame,
        sheet,
        rule: cite(&gif.source, gif.confidence),
    });
    priced.size = frame;
    priced.sheet = Some(sheet);
    Ok(())
}

/// The largest square frame, in steps of the size rule's multiple, whose sheet the size rule
/// accepts.
fn largest_square_frame(model: &ImageModel, grid: Sheet) -> Option<Dimensions> {
    let multiple = model.sizes.multiple_of.unwrap_or(1).max(1);
    let cells = grid.columns.max(grid.rows).max(1);
    let longest = model.sizes.max_edge.unwrap_or(u32::MAX) / cells;
    let mut edge = longest - longest % multiple;
    while edge >= multiple {
        let frame = Dimensions::new(edge, edge);
        if grid
            .size(frame)
            .is_some_and(|sheet| model.sizes.rejects(sheet).is_none())
        {
            return Some(frame);
        }
        edge -= multiple;
    }
    None
}

/// A text model the workflow also pays for (the mainline model of a `responses` workflow, the
/// model that writes an SVG), its rates record in force and its rates for the tier.
#[derive(Debug, Clone, Copy)]
pub(super) struct TextModelRates<'card> {
    /// The canonical model id (aliases resolved).
    pub id: &'card str,
    pub tiers: &'card TextRateTiers,
    pub rates: TextRates,
}

impl TextModelRates<'_> {
    /// USD per 1M tokens of a kind a text model bills (`None` for the image model's).
    pub fn rate(&self, kind: TokenKind) -> Option<Decimal> {
        match kind {
            TokenKind::MainlineInput => Some(self.rates.input.0),
            TokenKind::MainlineCachedInput => Some(self.rates.cached_input.0),
            TokenKind::MainlineOutput => Some(self.rates.output.0),
            _ => None,
        }
    }
}

/// Which text model a workflow names, for messages and the trace.
#[derive(Debug, Clone, Copy)]
pub(super) struct TextRole {
    /// `mainline` or `svg`: the field that names it.
    pub field: &'static str,
    /// `mainline/model` or `svg/model`.
    pub model_field: &'static str,
    /// The name of its rates in the trace.
    pub rates: &'static str,
}

pub(super) const MAINLINE: TextRole = TextRole {
    field: "mainline",
    model_field: "mainline/model",
    rates: "mainline rates",
};

pub(super) const SVG_AUTHOR: TextRole = TextRole {
    field: "svg",
    model_field: "svg/model",
    rates: "svg author rates",
};

/// A text model the workflow names, and its rates for the tier on the as-of date (IC101,
/// IC107).
pub(super) fn text_model<'card>(
    named: &Mainline,
    role: TextRole,
    card: &'card RateCard,
    tier: Tier,
    as_of: Date,
    ledger: &mut Ledger<'card, '_>,
) -> Result<TextModelRates<'card>, PricingError> {
    let (id, model): (&str, &TextModel) = card.text_model(&named.model).ok_or_else(|| {
        let error = PricingError::new(
            &rules::IC101,
            role.model_field,
            format!(
                "unknown text model `{}` (rate card {})",
                named.model, card.id
            ),
        );
        match card.suggest_text_model(&named.model) {
            Some(best) => error.help(format!("did you mean `{best}`?")),
            None => error.help("`imgcost ratecard list` shows the text models the card prices"),
        }
    })?;
    let record = in_force(&model.rates, role.rates, id, card, as_of, role.model_field)?;
    record.note(role.rates, id, ledger);
    let tiers = record.record;
    let rates = match tier {
        Tier::Standard => tiers.standard,
        Tier::Batch => tiers.batch.ok_or_else(|| {
            PricingError::new(
                &rules::IC107,
                "batch",
                format!("rate card {} has no Batch rates for {id}", card.id),
            )
        })?,
    };
    Ok(TextModelRates { id, tiers, rates })
}

/// What IC104 suggests instead of a size the model does not price.
pub(super) fn size_help(model: &ImageModel) -> String {
    match model.sizes.rule {
        SizeRuleKind::Fixed => {
            let allowed: Vec<String> = model
                .sizes
                .allowed
                .iter()
                .map(ToString::to_string)
                .collect();
            format!("use one of {} (or `auto`)", allowed.join(", "))
        }
        SizeRuleKind::Custom => {
            "use a size such as 1024x1024, 1536x1024 or 2048x2048 (or `auto`)".to_owned()
        }
    }
}
