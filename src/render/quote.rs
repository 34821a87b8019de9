//! Text and JSON of `imgcost quote`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::foundation::decimal::format_plain;
use crate::pricing::{Projection, TokenKind};

/// `imgcost quote --format json` (docs/cli.md). `usd` is exact, not rounded: a
/// single request costs fractions of a cent.
#[derive(Debug, Serialize)]
pub struct JsonQuote<'a> {
    pub model: &'a str,
    pub size: String,
    /// GIF output: the sheet the frames are drawn on, which is what is priced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// SVG output: the text model that writes the SVG (its tokens are the `mainline_*` ones).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svg_author: Option<&'a str>,
    pub quality: &'static str,
    pub n: u32,
    pub tier: &'static str,
    pub tokens: BTreeMap<&'static str, Option<String>>,
    pub usd: String,
    pub confidence: &'static str,
}

#[must_use]
pub fn json(projection: &Projection, svg_author: Option<&str>) -> String {
    // A quote has a text model only for svg output; its kinds are listed then.
    let text_model = projection.cost.mainline() > rust_decimal::Decimal::ZERO
        || TokenKind::ALL
            .iter()
            .any(|k| k.is_mainline() && !projection.tokens.get(*k).is_zero());
    let quote = JsonQuote {
        model: &projection.model,
        size: projection.size.to_string(),
        sheet: projection.sheet.map(|s| s.to_string()),
        svg_author,
        quality: projection.quality.as_str(),
        n: projection.n,
        tier: projection.tier.as_str(),
        tokens: projection
            .tokens
            .by_kind()
            .into_iter()
            .filter(|(kind, _)| text_model || !kind.is_mainline())
            .map(|(kind, value)| {
                (
                    kind.as_str(),
                    (kind != TokenKind::ImageOutput || projection.image_output_tokens_known)
                        .then(|| format_plain(value)),
                )
            })
            .collect(),
        usd: format_plain(projection.monthly_usd),
        confidence: projection.confidence.as_str(),
    };
    let mut text = serde_json::to_string_pretty(&quote).unwrap_or_default();
    text.push('\n');
    text
}

#[must_use]
pub fn human(projection: &Projection, svg_author: Option<&str>) -> String {
    let mut out = String::new();
    let sheet = projection
        .sheet
        .map_or_else(String::new, |sheet| format!(" · gif sheet {sheet}"));
    let _ = writeln!(
        out,
        "{} · {} · {}{sheet} · n={} · {} tier",
        projection.model,
        projection.quality,
        projection.size,
        projection.n,
        projection.tier.as_str()
    );
    if let Some(author) = svg_author {
        let _ = writeln!(
            out,
            "  svg author: {} (its tokens are the mainline_* lines)",
            crate::foundation::printable(author)
        );
    }
    for (kind, tokens) in projection.tokens.by_kind() {
        let cost = projection.cost.get(kind);
        if tokens.is_zero() && cost.is_zero() {
            continue;
        }
        let tokens = if kind == TokenKind::ImageOutput && !projection.image_output_tokens_known {
            // Priced per image, not per token: the cost is for all `n` images of the request.
            match projection.n {
                1 => "1 image".to_owned(),
                n => format!("{n} images"),
            }
        } else {
            format!("{} tokens", format_plain(tokens))
        };
        let _ = writeln!(
            out,
            "  {:<20} {tokens:>16}  ${}",
            kind.as_str(),
            format_plain(cost)
        );
    }
    let _ = writeln!(
        out,
        "  {:<20} {:>16}  ${}",
        "total",
        "",
        format_plain(projection.monthly_usd)
    );
    let _ = writeln!(out, "confidence: {}", projection.confidence);
    for (what, source) in projection
        .assumptions
        .weakest
        .iter()
        .filter(|_| projection.confidence != crate::pricing::Confidence::High)
    {
        let _ = writeln!(out, "  weakest rule ({what}): {source}");
    }
    out
}
