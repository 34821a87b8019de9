//! Text of `imgcost explain`: each fact of a workflow's projection as a numbered step with its
//! arithmetic, its result and the source of the rate-card rule it applies. The projection's
//! trace holds the facts, typed; the words and the layout are this file's alone.

use std::fmt::Write as _;

use crate::foundation::decimal::format_plain as plain;
use crate::model::{Endpoint, OutputFormat};
use crate::pricing::ratecard::{Shutdown, Sourced, TextRates};
use crate::pricing::{CostFact, Fact, InputFact, ModelFact, OutputFact, VolumeFact};
use crate::render::human::usd;
use crate::run::Explanation;

/// Renders an explanation for a terminal or a code review.
#[must_use]
pub fn render(explanation: &Explanation<'_>) -> String {
    let entry = explanation.entry;
    let card = explanation.card;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  ({}:{}:{})",
        entry.workflow.id,
        entry.file.path(),
        entry.line,
        entry.column
    );
    let _ = writeln!(
        out,
        "rate card {} ({}, {}), effective from {}, checked {}\n",
        card.id, card.provider, card.currency, card.effective_from, card.checked
    );
    for (index, fact) in explanation.facts.iter().enumerate() {
        let step = step(fact);
        let _ = writeln!(out, "{:>3}. {}: {}", index + 1, step.label, step.arithmetic);
        if !step.result.is_empty() {
            let _ = writeln!(out, "     = {}", step.result);
        }
        if let Some(rule) = step.rule {
            let _ = writeln!(out, "     source ({}): {}", rule.confidence, rule.source);
        }
    }
    for (role, shutdown) in shutdowns(explanation) {
        if let Some(lifecycle) = shutdown.lifecycle {
            let replacements: Vec<&str> = shutdown.replacements().collect();
            let replacement = if replacements.is_empty() {
                String::new()
            } else {
                format!(", replacement: {}", replacements.join(" or "))
            };
            let _ = writeln!(
                out,
                "\n{role}{} shuts down on {}{replacement}\n     source ({}): {}",
                shutdown.id, shutdown.day, lifecycle.confidence, lifecycle.source
            );
        }
    }
    match &explanation.outcome {
        Ok(projection) => {
            let per_image = projection
                .per_accepted_image_usd
                .map_or_else(|| "-".to_owned(), |v| usd(v, 4));
            let _ = writeln!(
                out,
                "\nmonthly {} · per accepted image {} · confidence {}",
                usd(projection.monthly_usd, 2),
                per_image,
                projection.confidence
            );
            if let Some(budget) = entry.budget_usd() {
                let _ = writeln!(out, "budget {} (budget.monthly_usd)", usd(budget, 2));
            }
        }
        Err(error) => {
            let _ = writeln!(
                out,
                "\ncannot price: {} [{}]",
                error.message, error.rule.code
            );
            if let Some(help) = &error.help {
                let _ = writeln!(out, "help: {help}");
            }
        }
    }
    out
}

/// The shutdowns the card records for the models the workflow calls: its image model, the
/// mainline model of a `responses` workflow, the model that writes an SVG.
fn shutdowns<'a>(explanation: &Explanation<'a>) -> Vec<(&'static str, Shutdown<'a>)> {
    let spec = &explanation.entry.workflow.spec;
    let card = explanation.card;
    let mainline = spec
        .mainline
        .as_ref()
        .filter(|_| spec.endpoint == Endpoint::Responses)
        .and_then(|m| card.text_shutdown(&m.model));
    let author = spec
        .svg
        .as_ref()
        .filter(|_| spec.request.output_format == Some(OutputFormat::Svg))
        .and_then(|a| card.text_shutdown(&a.model));
    card.image_shutdown(&spec.model)
        .map(|s| ("model ", s))
        .into_iter()
        .chain(mainline.map(|s| ("mainline model ", s)))
        .chain(author.map(|s| ("svg author ", s)))
        .collect()
}

/// One numbered step: what was computed, how, to what, and on what authority.
struct Step<'a> {
    label: String,
    arithmetic: String,
    /// Empty for a step that states a rule rather than computing a figure.
    result: String,
    /// The rate-card rule the step applies.
    rule: Option<&'a Sourced>,
}

impl<'a> Step<'a> {
    fn new(label: impl Into<String>, arithmetic: String, result: impl ToString) -> Self {
        Self {
            label: label.into(),
            arithmetic,
            result: result.to_string(),
            rule: None,
        }
    }

    fn citing(mut self, rule: &'a Sourced) -> Self {
        self.rule = Some(rule);
        self
    }
}

fn step(fact: &Fact) -> Step<'_> {
    match fact {
        Fact::Model(fact) => model_step(fact),
        Fact::Output(fact) => output_step(fact),
        Fact::Input(fact) => input_step(fact),
        Fact::Volume(fact) => volume_step(fact),
        Fact::Cost(fact) => cost_step(fact),
    }
}

