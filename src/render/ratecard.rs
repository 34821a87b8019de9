//! Text of `imgcost ratecard list` and `imgcost ratecard show MODEL`: the figures in force on the
//! as-of date, and every dated record of a rule; and of `imgcost ratecard diff OLD NEW`.

use std::fmt::Write as _;

use crate::foundation::Date;
use crate::foundation::decimal::format_plain;
use crate::foundation::printable;
use crate::pricing::RateCard;
use crate::pricing::ratecard::{
    AutoQualityRule, Dateable, Dated, ImageModel, OutputRule, OutputSpec, SizeRuleKind, TextModel,
    TokenRates,
};
use crate::render::human::table;

/// Lists the built-in cards and the models of the chosen one.
#[must_use]
pub fn list(cards: &[std::sync::Arc<RateCard>], chosen: &RateCard, as_of: Date) -> String {
    let mut out = String::from("Rate cards (built in):\n");
    for card in cards {
        let mark = if card.id == chosen.id { "*" } else { " " };
        let _ = writeln!(
            out,
            " {mark} {}  effective from {}, checked {}",
            card.id, card.effective_from, card.checked
        );
    }
    if !cards.iter().any(|card| card.id == chosen.id) {
        let _ = writeln!(out, " * {}  (from --ratecard)", chosen.id);
    }
    let _ = writeln!(
        out,
        "\nImage models of {} (as of {as_of}; prices USD per 1M image output tokens):\n",
        chosen.id
    );
    let rows: Vec<Vec<String>> = chosen
        .models
        .iter()
        .map(|(id, model)| {
            let rates = model.rates.at(as_of);
            vec![
                shown(id),
                shown(&model.aliases.join(", ")),
                model
                    .output
                    .at(as_of)
                    .map_or("-", OutputSpec::name)
                    .to_owned(),
                rates.map_or_else(
                    || "-".to_owned(),
                    |r| format_plain(r.standard.image_output.0),
                ),
                rates
                    .and_then(|r| r.batch)
                    .map_or_else(|| "-".to_owned(), |b| format_plain(b.image_output.0)),
                status(model.shutdown, as_of),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "model",
            "aliases",
            "output rule",
            "standard",
            "batch",
            "status",
        ],
        &rows,
        &[3, 4],
    ));
    if !chosen.text_models.is_empty() {
        let _ = writeln!(
            out,
            "\nText models (`mainline:` of responses workflows; USD per 1M input / cached / output):\n"
        );
        // A status column only where some text model has a shutdown (cards before 2026-12-01
        // recorded none).
        let with_status = chosen.text_models.values().any(|m| m.shutdown.is_some());
        let rows: Vec<Vec<String>> = chosen
            .text_models
            .iter()
            .map(|(id, model)| {
                let record = model.rates.at(as_of);
                let figure = |value: Option<String>| value.unwrap_or_else(|| "-".to_owned());
                let mut row = vec![
                    shown(id),
                    figure(record.map(|r| format_plain(r.standard.input.0))),
                    figure(record.map(|r| format_plain(r.standard.cached_input.0))),
                    figure(record.map(|r| format_plain(r.standard.output.0))),
                    figure(record.map(|r| r.confidence.to_string())),
                ];
                if with_status {
                    row.push(status(model.shutdown, as_of));
                }
                row
            })
            .collect();
        let mut headers = vec!["model", "input", "cached", "output", "confidence"];
        if with_status {
            headers.push("status");
        }
        out.push_str(&table(&headers, &rows, &[1, 2, 3]));
    }
    out
}

/// A model's status on the as-of date.
fn status(shutdown: Option<Date>, as_of: Date) -> String {
    match shutdown {
        Some(day) if day <= as_of => format!("shut down {day}"),
        Some(day) => format!("shuts down {day}"),
        None => "active".to_owned(),
    }
}

/// Text from a card file, with control characters escaped.
fn shown(text: &str) -> String {
    printable(text).into_owned()
}

/// The lines of a dated rule's records, the one in force on `as_of` marked `*` (none for a rule
/// written once without dates).
fn records<T: Dateable>(dated: &Dated<T>, as_of: Date, line: impl Fn(&T) -> String) -> String {
    let mut out = String::new();
    if dated.is_dated() {
        for record in dated.records() {
            let period = record.period();
            let mark = if period.contains(as_of) { "*" } else { " " };
            let _ = writeln!(out, "  {mark} {period}: {}", line(record));
        }
    }
    out
}

