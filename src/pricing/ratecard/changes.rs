//! What changed between two rate cards (`imgcost ratecard diff OLD NEW`), for the pull request
//! that updates a card: each model is read as a list of facets (its prices by dated record, its
//! rules, its shutdown), each written as one line of text with its confidence, and the two
//! cards' facets are compared line by line. Sources are not compared: a reworded source with the
//! same figures is not a change of price (docs/ratecards.md).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{
    AutoQualityRule, Dateable, Dated, ImageModel, Lifecycle, OutputRule, OutputSpec, RateCard,
    SizeRuleKind, TextModel, TextRates, TokenRates,
};
use crate::foundation::decimal::format_plain;

/// One difference: where (`card`, or `image model ID`, `text model ID`), what (the facet), and
/// its text in each card (`None` where the card does not have it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub subject: String,
    pub facet: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Every difference between `old` and `new`, card-wide first, then image models and text models
/// by id.
#[must_use]
pub fn changes(old: &RateCard, new: &RateCard) -> Vec<Change> {
    let mut out = Vec::new();
    compare(
        "card".to_owned(),
        &card_facets(old),
        &card_facets(new),
        &mut out,
    );
    models(
        "image model",
        &old.models,
        &new.models,
        image_facets,
        &mut out,
    );
    models(
        "text model",
        &old.text_models,
        &new.text_models,
        text_facets,
        &mut out,
    );
    out
}

type Facets = BTreeMap<&'static str, String>;

fn models<Id: Ord + std::fmt::Display, M>(
    kind: &str,
    old: &BTreeMap<Id, M>,
    new: &BTreeMap<Id, M>,
    facets: fn(&M) -> Facets,
    out: &mut Vec<Change>,
) {
    let ids: std::collections::BTreeSet<&Id> = old.keys().chain(new.keys()).collect();
    for id in ids {
        let subject = format!("{kind} {id}");
        match (old.get(id), new.get(id)) {
            (Some(a), Some(b)) => compare(subject, &facets(a), &facets(b), out),
            (a, b) => out.push(Change {
                subject,
                facet: "model",
                old: a.map(|m| summary(&facets(m))),
                new: b.map(|m| summary(&facets(m))),
            }),
        }
    }
}