fn model_step(fact: &ModelFact) -> Step<'_> {
    match fact {
        ModelFact::Rates {
            requested,
            model,
            tier,
            endpoint,
            rule,
        } => {
            let alias = if requested == model {
                String::new()
            } else {
                format!(" (alias of {model})")
            };
            let arithmetic = format!("{requested}{alias}, {} tier, {endpoint}", tier.as_str());
            Step::new("model", arithmetic, model).citing(rule)
        }
        ModelFact::Record {
            rule,
            model,
            period,
            number,
            of,
        } => Step::new(
            "dated record",
            format!("{model}'s {rule}: record {number} of {of}, in force {period}"),
            "",
        ),
        ModelFact::AutoQuality { quality, rule } => Step::new(
            "quality",
            "auto, budgeted at the card's assumption".to_owned(),
            quality,
        )
        .citing(rule),
        ModelFact::AutoQualityBilled { quality, rule } => Step::new(
            "quality",
            format!("auto (or none): the API bills it as {quality}"),
            quality,
        )
        .citing(rule),
        ModelFact::AutoQualityMeasured {
            measured,
            shape,
            rule,
        } => Step::new(
            "quality",
            format!(
                "auto (or none): the model picks its own; budgeted at the measured {} tokens at {}, scaled as {shape}",
                measured.tokens, measured.size
            ),
            "auto",
        )
        .citing(rule),
        ModelFact::Complexity { complexity, rule } => Step::new(
            "complexity",
            format!("{complexity}, at no extra charge"),
            "$0",
        )
        .citing(rule),
        ModelFact::GifSheet {
            frames,
            default_frames,
            grid,
            frame,
            sheet,
            rule,
        } => {
            let default = if *default_frames {
                " (the default frame count)"
            } else {
                ""
            };
            Step::new(
                "gif sheet",
                format!(
                    "{frames} frames{default} of {frame} on a {}x{} grid, priced as one image",
                    grid.columns, grid.rows
                ),
                sheet,
            )
            .citing(rule)
        }
        ModelFact::AutoFrame { frames, frame, rule } => Step::new(
            "frame size",
            format!("auto with {frames} frames: the largest square frame the sheet allows"),
            frame,
        )
        .citing(rule),
        ModelFact::AutoSize {
            endpoint,
            size,
            rule,
        } => Step::new(
            "size",
            format!("auto on {endpoint}, budgeted at the card's assumption"),
            size,
        )
        .citing(rule),
    }
}

fn output_step(fact: &OutputFact) -> Step<'_> {
    match fact {
        OutputFact::Calculator {
            n,
            base,
            cells,
            pixels,
            quality,
            tokens,
            rule,
        } => Step::new(
            "output tokens per call",
            format!(
                "ceil({n} × {base} × {cells} × (2000000 + {pixels}) / 4000000)   [base {base} for {quality}; short-axis cells {cells}]"
            ),
            plain(*tokens),
        )
        .citing(rule),
        OutputFact::Measured {
            n,
            measured,
            base,
            size,
            tokens,
            rule,
        } => Step::new(
            "output tokens per call",
            format!(
                "ceil({n} × {} × N({size}) / N({}))   [measured {} at {}; N = {base} × cells × (2000000 + pixels)]",
                measured.tokens, measured.size, measured.tokens, measured.size
            ),
            plain(*tokens),
        )
        .citing(rule),
        OutputFact::Estimated {
            calculated,
            factor,
            tokens,
            rule,
        } => {
            let product = format!("{} × {}", plain(*calculated), plain(*factor));
            let arithmetic = if tokens.fract().is_zero() && *tokens == *calculated * *factor {
                product
            } else {
                format!("ceil({product})")
            };
            Step::new("estimated output tokens", arithmetic, plain(*tokens)).citing(rule)
        }
        OutputFact::Table {
            n,
            per_image,
            quality,
            size,
            tokens,
            rule,
        } => Step::new(
            "output tokens per call",
            format!("{n} × {per_image}   [table: {quality} at {size}]"),
            plain(*tokens),
        )
        .citing(rule),
        OutputFact::PricePerImage {
            quality,
            size,
            tier,
            usd,
            rule,
        } => Step::new(
            "price per image",
            format!("{quality} at {size}, {} tier", tier.as_str()),
            dollars(*usd),
        )
        .citing(rule),
        OutputFact::PartialImages {
            n,
            partial_images,
            tokens_each,
            tokens,
            rule,
        } => Step::new(
            "partial image tokens per call",
            format!("{n} × {partial_images} × {tokens_each}"),
            plain(*tokens),
        )
        .citing(rule),
    }
}