/// Everything the card says about one image model, with the records in force on `as_of`.
#[must_use]
pub fn show(card: &RateCard, id: &str, model: &ImageModel, as_of: Date) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} (rate card {})", shown(id), shown(&card.id));
    if !model.aliases.is_empty() {
        let _ = writeln!(out, "aliases: {}", shown(&model.aliases.join(", ")));
    }
    if let Some(day) = model.released {
        let _ = writeln!(out, "released: {day}");
    }
    if let Some(day) = model.shutdown {
        let _ = writeln!(
            out,
            "shutdown: {day}{}",
            model
                .replacement
                .as_ref()
                .map_or_else(String::new, |r| format!(" (replacement: {})", shown(r)))
        );
    }
    lifecycle(&mut out, model.lifecycle.as_ref());
    let endpoints: Vec<&str> = model.endpoints.iter().map(|e| e.0.as_str()).collect();
    let _ = writeln!(out, "endpoints: {}", endpoints.join(", "));
    let qualities: Vec<&str> = model.qualities.iter().map(|q| q.as_str()).collect();
    let formats: Vec<&str> = model.formats.iter().map(|f| f.as_str()).collect();
    let _ = writeln!(
        out,
        "qualities: {}\nformats: {}",
        qualities.join(", "),
        formats.join(", ")
    );
    match model.rates.at(as_of) {
        Some(tiers) => {
            let _ = writeln!(
                out,
                "\nrates (USD per 1M tokens) [{}]: {}",
                tiers.confidence,
                shown(&tiers.source)
            );
            let _ = writeln!(out, "  standard: {}", rates(&tiers.standard));
            match (&tiers.batch, &model.no_batch) {
                (_, Some(rule)) => {
                    let _ = writeln!(
                        out,
                        "  batch:    not offered (IC107 for batch: true) [{}]: {}",
                        rule.confidence,
                        shown(&rule.source)
                    );
                }
                (Some(batch), None) => {
                    let _ = writeln!(out, "  batch:    {}", rates(batch));
                }
                (None, None) => out.push_str("  batch:    none (IC107 for batch: true)\n"),
            }
        }
        None => {
            let _ = writeln!(out, "\nrates: none in force on {as_of}");
        }
    }
    out.push_str(&records(&model.rates, as_of, |r| {
        let batch = r
            .batch
            .as_ref()
            .map_or_else(String::new, |b| format!("; batch {}", rates(b)));
        format!("standard {}{batch}", rates(&r.standard))
    }));
    match model.output.at(as_of) {
        Some(output) => self::output(&mut out, output),
        None => {
            let _ = writeln!(out, "\noutput: none in force on {as_of}");
        }
    }
    out.push_str(&records(&model.output, as_of, |o| {
        format!("{} [{}]", o.name(), o.confidence)
    }));
    if let Some(gif) = &model.gif {
        let grids: Vec<String> = gif
            .sheets
            .iter()
            .map(|s| format!("up to {} frames {}x{}", s.up_to, s.columns, s.rows))
            .collect();
        let _ = writeln!(
            out,
            "gif: frames on one sheet ({}; default {} frames) [{}]: {}",
            grids.join(", "),
            gif.default_frames,
            gif.confidence,
            shown(&gif.source)
        );
    }
    for (what, rule) in [
        ("svg: the authoring text model is billed", &model.svg),
        ("complexity: accepted at no extra charge", &model.complexity),
    ] {
        if let Some(rule) = rule {
            let _ = writeln!(out, "{what} [{}]: {}", rule.confidence, shown(&rule.source));
        }
    }
    let sizes = match model.sizes.rule {
        SizeRuleKind::Fixed => model
            .sizes
            .allowed
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        SizeRuleKind::Custom => format!(
            "custom: multiples of {}, longest edge ≤ {}, aspect ≤ {}:1, {}–{} pixels",
            model.sizes.multiple_of.unwrap_or(1),
            model.sizes.max_edge.unwrap_or(0),
            model
                .sizes
                .max_aspect_ratio
                .map_or_else(|| "-".to_owned(), |r| format_plain(r.0)),
            model.sizes.min_pixels.unwrap_or(0),
            model.sizes.max_pixels.unwrap_or(0)
        ),
    };
    let _ = writeln!(out, "sizes [{}]: {sizes}", model.sizes.confidence);
    if let Some(rule) = &model.input_images {
        let name = match rule.rule {
            crate::pricing::ratecard::InputImageRuleKind::Patches => {
                "16 px patches (gpt-image-2 rule)"
            }
            crate::pricing::ratecard::InputImageRuleKind::Tiles => {
                "512 px tiles (gpt-image-1 rule)"
            }
        };
        let _ = writeln!(
            out,
            "input images: {name} [{}]: {}",
            rule.confidence,
            shown(&rule.source)
        );
    }
    if let Some(rule) = &model.text_input {
        let _ = writeln!(
            out,
            "text tokens per input image: {} [{}]: {}",
            rule.tokens_per_input_image,
            rule.confidence,
            shown(&rule.source)
        );
    }
    if let Some(rule) = &model.per_image_billing {
        let _ = writeln!(
            out,
            "input billed per generated image (× n) [{}]: {}",
            rule.confidence,
            shown(&rule.source)
        );
    }
    if let Some(rule) = &model.partial_images {
        let _ = writeln!(
            out,
            "partial images: {} tokens each [{}]: {}",
            rule.tokens,
            rule.confidence,
            shown(&rule.source)
        );
    }
    if let Some(rule) = &model.caching {
        let endpoints: Vec<&str> = rule.endpoints.iter().map(|e| e.0.as_str()).collect();
        let _ = writeln!(
            out,
            "cached input rates on: {} [{}]: {}",
            endpoints.join(", "),
            rule.confidence,
            shown(&rule.source)
        );
    }
    match model.auto.at(as_of) {
        Some(auto) => {
            let auto_sizes: Vec<String> = auto
                .sizes
                .iter()
                .map(|(e, s)| format!("{} {s}", e.0))
                .collect();
            let quality = match (auto.quality_rule, auto.measured) {
                (AutoQualityRule::Billed, _) => format!("billed as {}", auto.quality),
                (AutoQualityRule::Measured, Some(m)) => format!(
                    "the model's own (measured {} tokens at {}, scaled as {})",
                    m.tokens, m.size, auto.quality
                ),
                _ => auto.quality.to_string(),
            };
            let _ = writeln!(
                out,
                "auto: quality {quality}, size {} [{}]: {}",
                auto_sizes.join(", "),
                auto.confidence,
                shown(&auto.source)
            );
        }
        None => {
            let _ = writeln!(out, "auto: none in force on {as_of}");
        }
    }
    out.push_str(&records(&model.auto, as_of, |a| {
        format!("quality {} [{}]", a.quality, a.confidence)
    }));
    out
}

