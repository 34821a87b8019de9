//! Text of `imgcost ratecard list` and `imgcost ratecard show MODEL`.

use std::fmt::Write as _;

use crate::foundation::Date;
use crate::foundation::decimal::format_plain;
use crate::pricing::RateCard;
use crate::pricing::ratecard::{ImageModel, OutputRule, SizeRuleKind, TokenRates};
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
            let status = match model.shutdown {
                Some(day) if day <= as_of => format!("shut down {day}"),
                Some(day) => format!("shuts down {day}"),
                None => "active".to_owned(),
            };
            vec![
                id.clone(),
                model.aliases.join(", "),
                model.output.name().to_owned(),
                format_plain(model.rates.standard.image_output.0),
                model
                    .rates
                    .batch
                    .map_or_else(|| "-".to_owned(), |b| format_plain(b.image_output.0)),
                status,
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
        let rows: Vec<Vec<String>> = chosen
            .text_models
            .iter()
            .map(|(id, model)| {
                let r = model.rates.standard;
                vec![
                    id.clone(),
                    format_plain(r.input.0),
                    format_plain(r.cached_input.0),
                    format_plain(r.output.0),
                    model.rates.confidence.to_string(),
                ]
            })
            .collect();
        out.push_str(&table(
            &["model", "input", "cached", "output", "confidence"],
            &rows,
            &[1, 2, 3],
        ));
    }
    out
}

/// Everything the card says about one model.
#[must_use]
pub fn show(card: &RateCard, id: &str, model: &ImageModel) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{id} (rate card {})", card.id);
    if !model.aliases.is_empty() {
        let _ = writeln!(out, "aliases: {}", model.aliases.join(", "));
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
                .map_or_else(String::new, |r| format!(" (replacement: {r})"))
        );
    }
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
    let _ = writeln!(
        out,
        "\nrates (USD per 1M tokens) [{}]: {}",
        model.rates.confidence, model.rates.source
    );
    let _ = writeln!(out, "  standard: {}", rates(&model.rates.standard));
    match &model.rates.batch {
        Some(batch) => {
            let _ = writeln!(out, "  batch:    {}", rates(batch));
        }
        None => out.push_str("  batch:    none (IC107 for batch: true)\n"),
    }
    let _ = writeln!(
        out,
        "\noutput: {} [{}]: {}",
        model.output.name(),
        model.output.confidence,
        model.output.source
    );
    match model.output.rule() {
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
            rule.confidence, rule.source
        );
    }
    if let Some(rule) = &model.text_input {
        let _ = writeln!(
            out,
            "text tokens per input image: {} [{}]: {}",
            rule.tokens_per_input_image, rule.confidence, rule.source
        );
    }
    if let Some(rule) = &model.per_image_billing {
        let _ = writeln!(
            out,
            "input billed per generated image (× n) [{}]: {}",
            rule.confidence, rule.source
        );
    }
    if let Some(rule) = &model.partial_images {
        let _ = writeln!(
            out,
            "partial images: {} tokens each [{}]: {}",
            rule.tokens, rule.confidence, rule.source
        );
    }
    if let Some(rule) = &model.caching {
        let endpoints: Vec<&str> = rule.endpoints.iter().map(|e| e.0.as_str()).collect();
        let _ = writeln!(
            out,
            "cached input rates on: {} [{}]: {}",
            endpoints.join(", "),
            rule.confidence,
            rule.source
        );
    }
    let auto_sizes: Vec<String> = model
        .auto
        .sizes
        .iter()
        .map(|(e, s)| format!("{} {s}", e.0))
        .collect();
    let _ = writeln!(
        out,
        "auto: quality {}, size {} [{}]: {}",
        model.auto.quality,
        auto_sizes.join(", "),
        model.auto.confidence,
        model.auto.source
    );
    out
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