/// An added or removed model in one line: its prices and its shutdown.
fn summary(facets: &Facets) -> String {
    ["rates", "shutdown"]
        .iter()
        .filter_map(|facet| facets.get(facet).map(|text| format!("{facet} {text}")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn compare(subject: String, old: &Facets, new: &Facets, out: &mut Vec<Change>) {
    let facets: std::collections::BTreeSet<&&'static str> = old.keys().chain(new.keys()).collect();
    for facet in facets {
        let (a, b) = (old.get(*facet), new.get(*facet));
        if a != b {
            out.push(Change {
                subject: subject.clone(),
                facet,
                old: a.cloned(),
                new: b.cloned(),
            });
        }
    }
}

fn card_facets(card: &RateCard) -> Facets {
    let mut facets = Facets::new();
    facets.insert("effective_from", card.effective_from.to_string());
    facets.insert("checked", card.checked.to_string());
    facets.insert("currency", card.currency.clone());
    if let Some(notice) = &card.notice {
        let horizon = notice.horizon_days.map_or_else(
            || "warn from the announcement".to_owned(),
            |days| format!("warn {days} days ahead"),
        );
        facets.insert(
            "notice",
            format!("{horizon} ({}) [{}]", notice.minimum, notice.confidence),
        );
    }
    facets
}

fn image_facets(model: &ImageModel) -> Facets {
    let mut facets = Facets::new();
    lifecycle(
        &mut facets,
        model.shutdown,
        model.replacement.as_deref(),
        model.lifecycle.as_ref(),
    );
    if !model.aliases.is_empty() {
        facets.insert("aliases", model.aliases.join(", "));
    }
    let endpoints: Vec<&str> = model.endpoints.iter().map(|e| e.0.as_str()).collect();
    facets.insert("endpoints", endpoints.join(", "));
    facets.insert(
        "rates",
        records(&model.rates, |r| {
            let batch = r
                .batch
                .as_ref()
                .map_or_else(String::new, |b| format!("; batch {}", token_rates(b)));
            format!(
                "standard {}{batch} [{}]",
                token_rates(&r.standard),
                r.confidence
            )
        }),
    );
    if let Some(rule) = &model.no_batch {
        facets.insert("no batch", format!("[{}]", rule.confidence));
    }
    facets.insert("output", records(&model.output, output));
    facets.insert(
        "auto",
        records(&model.auto, |a| {
            let quality = match (a.quality_rule, a.measured) {
                (AutoQualityRule::Billed, _) => format!("billed as {}", a.quality),
                (AutoQualityRule::Measured, Some(m)) => {
                    format!(
                        "measured {} tokens at {} (as {})",
                        m.tokens, m.size, a.quality
                    )
                }
                _ => a.quality.to_string(),
            };
            let sizes: Vec<String> = a
                .sizes
                .iter()
                .map(|(e, s)| format!("{} {s}", e.0))
                .collect();
            format!(
                "quality {quality}; sizes {} [{}]",
                sizes.join(", "),
                a.confidence
            )
        }),
    );
    if let Some(gif) = &model.gif {
        let sheets: Vec<String> = gif
            .sheets
            .iter()
            .map(|s| format!("up to {}: {}x{}", s.up_to, s.columns, s.rows))
            .collect();
        facets.insert(
            "gif",
            format!(
                "default {} frames; sheets {} [{}]",
                gif.default_frames,
                sheets.join(", "),
                gif.confidence
            ),
        );
    }
    for (facet, rule) in [
        ("svg author billed", &model.svg),
        ("complexity", &model.complexity),
    ] {
        if let Some(rule) = rule {
            facets.insert(facet, format!("[{}]", rule.confidence));
        }
    }
    if let Some(rule) = &model.input_images {
        facets.insert(
            "input images",
            format!("{:?} [{}]", rule.rule, rule.confidence).to_lowercase(),
        );
    }
    if let Some(rule) = &model.text_input {
        facets.insert(
            "text tokens per input image",
            format!("{} [{}]", rule.tokens_per_input_image, rule.confidence),
        );
    }
    if let Some(rule) = &model.per_image_billing {
        facets.insert("input billed per image", format!("[{}]", rule.confidence));
    }
    if let Some(rule) = &model.partial_images {
        facets.insert(
            "partial image tokens",
            format!("{} [{}]", rule.tokens, rule.confidence),
        );
    }
    let sizes = &model.sizes;
    let mut size_text = match sizes.rule {
        SizeRuleKind::Fixed => {
            let allowed: Vec<String> = sizes.allowed.iter().map(ToString::to_string).collect();
            format!("fixed {}", allowed.join(", "))
        }
        SizeRuleKind::Custom => "custom".to_owned(),
    };
    for (name, value) in [
        ("multiple of", sizes.multiple_of.map(u64::from)),
        ("max edge", sizes.max_edge.map(u64::from)),
        ("min pixels", sizes.min_pixels),
        ("max pixels", sizes.max_pixels),
    ] {
        if let Some(value) = value {
            let _ = write!(size_text, "; {name} {value}");
        }
    }
    if let Some(ratio) = sizes.max_aspect_ratio {
        let _ = write!(size_text, "; max aspect ratio {}", format_plain(ratio.0));
    }
    let _ = write!(size_text, " [{}]", sizes.confidence);
    facets.insert("sizes", size_text);
    let qualities: Vec<&str> = model.qualities.iter().map(|q| q.as_str()).collect();
    facets.insert("qualities", qualities.join(", "));
    let formats: Vec<&str> = model.formats.iter().map(|f| f.as_str()).collect();
    facets.insert("formats", formats.join(", "));
    let p = &model.parameters;
    facets.insert(
        "parameters",
        format!(
            "input_fidelity {}, transparent_background {}, max_input_images {}",
            p.input_fidelity, p.transparent_background, p.max_input_images
        ),
    );
    if let Some(rule) = &model.caching {
        let endpoints: Vec<&str> = rule.endpoints.iter().map(|e| e.0.as_str()).collect();
        facets.insert(
            "caching",
            format!("{} [{}]", endpoints.join(", "), rule.confidence),
        );
    }
    facets
}

fn text_facets(model: &TextModel) -> Facets {
    let mut facets = Facets::new();
    lifecycle(
        &mut facets,
        model.shutdown,
        model.replacement.as_deref(),
        model.lifecycle.as_ref(),
    );
    if !model.aliases.is_empty() {
        facets.insert("aliases", model.aliases.join(", "));
    }
    facets.insert(
        "rates",
        records(&model.rates, |r| {
            let batch = r
                .batch
                .as_ref()
                .map_or_else(String::new, |b| format!("; batch {}", text_rates(b)));
            format!(
                "standard {}{batch} [{}]",
                text_rates(&r.standard),
                r.confidence
            )
        }),
    );
    facets
}

fn lifecycle(
    facets: &mut Facets,
    shutdown: Option<crate::foundation::Date>,
    replacement: Option<&str>,
    lifecycle: Option<&Lifecycle>,
) {
    if let Some(day) = shutdown {
        let mut text = day.to_string();
        if let Some(announced) = lifecycle.and_then(|l| l.announced) {
            let _ = write!(text, " (announced {announced})");
        }
        if let Some(lifecycle) = lifecycle {
            let _ = write!(text, " [{}]", lifecycle.confidence);
        }
        facets.insert("shutdown", text);
    }
    let named: Vec<&str> = replacement
        .into_iter()
        .chain(
            lifecycle
                .into_iter()
                .flat_map(|l| l.also_named.iter().map(String::as_str)),
        )
        .collect();
    if !named.is_empty() {
        facets.insert("replacement", named.join(" or "));
    }
}

/// A rule's records in one line: `PERIOD: TEXT | PERIOD: TEXT`, or the one record's text.
fn records<T: Dateable>(dated: &Dated<T>, text: impl Fn(&T) -> String) -> String {
    match dated {
        Dated::One(record) if record.period().is_always() => text(record),
        _ => dated
            .records()
            .iter()
            .map(|record| format!("{}: {}", record.period(), text(record)))
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

fn token_rates(rates: &TokenRates) -> String {
    let mut parts = vec![
        format!("text in {}", format_plain(rates.text_input.0)),
        format!("cached {}", format_plain(rates.cached_text_input.0)),
    ];
    if let Some(out) = rates.text_output {
        parts.push(format!("text out {}", format_plain(out.0)));
    }
    parts.push(format!("image in {}", format_plain(rates.image_input.0)));
    parts.push(format!(
        "cached {}",
        format_plain(rates.cached_image_input.0)
    ));
    parts.push(format!("image out {}", format_plain(rates.image_output.0)));
    parts.join(", ")
}

fn text_rates(rates: &TextRates) -> String {
    format!(
        "input {}, cached {}, output {}",
        format_plain(rates.input.0),
        format_plain(rates.cached_input.0),
        format_plain(rates.output.0)
    )
}

fn output(spec: &OutputSpec) -> String {
    let body = match spec.rule() {
        Some(OutputRule::Calculator { bases, multipliers }) => {
            let cells: Vec<String> = bases
                .iter()
                .map(|(quality, base)| {
                    let factor = multipliers
                        .and_then(|m| m.get(quality))
                        .map_or_else(String::new, |f| format!(" × {}", format_plain(f.0)));
                    format!("{quality} {base}{factor}")
                })
                .collect();
            format!("calculator {}", cells.join(", "))
        }
        Some(OutputRule::Table { tokens }) => {
            let rows: Vec<String> = tokens
                .iter()
                .map(|(quality, row)| {
                    let cells: Vec<String> =
                        row.iter().map(|(size, t)| format!("{size} {t}")).collect();
                    format!("{quality} {}", cells.join(", "))
                })
                .collect();
            format!("table {}", rows.join("; "))
        }
        Some(OutputRule::PerImage { prices }) => {
            let mut rows = Vec::new();
            for (tier, table) in std::iter::once(("standard", &prices.standard))
                .chain(prices.batch.as_ref().map(|b| ("batch", b)))
            {
                for (quality, row) in table {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|(size, p)| format!("{size} ${}", format_plain(p.0)))
                        .collect();
                    rows.push(format!("{tier} {quality} {}", cells.join(", ")));
                }
            }
            format!("per image {}", rows.join("; "))
        }
        None => "incomplete".to_owned(),
    };
    format!("{body} [{}]", spec.confidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str) -> &'static RateCard {
        RateCard::builtin()
            .iter()
            .find(|c| c.id == id)
            .expect("a built-in card")
    }

    #[test]
    fn a_card_has_no_changes_from_itself() {
        let card = card("openai-2026-12-01");
        assert_eq!(changes(card, card), Vec::new());
    }

    #[test]
    fn the_changes_of_2026_12_01_include_the_gpt_5_shutdown_and_2_6_rules() {
        let found = changes(card("openai-2026-11-23"), card("openai-2026-12-01"));
        let of = |subject: &str, facet: &str| {
            found
                .iter()
                .find(|c| c.subject == subject && c.facet == facet)
                .unwrap_or_else(|| panic!("{subject} {facet}: {found:#?}"))
        };
        let gpt5 = of("text model gpt-5", "shutdown");
        assert_eq!(gpt5.old, None);
        assert_eq!(
            gpt5.new.as_deref(),
            Some("2026-12-11 (announced 2026-06-11) [medium]")
        );
        assert_eq!(
            of("text model gpt-5", "replacement").new.as_deref(),
            Some("gpt-5.6-sol or gpt-6.1-sol")
        );
        let sol = of("text model gpt-5.6-sol", "model");
        assert_eq!(sol.old, None);
        assert!(
            sol.new
                .as_deref()
                .unwrap()
                .starts_with("rates through 2026-08-20: standard input 5")
        );
        assert_eq!(
            of("image model gpt-image-2.6-sunburst", "no batch")
                .new
                .as_deref(),
            Some("[low]")
        );
        assert_eq!(
            of("image model gpt-image-2.6-sunburst", "auto")
                .new
                .as_deref(),
            Some(
                "quality billed as high; sizes images.generate 1122x1402, images.edit 1254x1254, responses 1122x1402 [low]"
            )
        );
        assert_eq!(
            of("card", "effective_from").old.as_deref(),
            Some("2026-11-04")
        );
        // gpt-image-2 did not change.
        assert!(!found.iter().any(|c| c.subject == "image model gpt-image-2"));
    }
}