/// Everything the card says about one text model, with the rates in force on `as_of`.
#[must_use]
pub fn show_text(card: &RateCard, id: &str, model: &TextModel, as_of: Date) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} (text model of rate card {})",
        shown(id),
        shown(&card.id)
    );
    if !model.aliases.is_empty() {
        let _ = writeln!(out, "aliases: {}", shown(&model.aliases.join(", ")));
    }
    if let Some(day) = model.released {
        let _ = writeln!(out, "released: {day}");
    }
    if let Some(day) = model.shutdown {
        let _ = writeln!(
            out,
            "shutdown: {day}{}",
            model
                .replacement
                .as_ref()
                .map_or_else(String::new, |r| format!(" (replacement: {})", shown(r)))
        );
    }
    lifecycle(&mut out, model.lifecycle.as_ref());
    let text = |r: &crate::pricing::ratecard::TextRates| {
        format!(
            "input {}, cached {}, output {}",
            format_plain(r.input.0),
            format_plain(r.cached_input.0),
            format_plain(r.output.0)
        )
    };
    match model.rates.at(as_of) {
        Some(tiers) => {
            let _ = writeln!(
                out,
                "\nrates (USD per 1M tokens) [{}]: {}",
                tiers.confidence,
                shown(&tiers.source)
            );
            let _ = writeln!(out, "  standard: {}", text(&tiers.standard));
            let _ = writeln!(
                out,
                "  batch:    {}",
                tiers
                    .batch
                    .as_ref()
                    .map_or_else(|| "none (IC107 for batch: true)".to_owned(), text)
            );
        }
        None => {
            let _ = writeln!(out, "\nrates: none in force on {as_of}");
        }
    }
    out.push_str(&records(&model.rates, as_of, |r| {
        format!("standard {} [{}]", text(&r.standard), r.confidence)
    }));
    out
}

/// A model's shutdown record: announcement, other replacements, source.
fn lifecycle(out: &mut String, lifecycle: Option<&crate::pricing::ratecard::Lifecycle>) {
    let Some(lifecycle) = lifecycle else {
        return;
    };
    if let Some(day) = lifecycle.announced {
        let _ = writeln!(out, "shutdown announced: {day}");
    }
    if !lifecycle.also_named.is_empty() {
        let _ = writeln!(
            out,
            "also named as replacement: {}",
            shown(&lifecycle.also_named.join(", "))
        );
    }
    let _ = writeln!(
        out,
        "shutdown record [{}]: {}",
        lifecycle.confidence,
        shown(&lifecycle.source)
    );
}