fn input_step(fact: &InputFact) -> Step<'_> {
    match fact {
        InputFact::TextPerInputImage {
            tokens_each,
            images,
            tokens,
            rule,
        } => Step::new(
            "text tokens added per input image",
            format!("{tokens_each} × {}", plain(*images)),
            plain(*tokens),
        )
        .citing(rule),
        InputFact::Image {
            per_request,
            tokens_each,
            size,
            tokens,
            rule,
        } => Step::new(
            "input image tokens",
            format!(
                "{} × {} tokens for {size}",
                plain(*per_request),
                plain(*tokens_each)
            ),
            plain(*tokens),
        )
        .citing(rule),
        InputFact::BilledPerImage { n, rule } => Step::new(
            "input billed per generated image",
            format!("text and image input × n = {n}"),
            "",
        )
        .citing(rule),
        InputFact::TextPerCall {
            prompt,
            per_input_image,
            multiplier,
            tokens,
        } => Step::new(
            "text input tokens per call",
            format!(
                "({} + {}) × {}",
                plain(*prompt),
                plain(*per_input_image),
                plain(*multiplier)
            ),
            plain(*tokens),
        ),
        InputFact::ImagePerCall { tokens } => Step::new(
            "image input tokens per call",
            "sum of the input images above, × n where billed per image".to_owned(),
            plain(*tokens),
        ),
        InputFact::CachedShare {
            fraction,
            endpoint,
            rule,
        } => Step::new(
            "cached share of input",
            format!("{} of input tokens on {endpoint}", plain(*fraction)),
            plain(*fraction),
        )
        .citing(rule),
    }
}

fn volume_step(fact: &VolumeFact) -> Step<'_> {
    match fact {
        VolumeFact::Attempts {
            requests,
            retry_rate,
            attempts,
        } => Step::new(
            "attempts per month",
            format!("{} × (1 + {})", plain(*requests), plain(*retry_rate)),
            plain(*attempts),
        ),
        VolumeFact::Images {
            attempts,
            n,
            images,
        } => Step::new(
            "images generated",
            format!("{} × {n}", plain(*attempts)),
            plain(*images),
        ),
        VolumeFact::Accepted {
            requests,
            n,
            accepted_fraction,
            accepted,
        } => Step::new(
            "images accepted",
            format!("{} × {n} × {}", plain(*requests), plain(*accepted_fraction)),
            plain(*accepted),
        ),
    }
}

fn cost_step(fact: &CostFact) -> Step<'_> {
    match fact {
        CostFact::Tokens {
            kind,
            tokens,
            rate,
            usd,
            rule,
        } => Step::new(
            format!("{} cost", kind.label()),
            format!("{} tokens × ${} / 1M", plain(*tokens), plain(*rate)),
            dollars(*usd),
        )
        .citing(rule),
        CostFact::Images {
            images,
            price,
            usd,
            rule,
        } => Step::new(
            "image output cost",
            format!("{} images × ${}", plain(*images), plain(*price)),
            dollars(*usd),
        )
        .citing(rule),
        CostFact::Mainline {
            model,
            input,
            cached_input,
            output,
            rates,
            usd,
            rule,
        } => text_model_step(
            "mainline model cost",
            model,
            [*input, *cached_input, *output],
            rates,
            *usd,
        )
        .citing(rule),
        CostFact::SvgAuthor {
            model,
            input,
            cached_input,
            output,
            rates,
            usd,
            rule,
        } => text_model_step(
            "svg author cost",
            model,
            [*input, *cached_input, *output],
            rates,
            *usd,
        )
        .citing(rule),
        CostFact::Monthly { usd } => Step::new(
            "monthly cost",
            "sum of the costs above".to_owned(),
            dollars(*usd),
        ),
        CostFact::PerAcceptedImage {
            monthly,
            accepted,
            usd,
        } => Step::new(
            "per accepted image",
            format!("${} / {}", plain(*monthly), plain(*accepted)),
            dollars(*usd),
        ),
    }
}

/// A text model's cost (the mainline model, or the model that writes an SVG): its input, cached
/// input and output tokens, each at its rate per 1M.
fn text_model_step<'a>(
    label: &'static str,
    model: &str,
    [input, cached_input, output]: [rust_decimal::Decimal; 3],
    rates: &TextRates,
    usd: rust_decimal::Decimal,
) -> Step<'a> {
    Step::new(
        label,
        format!(
            "{model}: {} input × ${} + {} cached × ${} + {} output × ${} (per 1M)",
            plain(input),
            plain(rates.input.0),
            plain(cached_input),
            plain(rates.cached_input.0),
            plain(output),
            plain(rates.output.0)
        ),
        dollars(usd),
    )
}

/// An exact amount of money, unrounded: `$0.1360348`.
fn dollars(usd: rust_decimal::Decimal) -> String {
    format!("${}", plain(usd))
}