/// The output rule in force.
fn output(out: &mut String, output: &OutputSpec) {
    let _ = writeln!(
        out,
        "\noutput: {} [{}]: {}",
        output.name(),
        output.confidence,
        shown(&output.source)
    );
    match output.rule() {
        Some(OutputRule::Calculator { bases, multipliers }) => {
            for (quality, base) in bases {
                let factor = multipliers
                    .and_then(|m| m.get(quality))
                    .map_or_else(String::new, |f| format!(" × {}", format_plain(f.0)));
                let _ = writeln!(out, "  {quality}: base {base}{factor}");
            }
        }
        Some(OutputRule::Table { tokens }) => {
            for (quality, row) in tokens {
                let cells: Vec<String> =
                    row.iter().map(|(size, t)| format!("{size} {t}")).collect();
                let _ = writeln!(out, "  {quality}: {}", cells.join(", "));
            }
        }
        Some(OutputRule::PerImage { prices }) => {
            for (tier, table) in std::iter::once(("standard", &prices.standard))
                .chain(prices.batch.as_ref().map(|b| ("batch", b)))
            {
                for (quality, row) in table {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|(size, p)| format!("{size} ${}", format_plain(p.0)))
                        .collect();
                    let _ = writeln!(out, "  {tier} {quality}: {}", cells.join(", "));
                }
            }
        }
        None => out.push_str("  incomplete\n"),
    }
}

fn rates(rates: &TokenRates) -> String {
    let mut parts = vec![
        format!("text in {}", format_plain(rates.text_input.0)),
        format!("cached text {}", format_plain(rates.cached_text_input.0)),
    ];
    if let Some(text_output) = rates.text_output {
        parts.push(format!("text out {}", format_plain(text_output.0)));
    }
    parts.push(format!("image in {}", format_plain(rates.image_input.0)));
    parts.push(format!(
        "cached image {}",
        format_plain(rates.cached_image_input.0)
    ));
    parts.push(format!("image out {}", format_plain(rates.image_output.0)));
    parts.join(", ")
}

/// `ratecard diff`: every change from `old` to `new`, grouped by subject.
#[must_use]
pub fn diff(old: &RateCard, new: &RateCard) -> String {
    let changes = crate::pricing::ratecard::changes(old, new);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Rate card {} -> {}: {} change{}",
        shown(&old.id),
        shown(&new.id),
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    let mut subject = "";
    for change in &changes {
        if change.subject != subject {
            subject = &change.subject;
            let _ = writeln!(out, "\n{}", shown(subject));
        }
        let line = match (&change.old, &change.new) {
            (None, Some(new)) => format!("  + {}: {}", change.facet, shown(new)),
            (Some(old), None) => format!("  - {}: {}", change.facet, shown(old)),
            (Some(old), Some(new)) => format!(
                "  ~ {}: {}\n      -> {}",
                change.facet,
                shown(old),
                shown(new)
            ),
            (None, None) => continue,
        };
        let _ = writeln!(out, "{line}");
    }
    out
}

/// `ratecard compare`: every disagreement between the card and a library's file, in USD per 1M
/// tokens.
#[must_use]
pub fn comparison(card: &RateCard, found: &crate::pricing::interchange::Comparison) -> String {
    let mut out = String::new();
    let count = found.disagreements.len();
    let _ = writeln!(
        out,
        "Rate card {} against a {} file: {} model{} compared, {count} disagreement{} (prices in USD per 1M tokens)",
        shown(&card.id),
        found.library.name(),
        found.compared,
        if found.compared == 1 { "" } else { "s" },
        if count == 1 { "" } else { "s" }
    );
    for d in &found.disagreements {
        let _ = writeln!(
            out,
            "  {} {}: card {}, file {}",
            shown(&d.model),
            d.field,
            d.card.as_deref().map_or("(none)", |s| s),
            d.file.as_deref().map_or("(none)", |s| s)
        );
    }
    if !found.missing.is_empty() {
        let _ = writeln!(
            out,
            "not in the file (not compared): {}",
            shown(&found.missing.join(", "))
        );
    }
    out
}

/// `ratecard shutdowns`: the models the manifests call that the API gives a shutdown date,
/// beside the card's.
#[must_use]
pub fn shutdowns(card: &RateCard, as_of: Date, found: &crate::run::shutdowns::Shutdowns) -> String {
    let mut out = String::new();
    let count = found.shutting_down.len();
    let _ = writeln!(
        out,
        "Models the manifests call with a shutdown date in the API's model list: {count} (rate card {}, as of {as_of})",
        shown(&card.id)
    );
    for row in &found.shutting_down {
        let state = if row.api <= as_of {
            "shut down"
        } else {
            "shuts down"
        };
        let card_says = match row.card {
            Some(day) if day == row.api => "the card agrees".to_owned(),
            Some(day) => format!("the card says {day}: update the card"),
            None => "the card does not know: update the card".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {} {state} {} ({card_says}); used by {}",
            shown(&row.model),
            row.api,
            shown(&row.workflows.join(", "))
        );
    }
    if !found.unlisted.is_empty() {
        let _ = writeln!(
            out,
            "not in the API's list (retired, or not visible to the key that listed it): {}",
            shown(&found.unlisted.join(", "))
        );
    }
    out
}
